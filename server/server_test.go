package server

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"stichwort"
	"stichwort/index"
)

// mustServer serves an index holding testdata/docs.jsonl.
func mustServer(tb testing.TB) (http.Handler, *index.Index) {
	tb.Helper()
	x, err := index.Open(tb.TempDir(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { x.Close() })
	f, err := os.Open("testdata/docs.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs []stichwort.Document
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		d, err := stichwort.ParseImportLine(sc.Bytes())
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, d)
	}
	if err := x.Put(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	h, err := New(x, Config{Version: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	return h, x
}

func get(tb testing.TB, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type apiResult struct {
	Total  int  `json:"total"`
	TookMS *int `json:"took_ms"`
	Hits   []struct {
		ID, URL, Title, Type, Source, Snippet, Parent string
		Date                                          *string
		Tags                                          []string
		Score                                         float64
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func TestAPISearch(t *testing.T) {
	h, _ := mustServer(t)
	rec := get(t, h, "/api/search?q=Zwillinge&tag=smart+city")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var res apiResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || len(res.Hits) != 2 || res.TookMS == nil {
		t.Fatalf("got %+v", res)
	}
	for _, name := range []string{"tags", "type", "year", "source"} {
		if res.Facets[name] == nil {
			t.Errorf("facet %s missing", name)
		}
	}
	for _, hit := range res.Hits {
		if hit.ID == "" || hit.URL == "" || hit.Date == nil || len(hit.Tags) == 0 || hit.Score <= 0 {
			t.Errorf("incomplete hit %+v", hit)
		}
		if hit.Type == "pdf" {
			continue
		}
		if !strings.Contains(hit.Snippet, "<mark>") {
			t.Errorf("snippet without highlight: %q", hit.Snippet)
		}
	}
}

func TestAPIBadParameters(t *testing.T) {
	h, _ := mustServer(t)
	for _, q := range []string{
		"size=abc", "size=0", "size=101", "size=-5", "page=-1", "page=0", "page=abc", "page=100000",
		"from=2024-13-45", "to=gestern", "to=0000-01-01", "from=9999-12-31", "from=2024-05-01&to=2024-04-01", "type=video", "sort=alphabet", "recent=vielleicht",
		"q=" + strings.Repeat("x", 501), "q=%ff%fe", strings.Repeat("tag=a&", 11), "tag=" + strings.Repeat("t", 101),
	} {
		t.Run(q[:min(len(q), 30)], func(t *testing.T) {
			rec := get(t, h, "/api/search?"+q)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Fatalf("body %q is not a JSON error", rec.Body)
			}
		})
	}
}

func TestAPIDocsAndStatus(t *testing.T) {
	h, _ := mustServer(t)
	id := stichwort.DocID("https://a.example/cloud")
	rec := get(t, h, "/api/docs/"+id)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	var d struct{ ID, Title, Text string }
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil || d.ID != id || !strings.Contains(d.Text, "Rechenzentren") {
		t.Fatalf("doc %+v err %v", d, err)
	}
	for _, p := range []string{"/api/docs/unbekannt", "/api/nichts", "/api/docs/" + strings.Repeat("a", 200)} {
		if rec := get(t, h, p); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("%s: status %d body %s", p, rec.Code, rec.Body)
		}
	}
	rec = get(t, h, "/api/status")
	var st struct {
		Docs      int     `json:"docs"`
		Crawling  bool    `json:"crawling"`
		LastCrawl *string `json:"last_crawl"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil || st.Docs != 7 || st.LastCrawl != nil {
		t.Fatalf("status %s err %v", rec.Body, err)
	}
}

func TestFeeds(t *testing.T) {
	h, _ := mustServer(t)
	for _, path := range []string{"/feed.atom", "/feed.rss"} {
		t.Run(path, func(t *testing.T) {
			rec := get(t, h, path+"?tag=Smart+City")
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if err := xml.Unmarshal(rec.Body.Bytes(), new(any)); err != nil {
				t.Fatalf("not XML: %v", err)
			}
			feed, err := gofeed.NewParser().ParseString(rec.Body.String())
			if err != nil {
				t.Fatal(err)
			}
			wantType := map[string]string{"/feed.atom": "atom", "/feed.rss": "rss"}[path]
			if feed.FeedType != wantType || len(feed.Items) != 3 {
				t.Fatalf("type %s, %d items", feed.FeedType, len(feed.Items))
			}
			if feed.Items[0].Link != "https://a.example/zwillinge-nrw" || feed.Items[0].GUID != feed.Items[0].Link {
				t.Errorf("first item %q guid %q, want the newest, id = URL", feed.Items[0].Link, feed.Items[0].GUID)
			}
			if feed.Items[0].PublishedParsed == nil && feed.Items[0].UpdatedParsed == nil {
				t.Error("item without date")
			}
		})
	}
	if rec := get(t, h, "/feed.atom?size=abc"); rec.Code != http.StatusBadRequest {
		t.Errorf("bad feed parameter: status %d", rec.Code)
	}
}

func TestPage(t *testing.T) {
	h, _ := mustServer(t)
	rec := get(t, h, "/?q=Beschluss+OR+Zwillinge&tag=Smart+City")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("li.treffer-eintrag").Length(); n != 3 {
		t.Errorf("%d hits on the page, want 3", n)
	}
	if doc.Find("html").AttrOr("lang", "") != "de" {
		t.Error("page language is not German")
	}
	counts := map[string]string{}
	doc.Find(".facette").Each(func(_ int, s *goquery.Selection) {
		facet := s.Find("h2").Text()
		s.Find("li a").Each(func(_ int, a *goquery.Selection) {
			label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a.Text()), a.Find(".anzahl").Text()))
			counts[facet+"/"+label] = a.Find(".anzahl").Text()
		})
	})
	for k, want := range map[string]string{"Stichwort/Smart City": "3", "Stichwort/Digitale Zwillinge": "3", "Stichwort/Politik": "1", "Typ/Artikel": "2", "Typ/Beschluss-PDF": "1", "Jahr/2024": "2"} {
		if counts[k] != want {
			t.Errorf("facet %s = %q, want %q (all %v)", k, counts[k], want, counts)
		}
	}
	chips := doc.Find(".chips li a")
	if chips.Length() != 2 || !strings.Contains(chips.First().Text(), "Smart City") {
		t.Errorf("chips: %q", chips.Text())
	}
	href, _ := chips.First().Attr("href")
	if u, _ := url.Parse(href); u.Query().Get("tag") != "" || u.Query().Get("q") != "Beschluss OR Zwillinge" {
		t.Errorf("chip link %q does not remove just the tag", href)
	}
	atom, _ := doc.Find("a.feed-atom").Attr("href")
	if u, _ := url.Parse(atom); u.Path != "/feed.atom" || u.Query().Get("q") != "Beschluss OR Zwillinge" || u.Query().Get("tag") != "Smart City" {
		t.Errorf("feed link %q is not this search", atom)
	}
	if doc.Find("mark").Length() == 0 {
		t.Error("no highlighted words")
	}
}

func TestPageEscapesCrawledText(t *testing.T) {
	h, _ := mustServer(t)
	for _, target := range []string{"/?q=Böse", "/?q=Zwillinge", "/dokument/" + stichwort.DocID("https://evil.example/x")} {
		rec := get(t, h, target)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<b>Hack") {
			t.Errorf("%s: crawled markup reached the page", target)
		}
	}
	rec := get(t, h, "/api/search?q=Böse")
	if strings.Contains(rec.Body.String(), "<img") {
		t.Error("crawled markup in the API snippet")
	}
}

func TestPageErrors(t *testing.T) {
	h, _ := mustServer(t)
	rec := get(t, h, "/?size=abc")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Parameter size") {
		t.Errorf("bad page parameter: status %d", rec.Code)
	}
	if rec := get(t, h, "/gibtsnicht"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown page: status %d", rec.Code)
	}
	if rec := get(t, h, "/dokument/gibtsnicht"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown document: status %d", rec.Code)
	}
	rec = get(t, h, "/?q=Quantencomputer")
	if !strings.Contains(rec.Body.String(), "Keine Treffer") {
		t.Error("no empty state")
	}
}

func TestPaging(t *testing.T) {
	h, _ := mustServer(t)
	rec := get(t, h, "/?size=2&page=2")
	doc, _ := goquery.NewDocumentFromReader(rec.Body)
	if n := doc.Find("li.treffer-eintrag").Length(); n != 2 {
		t.Fatalf("%d hits on page 2, want 2", n)
	}
	prev, _ := doc.Find("a[rel=prev]").Attr("href")
	next, _ := doc.Find("a[rel=next]").Attr("href")
	if !strings.Contains(next, "page=3") || strings.Contains(prev, "page=") || !strings.Contains(next, "size=2") {
		t.Errorf("prev %q next %q", prev, next)
	}
}

// FuzzAPI drives the search, document and feed handlers with arbitrary
// query strings: never a 500, always JSON or XML.
func FuzzAPI(f *testing.F) {
	h, _ := mustServer(f)
	for _, s := range []string{"q=Zwilling", "size=abc", "q=%22a&tag=x&tag=y&from=2024-01-01&to=2023-01-01", "page=9999&size=100", "q=-", "q=a+OR+-b+%22c", "type=pdf&sort=date", "q=%00%ff"} {
		f.Add("/api/search", s)
		f.Add("/feed.atom", s)
	}
	f.Add("/api/docs/x", "")
	f.Add("/", "q=<script>")
	f.Fuzz(func(t *testing.T, path, rawQuery string) {
		switch path {
		case "/api/search", "/feed.atom", "/feed.rss", "/", "/api/status":
		default:
			path = "/api/docs/" + url.PathEscape(path)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path, req.URL.RawQuery = path, rawQuery
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s?%s: status %d: %s", path, rawQuery, rec.Code, rec.Body)
		}
		ct := rec.Header().Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "application/json"):
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("invalid JSON: %s", rec.Body)
			}
		case strings.Contains(ct, "xml"):
			if err := xml.Unmarshal(rec.Body.Bytes(), new(any)); err != nil {
				t.Fatalf("invalid XML: %v", err)
			}
		}
	})
}

func TestHealth(t *testing.T) {
	h, _ := mustServer(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if rec := get(t, h, p); rec.Code != http.StatusOK || !json.Valid(rec.Body.Bytes()) {
			t.Errorf("%s: %d %s", p, rec.Code, rec.Body)
		}
	}
}
