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
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(docs[i%len(docs)]))
		if err != nil {
			b.Fatal(err)
		}
		ParseLinks(base, doc)
		_, _ = ParseArticle(base, doc)
	}
}
