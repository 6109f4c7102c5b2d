package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"stichwort"
)

var docsBucket = []byte("docs")

// store keeps whole Documents by id. It is the source of truth from which
// the Bleve index can always be rebuilt.
type store struct {
	db *bolt.DB
}

func openStore(path string) (*store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("index: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(docsBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("index: init %s: %w", path, err)
	}
	return &store{db: db}, nil
}

// put writes docs in one transaction: all or none.
func (s *store) put(docs []stichwort.Document) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(docsBucket)
		for _, d := range docs {
			data, err := json.Marshal(d)
			if err != nil {
				return fmt.Errorf("encode %s: %w", d.ID, err)
			}
			if err := b.Put([]byte(d.ID), data); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *store) get(id string) (stichwort.Document, error) {
	var d stichwort.Document
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(docsBucket).Get([]byte(id))
		if data == nil {
			return ErrNotFound
		}
		return json.Unmarshal(data, &d)
	})
	return d, err
}

// getMany returns the documents with the given ids in one read transaction;
// ids that are missing are left out.
func (s *store) getMany(ids []string) (map[string]stichwort.Document, error) {
	out := make(map[string]stichwort.Document, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(docsBucket)
		for _, id := range ids {
			data := b.Get([]byte(id))
			if data == nil {
				continue
			}
			var d stichwort.Document
			if err := json.Unmarshal(data, &d); err != nil {
				return fmt.Errorf("decode %s: %w", id, err)
			}
			out[id] = d
		}
		return nil
	})
	return out, err
}

// each calls fn for every stored document, in id order.
func (s *store) each(fn func(stichwort.Document) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(docsBucket).ForEach(func(k, v []byte) error {
			var d stichwort.Document
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			return fn(d)
		})
	})
}

func (s *store) count() int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(docsBucket).Stats().KeyN
		return nil
	})
	return n
}

func (s *store) close() error { return s.db.Close() }
