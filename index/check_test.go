package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"stichwort"
)

// TestBackupWhileWriting copies an index while batches are being written
// and checks the copy: it opens, its document store and search index hold
// the same documents, and a search finds them.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	x, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	batch := func(b int) []stichwort.Document {
		var docs []stichwort.Document
		for i := range 50 {
			docs = append(docs, stichwort.Document{URL: fmt.Sprintf("https://a.example/%d/%d", b, i),
				Title: fmt.Sprintf("Meldung %d aus Charge %d über Verwaltungsdigitalisierung", i, b), Body: "Text.",
				Source: "a.example", Date: time.Date(2024, 1, 1+b%28, 0, 0, 0, 0, time.UTC)})
		}
		return docs
	}
	if err := x.Put(context.Background(), batch(0)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // a crawl writing batches meanwhile
		defer wg.Done()
		for b := 1; ; b++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := x.Put(context.Background(), batch(b)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	backups := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	for _, b := range backups {
		if err := x.Backup(b); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if err := x.Backup(backups[0]); err == nil {
		t.Error("a backup over an existing folder worked")
	}
	for _, b := range backups {
		rep, err := Check(context.Background(), b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) > 0 || rep.Stored == 0 || uint64(rep.Stored) != rep.Indexed || rep.Stored%50 != 0 || !rep.Found {
			t.Errorf("%s: %+v", b, rep)
		}
	}
	// The live folder is locked: Check says so instead of waiting.
	if _, err := Check(context.Background(), dir, nil); !errors.Is(err, ErrLocked) {
		t.Errorf("check of an open index: %v, want ErrLocked", err)
	}
}

// TestCheckFindsMissing checks that documents a crawl state expects but
// the store lacks are reported.
func TestCheckFindsMissing(t *testing.T) {
	dir := t.TempDir()
	x, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Put(context.Background(), []stichwort.Document{{URL: "https://a.example/x", Title: "Ein Titel zum Suchen"}}); err != nil {
		t.Fatal(err)
	}
	x.Close()
	rep, err := Check(context.Background(), dir, []string{stichwort.DocID("https://a.example/x"), "gibtsnicht"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "1 Dokumente, die der Crawl-Zustand") || !rep.Found {
		t.Errorf("%+v", rep)
	}
}

// TestSuggestBuildSurvivesCancel: the first Suggest builds the vocabulary;
// a request cancelled meanwhile must not throw the work away (under load
// on a large index every request would start the build anew).
func TestSuggestBuildSurvivesCancel(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Suggest(ctx, "ver", 5); err != nil {
		t.Fatalf("suggest with a cancelled request: %v", err)
	}
	x.vocab.mu.Lock()
	built := x.vocab.built
	x.vocab.mu.Unlock()
	if !built {
		t.Error("the vocabulary was not kept")
	}
}
