// Package extract reads news pages: ParseArticle returns the title, lead,
// body, author, publication date, Stichwörter and linked PDFs of an article
// page, ParseLinks the links a crawler follows (pages, PDFs, feeds,
// rel=next, the canonical URL), ParseGermanDate the dates German pages
// write ("22. Oktober 2024", "[22.10.2024]", ISO 8601, RFC 1123).
//
// Fields come from the most reliable source the page has: JSON-LD, then
// OpenGraph and other meta elements, then a site profile (a declarative
// description of one layout; the sample magazine's is built in), then a
// generic fallback, and for the body of a layout the generic fallback does
// not understand, readability (codeberg.org/readeck/go-readability). Listing,
// tag and home pages are not articles.
//
// The package works on parsed HTML (goquery) and does no I/O: fetching,
// charset decoding and deciding what to crawl are the crawler's business.
// It does not clean Stichwörter (that is stichwort.CleanTags) and never
// invents a date: a page without one gets the zero time.
package extract
