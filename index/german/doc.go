// Package german is stichwort's German analysis: Bleve's German stemming and
// umlaut folding, plus a decompounding filter that finds the parts of
// compounds ("Verwaltungscloud" → verwaltung, cloud) so that a search for a
// part finds the compound. The chain runs behind a cache of the tokens of
// each whitespace-delimited chunk of text (CachedAnalyzer), which gives the
// same tokens as the chain alone at a fraction of the cost, since the chunks
// of news text repeat.
//
// The lexicon of valid parts, the list of words never to split (place names
// and the like) and the synonyms are data files in data/, owned by the
// project (see data/README.md). The package does not build queries; the
// index package decides how compound parts match at query time.
package german
