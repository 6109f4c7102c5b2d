package samplesite

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"stichwort/crawler/pdftext"
)

// The committed sample site and its sources, relative to this package.
const (
	corpusDir = "../../testdata/articles"
	siteDir   = "../../testdata/site"
)

// TestSiteIsUpToDate regenerates the site and compares it byte for byte
// with the committed one, so that a source edit without regeneration (or
// a generator change) cannot go unnoticed.
func TestSiteIsUpToDate(t *testing.T) {
	out := t.TempDir()
	if err := Generate(corpusDir, out); err != nil {
		t.Fatal(err)
	}
	want, err := readTree(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readTree(siteDir)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for name, data := range want {
		old, ok := got[name]
		switch {
		case !ok:
			problems = append(problems, "missing "+name)
		case !bytes.Equal(old, data):
			problems = append(problems, "differs "+name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			problems = append(problems, "extra "+name)
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		t.Fatalf("testdata/site is not what the sources produce: run go run ./cmd/stichwort-sitegen\n%s",
			strings.Join(problems, "\n"))
	}
}

// readTree reads the www and dokumente trees under dir, keyed by slash
// path.
func readTree(dir string) (map[string][]byte, error) {
	files := make(map[string][]byte)
	for _, host := range []string{HostWWW, HostDokumente} {
		root := filepath.Join(dir, host)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = data
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
	}
	return files, nil
}

func mustBuild(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	arts, err := LoadArticles(dir)
	if err != nil {
		tb.Fatal(err)
	}
	pdfs, err := LoadPDFs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	files, err := Build(arts, pdfs)
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestBuild(t *testing.T) {
	files := mustBuild(t, smallDir)
	page := func(name string) string {
		t.Helper()
		data, ok := files[name]
		if !ok {
			t.Fatalf("no file %s; have %v", name, slices.Sorted(func(yield func(string) bool) {
				for k := range files {
					if !yield(k) {
						return
					}
				}
			}))
		}
		return string(data)
	}
	tests := []struct {
		name, file  string
		contains    []string
		notContains []string
	}{
		{"article", "www/artikel/ulm-zwilling.html", []string{
			"<!DOCTYPE html>\n<html lang=\"de\">",
			`<meta charset="utf-8">`,
			"<title>Ulm plant digitalen Zwilling für die Innenstadt – eVerwaltung aktuell</title>",
			`<link rel="alternate" type="application/rss+xml" href="/feed.rss">`,
			`<link rel="canonical" href="http://www.stichwort.test/artikel/ulm-zwilling.html">`,
			`<meta name="description" content="Die Stadt Ulm will ein virtuelles Abbild ihrer Innenstadt aufbauen. Der Gemeinderat hat zugestimmt.">`,
			`<header class="site-header">`,
			"<h1>Ulm plant digitalen Zwilling für die Innenstadt</h1>",
			`<p class="lead">[22.10.2024] Die Stadt Ulm will`,
			"<p>Der Zwilling soll Verkehr &amp; Klima zeigen, sagt die Stadt: „Wir beginnen klein“.</p>",
			"<p>Kosten: weniger als &lt;1 Mio. Euro, &#34;vorerst&#34;. (sib)</p>",
			`<p class="download"><a href="/dokumente/test-beschluss.pdf">Der Beschluss zum Download (PDF)</a></p>`,
			`<p class="stichwoerter">Stichwörter: <a href="/stichwort/smart-city.html">Smart City</a>, <a href="/stichwort/digitale-zwillinge.html">Digitale Zwillinge</a>, <a href="/stichwort/politik.html">Politik</a></p>`,
			`<aside class="weitere"><h2>Weitere Meldungen</h2><ul><li><a href="/artikel/erfurt-cloud.html">`,
			`<footer class="site-footer">`, "© eVerwaltung aktuell",
		}, []string{"/intern/"}},
		{"PDF on the other host", "www/artikel/erfurt-cloud.html", []string{
			`<p class="download"><a href="http://dokumente.stichwort.test/beschluesse/test-dokument.pdf">`,
		}, nil},
		{"index", "www/index.html", []string{
			`<link rel="canonical" href="http://www.stichwort.test/">`,
			`<ul class="teaser-liste">
<li class="teaser"><a href="/artikel/ulm-zwilling.html">Ulm plant digitalen Zwilling für die Innenstadt</a> <span class="datum">22.10.2024</span> <p>Die Stadt Ulm`,
			`<p class="intern">Intern: <a href="/intern/intern-entwurf.html">Interner Entwurf zur E-Akte</a></p>`,
		}, []string{`<nav class="pagination">`, `class="teaser"><a href="/intern/`}},
		{"intern article", "www/intern/intern-entwurf.html", []string{
			`<link rel="canonical" href="http://www.stichwort.test/intern/intern-entwurf.html">`,
			"<p>Er darf nicht im Index landen. (sib)</p>",
		}, nil},
		{"tag page", "www/stichwort/politik.html", []string{
			"<title>Stichwort: Politik – eVerwaltung aktuell</title>",
			`<a href="/artikel/ulm-zwilling.html">`,
		}, []string{"/intern/"}},
		{"tag of an intern article only", "www/stichwort/e-akte.html", []string{`<ul class="teaser-liste">
</ul>`}, nil},
		{"feed", "www/feed.rss", []string{
			`<rss version="2.0">`,
			"<link>http://www.stichwort.test/artikel/ulm-zwilling.html</link>",
			"<guid>http://www.stichwort.test/artikel/ulm-zwilling.html</guid>",
			"<pubDate>Tue, 22 Oct 2024 00:00:00 GMT</pubDate>",
			"<category>Digitale Zwillinge</category>",
			"<description>Die Stadt Ulm will",
		}, []string{"intern"}},
		{"sitemap", "www/sitemap.xml", []string{
			`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`,
			"<loc>http://www.stichwort.test/</loc>",
			"<loc>http://www.stichwort.test/intern/intern-entwurf.html</loc>\n    <lastmod>2024-11-02</lastmod>",
			"<loc>http://www.stichwort.test/stichwort/smart-city.html</loc>",
		}, nil},
		{"robots", "www/robots.txt", []string{"User-agent: *\nDisallow: /intern/\nSitemap: http://www.stichwort.test/sitemap.xml\n"}, nil},
		{"PDF on www", "www/dokumente/test-beschluss.pdf", []string{"%PDF-"}, nil},
		{"PDF on dokumente", "dokumente/beschluesse/test-dokument.pdf", []string{"%PDF-"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := page(tt.file)
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("%s lacks %q", tt.file, s)
				}
			}
			for _, s := range tt.notContains {
				if strings.Contains(body, s) {
					t.Errorf("%s has %q", tt.file, s)
				}
			}
		})
	}
}

// TestBuildPagination checks listing pages, their navigation and the
// feed's length with more articles than one page holds.
func TestBuildPagination(t *testing.T) {
	var arts []Article
	for i := 23; i >= 1; i-- { // newest first, as LoadArticles sorts
		arts = append(arts, Article{
			Slug: fmt.Sprintf("a%02d", i), Title: fmt.Sprintf("Meldung %d", i),
			Date:   time.Date(2024, 1, i, 0, 0, 0, 0, time.UTC),
			Author: "sib", Tags: []string{"Politik"}, Lead: "Lead.", Body: []string{"Text."},
		})
	}
	files, err := Build(arts, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, nav string
		teasers   int
	}{
		{"www/index.html", `<nav class="pagination"><a rel="next" href="/archiv/seite-2.html">Ältere »</a></nav>`, 10},
		{"www/archiv/seite-2.html", `<nav class="pagination"><a rel="prev" href="/">« Neuere</a> <a rel="next" href="/archiv/seite-3.html">Ältere »</a></nav>`, 10},
		{"www/archiv/seite-3.html", `<nav class="pagination"><a rel="prev" href="/archiv/seite-2.html">« Neuere</a></nav>`, 3},
		{"www/stichwort/politik.html", "", 23},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := string(files[tt.file])
			if n := strings.Count(body, `<li class="teaser">`); n != tt.teasers {
				t.Errorf("%d teasers, want %d", n, tt.teasers)
			}
			if tt.nav == "" && strings.Contains(body, "pagination") || !strings.Contains(body, tt.nav) {
				t.Errorf("navigation wrong, want %q in\n%s", tt.nav, body)
			}
		})
	}
	if _, ok := files["www/archiv/seite-4.html"]; ok {
		t.Error("an empty fourth listing page exists")
	}
	if n := strings.Count(string(files["www/feed.rss"]), "<item>"); n != pageSize {
		t.Errorf("feed has %d items, want %d", n, pageSize)
	}
}

func TestBuildErrors(t *testing.T) {
	arts, err := LoadArticles(smallDir)
	if err != nil {
		t.Fatal(err)
	}
	pdfs, err := LoadPDFs(smallDir)
	if err != nil {
		t.Fatal(err)
	}
	withUnique := func(word string) []Article {
		a := slices.Clone(arts)
		a[1].Body = append(slices.Clone(a[1].Body), word)
		return a
	}
	tests := []struct {
		name string
		arts []Article
		pdfs []PDF
		want string
	}{
		{"missing PDF source", arts, pdfs[1:], `01-ulm-zwilling.txt:5: PDF "test-beschluss" has no source`},
		{"PDF nobody links", arts[:1], pdfs[1:], "test-dokument.txt: no article links this PDF"},
		{"unique word elsewhere", withUnique("Die Zwillingsbeiratsordnung."), pdfs, `Eindeutig "Zwillingsbeiratsordnung" also occurs in`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.arts, tt.pdfs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRenderPDF(t *testing.T) {
	pdfs, err := LoadPDFs(smallDir)
	if err != nil {
		t.Fatal(err)
	}
	p := pdfs[0]
	a, err := RenderPDF(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := RenderPDF(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renderings differ")
	}
	for _, s := range []string{"/CreationDate (D:20241021000000)", "/ModDate (D:20241021000000)", "/Producer (stichwort-sitegen)"} {
		if !bytes.Contains(a, []byte(s)) {
			t.Errorf("PDF lacks %q", s)
		}
	}

	res, err := pdftext.Extract(a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != p.Title || res.Pages != 2 || !strings.Contains(res.Text, "Größere Maßnahmen werden „öffentlich“ beraten – wie üblich.") {
		t.Errorf("extracted %+v", res)
	}

	long := p
	long.Pages = [][]Block{{{Text: strings.Repeat("Sehr langer Absatz. ", 800)}}}
	if _, err := RenderPDF(long); err == nil || !strings.Contains(err.Error(), "does not fit on one A4 page") {
		t.Errorf("overflowing page: err = %v", err)
	}
	odd := p
	odd.Pages = [][]Block{{{Text: "Zeichen ohne Glyphe: 漢"}}}
	if _, err := RenderPDF(odd); err == nil || !strings.Contains(err.Error(), "is not in the Go fonts") {
		t.Errorf("missing glyph: err = %v", err)
	}
}

func TestGenerateReplacesOldFiles(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, HostWWW, "artikel", "geloescht.html")
	mustWrite(t, stale, "alt")
	keep := filepath.Join(out, "LIESMICH.txt")
	mustWrite(t, keep, "bleibt")
	if err := Generate(smallDir, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale file survived: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("file outside www/ and dokumente/ removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, HostDokumente, "beschluesse", "test-dokument.pdf")); err != nil {
		t.Error(err)
	}
}
