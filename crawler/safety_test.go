package crawler

import (
	"context"
	"errors"
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
			// The seed is on loopback, so loopback is an allowed kind
			// (TestDialGuard covers refusals with a public seed).
			name:      "other loopback server allowed for a loopback seed",
			link:      func(_, other *site) string { return other.url("/anlage.pdf") },
			wantPDF:   true,
			wantOther: 2, // robots.txt and the PDF
		},
		{
			name: "seed server under another name allowed",
			link: func(seed, _ *site) string {
				return strings.Replace(seed.url("/anlage.pdf"), "127.0.0.1", "localhost", 1)
			},
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

// TestDialGuard checks the private-address rule on the dial hook itself,
// since a public seed cannot be served in a test.
func TestDialGuard(t *testing.T) {
	tests := []struct {
		name    string
		seeds   []string
		all     bool
		address string
		allowed bool
	}{
		{"public seed, public target", []string{"http://93.184.216.34/"}, false, "93.184.216.34:443", true},
		{"public seed, loopback target", []string{"http://93.184.216.34/"}, false, "127.0.0.1:6379", false},
		{"public seed, private target", []string{"http://93.184.216.34/"}, false, "10.0.0.1:80", false},
		{"public seed, link-local metadata", []string{"http://93.184.216.34/"}, false, "169.254.169.254:80", false},
		{"public seed, IPv6 loopback", []string{"http://93.184.216.34/"}, false, "[::1]:80", false},
		{"public seed, mapped loopback", []string{"http://93.184.216.34/"}, false, "[::ffff:127.0.0.1]:80", false},
		{"loopback seed, other loopback port", []string{"http://127.0.0.1:8080/"}, false, "127.0.0.1:9000", true},
		{"loopback seed, private target", []string{"http://127.0.0.1:8080/"}, false, "192.168.1.1:80", false},
		{"private seed, private target", []string{"http://10.1.2.3/"}, false, "10.9.9.9:80", true},
		{"allow private", []string{"http://93.184.216.34/"}, true, "127.0.0.1:6379", true},
		{"public seed, CGNAT", []string{"http://93.184.216.34/"}, false, "100.64.0.1:80", false},
		{"public seed, unspecified", []string{"http://93.184.216.34/"}, false, "0.0.0.0:80", false},
		{"public seed, ULA", []string{"http://93.184.216.34/"}, false, "[fd00::1]:80", false},
		{"public seed, IPv6 link-local", []string{"http://93.184.216.34/"}, false, "[fe80::1]:80", false},
		{"public seed, public IPv6", []string{"http://93.184.216.34/"}, false, "[2001:db8::1]:443", true},
		{"not an address", []string{"http://93.184.216.34/"}, false, "kein-ip:80", false},
		{"IPv6 loopback seed allows IPv4 loopback", []string{"http://[::1]:8080/"}, false, "127.0.0.1:80", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &dialGuard{allowAll: tt.all}
			if err := g.allowSeeds(context.Background(), tt.seeds); err != nil {
				t.Fatal(err)
			}
			err := g.control("tcp", tt.address, nil)
			if (err == nil) != tt.allowed {
				t.Errorf("control(%s) = %v, want allowed=%v", tt.address, err, tt.allowed)
			}
			if err != nil && !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("error %v is not ErrPrivateAddress", err)
			}
		})
	}
}
