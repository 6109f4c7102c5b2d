package server

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"stichwort"
	"stichwort/index"
	"stichwort/index/alerts"
)

// Searcher is what the server needs of the index.
type Searcher interface {
	// Search runs a validated request; it returns index.ErrTooDeep for
	// pages beyond the reachable depth.
	Search(ctx context.Context, r index.Request) (index.Result, error)
	// Get returns one document or index.ErrNotFound.
	Get(id string) (stichwort.Document, error)
	// Count returns the number of documents.
	Count() int
	// Suggest completes a prefix for autocomplete.
	Suggest(ctx context.Context, prefix string, n int) ([]string, error)
	// Related returns documents like the one with id, or index.ErrNotFound.
	Related(ctx context.Context, id string, n int) ([]index.Hit, error)
}

// CrawlStatus is what /api/status reports about the background crawl.
type CrawlStatus struct {
	Crawling  bool
	LastCrawl time.Time // zero: never
	// Counts are the crawler's counts since start (pages fetched, failed,
	// PDFs, …), shown as "crawl" in /api/status; nil without a crawler.
	Counts any
}

// Config holds the server's settings and optional collaborators.
type Config struct {
	Logger *slog.Logger
	// Status reports the crawl state; nil means no crawler runs.
	Status func() CrawlStatus
	// Version is shown in the page footer.
	Version string
	// Metrics, if set, receives the server's metrics (requests by route
	// and status, latencies, documents in the index) and is served, with
	// whatever else the caller registered in it, on GET /metrics.
	Metrics *prometheus.Registry
	// Ready reports whether the server can answer searches (/readyz); nil
	// means always.
	Ready func(context.Context) error
	// Alerts keeps the saved searches (alerts.go); nil turns the alert
	// endpoints off.
	Alerts AlertStore
	// Deliveries reports the webhook counts for GET /api/alerts; may be nil.
	Deliveries func() alerts.DeliveryStats
	// AdminToken guards GET /api/alerts and POST /api/crawl; when empty,
	// both always answer 401.
	AdminToken string
	// Crawl starts a crawl now (POST /api/crawl); it returns
	// ErrCrawlRunning or ErrNoCrawler. Nil: the server does not crawl.
	Crawl func() error
	// Backup writes an online backup of the data folder (POST /api/backup,
	// backup.go) and returns the folder written; ErrBackupRunning while one
	// is in progress. Nil: no backups over HTTP.
	Backup func(context.Context) (string, error)
	// RateLimit limits searches and alert creation per client address
	// (ratelimit.go); the zero value limits nothing.
	RateLimit RateLimit
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server handles stichwort's HTTP requests.
type Server struct {
	idx    Searcher
	cfg    Config
	logger *slog.Logger
	tmpl   *template.Template
	static http.Handler
	// metrics are nil when Config.Metrics is.
	metrics *httpMetrics
}

// New returns the HTTP handler of stichwort. It parses the embedded
// templates, so a broken template fails here and not on a request.
func New(idx Searcher, cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	tmpl, err := template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("server: parse templates: %w", err)
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("server: static files: %w", err)
	}
	s := &Server{idx: idx, cfg: cfg, logger: cfg.Logger, tmpl: tmpl, static: http.FileServerFS(sub)}
	if cfg.Metrics != nil {
		if s.metrics, err = newHTTPMetrics(cfg.Metrics, idx.Count); err != nil {
			return nil, fmt.Errorf("server: metrics: %w", err)
		}
	}
	return s.routes(), nil
}
