package server

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"stichwort"
	"stichwort/index"
)

// hostileMarkup are pieces of crawled or user-given text that would be
// markup if they reached a page unescaped (testdata/docs.jsonl holds a
// document made of them: https://evil.example/x).
var hostileMarkup = []string{"<script>alert", "<img src=x", "<b>Hack", "<svg onload", "javascript:alert"}

func assertNoMarkup(t *testing.T, where, body string) {
	t.Helper()
	for _, m := range hostileMarkup {
		if strings.Contains(body, m) {
			t.Errorf("%s: %q reached the output as markup", where, m)
		}
	}
}

// TestHostileTextEveryPage renders every page that can show crawled text or
// text a user typed (an alert's name, a query, an invalid parameter echoed
// in an error) and checks that none of it becomes markup.
func TestHostileTextEveryPage(t *testing.T) {
	s := mustAlertServer(t, Config{})
	const name = `<svg onload=alert(1)> Mein <script>alert("name")</script> Alarm`
	a := mustCreateAlert(t, s.h, `{"name":`+strconv.Quote(name)+`,"q":"<img src=x onerror=alert(1)> Böse"}`)
	// The hostile document matches the alert (the query's words include
	// "Böse"; the markup in it is just words to the analyzer).
	evil, err := s.idx.Get(stichwort.DocID("https://evil.example/x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Percolate(context.Background(), s.idx.NewPercolator(), []stichwort.Document{evil}); err != nil {
		t.Fatal(err)
	}
	cookie := "stichwort_alarme=" + a.ID
	pages := []struct{ path, cookie string }{
		{"/?q=Böse", ""},
		{"/?q=<script>alert(1)</script>", ""},
		{"/?tag=<b>Hack</b>", ""},
		{"/?q=Zwillinge", ""},
		{"/?type=<script>alert(1)</script>", ""},   // echoed in the error
		{"/?from=<img src=x onerror=1>", ""},       // echoed in the error
		{"/?q=<svg onload=alert(1)>&size=abc", ""}, // error page with the query in the box
		{"/dokument/" + stichwort.DocID("https://evil.example/x"), ""},
		{"/dokument/" + stichwort.DocID("https://evil.example/x") + "?q=<script>alert(1)</script>", ""},
		{"/alarm/" + a.ID + "?neu=1", ""},
		{"/alarme", cookie},
		{"/feed.atom?q=Böse", ""},
		{"/feed.rss?q=Böse", ""},
		{"/feed.atom?q=<script>alert(1)</script>", ""},
		{a.Feed, ""},
		{a.FeedRSS, ""},
		{"/api/alerts.opml?ids=" + a.ID, ""},
		{"/opensearch.xml", ""},
		{"/gibtsnicht<script>alert(1)</script>", ""},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			var hdr []string
			if p.cookie != "" {
				hdr = []string{"Cookie", p.cookie}
			}
			target := (&url.URL{Path: strings.SplitN(p.path, "?", 2)[0], RawQuery: queryOf(p.path)}).String()
			rec := get(t, s.h, target, hdr...)
			if rec.Code >= 500 {
				t.Fatalf("status %d", rec.Code)
			}
			body := rec.Body.String()
			ct := rec.Header().Get("Content-Type")
			switch {
			case strings.HasPrefix(ct, "text/html"):
				assertNoMarkup(t, p.path, body)
			case strings.Contains(ct, "xml"), strings.Contains(ct, "opml"):
				checkFeedText(t, p.path, body)
			default:
				t.Fatalf("content type %q", ct)
			}
		})
	}
	// The alert's page shows the hostile document it found, as text.
	rec := get(t, s.h, "/alarm/"+a.ID)
	if !strings.Contains(rec.Body.String(), "&lt;script&gt;alert(&#39;titel&#39;)") {
		t.Errorf("the alert page does not show the hostile title as text")
	}
}

func queryOf(p string) string {
	_, q, ok := strings.Cut(p, "?")
	if !ok {
		return ""
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return url.QueryEscape(q)
	}
	return v.Encode()
}

// checkFeedText parses a feed and checks the elements whose content a
// reader renders as HTML (Atom type="html", RSS description): once the
// XML is decoded, no markup but <mark> may be left. Text elements may hold
// "<" as text: XML escaping is what makes them text.
func checkFeedText(t *testing.T, where, body string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	var stack []xml.StartElement
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", where, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			stack = append(stack, el)
			for _, a := range el.Attr {
				if a.Name.Local == "type" && (a.Value == "xhtml") {
					t.Errorf("%s: <%s type=xhtml> would carry markup", where, el.Name.Local)
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			// RSS: an item's description is HTML, the channel's plain text.
			inItem := len(stack) >= 2 && stack[len(stack)-2].Name.Local == "item"
			html := top.Name.Local == "description" && inItem || top.Name.Local == "summary" || top.Name.Local == "content"
			for _, a := range top.Attr {
				if a.Name.Local == "type" && a.Value == "html" {
					html = true
				}
			}
			if html {
				text := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(string(el))
				if strings.Contains(text, "<") {
					t.Errorf("%s: <%s> holds markup: %q", where, top.Name.Local, text)
				}
			}
		}
	}
}

// panicSearcher panics on every search: the 500 it causes must still carry
// the security headers.
type panicSearcher struct{ Searcher }

func (panicSearcher) Search(context.Context, index.Request) (index.Result, error) { panic("boom") }

// TestSecurityHeadersEverywhere requests one response of every kind the
// server gives and checks the security headers on each.
func TestSecurityHeadersEverywhere(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	s := mustAlertServer(t, Config{AdminToken: "geheim", Metrics: prometheus.NewRegistry(),
		RateLimit: RateLimit{Search: 1, SearchBurst: 1000, Now: clock.now}})
	a := mustCreateAlert(t, s.h, `{"q":"Zwilling"}`)
	panicky, err := New(panicSearcher{s.idx}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	limited, err := New(s.idx, Config{RateLimit: RateLimit{Search: 1, SearchBurst: 1, Now: clock.now}})
	if err != nil {
		t.Fatal(err)
	}
	get(t, limited, "/api/search")
	feed := get(t, s.h, "/feed.atom")
	tests := []struct {
		name         string
		h            http.Handler
		method, path string
		body         string
		header       []string
		status       int
	}{
		{"JSON", s.h, "GET", "/api/search?q=Zwilling", "", nil, 200},
		{"JSON 400", s.h, "GET", "/api/search?size=abc", "", nil, 400},
		{"JSON 404", s.h, "GET", "/api/nichts", "", nil, 404},
		{"JSON 404 for another method", s.h, "PUT", "/api/search", "", nil, 404},
		{"JSON 405", s.h, "PUT", "/feed.atom", "", nil, 405},
		{"HTML 405", s.h, "PUT", "/", "", nil, 405},
		{"JSON 401", s.h, "GET", "/api/alerts", "", nil, 401},
		{"JSON 413", s.h, "POST", "/api/alerts", `{"q":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413},
		{"JSON 414", s.h, "GET", "/api/search?q=" + strings.Repeat("x", 17<<10), "", nil, 414},
		{"JSON 201", s.h, "POST", "/api/alerts", `{"q":"Kita"}`, nil, 201},
		{"204", s.h, "DELETE", "/api/alerts/" + mustCreateAlert(t, s.h, `{}`).ID, "", nil, 204},
		{"JSON 429", limited, "GET", "/api/search", "", nil, 429},
		{"HTML 429", limited, "GET", "/", "", nil, 429},
		{"JSON 500 after a panic", panicky, "GET", "/api/search", "", nil, 500},
		{"HTML page", s.h, "GET", "/?q=Zwilling", "", nil, 200},
		{"HTML 400", s.h, "GET", "/?size=abc", "", nil, 400},
		{"HTML 404", s.h, "GET", "/gibtsnicht", "", nil, 404},
		{"HTML 414", s.h, "GET", "/?q=" + strings.Repeat("x", 17<<10), "", nil, 414},
		{"document page", s.h, "GET", "/dokument/" + stichwort.DocID("https://a.example/cloud"), "", nil, 200},
		{"alert page", s.h, "GET", "/alarm/" + a.ID, "", nil, 200},
		{"redirect after the form", s.h, "POST", "/alarm", "q=Kita", []string{"Content-Type", "application/x-www-form-urlencoded"}, 303},
		{"Atom", s.h, "GET", "/feed.atom", "", nil, 200},
		{"RSS", s.h, "GET", "/feed.rss", "", nil, 200},
		{"304", s.h, "GET", "/feed.atom", "", []string{"If-None-Match", feed.Header().Get("ETag")}, 304},
		{"alert feed", s.h, "GET", a.Feed, "", nil, 200},
		{"OPML", s.h, "GET", "/api/alerts.opml?ids=" + a.ID, "", nil, 200},
		{"OpenSearch", s.h, "GET", "/opensearch.xml", "", nil, 200},
		{"suggestions", s.h, "GET", "/opensearch/suggest?q=zw", "", nil, 200},
		{"CSS", s.h, "GET", "/static/style.css", "", nil, 200},
		{"JavaScript", s.h, "GET", "/static/suche.js", "", nil, 200},
		{"SVG", s.h, "GET", "/static/favicon.svg", "", nil, 200},
		{"static 404", s.h, "GET", "/static/nichts.css", "", nil, 404},
		{"favicon redirect", s.h, "GET", "/favicon.ico", "", nil, 301},
		{"health", s.h, "GET", "/healthz", "", nil, 200},
		{"metrics", s.h, "GET", "/metrics", "", nil, 200},
		{"HEAD", s.h, "HEAD", "/", "", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, tt.h, tt.method, tt.path, tt.body, tt.header...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.200s", rec.Code, tt.status, rec.Body)
			}
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline code", csp)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if rec.Code != 204 && rec.Code != 304 && rec.Code != 303 && tt.method != "HEAD" && h.Get("Content-Type") == "" {
				t.Error("no Content-Type")
			}
		})
	}
}

// TestAdminToken checks the token guard: the right token only, whatever
// the length of a wrong one, and nothing at all without a configured token.
// The comparison itself (requireAdmin) hashes both tokens and compares the
// hashes with crypto/subtle, so its time depends on neither the token's
// length nor the position of the first wrong byte.
func TestAdminToken(t *testing.T) {
	s := mustAlertServer(t, Config{AdminToken: "richtig-langes-token"})
	none := mustAlertServer(t, Config{})
	for _, tt := range []struct {
		name   string
		h      http.Handler
		header string
		status int
	}{
		{"right", s.h, "Bearer richtig-langes-token", 200},
		{"right, spaces", s.h, "Bearer  richtig-langes-token ", 200},
		{"missing", s.h, "", 401},
		{"empty", s.h, "Bearer ", 401},
		{"prefix", s.h, "Bearer richtig", 401},
		{"longer", s.h, "Bearer richtig-langes-token-und-mehr", 401},
		{"one byte off", s.h, "Bearer richtig-langes-tokeN", 401},
		{"wrong scheme", s.h, "Basic richtig-langes-token", 401},
		{"lower-case scheme", s.h, "bearer richtig-langes-token", 401},
		{"no token configured", none.h, "Bearer ", 401},
		{"no token configured, any token", none.h, "Bearer x", 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.header != "" {
				hdr = []string{"Authorization", tt.header}
			}
			for _, p := range []string{"/api/alerts", "/api/crawl"} {
				method := "GET"
				if p == "/api/crawl" {
					method = "POST"
				}
				rec := do(t, tt.h, method, p, "", hdr...)
				want := tt.status
				if p == "/api/crawl" && want == 200 {
					want = http.StatusConflict // no crawler configured: past the guard
				}
				if rec.Code != want {
					t.Errorf("%s %s: status %d, want %d", method, p, rec.Code, want)
				}
			}
		})
	}
}

// TestNoPathReachesFileSystem asks for files outside the embedded static
// folder in every spelling a path traversal comes in, over a real
// connection so that no client cleans the path first.
func TestNoPathReachesFileSystem(t *testing.T) {
	s := mustAlertServer(t, Config{})
	ts := httptest.NewServer(s.h)
	defer ts.Close()
	paths := []string{
		"/static/../../etc/passwd",
		"/static/../../../../../../etc/passwd",
		"/static/%2e%2e/%2e%2e/etc/passwd",
		"/static/..%2f..%2f..%2fetc%2fpasswd",
		"/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"/static/%252e%252e%252fetc%252fpasswd",
		"/static/..%5c..%5cetc%5cpasswd",
		"/static/....//....//etc/passwd",
		"/static//etc/passwd",
		"/static/%2fetc%2fpasswd",
		"/static/%00../../etc/passwd",
		"/static/style.css/../../../etc/passwd",
		"/static/..",
		"/static/",
		"/static/%c0%ae%c0%ae/etc/passwd",
		"/dokument/..%2f..%2f..%2fetc%2fpasswd",
		"/api/docs/..%2F..%2F..%2Fetc%2Fpasswd",
		"/alerts/..%2f..%2fetc%2fpasswd/feed.atom",
		"/alarm/../../etc/passwd",
		"/../../etc/passwd",
		"/etc/passwd",
		"/server.go",
		"/static/../server.go",
		"/static/../templates/layout.html",
		"/static/%2e%2e/templates/layout.html",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			status, body := rawGet(t, ts.URL, p)
			if status == http.StatusOK && !strings.HasPrefix(p, "/static/style.css") {
				t.Errorf("status 200")
			}
			for _, leak := range []string{"root:", "package server", "{{define"} {
				if strings.Contains(body, leak) {
					t.Errorf("the answer holds %q", leak)
				}
			}
			if status >= 500 {
				t.Errorf("status %d", status)
			}
		})
	}
}

// rawGet sends the request line as written, unnormalised.
func rawGet(t *testing.T, base, path string) (int, string) {
	t.Helper()
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: "+u.Host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(body)
}

// TestServerHasNoFileAccess checks that no file of package server imports
// a way to the file system: the templates and static files are embedded,
// so no request can name a file on disk.
func TestServerHasNoFileAccess(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			switch p, _ := strconv.Unquote(imp.Path.Value); p {
			case "os", "path/filepath", "io/ioutil", "syscall", "os/exec":
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}

// TestRequestCaps checks the caps on request size: a long query string,
// a large body anywhere, a large alert form, and deep paging.
func TestRequestCaps(t *testing.T) {
	s := mustAlertServer(t, Config{})
	long := strings.Repeat("%C3%A4", 3000) // 18 KiB encoded
	for _, tt := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
	}{
		{"long query, API", "GET", "/api/search?q=" + long, "", nil, 414},
		{"long query, page", "GET", "/?q=" + long, "", nil, 414},
		{"long query, feed", "GET", "/feed.atom?q=" + long, "", nil, 414},
		{"long query, any path", "GET", "/gibtsnicht?x=" + long, "", nil, 414},
		{"longest valid search passes the cap", "GET", "/api/search?q=" + strings.Repeat("%C3%A4", 500) +
			strings.Repeat("&tag="+strings.Repeat("%C3%A4", 100), 10), "", nil, 200},
		{"large JSON body", "POST", "/api/alerts", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, nil, 413},
		{"large form", "POST", "/alarm", "q=" + strings.Repeat("x", 1<<20), []string{"Content-Type", "application/x-www-form-urlencoded"}, 400},
		{"deep page", "GET", "/api/search?page=100000", "", nil, 400},
		{"deepest page allowed", "GET", "/api/search?size=100&page=" + strconv.Itoa(index.MaxOffset/100), "", nil, 200},
		{"one page further", "GET", "/api/search?size=100&page=" + strconv.Itoa(index.MaxOffset/100+1), "", nil, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s.h, tt.method, tt.path, tt.body, tt.header...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tt.status, rec.Body)
			}
		})
	}
	if n := len(s.store.List()); n != 0 {
		t.Errorf("%d alerts stored from oversized requests", n)
	}
}
