package crawler

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"stichwort/crawler/extract"
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
			if r.limitHit {
				r.fr.drop() // not even robots.txt of new hosts any more
			}
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
		done := ctx.Done()
		if stopping {
			done = nil // already seen; wait for the workers to return
		}
		r.publish()
		select {
		case send <- pending:
			pending = nil
			r.inFlight++
		case res := <-results:
			r.inFlight--
			if err != nil {
				break // the run failed; only drain the workers
			}
			if err = r.handle(ctx, res); err != nil {
				cancel()
			}
			// The result may have opened the circuit breaker of the host
			// whose job waits for a worker.
			if h := r.fr.host(res.job.url); pending != nil && h.err != nil && pending.url.Host == h.key && pending.kind != kindRobots {
				r.fr.done(h, r.c.now())
				r.fail(pending, h.err)
				pending = nil
			}
		case <-wakeC:
		case <-done:
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
