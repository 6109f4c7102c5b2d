package index

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"

	"stichwort"
)

var docsBucket = []byte("docs")

// metaBucket holds countKey: the number of documents, kept with every put.
// Counting the keys instead walks every page of the store (6.8 s at
// 1,000,000 documents on a cold page cache), and Open and /api/status ask
// for the count.
var (
	metaBucket = []byte("meta")
	countKey   = []byte("count")
)

// store keeps whole Documents by id. It is the source of truth from which
// the Bleve index can always be rebuilt, and the only place the full text
// lives: the Bleve index stores no text (see newMapping).
//
// Values are JSON compressed with zstd at its default level (1.84× on the
// benchmark's synthetic articles, which are less redundant than real
// text; the fastest level gave 1.63×, at 99 instead of 88 MB/s); values
// written before compression was introduced are plain JSON and still
// read, told apart by their first byte.
type store struct {
	db     *bolt.DB
	enc    *zstd.Encoder // EncodeAll and DecodeAll are safe for concurrent use
	dec    *zstd.Decoder
	facets *facetDict // written with every put
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
		docs, err := tx.CreateBucketIfNotExists(docsBucket)
		if err != nil {
			return err
		}
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		if meta.Get(countKey) == nil {
			// A store written before the count was kept: count once.
			return meta.Put(countKey, binary.AppendUvarint(nil, uint64(docs.Stats().KeyN)))
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("index: init %s: %w", path, err)
	}
	s, err := newStore(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	return s, nil
}

// newStore wraps an open bolt database: the codecs and the facet
// dictionary. It writes nothing, so Check uses it on a read-only database.
func newStore(db *bolt.DB) (*store, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(64<<20))
	if err != nil {
		enc.Close()
		return nil, fmt.Errorf("zstd: %w", err)
	}
	facets := newFacetDict()
	if err := facets.load(db); err != nil {
		enc.Close()
		dec.Close()
		return nil, fmt.Errorf("facet dictionary: %w", err)
	}
	return &store{db: db, enc: enc, dec: dec, facets: facets}, nil
}

// encode is the stored form of d.
func (s *store) encode(d *stichwort.Document) ([]byte, error) {
	data, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return s.enc.EncodeAll(data, make([]byte, 0, len(data)/2)), nil
}

// zstdMagic starts every zstd frame; JSON starts with '{'.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// decode reads a stored value (zstd-compressed or plain JSON) into d.
func (s *store) decode(data []byte, d *stichwort.Document) error {
	if bytes.HasPrefix(data, zstdMagic) {
		raw, err := s.dec.DecodeAll(data, nil)
		if err != nil {
			return err
		}
		data = raw
	}
	return json.Unmarshal(data, d)
}

// put writes docs in one transaction with the facet terms they need that
// are new (all or none), so the dictionary holds every term before the
// index does.
func (s *store) put(docs []stichwort.Document) error {
	for _, d := range docs {
		for _, v := range docFacets(d) {
			s.facets.term(v)
		}
	}
	// Encode outside the write transaction, on all cores: bbolt allows one
	// writer at a time, and compression is most of a put's work.
	vals := make([][]byte, len(docs))
	errs := make([]error, len(docs))
	parallel(len(docs), func(i int) {
		vals[i], errs[i] = s.encode(&docs[i])
	})
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("encode %s: %w", docs[i].ID, err)
		}
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(docsBucket)
		added := 0
		for i, d := range docs {
			if b.Get([]byte(d.ID)) == nil {
				added++
			}
			if err := b.Put([]byte(d.ID), vals[i]); err != nil {
				return err
			}
		}
		if added > 0 {
			meta := tx.Bucket(metaBucket)
			n, _ := binary.Uvarint(meta.Get(countKey))
			if err := meta.Put(countKey, binary.AppendUvarint(nil, n+uint64(added))); err != nil {
				return err
			}
		}
		return s.facets.flush(tx)
	})
}

func (s *store) get(id string) (stichwort.Document, error) {
	var d stichwort.Document
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(docsBucket).Get([]byte(id))
		if data == nil {
			return ErrNotFound
		}
		return s.decode(data, &d)
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
			if err := s.decode(data, &d); err != nil {
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
			if err := s.decode(v, &d); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			return fn(d)
		})
	})
}

// setCount replaces the kept count of documents.
func (s *store) setCount(n int) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(metaBucket).Put(countKey, binary.AppendUvarint(nil, uint64(n)))
	})
}

func (s *store) count() int {
	n := uint64(0)
	_ = s.db.View(func(tx *bolt.Tx) error {
		n, _ = binary.Uvarint(tx.Bucket(metaBucket).Get(countKey))
		return nil
	})
	return int(n)
}

func (s *store) close() error {
	s.enc.Close()
	s.dec.Close()
	return s.db.Close()
}
