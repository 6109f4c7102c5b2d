// Package warc keeps the crawler's raw archive: every HTTP response it
// read (pages, PDFs, robots.txt, sitemaps, feeds, redirects, error pages and
// 304s), with the request that asked for it, in WARC 1.1 files (ISO 28500,
// the web archive standard), so the index can be rebuilt from the archive
// with the extraction of the day and without the network.
//
// Writer appends request and response records to gzip-compressed files
// DIR/stichwort-000001.warc.gz, -000002, … and starts a new file when one
// reaches its size limit, and at every start (a file is never appended to
// after its writer has gone, so a file cut short by a crash stays as it
// is). Each record is its own gzip member and is synced to disk before
// Write returns: a crawler that writes a response before it records the
// page as done never has state that the archive cannot back. Reader
// iterates the files in order and stops at the first damaged record of a
// file (the torn tail of a crash) with a warning instead of failing.
//
// The library is github.com/nlnwa/gowarc/v3 (see writer.go for why). The
// package knows nothing about crawling: what a response means is the
// crawler's business.
package warc
