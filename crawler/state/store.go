package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors returned by Open.
var (
	// ErrLocked means another process holds the state file.
	ErrLocked = errors.New("state: file is locked by another process")
)

// Bucket names. Each holds JSON records keyed as noted.
const (
	bucketPages  = "pages"  // URL → Page
	bucketPDFs   = "pdfs"   // URL → PDF
	bucketDocs   = "docs"   // doc id → Doc
	bucketHashes = "hashes" // content hash → doc id (raw bytes)
	// The frontier of an unfinished run: cleared when a run finishes.
	bucketRun   = "run"   // keyRun → Run
	bucketQueue = "queue" // URL → Job
	bucketSeen  = "seen"  // URL → empty value
)

const keyRun = "current"

var (
	buckets    = []string{bucketPages, bucketPDFs, bucketDocs, bucketHashes, bucketRun, bucketQueue, bucketSeen}
	runBuckets = []string{bucketRun, bucketQueue, bucketSeen}
)

// kv is the storage underneath a Store: bbolt on disk or a map in memory.
type kv interface {
	get(bucket, key string) ([]byte, error)
	// update empties the buckets in clear, then applies all puts (nil
	// value: delete), atomically.
	update(clear []string, puts []put) error
	// each calls fn for every key of the bucket, in key order for bbolt.
	each(bucket string, fn func(key, val []byte) error) error
	close() error
}

type put struct {
	bucket, key string
	val         []byte
}

// empty is the value of a key that only needs to exist.
var empty = []byte{}

// Store is the crawl state. It is safe for concurrent use.
type Store struct {
	kv kv
}

// Open opens the state at path, creating it if needed. An empty path keeps
// the state in memory; it is lost on Close. If another process holds the
// file, Open gives up after a second with ErrLocked.
func Open(path string) (*Store, error) {
	if path == "" {
		return &Store{kv: &memKV{m: make(map[string]map[string][]byte)}}, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("state: open %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("state: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("state: create buckets in %s: %w", path, err)
	}
	return &Store{kv: &boltKV{db: db}}, nil
}

// Close releases the file.
func (s *Store) Close() error { return s.kv.close() }

// Page returns the fetch state of url.
func (s *Store) Page(url string) (Page, bool, error) {
	var p Page
	ok, err := s.getJSON(bucketPages, url, &p)
	return p, ok, err
}

// PDF returns the content and parents of the PDF at url.
func (s *Store) PDF(url string) (PDF, bool, error) {
	var p PDF
	ok, err := s.getJSON(bucketPDFs, url, &p)
	return p, ok, err
}

// Doc returns what was last delivered for the document id.
func (s *Store) Doc(id string) (Doc, bool, error) {
	var d Doc
	ok, err := s.getJSON(bucketDocs, id, &d)
	return d, ok, err
}

// HashOwner returns the id of the document whose content has the hash.
func (s *Store) HashOwner(hash string) (string, bool, error) {
	v, err := s.kv.get(bucketHashes, hash)
	if err != nil {
		return "", false, fmt.Errorf("state: get hash %s: %w", hash, err)
	}
	return string(v), v != nil, nil
}

// Run returns the unfinished run, if there is one.
func (s *Store) Run() (Run, bool, error) {
	var r Run
	ok, err := s.getJSON(bucketRun, keyRun, &r)
	return r, ok, err
}

// Queued returns the frontier of the unfinished run: the URLs queued and
// not yet handled, in URL order.
func (s *Store) Queued() ([]Job, error) {
	var jobs []Job
	err := s.kv.each(bucketQueue, func(k, v []byte) error {
		var j Job
		if err := json.Unmarshal(v, &j); err != nil {
			return fmt.Errorf("decode job %s: %w", k, err)
		}
		jobs = append(jobs, j)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: read queue: %w", err)
	}
	return jobs, nil
}

// EachSeen calls fn with every URL the unfinished run has queued, handled
// or not.
func (s *Store) EachSeen(fn func(url string)) error {
	err := s.kv.each(bucketSeen, func(k, _ []byte) error {
		fn(string(k))
		return nil
	})
	if err != nil {
		return fmt.Errorf("state: read seen: %w", err)
	}
	return nil
}

func (s *Store) getJSON(bucket, key string, v any) (bool, error) {
	data, err := s.kv.get(bucket, key)
	if err != nil {
		return false, fmt.Errorf("state: get %s %s: %w", bucket, key, err)
	}
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("state: decode %s %s: %w", bucket, key, err)
	}
	return true, nil
}

// Commit writes the batch in one transaction: all of it or nothing.
func (s *Store) Commit(b *Batch) error {
	if b == nil || b.Len() == 0 {
		return nil
	}
	puts := make([]put, 0, b.Len())
	add := func(bucket, key string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("state: encode %s %s: %w", bucket, key, err)
		}
		puts = append(puts, put{bucket, key, data})
		return nil
	}
	for k, v := range b.pages {
		if err := add(bucketPages, k, v); err != nil {
			return err
		}
	}
	for k, v := range b.pdfs {
		if err := add(bucketPDFs, k, v); err != nil {
			return err
		}
	}
	for k, v := range b.docs {
		if err := add(bucketDocs, k, v); err != nil {
			return err
		}
	}
	for k, v := range b.hashes {
		var val []byte
		if v != "" {
			val = []byte(v)
		}
		puts = append(puts, put{bucketHashes, k, val})
	}
	if b.run != nil {
		if err := add(bucketRun, keyRun, b.run); err != nil {
			return err
		}
	}
	for k, j := range b.jobs {
		if j == nil {
			puts = append(puts, put{bucketQueue, k, nil})
			continue
		}
		if err := add(bucketQueue, k, j); err != nil {
			return err
		}
	}
	for k := range b.seen {
		puts = append(puts, put{bucketSeen, k, empty})
	}
	var clear []string
	if b.clearRun {
		clear = runBuckets
	}
	if err := s.kv.update(clear, puts); err != nil {
		return fmt.Errorf("state: commit: %w", err)
	}
	return nil
}

type boltKV struct{ db *bolt.DB }

func (k *boltKV) get(bucket, key string) ([]byte, error) {
	var out []byte
	err := k.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket([]byte(bucket)).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...) // v is only valid inside the transaction
		}
		return nil
	})
	return out, err
}

func (k *boltKV) update(clear []string, puts []put) error {
	return k.db.Update(func(tx *bolt.Tx) error {
		for _, name := range clear {
			if err := tx.DeleteBucket([]byte(name)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return fmt.Errorf("clear %s: %w", name, err)
			}
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return fmt.Errorf("clear %s: %w", name, err)
			}
		}
		for _, p := range puts {
			b := tx.Bucket([]byte(p.bucket))
			var err error
			if p.val == nil {
				err = b.Delete([]byte(p.key))
			} else {
				err = b.Put([]byte(p.key), p.val)
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", p.bucket, p.key, err)
			}
		}
		return nil
	})
}

func (k *boltKV) each(bucket string, fn func(key, val []byte) error) error {
	return k.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).ForEach(fn)
	})
}

func (k *boltKV) close() error { return k.db.Close() }

type memKV struct {
	mu sync.RWMutex
	m  map[string]map[string][]byte
}

func (k *memKV) get(bucket, key string) ([]byte, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	v := k.m[bucket][key]
	if v == nil {
		return nil, nil
	}
	return append([]byte(nil), v...), nil
}

func (k *memKV) update(clear []string, puts []put) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, name := range clear {
		delete(k.m, name)
	}
	for _, p := range puts {
		b := k.m[p.bucket]
		if b == nil {
			b = make(map[string][]byte)
			k.m[p.bucket] = b
		}
		if p.val == nil {
			delete(b, p.key)
		} else {
			b[p.key] = p.val
		}
	}
	return nil
}

func (k *memKV) each(bucket string, fn func(key, val []byte) error) error {
	k.mu.RLock()
	keys := slices.Sorted(maps.Keys(k.m[bucket]))
	vals := make([][]byte, len(keys))
	for i, key := range keys {
		vals[i] = k.m[bucket][key]
	}
	k.mu.RUnlock()
	for i, key := range keys {
		if err := fn([]byte(key), vals[i]); err != nil {
			return err
		}
	}
	return nil
}

func (k *memKV) close() error { return nil }
