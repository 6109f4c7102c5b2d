package crawler

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"stichwort/crawler/urlnorm"
	"stichwort/crawler/warc"
)

// ReplayConfig configures Replay. Zero values mean the crawl defaults.
type ReplayConfig struct {
	// ArchiveDir is the folder of the raw archive (Config.ArchiveDir).
	ArchiveDir string
	// UserAgent is matched against the archived robots.txt files, as in
	// the crawl that wrote them.
	UserAgent string
	// Concurrency is the number of parallel extractions (default: the
	// number of CPUs).
	Concurrency int
	BatchSize   int
	PDFTimeout  time.Duration
	Logger      *slog.Logger
}

// Replay rebuilds the documents of every crawl kept in the archive and
// hands them to sink, without the network. It runs a crawl whose transport
// answers each URL with the last response the archive holds for it (a 304
// or a 429/5xx only when there is nothing better), so archived pages go
// through the same parsing, extraction, deduplication and PDF-parent
// linking as a live crawl, with the code of today. The crawl starts from
// every archived HTML page and PDF that was not the target of a redirect,
// so pages that no listing links any more are rebuilt too; links to URLs
// the archive does not hold are skipped. The state is kept in memory:
// Replay does not touch the crawl state of the data folder.
func Replay(ctx context.Context, cfg ReplayConfig, sink Sink) (Stats, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	arch, err := indexArchive(cfg.ArchiveDir, cfg.Logger)
	if err != nil {
		return Stats{}, err
	}
	if len(arch.seeds) == 0 {
		cfg.Logger.Info("the archive holds no pages", slog.String("dir", cfg.ArchiveDir))
		return Stats{}, nil
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = runtime.GOMAXPROCS(0)
	}
	c, err := New(Config{
		Seeds:         arch.seeds,
		Concurrency:   cfg.Concurrency,
		UserAgent:     cfg.UserAgent,
		MaxBodyBytes:  1 << 40, // what was archived was within the crawl's limit
		BatchSize:     cfg.BatchSize,
		Logger:        cfg.Logger,
		Transport:     arch,
		RetryBackoff:  time.Millisecond,
		MaxRetryAfter: time.Millisecond,
		PDFTimeout:    cfg.PDFTimeout,
		replay:        true,
	}, sink)
	if err != nil {
		return Stats{}, err
	}
	cfg.Logger.Info("replaying the archive", slog.String("dir", cfg.ArchiveDir),
		slog.Int("urls", len(arch.latest)), slog.Int("start_pages", len(arch.seeds)))
	stats, err := c.Run(ctx)
	if cerr := c.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return stats, err
}

// archiveIndex locates the response Replay serves for each URL. It is the
// http.RoundTripper of the replayed crawl.
type archiveIndex struct {
	latest map[string]archived
	// seeds are the archived HTML pages and PDFs that were not redirect
	// targets, in the order they were first fetched.
	seeds []string
}

type archived struct {
	file   string
	offset int64
	// usable is false for a 304 or a 429/5xx, which a later usable
	// response may not replace.
	usable bool
}

func indexArchive(dir string, log *slog.Logger) (*archiveIndex, error) {
	a := &archiveIndex{latest: make(map[string]archived)}
	var order []string
	seedable := make(map[string]bool)
	redirected := make(map[string]bool)
	err := warc.Each(dir, log, func(r warc.Response) error {
		usable := r.Status != http.StatusNotModified && !retryable(r.Status)
		prev, seen := a.latest[r.URL]
		if !seen {
			order = append(order, r.URL)
		}
		if !seen || usable || !prev.usable {
			a.latest[r.URL] = archived{file: r.File, offset: r.Offset, usable: usable}
		}
		if !usable {
			return nil
		}
		seedable[r.URL] = false
		switch {
		case r.Status >= 300 && r.Status < 400:
			if u, err := urlnorm.Parse(r.URL); err == nil {
				if t, err := urlnorm.Resolve(u, r.Header.Get("Location")); err == nil {
					redirected[t.String()] = true
				}
			}
		case r.Status == http.StatusOK || r.Status == http.StatusNonAuthoritativeInfo:
			seedable[r.URL] = isDocument(r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: replay: %w", err)
	}
	for _, u := range order {
		if seedable[u] && !redirected[u] {
			a.seeds = append(a.seeds, u)
		}
	}
	return a, nil
}

// isDocument reports whether an archived response is an HTML page or a
// PDF: what a crawl extracts documents from.
func isDocument(r warc.Response) bool {
	if bytes.HasPrefix(r.Body, []byte("%PDF-")) {
		return true
	}
	typ, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch strings.ToLower(typ) {
	case "text/html", "application/xhtml+xml", "application/pdf", "application/x-pdf":
		return true
	case "":
		return strings.HasPrefix(http.DetectContentType(r.Body), "text/html")
	}
	return false
}

// RoundTrip answers a request with the archived response for its URL.
func (a *archiveIndex) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	loc, ok := a.latest[req.URL.String()]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotArchived, req.URL)
	}
	r, err := warc.ReadAt(loc.file, loc.offset)
	if err != nil {
		return nil, err
	}
	h := r.Header
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Length", strconv.Itoa(len(r.Body)))
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status)),
		StatusCode:    r.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(r.Body)),
		ContentLength: int64(len(r.Body)),
		Request:       req,
	}, nil
}
