package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Summary is what Check found in a state file.
type Summary struct {
	Pages, PDFs, Docs, Hashes int
	// Run is the unfinished crawl a next run resumes, if any, with the
	// URLs in its frontier and those it has seen.
	Run            *Run
	Queued, Seen   int
	DocIDs         []string // the ids of Docs, to compare with the index
	Problems       []string // in plain words (German), empty when in order
	corruptRecords int
}

// Check reads the state file at path read-only and decodes every record.
// It returns ErrLocked when a running crawl holds the file, and an error
// when the file cannot be opened at all; damaged records are Problems.
func Check(path string) (Summary, error) {
	var s Summary
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return s, fmt.Errorf("state: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return s, fmt.Errorf("state: open %s: %w", path, err)
	}
	defer db.Close()
	decode := func(bucket string, k, v []byte, into any) {
		if err := json.Unmarshal(v, into); err != nil {
			s.corruptRecords++
			if s.corruptRecords <= 5 {
				s.Problems = append(s.Problems, fmt.Sprintf("Crawl-Zustand: Eintrag %q in %q ist beschädigt: %v", k, bucket, err))
			}
		}
	}
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range buckets {
			b := tx.Bucket([]byte(name))
			if b == nil {
				s.Problems = append(s.Problems, fmt.Sprintf("Crawl-Zustand: der Bereich %q fehlt", name))
				continue
			}
			err := b.ForEach(func(k, v []byte) error {
				switch name {
				case bucketPages:
					s.Pages++
					decode(name, k, v, new(Page))
				case bucketPDFs:
					s.PDFs++
					decode(name, k, v, new(PDF))
				case bucketDocs:
					s.Docs++
					s.DocIDs = append(s.DocIDs, string(k))
					decode(name, k, v, new(Doc))
				case bucketHashes:
					s.Hashes++
				case bucketQueue:
					s.Queued++
					decode(name, k, v, new(Job))
				case bucketSeen:
					s.Seen++
				case bucketRun:
					r := new(Run)
					decode(name, k, v, r)
					s.Run = r
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("state: read %s: %w", path, err)
	}
	if s.corruptRecords > 5 {
		s.Problems = append(s.Problems, fmt.Sprintf("Crawl-Zustand: insgesamt %d beschädigte Einträge", s.corruptRecords))
	}
	if s.Run == nil && s.Queued > 0 {
		s.Problems = append(s.Problems, fmt.Sprintf("Crawl-Zustand: %d URLs warten ohne einen unterbrochenen Crawl", s.Queued))
	}
	return s, nil
}

// Backup writes a consistent copy of the state into the file path (which
// must not exist) in one read transaction, while crawls go on. A state
// kept in memory has nothing to copy.
func (s *Store) Backup(path string) error {
	b, ok := s.kv.(*boltKV)
	if !ok {
		return nil
	}
	return b.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(path, 0o600) })
}
