package index

import (
	"context"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/mapping"

	"stichwort"
	"stichwort/internal/samplesite"
)

// benchDocs is the sample corpus as documents, repeated to n.
func benchDocs(b *testing.B, n int) ([]stichwort.Document, int64) {
	b.Helper()
	arts, err := samplesite.LoadArticles("../testdata/articles")
	if err != nil {
		b.Fatal(err)
	}
	var docs []stichwort.Document
	var size int64
	for i := 0; len(docs) < n; i++ {
		a := arts[i%len(arts)]
		d := stichwort.Document{URL: a.URL() + "?" + string(rune('a'+i/len(arts))), Title: a.Title, Lead: a.Lead,
			Body: strings.Join(a.Body, "\n\n"), Tags: a.Tags, Date: a.Date, Source: "example.org"}
		size += int64(len(d.Title) + len(d.Lead) + len(d.Body))
		docs = append(docs, d)
	}
	return docs, size
}

// BenchmarkIndexStichwort indexes 500 articles with the full German chain
// (decompounding, hyphen joins) and our mapping, into a fresh index.
func BenchmarkIndexStichwort(b *testing.B) {
	docs, size := benchDocs(b, 500)
	b.SetBytes(size)
	for b.Loop() {
		x, err := Open(b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Put(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
}

// BenchmarkIndexStockDE indexes the same articles with Bleve's stock de
// analyzer and default mapping, the baseline of issue 4.
func BenchmarkIndexStockDE(b *testing.B) {
	docs, size := benchDocs(b, 500)
	b.SetBytes(size)
	for b.Loop() {
		m := mapping.NewIndexMapping()
		m.DefaultAnalyzer = de.AnalyzerName
		idx, err := bleve.New(b.TempDir()+"/i", m)
		if err != nil {
			b.Fatal(err)
		}
		batch := idx.NewBatch()
		for _, d := range docs {
			_ = batch.Index(stichwort.DocID(d.URL), map[string]any{"title": d.Title, "lead": d.Lead, "body": d.Body, "tags": d.Tags, "date": d.Date})
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
		idx.Close()
	}
}

// BenchmarkSearch runs a compound query with facets on the 500 articles.
func BenchmarkSearch(b *testing.B) {
	docs, _ := benchDocs(b, 500)
	x, err := Open(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	if err := x.Put(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := x.Search(context.Background(), Request{Query: "Verwaltungscloud Strategie", Tags: []string{"Politik"}}); err != nil {
			b.Fatal(err)
		}
	}
}
