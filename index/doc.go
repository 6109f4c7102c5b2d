// Package index stores stichwort Documents and answers searches over them.
//
// It hides Bleve behind its own Request and Result types, so that the server
// never sees the engine. Each Document lives twice: whole, in a small bbolt
// document store (the source for /api/docs and for reindexing), and analysed,
// in a Bleve index on disk (German analysis on title, lead and body; tags,
// type, source and year as exact keywords for filters and facets; the
// publication date as a date). It does not fetch anything: the crawler and the
// import command hand it Documents.
package index
