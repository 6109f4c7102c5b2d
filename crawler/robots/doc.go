// Package robots reads robots.txt files for the crawler: which paths a user
// agent may fetch, the Crawl-delay it should keep, and the sitemaps the file
// announces. It wraps github.com/temoto/robotstxt and adds what a long-running
// crawler needs on top: lines the library rejects (a Crawl-delay that is not
// a number, a rule before any User-agent) are ignored instead of failing the
// whole file, and the Crawl-delay is capped.
//
// The status of the robots.txt response decides as Google's documentation
// does: 2xx is parsed, 4xx (including 404) allows everything, 5xx disallows
// everything. Fetching the file, caching it per host and deciding how long
// a disallow lasts are the crawler's business.
package robots
