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
// hashes, links, PDF parents) and the frontier of the run live in package
// state and are committed only after the Sink took the batch, so a second
// run sends conditional requests, rebuilds its frontier from stored links on
// a 304 and re-sends only changed documents (with the same id), and a run
// that was stopped or killed is resumed by the next one: it fetches nothing
// that was committed as done and repeats at most the last batch.
//
// With Config.ArchiveDir every response read is kept in a WARC archive
// (package warc) before it is used; Replay runs the same crawl over that
// archive instead of the network, which rebuilds every document with the
// extraction of the day.
//
// The crawler does not index or render JavaScript; it never imports package
// index or server.
package crawler
