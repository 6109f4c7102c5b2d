package crawler

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"stichwort"
	"stichwort/crawler/warc"
)

// TestReplay crawls the fixture site twice (the second run gets 304s) with
// an archive, then replays the archive with the sites gone and expects the
// same documents.
func TestReplay(t *testing.T) {
	www, docs := sampleSite(t)
	dir := t.TempDir()
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true
	cfg.ArchiveDir = filepath.Join(dir, "warc")
	cfg.StatePath = filepath.Join(dir, "crawl.db")
	live := newCollector()
	c := mustCrawler(t, cfg, live.sink)
	st := mustRun(t, c)
	st2 := mustRun(t, c)
	if len(live.byID) < 9 {
		t.Fatalf("live crawl delivered only %d documents", len(live.byID))
	}
	if st2.NotModified == 0 {
		t.Fatalf("second run got no 304: %+v", st2)
	}
	c.Close()

	n := 0
	if err := warc.Each(cfg.ArchiveDir, nil, func(warc.Response) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n < st.Requests+st2.Requests {
		t.Errorf("archive holds %d responses, the crawls read %d", n, st.Requests+st2.Requests)
	}
	www.srv.Close()
	docs.srv.Close()

	replayed := newCollector()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rst, err := Replay(ctx, ReplayConfig{ArchiveDir: cfg.ArchiveDir, Logger: testLogger(t)}, replayed.sink)
	if err != nil {
		t.Fatal(err)
	}
	if rst.Requests == 0 || rst.Failed > st.Failed {
		t.Errorf("replay stats %+v; live %+v", rst, st)
	}
	assertSameDocs(t, replayed.byID, live.byID)
}

// assertSameDocs compares documents by id, every field but FetchedAt.
func assertSameDocs(t *testing.T, got, want map[string]stichwort.Document) {
	t.Helper()
	norm := func(d stichwort.Document) string {
		d.FetchedAt = time.Time{}
		data, _ := json.Marshal(d)
		return string(data)
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("missing %s (%s)", w.URL, w.Type)
			continue
		}
		if norm(g) != norm(w) {
			t.Errorf("%s differs:\n got %s\nwant %s", w.URL, norm(g), norm(w))
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("extra %s (%s)", g.URL, g.Type)
		}
	}
}

func TestReplayEmpty(t *testing.T) {
	st, err := Replay(context.Background(), ReplayConfig{ArchiveDir: filepath.Join(t.TempDir(), "fehlt")}, newCollector().sink)
	if err != nil || st.Documents != 0 {
		t.Errorf("Replay of no archive = %+v, %v", st, err)
	}
}
