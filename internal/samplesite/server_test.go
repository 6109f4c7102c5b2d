package samplesite

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// mustSite generates the small site into a temporary directory and
// serves it.
func mustSite(tb testing.TB) *Site {
	tb.Helper()
	dir := tb.TempDir()
	if err := Generate(smallDir, dir); err != nil {
		tb.Fatal(err)
	}
	s, err := NewSite(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

func get(tb testing.TB, url string, header map[string]string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, string(body)
}

func TestSiteServes(t *testing.T) {
	s := mustSite(t)
	www, dok := s.WWWURL(), s.DokumenteURL()
	if !strings.HasPrefix(www, "http://127.0.0.1:") || !strings.HasPrefix(dok, "http://127.0.0.1:") || www == dok {
		t.Fatalf("URLs %q %q", www, dok)
	}
	tests := []struct {
		name, url   string
		status      int
		ctype       string
		contains    []string
		notContains []string
	}{
		{"root is index", www + "/", 200, "text/html; charset=utf-8",
			[]string{`<link rel="canonical" href="` + www + `/">`}, []string{"stichwort.test"}},
		{"article", www + "/artikel/erfurt-cloud.html", 200, "text/html; charset=utf-8",
			[]string{`href="` + dok + `/beschluesse/test-dokument.pdf"`}, []string{"stichwort.test"}},
		{"feed", www + "/feed.rss", 200, "application/rss+xml", []string{"<link>" + www + "/artikel/"}, []string{"stichwort.test"}},
		{"sitemap", www + "/sitemap.xml", 200, "application/xml", []string{"<loc>" + www + "/</loc>"}, []string{"stichwort.test"}},
		{"robots", www + "/robots.txt", 200, "text/plain; charset=utf-8", []string{"Sitemap: " + www + "/sitemap.xml"}, nil},
		{"PDF on www", www + "/dokumente/test-beschluss.pdf", 200, "application/pdf", []string{"%PDF-"}, nil},
		{"PDF on dokumente", dok + "/beschluesse/test-dokument.pdf", 200, "application/pdf", []string{"%PDF-"}, nil},
		{"unknown path", www + "/gibt-es-nicht.html", 404, "", nil, nil},
		{"directory", www + "/artikel/", 404, "", nil, nil},
		{"other host's file", dok + "/index.html", 404, "", nil, nil},
		{"dokumente root", dok + "/", 404, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.url, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			if resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
				t.Errorf("no ETag or Last-Modified: %v", resp.Header)
			}
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range tt.notContains {
				if strings.Contains(body, s) {
					t.Errorf("body has %q", s)
				}
			}
		})
	}
}

func TestSiteConditionalGet(t *testing.T) {
	s := mustSite(t)
	url := s.WWWURL() + "/artikel/ulm-zwilling.html"
	first, _ := get(t, url, nil)
	etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) {
		t.Fatalf("ETag %q is not strong", etag)
	}
	tests := []struct {
		name   string
		header map[string]string
		status int
	}{
		{"matching ETag", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
		{"other ETag", map[string]string{"If-None-Match": `"anders"`}, http.StatusOK},
		{"not modified since", map[string]string{"If-Modified-Since": lastMod}, http.StatusNotModified},
		{"unconditional", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := get(t, url, tt.header)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}

	// A replaced page gets a new ETag and a later Last-Modified, so that
	// both kinds of conditional request see the change.
	s.Put(HostWWW, "/artikel/ulm-zwilling.html", []byte("<p>neu auf http://www.stichwort.test/</p>"))
	for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-Modified-Since": lastMod}} {
		resp, body := get(t, url, h)
		if resp.StatusCode != http.StatusOK || body != "<p>neu auf "+s.WWWURL()+"/</p>" {
			t.Errorf("after Put with %v: status %d, body %q", h, resp.StatusCode, body)
		}
		if resp.Header.Get("ETag") == etag {
			t.Error("ETag unchanged after Put")
		}
	}
}

func TestSitePut(t *testing.T) {
	s := mustSite(t)
	s.Put(HostWWW, "/artikel/neu.html", []byte(`<a href="http://dokumente.stichwort.test/beschluesse/neu.pdf">PDF</a>`))
	s.Put(HostDokumente, "beschluesse/neu.pdf", []byte("%PDF-1.4 http://www.stichwort.test"))
	resp, body := get(t, s.WWWURL()+"/artikel/neu.html", nil)
	if resp.StatusCode != 200 || body != `<a href="`+s.DokumenteURL()+`/beschluesse/neu.pdf">PDF</a>` {
		t.Errorf("new page: %d %q", resp.StatusCode, body)
	}
	resp, body = get(t, s.DokumenteURL()+"/beschluesse/neu.pdf", nil)
	if resp.StatusCode != 200 || body != "%PDF-1.4 http://www.stichwort.test" {
		t.Errorf("a PDF must be served unchanged: %d %q", resp.StatusCode, body)
	}
}

func TestSiteBeforeStartAndMethods(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(smallDir, dir); err != nil {
		t.Fatal(err)
	}
	s, err := NewSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.WWWURL() != "" {
		t.Errorf("WWWURL before Start = %q", s.WWWURL())
	}
	s.Put(HostWWW, "/vorher.html", []byte("http://www.stichwort.test/x"))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	if _, body := get(t, s.WWWURL()+"/vorher.html", nil); body != s.WWWURL()+"/x" {
		t.Errorf("page put before Start not rewritten: %q", body)
	}
	resp, err := http.Post(s.WWWURL()+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", resp.StatusCode)
	}
	if _, err := NewSite(t.TempDir()); err == nil {
		t.Error("NewSite on an empty directory succeeded")
	}
}
