package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
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
	// countedDone are the counted fetches handled; a resumed run starts
	// from the number committed.
	countedDone int
	limitHit    bool
	started     time.Time
	// finished is set when the frontier ran empty: the final commit
	// forgets the run instead of saving it for a resume.
	finished bool
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
	if err := r.start(); err != nil {
		return err
	}
	seeds := slog.Any("seeds", r.cfg.Seeds)
	if len(r.cfg.Seeds) > 10 { // a replay starts from every archived page
		seeds = slog.Int("seeds", len(r.cfg.Seeds))
	}
	r.log.Info("crawl started", seeds, slog.Int("concurrency", r.cfg.Concurrency))

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
				r.done(pending)
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
	// A run that was not stopped has handled its whole frontier (or
	// reached MaxPages): the next run starts anew. A stopped run keeps its
	// frontier in the state for the next run to resume.
	if ctx.Err() == nil {
		r.finished = true
		r.led.clearRun()
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

// start resumes the unfinished run of the same seeds kept in the state,
// if there is one: its scope, the URLs it has seen and its frontier. Then
// it queues the seeds; those a resumed run has seen are not queued again.
func (r *run) start() error {
	r.started = r.c.now()
	prev, ok, err := r.c.store.Run()
	if err != nil {
		return fmt.Errorf("crawler: %w", err)
	}
	if ok && !sameSeeds(prev.Seeds, r.cfg.Seeds) {
		r.log.Info("an unfinished crawl of other seeds is dropped", slog.Any("seeds", prev.Seeds))
		r.led.clearRun()
		ok = false
	}
	if ok {
		jobs, err := r.c.store.Queued()
		if err != nil {
			return fmt.Errorf("crawler: %w", err)
		}
		if err := r.c.store.EachSeen(func(u string) { r.seen[u] = true }); err != nil {
			return fmt.Errorf("crawler: %w", err)
		}
		for _, h := range prev.Scope {
			r.scope[h] = true
		}
		r.counted, r.countedDone, r.started = prev.Counted, prev.Counted, prev.Started
		for _, sj := range jobs {
			u, err := url.Parse(sj.URL)
			if err != nil {
				continue // written by enqueue from a parsed URL; cannot happen
			}
			r.seen[sj.URL] = true
			r.fr.push(&job{url: u, key: sj.URL, kind: sj.Kind, origin: sj.Origin, chain: sj.Chain, seed: sj.Seed, guessed: sj.Guessed, depth: sj.Depth})
		}
		r.log.Info("resuming an interrupted crawl", slog.Time("started", prev.Started),
			slog.Int("queued", len(jobs)), slog.Int("done", len(r.seen)-len(jobs)))
	}
	r.seed()
	return nil
}

func sameSeeds(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// record is the run as the state keeps it for a resume.
func (r *run) record() state.Run {
	scope := slices.Sorted(maps.Keys(r.scope))
	return state.Run{Started: r.started, Seeds: r.cfg.Seeds, Scope: scope, Counted: r.countedDone}
}

// done records that a job has been handled: a resumed run does not fetch
// it again.
func (r *run) done(j *job) {
	if j.counted {
		r.countedDone++
	}
	r.led.doneJob(j.key)
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
		r.done(j)
		return false
	}
	if !h.rules.Allowed(r.cfg.UserAgent, j.url.RequestURI()) {
		r.log.Debug("robots.txt disallows", slog.String("url", j.key))
		r.c.count(func(s *Stats) { s.RobotsBlocked++ })
		r.done(j)
		return false
	}
	if (j.kind == state.KindPage || j.kind == state.KindPDF) && len(j.chain) == 0 {
		if r.cfg.MaxPages > 0 && r.counted >= r.cfg.MaxPages {
			r.log.Info("page limit reached", slog.Int("max_pages", r.cfg.MaxPages))
			r.limitHit = true
			return false
		}
		if h.pages >= r.cfg.MaxPagesPerHost {
			if !h.budgetLogged {
				h.budgetLogged = true
				r.log.Warn("page budget of the host used up; its other URLs are left for the next run",
					slog.String("host", h.key), slog.Int("max_pages_per_host", r.cfg.MaxPagesPerHost))
			}
			r.c.count(func(s *Stats) { s.Limited++ })
			r.done(j)
			return false
		}
		h.pages++
		r.counted++
		j.counted = true
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
	r.led.queue(state.Job{URL: j.key, Kind: j.kind, Origin: j.origin, Chain: j.chain, Seed: j.seed, Guessed: j.guessed, Depth: j.depth})
	return true
}

// follow queues the links of a page, feed or sitemap, one hop deeper than
// it, up to MaxDepth.
func (r *run) follow(parent *job, links []state.Link) {
	depth := parent.depth + 1
	for _, l := range links {
		if depth > r.cfg.MaxDepth {
			r.log.Info("depth limit reached; links not followed", slog.String("url", parent.key),
				slog.Int("links", len(links)), slog.Int("max_depth", r.cfg.MaxDepth))
			r.c.count(func(s *Stats) { s.Limited += len(links) })
			return
		}
		u, err := urlnorm.Resolve(parent.url, l.URL)
		if err != nil {
			continue
		}
		kind := l.Kind
		if kind == state.KindPage && extract.IsPDFURL(u) {
			kind = state.KindPDF
		}
		r.enqueue(&job{url: u, kind: kind, depth: depth})
	}
}

// publish copies the frontier's counts into the live stats.
func (r *run) publish() {
	q, f := r.fr.queued, r.inFlight
	r.c.count(func(s *Stats) { s.Queued, s.InFlight = q, f })
}
