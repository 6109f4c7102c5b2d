package extract

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

func FuzzArticle(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(`<article><h1>x</h1><p>` + strings.Repeat("Wort ", 60) + `</p></article>`)
	f.Add(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"T","articleBody":"` + strings.Repeat("b", 300) + `","author":[[[{"name":1}]]],"keywords":[1,"a"]}</script>`)
	f.Add(`<article><article><h1></h1></article></article><base href="javascript:x">`)
	base, _ := url.Parse("http://www.stichwort.test/artikel/x.html")
	f.Fuzz(func(t *testing.T, page string) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			return
		}
		links := ParseLinks(base, doc)
		for _, l := range links.Pages {
			if _, err := url.Parse(l); err != nil {
				t.Fatalf("ParseLinks gave unparsable %q", l)
			}
		}
		a, err := ParseArticle(base, doc)
		if errors.Is(err, ErrNotArticle) {
			return
		}
		if err != nil {
			t.Fatalf("ParseArticle: unexpected error %v", err)
		}
		if a.Title == "" || utf8.RuneCountInString(a.Body) < MinBodyRunes {
			t.Fatalf("article without title or with short body: %+v", a)
		}
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Body) {
			// Invalid input bytes are replaced by the HTML parser; the
			// output must stay valid UTF-8 for the index and JSON.
			t.Fatalf("invalid UTF-8 in %+v", a)
		}
		if a.Title != strings.TrimSpace(a.Title) || strings.Contains(a.Title, "  ") {
			t.Fatalf("title not cleaned: %q", a.Title)
		}
		u, err := url.Parse(a.URL)
		if err != nil || u.Host != base.Host {
			t.Fatalf("article URL %q left the page's host", a.URL)
		}
	})
}
