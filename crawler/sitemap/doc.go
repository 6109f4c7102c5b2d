// Package sitemap reads sitemaps (https://www.sitemaps.org/protocol.html):
// a urlset lists pages, a sitemapindex lists further sitemaps. Gzip-compressed
// files (.xml.gz) are recognised by their magic bytes, whatever the
// Content-Type says, and decompressed up to a limit, so a small file cannot
// expand into gigabytes.
//
// It only parses; fetching and deciding which URLs are in scope is the
// crawler's business.
package sitemap
