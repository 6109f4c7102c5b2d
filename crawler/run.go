package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"stichwort/crawler/extract"
	"stichwort/crawler/robots"
	"stichwort/crawler/state"
	"stichwort/crawler/urlnorm"
)

// run is the coordinator of one Run: it owns the frontier, the ledger and
// every decision, so none of them needs a lock. Workers only fetch and
// parse.
type run struct {
	c   *Crawler
	cfg Config
	log *slog.Logger
	fr  *frontier
	led *ledger
	// scope are the hosts (host:port) whose HTML is crawled.
	scope map[string]bool
	seen  map[string]bool
	// sent are the document ids delivered or judged unchanged in this run.
	sent     map[string]bool
	inFlight int
	counted  int // page and PDF fetches, for MaxPages
	limitHit bool
}

func newRun(c *Crawler) *run {
	return &run{
		c:     c,
		cfg:   c.cfg,
		log:   c.log,
		fr:    newFrontier(),
		led:   newLedger(c.store),
		scope: make(map[string]bool),
		seen:  make(map[string]bool),
		sent:  make(map[string]bool),
	}
}

// loop runs the crawl: dispatch jobs to workers, handle their results,
// flush batches, until nothing is queued or in flight.
func (r *run) loop(ctx context.Context) (err error) {
	r.seed()
	r.log.Info("crawl started", slog.Any("seeds", r.cfg.Seeds), slog.Int("concurrency", r.cfg.Concurrency))

	workCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *job)
	results := make(chan *result)
	var wg sync.WaitGroup
	for range r.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- r.c.work(workCtx, j)
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()

	var pending *job // dispatched by the frontier, not yet taken by a worker
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		stopping := ctx.Err() != nil || err != nil
		if stopping && pending != nil {
			r.fr.done(r.fr.host(pending.url), r.c.now())
			pending = nil
		}
		var wake time.Time
		if pending == nil && !stopping {
			pending, wake = r.fr.next(r.c.now(), r.admit)
		}
		if r.inFlight == 0 && pending == nil && (stopping || r.fr.queued == 0) {
			break
		}
		var send chan *job
		if pending != nil {
			send = jobs
		}
		var wakeC <-chan time.Time
		if pending == nil && !wake.IsZero() {
			timer.Reset(max(time.Until(wake), 0))
			wakeC = timer.C
		}
		r.publish()
		select {
		case send <- pending:
			pending = nil
			r.inFlight++
		case res := <-results:
			r.inFlight--
			if herr := r.handle(ctx, res); herr != nil && err == nil {
				err = herr
				cancel()
			}
		case <-wakeC:
		case <-ctx.Done():
			cancel()
		}
		if wakeC != nil && !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
	r.fr.drop()
	r.publish()
	if err != nil {
		return err
	}
	// The last batch is delivered even when ctx was cancelled: its
	// documents are complete, and a graceful stop should not waste them.
	flushCtx, cancelFlush := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancelFlush()
	if ferr := r.flush(flushCtx); ferr != nil {
		return ferr
	}
	return ctx.Err()
}

// seed queues the seeds and a guess at each seed host's /sitemap.xml.
func (r *run) seed() {
	var hosts []*url.URL
	for _, s := range r.cfg.Seeds {
		u, err := urlnorm.Parse(s)
		if err != nil {
			continue // checked in New
		}
		if !r.scope[u.Host] {
			r.scope[u.Host] = true
			hosts = append(hosts, u)
		}
	}
	for _, s := range r.cfg.Seeds {
		u, _ := urlnorm.Parse(s)
		if u == nil {
			continue
		}
		kind := state.KindPage
		if extract.IsPDFURL(u) {
			kind = state.KindPDF
		}
		r.enqueue(&job{url: u, kind: kind, seed: true})
	}
	for _, u := range hosts {
		sm := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/sitemap.xml"}
		r.enqueue(&job{url: sm, kind: state.KindSitemap, guessed: true})
	}
}

// admit decides at dispatch whether a job is fetched: robots.txt, MaxPages.
// It also sets the validators for a conditional request.
func (r *run) admit(h *host, j *job) bool {
	if r.limitHit {
		return false
	}
	if h.err != nil {
		r.fail(j, h.err)
		return false
	}
	if !h.rules.Allowed(r.cfg.UserAgent, j.url.RequestURI()) {
		r.log.Debug("robots.txt disallows", slog.String("url", j.key))
		r.c.count(func(s *Stats) { s.RobotsBlocked++ })
		return false
	}
	if (j.kind == state.KindPage || j.kind == state.KindPDF) && len(j.chain) == 0 {
		if r.cfg.MaxPages > 0 && r.counted >= r.cfg.MaxPages {
			r.log.Info("page limit reached", slog.Int("max_pages", r.cfg.MaxPages))
			r.limitHit = true
			return false
		}
		r.counted++
	}
	if p, ok, err := r.led.page(j.key); err != nil {
		r.log.Warn("read state", slog.String("url", j.key), slog.Any("err", err))
	} else if ok {
		j.cond = validators{etag: p.ETag, lastModified: p.LastModified}
	}
	return true
}

// enqueue adds a job unless its URL was seen in this run or is out of
// scope: HTML, feeds and sitemaps only on the scope hosts, PDFs anywhere.
func (r *run) enqueue(j *job) bool {
	j.key = j.url.String()
	if j.origin == "" {
		j.origin = j.key
	}
	if r.seen[j.key] {
		return false
	}
	if j.kind != state.KindPDF && !r.scope[j.url.Host] {
		return false
	}
	r.seen[j.key] = true
	r.fr.push(j)
	return true
}

// follow queues the links of a page, feed or sitemap.
func (r *run) follow(base *url.URL, links []state.Link) {
	for _, l := range links {
		u, err := urlnorm.Resolve(base, l.URL)
		if err != nil {
			continue
		}
		kind := l.Kind
		if kind == state.KindPage && extract.IsPDFURL(u) {
			kind = state.KindPDF
		}
		r.enqueue(&job{url: u, kind: kind})
	}
}

// publish copies the frontier's counts into the live stats.
func (r *run) publish() {
	q, f := r.fr.queued, r.inFlight
	r.c.count(func(s *Stats) { s.Queued, s.InFlight = q, f })
}

// handle takes one result. An error ends the run (state or Sink).
func (r *run) handle(ctx context.Context, res *result) error {
	j := res.job
	h := r.fr.host(j.url)
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
		rec.Kind = j.kind
	case res.page != nil:
		r.c.count(func(s *Stats) { s.Fetched++ })
		err = r.page(j, res.page, &rec)
	case res.pdf != nil:
		r.c.count(func(s *Stats) { s.Fetched++; s.PDFs++ })
		rec.Kind = state.KindPDF
		err = r.pdf(j, res.pdf)
	default: // sitemap or feed
		rec.Links = r.inScope(j.url, res.links)
		r.follow(j.url, rec.Links)
	}
	if err != nil {
		return err
	}
	r.led.putPage(rec)
	return r.maybeFlush(ctx)
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
	msg := "fetch failed"
	if isTimeout(err) {
		msg = "fetch timed out"
	}
	r.log.Warn(msg, slog.String("url", j.key), slog.String("kind", j.kind), slog.Any("err", err))
	r.c.count(func(s *Stats) { s.Failed++ })
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
	r.follow(j.url, rec.Links)
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
	next := &job{url: target, kind: j.kind, origin: j.origin, chain: chain, seed: j.seed, guessed: j.guessed}
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
	r.follow(j.url, rec.Links)
	if pr.article == nil || pr.links.NoIndex {
		return nil
	}
	return r.article(j, pr.article, rec)
}
