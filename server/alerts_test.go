package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"stichwort"
	"stichwort/index"
	"stichwort/index/alerts"
)

func mustJSON(tb testing.TB, data []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("%v: %s", err, data)
	}
}

// alertServer is a server over a real index (testdata/docs.jsonl) and a
// real alert store, both in temporary folders.
type alertServer struct {
	h     http.Handler
	idx   *index.Index
	store *alerts.Store
	path  string
}

func mustAlertServer(tb testing.TB, cfg Config, opts ...alerts.Options) *alertServer {
	tb.Helper()
	_, x := mustServer(tb)
	path := filepath.Join(tb.TempDir(), "alerts.db")
	var o alerts.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	st, err := alerts.Open(path, o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	cfg.Alerts, cfg.Version = st, "test"
	h, err := New(x, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return &alertServer{h: h, idx: x, store: st, path: path}
}

func do(tb testing.TB, h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type createdAlert struct {
	ID, Name, Q, Feed, Webhook string
	FeedRSS                    string `json:"feed_rss"`
	Tags                       []string
	Type                       any
	Matches                    *int
}

func mustCreateAlert(tb testing.TB, h http.Handler, body string) createdAlert {
	tb.Helper()
	rec := do(tb, h, http.MethodPost, "/api/alerts", body, "Content-Type", "application/json")
	if rec.Code != http.StatusCreated {
		tb.Fatalf("create %s: status %d: %s", body, rec.Code, rec.Body)
	}
	var a createdAlert
	mustJSON(tb, rec.Body.Bytes(), &a)
	return a
}

func TestAlertCRUD(t *testing.T) {
	s := mustAlertServer(t, Config{})
	rec := do(t, s.h, http.MethodPost, "/api/alerts", `{"name":"Zwillinge","q":"digitale Zwillinge","tags":["Smart City"],"type":"article"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var a createdAlert
	mustJSON(t, rec.Body.Bytes(), &a)
	if !alerts.ValidID(a.ID) || a.Feed != "/alerts/"+a.ID+"/feed.atom" || a.FeedRSS != "/alerts/"+a.ID+"/feed.rss" {
		t.Fatalf("created %+v", a)
	}
	if loc := rec.Header().Get("Location"); loc != "/api/alerts/"+a.ID {
		t.Errorf("Location %q", loc)
	}
	if b := mustCreateAlert(t, s.h, `{"q":"Kita"}`); b.ID == a.ID || b.Name != "„Kita“" {
		t.Errorf("second alert %+v (the name defaults to the search)", b)
	}

	rec = get(t, s.h, "/api/alerts/"+a.ID)
	var got createdAlert
	mustJSON(t, rec.Body.Bytes(), &got)
	if rec.Code != http.StatusOK || got.Name != "Zwillinge" || got.Q != "digitale Zwillinge" || got.Type != "article" ||
		len(got.Tags) != 1 || got.Matches == nil || *got.Matches != 0 {
		t.Errorf("get: %d %+v", rec.Code, got)
	}
	for _, path := range []string{a.Feed, a.FeedRSS} {
		rec := get(t, s.h, path)
		feed, err := gofeed.NewParser().ParseString(rec.Body.String())
		if rec.Code != http.StatusOK || err != nil || len(feed.Items) != 0 || !strings.Contains(feed.Title, "Zwillinge") {
			t.Errorf("%s: status %d, %v, %+v", path, rec.Code, err, feed)
		}
	}

	if rec := do(t, s.h, http.MethodDelete, "/api/alerts/"+a.ID, ""); rec.Code != http.StatusNoContent {
		t.Errorf("delete: status %d", rec.Code)
	}
	for _, path := range []string{"/api/alerts/" + a.ID, a.Feed, "/api/alerts/nicht-hex", "/alerts/nicht-hex/feed.rss"} {
		rec := get(t, s.h, path)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s after delete: status %d", path, rec.Code)
		}
	}
	if rec := do(t, s.h, http.MethodDelete, "/api/alerts/"+a.ID, ""); rec.Code != http.StatusNotFound {
		t.Errorf("second delete: status %d", rec.Code)
	}
	var e struct{ Error string }
	mustJSON(t, get(t, s.h, "/api/alerts/"+a.ID).Body.Bytes(), &e)
	if e.Error != "Alarm nicht gefunden" {
		t.Errorf("404 message %q", e.Error)
	}
}

func TestAlertValidation(t *testing.T) {
	s := mustAlertServer(t, Config{})
	tests := []struct {
		name, body string
		status     int
	}{
		{"not JSON", `{"q":`, 400},
		{"not an object", `["q"]`, 400},
		{"unknown field", `{"q":"x","sort":"date"}`, 400},
		{"two objects", `{"q":"a"}{"q":"b"}`, 400},
		{"bad type", `{"q":"x","type":"video"}`, 400},
		{"type of wrong kind", `{"type":3}`, 400},
		{"query too long", `{"q":"` + strings.Repeat("a", 501) + `"}`, 400},
		{"too many tags", `{"tags":["1","2","3","4","5","6","7","8","9","10","11"]}`, 400},
		{"bad date", `{"from":"2024-13-01"}`, 400},
		{"dates reversed", `{"from":"2024-02-01","to":"2024-01-01"}`, 400},
		{"bad year", `{"year":[99]}`, 400},
		{"unknown Bundesland", `{"state":["Atlantis"]}`, 400},
		{"name too long", `{"name":"` + strings.Repeat("n", 201) + `"}`, 400},
		{"name with control characters", `{"name":"a\u0007b"}`, 400},
		{"webhook not http", `{"webhook":"ftp://example.org/x"}`, 400},
		{"webhook relative", `{"webhook":"/hook"}`, 400},
		{"webhook with credentials", `{"webhook":"https://u:p@example.org/"}`, 400},
		{"webhook on loopback", `{"webhook":"http://127.0.0.1:8080/"}`, 400},
		{"webhook on a private network", `{"webhook":"http://10.0.0.7/"}`, 400},
		{"webhook on localhost", `{"webhook":"http://localhost:9/"}`, 400},
		{"body too large", `{"q":"` + strings.Repeat("x", 17<<10) + `"}`, 413},
		{"several types", `{"type":["article","pdf"],"year":[2024],"state":["Bayern"],"source":["a.example"]}`, 201},
		{"a public webhook", `{"q":"x","webhook":"https://hooks.example.org/stichwort"}`, 201},
		{"nothing: every new document", `{}`, 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, s.h, http.MethodPost, "/api/alerts", tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", rec.Header().Get("Content-Type"))
			}
			if tc.status >= 400 {
				var e struct{ Error string }
				mustJSON(t, rec.Body.Bytes(), &e)
				if e.Error == "" || strings.Contains(e.Error, "alerts:") || strings.Contains(e.Error, "json:") {
					t.Errorf("error %q is not a German message", e.Error)
				}
			}
		})
	}
	if n := len(s.store.List()); n != 3 {
		t.Errorf("%d alerts stored, want only the 3 valid ones", n)
	}
}

func TestAlertsSurviveReopen(t *testing.T) {
	s := mustAlertServer(t, Config{})
	a := mustCreateAlert(t, s.h, `{"name":"Cloud","q":"Verwaltungscloud"}`)
	d := stichwort.Document{URL: "https://a.example/cloud-neu", Title: "Neues zur Verwaltungscloud", Source: "a.example",
		Date: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), Body: "Die Verwaltungscloud wächst."}
	if err := s.idx.Put(context.Background(), []stichwort.Document{d}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.store.Percolate(context.Background(), s.idx.NewPercolator(), []stichwort.Document{d}); err != nil || n != 1 {
		t.Fatalf("percolate: %d %v", n, err)
	}
	if err := s.store.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := alerts.Open(s.path, alerts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := New(s.idx, Config{Alerts: st})
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(t, h, "/api/alerts/"+a.ID); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Verwaltungscloud") {
		t.Fatalf("after reopening: %d %s", rec.Code, rec.Body)
	}
	feed, err := gofeed.NewParser().ParseString(get(t, h, a.Feed).Body.String())
	if err != nil || len(feed.Items) != 1 || feed.Items[0].GUID != d.URL {
		t.Fatalf("feed after reopening: %v %+v", err, feed)
	}
}

func TestAlertFeed(t *testing.T) {
	var mu sync.Mutex
	clock := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	s := mustAlertServer(t, Config{}, alerts.Options{Now: now})
	a := mustCreateAlert(t, s.h, `{"name":"Zwillinge","q":"Zwilling"}`)
	p := s.idx.NewPercolator()
	ctx := context.Background()
	percolate := func(docs ...stichwort.Document) {
		t.Helper()
		if err := s.idx.Put(ctx, docs); err != nil {
			t.Fatal(err)
		}
		if _, err := s.store.Percolate(ctx, p, docs); err != nil {
			t.Fatal(err)
		}
	}
	recent := stichwort.Document{URL: "https://a.example/neu", Title: "Ein neuer Zwilling", Source: "a.example",
		Date: time.Now().UTC().Truncate(24 * time.Hour), Tags: []string{"Smart City"}, Lead: "Aktuell."}
	old := stichwort.Document{URL: "https://a.example/alt", Title: "Ein alter Zwilling, erst jetzt gefunden", Source: "a.example",
		Date: time.Date(2014, 3, 3, 0, 0, 0, 0, time.UTC), Tags: []string{"Digitale Zwillinge", "Archiv"}, Lead: "Aus dem Archiv."}
	other := stichwort.Document{URL: "https://a.example/kita", Title: "Kita-Portal", Source: "a.example", Date: time.Now()}
	percolate(recent, other)
	first := get(t, s.h, a.Feed)
	mu.Lock()
	clock = clock.Add(time.Hour) // the next batch, an hour later
	mu.Unlock()
	percolate(old)

	for _, path := range []string{a.Feed, a.FeedRSS} {
		rec := get(t, s.h, path)
		feed, err := gofeed.NewParser().ParseString(rec.Body.String())
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Items) != 2 {
			t.Fatalf("%s: %d items", path, len(feed.Items))
		}
		// Newest discovery first, although its publication is the oldest.
		if feed.Items[0].GUID != old.URL || feed.Items[1].GUID != recent.URL {
			t.Errorf("%s: order %s, %s", path, feed.Items[0].GUID, feed.Items[1].GUID)
		}
		it := feed.Items[0]
		if it.PublishedParsed == nil || !it.PublishedParsed.Equal(old.Date) {
			t.Errorf("%s: published %v, want the publication date", path, it.PublishedParsed)
		}
		if strings.HasSuffix(path, ".atom") && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(now())) {
			t.Errorf("%s: updated %v, want the time of discovery", path, it.UpdatedParsed)
		}
		if len(it.Categories) != 2 || it.Categories[0] != "Digitale Zwillinge" || it.Description != "Aus dem Archiv." {
			t.Errorf("%s: %q %q", path, it.Categories, it.Description)
		}
	}
	t.Run("conditional GET", func(t *testing.T) {
		if rec := get(t, s.h, a.Feed, "If-Modified-Since", first.Header().Get("Last-Modified")); rec.Code != http.StatusOK {
			t.Errorf("after a new match: status %d", rec.Code)
		}
		now := get(t, s.h, a.Feed)
		for _, h := range [][]string{{"If-None-Match", now.Header().Get("ETag")}, {"If-Modified-Since", now.Header().Get("Last-Modified")}} {
			if rec := get(t, s.h, a.Feed, h...); rec.Code != http.StatusNotModified {
				t.Errorf("%s: status %d", h[0], rec.Code)
			}
		}
	})
}

func TestAdminEndpoints(t *testing.T) {
	crawls := 0
	var crawlErr error
	s := mustAlertServer(t, Config{AdminToken: "geheim-123", Crawl: func() error { crawls++; return crawlErr },
		Deliveries: func() alerts.DeliveryStats { return alerts.DeliveryStats{Delivered: 7} }})
	mustCreateAlert(t, s.h, `{"q":"Kita"}`)
	for _, header := range [][]string{nil, {"Authorization", "Bearer falsch"}, {"Authorization", "geheim-123"}, {"Authorization", "Bearer geheim-1234"}} {
		for _, req := range []struct{ method, path string }{{http.MethodGet, "/api/alerts"}, {http.MethodPost, "/api/crawl"}} {
			rec := do(t, s.h, req.method, req.path, "", header...)
			if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s with %q: status %d, want 401", req.method, req.path, header, rec.Code)
			}
		}
	}
	if crawls != 0 {
		t.Fatal("a crawl started without the token")
	}
	auth := []string{"Authorization", "Bearer geheim-123"}
	rec := do(t, s.h, http.MethodGet, "/api/alerts", "", auth...)
	var list struct {
		Alerts     []createdAlert
		Deliveries alerts.DeliveryStats
	}
	mustJSON(t, rec.Body.Bytes(), &list)
	if rec.Code != http.StatusOK || len(list.Alerts) != 1 || list.Alerts[0].Q != "Kita" || list.Deliveries.Delivered != 7 {
		t.Errorf("list: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, s.h, http.MethodPost, "/api/crawl", "", auth...); rec.Code != http.StatusAccepted || crawls != 1 {
		t.Errorf("crawl: status %d, %d crawls", rec.Code, crawls)
	}
	crawlErr = ErrCrawlRunning
	if rec := do(t, s.h, http.MethodPost, "/api/crawl", "", auth...); rec.Code != http.StatusConflict {
		t.Errorf("crawl while crawling: status %d", rec.Code)
	}
	crawlErr = errors.New("kaputt")
	if rec := do(t, s.h, http.MethodPost, "/api/crawl", "", auth...); rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "kaputt") {
		t.Errorf("crawl failure: status %d %s", rec.Code, rec.Body)
	}

	t.Run("no token configured: always 401", func(t *testing.T) {
		s := mustAlertServer(t, Config{Crawl: func() error { return nil }})
		for _, header := range [][]string{nil, {"Authorization", "Bearer "}, {"Authorization", "Bearer x"}} {
			if rec := do(t, s.h, http.MethodGet, "/api/alerts", "", header...); rec.Code != http.StatusUnauthorized {
				t.Errorf("%q: status %d", header, rec.Code)
			}
		}
	})
}

func TestOPML(t *testing.T) {
	s := mustAlertServer(t, Config{})
	a := mustCreateAlert(t, s.h, `{"name":"Zwillinge & Co","q":"Zwilling"}`)
	b := mustCreateAlert(t, s.h, `{"name":"Kita","q":"Kita"}`)
	rec := get(t, s.h, "/api/alerts.opml?ids="+a.ID+","+b.ID+",ffffffffffffffffffffffffffffffff&ids="+a.ID)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/x-opml") {
		t.Fatalf("status %d, %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc struct {
		XMLName xml.Name `xml:"opml"`
		Version string   `xml:"version,attr"`
		Head    struct {
			Title       string `xml:"title"`
			DateCreated string `xml:"dateCreated"`
		} `xml:"head"`
		Outlines []struct {
			Text   string `xml:"text,attr"`
			Type   string `xml:"type,attr"`
			XMLURL string `xml:"xmlUrl,attr"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.0" || doc.Head.Title == "" || len(doc.Outlines) != 2 {
		t.Fatalf("%+v", doc)
	}
	if o := doc.Outlines[0]; o.Text != "Zwillinge & Co" || o.Type != "rss" || o.XMLURL != "http://example.com"+a.Feed {
		t.Errorf("outline %+v", o)
	}
	if _, err := time.Parse(time.RFC1123Z, doc.Head.DateCreated); err != nil {
		t.Errorf("dateCreated: %v", err)
	}
	var many []string
	for i := range 101 {
		many = append(many, fmt.Sprintf("%032x", i))
	}
	for _, q := range []string{"", "?ids=", "?ids=kaputt", "?ids=" + strings.Join(many, ",")} {
		if rec := get(t, s.h, "/api/alerts.opml"+q); rec.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d", q, rec.Code)
		}
	}
}

func TestAlertPages(t *testing.T) {
	s := mustAlertServer(t, Config{})
	client := func(method, target string, form url.Values, cookies []*http.Cookie, header ...string) *httptest.ResponseRecorder {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req := httptest.NewRequest(method, target, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, req)
		return rec
	}

	page := client(http.MethodGet, "/?q=Zwillinge&tag=Smart+City", nil, nil)
	if !bytes.Contains(page.Body.Bytes(), []byte(`action="/alarm"`)) || !bytes.Contains(page.Body.Bytes(), []byte("Als Alarm speichern")) {
		t.Fatal("the result page has no alert form")
	}
	if bytes.Contains(page.Body.Bytes(), []byte("<script>")) {
		t.Error("inline script")
	}

	form := url.Values{"q": {"Zwillinge"}, "tag": {"Smart City"}, "name": {"Meine Zwillinge"}}
	rec := client(http.MethodPost, "/alarm", form, nil, "Sec-Fetch-Site", "same-origin", "Origin", "http://example.com")
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/alarm/") {
		t.Fatalf("post: status %d, Location %q: %s", rec.Code, loc, rec.Body)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].Value == "" {
		t.Fatalf("cookies %+v", cookies)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/alarm/"), "?neu=1")
	a, err := s.store.Get(id)
	if err != nil || a.Name != "Meine Zwillinge" || a.Search.Query != "Zwillinge" || a.Search.Tags[0] != "Smart City" {
		t.Fatalf("stored %+v %v", a, err)
	}

	rec = client(http.MethodGet, loc, nil, cookies)
	for _, want := range []string{"Meine Zwillinge", "http://example.com/alerts/" + id + "/feed.atom", "/alerts/" + id + "/feed.rss", "Der Alarm ist gespeichert"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("alert page without %q", want)
		}
	}
	rec = client(http.MethodGet, "/alarme", nil, cookies)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Meine Zwillinge") || !strings.Contains(rec.Body.String(), "/api/alerts.opml?ids="+id) {
		t.Errorf("overview: %d %s", rec.Code, rec.Body)
	}

	if rec := client(http.MethodPost, "/alarm", form, nil, "Sec-Fetch-Site", "cross-site"); rec.Code != http.StatusForbidden {
		t.Errorf("cross-site form: status %d", rec.Code)
	}
	if rec := client(http.MethodPost, "/alarm", url.Values{"type": {"video"}}, nil); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "video") {
		t.Errorf("bad form: status %d", rec.Code)
	}
	if rec := client(http.MethodGet, "/alarm/ffffffffffffffffffffffffffffffff", nil, nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown alert page: status %d", rec.Code)
	}

	rec = client(http.MethodPost, "/alarm/"+id+"/loeschen", url.Values{}, cookies)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/alarme" {
		t.Fatalf("delete: status %d", rec.Code)
	}
	if _, err := s.store.Get(id); !errors.Is(err, alerts.ErrNotFound) {
		t.Errorf("still stored: %v", err)
	}
	if c := rec.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("cookie after the last delete: %+v", c)
	}
}

// FuzzAlertAPI: no body of POST /api/alerts and no ids list of the OPML
// export makes the server fail; every answer is JSON (or OPML) with a
// status a client can act on.
func FuzzAlertAPI(f *testing.F) {
	for _, seed := range []string{`{"q":"Zwilling"}`, `{"name":"a","tags":["Smart City"],"type":["pdf"]}`, `{"webhook":"http://[::1]/"}`,
		`{"from":"2024-01-01","to":"2023-01-01"}`, `{"year":[2024,1]}`, `nul`, `{"q":"\ud800"}`, `{"state":["bayern"],"source":["A.example"]}`} {
		f.Add(seed, "ffffffffffffffffffffffffffffffff,x")
	}
	s := mustAlertServer(f, Config{})
	f.Fuzz(func(t *testing.T, body, ids string) {
		rec := do(t, s.h, http.MethodPost, "/api/alerts", body)
		switch rec.Code {
		case http.StatusCreated, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("body %q: status %d: %s", body, rec.Code, rec.Body)
		}
		var v map[string]any
		mustJSON(t, rec.Body.Bytes(), &v)
		rec = get(t, s.h, "/api/alerts.opml?ids="+url.QueryEscape(ids))
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("ids %q: status %d", ids, rec.Code)
		}
	})
}
