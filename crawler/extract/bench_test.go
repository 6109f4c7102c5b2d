package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// BenchmarkParseArticle measures extraction of the golden pages
// (parse HTML, links and article), reported per page.
func BenchmarkParseArticle(b *testing.B) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	var docs []string
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	base, _ := url.Parse(goldenBase + "x.html")
	n := 0
	for i := 0; b.Loop(); i++ {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(docs[i%len(docs)]))
		if err != nil {
			b.Fatal(err)
		}
		ParseLinks(base, doc)
		_, _ = ParseArticle(base, doc)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkReadabilityFallback measures a page whose body only readability
// finds (the fallback path of ParseArticle).
func BenchmarkReadabilityFallback(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "landkreis.html"))
	if err != nil {
		b.Fatal(err)
	}
	base, _ := url.Parse(goldenBase + "landkreis.html")
	n := 0
	for b.Loop() {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(data)))
		if err != nil {
			b.Fatal(err)
		}
		if a, err := ParseArticle(base, doc); err != nil || a.Extractor != "readability" {
			b.Fatalf("%s, %v", a.Extractor, err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}
