// Package server is stichwort's HTTP face: the JSON API, the German search
// page, the Atom/RSS feeds of any search (CONTRACT.md), and saved alerts:
// their API, feeds, OPML export and pages.
//
// It validates every parameter before a request reaches the index, maps
// errors to status codes in one place, and renders all crawled text
// escaped. It never imports Bleve: searches go through the Searcher
// interface with the index package's request and result types.
package server
