package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"stichwort"
	"stichwort/crawler/state"
	"stichwort/crawler/warc"
)

// Sink receives extracted documents in batches. The crawler records a URL
// as done in its state only after the Sink call that carried its document
// returned nil, so a crash re-fetches at most the last batch. A Sink error
// ends the Run with that error. The Sink is called from Run's goroutine,
// never concurrently.
type Sink func(ctx context.Context, docs []stichwort.Document) error

// Stats are the counts of a Run.
type Stats struct {
	// Fetched are HTML pages and PDFs downloaded in full (status 200).
	Fetched int `json:"fetched"`
	// NotModified are 304 answers to conditional requests.
	NotModified int `json:"not_modified"`
	// Unchanged are articles and PDFs fetched again whose document did not
	// change; they are not sent.
	Unchanged int `json:"unchanged"`
	// Failed are fetches that failed after retries (error status,
	// timeout, too large, redirect loop, refused address) and PDFs whose
	// text could not be extracted.
	Failed int `json:"failed"`
	// RobotsBlocked are URLs robots.txt did not allow.
	RobotsBlocked int `json:"robots_blocked"`
	// PDFs are PDFs downloaded (whether or not their text was usable).
	PDFs int `json:"pdfs"`
	// Documents are documents delivered to the Sink.
	Documents int `json:"documents"`
	// Duplicates are articles whose content was already indexed under
	// another URL (or reached twice in one run).
	Duplicates int `json:"duplicates"`
	// Skipped are responses that were neither HTML nor PDF, and redirects
	// that left the crawl's scope.
	Skipped int `json:"skipped"`
	// Limited are URLs not fetched because of MaxDepth or
	// MaxPagesPerHost (spider traps).
	Limited int `json:"limited"`
	// Requests are all HTTP requests sent, including robots.txt, sitemaps,
	// feeds, redirects and retries.
	Requests int `json:"requests"`
	// Queued are URLs waiting in the frontier; InFlight are being fetched.
	Queued   int `json:"queued"`
	InFlight int `json:"in_flight"`
	// Running is true while a Run is in progress.
	Running bool `json:"running"`
	// Started and Finished are the times of the last Run.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
}

// Crawler crawls the configured seeds. Run may be called again for a
// recrawl; Progress may be called at any time from any goroutine.
type Crawler struct {
	cfg   Config
	sink  Sink
	store *state.Store
	// archive is the raw archive, nil when Config.ArchiveDir is "".
	archive *warc.Writer
	guard   *dialGuard
	rt      http.RoundTripper
	fetch   *fetcher
	log     *slog.Logger
	now     func() time.Time

	runMu sync.Mutex // held by Run

	mu    sync.Mutex // guards stats, total and closed
	stats Stats
	// total adds up the counts of every Run since New (Queued, InFlight,
	// Running and the times are those of the current or last Run).
	total  Stats
	closed bool
}

// New returns a Crawler for cfg that delivers documents to sink. It opens
// the state at cfg.StatePath (state.ErrLocked if another process holds it).
func New(cfg Config, sink Sink) (*Crawler, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if sink == nil {
		return nil, fmt.Errorf("%w: nil sink", ErrConfig)
	}
	store, err := state.Open(cfg.StatePath)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	c := &Crawler{
		cfg:   cfg,
		sink:  sink,
		store: store,
		guard: &dialGuard{allowAll: cfg.AllowPrivate},
		log:   cfg.Logger,
		now:   time.Now,
	}
	c.rt = cfg.Transport
	if c.rt == nil {
		c.rt = newTransport(cfg, c.guard)
	}
	c.fetch = newFetcher(cfg, c.rt, func() { c.count(func(s *Stats) { s.Requests++ }) })
	if cfg.ArchiveDir != "" {
		c.archive, err = warc.NewWriter(cfg.ArchiveDir, warc.Options{MaxFileSize: cfg.ArchiveFileSize, Software: cfg.UserAgent})
		if err != nil {
			_ = store.Close()
			return nil, fmt.Errorf("crawler: %w", err)
		}
		c.fetch.archive = c.archive.Write
	}
	return c, nil
}

// Run crawls until the frontier is empty or ctx is done, delivers the last
// batch and returns the counts of this run. On cancellation it stops
// fetching, still hands the documents extracted so far to the Sink, and
// returns ctx's error. A Sink or state error ends the run with that error.
func (c *Crawler) Run(ctx context.Context) (Stats, error) {
	if !c.runMu.TryLock() {
		return Stats{}, ErrRunning
	}
	defer c.runMu.Unlock()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return Stats{}, ErrClosed
	}
	c.stats = Stats{Running: true, Started: c.now()}
	c.total.Running, c.total.Started = true, c.stats.Started
	c.mu.Unlock()

	if c.cfg.Transport == nil {
		if err := c.guard.allowSeeds(ctx, c.cfg.Seeds); err != nil {
			return c.finish(err)
		}
	}
	r := newRun(c)
	err := r.loop(ctx)
	return c.finish(err)
}

func (c *Crawler) finish(err error) (Stats, error) {
	c.mu.Lock()
	c.stats.Running = false
	c.stats.Queued, c.stats.InFlight = 0, 0
	c.stats.Finished = c.now()
	c.total.Running = false
	c.total.Queued, c.total.InFlight = 0, 0
	c.total.Finished = c.stats.Finished
	s := c.stats
	c.mu.Unlock()
	level := slog.LevelInfo
	if err != nil && !errors.Is(err, context.Canceled) {
		level = slog.LevelError
	}
	c.log.Log(context.Background(), level, "crawl finished",
		slog.Int("fetched", s.Fetched), slog.Int("documents", s.Documents),
		slog.Int("not_modified", s.NotModified), slog.Int("unchanged", s.Unchanged),
		slog.Int("failed", s.Failed), slog.Int("pdfs", s.PDFs),
		slog.Int("robots_blocked", s.RobotsBlocked), slog.Duration("took", s.Finished.Sub(s.Started)),
		slog.Any("err", err))
	return s, err
}

// Progress returns the live counts of the current or last Run.
func (c *Crawler) Progress() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Totals returns the counts of all Runs of the crawler added up, for
// monitoring: they only grow, while Progress starts again at every Run.
func (c *Crawler) Totals() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// count applies f to the live counts of the run and to the totals.
func (c *Crawler) count(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	f(&c.total)
	c.mu.Unlock()
}

// Close waits for a running Run to return (cancel its context first) and
// releases the state file.
func (c *Crawler) Close() error {
	c.runMu.Lock()
	defer c.runMu.Unlock()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	if t, ok := c.rt.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	var errs []error
	if c.archive != nil {
		errs = append(errs, c.archive.Close())
	}
	errs = append(errs, c.store.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("crawler: close: %w", err)
	}
	return nil
}
