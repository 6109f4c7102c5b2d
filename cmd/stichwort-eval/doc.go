// Command stichwort-eval measures search quality on the sample corpus. It
// indexes the articles and PDFs of testdata/articles into three systems,
// runs the judged German queries of testdata/eval/queries.json against each
// and prints nDCG@10, MRR and recall@10, overall and per query category,
// and the queries each system fails (no relevant document in its top 10):
//
//	go run ./cmd/stichwort-eval [-corpus testdata/articles] [-queries testdata/eval/queries.json] [-json|-markdown]
//
// The systems are (a) "ours", the real index package with its German
// analysis; (b) "bleve-de", a plain Bleve index with the stock "de"
// analyzer, queried the way an Elasticsearch "german" set-up is (all words
// in one field, phrases, a keyword tag filter); (c) "sqlite-fts5", SQLite
// FTS5 with the unicode61 tokenizer and remove_diacritics 2, ranked by bm25.
// All three see the same documents and the same queries; every index lives
// in a temporary directory that is removed at the end, and the output is
// deterministic.
//
// It measures; it does not tune. docs/SEARCH_QUALITY.md records the figures
// and explains the metrics.
package main
