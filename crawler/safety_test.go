package crawler

import (
	"strings"
	"testing"
	"time"
)

// TestPrivateAddresses checks the dial-time rule: only the seeds' own
// endpoints may be private unless AllowPrivate is set.
func TestPrivateAddresses(t *testing.T) {
	pdf := mustPDF(t, "Anlage", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), "Eine Anlage mit Text.")
	tests := []struct {
		name         string
		allowPrivate bool
		// link returns the PDF link for the article on the seed server.
		link       func(seed, other *site) string
		wantOther  int // requests the other server gets
		wantPDF    bool
		wantFailed int
	}{
		{
			name:       "other loopback server by name refused",
			link:       func(_, other *site) string { return strings.Replace(other.url("/anlage.pdf"), "127.0.0.1", "localhost", 1) },
			wantFailed: 1,
		},
		{
			name:       "other loopback server by IP refused",
			link:       func(_, other *site) string { return other.url("/anlage.pdf") },
			wantFailed: 1,
		},
		{
			name:      "seed server under another name allowed",
			link:      func(seed, _ *site) string { return strings.Replace(seed.url("/anlage.pdf"), "127.0.0.1", "localhost", 1) },
			wantPDF:   true,
			wantOther: 0,
		},
		{
			name:         "allowed with AllowPrivate",
			allowPrivate: true,
			link:         func(_, other *site) string { return other.url("/anlage.pdf") },
			wantPDF:      true,
			wantOther:    2, // robots.txt and the PDF
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := newSite(t, t.TempDir())
			other := newSite(t, t.TempDir())
			seed.setFile("/anlage.pdf", pdf, "")
			other.setFile("/anlage.pdf", pdf, "")
			link := tt.link(seed, other)
			seed.handle("/", htmlHandler(articleHTML("Artikel mit Anlage", "01.05.2024",
				`<p class="download"><a href="`+link+`">Anlage (PDF)</a></p>`, "Datenschutz")))
			col := newCollector()
			cfg := testConfig(seed.url("/"))
			cfg.AllowPrivate = tt.allowPrivate
			cfg.Logger = testLogger(t)
			st := mustRun(t, mustCrawler(t, cfg, col.sink))
			_, gotPDF := col.byURL(link)
			if gotPDF != tt.wantPDF || len(other.paths()) != tt.wantOther || st.Failed != tt.wantFailed {
				t.Errorf("pdf %v, other server requests %q, failed %d; want %v, %d, %d",
					gotPDF, other.paths(), st.Failed, tt.wantPDF, tt.wantOther, tt.wantFailed)
			}
		})
	}
}
