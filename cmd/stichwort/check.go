package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"stichwort/crawler/state"
	"stichwort/index"
	"stichwort/index/alerts"
)

// runCheck verifies the data folder without changing it: the index (the
// document store against the search index, one real search), the crawl
// state (every record decodes; every document it records as delivered is
// in the index), the alerts, the raw archive and the folder's permissions.
// It prints what it found in plain words and returns an error (exit 1)
// when something is wrong; otherwise it ends with "in Ordnung".
func (m *Main) runCheck(ctx context.Context) error {
	w := m.Stdout
	if st, err := os.Stat(m.dataDir); err != nil || !st.IsDir() {
		return fmt.Errorf("check: den Datenordner %s gibt es nicht", m.dataDir)
	}
	locked := func(what string) error {
		return fmt.Errorf("check: %s: der Datenordner %s wird von einem laufenden stichwort benutzt; check braucht ihn für sich: "+
			"den Server anhalten oder eine Online-Sicherung (POST /api/backup) prüfen", what, m.dataDir)
	}
	var problems []string

	// The crawl state first: its documents must be in the index.
	var delivered []string
	statePath := filepath.Join(m.dataDir, "crawl.db")
	if exists(statePath) {
		sum, err := state.Check(statePath)
		switch {
		case errors.Is(err, state.ErrLocked):
			return locked("der Crawl-Zustand")
		case err != nil:
			problems = append(problems, fmt.Sprintf("Crawl-Zustand lässt sich nicht lesen: %v", err))
		default:
			fmt.Fprintf(w, "Crawl-Zustand: %d Seiten und %d PDFs bekannt, %d Dokumente geliefert\n", sum.Pages, sum.PDFs, sum.Docs)
			if sum.Run != nil {
				fmt.Fprintf(w, "  ein unterbrochener Crawl vom %s wartet auf Fortsetzung: %d URLs in der Warteschlange, %d gesehen\n",
					sum.Run.Started.Local().Format("02.01.2006 15:04"), sum.Queued, sum.Seen)
			}
			problems = append(problems, sum.Problems...)
			delivered = sum.DocIDs
		}
	} else {
		fmt.Fprintln(w, "Crawl-Zustand: keiner (in diesen Ordner wurde noch nicht gecrawlt)")
	}

	indexDir := filepath.Join(m.dataDir, "index")
	if exists(indexDir) {
		rep, err := index.Check(ctx, indexDir, delivered)
		switch {
		case errors.Is(err, index.ErrLocked):
			return locked("der Index")
		case err != nil:
			problems = append(problems, fmt.Sprintf("Index lässt sich nicht prüfen: %v", err))
		default:
			fmt.Fprintf(w, "Index: %d Dokumente gespeichert, %d durchsuchbar", rep.Stored, rep.Indexed)
			if rep.Query != "" {
				found := "gefunden"
				if !rep.Found {
					found = "nicht gefunden"
				}
				fmt.Fprintf(w, "; Probesuche %q: Dokument %s", rep.Query, found)
			}
			fmt.Fprintln(w)
			problems = append(problems, rep.Problems...)
		}
	} else {
		problems = append(problems, fmt.Sprintf("kein Index in %s", indexDir))
	}

	alertsPath := filepath.Join(m.dataDir, "alerts.db")
	if exists(alertsPath) {
		sum, err := alerts.Check(alertsPath)
		switch {
		case errors.Is(err, alerts.ErrLocked):
			return locked("die Alarme")
		case err != nil:
			problems = append(problems, fmt.Sprintf("Alarme lassen sich nicht lesen: %v", err))
		default:
			fmt.Fprintf(w, "Alarme: %d gespeichert, %d Treffer, %d Webhook-Zustellungen ausstehend\n", sum.Alerts, sum.Matches, sum.Pending)
			problems = append(problems, sum.Problems...)
		}
	} else {
		fmt.Fprintln(w, "Alarme: keine")
	}

	files, size, err := archiveSize(m.archiveDir())
	if err != nil {
		problems = append(problems, fmt.Sprintf("Rohdaten-Archiv lässt sich nicht lesen: %v", err))
	} else {
		fmt.Fprintf(w, "Rohdaten-Archiv: %d WARC-Dateien, %.1f MB\n", files, float64(size)/1e6)
	}

	if open := openToOthers(m.dataDir); len(open) > 0 {
		fmt.Fprintf(w, "Hinweis: %d Dateien oder Ordner sind für andere Benutzer lesbar (z. B. %s); »chmod -R go-rwx %s« schließt sie\n",
			len(open), open[0], m.dataDir)
	}

	if len(problems) == 0 {
		fmt.Fprintln(w, "in Ordnung")
		return nil
	}
	fmt.Fprintln(w, "Probleme:")
	for _, p := range problems {
		fmt.Fprintln(w, "  - "+p)
	}
	if len(problems) == 1 {
		return errors.New("check: 1 Problem gefunden")
	}
	return fmt.Errorf("check: %d Probleme gefunden", len(problems))
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// archiveSize counts the WARC files of the raw archive and their bytes.
func archiveSize(dir string) (files int, size int64, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		if !strings.Contains(e.Name(), ".warc") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return 0, 0, err
		}
		files++
		size += info.Size()
	}
	return files, size, nil
}

// openToOthers lists the paths under dir (relative) that group or others
// may read, write or enter.
func openToOthers(dir string) []string {
	var open []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().Perm()&0o077 != 0 {
			rel, _ := filepath.Rel(dir, path)
			open = append(open, rel)
		}
		return nil
	})
	return open
}

// backupName is the folder of one online backup inside --backup-dir.
func backupName(t time.Time) string {
	return "stichwort-" + t.Format("20060102-150405")
}
