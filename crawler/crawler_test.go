package crawler

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"stichwort"
)

// sampleSite starts the fixture site in testdata/site and a second host
// for PDFs, and returns both.
func sampleSite(t *testing.T) (www, docs *site) {
	t.Helper()
	www = newSite(t, "testdata/site")
	docs = newSite(t, "testdata/docs-does-not-exist")
	www.setSubst(map[string]string{"{{DOCS}}": docs.srv.URL})
	created := time.Date(2024, 10, 18, 9, 0, 0, 0, time.UTC)
	www.setFile("/dokumente/ulm-vorlage.pdf", mustPDF(t, "Beschlussvorlage Digitaler Zwilling Ulm", created,
		"Beschlussvorlage\n\nDer Gemeinderat möge beschließen, ein digitales Stadtmodell für die Innenstadt aufzubauen.",
		"Anlage: Kostenschätzung über 1,2 Millionen Euro."), "")
	// Tag pages are listings: crawled for links, never documents.
	www.handle("/stichwort/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := fmt.Sprintf(`<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Stichwort – eVerwaltung aktuell</title></head>
<body><main><h1>Stichwort %s</h1><ul class="teaser-liste"><li class="teaser"><a href="/artikel/ulm-zwilling.html">Ulm plant digitalen Zwilling</a></li></ul></main></body></html>`,
			html.EscapeString(path.Base(r.URL.Path)))
		http.ServeContent(w, r, "", modTime, strings.NewReader(page))
	})
	www.setFile("/bild.png", []byte("\x89PNG\r\n\x1a\n kein echtes Bild"), "image/png")
	www.setFile("/dokumente/kaputt.pdf", []byte("%PDF-1.4\nkein echtes PDF\n%%EOF"), "")
	docs.setFile("/beschluesse/dmk-2024.pdf", mustPDF(t, "", time.Time{},
		"Beschluss der Digitalministerkonferenz vom 18.10.2024\n\nDie Länder vereinbaren gemeinsame Standards für Souveränitätsprüfungen."), "")
	docs.setFile("/beschluesse/verschluesselt.pdf", buildPDF(t, "Geheim", created, func(p *fpdf.Fpdf) {
		p.SetProtection(fpdf.CnProtectPrint, "benutzer", "eigentuemer")
	}, "Nur mit Passwort lesbar."), "")
	return www, docs
}

func TestCrawlSite(t *testing.T) {
	www, docs := sampleSite(t)
	col := newCollector()
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true // the PDF host is another loopback server
	cfg.Logger = testLogger(t)
	c := mustCrawler(t, cfg, col.sink)
	st := mustRun(t, c)

	art := func(slug string) string { return www.url("/artikel/" + slug + ".html") }
	wantURLs := []string{
		art("cp1252"), art("kita-portal"), art("latin1"), art("nur-feed"), art("nur-robots-sitemap"),
		art("nur-sitemap"), art("ulm-zwilling"),
		docs.url("/beschluesse/dmk-2024.pdf"),
		www.url("/dokumente/ulm-vorlage.pdf"),
	}
	// nur-seite-2 and its copy without canonical have the same text: one
	// of them is indexed, whichever came first.
	got := col.urls()
	var dup []string
	got = slices.DeleteFunc(got, func(u string) bool {
		if u == art("nur-seite-2") || u == art("kopie") {
			dup = append(dup, u)
			return true
		}
		return false
	})
	slices.Sort(wantURLs)
	if !slices.Equal(got, wantURLs) {
		t.Errorf("documents:\n got %q\nwant %q", got, wantURLs)
	}
	if len(dup) != 1 {
		t.Errorf("same text under two URLs gave %d documents %q, want 1", len(dup), dup)
	}

	t.Run("article fields", func(t *testing.T) {
		d, ok := col.byURL(art("ulm-zwilling"))
		if !ok {
			t.Fatal("no Ulm article")
		}
		want := stichwort.Document{
			ID: stichwort.DocID(art("ulm-zwilling")), URL: art("ulm-zwilling"), Type: stichwort.TypeArticle,
			Source: "127.0.0.1", Title: "Ulm plant digitalen Zwilling für die Innenstadt",
			Lead:   "Die Stadt Ulm will bis 2026 ein digitales Abbild ihrer Innenstadt aufbauen. Der Gemeinderat hat zugestimmt.",
			Author: "sib", Date: time.Date(2024, 10, 22, 0, 0, 0, 0, time.UTC),
			Tags:  []string{"Smart City", "Digitale Zwillinge", "Politik"},
			Links: []string{www.url("/dokumente/ulm-vorlage.pdf"), docs.url("/beschluesse/dmk-2024.pdf")},
		}
		if d.ID != want.ID || d.URL != want.URL || d.Type != want.Type || d.Source != want.Source ||
			d.Title != want.Title || d.Lead != want.Lead || d.Author != want.Author || !d.Date.Equal(want.Date) ||
			!slices.Equal(d.Tags, want.Tags) || !slices.Equal(d.Links, want.Links) {
			t.Errorf("Ulm article:\n got %+v\nwant %+v", d, want)
		}
		if strings.Contains(d.Body, "(sib)") || strings.Contains(d.Body, "Weitere Meldungen") || strings.Contains(d.Body, "PDF") {
			t.Errorf("body has author mark, aside or download line: %q", d.Body)
		}
		if d.Hash == "" || d.FetchedAt.IsZero() {
			t.Errorf("hash %q, fetched at %v", d.Hash, d.FetchedAt)
		}
	})

	t.Run("charsets", func(t *testing.T) {
		for _, tt := range []struct{ url, title, inBody string }{
			{art("latin1"), "Bürgerbüro öffnet länger", "Außerdem lassen sich Termine für Ausweise und Führerscheine"},
			{art("cp1252"), "„Smarte“ Straßenlaternen sparen 40 % Strom", "„Das spart Geld und Wege“"},
		} {
			d, ok := col.byURL(tt.url)
			if !ok {
				t.Errorf("no document for %s", tt.url)
				continue
			}
			if d.Title != tt.title || !strings.Contains(d.Body, tt.inBody) {
				t.Errorf("%s: title %q, body %q", tt.url, d.Title, d.Body)
			}
		}
		if d, _ := col.byURL(art("cp1252")); !strings.Contains(d.Lead, "– für 300.000 €") {
			t.Errorf("cp1252 lead %q", d.Lead)
		}
	})

	t.Run("pdf on a second host", func(t *testing.T) {
		d, ok := col.byURL(docs.url("/beschluesse/dmk-2024.pdf"))
		if !ok {
			t.Fatal("no DMK PDF")
		}
		if d.Type != stichwort.TypePDF || d.Source != "127.0.0.1" || d.Pages != 1 {
			t.Errorf("type %q source %q pages %d", d.Type, d.Source, d.Pages)
		}
		if !strings.Contains(d.Body, "Souveränitätsprüfungen") {
			t.Errorf("body %q", d.Body)
		}
		if want := []string{art("kita-portal"), art("ulm-zwilling")}; !slices.Equal(d.Parents, want) {
			t.Errorf("parents %q, want %q", d.Parents, want)
		}
		// The union of both parents' Stichwörter, in the order of the
		// parents' URLs; "Smart City" and "smart city" are one.
		if want := []string{"Kita", "Politik", "smart city", "Digitale Zwillinge"}; !slices.Equal(d.Tags, want) {
			t.Errorf("tags %q, want %q", d.Tags, want)
		}
		// No title in the file: the first line of text, or the link text.
		if d.Title == "" {
			t.Error("PDF without title")
		}
		v, _ := col.byURL(www.url("/dokumente/ulm-vorlage.pdf"))
		if v.Title != "Beschlussvorlage Digitaler Zwilling Ulm" || v.Pages != 2 || !slices.Equal(v.Parents, []string{art("ulm-zwilling")}) {
			t.Errorf("Ulm PDF: title %q pages %d parents %q", v.Title, v.Pages, v.Parents)
		}
		if !slices.Equal(v.Tags, []string{"Smart City", "Digitale Zwillinge", "Politik"}) {
			t.Errorf("Ulm PDF tags %q", v.Tags)
		}
	})

	t.Run("politeness and robots", func(t *testing.T) {
		for _, s := range []*site{www, docs} {
			reqs := s.requests()
			if len(reqs) == 0 || reqs[0].path != "/robots.txt" {
				t.Errorf("first request is not robots.txt: %v", s.paths())
			}
			for _, r := range reqs {
				if r.userAgent != DefaultUserAgent {
					t.Errorf("%s: User-Agent %q", r.path, r.userAgent)
				}
			}
			if s.maxInFlight > 2 {
				t.Errorf("%d requests in flight to one host, want at most 2", s.maxInFlight)
			}
		}
		for _, p := range www.paths() {
			if strings.HasPrefix(p, "/intern/") || strings.HasPrefix(p, "/druck/") {
				t.Errorf("fetched %s, which robots.txt disallows", p)
			}
		}
		// /intern/geheim.html (footer and sitemap: one URL) and /druck/index.html.
		if st.RobotsBlocked != 2 {
			t.Errorf("RobotsBlocked = %d, want 2", st.RobotsBlocked)
		}
	})

	t.Run("discovery", func(t *testing.T) {
		for _, p := range []string{"/sitemap.xml", "/sitemaps/artikel.xml.gz", "/sitemaps/seiten.xml", "/sitemaps/extra.xml", "/feed.rss", "/archiv/seite-2.html"} {
			if www.count(p) != 1 {
				t.Errorf("%s requested %d times, want 1", p, www.count(p))
			}
		}
		if n := www.count("/artikel/kita-portal.html"); n != 1 {
			t.Errorf("kita-portal fetched %d times; tracking parameters and fragments should be dropped", n)
		}
		if n := www.count("/bild.png"); n != 1 {
			t.Errorf("bild.png fetched %d times", n)
		}
	})

	t.Run("stats", func(t *testing.T) {
		if st.Failed != 3 { // fehlt.html 404, kaputt.pdf, verschluesselt.pdf
			t.Errorf("Failed = %d, want 3", st.Failed)
		}
		if st.PDFs != 4 {
			t.Errorf("PDFs = %d, want 4", st.PDFs)
		}
		if st.Duplicates != 2 { // the print version (canonical) and the copy (hash)
			t.Errorf("Duplicates = %d, want 2", st.Duplicates)
		}
		if st.Skipped != 1 { // bild.png
			t.Errorf("Skipped = %d, want 1", st.Skipped)
		}
		if st.Documents != len(col.all) || st.Running || st.Queued != 0 {
			t.Errorf("stats %+v, sink got %d", st, len(col.all))
		}
		if p := c.Progress(); p.Documents != st.Documents || p.Running {
			t.Errorf("Progress after Run = %+v", p)
		}
	})
}

func TestNewErrors(t *testing.T) {
	sink := func(context.Context, []stichwort.Document) error { return nil }
	for _, tt := range []struct {
		name string
		cfg  Config
		sink Sink
	}{
		{"no seeds", Config{}, sink},
		{"bad seed", Config{Seeds: []string{"ftp://x/"}}, sink},
		{"nil sink", Config{Seeds: []string{"http://127.0.0.1/"}}, nil},
		{"negative", Config{Seeds: []string{"http://127.0.0.1/"}, MaxPages: -1}, sink},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg, tt.sink); !errors.Is(err, ErrConfig) {
				t.Errorf("New error = %v, want ErrConfig", err)
			}
		})
	}
}
