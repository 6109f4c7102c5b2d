package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"stichwort"
	"stichwort/index/german"
)

// CheckReport is what Check found in an index folder.
type CheckReport struct {
	Stored  int    // documents in the document store
	Indexed uint64 // documents in the Bleve index
	// Problems says in plain words (German, for the operator) what is
	// wrong; empty when the index is in order.
	Problems []string
	// Query is the search Check ran (with the document's source and date
	// as filters), and Found whether it found the document it was taken
	// from.
	Query string
	Found bool
}

// checkBatch is how many ids Check looks up in Bleve at once.
const checkBatch = 500

// Check verifies the index in dir without changing it: it opens the
// document store and the Bleve index read-only, decodes every stored
// document, looks every stored id up in Bleve (and counts what Bleve holds
// beyond them), and searches for one document's title with the German
// analysis. The ids in expect (the documents the crawl state records as
// delivered) must all be stored. It returns ErrLocked when a running
// process holds dir; any other failure to open is reported as a problem,
// not an error.
func Check(ctx context.Context, dir string, expect []string) (CheckReport, error) {
	var rep CheckReport
	problem := func(format string, args ...any) { rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...)) }
	if err := german.Register(); err != nil {
		return rep, fmt.Errorf("index: %w", err)
	}
	docsPath, blevePath := filepath.Join(dir, "docs.db"), filepath.Join(dir, "index")
	if _, err := os.Stat(docsPath); err != nil {
		problem("Dokumentenspeicher %s fehlt oder ist nicht lesbar (%v)", docsPath, err)
		return rep, nil
	}
	db, err := bolt.Open(docsPath, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return rep, fmt.Errorf("index: open %s: %w", docsPath, ErrLocked)
	}
	if err != nil {
		problem("Dokumentenspeicher %s lässt sich nicht öffnen: %v", docsPath, err)
		return rep, nil
	}
	defer db.Close()
	if _, err := os.Stat(filepath.Join(blevePath, "index_meta.json")); err != nil {
		problem("Suchindex %s fehlt (%v); »stichwort reindex« baut ihn neu auf", blevePath, err)
		return rep, nil
	}
	b, err := bleve.OpenUsing(blevePath, map[string]any{"read_only": true, "bolt_timeout": "1s"})
	if err != nil {
		problem("Suchindex %s lässt sich nicht öffnen: %v; »stichwort reindex« baut ihn neu auf", blevePath, err)
		return rep, nil
	}
	defer b.Close()
	if rep.Indexed, err = b.DocCount(); err != nil {
		problem("Suchindex: Dokumente lassen sich nicht zählen: %v", err)
	}

	var first stichwort.Document
	var ids []string
	stored := make(map[string]bool)
	missing, bad := 0, 0
	var missingIDs []string
	lookup := func() error {
		if len(ids) == 0 {
			return nil
		}
		sr := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
		res, err := b.SearchInContext(ctx, sr)
		if err != nil {
			return err
		}
		found := make(map[string]bool, len(res.Hits))
		for _, h := range res.Hits {
			found[h.ID] = true
		}
		for _, id := range ids {
			if !found[id] {
				missing++
				if len(missingIDs) < 5 {
					missingIDs = append(missingIDs, id)
				}
			}
		}
		ids = ids[:0]
		return nil
	}
	docs, err := newStore(db)
	if err != nil {
		problem("Dokumentenspeicher %s lässt sich nicht lesen: %v", docsPath, err)
		return rep, nil
	}
	defer docs.enc.Close()
	defer docs.dec.Close()
	err = db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(docsBucket)
		if bk == nil {
			problem("Dokumentenspeicher: der Bereich %q fehlt", docsBucket)
			return nil
		}
		return bk.ForEach(func(k, v []byte) error {
			rep.Stored++
			var d stichwort.Document
			if err := docs.decode(v, &d); err != nil || d.ID != string(k) || d.URL == "" || d.Title == "" {
				bad++
				if bad <= 5 {
					problem("Dokument %q im Speicher ist beschädigt oder unvollständig", k)
				}
				return nil
			}
			if first.ID == "" {
				first = d
			}
			stored[d.ID] = true
			ids = append(ids, d.ID)
			if len(ids) == checkBatch {
				return lookup()
			}
			return ctx.Err()
		})
	})
	if err == nil {
		err = lookup()
	}
	if err != nil {
		problem("Prüfung abgebrochen: %v", err)
		return rep, nil
	}
	if bad > 5 {
		problem("… insgesamt %d beschädigte Dokumente", bad)
	}
	if missing > 0 {
		problem("%d gespeicherte Dokumente fehlen im Suchindex (z. B. %s); der nächste Start baut den Index neu auf, oder »stichwort reindex«",
			missing, strings.Join(missingIDs, ", "))
	}
	var lost []string
	for _, id := range expect {
		if !stored[id] {
			lost = append(lost, id)
		}
	}
	if len(lost) > 0 {
		problem("%d Dokumente, die der Crawl-Zustand als geliefert führt, fehlen im Dokumentenspeicher (z. B. %s); »stichwort reindex« holt sie aus dem Rohdaten-Archiv zurück",
			len(lost), strings.Join(lost[:min(len(lost), 5)], ", "))
	}
	if extra := int64(rep.Indexed) - int64(rep.Stored-bad-missing); extra > 0 {
		problem("der Suchindex hält %d Dokumente, die nicht im Dokumentenspeicher stehen; »stichwort reindex« räumt auf", extra)
	}

	// One search through the real query path: the document's own title
	// must find it.
	if first.ID != "" {
		syn, err := german.DefaultSynonyms()
		if err != nil {
			return rep, fmt.Errorf("index: %w", err)
		}
		x := &Index{dir: dir, logger: slog.New(slog.DiscardHandler), docs: docs, syn: syn, bleve: b}
		rep.Query = checkQuery(first.Title)
		// Narrowed to the document's source and day, so that a corpus of
		// similar titles still has it among the first hits.
		req := Request{Query: rep.Query, Size: MaxSize}
		if first.Source != "" {
			req.Sources = []string{first.Source}
		}
		if !first.Date.IsZero() {
			req.From, req.To = first.Date, first.Date
		}
		res, err := x.Search(ctx, req)
		switch {
		case err != nil:
			problem("Suche nach %q schlägt fehl: %v", rep.Query, err)
		default:
			for _, h := range res.Hits {
				rep.Found = rep.Found || h.ID == first.ID
			}
			if !rep.Found && missing == 0 {
				problem("die Suche nach %q findet das Dokument %s nicht", rep.Query, first.ID)
			}
		}
	}
	return rep, nil
}

// checkQuery takes the longest words of a title: specific enough that the
// document is among the first hits.
func checkQuery(title string) string {
	words := strings.FieldsFunc(title, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127 && r != '„' && r != '“' && r != '–')
	})
	best := make([]string, 0, 3)
	for range 3 {
		i := -1
		for j, w := range words {
			if len([]rune(w)) > 3 && (i < 0 || len(w) > len(words[i])) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		best = append(best, words[i])
		words = append(words[:i], words[i+1:]...)
	}
	if len(best) == 0 {
		return title
	}
	return strings.Join(best, " ")
}
