package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"stichwort"
)

// request is one request a test server saw.
type request struct {
	path        string
	at          time.Time
	userAgent   string
	ifNoneMatch string
	ifModSince  string
}

// site is an httptest server that serves a fixture directory, with
// {{WWW}} and {{DOCS}} replaced by server URLs, plus handlers and files a
// test sets. It records every request and the most requests in flight.
type site struct {
	t     testing.TB
	srv   *httptest.Server
	dir   string
	subst *strings.Replacer

	mu          sync.Mutex
	handlers    map[string]http.HandlerFunc
	files       map[string][]byte // path → content, overriding dir
	types       map[string]string // path → Content-Type
	reqs        []request
	inFlight    int
	maxInFlight int
}

// modTime is the Last-Modified of every fixture.
var modTime = time.Date(2024, 10, 22, 8, 0, 0, 0, time.UTC)

func newSite(t testing.TB, dir string) *site {
	t.Helper()
	s := &site{t: t, dir: dir, handlers: map[string]http.HandlerFunc{}, files: map[string][]byte{}, types: map[string]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.setSubst(nil)
	return s
}

// setSubst sets the placeholders: {{WWW}} is this server, the others are given.
func (s *site) setSubst(others map[string]string) {
	pairs := []string{"{{WWW}}", s.srv.URL}
	for k, v := range others {
		pairs = append(pairs, k, v)
	}
	s.subst = strings.NewReplacer(pairs...)
}

func (s *site) url(p string) string { return s.srv.URL + p }

func (s *site) handle(p string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[p] = h
}

func (s *site) setFile(p string, content []byte, contentType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[p] = content
	if contentType != "" {
		s.types[p] = contentType
	}
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, request{
		path: r.URL.RequestURI(), at: time.Now(), userAgent: r.UserAgent(),
		ifNoneMatch: r.Header.Get("If-None-Match"), ifModSince: r.Header.Get("If-Modified-Since"),
	})
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	h := s.handlers[r.URL.Path]
	if h == nil {
		// A handler for "/dir/" serves everything below.
		for p, ph := range s.handlers {
			if p != "/" && strings.HasSuffix(p, "/") && strings.HasPrefix(r.URL.Path, p) {
				h = ph
			}
		}
	}
	content, ok := s.files[r.URL.Path]
	typ := s.types[r.URL.Path]
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	if h != nil {
		h(w, r)
		return
	}
	p := r.URL.Path
	if p == "/" {
		p = "/index.html"
	}
	gz := false
	if !ok {
		data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(p)))
		if err != nil && strings.HasSuffix(p, ".gz") {
			data, err = os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(strings.TrimSuffix(p, ".gz"))))
			gz = true
		}
		if err != nil {
			http.NotFound(w, r)
			return
		}
		content = []byte(s.subst.Replace(string(data)))
	}
	if gz {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(content)
		zw.Close()
		content = b.Bytes()
	}
	if typ == "" {
		typ = contentTypeOf(p, gz)
	}
	sum := sha256.Sum256(content)
	w.Header().Set("Content-Type", typ)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, p, modTime, bytes.NewReader(content))
}

func contentTypeOf(p string, gz bool) string {
	switch {
	case gz:
		return "application/gzip"
	case strings.HasSuffix(p, "latin1.html"):
		return "text/html; charset=ISO-8859-1"
	case strings.HasSuffix(p, "cp1252.html"):
		return "text/html" // the charset is only in <meta>
	case path.Ext(p) == ".html":
		return "text/html; charset=utf-8"
	case path.Ext(p) == ".rss":
		return "application/rss+xml"
	case path.Ext(p) == ".xml":
		return "application/xml"
	case path.Ext(p) == ".pdf":
		return "application/pdf"
	case path.Ext(p) == ".txt":
		return "text/plain; charset=utf-8"
	case path.Ext(p) == ".png":
		return "image/png"
	}
	return "application/octet-stream"
}

// requests returns the paths requested so far (with query).
func (s *site) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

func (s *site) paths() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.path)
	}
	return out
}

func (s *site) count(p string) int {
	n := 0
	for _, q := range s.paths() {
		if q == p {
			n++
		}
	}
	return n
}

func (s *site) resetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = nil
	s.maxInFlight = 0
}

// collector is a Sink that keeps what it got, by id (later versions
// replace earlier ones, as in the index) and in order.
type collector struct {
	mu      sync.Mutex
	byID    map[string]stichwort.Document
	all     []stichwort.Document
	batches int
	fail    error
}

func newCollector() *collector { return &collector{byID: map[string]stichwort.Document{}} }

func (c *collector) sink(_ context.Context, docs []stichwort.Document) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	c.batches++
	for _, d := range docs {
		c.byID[d.ID] = d
		c.all = append(c.all, d)
	}
	return nil
}

func (c *collector) urls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, d := range c.byID {
		out = append(out, d.URL)
	}
	sort.Strings(out)
	return out
}

func (c *collector) byURL(u string) (stichwort.Document, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.byID {
		if d.URL == u {
			return d, true
		}
	}
	return stichwort.Document{}, false
}

// testConfig is a fast configuration for tests.
func testConfig(seeds ...string) Config {
	return Config{
		Seeds:                 seeds,
		Concurrency:           4,
		RequestTimeout:        2 * time.Second,
		ResponseHeaderTimeout: 2 * time.Second,
		DialTimeout:           time.Second,
		RetryBackoff:          10 * time.Millisecond,
		MaxRetryAfter:         2 * time.Second,
		PDFTimeout:            5 * time.Second,
	}
}

func mustCrawler(tb testing.TB, cfg Config, sink Sink) *Crawler {
	tb.Helper()
	c, err := New(cfg, sink)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func mustRun(tb testing.TB, c *Crawler) Stats {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := c.Run(ctx)
	if err != nil {
		tb.Fatalf("Run: %v", err)
	}
	return st
}

// mustPDF makes a small PDF with fpdf: one page per entry of pages, the
// core font with the cp1252 translator (umlauts, ß).
func mustPDF(tb testing.TB, title string, created time.Time, pages ...string) []byte {
	tb.Helper()
	return buildPDF(tb, title, created, nil, pages...)
}

func buildPDF(tb testing.TB, title string, created time.Time, protect func(*fpdf.Fpdf), pages ...string) []byte {
	tb.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	if title != "" {
		pdf.SetTitle(title, true)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	if protect != nil {
		protect(pdf)
	}
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFont("Helvetica", "", 12)
	for _, text := range pages {
		pdf.AddPage()
		pdf.MultiCell(0, 6, tr(text), "", "L", false)
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// testLogger logs through t.Log, so a failing test shows the crawl.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// articleHTML is a page in the sample layout with enough text to be an
// article; extra goes into the article text (download links).
func articleHTML(title, date, extra string, tags ...string) string {
	var tl []string
	for _, t := range tags {
		tl = append(tl, `<a>`+t+`</a>`) // no href: nothing more to crawl
	}
	return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<main><article class="artikel"><h1>` + title + `</h1>
<p class="lead">[` + date + `] Ein kurzer Vorspann zur Meldung.</p>
<div class="artikel-text">
<p>Der erste Absatz erzählt, worum es geht: Die Verwaltung digitalisiert einen weiteren Antrag, und die Bürgerinnen und Bürger sparen sich den Weg ins Amt.</p>
<p>Der zweite Absatz liefert Einzelheiten zu Kosten, Zeitplan und Zuständigkeiten, damit der Text lang genug für einen Artikel ist. (red)</p>
` + extra + `
</div>
<p class="stichwoerter">Stichwörter: ` + strings.Join(tl, ", ") + `</p>
</article></main></body></html>`
}

// htmlHandler serves a fixed HTML page.
func htmlHandler(page string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}
}
