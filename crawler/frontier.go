package crawler

import (
	"net/url"
	"time"

	"stichwort/crawler/robots"
)

// host is the frontier and politeness state of one web server (host and
// port) during a run.
type host struct {
	key   string
	base  *url.URL // scheme and host of the first URL seen, for robots.txt
	queue []*job
	// inFlight counts dispatched jobs, including the robots.txt fetch.
	inFlight int
	// next is the earliest time the next request may start.
	next time.Time
	// rules are nil until robots.txt has been fetched.
	rules         *robots.Rules
	robotsPending bool
	// err is set when robots.txt could not be fetched at all (refused
	// address, connection error) or the circuit breaker opened: every
	// further URL of the host fails with it.
	err error
	// failures counts failures in a row that say the host is down.
	failures int
	delay    time.Duration
	limit    int
	// pages counts the page and PDF fetches of the run
	// (Config.MaxPagesPerHost); budgetLogged, that the limit was logged.
	pages        int
	budgetLogged bool
}

// frontier holds the URLs of a run, per host, and hands out the next one
// that robots.txt and politeness allow. Hosts take turns.
type frontier struct {
	hosts  map[string]*host
	order  []string
	turn   int
	queued int
}

func newFrontier() *frontier {
	return &frontier{hosts: make(map[string]*host)}
}

// host returns the host of u, creating it.
func (f *frontier) host(u *url.URL) *host {
	h, ok := f.hosts[u.Host]
	if !ok {
		h = &host{key: u.Host, base: &url.URL{Scheme: u.Scheme, Host: u.Host}, limit: 1}
		f.hosts[u.Host] = h
		f.order = append(f.order, u.Host)
	}
	return h
}

func (f *frontier) push(j *job) {
	h := f.host(j.url)
	h.queue = append(h.queue, j)
	f.queued++
}

// robotsJob returns the robots.txt fetch of h.
func robotsJob(h *host) *job {
	u := &url.URL{Scheme: h.base.Scheme, Host: h.base.Host, Path: "/robots.txt"}
	return &job{url: u, key: u.String(), kind: kindRobots, origin: u.String()}
}

// next returns the next job that may start at now, with its host's slot
// taken, after passing it to admit (which may drop it: robots.txt,
// MaxPages). If none may start yet, it returns the time when one may
// (zero: none is waiting on time).
func (f *frontier) next(now time.Time, admit func(*host, *job) bool) (*job, time.Time) {
	var wake time.Time
	n := len(f.order)
	for i := 0; i < n; i++ {
		h := f.hosts[f.order[(f.turn+i)%n]]
		if len(h.queue) == 0 || h.inFlight >= h.limit {
			continue
		}
		if now.Before(h.next) {
			if wake.IsZero() || h.next.Before(wake) {
				wake = h.next
			}
			continue
		}
		if h.rules == nil {
			if h.robotsPending {
				continue
			}
			h.robotsPending = true
			h.inFlight++
			h.next = now.Add(h.delay)
			f.turn = (f.turn + i + 1) % n
			return robotsJob(h), time.Time{}
		}
		for len(h.queue) > 0 {
			j := h.queue[0]
			h.queue[0] = nil
			h.queue = h.queue[1:]
			f.queued--
			if !admit(h, j) {
				continue
			}
			j.wait = h.delay
			h.inFlight++
			h.next = now.Add(h.delay)
			f.turn = (f.turn + i + 1) % n
			return j, time.Time{}
		}
	}
	return nil, wake
}

// done releases the slot of a finished job of h; the next request waits
// the delay after this one ended.
func (f *frontier) done(h *host, now time.Time) {
	h.inFlight--
	if t := now.Add(h.delay); t.After(h.next) {
		h.next = t
	}
}

// setRules installs robots.txt rules and the politeness they ask for.
func (h *host) setRules(rules *robots.Rules, agent string, delay time.Duration) {
	h.rules = rules
	h.robotsPending = false
	h.delay = max(delay, rules.CrawlDelay(agent))
	h.limit = 1
	if h.delay == 0 {
		h.limit = 2
	}
}

// drop empties every queue, for the end of a run.
func (f *frontier) drop() {
	for _, h := range f.hosts {
		h.queue = nil
	}
	f.queued = 0
}
