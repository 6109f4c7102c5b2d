package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"

	"stichwort/crawler/extract"
	"stichwort/crawler/robots"
	"stichwort/crawler/state"
	"stichwort/crawler/urlnorm"
)

// handle takes one result, then delivers the batch if it is full. An error
// ends the run (state or Sink).
func (r *run) handle(ctx context.Context, res *result) error {
	if err := r.take(ctx, res); err != nil {
		return err
	}
	// Also after a 304, a redirect or a failure: their records (the URL is
	// done, the links it queued) must reach the state too, or a killed
	// incremental run would start over.
	return r.maybeFlush(ctx)
}

// take decides about one result.
func (r *run) take(ctx context.Context, res *result) error {
	j := res.job
	h := r.fr.host(j.url)
	if errors.Is(res.err, ErrArchive) {
		// Without the archive the crawl cannot keep its promise that the
		// index can be rebuilt; the URL stays queued.
		return fmt.Errorf("crawler: %s: %w", j.key, res.err)
	}
	if j.kind == kindRobots {
		rules := res.robots
		if res.err != nil || rules == nil {
			// An unreachable host is not crawled in this run; its URLs
			// fail with the reason.
			r.log.Warn("robots.txt unavailable, host skipped", slog.String("host", h.key), slog.Any("err", res.err))
			rules = robots.DisallowAll()
			h.err = fmt.Errorf("robots.txt: %w", res.err)
			if res.err == nil {
				h.err = errors.New("robots.txt: no rules")
			}
		}
		h.setRules(rules, r.cfg.UserAgent, r.cfg.Delay)
		if r.cfg.replay {
			h.delay, h.limit = 0, r.cfg.Concurrency
		}
		r.fr.done(h, r.c.now())
		if r.scope[h.key] {
			for _, sm := range rules.Sitemaps() {
				if u, err := urlnorm.Resolve(h.base, sm); err == nil {
					r.enqueue(&job{url: u, kind: state.KindSitemap})
				}
			}
		}
		return nil
	}
	r.fr.done(h, r.c.now())
	if ctx.Err() != nil && interrupted(res) {
		// Cut short by the stop: the job stays in the stored frontier and
		// a resumed run fetches it.
		return nil
	}
	r.breaker(h, res)
	r.done(j)

	if res.err != nil {
		if j.guessed {
			// Many sites answer an unknown /sitemap.xml with their home page.
			r.log.Debug("no usable sitemap", slog.String("url", j.key), slog.Any("err", res.err))
			return nil
		}
		r.fail(j, res.err)
		return nil
	}
	resp := res.resp
	switch {
	case resp.status == http.StatusNotModified:
		return r.notModified(j, resp)
	case resp.status >= 300 && resp.status < 400:
		r.redirect(j, resp)
		return nil
	case resp.status != http.StatusOK && resp.status != http.StatusNonAuthoritativeInfo:
		if j.guessed && (resp.status == http.StatusNotFound || resp.status == http.StatusGone) {
			r.log.Debug("no sitemap", slog.String("url", j.key))
			return nil
		}
		r.fail(j, fmt.Errorf("%w %d", ErrStatus, resp.status))
		return nil
	}

	rec := state.Page{URL: j.key, Kind: j.kind, ETag: resp.etag, LastModified: resp.lastModified, FetchedAt: r.c.now()}
	var err error
	switch {
	case res.skipped != "":
		r.log.Debug("skipped", slog.String("url", j.key), slog.String("reason", res.skipped))
		r.c.count(func(s *Stats) { s.Skipped++ })
	case res.page != nil:
		r.c.count(func(s *Stats) { s.Fetched++ })
		err = r.page(j, res.page, &rec)
	case res.pdf != nil:
		r.c.count(func(s *Stats) { s.Fetched++; s.PDFs++ })
		rec.Kind = state.KindPDF
		err = r.pdf(j, res.pdf)
	default: // sitemap or feed
		rec.Links = r.inScope(j.url, res.links)
		r.follow(j, rec.Links)
	}
	if err != nil {
		return err
	}
	r.led.putPage(rec)
	return nil
}

// interrupted reports whether a result is incomplete because the run was
// stopped.
func interrupted(res *result) bool {
	return errors.Is(res.err, context.Canceled) ||
		res.pdf != nil && errors.Is(res.pdf.err, context.Canceled)
}

// inScope resolves links and keeps those the crawl would follow, so the
// state stores only what can rebuild the frontier.
func (r *run) inScope(base *url.URL, links []state.Link) []state.Link {
	var out []state.Link
	for _, l := range links {
		u, err := urlnorm.Resolve(base, l.URL)
		if err != nil {
			continue
		}
		if l.Kind != state.KindPDF && !extract.IsPDFURL(u) && !r.scope[u.Host] {
			continue
		}
		l.URL = u.String()
		out = append(out, l)
	}
	return out
}

func (r *run) fail(j *job, err error) {
	if errors.Is(err, context.Canceled) {
		r.log.Debug("fetch cancelled", slog.String("url", j.key))
		return
	}
	if errors.Is(err, ErrNotArchived) {
		r.log.Debug("not in the archive", slog.String("url", j.key))
		r.c.count(func(s *Stats) { s.Skipped++ })
		return
	}
	msg := "fetch failed"
	if isTimeout(err) {
		msg = "fetch timed out"
	}
	r.log.Warn(msg, slog.String("url", j.key), slog.String("kind", j.kind), slog.Any("err", err))
	r.c.count(func(s *Stats) { s.Failed++ })
}

// breaker counts the failures of a host in a row that say the server is
// down or overloaded (connection errors, timeouts, 429 and 5xx after the
// retries). At BreakerThreshold the host's remaining URLs fail at once
// instead of each waiting for its own timeouts; it gets a new chance in
// the next run.
func (r *run) breaker(h *host, res *result) {
	// No response at all (connection refused, timeout), or an overload
	// status; a 404 or a bad page says nothing about the host.
	down := res.err != nil && res.resp == nil &&
		!errors.Is(res.err, context.Canceled) && !errors.Is(res.err, ErrBodyTooLarge)
	if res.resp != nil && retryable(res.resp.status) {
		down = true
	}
	if !down {
		h.failures = 0
		return
	}
	h.failures++
	if h.failures >= BreakerThreshold && h.err == nil {
		h.err = fmt.Errorf("%w: %d failures in a row", ErrHostDown, h.failures)
		r.log.Warn("host seems down; skipping it for this run", slog.String("host", h.key), slog.Int("failures", h.failures))
	}
}

// notModified handles a 304: nothing to extract, but the stored links
// rebuild the frontier.
func (r *run) notModified(j *job, resp *response) error {
	r.c.count(func(s *Stats) { s.NotModified++ })
	rec, ok, err := r.led.page(j.key)
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	if !ok {
		return nil
	}
	rec.FetchedAt = r.c.now()
	if resp.etag != "" {
		rec.ETag = resp.etag
	}
	if resp.lastModified != "" {
		rec.LastModified = resp.lastModified
	}
	r.led.putPage(rec)
	r.follow(j, rec.Links)
	if rec.DocID != "" {
		r.sent[rec.DocID] = true
	}
	return nil
}

// redirect queues the target of a 3xx like a new URL of the same kind, so
// scope, robots.txt and politeness apply to every hop.
func (r *run) redirect(j *job, resp *response) {
	if resp.location == "" {
		r.fail(j, fmt.Errorf("%w %d without Location", ErrStatus, resp.status))
		return
	}
	target, err := urlnorm.Resolve(j.url, resp.location)
	if err != nil {
		r.fail(j, fmt.Errorf("redirect: %w", err))
		return
	}
	chain := append(slices.Clone(j.chain), j.key)
	if slices.Contains(chain, target.String()) {
		r.fail(j, fmt.Errorf("%w: %v → %s", ErrRedirectLoop, chain, target))
		return
	}
	if len(chain) > MaxRedirects {
		r.fail(j, fmt.Errorf("%w: %d hops", ErrTooManyRedirects, len(chain)))
		return
	}
	if j.seed && j.kind == state.KindPage && !r.scope[target.Host] {
		// A seed that moved (http → https, example.org → www.example.org)
		// takes its site along.
		r.log.Info("seed redirects to another host; host added to scope",
			slog.String("seed", j.key), slog.String("host", target.Host))
		r.scope[target.Host] = true
	}
	next := &job{url: target, kind: j.kind, origin: j.origin, chain: chain, seed: j.seed, guessed: j.guessed, depth: j.depth + 1}
	if !r.enqueue(next) && !r.seen[target.String()] {
		r.log.Debug("redirect leaves scope", slog.String("url", j.key), slog.String("to", target.String()))
		r.c.count(func(s *Stats) { s.Skipped++ })
	}
}

// page handles a fetched HTML page: follow its links, and deliver its
// article unless unchanged or a duplicate.
func (r *run) page(j *job, pr *pageResult, rec *state.Page) error {
	var links []state.Link
	if !pr.links.NoFollow {
		for _, p := range pr.links.Pages {
			links = append(links, state.Link{URL: p, Kind: state.KindPage})
		}
		if pr.links.Next != "" {
			links = append(links, state.Link{URL: pr.links.Next, Kind: state.KindPage})
		}
		for _, f := range pr.links.Feeds {
			links = append(links, state.Link{URL: f, Kind: state.KindFeed})
		}
		for _, p := range pr.links.PDFs {
			links = append(links, state.Link{URL: p.URL, Kind: state.KindPDF, Text: p.Text})
		}
	}
	rec.Links = r.inScope(j.url, links)
	r.follow(j, rec.Links)
	if pr.article == nil || pr.links.NoIndex {
		return nil
	}
	return r.article(j, pr.article, rec)
}
