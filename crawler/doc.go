// Package crawler fetches the news pages and PDFs that stichwort indexes and
// turns them into stichwort.Documents.
//
// Starting from seed URLs it discovers pages through links, sitemaps (also
// sitemap indexes and .xml.gz), RSS/Atom feeds announced with
// <link rel="alternate"> and listing pagination. HTML is fetched only on the
// seeds' hosts (host and port); PDFs that in-scope pages link are fetched on
// any host, one hop, and never followed further. It obeys robots.txt (with
// Crawl-delay) on every host it fetches from, keeps a delay and at most one
// or two requests in flight per host, retries 429 and 5xx with backoff
// honouring Retry-After, caps bodies and redirects, skips a host for the
// rest of a run after repeated failures (circuit breaker), refuses private
// addresses other than the seeds' own at dial time (see
// Config.AllowPrivate), and keeps going when a page fails.
//
// Articles go through package extract, PDFs through package pdftext. The
// documents go to a Sink in batches; the per-URL state (validators, content
// hashes, links, PDF parents) lives in package state and is committed only
// after the Sink took the batch, so a second run sends conditional requests,
// rebuilds its frontier from stored links on a 304, re-sends only changed
// documents (with the same id) and, after a crash, repeats at most the last
// batch.
//
// The crawler does not index, archive raw responses (WARC) or render
// JavaScript; it never imports package index or server.
package crawler
