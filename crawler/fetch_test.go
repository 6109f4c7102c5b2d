package crawler

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestFetchFailures(t *testing.T) {
	article := articleHTML("Ein Artikel", "22.10.2024", "")
	tests := []struct {
		name       string
		handler    func(calls *atomic.Int32) http.HandlerFunc
		cfg        func(*Config)
		wantDocs   int
		wantFailed int
		wantCalls  int32
		check      func(t *testing.T, s *site, took time.Duration)
	}{
		{
			name: "404",
			handler: func(*atomic.Int32) http.HandlerFunc {
				return http.NotFound
			},
			wantFailed: 1, wantCalls: 1,
		},
		{
			name: "500 then 200",
			handler: func(calls *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if calls.Load() == 1 {
						http.Error(w, "kaputt", http.StatusInternalServerError)
						return
					}
					htmlHandler(article)(w, r)
				}
			},
			wantDocs: 1, wantCalls: 2,
		},
		{
			name: "503 three times",
			handler: func(*atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, "Wartung", http.StatusServiceUnavailable)
				}
			},
			wantFailed: 1, wantCalls: MaxTries,
		},
		{
			name: "429 with Retry-After",
			handler: func(calls *atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if calls.Load() == 1 {
						w.Header().Set("Retry-After", "1")
						http.Error(w, "langsam", http.StatusTooManyRequests)
						return
					}
					htmlHandler(article)(w, r)
				}
			},
			wantDocs: 1, wantCalls: 2,
			check: func(t *testing.T, s *site, _ time.Duration) {
				var at []time.Time
				for _, r := range s.requests() {
					if r.path == "/artikel/x.html" {
						at = append(at, r.at)
					}
				}
				if gap := at[1].Sub(at[0]); gap < 950*time.Millisecond {
					t.Errorf("retried after %v, want Retry-After's 1s", gap)
				}
			},
		},
		{
			name:       "oversized body with length",
			handler:    func(*atomic.Int32) http.HandlerFunc { return htmlHandler(article) },
			cfg:        func(c *Config) { c.MaxBodyBytes = 512 },
			wantFailed: 1, wantCalls: 1,
		},
		{
			name: "oversized body chunked",
			handler: func(*atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					for range 10 {
						fmt.Fprint(w, strings.Repeat("<p>Füllung</p>", 20))
						w.(http.Flusher).Flush()
					}
				}
			},
			cfg:        func(c *Config) { c.MaxBodyBytes = 512 },
			wantFailed: 1, wantCalls: 1,
		},
		{
			name: "slow body",
			handler: func(*atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, "<html><body><p>Anfang")
					w.(http.Flusher).Flush()
					<-r.Context().Done() // never finishes on its own
				}
			},
			cfg:        func(c *Config) { c.RequestTimeout = 200 * time.Millisecond },
			wantFailed: 1, wantCalls: 1,
			check: func(t *testing.T, _ *site, took time.Duration) {
				if took > 2*time.Second {
					t.Errorf("run took %v; the timeout should end the request", took)
				}
			},
		},
		{
			name: "slow headers",
			handler: func(*atomic.Int32) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
			},
			cfg:        func(c *Config) { c.ResponseHeaderTimeout = 100 * time.Millisecond },
			wantFailed: 1, wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, t.TempDir())
			var calls atomic.Int32
			h := tt.handler(&calls)
			s.handle("/artikel/x.html", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				h(w, r)
			})
			col := newCollector()
			cfg := testConfig(s.url("/artikel/x.html"))
			cfg.Logger = testLogger(t)
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			c := mustCrawler(t, cfg, col.sink)
			start := time.Now()
			st := mustRun(t, c)
			took := time.Since(start)
			if len(col.all) != tt.wantDocs || st.Failed != tt.wantFailed || calls.Load() != tt.wantCalls {
				t.Errorf("documents %d, failed %d, calls %d; want %d, %d, %d",
					len(col.all), st.Failed, calls.Load(), tt.wantDocs, tt.wantFailed, tt.wantCalls)
			}
			if tt.check != nil {
				tt.check(t, s, took)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	article := articleHTML("Ziel der Weiterleitung", "01.02.2025", "")
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusMovedPermanently) }
	}
	tests := []struct {
		name       string
		handlers   map[string]http.HandlerFunc
		wantDoc    string // path of the document's URL, "" for none
		wantFailed int
	}{
		{
			name: "301 chain",
			handlers: map[string]http.HandlerFunc{
				"/start": redirect("/zwischen"), "/zwischen": redirect("/ziel.html?utm_source=x"), "/ziel.html": htmlHandler(article),
			},
			wantDoc: "/ziel.html",
		},
		{
			name:       "loop",
			handlers:   map[string]http.HandlerFunc{"/start": redirect("/b"), "/b": redirect("/c"), "/c": redirect("/start")},
			wantFailed: 1,
		},
		{
			name: "too many",
			handlers: func() map[string]http.HandlerFunc {
				m := map[string]http.HandlerFunc{"/start": redirect("/r1")}
				for i := 1; i <= MaxRedirects+1; i++ {
					m[fmt.Sprintf("/r%d", i)] = redirect(fmt.Sprintf("/r%d", i+1))
				}
				return m
			}(),
			wantFailed: 1,
		},
		{
			name:       "no location",
			handlers:   map[string]http.HandlerFunc{"/start": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) }},
			wantFailed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, t.TempDir())
			for p, h := range tt.handlers {
				s.handle(p, h)
			}
			col := newCollector()
			cfg := testConfig(s.url("/start"))
			cfg.Logger = testLogger(t)
			st := mustRun(t, mustCrawler(t, cfg, col.sink))
			var want []string
			if tt.wantDoc != "" {
				want = []string{s.url(tt.wantDoc)}
			}
			if got := col.urls(); strings.Join(got, " ") != strings.Join(want, " ") || st.Failed != tt.wantFailed {
				t.Errorf("documents %q failed %d; want %q, %d", got, st.Failed, want, tt.wantFailed)
			}
			for _, p := range s.paths() {
				if s.count(p) > 1 && p != "/robots.txt" {
					t.Errorf("%s requested %d times", p, s.count(p))
				}
			}
		})
	}
}

func TestRedirectScope(t *testing.T) {
	other := newSite(t, t.TempDir())
	other.handle("/start.html", htmlHandler(`<html><body><a href="/artikel.html">weiter</a></body></html>`))
	other.handle("/artikel.html", htmlHandler(articleHTML("Umgezogen", "03.03.2025", "")))
	other.handle("/fremd.html", htmlHandler(articleHTML("Fremd", "03.03.2025", "")))

	t.Run("seed redirect brings its host into scope", func(t *testing.T) {
		s := newSite(t, t.TempDir())
		s.handle("/", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.url("/start.html"), http.StatusMovedPermanently)
		})
		col := newCollector()
		cfg := testConfig(s.url("/"))
		cfg.AllowPrivate = true
		mustRun(t, mustCrawler(t, cfg, col.sink))
		if got := col.urls(); len(got) != 1 || got[0] != other.url("/artikel.html") {
			t.Errorf("documents %q", got)
		}
	})
	t.Run("page redirect to another host is not followed", func(t *testing.T) {
		other.resetLog()
		s := newSite(t, t.TempDir())
		s.handle("/", htmlHandler(`<html><body><a href="/weg">weg</a></body></html>`))
		s.handle("/weg", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.url("/fremd.html"), http.StatusFound)
		})
		col := newCollector()
		cfg := testConfig(s.url("/"))
		cfg.AllowPrivate = true
		st := mustRun(t, mustCrawler(t, cfg, col.sink))
		if len(col.all) != 0 || len(other.paths()) != 0 || st.Skipped != 1 {
			t.Errorf("documents %d, requests to other host %q, skipped %d", len(col.all), other.paths(), st.Skipped)
		}
	})
}

func TestCancel(t *testing.T) {
	s := newSite(t, t.TempDir())
	arrived := make(chan struct{})
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	cfg := testConfig(s.url("/"))
	cfg.RequestTimeout = time.Minute
	cfg.ResponseHeaderTimeout = time.Minute
	c := mustCrawler(t, cfg, newCollector().sink)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Run(ctx)
		done <- err
	}()
	<-arrived
	if _, err := c.Run(context.Background()); err != ErrRunning {
		t.Errorf("second Run while running: %v, want ErrRunning", err)
	}
	waitFor(t, "Progress to show the request in flight", func() bool {
		p := c.Progress()
		return p.Running && p.InFlight >= 1
	})
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Errorf("Run after cancel: %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// waitFor polls cond until it holds, failing the test after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCircuitBreaker(t *testing.T) {
	s := newSite(t, t.TempDir())
	var links strings.Builder
	for i := range 12 {
		fmt.Fprintf(&links, `<a href="/artikel/%d.html">%d</a> `, i, i)
	}
	s.handle("/", htmlHandler("<html><body>"+links.String()+"</body></html>"))
	s.handle("/artikel/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "überlastet", http.StatusServiceUnavailable)
	})
	cfg := testConfig(s.url("/"))
	cfg.Concurrency = 1 // one request at a time, so the count is exact
	st := mustRun(t, mustCrawler(t, cfg, newCollector().sink))
	n := 0
	for _, p := range s.paths() {
		if strings.HasPrefix(p, "/artikel/") {
			n++
		}
	}
	if n != BreakerThreshold*MaxTries || st.Failed != 12 {
		t.Errorf("%d article requests, %d failed; want %d requests (breaker), 12 failed", n, st.Failed, BreakerThreshold*MaxTries)
	}
}
