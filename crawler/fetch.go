package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"stichwort/crawler/warc"
)

// fetcher does HTTP requests with the crawler's limits: a capped body,
// retries with backoff on 429 and 5xx, no automatic redirects.
type fetcher struct {
	client        *http.Client
	userAgent     string
	maxBody       int64
	retryBackoff  time.Duration
	maxRetryAfter time.Duration
	log           *slog.Logger
	// onRequest is called for each request sent (for the Requests count).
	onRequest func()
	// archive, if set, keeps every response read (see Config.ArchiveDir).
	archive func(warc.Exchange) error
}

// response is a fetched response with its body read.
type response struct {
	status       int
	contentType  string // media type, lower case, without parameters
	rawType      string // the Content-Type header as sent
	etag         string
	lastModified string
	location     string
	body         []byte
}

// validators are the conditional request headers of a refetch.
type validators struct {
	etag, lastModified string
}

// fetchOptions adjust one get.
type fetchOptions struct {
	cond validators
	// minWait is the host's politeness delay, the least wait between tries.
	minWait time.Duration
	// maxBody caps the body; 0 means Config.MaxBodyBytes.
	maxBody int64
	// truncate keeps the first maxBody bytes of a longer body instead of
	// failing with ErrBodyTooLarge (robots.txt: the rest is ignored).
	truncate bool
}

func newTransport(cfg Config, guard *dialGuard) *http.Transport {
	dialer := &net.Dialer{
		Timeout:   cfg.DialTimeout,
		KeepAlive: 30 * time.Second,
		Control:   guard.control,
	}
	return &http.Transport{
		// No proxy from the environment: a proxy would make the dial check
		// see the proxy's address instead of the target's.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.TLSHandshakeTimeout,
		ResponseHeaderTimeout: cfg.ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

func newFetcher(cfg Config, rt http.RoundTripper, onRequest func()) *fetcher {
	return &fetcher{
		client: &http.Client{
			Transport: rt,
			Timeout:   cfg.RequestTimeout,
			// Redirects are returned to the crawler, which schedules the
			// target like any URL: scope, robots.txt and politeness apply
			// to every hop, and loops are detected over the chain.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		userAgent:     cfg.UserAgent,
		maxBody:       cfg.MaxBodyBytes,
		retryBackoff:  cfg.RetryBackoff,
		maxRetryAfter: cfg.MaxRetryAfter,
		log:           cfg.Logger,
		onRequest:     onRequest,
	}
}

// get fetches u, trying up to MaxTries times while the server answers 429
// or 5xx. The last answer is returned; an error status is not an error
// here.
func (f *fetcher) get(ctx context.Context, u string, o fetchOptions) (*response, error) {
	if o.maxBody == 0 {
		o.maxBody = f.maxBody
	}
	for try := 1; ; try++ {
		resp, retryAfter, err := f.once(ctx, u, o)
		if err != nil {
			return nil, err
		}
		if !retryable(resp.status) || try >= MaxTries {
			return resp, nil
		}
		wait := f.retryBackoff << (try - 1)
		wait = max(wait, min(retryAfter, f.maxRetryAfter), o.minWait)
		f.log.Debug("retrying", slog.String("url", u), slog.Int("status", resp.status),
			slog.Int("try", try), slog.Duration("wait", wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

func (f *fetcher) once(ctx context.Context, u string, o fetchOptions) (*response, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,application/xml;q=0.8,*/*;q=0.5")
	req.Header.Set("Accept-Language", "de,en;q=0.5")
	if o.cond.etag != "" {
		req.Header.Set("If-None-Match", o.cond.etag)
	}
	if o.cond.lastModified != "" {
		req.Header.Set("If-Modified-Since", o.cond.lastModified)
	}
	if f.onRequest != nil {
		f.onRequest()
	}
	sent := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	r := &response{
		status:       resp.StatusCode,
		rawType:      resp.Header.Get("Content-Type"),
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
		location:     resp.Header.Get("Location"),
	}
	r.contentType, _, _ = mime.ParseMediaType(r.rawType)
	r.contentType = strings.ToLower(r.contentType)
	retryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNonAuthoritativeInfo {
		// Error pages, redirects and 304s are not used; read a little (for
		// the archive) so the connection can be reused.
		const keep = 64 << 10
		body, _ := io.ReadAll(io.LimitReader(resp.Body, keep))
		truncated := len(body) == keep && resp.ContentLength != int64(keep)
		if err := f.keep(req, resp, sent, body, truncated); err != nil {
			return nil, 0, err
		}
		return r, retryAfter, nil
	}
	if resp.ContentLength > o.maxBody && !o.truncate {
		return nil, 0, fmt.Errorf("%w: content length %d > %d", ErrBodyTooLarge, resp.ContentLength, o.maxBody)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, o.maxBody+1))
	if err != nil {
		return nil, 0, fmt.Errorf("read body: %w", err)
	}
	truncated := false
	if int64(len(body)) > o.maxBody {
		if !o.truncate {
			return nil, 0, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, o.maxBody)
		}
		body, truncated = body[:o.maxBody], true
	}
	if err := f.keep(req, resp, sent, body, truncated); err != nil {
		return nil, 0, err
	}
	r.body = body
	return r, retryAfter, nil
}

// keep writes a response to the archive, if there is one.
func (f *fetcher) keep(req *http.Request, resp *http.Response, sent time.Time, body []byte, truncated bool) error {
	if f.archive == nil {
		return nil
	}
	err := f.archive(warc.Exchange{
		URL: req.URL.String(), Time: sent, RequestHeader: req.Header,
		Proto: resp.Proto, Status: resp.StatusCode, Header: resp.Header,
		Body: body, Truncated: truncated,
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return nil
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(min(secs, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// isTimeout reports whether err is a timeout, for clearer log messages.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
