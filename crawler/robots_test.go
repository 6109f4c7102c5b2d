package crawler

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	index := `<html><body><a href="/privat/a.html">a</a> <a href="/artikel/b.html">b</a> <a href="/artikel/c.html">c</a></body></html>`
	tests := []struct {
		name        string
		robots      http.HandlerFunc
		cfg         func(*Config)
		wantPaths   []string // requested, besides /robots.txt and /sitemap.xml
		wantBlocked int
		minGap      time.Duration // between the starts of successive requests
	}{
		{
			name:        "disallow",
			robots:      textHandler("User-agent: *\nDisallow: /privat/\n"),
			wantPaths:   []string{"/", "/artikel/b.html", "/artikel/c.html"},
			wantBlocked: 1,
		},
		{
			name:      "disallow for another agent only",
			robots:    textHandler("User-agent: googlebot\nDisallow: /\n\nUser-agent: stichwort\nAllow: /\n"),
			wantPaths: []string{"/", "/artikel/b.html", "/artikel/c.html", "/privat/a.html"},
		},
		{
			name:      "404 allows all",
			robots:    http.NotFound,
			wantPaths: []string{"/", "/artikel/b.html", "/artikel/c.html", "/privat/a.html"},
		},
		{
			name:        "500 disallows all",
			robots:      func(w http.ResponseWriter, r *http.Request) { http.Error(w, "kaputt", 500) },
			wantPaths:   nil,
			wantBlocked: 2, // the seed and /sitemap.xml
		},
		{
			name:        "crawl-delay",
			robots:      textHandler("User-agent: *\nCrawl-delay: 0.15\nDisallow: /privat/\n"),
			wantPaths:   []string{"/", "/artikel/b.html", "/artikel/c.html"},
			wantBlocked: 1,
			minGap:      150 * time.Millisecond,
		},
		{
			name:      "configured delay",
			robots:    http.NotFound,
			cfg:       func(c *Config) { c.Delay = 80 * time.Millisecond },
			wantPaths: []string{"/", "/artikel/b.html", "/artikel/c.html", "/privat/a.html"},
			minGap:    80 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, t.TempDir())
			s.handle("/robots.txt", tt.robots)
			s.handle("/", htmlHandler(index))
			for _, p := range []string{"/privat/a.html", "/artikel/b.html", "/artikel/c.html"} {
				s.handle(p, htmlHandler(articleHTML("Artikel "+p, "01.01.2025", "")))
			}
			cfg := testConfig(s.url("/"))
			cfg.Logger = testLogger(t)
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			st := mustRun(t, mustCrawler(t, cfg, newCollector().sink))
			var got []string
			for _, p := range s.paths() {
				if p != "/robots.txt" && p != "/sitemap.xml" {
					got = append(got, p)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.wantPaths) || st.RobotsBlocked != tt.wantBlocked {
				t.Errorf("requested %q, blocked %d; want %q, %d", got, st.RobotsBlocked, tt.wantPaths, tt.wantBlocked)
			}
			if s.paths()[0] != "/robots.txt" {
				t.Errorf("first request %q, want /robots.txt", s.paths()[0])
			}
			if tt.minGap > 0 {
				reqs := s.requests()
				for i := 1; i < len(reqs); i++ {
					// A little slack for clock granularity.
					if gap := reqs[i].at.Sub(reqs[i-1].at); gap < tt.minGap-5*time.Millisecond {
						t.Errorf("%s started %v after %s, want at least %v", reqs[i].path, gap, reqs[i-1].path, tt.minGap)
					}
				}
				if s.maxInFlight != 1 {
					t.Errorf("%d requests in flight with a delay, want 1", s.maxInFlight)
				}
			}
		})
	}
}

func textHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(body))
	}
}
