package robots

import (
	"errors"
	"slices"
	"testing"
	"time"
)

const agent = "stichwort/0.1 (+https://github.com/stichwort)"

func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		allowed  []string
		denied   []string
		delay    time.Duration
		sitemaps []string
	}{
		{
			name:     "sample site",
			status:   200,
			body:     "User-agent: *\nDisallow: /intern/\nSitemap: http://www.stichwort.test/sitemap.xml\n",
			allowed:  []string{"/", "/artikel/a.html", "/internals.html"},
			denied:   []string{"/intern/", "/intern/geheim.html"},
			sitemaps: []string{"http://www.stichwort.test/sitemap.xml"},
		},
		{
			name:    "group for our agent wins",
			status:  200,
			body:    "User-agent: *\nDisallow: /\n\nUser-agent: stichwort\nDisallow: /privat/\nCrawl-delay: 2.5\n",
			allowed: []string{"/artikel/a.html"},
			denied:  []string{"/privat/x"},
			delay:   2500 * time.Millisecond,
		},
		{
			name:    "other agent's group does not apply",
			status:  200,
			body:    "User-agent: googlebot\nDisallow: /\n",
			allowed: []string{"/a"},
		},
		{
			name:    "crawl delay capped",
			status:  200,
			body:    "User-agent: *\nCrawl-delay: 86400\n",
			allowed: []string{"/a"},
			delay:   MaxCrawlDelay,
		},
		{
			name:    "invalid lines ignored",
			status:  200,
			body:    "Disallow: /vorher/\nUser-agent: *\nCrawl-delay: bald\nDisallow: /intern/ # Kommentar\n",
			allowed: []string{"/vorher/a"},
			denied:  []string{"/intern/a"},
		},
		{
			name:    "wildcards",
			status:  200,
			body:    "User-agent: *\nDisallow: /*.pdf$\nAllow: /dokumente/*.pdf$\n",
			allowed: []string{"/dokumente/a.pdf", "/a.pdf.html"},
			denied:  []string{"/a.pdf"},
		},
		{name: "empty file allows all", status: 200, body: "", allowed: []string{"/", "/intern/"}},
		{name: "404 allows all", status: 404, body: "<html>nicht gefunden</html>", allowed: []string{"/", "/intern/"}},
		{name: "403 allows all", status: 403, allowed: []string{"/"}},
		{name: "500 disallows all", status: 500, body: "User-agent: *\nAllow: /\n", denied: []string{"/", "/a.html"}},
		{name: "503 disallows all", status: 503, denied: []string{"/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.status, []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.allowed {
				if !r.Allowed(agent, p) {
					t.Errorf("Allowed(%q) = false, want true", p)
				}
			}
			for _, p := range tt.denied {
				if r.Allowed(agent, p) {
					t.Errorf("Allowed(%q) = true, want false", p)
				}
			}
			if got := r.CrawlDelay(agent); got != tt.delay {
				t.Errorf("CrawlDelay = %v, want %v", got, tt.delay)
			}
			if got := r.Sitemaps(); !slices.Equal(got, tt.sitemaps) {
				t.Errorf("Sitemaps = %q, want %q", got, tt.sitemaps)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	if _, err := Parse(301, nil); !errors.Is(err, ErrStatus) {
		t.Errorf("Parse(301) error = %v, want ErrStatus", err)
	}
	if AllowAll().Allowed(agent, "/x") != true || DisallowAll().Allowed(agent, "/x") != false {
		t.Error("AllowAll/DisallowAll wrong")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("User-agent: *\nDisallow: /intern/\nCrawl-delay: 1\nSitemap: http://x/s.xml\n")
	f.Add("User-agent: stichwort\nAllow: /*.pdf$\nDisallow: /\n")
	f.Add("Disallow: /a\nCrawl-delay: -1\n\x00\xff")
	f.Fuzz(func(t *testing.T, body string) {
		r, err := Parse(200, []byte(body))
		if err != nil {
			t.Fatalf("Parse(200) failed: %v", err)
		}
		_ = r.Allowed(agent, "/intern/a.html")
		if d := r.CrawlDelay(agent); d < 0 || d > MaxCrawlDelay {
			t.Fatalf("CrawlDelay = %v", d)
		}
	})
}
