package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// wordF1 is the F1 score of the word multisets of got against want: how
// much of the true body was found, and how little else.
func wordF1(got, want string) float64 {
	words := func(s string) map[string]int {
		m := map[string]int{}
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			m[w]++
		}
		return m
	}
	g, w := words(got), words(want)
	common, ng, nw := 0, 0, 0
	for k, c := range g {
		common += min(c, w[k])
		ng += c
	}
	for _, c := range w {
		nw += c
	}
	if ng == 0 || nw == 0 {
		return 0
	}
	p, r := float64(common)/float64(ng), float64(common)/float64(nw)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// TestBodyExtractors measures the generic extractor and readability
// against the golden bodies, each alone (without JSON-LD and profile
// bodies), and checks the choice made in ParseArticle: generic first,
// readability only where generic finds too little. Run with -v for the
// table in docs/BENCHMARKS.md.
func TestBodyExtractors(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	var sumGeneric, sumReadability float64
	n := 0
	t.Logf("%-14s %-16s %8s %12s", "page", "golden source", "generic", "readability")
	for _, page := range pages {
		name := filepath.Base(page)
		g := mustExtractGolden(t, page, goldenBase+name)
		if g.Article == nil {
			continue
		}
		f, err := os.Open(page)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(goldenBase + name)
		root, _ := mainContainer(doc)
		md := parseMeta(doc)
		gd := genericExtract(doc, root, md.siteName)
		generic := strings.Join(dropLead(gd.body, g.Article.Lead), "\n\n")
		readable := strings.Join(dropLead(readabilityBody(u, doc), g.Article.Lead), "\n\n")
		fg, fr := wordF1(generic, g.Article.Body), wordF1(readable, g.Article.Body)
		if runes(gd.body) >= MinBodyRunes && fr > fg {
			t.Errorf("%s: readability (%.3f) beats the generic extractor (%.3f); revisit their order in parseArticle", name, fr, fg)
		}
		sumGeneric += fg
		sumReadability += fr
		n++
		t.Logf("%-14s %-16s %8.3f %12.3f", strings.TrimSuffix(name, ".html"), g.Article.Extractor, fg, fr)
	}
	t.Logf("%-14s %-16s %8.3f %12.3f", "mean", "", sumGeneric/float64(n), sumReadability/float64(n))
	if n < 8 {
		t.Errorf("%d golden article layouts, want at least 8", n)
	}
}
