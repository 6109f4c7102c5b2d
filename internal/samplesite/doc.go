// Package samplesite builds and serves the sample site that stichwort's
// tests and the demo crawl: a fictional e-government news magazine,
// "eVerwaltung aktuell", with article pages, listing and tag pages, an RSS
// feed, a sitemap, robots.txt and resolution PDFs on two hosts.
//
// The site is generated from the plain-text sources in testdata/articles
// (FORMAT.md there describes them) into testdata/site, in the layout that
// testdata/articles/LAYOUT.md fixes, and the output is byte-for-byte
// reproducible so that it can be committed and checked for staleness.
// LoadArticles and LoadPDFs expose the parsed sources, so tests can compute
// what a crawl of the site must find. Site serves the generated files on
// two loopback servers and rewrites the placeholder host names to them.
//
// The package is test and demo infrastructure: it is not part of the
// search engine and never fetches anything itself.
package samplesite
