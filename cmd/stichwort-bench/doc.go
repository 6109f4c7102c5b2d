// Stichwort-bench is the measuring apparatus of issue 6: a corpus
// generator and a driver that indexes and queries the same corpus with
// stichwort, stock Bleve and SQLite FTS5 side by side.
//
// "gen" writes a deterministic synthetic corpus of German e-government
// news in the import format (JSON lines), in constant memory: a vocabulary
// with the real word frequencies of the sample articles in testdata/, a
// Zipf-ranked tail of inflected forms and compounds made of the
// decompounder's lexicon parts, Stichwörter of the sample's vocabulary,
// dates from 2015 to 2026 and about 8 % PDFs, about 458 tokens per
// document. The same seed gives the same bytes, and a smaller corpus is a
// prefix of a larger one.
//
// "run" generates (or reuses) a corpus, then in each round lets every
// engine index it in a child process of its own, in rotating order, and
// answer a fixed query set; it prints medians and ratios as Markdown
// (docs/BENCHMARKS.md). stichwort is measured through the real
// `stichwort import` and `stichwort serve` when the binary is given.
//
// It measures; it does not tune. It never changes the index package:
// what the index would need is written in docs/BENCHMARKS.md.
package main
