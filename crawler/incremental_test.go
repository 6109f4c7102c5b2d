package crawler

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stichwort"
	"stichwort/crawler/state"
)

// TestIncremental crawls the sample site three times on one state file,
// each time with a new Crawler, as separate processes would.
func TestIncremental(t *testing.T) {
	www, docs := sampleSite(t)
	statePath := filepath.Join(t.TempDir(), "crawl.db")
	newRun := func(t *testing.T) (*Crawler, *collector) {
		col := newCollector()
		cfg := testConfig(www.url("/"))
		cfg.AllowPrivate = true
		cfg.StatePath = statePath
		cfg.BatchSize = 3
		cfg.Logger = testLogger(t)
		c, err := New(cfg, col.sink)
		if err != nil {
			t.Fatal(err)
		}
		return c, col
	}
	run := func(t *testing.T) (Stats, *collector) {
		t.Helper()
		www.resetLog()
		docs.resetLog()
		c, col := newRun(t)
		st := mustRun(t, c)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return st, col
	}

	first, col1 := run(t)
	firstPaths := append(www.paths(), docs.paths()...)
	slices.Sort(firstPaths)
	if len(col1.byID) != 10 || col1.batches < 3 {
		t.Fatalf("first run: %d documents in %d batches", len(col1.byID), col1.batches)
	}
	kitaURL := www.url("/artikel/kita-portal.html")
	kita, _ := col1.byURL(kitaURL)

	t.Run("second run sends conditional requests and no documents", func(t *testing.T) {
		st, col := run(t)
		if len(col.all) != 0 {
			t.Errorf("second run sent %d documents: %q", len(col.all), col.urls())
		}
		for _, s := range []*site{www, docs} {
			for _, r := range s.requests() {
				if r.path == "/robots.txt" || r.path == "/artikel/fehlt.html" {
					continue
				}
				if r.ifNoneMatch == "" && r.ifModSince == "" {
					t.Errorf("%s: no conditional request (If-None-Match %q, If-Modified-Since %q)", r.path, r.ifNoneMatch, r.ifModSince)
				}
			}
		}
		// The frontier is rebuilt from stored links: every URL is reached
		// again, although nothing was downloaded.
		paths := append(www.paths(), docs.paths()...)
		slices.Sort(paths)
		if !slices.Equal(paths, firstPaths) {
			t.Errorf("second run requested\n%q\nfirst run\n%q", paths, firstPaths)
		}
		// Everything but the two robots.txt and the 404 is a 304.
		if st.NotModified != len(paths)-3 || st.Fetched != 0 || st.Failed != 1 || st.Unchanged != 0 {
			t.Errorf("second run stats %+v (first %+v)", st, first)
		}
	})

	t.Run("changed article is re-sent with the same id", func(t *testing.T) {
		orig, err := os.ReadFile("testdata/site/artikel/kita-portal.html")
		if err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(www.subst.Replace(string(orig)),
			"<p>Das Portal zeigt", "<p>Nachtrag: Auch Tagespflegepersonen sind jetzt dabei.</p>\n<p>Das Portal zeigt", 1)
		changed = strings.Replace(changed, `<a href="/stichwort/kita.html">Kita</a>`, `<a href="/stichwort/kita.html">Kita</a>, <a href="/stichwort/datenschutz.html">Datenschutz</a>`, 1)
		www.setFile("/artikel/kita-portal.html", []byte(changed), "text/html; charset=utf-8")

		_, col := run(t)
		got, ok := col.byURL(kitaURL)
		if !ok {
			t.Fatalf("changed article not re-sent; got %q", col.urls())
		}
		if got.ID != kita.ID || !strings.Contains(got.Body, "Tagespflegepersonen") {
			t.Errorf("re-sent article: id %q (was %q), body %q", got.ID, kita.ID, got.Body)
		}
		// Its PDF on the second host inherits the new Stichwort and is
		// re-sent without being downloaded again.
		pdf, ok := col.byURL(docs.url("/beschluesse/dmk-2024.pdf"))
		if !ok || !slices.Contains(pdf.Tags, "Datenschutz") {
			t.Errorf("DMK PDF not re-sent with the new tag: %v %q", ok, pdf.Tags)
		}
		if docs.count("/beschluesse/dmk-2024.pdf") != 1 {
			t.Errorf("PDF requested %d times", docs.count("/beschluesse/dmk-2024.pdf"))
		}
		if urls := col.urls(); len(urls) != 2 {
			t.Errorf("third run sent %q, want the article and its PDF", urls)
		}
	})

	t.Run("a new article linking an indexed PDF re-sends it with merged parents", func(t *testing.T) {
		neu := articleHTML("Neue Meldung zur DMK", "23.10.2024",
			`<p class="download"><a href="`+docs.url("/beschluesse/dmk-2024.pdf")+`">Beschlüsse (PDF)</a></p>`, "Digitalministerkonferenz")
		www.setFile("/artikel/neu.html", []byte(neu), "text/html; charset=utf-8")
		idx, _ := os.ReadFile("testdata/site/index.html")
		www.setFile("/index.html", []byte(strings.Replace(www.subst.Replace(string(idx)),
			`<ul class="teaser-liste">`, `<ul class="teaser-liste"><li><a href="/artikel/neu.html">Neu</a></li>`, 1)), "text/html; charset=utf-8")

		_, col := run(t)
		pdf, ok := col.byURL(docs.url("/beschluesse/dmk-2024.pdf"))
		if !ok {
			t.Fatalf("PDF not re-sent; got %q", col.urls())
		}
		if !slices.Contains(pdf.Parents, www.url("/artikel/neu.html")) || len(pdf.Parents) != 3 ||
			!slices.Contains(pdf.Tags, "Digitalministerkonferenz") || !slices.Contains(pdf.Tags, "smart city") {
			t.Errorf("PDF parents %q tags %q", pdf.Parents, pdf.Tags)
		}
	})
}

// TestIncrementalInMemory: without a state file, a second Run of the same
// Crawler is still incremental.
func TestIncrementalInMemory(t *testing.T) {
	www, _ := sampleSite(t)
	col := newCollector()
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true
	c := mustCrawler(t, cfg, col.sink)
	mustRun(t, c)
	n := len(col.all)
	st := mustRun(t, c)
	if len(col.all) != n || st.NotModified == 0 {
		t.Errorf("second in-memory run sent %d more documents, %d not modified", len(col.all)-n, st.NotModified)
	}
}

func TestSinkErrorKeepsState(t *testing.T) {
	www, _ := sampleSite(t)
	statePath := filepath.Join(t.TempDir(), "crawl.db")
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true
	cfg.StatePath = statePath
	cfg.BatchSize = 4

	full := errors.New("index voll")
	col := newCollector()
	col.fail = full
	c := mustCrawler(t, cfg, col.sink)
	if _, err := c.Run(context.Background()); !errors.Is(err, full) {
		t.Fatalf("Run with failing sink: %v, want %v", err, full)
	}
	c.Close()

	// Nothing was recorded as done: the next run delivers everything.
	col2 := newCollector()
	c2 := mustCrawler(t, cfg, col2.sink)
	mustRun(t, c2)
	if len(col2.byID) != 10 {
		t.Errorf("after a failed sink, the next run sent %d documents, want 10", len(col2.byID))
	}
}

func TestStateLocked(t *testing.T) {
	cfg := testConfig("http://127.0.0.1:1/")
	cfg.StatePath = filepath.Join(t.TempDir(), "crawl.db")
	mustCrawler(t, cfg, newCollector().sink)
	if _, err := New(cfg, newCollector().sink); !errors.Is(err, state.ErrLocked) {
		t.Errorf("second New on the same state: %v, want state.ErrLocked", err)
	}
}

func TestMaxPages(t *testing.T) {
	www, docs := sampleSite(t)
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true
	cfg.MaxPages = 3
	col := newCollector()
	st := mustRun(t, mustCrawler(t, cfg, col.sink))
	n := 0
	for _, p := range append(www.paths(), docs.paths()...) {
		if strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".pdf") || p == "/" {
			n++
		}
	}
	if n > 3 || st.Fetched > 3 {
		t.Errorf("%d pages requested, %d fetched with MaxPages 3", n, st.Fetched)
	}
}

func TestClosed(t *testing.T) {
	c := mustCrawler(t, testConfig("http://127.0.0.1:1/"), func(context.Context, []stichwort.Document) error { return nil })
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Run after Close: %v", err)
	}
}
