package alerts

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"stichwort"
	"stichwort/index"
)

// Buckets of alerts.db.
var (
	bucketAlerts  = []byte("alerts")  // id → Alert (JSON)
	bucketMatches = []byte("matches") // id → bucket of the alert's matches, see below
	bucketOutbox  = []byte("outbox")  // sequence (8 bytes) → delivery (JSON)
)

// Keys inside an alert's bucket of matches. The "seen" key of a document
// outlives its match, so a document is recorded once even after its match
// was pruned from the feed.
const (
	prefixSeen  = 's' // 's' + doc id → time found (8 bytes)
	prefixTimed = 't' // 't' + time found (8 bytes) + doc id → Match (JSON)
)

// Options configure a Store; the zero value gives the defaults.
type Options struct {
	// MaxAlerts is how many alerts the store holds at most (default
	// 100,000); Create returns ErrFull beyond.
	MaxAlerts int
	// MaxMatches is how many matches each alert keeps, the newest
	// (default 1,000); older ones leave the feed.
	MaxMatches int
	// AllowPrivateWebhooks admits webhooks on loopback and private
	// addresses (tests, intranets).
	AllowPrivateWebhooks bool
	Logger               *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Store keeps alerts and their matches. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	opts Options
	log  *slog.Logger

	mu     sync.RWMutex
	alerts map[string]Alert // a copy of bucketAlerts, for Searches

	// queued is signalled when a delivery was queued.
	queued chan struct{}
}

// Open opens or creates the store at path. It returns ErrLocked (wrapped)
// when another process holds the file.
func Open(path string, opts Options) (*Store, error) {
	if opts.MaxAlerts <= 0 {
		opts.MaxAlerts = 100_000
	}
	if opts.MaxMatches <= 0 {
		opts.MaxMatches = 1000
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("alerts: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("alerts: open %s: %w", path, err)
	}
	s := &Store{db: db, opts: opts, log: opts.Logger, alerts: make(map[string]Alert), queued: make(chan struct{}, 1)}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketAlerts, bucketMatches, bucketOutbox} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketAlerts).ForEach(func(k, v []byte) error {
			var a Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("alert %s: %w", k, err)
			}
			s.alerts[a.ID] = a
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("alerts: open %s: %w", path, err)
	}
	return s, nil
}

// Close closes the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("alerts: close: %w", err)
	}
	return nil
}

// Create saves a new alert and returns it with its id and creation time.
// The caller has validated name, search and the webhook's syntax. Create
// returns ErrForbiddenAddress when the webhook names a non-public address
// literally (a name is checked when it is dialled) and ErrFull when the
// store is full.
func (s *Store) Create(a Alert) (Alert, error) {
	if a.Webhook != "" && !s.opts.AllowPrivateWebhooks {
		if err := checkWebhookHost(a.Webhook); err != nil {
			return Alert{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.alerts) >= s.opts.MaxAlerts {
		return Alert{}, ErrFull
	}
	a.ID = newID()
	a.Created = s.opts.Now().UTC()
	data, err := json.Marshal(a)
	if err != nil {
		return Alert{}, fmt.Errorf("alerts: encode: %w", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.Bucket(bucketMatches).CreateBucket([]byte(a.ID)); err != nil {
			return err
		}
		return tx.Bucket(bucketAlerts).Put([]byte(a.ID), data)
	})
	if err != nil {
		return Alert{}, fmt.Errorf("alerts: create: %w", err)
	}
	s.alerts[a.ID] = a
	return a, nil
}

// Get returns the alert with id or ErrNotFound.
func (s *Store) Get(id string) (Alert, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.alerts[id]
	if !ok {
		return Alert{}, ErrNotFound
	}
	return a, nil
}

// List returns all alerts, oldest first.
func (s *Store) List() []Alert {
	s.mu.RLock()
	out := make([]Alert, 0, len(s.alerts))
	for _, a := range s.alerts {
		out = append(out, a)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b Alert) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Delete removes the alert, its matches and its pending deliveries, or
// returns ErrNotFound.
func (s *Store) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.alerts[id]; !ok {
		return ErrNotFound
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketAlerts).Delete([]byte(id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMatches).DeleteBucket([]byte(id)); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return err
		}
		out := tx.Bucket(bucketOutbox)
		var drop [][]byte
		err := out.ForEach(func(k, v []byte) error {
			var d delivery
			if json.Unmarshal(v, &d) != nil || d.AlertID == id {
				drop = append(drop, slices.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := out.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("alerts: delete %s: %w", id, err)
	}
	delete(s.alerts, id)
	return nil
}

// Searches returns the index request of every alert by id.
func (s *Store) Searches() map[string]index.Request {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]index.Request, len(s.alerts))
	for id, a := range s.alerts {
		out[id] = a.Search.Request()
	}
	return out
}

// Matches returns up to n matches of the alert, newest discovery first,
// and how many it keeps in all; ErrNotFound for an unknown alert.
func (s *Store) Matches(id string, n int) ([]Match, int, error) {
	var out []Match
	total := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMatches).Bucket([]byte(id))
		if b == nil {
			return ErrNotFound
		}
		c := b.Cursor()
		// Walk the timed keys backwards: from the last key before 'u'.
		k, v := c.Seek([]byte{prefixTimed + 1})
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && k[0] == prefixTimed; k, v = c.Prev() {
			total++
			if len(out) >= n {
				continue
			}
			var m Match
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("match %q: %w", k, err)
			}
			out = append(out, m)
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("alerts: matches of %s: %w", id, err)
	}
	return out, total, nil
}

// Percolator is what the store needs of the index: index.Percolator.
type Percolator interface {
	// Match returns, for each search that matches one or more of docs,
	// the ids of those documents; it fails only when the index does.
	Match(ctx context.Context, docs []stichwort.Document, searches map[string]index.Request) (map[string][]string, error)
}

// Percolate matches a batch of new or changed documents against every
// alert and records the new matches; it returns how many. It is meant to
// run after each indexed batch.
func (s *Store) Percolate(ctx context.Context, p Percolator, docs []stichwort.Document) (int, error) {
	searches := s.Searches()
	if len(searches) == 0 || len(docs) == 0 {
		return 0, nil
	}
	hits, err := p.Match(ctx, docs, searches)
	if err != nil {
		return 0, fmt.Errorf("alerts: percolate: %w", err)
	}
	if len(hits) == 0 {
		return 0, nil
	}
	byID := make(map[string]stichwort.Document, len(docs))
	for _, d := range docs {
		if d.ID == "" {
			d.ID = stichwort.DocID(d.URL)
		}
		byID[d.ID] = d
	}
	found := make(map[string][]stichwort.Document, len(hits))
	for alert, ids := range hits {
		for _, id := range ids {
			if d, ok := byID[id]; ok {
				found[alert] = append(found[alert], d)
			}
		}
	}
	return s.Record(found)
}

// Record stores, for each alert, the documents that match it, with the
// current time as the time of discovery, and returns how many matches are
// new. A document the alert already has is refreshed (title, snippet…)
// but keeps its time of discovery and is not delivered again. Alerts that
// no longer exist are skipped. The new matches of an alert with a webhook
// are queued for delivery in the same transaction.
func (s *Store) Record(found map[string][]stichwort.Document) (int, error) {
	now := s.opts.Now().UTC()
	newCount, queued := 0, false
	err := s.db.Update(func(tx *bolt.Tx) error {
		alertsB, matchesB, outbox := tx.Bucket(bucketAlerts), tx.Bucket(bucketMatches), tx.Bucket(bucketOutbox)
		for _, id := range slices.Sorted(maps.Keys(found)) {
			raw := alertsB.Get([]byte(id))
			b := matchesB.Bucket([]byte(id))
			if raw == nil || b == nil {
				continue // deleted meanwhile
			}
			var a Alert
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("alert %s: %w", id, err)
			}
			var fresh []Match
			for _, d := range found[id] {
				isNew, m, err := putMatch(b, d, now)
				if err != nil {
					return err
				}
				if isNew {
					fresh = append(fresh, m)
				}
			}
			if err := prune(b, s.opts.MaxMatches); err != nil {
				return err
			}
			newCount += len(fresh)
			if len(fresh) == 0 || a.Webhook == "" {
				continue
			}
			seq, err := outbox.NextSequence()
			if err != nil {
				return err
			}
			data, err := json.Marshal(delivery{AlertID: id, Matches: fresh, Next: now, Queued: now})
			if err != nil {
				return err
			}
			if err := outbox.Put(seqKey(seq), data); err != nil {
				return err
			}
			queued = true
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("alerts: record matches: %w", err)
	}
	if queued {
		select {
		case s.queued <- struct{}{}:
		default:
		}
	}
	return newCount, nil
}

// putMatch records d in an alert's bucket: new, or a refresh of the entry
// it has, keeping the time of discovery.
func putMatch(b *bolt.Bucket, d stichwort.Document, now time.Time) (bool, Match, error) {
	seenKey := append([]byte{prefixSeen}, d.ID...)
	if at := b.Get(seenKey); len(at) == 8 {
		found := time.Unix(0, int64(binary.BigEndian.Uint64(at))).UTC()
		key := timedKey(found, d.ID)
		if b.Get(key) == nil {
			return false, Match{}, nil // pruned from the feed long ago
		}
		data, err := json.Marshal(matchOf(d, found))
		if err != nil {
			return false, Match{}, err
		}
		return false, Match{}, b.Put(key, data)
	}
	m := matchOf(d, now)
	data, err := json.Marshal(m)
	if err != nil {
		return false, Match{}, err
	}
	var at [8]byte
	binary.BigEndian.PutUint64(at[:], uint64(now.UnixNano()))
	if err := b.Put(seenKey, at[:]); err != nil {
		return false, Match{}, err
	}
	return true, m, b.Put(timedKey(now, d.ID), data)
}

func timedKey(found time.Time, docID string) []byte {
	k := make([]byte, 9, 9+len(docID))
	k[0] = prefixTimed
	binary.BigEndian.PutUint64(k[1:], uint64(found.UnixNano()))
	return append(k, docID...)
}

// prune deletes the oldest matches beyond max.
func prune(b *bolt.Bucket, max int) error {
	c := b.Cursor()
	n := 0
	for k, _ := c.Seek([]byte{prefixTimed}); k != nil && k[0] == prefixTimed; k, _ = c.Next() {
		n++
	}
	var drop [][]byte
	for k, _ := c.Seek([]byte{prefixTimed}); k != nil && k[0] == prefixTimed && n-len(drop) > max; k, _ = c.Next() {
		drop = append(drop, bytes.Clone(k))
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
