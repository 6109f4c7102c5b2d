package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stichwort"
	"stichwort/crawler"
	"stichwort/index"
	"stichwort/internal/samplesite"
	"stichwort/server"
)

// Main is the program: flags in, the wired parts, and their shutdown. Tests
// run it in-process on 127.0.0.1:0.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	cmd        string
	dataDir    string
	logLevel   string
	logFormat  string
	seeds      stringList
	crawl      crawler.Config
	addr       string
	recrawl    time.Duration
	siteDir    string
	tags       stringList
	docType    string
	jsonOut    bool
	size       int
	query      string
	importFile string

	logger   *slog.Logger
	idx      *index.Index
	site     *samplesite.Site
	srv      *http.Server
	listener net.Listener
	crawler  *crawler.Crawler
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	// live is the crawler too, for the metrics and the progress line,
	// which read it from other goroutines.
	live atomic.Pointer[crawler.Crawler]

	// afterIndex runs after every indexed crawl or import batch.
	afterIndex []func(context.Context, []stichwort.Document) error
	alerts     alertsPart       // alerts.go
	limits     server.RateLimit // limits.go
	ops        opsPart          // backup.go
	warm       warmPart         // warm.go
	stopWarm   context.CancelFunc

	mu        sync.Mutex
	crawling  bool
	lastCrawl time.Time
	crawlDone chan struct{} // closed after the first background crawl
	closed    bool
}

// NewMain returns a Main that uses the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, crawlDone: make(chan struct{})}
}

func (m *Main) serving() bool { return m.cmd == "serve" || m.cmd == "demo" }

// Addr is the address the server listens on, once Run has returned.
func (m *Main) Addr() string {
	if m.listener == nil {
		return ""
	}
	return m.listener.Addr().String()
}

// CrawlDone is closed when the first background crawl of serve has ended.
func (m *Main) CrawlDone() <-chan struct{} { return m.crawlDone }

// Run executes the command. For serve and demo it starts the server and the
// background crawl and returns; Close stops them.
func (m *Main) Run(ctx context.Context) error {
	restrictUmask() // umask_unix.go
	// check.go, backup.go: they open the data folder themselves.
	switch m.cmd {
	case "check":
		return m.runCheck(ctx)
	case "backup":
		return m.runBackup(ctx)
	}
	if err := os.MkdirAll(m.dataDir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	var err error
	m.idx, err = index.Open(filepath.Join(m.dataDir, "index"), m.logger)
	if err != nil {
		if errors.Is(err, index.ErrLocked) {
			return fmt.Errorf("%s is in use by another stichwort process (a running serve?); stop it first: %w", m.dataDir, err)
		}
		return err
	}
	if err := m.openAlerts(ctx); err != nil {
		return err
	}
	switch m.cmd {
	case "crawl":
		return m.runCrawl(ctx)
	case "search":
		return m.runSearch(ctx)
	case "import":
		return m.runImport(ctx)
	case "reindex":
		return m.runReindex(ctx)
	case "demo":
		m.site, err = samplesite.NewSite(m.siteDir)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := m.site.Start(); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		m.seeds = stringList{m.site.WWWURL() + "/"}
		m.crawl.Delay = 0
		fmt.Fprintf(m.Stdout, "Beispielseite: %s (Dokumente: %s)\n", m.site.WWWURL(), m.site.DokumenteURL())
		return m.runServe(ctx)
	case "serve":
		return m.runServe(ctx)
	}
	return usagef("unknown command %q", m.cmd)
}

// Close stops the server and the crawler and closes the index.
func (m *Main) Close() error {
	if m.closed { // a test's cleanup may close again
		return nil
	}
	m.closed = true
	if m.cancel != nil {
		m.cancel()
	}
	if m.stopWarm != nil {
		m.stopWarm()
	}
	m.stopAlerts()
	var errs []error
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, m.srv.Shutdown(ctx))
		cancel()
	}
	m.wg.Wait()
	if m.crawler != nil {
		errs = append(errs, m.crawler.Close())
	}
	if m.site != nil {
		errs = append(errs, m.site.Close())
	}
	errs = append(errs, m.closeAlerts())
	if m.idx != nil {
		errs = append(errs, m.idx.Close())
	}
	return errors.Join(errs...)
}

func (m *Main) newCrawler() (*crawler.Crawler, error) {
	cfg := m.crawl
	cfg.Seeds = m.seeds
	cfg.StatePath = filepath.Join(m.dataDir, "crawl.db")
	cfg.ArchiveDir = m.archiveDir()
	cfg.Logger = m.logger
	c, err := crawler.New(cfg, m.indexBatch)
	if err == nil {
		m.live.Store(c)
	}
	return c, err
}

// indexBatch is the crawler's sink: it indexes a batch and then lets the
// parts that react to new documents (alerts) see it.
func (m *Main) indexBatch(ctx context.Context, docs []stichwort.Document) error {
	if err := m.idx.Put(ctx, docs); err != nil {
		return err
	}
	for _, hook := range m.afterIndex {
		if err := hook(ctx, docs); err != nil {
			return err
		}
	}
	return nil
}

func (m *Main) runCrawl(ctx context.Context) error {
	stopProgress := m.startProgress(ctx)
	defer stopProgress()
	c, err := m.newCrawler()
	if err != nil {
		return err
	}
	m.crawler = c
	stats, err := c.Run(ctx)
	stopProgress()
	m.logger.Info("crawl finished", slog.Any("stats", stats), slog.Int("docs", m.idx.Count()))
	return err
}

func (m *Main) runServe(ctx context.Context) error {
	h, err := server.New(m.idx, m.withOps(m.withAlerts(server.Config{Logger: m.logger, Status: m.status, Version: version, Metrics: m.newMetrics()})))
	if err != nil {
		return err
	}
	m.listener, err = net.Listen("tcp", m.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.addr, err)
	}
	m.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn),
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		if err := m.srv.Serve(m.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.logger.Error("server stopped", slog.String("error", err.Error()))
		}
	}()
	fmt.Fprintf(m.Stdout, "stichwort läuft auf http://%s\n", m.Addr())
	warmCtx, stopWarm := context.WithCancel(ctx)
	m.stopWarm = stopWarm
	m.warmUp(warmCtx) // warm.go

	if len(m.seeds) == 0 {
		close(m.crawlDone)
		return nil
	}
	c, err := m.newCrawler()
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.crawler = c // status() reads it from HTTP handlers
	m.mu.Unlock()
	ctx, m.cancel = context.WithCancel(ctx)
	m.wg.Add(2)
	go m.crawlLoop(ctx)
	go func() { defer m.wg.Done(); logProgress(ctx, m.logger, progressLogEvery, m.crawlStats) }()
	return nil
}

// crawlLoop crawls the seeds now and then every --recrawl.
func (m *Main) crawlLoop(ctx context.Context) {
	defer m.wg.Done()
	first := true
	for {
		m.setCrawling(true)
		stats, err := m.crawler.Run(ctx)
		m.setCrawling(false)
		if err != nil && ctx.Err() == nil {
			m.logger.Error("crawl failed", slog.String("error", err.Error()))
		} else {
			m.logger.Info("crawl finished", slog.Any("stats", stats), slog.Int("docs", m.idx.Count()))
		}
		if first {
			close(m.crawlDone)
			first = false
		}
		if m.recrawl <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.recrawl):
		}
	}
}

func (m *Main) setCrawling(on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.crawling = on
	if !on {
		m.lastCrawl = time.Now()
	}
}

func (m *Main) status() server.CrawlStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := server.CrawlStatus{Crawling: m.crawling, LastCrawl: m.lastCrawl}
	if m.crawler != nil {
		// The same counts as the stichwort_crawl_* metrics.
		st.Counts = m.crawler.Totals()
	}
	return st
}

func (m *Main) runSearch(ctx context.Context) error {
	res, err := m.idx.Search(ctx, index.Request{Query: m.query, Tags: m.tags, Types: types(m.docType), Size: m.size})
	if err != nil {
		return err
	}
	if m.jsonOut {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(cliResult(res))
	}
	fmt.Fprintf(m.Stdout, "%d Treffer\n", res.Total)
	for i, h := range res.Hits {
		fmt.Fprintf(m.Stdout, "\n%d. %s\n   ", i+1, h.Title)
		if !h.Date.IsZero() {
			fmt.Fprintf(m.Stdout, "%s · ", h.Date.Format("02.01.2006"))
		}
		kind := "Artikel"
		if h.Type == stichwort.TypePDF {
			kind = "PDF"
		}
		fmt.Fprintf(m.Stdout, "%s · %s", h.Source, kind)
		if len(h.Tags) > 0 {
			fmt.Fprintf(m.Stdout, " · %s", strings.Join(h.Tags, ", "))
		}
		fmt.Fprintf(m.Stdout, "\n   %s\n   %s\n", plainSnippet(h.Snippet), h.URL)
	}
	return nil
}

var markTags = regexp.MustCompile(`</?mark>`)

// plainSnippet turns an HTML snippet into terminal text, matches in »«.
func plainSnippet(s string) string {
	s = strings.NewReplacer("<mark>", "»", "</mark>", "«").Replace(s)
	return html.UnescapeString(markTags.ReplaceAllString(s, ""))
}

type cliHit struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Title   string   `json:"title"`
	Date    string   `json:"date,omitempty"`
	Type    string   `json:"type"`
	Source  string   `json:"source"`
	Tags    []string `json:"tags"`
	Snippet string   `json:"snippet"`
	Score   float64  `json:"score"`
	Parent  string   `json:"parent,omitempty"`
}

func cliResult(res index.Result) map[string]any {
	hits := make([]cliHit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = cliHit{ID: h.ID, URL: h.URL, Title: h.Title, Type: h.Type, Source: h.Source,
			Tags: h.Tags, Snippet: h.Snippet, Score: h.Score, Parent: h.Parent}
		if hits[i].Tags == nil {
			hits[i].Tags = []string{}
		}
		if !h.Date.IsZero() {
			hits[i].Date = h.Date.Format(time.DateOnly)
		}
	}
	facet := func(vs []index.FacetValue) []map[string]any {
		out := make([]map[string]any, len(vs))
		for i, v := range vs {
			out[i] = map[string]any{"value": v.Value, "count": v.Count}
		}
		return out
	}
	return map[string]any{
		"total": res.Total, "took_ms": res.Took.Milliseconds(), "hits": hits,
		"facets": map[string]any{"tags": facet(res.Facets.Tags), "type": facet(res.Facets.Type),
			"year": facet(res.Facets.Year), "source": facet(res.Facets.Source)},
	}
}

// runImport indexes JSON lines; a bad line is reported with its number and
// skipped. Lines are parsed on all cores while batches are indexed (see
// importPipeline).
func (m *Main) runImport(ctx context.Context) error {
	in, err := openInput(m.importFile, m.Stdin)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer in.Close()
	report := func(line int, err error) {
		fmt.Fprintf(m.Stderr, "import: Zeile %d: %v\n", line, err)
	}
	imported, bad, err := newImportPipeline().run(ctx, in, report, m.indexBatch)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(m.Stderr, "import: %d Dokumente importiert, %d Zeilen fehlerhaft\n", imported, bad)
	return nil
}

func types(t string) []string {
	if t == "" {
		return nil
	}
	return []string{t}
}
