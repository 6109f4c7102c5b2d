package alerts

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Summary is what Check found in alerts.db.
type Summary struct {
	Alerts, Matches, Pending int // Pending: webhook deliveries queued
	Problems                 []string
}

// Check reads alerts.db at path read-only: every alert must decode and
// have a valid id, and every bucket of matches must belong to an alert.
// It returns ErrLocked when a running process holds the file.
func Check(path string) (Summary, error) {
	var s Summary
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return s, fmt.Errorf("alerts: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return s, fmt.Errorf("alerts: open %s: %w", path, err)
	}
	defer db.Close()
	problem := func(format string, args ...any) {
		if len(s.Problems) < 10 {
			s.Problems = append(s.Problems, fmt.Sprintf(format, args...))
		}
	}
	err = db.View(func(tx *bolt.Tx) error {
		ab, mb, ob := tx.Bucket(bucketAlerts), tx.Bucket(bucketMatches), tx.Bucket(bucketOutbox)
		if ab == nil || mb == nil || ob == nil {
			problem("Alarme: ein Bereich der Datei fehlt")
			return nil
		}
		ids := map[string]bool{}
		err := ab.ForEach(func(k, v []byte) error {
			s.Alerts++
			var a Alert
			if err := json.Unmarshal(v, &a); err != nil || a.ID != string(k) || !ValidID(a.ID) {
				problem("Alarme: Alarm %q ist beschädigt", k)
				return nil
			}
			ids[a.ID] = true
			return nil
		})
		if err != nil {
			return err
		}
		err = mb.ForEach(func(k, v []byte) error {
			if v != nil {
				return nil
			}
			if !ids[string(k)] {
				problem("Alarme: Treffer eines gelöschten oder unbekannten Alarms %q", k)
			}
			return mb.Bucket(k).ForEach(func(k, v []byte) error {
				if len(k) > 0 && k[0] == prefixTimed {
					s.Matches++
					var m Match
					if err := json.Unmarshal(v, &m); err != nil {
						problem("Alarme: ein Treffer ist beschädigt: %v", err)
					}
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
		s.Pending = ob.Stats().KeyN
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("alerts: read %s: %w", path, err)
	}
	return s, nil
}

// Backup writes a consistent copy of the store into the file path (which
// must not exist) in one read transaction, while the store is in use.
func (s *Store) Backup(path string) error {
	err := s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(path, 0o600) })
	if err != nil {
		return fmt.Errorf("alerts: backup: %w", err)
	}
	return nil
}
