//go:build unix

package main

import (
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDataFolderPermissions runs serve with a crawl (index, document
// store, crawl state, WARC archive) and an alert under the usual umask 022
// and checks that everything in the data folder is private to the user:
// folders 0700, files 0600.
func TestDataFolderPermissions(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	f := mustSite(t)
	data := filepath.Join(t.TempDir(), "daten")
	m := mustServe(t, f, data)
	resp, err := http.Post("http://"+m.Addr()+"/api/alerts", "application/json", strings.NewReader(`{"q":"Zwilling"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create alert: status %d", resp.StatusCode)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	err = filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(data, path)
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group and others", rel, perm)
		}
		switch {
		case d.IsDir():
			kinds["folders"]++
		case strings.HasSuffix(path, ".db"), strings.HasSuffix(path, ".bolt"):
			kinds["bbolt"]++
		case strings.Contains(path, ".warc"):
			kinds["warc"]++
		case strings.HasSuffix(path, ".json"):
			kinds["json"]++
		default:
			kinds["other"]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Make sure the walk saw what the program writes.
	if kinds["bbolt"] < 3 || kinds["warc"] < 1 || kinds["json"] < 1 || kinds["folders"] < 3 {
		t.Errorf("the data folder holds less than expected: %v", kinds)
	}
	t.Logf("checked: %v", kinds)
}
