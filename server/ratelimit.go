package server

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit configures the per-client limits of the server: token buckets
// per client address, one for searches and one for creating alerts. The
// zero value limits nothing.
//
// The client address is the connection's remote address. A reverse
// proxy's X-Forwarded-For header is believed only with TrustProxy: without
// it anyone could send a new address with every request and never be
// limited; behind a proxy without it, all clients would share the proxy's
// bucket.
type RateLimit struct {
	// Search is the sustained number of searches per second per client
	// (the page, /api/search, /api/suggest, the feeds, documents); 0 means
	// no limit. SearchBurst is the bucket's size: that many requests may
	// come at once.
	Search      float64
	SearchBurst int
	// Alerts is the sustained number of alerts a client may create per
	// second (POST /api/alerts and the page's form); 0 means no limit.
	Alerts     float64
	AlertBurst int
	// TrustProxy takes the client address from the last entry of
	// X-Forwarded-For, the one the proxy in front of the server added.
	// Set it only when every request passes that proxy.
	TrustProxy bool
	// MaxClients bounds the buckets kept (default 10,000 per generation,
	// see clientBuckets); a client forgotten starts with a full bucket.
	MaxClients int
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// Request classes with their own bucket.
const (
	classNone = iota
	classSearch
	classAlert
)

// classOf tells which bucket a request draws from. Static files, health
// checks, metrics and the admin endpoints (guarded by the token) are not
// limited.
func classOf(r *http.Request) int {
	p := r.URL.Path
	switch r.Method {
	case http.MethodPost:
		if p == "/api/alerts" || p == "/alarm" {
			return classAlert
		}
		return classNone
	case http.MethodGet, http.MethodHead:
	default:
		return classNone
	}
	switch {
	case p == "/", p == "/api/search", p == "/api/suggest", p == "/opensearch/suggest",
		p == "/feed.atom", p == "/feed.rss",
		strings.HasPrefix(p, "/api/docs/"), strings.HasPrefix(p, "/dokument/"),
		strings.HasPrefix(p, "/alerts/") && (strings.HasSuffix(p, "/feed.atom") || strings.HasSuffix(p, "/feed.rss")):
		return classSearch
	}
	return classNone
}

// rateLimit answers 429 with Retry-After to a client that has used up its
// bucket for the request's class.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	cfg := s.cfg.RateLimit
	if cfg.Search <= 0 && cfg.Alerts <= 0 {
		return next
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	buckets := map[int]*clientBuckets{}
	if cfg.Search > 0 {
		buckets[classSearch] = newClientBuckets(rate.Limit(cfg.Search), max(cfg.SearchBurst, 1), cfg.MaxClients)
	}
	if cfg.Alerts > 0 {
		buckets[classAlert] = newClientBuckets(rate.Limit(cfg.Alerts), max(cfg.AlertBurst, 1), cfg.MaxClients)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := buckets[classOf(r)]
		if b == nil {
			next.ServeHTTP(w, r)
			return
		}
		wait := b.take(clientKey(r, cfg.TrustProxy), cfg.Now())
		if wait <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		msg := fmt.Sprintf("Zu viele Anfragen von Ihrer Adresse; bitte in %d Sekunden erneut versuchen", secs)
		if isAPIPath(r.URL.Path) {
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": msg})
			return
		}
		s.renderError(w, http.StatusTooManyRequests, msg+".")
	})
}

// isAPIPath tells the requests answered with JSON errors (the API and the
// feeds, which feed readers fetch) from those of the HTML pages.
func isAPIPath(p string) bool {
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/feed.") ||
		strings.HasPrefix(p, "/alerts/") || strings.HasPrefix(p, "/opensearch/")
}

// clientKey is the address a client is limited by: the remote address, or
// with trustProxy the last X-Forwarded-For entry. An IPv6 client is keyed
// by its /64, since one host usually has a whole /64 to pick from.
func clientKey(r *http.Request, trustProxy bool) string {
	addr := r.RemoteAddr
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				addr = last
			}
		}
	}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	ip, err := netip.ParseAddr(strings.Trim(addr, "[]"))
	if err != nil {
		return addr // an unparsable address still gets its own bucket
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// clientBuckets keeps a token bucket per client in two generations: new
// clients go into the current map; when it is full, it becomes the
// previous one and the old previous one is dropped. A client seen in the
// previous generation moves back into the current one. So memory stays
// below two full maps however many addresses come, and the clients that
// keep coming keep their buckets.
type clientBuckets struct {
	limit rate.Limit
	burst int
	max   int

	mu        sync.Mutex
	cur, prev map[string]*rate.Limiter
}

const defaultMaxClients = 10_000

func newClientBuckets(limit rate.Limit, burst, maxClients int) *clientBuckets {
	if maxClients <= 0 {
		maxClients = defaultMaxClients
	}
	return &clientBuckets{limit: limit, burst: burst, max: maxClients,
		cur: make(map[string]*rate.Limiter), prev: make(map[string]*rate.Limiter)}
}

// take takes a token from key's bucket at now. It returns 0 when the
// request may go ahead, or how long until a token will be there.
func (b *clientBuckets) take(key string, now time.Time) time.Duration {
	lim := b.limiter(key)
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Hour // cannot happen with burst ≥ 1
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

func (b *clientBuckets) limiter(key string) *rate.Limiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	if lim, ok := b.cur[key]; ok {
		return lim
	}
	lim, ok := b.prev[key]
	if ok {
		delete(b.prev, key)
	} else {
		lim = rate.NewLimiter(b.limit, b.burst)
	}
	if len(b.cur) >= b.max {
		b.prev, b.cur = b.cur, make(map[string]*rate.Limiter, b.max)
	}
	b.cur[key] = lim
	return lim
}

// size is the number of buckets kept (tests).
func (b *clientBuckets) size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.cur) + len(b.prev)
}
