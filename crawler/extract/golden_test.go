package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden is what a golden file holds for one page.
type golden struct {
	Article *Article `json:"article,omitempty"`
	// NotArticle is set when ParseArticle returned ErrNotArticle.
	NotArticle bool  `json:"not_article,omitempty"`
	Links      Links `json:"links"`
}

// goldenBase is the URL every golden page is parsed as; a file name x.html
// is served at http://www.stichwort.test/artikel/x.html.
const goldenBase = "http://www.stichwort.test/artikel/"

func TestGolden(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 4 {
		t.Fatalf("found %d golden pages, want at least 4", len(pages))
	}
	for _, page := range pages {
		name := filepath.Base(page)
		t.Run(strings.TrimSuffix(name, ".html"), func(t *testing.T) {
			got := mustExtractGolden(t, page, goldenBase+name)
			gotJSON, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			gotJSON = append(gotJSON, '\n')
			goldenPath := strings.TrimSuffix(page, ".html") + ".golden.json"
			if *update {
				if err := os.WriteFile(goldenPath, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(gotJSON, want) {
				t.Errorf("%s differs from %s (run go test -update after checking):\n got: %s\nwant: %s", name, goldenPath, gotJSON, want)
			}
		})
	}
}

func mustExtractGolden(tb testing.TB, path, pageURL string) golden {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	doc, err := goquery.NewDocumentFromReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		tb.Fatal(err)
	}
	g := golden{Links: ParseLinks(u, doc)}
	a, err := ParseArticle(u, doc)
	switch {
	case errors.Is(err, ErrNotArticle):
		g.NotArticle = true
	case err != nil:
		tb.Fatalf("ParseArticle: %v", err)
	default:
		g.Article = &a
	}
	return g
}
