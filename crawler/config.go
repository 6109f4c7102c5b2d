package crawler

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"stichwort/crawler/urlnorm"
)

// Defaults for the zero values of Config.
const (
	DefaultUserAgent             = "stichwort/0.1 (+https://github.com/stichwort)"
	DefaultConcurrency           = 4
	DefaultMaxBodyBytes          = 20 << 20
	DefaultBatchSize             = 20
	DefaultDialTimeout           = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 20 * time.Second
	DefaultRequestTimeout        = 60 * time.Second
	DefaultRetryBackoff          = time.Second
	DefaultMaxRetryAfter         = 30 * time.Second
	DefaultPDFTimeout            = 60 * time.Second
	// DefaultMaxDepth is the default of Config.MaxDepth: deep enough for
	// a paginated archive of a few thousand articles, shallow enough that
	// an endless calendar ends.
	DefaultMaxDepth = 100
	// DefaultMaxPagesPerHost is the default of Config.MaxPagesPerHost.
	DefaultMaxPagesPerHost = 100_000
	// MaxTries is how often a request is tried when the server answers 429
	// or 5xx.
	MaxTries = 3
	// BreakerThreshold is the number of failures in a row (connection
	// errors, timeouts, 429 or 5xx after retries) after which a host is
	// skipped for the rest of a run.
	BreakerThreshold = 5
	// MaxRedirects is the longest redirect chain followed.
	MaxRedirects = 10
	// maxRobotsBytes caps robots.txt as Google does (500 KiB).
	maxRobotsBytes = 500 << 10
)

// ErrConfig is wrapped by New for an unusable configuration.
var ErrConfig = errors.New("crawler: bad config")

// Config configures a Crawler. Zero values mean the defaults above.
type Config struct {
	Seeds []string
	// MaxPages limits the HTML and PDF fetches of one Run (redirect hops,
	// robots.txt, sitemaps and feeds are not counted); 0 means no limit.
	MaxPages int
	// Delay is the least time between the starts of two requests to one
	// host; a larger robots.txt Crawl-delay wins.
	Delay time.Duration
	// Concurrency is the number of fetch workers (default 4). Per host at
	// most one request is in flight, two when Delay is 0 and robots.txt
	// asks for no Crawl-delay.
	Concurrency int
	// MaxDepth is the most links followed from a seed to reach a URL
	// (a sitemap or feed entry and a redirect count as one hop each);
	// deeper links are not queued. It ends spider traps: endless
	// calendars, ever-deeper URLs. Default DefaultMaxDepth.
	MaxDepth int
	// MaxPagesPerHost limits the HTML and PDF fetches per host in one
	// Run, so that one host that generates pages without end cannot use
	// up the crawl. Default DefaultMaxPagesPerHost.
	MaxPagesPerHost int
	// UserAgent is sent with every request and matched against robots.txt
	// by its product token (the part before "/").
	UserAgent string
	// MaxBodyBytes caps a response body (default 20 MiB); a larger one
	// fails with ErrBodyTooLarge.
	MaxBodyBytes int64
	// AllowPrivate allows connections to loopback, private, link-local and
	// CGNAT addresses. Without it such an address is reached only when a
	// seed itself is on an address of the same kind (a loopback test site
	// may link PDFs on another loopback port; an intranet seed may reach
	// the intranet): a public page can never make the crawler reach into
	// the local network. The check runs at dial time, so redirects and DNS
	// answers cannot get around it. It is part of the crawler's own
	// transport; a custom Transport must bring its own.
	AllowPrivate bool
	// StatePath is the bbolt file of the crawl state; "" keeps the state
	// in memory, so only later Runs of the same Crawler are incremental.
	StatePath string
	// BatchSize is the number of documents per Sink call (default 20).
	BatchSize int
	Logger    *slog.Logger
	// Transport replaces the crawler's HTTP transport (tests). The dial-time
	// address check and the transport timeouts then do not apply.
	Transport http.RoundTripper

	// DialTimeout, TLSHandshakeTimeout and ResponseHeaderTimeout bound the
	// phases of a request, RequestTimeout the whole request including
	// reading the body.
	DialTimeout           time.Duration
	TLSHandshakeTimeout   time.Duration
	ResponseHeaderTimeout time.Duration
	RequestTimeout        time.Duration
	// RetryBackoff is the wait before the second try of a request that got
	// 429 or 5xx; it doubles for the third. A Retry-After header wins if
	// longer, up to MaxRetryAfter.
	RetryBackoff  time.Duration
	MaxRetryAfter time.Duration
	// PDFTimeout bounds the text extraction of one PDF.
	PDFTimeout time.Duration

	// ArchiveDir is the folder of the raw archive: every response read is
	// kept there as WARC (package warc) before it is used, so Replay can
	// rebuild the documents without the network. "" keeps no archive.
	ArchiveDir string
	// ArchiveFileSize is the compressed size at which a new WARC file is
	// started (default warc.DefaultMaxFileSize).
	ArchiveFileSize int64

	// replay marks the crawl Replay runs over the archive: no politeness
	// delays, no per-host limit below Concurrency.
	replay bool
}

// withDefaults returns cfg with defaults filled in and checks it.
func (cfg Config) withDefaults() (Config, error) {
	if len(cfg.Seeds) == 0 {
		return cfg, fmt.Errorf("%w: no seeds", ErrConfig)
	}
	for _, s := range cfg.Seeds {
		if _, err := urlnorm.Parse(s); err != nil {
			return cfg, fmt.Errorf("%w: seed %q: %w", ErrConfig, s, err)
		}
	}
	if cfg.MaxPages < 0 || cfg.Delay < 0 || cfg.Concurrency < 0 || cfg.MaxBodyBytes < 0 || cfg.BatchSize < 0 ||
		cfg.MaxDepth < 0 || cfg.MaxPagesPerHost < 0 {
		return cfg, fmt.Errorf("%w: negative limit", ErrConfig)
	}
	setDefault(&cfg.Concurrency, DefaultConcurrency)
	setDefault(&cfg.UserAgent, DefaultUserAgent)
	setDefault(&cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&cfg.BatchSize, DefaultBatchSize)
	setDefault(&cfg.DialTimeout, DefaultDialTimeout)
	setDefault(&cfg.TLSHandshakeTimeout, DefaultTLSHandshakeTimeout)
	setDefault(&cfg.ResponseHeaderTimeout, DefaultResponseHeaderTimeout)
	setDefault(&cfg.RequestTimeout, DefaultRequestTimeout)
	setDefault(&cfg.RetryBackoff, DefaultRetryBackoff)
	setDefault(&cfg.MaxRetryAfter, DefaultMaxRetryAfter)
	setDefault(&cfg.PDFTimeout, DefaultPDFTimeout)
	setDefault(&cfg.MaxDepth, DefaultMaxDepth)
	setDefault(&cfg.MaxPagesPerHost, DefaultMaxPagesPerHost)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}
