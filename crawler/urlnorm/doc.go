// Package urlnorm turns the URLs a crawler meets into one canonical spelling,
// so that the same page reached through different links is fetched and
// indexed once.
//
// It lower-cases scheme and host, drops default ports, fragments and
// tracking parameters (utm_*, fbclid, gclid and a few more) and sorts the
// remaining query parameters. It does not resolve DNS, follow redirects or
// read <link rel="canonical">; those need the network or the page and belong
// to the crawler and the extractor.
package urlnorm
