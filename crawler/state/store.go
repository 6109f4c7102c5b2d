package state

import (
	"encoding/json"
	"errors"
	"fmt"
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
)

var buckets = []string{bucketPages, bucketPDFs, bucketDocs, bucketHashes}

// kv is the storage underneath a Store: bbolt on disk or a map in memory.
type kv interface {
	get(bucket, key string) ([]byte, error)
	// update applies all puts (nil value: delete) atomically.
	update(puts []put) error
	close() error
}

type put struct {
	bucket, key string
	val         []byte
}

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
	if err := s.kv.update(puts); err != nil {
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

func (k *boltKV) update(puts []put) error {
	return k.db.Update(func(tx *bolt.Tx) error {
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

func (k *memKV) update(puts []put) error {
	k.mu.Lock()
	defer k.mu.Unlock()
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

func (k *memKV) close() error { return nil }
