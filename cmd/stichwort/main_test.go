package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"stichwort"
	"stichwort/internal/samplesite"
)

const (
	siteDir     = "../../testdata/site"
	articlesDir = "../../testdata/articles"
)

// fixture is what the sample corpus says the index must hold after a crawl.
type fixture struct {
	site     *samplesite.Site
	articles []samplesite.Article // public ones only
	intern   []samplesite.Article
	pdfs     []samplesite.PDF // linked from public articles
	pdfTags  map[string][]string
	pdfURL   map[string]string // name -> real URL
	parents  map[string][]string
}

func mustSite(tb testing.TB) *fixture {
	tb.Helper()
	site, err := samplesite.NewSite(siteDir)
	if err != nil {
		tb.Fatal(err)
	}
	if err := site.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { site.Close() })
	arts, err := samplesite.LoadArticles(articlesDir)
	if err != nil {
		tb.Fatal(err)
	}
	pdfs, err := samplesite.LoadPDFs(articlesDir)
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{site: site, pdfTags: map[string][]string{}, pdfURL: map[string]string{}, parents: map[string][]string{}}
	for _, a := range arts {
		if a.Intern {
			f.intern = append(f.intern, a)
			continue
		}
		f.articles = append(f.articles, a)
		for _, l := range a.PDFs {
			f.pdfTags[l.Name] = stichwort.CleanTags(append(f.pdfTags[l.Name], a.Tags...))
			f.parents[l.Name] = append(f.parents[l.Name], site.WWWURL()+a.Path())
		}
	}
	for _, p := range pdfs {
		if _, linked := f.pdfTags[p.Name]; !linked {
			continue
		}
		f.pdfs = append(f.pdfs, p)
		base := site.WWWURL()
		if p.Host == samplesite.HostDokumente {
			base = site.DokumenteURL()
		}
		f.pdfURL[p.Name] = base + p.Path()
	}
	if len(f.articles) < 30 || len(f.pdfs) < 4 || len(f.intern) == 0 {
		tb.Fatalf("fixture too small: %d articles, %d PDFs, %d intern", len(f.articles), len(f.pdfs), len(f.intern))
	}
	return f
}

// mustServe runs the real program: serve with the sample site as seed, and
// waits until the first crawl is done.
func mustServe(tb testing.TB, f *fixture, dataDir string) *Main {
	tb.Helper()
	m := NewMain()
	var out bytes.Buffer
	m.Stdout, m.Stderr = &out, io.Discard
	err := m.ParseFlags([]string{"serve", "--data", dataDir, "--addr", "127.0.0.1:0",
		"--seed", f.site.WWWURL() + "/", "--delay", "0", "--log-level", "error"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	select {
	case <-m.CrawlDone():
	case <-time.After(60 * time.Second):
		tb.Fatal("crawl did not finish within 60 s")
	}
	if !strings.Contains(out.String(), "http://"+m.Addr()) {
		tb.Errorf("the address was not printed: %q", out.String())
	}
	return m
}

type apiHit struct {
	ID, URL, Title, Type, Source, Snippet, Parent string
	Date                                          *string
	Tags                                          []string
}

type apiResult struct {
	Total  int      `json:"total"`
	Hits   []apiHit `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func getJSON(tb testing.TB, m *Main, path string, v any) int {
	tb.Helper()
	resp, err := http.Get("http://" + m.Addr() + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Fatalf("%s: content type %q", path, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("%s: %v: %s", path, err, body)
	}
	return resp.StatusCode
}

func search(tb testing.TB, m *Main, params url.Values) apiResult {
	tb.Helper()
	params.Set("size", "100")
	var res apiResult
	if code := getJSON(tb, m, "/api/search?"+params.Encode(), &res); code != http.StatusOK {
		tb.Fatalf("search %s: status %d", params.Encode(), code)
	}
	return res
}

func urls(hits []apiHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.URL)
	}
	slices.Sort(out)
	return out
}

func TestEndToEnd(t *testing.T) {
	f := mustSite(t)
	m := mustServe(t, f, t.TempDir())

	t.Run("everything crawled, robots obeyed", func(t *testing.T) {
		res := search(t, m, url.Values{})
		if want := len(f.articles) + len(f.pdfs); res.Total != want {
			t.Errorf("total %d documents, want %d articles + PDFs", res.Total, want)
		}
		for _, a := range f.intern {
			for _, h := range res.Hits {
				if strings.Contains(h.URL, "/intern/") || h.Title == a.Title {
					t.Errorf("robots-disallowed page indexed: %s", h.URL)
				}
			}
		}
		if r := search(t, m, url.Values{"q": {"Vertraulichkeitsvermerk"}}); r.Total != 0 {
			t.Errorf("a word of the disallowed page found %d documents", r.Total)
		}
	})

	t.Run("Zwillinge finds the digital-twin articles", func(t *testing.T) {
		res := search(t, m, url.Values{"q": {"Zwillinge"}})
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.URL] = true
		}
		for _, a := range f.articles {
			if slices.Contains(a.Tags, "Digitale Zwillinge") && !got[f.site.WWWURL()+a.Path()] {
				t.Errorf("missing %q", a.Title)
			}
		}
		if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Snippet+res.Hits[0].Title, "willing") {
			t.Errorf("first hit %+v does not look like a twin article", res.Hits)
		}
	})

	t.Run("tag filter narrows to exactly the tagged documents", func(t *testing.T) {
		for _, tag := range []string{"Smart City", "smart city", "Politik"} {
			var want []string
			for _, a := range f.articles {
				if hasTagKey(a.Tags, tag) {
					want = append(want, f.site.WWWURL()+a.Path())
				}
			}
			for name, tags := range f.pdfTags {
				if hasTagKey(tags, tag) {
					want = append(want, f.pdfURL[name])
				}
			}
			slices.Sort(want)
			res := search(t, m, url.Values{"tag": {tag}})
			if got := urls(res.Hits); !slices.Equal(got, want) {
				t.Errorf("tag %q: got %d %q, want %d %q", tag, len(got), got, len(want), want)
			}
		}
		both := search(t, m, url.Values{"tag": {"Smart City", "Digitale Zwillinge"}})
		for _, h := range both.Hits {
			if !hasTagKey(h.Tags, "Smart City") || !hasTagKey(h.Tags, "Digitale Zwillinge") {
				t.Errorf("two tags: hit %q has tags %q", h.Title, h.Tags)
			}
		}
	})

	t.Run("facet counts equal the fixture", func(t *testing.T) {
		wantTags, wantYears := map[string]int{}, map[string]int{}
		for _, a := range f.articles {
			for _, tag := range a.Tags {
				wantTags[tag]++
			}
			wantYears[fmt.Sprint(a.Date.Year())]++
		}
		for _, p := range f.pdfs {
			for _, tag := range f.pdfTags[p.Name] {
				wantTags[tag]++
			}
			wantYears[fmt.Sprint(p.Date.Year())]++
		}
		res := search(t, m, url.Values{})
		check := func(name string, want map[string]int) {
			got := map[string]int{}
			for _, v := range res.Facets[name] {
				got[v.Value] = v.Count
			}
			if !maps.Equal(got, want) {
				t.Errorf("facet %s = %v, want %v", name, got, want)
			}
		}
		check("tags", wantTags)
		check("year", wantYears)
		check("type", map[string]int{"article": len(f.articles), "pdf": len(f.pdfs)})
		srcs := map[string]int{}
		for _, v := range res.Facets["source"] {
			srcs[v.Value] = v.Count
		}
		if len(srcs) != 1 || srcs["127.0.0.1"] != len(f.articles)+len(f.pdfs) {
			// Both loopback hosts are 127.0.0.1; the port is not part of the source.
			t.Errorf("facet source = %v", srcs)
		}
	})

	t.Run("a PDF is found by its own word and carries its article's tags", func(t *testing.T) {
		for _, p := range f.pdfs {
			res := search(t, m, url.Values{"q": {p.Unique}})
			if res.Total != 1 || res.Hits[0].Type != "pdf" || res.Hits[0].URL != f.pdfURL[p.Name] {
				t.Errorf("%s: %q found %+v", p.Name, p.Unique, res.Hits)
				continue
			}
			h := res.Hits[0]
			if !slices.Equal(sorted(h.Tags), sorted(f.pdfTags[p.Name])) {
				t.Errorf("%s: tags %q, want %q", p.Name, h.Tags, f.pdfTags[p.Name])
			}
			if !slices.Contains(f.parents[p.Name], h.Parent) {
				t.Errorf("%s: parent %q, want one of %q", p.Name, h.Parent, f.parents[p.Name])
			}
			if !strings.Contains(h.Snippet, "<mark>") {
				t.Errorf("%s: snippet %q without highlight", p.Name, h.Snippet)
			}
			var doc struct{ Text string }
			if code := getJSON(t, m, "/api/docs/"+h.ID, &doc); code != 200 || !strings.Contains(doc.Text, p.Unique) {
				t.Errorf("%s: /api/docs: status %d, text without %q", p.Name, code, p.Unique)
			}
		}
	})

	t.Run("articles carry date, lead, body and author", func(t *testing.T) {
		a := f.articles[0]
		res := search(t, m, url.Values{"q": {`"` + a.Title + `"`}})
		if res.Total == 0 {
			t.Fatalf("article %q not found by its title", a.Title)
		}
		h := res.Hits[0]
		if h.Date == nil || *h.Date != a.Date.Format(time.DateOnly) {
			t.Errorf("date %v, want %s", h.Date, a.Date.Format(time.DateOnly))
		}
		var doc struct {
			Text, Author, Lead string
		}
		getJSON(t, m, "/api/docs/"+h.ID, &doc)
		if doc.Author != a.Author || doc.Lead != a.Lead || !strings.Contains(doc.Text, a.Body[len(a.Body)-1]) {
			t.Errorf("doc author %q lead %q; want %q %q and the last paragraph", doc.Author, doc.Lead, a.Author, a.Lead)
		}
		if strings.Contains(doc.Text, "("+a.Author+")") || strings.Contains(doc.Text, "Weitere Meldungen") {
			t.Errorf("body contains the author sign or a teaser: %q", doc.Text)
		}
	})

	t.Run("German search", func(t *testing.T) {
		for _, q := range []string{"Foederalismus", "Beschlüsse", "Beschluss", "Kindertagesstaetten", "Strasse"} {
			if res := search(t, m, url.Values{"q": {q}}); res.Total == 0 {
				t.Errorf("%q finds nothing", q)
			}
		}
	})

	t.Run("feeds parse", func(t *testing.T) {
		for _, path := range []string{"/feed.atom?tag=Smart+City", "/feed.rss?q=Zwillinge"} {
			resp, err := http.Get("http://" + m.Addr() + path)
			if err != nil {
				t.Fatal(err)
			}
			feed, err := gofeed.NewParser().Parse(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if len(feed.Items) == 0 || feed.Items[0].GUID != feed.Items[0].Link {
				t.Fatalf("%s: %d items", path, len(feed.Items))
			}
			for i := 1; i < len(feed.Items); i++ {
				if feed.Items[i].PublishedParsed.After(*feed.Items[i-1].PublishedParsed) {
					t.Errorf("%s: not newest first at item %d", path, i)
				}
			}
		}
	})

	t.Run("bad parameters give 400 with a JSON error", func(t *testing.T) {
		for _, q := range []string{"size=abc", "from=2024-13-45", "page=-1"} {
			var e struct{ Error string }
			if code := getJSON(t, m, "/api/search?"+q, &e); code != http.StatusBadRequest || e.Error == "" {
				t.Errorf("%s: status %d, error %q", q, code, e.Error)
			}
		}
	})

	t.Run("status", func(t *testing.T) {
		var st struct {
			Docs      int     `json:"docs"`
			Crawling  bool    `json:"crawling"`
			LastCrawl *string `json:"last_crawl"`
			Crawl     struct {
				Fetched, PDFs, Documents int
			} `json:"crawl"`
		}
		getJSON(t, m, "/api/status", &st)
		if st.Docs != len(f.articles)+len(f.pdfs) || st.LastCrawl == nil {
			t.Errorf("status %+v", st)
		}
		// Documents counts deliveries: a PDF linked twice is delivered twice.
		if st.Crawl.PDFs != len(f.pdfs) || st.Crawl.Documents < len(f.articles)+len(f.pdfs) || st.Crawl.Fetched < len(f.articles)+len(f.pdfs) {
			t.Errorf("status crawl counts %+v", st.Crawl)
		}
	})
}

func hasTagKey(tags []string, t string) bool {
	return slices.ContainsFunc(tags, func(s string) bool { return stichwort.TagKey(s) == stichwort.TagKey(t) })
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// run executes the program like the shell would and returns the exit code
// and the output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	m := NewMain()
	var out, errOut bytes.Buffer
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(stdin), &out, &errOut
	code := m.Main(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	f := mustSite(t)
	data := t.TempDir()

	if code, _, _ := run(t, "", "crawl", "--data", data, "--seed", f.site.WWWURL()+"/", "--delay", "0", "--log-level", "error"); code != 0 {
		t.Fatalf("crawl: exit %d", code)
	}
	code, out, _ := run(t, "", "search", "--data", data, "--json", "--tag", "Smart City", "Zwilling")
	var res apiResult
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Total == 0 {
		t.Fatalf("search --json: exit %d, %q", code, out)
	}
	code, out, _ = run(t, "", "search", "--data", data, "Zwillinge")
	if code != 0 || !strings.Contains(out, "Treffer") || !strings.Contains(out, "»") {
		t.Errorf("search: exit %d, %q", code, out)
	}

	// A second crawl is incremental: nothing changes.
	before := res.Total
	if code, _, _ := run(t, "", "crawl", "--data", data, "--seed", f.site.WWWURL()+"/", "--delay", "0", "--log-level", "error"); code != 0 {
		t.Fatalf("second crawl: exit %d", code)
	}
	_, out, _ = run(t, "", "search", "--data", data, "--json", "--tag", "Smart City", "Zwilling")
	if json.Unmarshal([]byte(out), &res) != nil || res.Total != before {
		t.Errorf("second crawl changed the result: %d, want %d", res.Total, before)
	}

	lines := `{"url":"https://archiv.example/a","title":"Glasfaserausbau im Landkreis","date":"2021-05-04","tags":["Breitband"],"body":"Der Kreistag beschließt den Ausbau."}
kaputt
{"title":"ohne URL"}

{"url":"https://archiv.example/b.pdf","title":"Förderrichtlinie","type":"pdf","body":"Richtlinie zur Förderung von Glasfaseranschlüssen."}
`
	code, _, errOut := run(t, lines, "import", "--data", data, "-")
	if code != 0 || !strings.Contains(errOut, "Zeile 2") || !strings.Contains(errOut, "Zeile 3") || !strings.Contains(errOut, "2 Dokumente importiert") {
		t.Errorf("import: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "", "reindex", "--data", data); code != 0 {
		t.Fatalf("reindex: exit %d", code)
	}
	_, out, _ = run(t, "", "search", "--data", data, "--json", "--size", "100", "Glasfaser")
	if json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("after import and reindex: %q", out)
	}
	got := urls(res.Hits)
	for _, u := range []string{"https://archiv.example/a", "https://archiv.example/b.pdf"} {
		if !slices.Contains(got, u) {
			t.Errorf("after import and reindex, Glasfaser does not find %s: %q", u, got)
		}
	}

	for _, args := range [][]string{
		{}, {"fliegen"}, {"search"}, {"crawl", "--data", data}, {"crawl", "--data", data, "--seed", "ftp://x"},
		{"search", "--data", data, "--type", "video", "x"}, {"import", "--data", data}, {"serve", "--data", data, "--bogus"},
	} {
		if code, _, _ := run(t, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if code, _, _ := run(t, "", "import", "--data", data, filepath.Join(t.TempDir(), "fehlt.jsonl")); code != 1 {
		t.Errorf("import of a missing file: exit %d, want 1", code)
	}
	if code, _, _ := run(t, "", "--help"); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
}
