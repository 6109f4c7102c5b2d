package main

import (
	"context"
	"testing"

	"stichwort"
	"stichwort/index"
)

// BenchmarkGenerate is the generator's speed: documents per second
// decide how long a corpus of a million takes.
func BenchmarkGenerate(b *testing.B) {
	g := &generator{lang: mustLanguage(b), seed: 1}
	var size int64
	i := 0
	for b.Loop() {
		d := g.document(i)
		size += int64(len(d.rec.Title) + len(d.rec.Lead) + len(d.rec.Body))
		i++
	}
	b.ReportMetric(float64(size)/float64(i), "textbytes/doc")
}

// BenchmarkImport indexes 1,000 generated documents, one import batch,
// into a fresh index with index.Put: the unit of `stichwort import`.
// Profile it with -cpuprofile/-memprofile; for a whole import use
// "stichwort-bench index -engine ours -cpuprofile".
func BenchmarkImport(b *testing.B) {
	g := &generator{lang: mustLanguage(b), seed: 1}
	docs := make([]stichwort.Document, importBatch)
	var size int64
	for i := range docs {
		rec := g.document(i).rec
		d, err := stichwort.ParseImportLine(mustJSON(b, rec))
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = d
		size += textBytes(d)
	}
	b.SetBytes(size)
	for b.Loop() {
		x, err := index.Open(b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Put(context.Background(), append([]stichwort.Document(nil), docs...)); err != nil {
			b.Fatal(err)
		}
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(importBatch)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
