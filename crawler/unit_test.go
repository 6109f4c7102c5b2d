package crawler

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 10, 22, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"-5", 0},
		{"999999", 24 * time.Hour},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"bald", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestLinkTitle(t *testing.T) {
	for in, want := range map[string]string{
		"Beschlussvorlage des Gemeinderats (PDF)": "Beschlussvorlage des Gemeinderats",
		"Bericht (PDF, 1,2 MB)":                   "Bericht",
		"Satzung (Entwurf)":                       "Satzung (Entwurf)",
		"":                                        "",
	} {
		if got := linkTitle(in); got != want {
			t.Errorf("linkTitle(%q) = %q, want %q", in, got, want)
		}
	}
	if got := fileTitle("http://x/beschluesse/dmk-2024_final.pdf"); got != "dmk 2024 final" {
		t.Errorf("fileTitle = %q", got)
	}
}

// TestRobotsTruncated: a robots.txt beyond 500 KiB is read up to the cap,
// not failed.
func TestRobotsTruncated(t *testing.T) {
	s := newSite(t, t.TempDir())
	big := "User-agent: *\nDisallow: /privat/\n" + repeatComment(maxRobotsBytes)
	s.handle("/robots.txt", textHandler(big))
	s.handle("/", htmlHandler(`<html><body><a href="/privat/x.html">x</a><a href="/ok.html">ok</a></body></html>`))
	s.handle("/ok.html", htmlHandler(articleHTML("Erlaubt", "01.01.2025", "")))
	col := newCollector()
	st := mustRun(t, mustCrawler(t, testConfig(s.url("/")), col.sink))
	if st.RobotsBlocked != 1 || len(col.all) != 1 {
		t.Errorf("blocked %d, documents %d; want 1, 1", st.RobotsBlocked, len(col.all))
	}
}

func repeatComment(n int) string {
	b := make([]byte, 0, n+64)
	for len(b) < n+32 {
		b = append(b, "# Kommentarzeile zum Auffüllen\n"...)
	}
	return string(b)
}
