package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func doFrom(tb testing.TB, h http.Handler, remote, method, target, body string, header ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRateLimit(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	srv := mustAlertServer(t, Config{RateLimit: RateLimit{
		Search: 1, SearchBurst: 3, Alerts: 1.0 / 60, AlertBurst: 2, Now: clock.now}})
	h := srv.h
	const a, b = "192.0.2.1:40000", "198.51.100.7:40000"

	t.Run("search bucket", func(t *testing.T) {
		for i := range 3 {
			if rec := doFrom(t, h, a, "GET", "/api/search?q=Zwilling", ""); rec.Code != http.StatusOK {
				t.Fatalf("request %d: status %d", i+1, rec.Code)
			}
		}
		rec := doFrom(t, h, a, "GET", "/api/search?q=Zwilling", "")
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" {
			t.Fatalf("4th request: status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, "Zu viele Anfragen") {
			t.Errorf("429 body %q is not a German JSON error", rec.Body)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); csp == "" {
			t.Error("429 without security headers")
		}
		// The page, the feeds and documents draw from the same bucket; the
		// page answers in HTML.
		rec = doFrom(t, h, a, "GET", "/?q=Zwilling", "")
		if rec.Code != http.StatusTooManyRequests || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(rec.Body.String(), "Zu viele Anfragen") {
			t.Errorf("page: status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		for _, p := range []string{"/feed.atom", "/feed.rss", "/api/suggest?q=zw", "/api/docs/x", "/dokument/x"} {
			if rec := doFrom(t, h, a, "GET", p, ""); rec.Code != http.StatusTooManyRequests {
				t.Errorf("%s: status %d, want 429", p, rec.Code)
			}
		}
		// Not limited: static files, health, alert pages.
		for _, p := range []string{"/static/style.css", "/healthz", "/readyz", "/api/status"} {
			if rec := doFrom(t, h, a, "GET", p, ""); rec.Code == http.StatusTooManyRequests {
				t.Errorf("%s is rate limited", p)
			}
		}
		// Another client has its own bucket.
		if rec := doFrom(t, h, b, "GET", "/api/search?q=Zwilling", ""); rec.Code != http.StatusOK {
			t.Errorf("other client: status %d", rec.Code)
		}
		// A second later one token is back.
		clock.add(time.Second)
		if rec := doFrom(t, h, a, "GET", "/api/search", ""); rec.Code != http.StatusOK {
			t.Errorf("after a second: status %d", rec.Code)
		}
		if rec := doFrom(t, h, a, "GET", "/api/search", ""); rec.Code != http.StatusTooManyRequests {
			t.Errorf("second request after a second: status %d", rec.Code)
		}
	})

	t.Run("alert bucket", func(t *testing.T) {
		body := `{"name": "Test", "q": "Zwilling"}`
		for i := range 2 {
			if rec := doFrom(t, h, a, "POST", "/api/alerts", body); rec.Code != http.StatusCreated {
				t.Fatalf("alert %d: status %d: %s", i+1, rec.Code, rec.Body)
			}
		}
		rec := doFrom(t, h, a, "POST", "/api/alerts", body)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "60" {
			t.Fatalf("3rd alert: status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
		rec = doFrom(t, h, a, "POST", "/alarm", "q=Zwilling", "Content-Type", "application/x-www-form-urlencoded")
		if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "Zu viele Anfragen") {
			t.Errorf("form: status %d", rec.Code)
		}
		if n := len(srv.store.List()); n != 2 {
			t.Errorf("%d alerts stored, want 2", n)
		}
		clock.add(time.Minute)
		if rec := doFrom(t, h, a, "POST", "/api/alerts", body); rec.Code != http.StatusCreated {
			t.Errorf("a minute later: status %d", rec.Code)
		}
	})
}

func TestRateLimitClientAddress(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name       string
		trustProxy bool
		// requests are (remote address, X-Forwarded-For) pairs; the last
		// one must be limited or not.
		requests [][2]string
		limited  bool
	}{
		{"forwarded-for ignored without trust", false,
			[][2]string{{"192.0.2.1:1", "203.0.113.1"}, {"192.0.2.1:2", "203.0.113.2"}}, true},
		{"forwarded-for used with trust", true,
			[][2]string{{"192.0.2.1:1", "203.0.113.1"}, {"192.0.2.1:2", "203.0.113.2"}}, false},
		{"only the proxy's entry counts", true,
			[][2]string{{"192.0.2.1:1", "10.0.0.1, 203.0.113.1"}, {"192.0.2.1:2", "10.0.0.2, 203.0.113.1"}}, true},
		{"same client, other port", false,
			[][2]string{{"192.0.2.1:1", ""}, {"192.0.2.1:2", ""}}, true},
		{"IPv6 by /64", false,
			[][2]string{{"[2001:db8:1:2::1]:1", ""}, {"[2001:db8:1:2:ffff::9]:2", ""}}, true},
		{"IPv6 other /64", false,
			[][2]string{{"[2001:db8:1:2::1]:1", ""}, {"[2001:db8:1:3::1]:2", ""}}, false},
		{"mapped IPv4 is IPv4", false,
			[][2]string{{"[::ffff:192.0.2.9]:1", ""}, {"192.0.2.9:2", ""}}, true},
		{"garbage forwarded-for", true,
			[][2]string{{"192.0.2.1:1", "nonsense"}, {"192.0.2.1:2", "nonsense"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := New(mustIndex(t), Config{RateLimit: RateLimit{Search: 1, SearchBurst: 1, TrustProxy: tt.trustProxy, Now: clock.now}})
			if err != nil {
				t.Fatal(err)
			}
			var rec *httptest.ResponseRecorder
			for _, rq := range tt.requests {
				var hdr []string
				if rq[1] != "" {
					hdr = []string{"X-Forwarded-For", rq[1]}
				}
				rec = doFrom(t, h, rq[0], "GET", "/api/search", "", hdr...)
			}
			if got := rec.Code == http.StatusTooManyRequests; got != tt.limited {
				t.Errorf("last request limited = %v, want %v", got, tt.limited)
			}
		})
	}
}

func TestRateLimitOff(t *testing.T) {
	h, _ := mustServer(t)
	for i := range 200 {
		if rec := get(t, h, "/api/search"); rec.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i, rec.Code)
		}
	}
}

// TestRateLimitBounded sends requests from a million-ish distinct
// addresses: the buckets kept stay below two generations.
func TestRateLimitBounded(t *testing.T) {
	b := newClientBuckets(1, 1, 100)
	now := time.Now()
	for i := range 20_000 {
		b.take(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
		if n := b.size(); n > 200 {
			t.Fatalf("%d buckets after %d clients, want at most 200", n, i+1)
		}
	}
	// A client that keeps coming keeps its (empty) bucket across the
	// generations.
	b.take("keeper", now)
	for i := range 1000 {
		b.take(fmt.Sprintf("other-%d", i), now)
		if i%50 == 0 && b.take("keeper", now) == 0 {
			t.Fatalf("keeper got a fresh bucket after %d other clients", i)
		}
	}
}

// TestRateLimitOverHTTP runs the limit on a real listener, where the
// remote address comes from the connection.
func TestRateLimitOverHTTP(t *testing.T) {
	h, err := New(mustIndex(t), Config{RateLimit: RateLimit{Search: 0.001, SearchBurst: 5}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	codes := map[int]int{}
	for range 8 {
		req, _ := http.NewRequest("GET", ts.URL+"/api/search?q=Zwilling", nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprint(len(codes), ".1.1.1"))
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes[resp.StatusCode]++
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if codes[200] != 5 || codes[429] != 3 {
		t.Errorf("status codes %v, want 5×200 and 3×429", codes)
	}
}

// mustIndex is the index of mustServer without its handler.
func mustIndex(tb testing.TB) Searcher {
	tb.Helper()
	_, x := mustServer(tb)
	return x
}
