package crawler

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"stichwort"
	"stichwort/crawler/state"
)

// TestResume stops a crawl after its second batch and checks that the next
// run resumes it: it fetches nothing the first run had handled (only
// robots.txt again), and both runs together deliver what one uninterrupted
// run delivers.
func TestResume(t *testing.T) {
	www, docs := sampleSite(t)
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true
	cfg.BatchSize = 2
	cfg.Concurrency = 2

	ref := newCollector()
	mustRun(t, mustCrawler(t, cfg, ref.sink))
	www.resetLog()
	docs.resetLog()

	cfg.StatePath = filepath.Join(t.TempDir(), "crawl.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := newCollector()
	stopAfter := func(c context.Context, d []stichwort.Document) error {
		err := first.sink(c, d)
		if first.batches == 2 {
			cancel()
		}
		return err
	}
	c1 := mustCrawler(t, cfg, stopAfter)
	if _, err := c1.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v, want context.Canceled", err)
	}
	c1.Close()

	done := handled(t, cfg.StatePath)
	if len(done) == 0 {
		t.Fatal("the stopped run recorded nothing as handled")
	}
	www.resetLog()
	docs.resetLog()

	second := newCollector()
	c2 := mustCrawler(t, cfg, second.sink)
	mustRun(t, c2)
	for _, s := range []*site{www, docs} {
		for _, p := range s.paths() {
			if p != "/robots.txt" && done[s.url(p)] {
				t.Errorf("resumed run fetched %s again", p)
			}
		}
	}
	union := newCollector()
	for _, col := range []*collector{first, second} {
		for _, d := range col.all {
			union.byID[d.ID] = d
		}
	}
	if got, want := union.urls(), ref.urls(); len(got) != len(want) {
		t.Errorf("stopped and resumed runs delivered\n %q\nan uninterrupted run\n %q", got, want)
	}
	c2.Close()
	if len(handled(t, cfg.StatePath)) != 0 {
		t.Error("the finished run left a frontier in the state")
	}

	// The next run starts anew: conditional requests, nothing new.
	third := newCollector()
	st := mustRun(t, mustCrawler(t, cfg, third.sink))
	if len(third.all) != 0 || st.NotModified == 0 {
		t.Errorf("run after the resumed one sent %d documents, %d not modified", len(third.all), st.NotModified)
	}
}

// handled returns the URLs the unfinished run in the state has handled:
// seen and no longer queued.
func handled(t *testing.T, path string) map[string]bool {
	t.Helper()
	st, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	done := map[string]bool{}
	if err := st.EachSeen(func(u string) { done[u] = true }); err != nil {
		t.Fatal(err)
	}
	queued, err := st.Queued()
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range queued {
		delete(done, j.URL)
	}
	if _, ok, _ := st.Run(); !ok && len(done) > 0 {
		t.Error("seen URLs without a run record")
	}
	return done
}

func TestResumeOtherSeeds(t *testing.T) {
	www, _ := sampleSite(t)
	cfg := testConfig(www.url("/"))
	cfg.AllowPrivate = true
	cfg.StatePath = filepath.Join(t.TempDir(), "crawl.db")
	st, err := state.Open(cfg.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	var b state.Batch
	b.PutRun(state.Run{Seeds: []string{"http://127.0.0.1:1/"}, Scope: []string{"127.0.0.1:1"}})
	b.PutJob(state.Job{URL: "http://127.0.0.1:1/alt.html", Kind: state.KindPage})
	b.PutSeen("http://127.0.0.1:1/alt.html")
	b.PutSeen(www.url("/"))
	if err := st.Commit(&b); err != nil {
		t.Fatal(err)
	}
	st.Close()

	col := newCollector()
	mustRun(t, mustCrawler(t, cfg, col.sink))
	if !slices.Contains(www.paths(), "/") || len(col.byID) == 0 {
		t.Errorf("a stale run of other seeds kept the new seed from being crawled: %q", www.paths())
	}
}
