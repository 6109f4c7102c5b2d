package alerts

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// delivery is a queued webhook POST: the new matches of one batch for one
// alert.
type delivery struct {
	seq      uint64
	AlertID  string    `json:"alert"`
	Matches  []Match   `json:"matches"`
	Attempts int       `json:"attempts"`
	Next     time.Time `json:"next"` // not before
	Queued   time.Time `json:"queued"`
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// due returns the queued deliveries due at now (at most limit, leaving out
// those in skip) and the time the next one after them is due (zero: none).
func (s *Store) due(now time.Time, skip map[uint64]bool, limit int) ([]delivery, time.Time, error) {
	var out []delivery
	var next time.Time
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			seq := binary.BigEndian.Uint64(k)
			if skip[seq] {
				return nil
			}
			var d delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery %d: %w", seq, err)
			}
			d.seq = seq
			if !d.Next.After(now) && len(out) < limit {
				out = append(out, d)
				return nil
			}
			if next.IsZero() || d.Next.Before(next) {
				next = d.Next
			}
			return nil
		})
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("alerts: outbox: %w", err)
	}
	return out, next, nil
}

// finish removes a delivery from the queue (delivered or given up).
func (s *Store) finish(seq uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketOutbox).Delete(seqKey(seq)) })
}

// reschedule records a failed attempt and when to try again.
func (s *Store) reschedule(d delivery) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b.Get(seqKey(d.seq)) == nil {
			return nil // the alert was deleted meanwhile
		}
		return b.Put(seqKey(d.seq), data)
	})
}

// pending counts the queued deliveries.
func (s *Store) pending() int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketOutbox).Stats().KeyN
		return nil
	})
	return n
}

// DeliveryOptions configure a Deliverer; the zero value gives the
// defaults.
type DeliveryOptions struct {
	// AllowPrivate admits loopback, private and link-local addresses
	// (tests, intranets).
	AllowPrivate bool
	// MaxAttempts per delivery before it is given up (default 8).
	MaxAttempts int
	// BaseDelay is the pause before the first retry (default 5 s); each
	// further retry waits twice as long, up to MaxDelay (default 1 h).
	BaseDelay, MaxDelay time.Duration
	// Timeout bounds one attempt (default 15 s).
	Timeout time.Duration
	// Workers is how many deliveries run at once (default 4).
	Workers   int
	UserAgent string
	Logger    *slog.Logger
	// Transport replaces the guarded transport (tests only): with it, no
	// address check applies.
	Transport http.RoundTripper
}

// DeliveryStats are the counts of a Deliverer since it started.
type DeliveryStats struct {
	Delivered int64 `json:"delivered"` // POSTs answered with 2xx
	Retried   int64 `json:"retried"`   // failed attempts that will be retried
	Failed    int64 `json:"failed"`    // deliveries given up
	Pending   int   `json:"pending"`   // queued now
}

// Deliverer POSTs queued matches to the alerts' webhooks in the
// background. Deliveries are queued in alerts.db, so they survive a
// restart; a delivery is at least once: one interrupted by a shutdown
// after the receiver got it is sent again, with the same delivery id.
type Deliverer struct {
	store  *Store
	opts   DeliveryOptions
	log    *slog.Logger
	client *http.Client

	delivered, retried, failed atomic.Int64
}

// NewDeliverer returns a Deliverer of the store's queued deliveries.
func NewDeliverer(s *Store, opts DeliveryOptions) *Deliverer {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = 5 * time.Second
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = time.Hour
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 15 * time.Second
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "stichwort"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	rt := opts.Transport
	if rt == nil {
		dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if !opts.AllowPrivate {
			dialer.Control = dialControl
		}
		rt = &http.Transport{
			Proxy:                 nil, // a proxy would dial for us, past the address check
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          16,
			IdleConnTimeout:       30 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: opts.Timeout,
		}
	}
	client := &http.Client{
		Transport: rt,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
	return &Deliverer{store: s, opts: opts, log: opts.Logger, client: client}
}

// Stats returns the counts since the Deliverer started.
func (d *Deliverer) Stats() DeliveryStats {
	return DeliveryStats{Delivered: d.delivered.Load(), Retried: d.retried.Load(), Failed: d.failed.Load(), Pending: d.store.pending()}
}

// Run delivers until ctx is done, then waits for the attempts in flight
// (they are cancelled with ctx and stay queued).
func (d *Deliverer) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	inFlight := make(map[uint64]bool)
	done := make(chan uint64)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		free := d.opts.Workers - len(inFlight)
		if free > 0 && ctx.Err() == nil {
			due, next, err := d.store.due(time.Now(), inFlight, free)
			if err != nil {
				d.log.Error("webhook queue", slog.String("error", err.Error()))
			}
			for _, item := range due {
				inFlight[item.seq] = true
				wg.Add(1)
				go func() {
					defer wg.Done()
					d.attempt(ctx, item)
					select {
					case done <- item.seq:
					case <-ctx.Done():
					}
				}()
			}
			wait := time.Hour
			if !next.IsZero() {
				wait = max(time.Until(next), time.Millisecond)
			}
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return
		case seq := <-done:
			delete(inFlight, seq)
		case <-d.store.queued:
		case <-timer.C:
		}
	}
}

// payload is the JSON body a webhook receives.
type payload struct {
	// Delivery identifies this POST; a repeated delivery (after a
	// failure or an interrupted attempt) carries the same id.
	Delivery string       `json:"delivery"`
	Alert    payloadAlert `json:"alert"`
	Matches  []Match      `json:"matches"`
}

type payloadAlert struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Feed string `json:"feed"`
}

// attempt POSTs one delivery and records the outcome.
func (d *Deliverer) attempt(ctx context.Context, item delivery) {
	a, err := d.store.Get(item.AlertID)
	if err != nil || a.Webhook == "" {
		d.drop(item.seq) // the alert or its webhook is gone
		return
	}
	id := item.AlertID + "-" + strconv.FormatUint(item.seq, 10)
	body, err := json.Marshal(payload{
		Delivery: id,
		Alert:    payloadAlert{ID: a.ID, Name: a.Name, Feed: "/alerts/" + a.ID + "/feed.atom"},
		Matches:  item.Matches,
	})
	if err != nil {
		d.log.Error("webhook payload", slog.String("alert", a.ID), slog.String("error", err.Error()))
		d.drop(item.seq)
		return
	}
	retryAfter, err := d.post(ctx, a.Webhook, id, body)
	if ctx.Err() != nil {
		return // shutting down: stays queued, not counted as an attempt
	}
	log := d.log.With(slog.String("alert", a.ID), slog.String("delivery", id), slog.Int("matches", len(item.Matches)))
	if err == nil {
		d.drop(item.seq)
		d.delivered.Add(1)
		log.Info("webhook delivered", slog.Int("attempt", item.Attempts+1))
		return
	}
	item.Attempts++
	var perm *permanentError
	if errors.As(err, &perm) || errors.Is(err, ErrForbiddenAddress) || item.Attempts >= d.opts.MaxAttempts {
		d.drop(item.seq)
		d.failed.Add(1)
		log.Warn("webhook delivery given up; the matches stay in the alert's feed",
			slog.Int("attempts", item.Attempts), slog.String("error", err.Error()))
		return
	}
	delay := d.backoff(item.Attempts)
	if retryAfter > delay {
		delay = min(retryAfter, d.opts.MaxDelay)
	}
	item.Next = time.Now().Add(delay)
	if err := d.store.reschedule(item); err != nil {
		d.log.Error("webhook queue", slog.String("error", err.Error()))
	}
	d.retried.Add(1)
	log.Info("webhook delivery failed, will retry", slog.Int("attempt", item.Attempts),
		slog.Duration("retry_in", delay), slog.String("error", err.Error()))
}

func (d *Deliverer) drop(seq uint64) {
	if err := d.store.finish(seq); err != nil {
		d.log.Error("webhook queue", slog.String("error", err.Error()))
	}
}

// backoff is the pause after the n-th failed attempt: BaseDelay doubled
// each time, capped at MaxDelay, with ±20 % jitter so that many alerts on
// one failing receiver do not retry in lockstep.
func (d *Deliverer) backoff(n int) time.Duration {
	delay := d.opts.BaseDelay
	for i := 1; i < n && delay < d.opts.MaxDelay; i++ {
		delay *= 2
	}
	delay = min(delay, d.opts.MaxDelay)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(delay) * jitter)
}

// permanentError is a failure that a retry will not cure.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// post sends one attempt. It returns the receiver's Retry-After, if any,
// and an error for anything but a 2xx answer: a *permanentError for a
// client error that a retry will not cure.
func (d *Deliverer) post(ctx context.Context, url, id string, body []byte) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, &permanentError{err}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", d.opts.UserAgent)
	req.Header.Set("X-Stichwort-Delivery", id)
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return 0, nil
	}
	var retryAfter time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	err = fmt.Errorf("webhook answered %s", resp.Status)
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout,
		resp.StatusCode == http.StatusTooEarly, resp.StatusCode == http.StatusTooManyRequests:
		return retryAfter, err
	}
	return 0, &permanentError{err}
}
