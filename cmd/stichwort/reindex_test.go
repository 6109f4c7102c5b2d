package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stichwort"
	"stichwort/index"
)

// indexDocs opens the index of a data folder and returns every document,
// by id, as the search finds them and the store holds them.
func indexDocs(tb testing.TB, data string) map[string]stichwort.Document {
	tb.Helper()
	idx, err := index.Open(filepath.Join(data, "index"), nil)
	if err != nil {
		tb.Fatalf("open index: %v", err)
	}
	defer idx.Close()
	out := map[string]stichwort.Document{}
	for page := 1; ; page++ {
		res, err := idx.Search(context.Background(), index.Request{Size: 100, Page: page, Sort: index.SortDate})
		if err != nil {
			tb.Fatalf("search: %v", err)
		}
		for _, h := range res.Hits {
			d, err := idx.Get(h.ID)
			if err != nil {
				tb.Fatalf("get %s: %v", h.ID, err)
			}
			if _, dup := out[h.ID]; dup {
				tb.Errorf("%s listed twice", h.URL)
			}
			out[h.ID] = d
		}
		if len(res.Hits) < 100 {
			break
		}
	}
	if n := idx.Count(); n != len(out) {
		tb.Errorf("the store holds %d documents, the search lists %d", n, len(out))
	}
	return out
}

// sameDocs compares documents by id, every field but FetchedAt.
func sameDocs(tb testing.TB, got, want map[string]stichwort.Document) {
	tb.Helper()
	norm := func(d stichwort.Document) string {
		d.FetchedAt = time.Time{}
		data, _ := json.Marshal(d)
		return string(data)
	}
	for id, w := range want {
		g, ok := got[id]
		switch {
		case !ok:
			tb.Errorf("missing %s", w.URL)
		case norm(g) != norm(w):
			tb.Errorf("%s differs:\n got %s\nwant %s", w.URL, norm(g), norm(w))
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok {
			tb.Errorf("unexpected %s", g.URL)
		}
	}
}

// TestReindexFromArchive crawls the sample site, stops it, deletes the
// index and rebuilds it from the raw archive alone.
func TestReindexFromArchive(t *testing.T) {
	f := mustSite(t)
	data := t.TempDir()
	if code, _, errOut := run(t, "", "crawl", "--data", data, "--seed", f.site.WWWURL()+"/", "--delay", "0", "--log-level", "error"); code != 0 {
		t.Fatalf("crawl: exit %d: %s", code, errOut)
	}
	want := indexDocs(t, data)
	if len(want) != len(f.articles)+len(f.pdfs) {
		t.Fatalf("crawl indexed %d documents, want %d", len(want), len(f.articles)+len(f.pdfs))
	}
	f.site.Close()
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "", "reindex", "--data", data, "--log-level", "error")
	if code != 0 {
		t.Fatalf("reindex: exit %d: %s", code, errOut)
	}
	sameDocs(t, indexDocs(t, data), want)
}
