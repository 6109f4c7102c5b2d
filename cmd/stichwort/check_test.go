package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"stichwort/crawler/state"
)

// serveSite runs serve over the sample site with extra flags and waits for
// the first crawl.
func serveSite(tb testing.TB, f *fixture, data string, extra ...string) *Main {
	tb.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	args := append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--seed", f.site.WWWURL() + "/",
		"--delay", "0", "--log-level", "error"}, extra...)
	if err := m.ParseFlags(args); err != nil {
		tb.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	select {
	case <-m.CrawlDone():
	case <-time.After(60 * time.Second):
		tb.Fatal("crawl did not finish within 60 s")
	}
	return m
}

var storedDocs = regexp.MustCompile(`Index: (\d+) Dokumente gespeichert, (\d+) durchsuchbar`)

// mustCheck runs check and returns its output; want is the exit code.
func mustCheck(t *testing.T, data string, want int) string {
	t.Helper()
	code, out, errOut := run(t, "", "check", "--data", data)
	if code != want {
		t.Fatalf("check %s: exit %d, want %d\n%s%s", data, code, want, out, errOut)
	}
	return out + errOut
}

// TestCheckAndBackup makes an online backup of a serving data folder (with
// a crawl, its state, archive and an alert), checks both folders, makes
// an offline backup, and then damages the folder in the ways check must
// notice.
func TestCheckAndBackup(t *testing.T) {
	f := mustSite(t)
	data, backups := t.TempDir(), t.TempDir()
	m := serveSite(t, f, data, "--backup-dir", backups, "--admin-token", "tok")
	var a struct{ ID string }
	if code := call(t, m, http.MethodPost, "/api/alerts", `{"name":"Zwillinge","q":"Zwilling"}`, &a); code != http.StatusCreated {
		t.Fatalf("create alert: %d", code)
	}
	if code := call(t, m, http.MethodPost, "/api/backup", "", nil); code != http.StatusUnauthorized {
		t.Errorf("backup without token: status %d", code)
	}
	var b struct {
		Path string `json:"path"`
	}
	if code := call(t, m, http.MethodPost, "/api/backup", "", &b, "Authorization", "Bearer tok"); code != http.StatusCreated || b.Path == "" {
		t.Fatalf("online backup: status %d, %+v", code, b)
	}
	if filepath.Dir(b.Path) != backups {
		t.Errorf("backup written to %s, not into --backup-dir %s", b.Path, backups)
	}
	// While the server holds the folder, check says so.
	if out := mustCheck(t, data, 1); !strings.Contains(out, "laufenden stichwort") {
		t.Errorf("check of a folder in use: %s", out)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	orig := mustCheck(t, data, 0)
	copyOut := mustCheck(t, b.Path, 0)
	for _, out := range []string{orig, copyOut} {
		if !strings.HasSuffix(strings.TrimSpace(out), "in Ordnung") || !strings.Contains(out, "Alarme: 1 gespeichert") ||
			!strings.Contains(out, "Dokument gefunden") || !strings.Contains(out, "WARC-Dateien") {
			t.Errorf("check output:\n%s", out)
		}
	}
	o, c := storedDocs.FindStringSubmatch(orig), storedDocs.FindStringSubmatch(copyOut)
	if o == nil || c == nil || o[1] != c[1] || o[1] != o[2] || o[1] == "0" {
		t.Errorf("documents: original %v, backup %v", o, c)
	}
	// The copy is a working data folder: the same documents, searchable.
	want, got := indexDocs(t, data), indexDocs(t, b.Path)
	if !slices.Equal(slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got))) {
		t.Errorf("backup holds %d documents, the original %d", len(got), len(want))
	}
	if code, out, _ := run(t, "", "search", "--data", b.Path, "Zwilling"); code != 0 || !strings.Contains(out, "Treffer") {
		t.Errorf("search in the backup: exit %d: %s", code, out)
	}

	// The offline backup of a folder no server holds.
	out2 := filepath.Join(t.TempDir(), "kopie")
	if code, out, errOut := run(t, "", "backup", "--data", data, "--out", out2); code != 0 || !strings.Contains(out, "Sicherung geschrieben") {
		t.Fatalf("backup: exit %d: %s%s", code, out, errOut)
	}
	mustCheck(t, out2, 0)
	if code, _, errOut := run(t, "", "backup", "--data", data, "--out", out2); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Errorf("backup over a full folder: exit %d: %s", code, errOut)
	}

	t.Run("document lost from the store", func(t *testing.T) {
		dir := cloneDir(t, out2)
		sum, err := state.Check(filepath.Join(dir, "crawl.db"))
		if err != nil || len(sum.DocIDs) == 0 {
			t.Fatalf("state: %v, %d docs", err, len(sum.DocIDs))
		}
		db, err := bolt.Open(filepath.Join(dir, "index", "docs.db"), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("docs")).Delete([]byte(sum.DocIDs[0])) })
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		out := mustCheck(t, dir, 1)
		for _, want := range []string{"fehlen im Dokumentenspeicher", "der Suchindex hält 1 Dokumente", "Probleme:"} {
			if !strings.Contains(out, want) {
				t.Errorf("check does not say %q:\n%s", want, out)
			}
		}
	})
	t.Run("search index gone", func(t *testing.T) {
		dir := cloneDir(t, out2)
		if err := os.RemoveAll(filepath.Join(dir, "index", "index")); err != nil {
			t.Fatal(err)
		}
		if out := mustCheck(t, dir, 1); !strings.Contains(out, "Suchindex") || !strings.Contains(out, "reindex") {
			t.Errorf("check output:\n%s", out)
		}
	})
	t.Run("crawl state damaged", func(t *testing.T) {
		dir := cloneDir(t, out2)
		if err := os.WriteFile(filepath.Join(dir, "crawl.db"), bytes.Repeat([]byte("kaputt"), 1000), 0o600); err != nil {
			t.Fatal(err)
		}
		if out := mustCheck(t, dir, 1); !strings.Contains(out, "Crawl-Zustand lässt sich nicht lesen") {
			t.Errorf("check output:\n%s", out)
		}
	})
	t.Run("open to others", func(t *testing.T) {
		dir := cloneDir(t, out2)
		if err := os.Chmod(filepath.Join(dir, "alerts.db"), 0o644); err != nil {
			t.Fatal(err)
		}
		if out := mustCheck(t, dir, 0); !strings.Contains(out, "chmod -R go-rwx") {
			t.Errorf("check output:\n%s", out)
		}
	})
}

// cloneDir copies a data folder for a test to damage.
func cloneDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "daten")
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		return copyFile(path, filepath.Join(to, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}
