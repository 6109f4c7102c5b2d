package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// logRecord is one log line of a crawl, with its attributes as text.
type logRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// logRecorder is a slog.Handler that keeps every record, so a test can
// check that the crawler recorded a reason for what it did not index.
type logRecorder struct {
	mu   *sync.Mutex
	recs *[]logRecord
}

func newLogRecorder() logRecorder { return logRecorder{mu: new(sync.Mutex), recs: new([]logRecord)} }

func (h logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h logRecorder) WithGroup(string) slog.Handler            { return h }
func (h logRecorder) logger() *slog.Logger                     { return slog.New(h) }
func (h logRecorder) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: map[string]string{}}
	r.Attrs(func(a slog.Attr) bool {
		rec.attrs[a.Key] = fmt.Sprint(a.Value.Any())
		return true
	})
	h.mu.Lock()
	*h.recs = append(*h.recs, rec)
	h.mu.Unlock()
	return nil
}

// reason returns the first warning or info about a URL ending in path, or
// "" when the crawl said nothing about it.
func (h logRecorder) reason(path string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range *h.recs {
		if r.level >= slog.LevelInfo && (strings.HasSuffix(r.attrs["url"], path) || r.attrs["host"] != "" && path == "") {
			return r.msg + ": " + r.attrs["err"]
		}
	}
	return ""
}

func (h logRecorder) has(msg string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range *h.recs {
		if strings.Contains(r.msg, msg) {
			return true
		}
	}
	return false
}

// warnings counts the warnings that name a URL and an error.
func (h logRecorder) warnings() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range *h.recs {
		if r.level >= slog.LevelWarn && r.attrs["url"] != "" && r.attrs["err"] != "" {
			n++
		}
	}
	return n
}

func (h logRecorder) dump(t *testing.T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range *h.recs {
		if r.level >= slog.LevelInfo {
			t.Logf("%v %s %v", r.level, r.msg, r.attrs)
		}
	}
}

// gzipped compresses n zero bytes: a few KiB that inflate to n.
func gzipped(tb testing.TB, prefix string, n int) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(prefix))
	zeros := make([]byte, 1<<20)
	for range n >> 20 {
		zw.Write(zeros)
	}
	zw.Close()
	return b.Bytes()
}

// manyObjectsPDF is a valid one-page PDF padded with n filler objects,
// all in the cross-reference table.
func manyObjectsPDF(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	content := "BT /F1 12 Tf 72 700 Td (Viele Objekte im Beschluss) Tj ET"
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj("<< /Length " + strconv.Itoa(len(content)) + " >>\nstream\n" + content + "\nendstream")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := range n {
		obj("<< /Filler " + strconv.Itoa(i) + " >>")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// TestHostilePages crawls sites that try to trap, flood, stall or crash a
// crawler. Each time the crawl must finish in bounded time, index the
// ordinary article next to the hostile page, and record a reason for what
// it did not index (a log line with the URL, or for PDFs the error kept in
// the state as well).
func TestHostilePages(t *testing.T) {
	pdf := mustPDF(t, "Beschluss", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), "Ein Beschluss mit Text.")
	tests := []struct {
		name  string
		setup func(t *testing.T, s *site, cfg *Config) []string // links on the home page
		// check sees the stats, the log and the collected documents.
		check func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector)
		// limit is the time the crawl may take.
		limit time.Duration
	}{
		{
			name: "endless calendar",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				cfg.MaxDepth = 5
				s.handle("/kalender/", func(w http.ResponseWriter, r *http.Request) {
					n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/kalender/"))
					fmt.Fprintf(w, `<html><body><a href="/kalender/%d">zurück</a> <a href="/kalender/%d">weiter</a></body></html>`, n-1, n+1)
				})
				return []string{"/kalender/2024"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, _ *collector) {
				n := 0
				for _, p := range s.paths() {
					if strings.HasPrefix(p, "/kalender/") {
						n++
					}
				}
				if n == 0 || n > 2*5+1 || st.Limited == 0 || !logs.has("depth limit") {
					t.Errorf("%d calendar pages fetched, %d limited; want at most 11 and a logged depth limit", n, st.Limited)
				}
			},
		},
		{
			name: "ever deeper URLs",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				cfg.MaxPagesPerHost = 25
				s.handle("/tief/", func(w http.ResponseWriter, r *http.Request) {
					fmt.Fprint(w, `<html><body><a href="a/">a</a> <a href="b/">b</a> <a href="c/">c</a></body></html>`)
				})
				return []string{"/tief/"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, _ *collector) {
				if st.Fetched > 25 || st.Limited == 0 || !logs.has("page budget") {
					t.Errorf("fetched %d, limited %d; want at most 25 and a logged page budget", st.Fetched, st.Limited)
				}
			},
		},
		{
			name: "gzip bomb",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				cfg.MaxBodyBytes = 1 << 20
				bomb := gzipped(t, "<html><body>", 64<<20) // 64 MiB inflated, ~64 KiB sent
				pdfBomb := gzipped(t, "%PDF-1.4\n", 64<<20)
				serve := func(body []byte, typ string) http.HandlerFunc {
					return func(w http.ResponseWriter, r *http.Request) {
						w.Header().Set("Content-Type", typ)
						w.Header().Set("Content-Encoding", "gzip")
						w.Write(body)
					}
				}
				s.handle("/bombe", serve(bomb, "text/html"))
				s.handle("/bombe.pdf", serve(pdfBomb, "application/pdf"))
				return []string{"/bombe", "/bombe.pdf"}
			},
			check: func(t *testing.T, _ *site, st Stats, logs logRecorder, _ *collector) {
				for _, p := range []string{"/bombe", "/bombe.pdf"} {
					if r := logs.reason(p); !strings.Contains(r, ErrBodyTooLarge.Error()) {
						t.Errorf("%s: reason %q, want %q", p, r, ErrBodyTooLarge)
					}
				}
			},
		},
		{
			name: "one byte a second",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				s.handle("/tropf", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					tick := time.NewTicker(time.Second)
					defer tick.Stop()
					for {
						if _, err := w.Write([]byte("<")); err != nil {
							return
						}
						w.(http.Flusher).Flush()
						select {
						case <-r.Context().Done():
							return
						case <-tick.C:
						}
					}
				})
				return []string{"/tropf"}
			},
			check: func(t *testing.T, _ *site, st Stats, logs logRecorder, _ *collector) {
				if r := logs.reason("/tropf"); !strings.Contains(r, "timed out") && !strings.Contains(r, "deadline") && !strings.Contains(r, "Timeout") {
					t.Errorf("reason %q, want a timeout", r)
				}
			},
			limit: 10 * time.Second,
		},
		{
			name: "malformed HTML",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				s.handle("/kaputt", htmlHandler(`<html><head><title>Kaputt</title><body><div><p>Offen <b><i><table><tr><td>`+
					strings.Repeat("<div>", 20000)+"Tiefe"+strings.Repeat("</span>", 5000)+`</html></html><<<>>>`+"\x00<a href='/gut'>x</a>"))
				s.handle("/leer", htmlHandler(""))
				s.handle("/nur-text", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.Write(bytes.Repeat([]byte("<p>Absatz ohne Ende "), 20000))
				})
				return []string{"/kaputt", "/leer", "/nur-text"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector) {
				for _, p := range []string{"/kaputt", "/leer", "/nur-text"} {
					if s.count(p) != 1 {
						t.Errorf("%s fetched %d times", p, s.count(p))
					}
				}
			},
		},
		{
			name: "invalid UTF-8",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				page := articleHTML("Ungültig \xff\xfe kodiert \xc3", "01.05.2024", "<p>Text mit \xed\xa0\x80 Surrogat und \xc0\xaf überlangem Zeichen.</p>", "Kodierung\xff")
				s.handle("/utf8", htmlHandler(page))
				return []string{"/utf8"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector) {
				d, ok := col.byURL(s.url("/utf8"))
				if !ok {
					if r := logs.reason("/utf8"); r == "" {
						t.Error("not indexed and no reason recorded")
					}
					return
				}
				for _, f := range append([]string{d.Title, d.Lead, d.Body}, d.Tags...) {
					if !utf8.ValidString(f) {
						t.Errorf("field %q is not valid UTF-8", f)
					}
				}
			},
		},
		{
			name: "robots.txt of 10 MB",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				var b strings.Builder
				b.WriteString("User-agent: *\nDisallow: /verboten\n")
				for i := 0; b.Len() < 10<<20; i++ {
					fmt.Fprintf(&b, "Disallow: /pfad-%d/mit/einem/langen/namen\n", i)
				}
				robots := b.String()
				s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/plain")
					w.Write([]byte(robots))
				})
				s.handle("/verboten", htmlHandler(articleHTML("Verboten", "01.05.2024", "")))
				return []string{"/verboten"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector) {
				if s.count("/verboten") != 0 || st.RobotsBlocked == 0 || s.count("/robots.txt") != 1 {
					t.Errorf("robots.txt fetched %d times, /verboten %d times, %d blocked", s.count("/robots.txt"), s.count("/verboten"), st.RobotsBlocked)
				}
			},
		},
		{
			name: "PDF with a broken xref",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				broken := bytes.Clone(pdf)
				i := bytes.LastIndex(broken, []byte("startxref"))
				copy(broken[i+10:], "99999999")                                                              // points nowhere
				broken = bytes.Replace(broken, []byte("0000000009 00000 n"), []byte("garbage!! 00000 n"), 1) // an unreadable entry
				s.setFile("/kaputt.pdf", broken, "application/pdf")
				s.setFile("/abgeschnitten.pdf", pdf[:len(pdf)/2], "application/pdf")
				return []string{"/kaputt.pdf", "/abgeschnitten.pdf"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector) {
				for _, p := range []string{"/kaputt.pdf", "/abgeschnitten.pdf"} {
					if _, ok := col.byURL(s.url(p)); !ok && logs.reason(p) == "" {
						t.Errorf("%s: not indexed and no reason recorded", p)
					}
				}
			},
		},
		{
			name: "encrypted PDF",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				enc := buildPDF(t, "Geheim", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), func(p *fpdf.Fpdf) {
					p.SetProtection(fpdf.CnProtectPrint, "benutzer", "besitzer")
				}, "Geheimer Beschluss.")
				s.setFile("/geheim.pdf", enc, "application/pdf")
				return []string{"/geheim.pdf"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector) {
				if r := logs.reason("/geheim.pdf"); !strings.Contains(r, "encrypted") {
					t.Errorf("reason %q, want encrypted", r)
				}
			},
		},
		{
			name: "PDF with very many objects",
			setup: func(t *testing.T, s *site, cfg *Config) []string {
				s.setFile("/viele.pdf", manyObjectsPDF(300_000), "application/pdf")
				return []string{"/viele.pdf"}
			},
			check: func(t *testing.T, s *site, st Stats, logs logRecorder, col *collector) {
				if d, ok := col.byURL(s.url("/viele.pdf")); ok {
					if !strings.Contains(d.Body, "Viele Objekte") {
						t.Errorf("text %q", d.Body)
					}
				} else if logs.reason("/viele.pdf") == "" {
					t.Error("not indexed and no reason recorded")
				}
			},
			limit: 15 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, t.TempDir())
			cfg := testConfig(s.url("/"))
			links := tt.setup(t, s, &cfg)
			s.setFile("/anlage.pdf", pdf, "application/pdf")
			var body strings.Builder
			body.WriteString(`<p class="download"><a href="/anlage.pdf">Anlage (PDF)</a></p>`)
			for _, l := range links {
				fmt.Fprintf(&body, `<p><a href="%s">Link</a></p>`, l)
			}
			s.handle("/gut", htmlHandler(articleHTML("Ein gewöhnlicher Artikel", "01.05.2024", body.String(), "Verwaltung")))
			s.handle("/", htmlHandler(`<html><body><a href="/gut">Artikel</a></body></html>`))
			logs := newLogRecorder()
			cfg.Logger = logs.logger()
			col := newCollector()
			c := mustCrawler(t, cfg, col.sink)
			limit := tt.limit
			if limit == 0 {
				limit = 10 * time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			start := time.Now()
			st, err := c.Run(ctx)
			if err != nil {
				logs.dump(t)
				t.Fatalf("Run after %v: %v", time.Since(start), err)
			}
			if _, ok := col.byURL(s.url("/gut")); !ok {
				t.Error("the ordinary article was not indexed")
			}
			if _, ok := col.byURL(s.url("/anlage.pdf")); !ok {
				t.Error("the ordinary PDF was not indexed")
			}
			tt.check(t, s, st, logs, col)
			// Every failure has its reason in the log, with the URL.
			if n := logs.warnings(); n < st.Failed {
				t.Errorf("%d failures but %d warnings with a URL and an error", st.Failed, n)
			}
			if t.Failed() {
				logs.dump(t)
			}
			t.Logf("%v: %+v", time.Since(start).Round(time.Millisecond), st)
		})
	}
}
