package alerts

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"stichwort"
	"stichwort/index"
)

// clock is a settable Now for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustStore(tb testing.TB, path string, opts Options) *Store {
	tb.Helper()
	s, err := Open(path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(tb testing.TB, s *Store, a Alert) Alert {
	tb.Helper()
	a, err := s.Create(a)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func doc(url, title string, date time.Time, tags ...string) stichwort.Document {
	return stichwort.Document{ID: stichwort.DocID(url), URL: url, Title: title, Date: date, Tags: tags,
		Type: stichwort.TypeArticle, Source: "example.org", Lead: "Ein Vorspann mit <b>Markup</b> & mehr."}
}

func TestStoreCRUDAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.db")
	s, err := Open(path, Options{MaxAlerts: 2})
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, s, Alert{Name: "Zwillinge", Search: Search{Query: "digitale Zwillinge", Tags: []string{"Smart City"}}})
	if !ValidID(a.ID) || a.Created.IsZero() {
		t.Fatalf("created %+v", a)
	}
	b := mustCreate(t, s, Alert{Name: "PDFs", Search: Search{Types: []string{"pdf"}}, Webhook: "https://hooks.example.org/x"})
	if a.ID == b.ID {
		t.Fatal("two alerts with one id")
	}
	if _, err := s.Create(Alert{Name: "zu viel"}); !errors.Is(err, ErrFull) {
		t.Errorf("third alert: %v, want ErrFull", err)
	}
	if got, err := s.Get(a.ID); err != nil || got.Name != "Zwillinge" || got.Search.Query != "digitale Zwillinge" {
		t.Errorf("get: %+v %v", got, err)
	}
	if _, err := s.Get("0123456789abcdef0123456789abcdef"); !errors.Is(err, ErrNotFound) {
		t.Errorf("get unknown: %v", err)
	}
	if _, err := s.Record(map[string][]stichwort.Document{a.ID: {doc("https://example.org/1", "Eins", time.Time{})}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustStore(t, path, Options{MaxAlerts: 2})
	if got := s.List(); len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID || got[1].Webhook != b.Webhook {
		t.Fatalf("after reopening: %+v", got)
	}
	if m, n, err := s.Matches(a.ID, 10); err != nil || n != 1 || m[0].Title != "Eins" {
		t.Errorf("matches after reopening: %+v %d %v", m, n, err)
	}
	if r := s.Searches()[a.ID]; r.Query != "digitale Zwillinge" || !slices.Equal(r.Tags, []string{"Smart City"}) {
		t.Errorf("search of the alert: %+v", r)
	}
	if err := s.Delete(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, _, err := s.Matches(a.ID, 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("matches of a deleted alert: %v", err)
	}
	if _, err := s.Create(Alert{Name: "wieder Platz"}); err != nil {
		t.Errorf("after a delete: %v", err)
	}
}

func TestStoreLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.db")
	mustStore(t, path, Options{})
	if _, err := Open(path, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
}

func TestRecord(t *testing.T) {
	c := &clock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{Now: c.now, MaxMatches: 3})
	a := mustCreate(t, s, Alert{Name: "a"})
	old := doc("https://example.org/alt", "Alt, aber neu gefunden", time.Date(2015, 1, 2, 0, 0, 0, 0, time.UTC))
	recent := doc("https://example.org/neu", "Neu", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC))

	if n, err := s.Record(map[string][]stichwort.Document{a.ID: {recent}}); err != nil || n != 1 {
		t.Fatalf("first: %d %v", n, err)
	}
	c.advance(time.Hour)
	if n, err := s.Record(map[string][]stichwort.Document{a.ID: {old}}); err != nil || n != 1 {
		t.Fatalf("second: %d %v", n, err)
	}
	got, _, _ := s.Matches(a.ID, 10)
	if len(got) != 2 || got[0].URL != old.URL || got[1].URL != recent.URL {
		t.Fatalf("not newest discovery first: %+v", got)
	}
	if !got[0].Found.Equal(c.now()) || !got[0].Date.Equal(old.Date) {
		t.Errorf("found %v date %v", got[0].Found, got[0].Date)
	}
	if got[0].Snippet != "Ein Vorspann mit &lt;b&gt;Markup&lt;/b&gt; &amp; mehr." {
		t.Errorf("snippet not escaped: %q", got[0].Snippet)
	}

	t.Run("a changed document is refreshed, not new", func(t *testing.T) {
		c.advance(time.Hour)
		changed := recent
		changed.Title = "Neu (korrigiert)"
		if n, err := s.Record(map[string][]stichwort.Document{a.ID: {changed, old}}); err != nil || n != 0 {
			t.Fatalf("again: %d new, %v", n, err)
		}
		got, n, _ := s.Matches(a.ID, 10)
		if n != 2 || got[1].Title != "Neu (korrigiert)" || got[1].Found.After(got[0].Found) {
			t.Errorf("after the change: %+v", got)
		}
	})
	t.Run("only the newest matches stay", func(t *testing.T) {
		for i := range 3 {
			c.advance(time.Minute)
			s.Record(map[string][]stichwort.Document{a.ID: {doc("https://example.org/p"+string(rune('a'+i)), "P", time.Time{})}})
		}
		got, n, _ := s.Matches(a.ID, 10)
		if n != 3 || got[2].URL != "https://example.org/pa" {
			t.Fatalf("kept %d: %+v", n, got)
		}
		// A pruned document is still known: it does not come back as new.
		if n, _ := s.Record(map[string][]stichwort.Document{a.ID: {recent}}); n != 0 {
			t.Errorf("pruned document recorded again")
		}
	})
	t.Run("unknown alerts are skipped", func(t *testing.T) {
		if n, err := s.Record(map[string][]stichwort.Document{"ffffffffffffffffffffffffffffffff": {recent}}); err != nil || n != 0 {
			t.Errorf("%d %v", n, err)
		}
	})
}

func TestCreateRefusesNonPublicWebhooks(t *testing.T) {
	s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{})
	for _, u := range []string{
		"http://127.0.0.1:9/x", "http://localhost/x", "http://api.localhost/", "http://10.1.2.3/", "http://[::1]:80/",
		"http://169.254.169.254/latest", "http://192.168.0.1/", "http://100.64.0.1/", "http://[fd00::1]/",
		"http://0.0.0.0/", "http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://[::ffff:127.0.0.1]/",
	} {
		if _, err := s.Create(Alert{Name: "x", Webhook: u}); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: %v, want ErrForbiddenAddress", u, err)
		}
	}
	for _, u := range []string{"https://hooks.example.org/x", "https://cafe.de/hook", "http://93.184.216.34/"} {
		if _, err := s.Create(Alert{Name: "x", Webhook: u}); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	open := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{AllowPrivateWebhooks: true})
	if _, err := open.Create(Alert{Name: "x", Webhook: "http://127.0.0.1:9/"}); err != nil {
		t.Errorf("allowed: %v", err)
	}
}

// TestPercolate runs real percolation: an index in a temporary folder, an
// alert, and batches of new documents.
func TestPercolate(t *testing.T) {
	x, err := index.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	s := mustStore(t, filepath.Join(t.TempDir(), "alerts.db"), Options{})
	a := mustCreate(t, s, Alert{Name: "Zwillinge", Search: Search{Query: "Zwillinge", Tags: []string{"smart city"}}})
	p := x.NewPercolator()
	ctx := context.Background()

	match := doc("https://example.org/bamberg", "Bamberg plant einen digitalen Zwilling", time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), "Smart City")
	noTag := doc("https://example.org/ulm", "Ulm und sein digitaler Zwilling", time.Now(), "Politik")
	other := doc("https://example.org/kita", "Kita-Portal startet", time.Now(), "Smart City")
	batch := []stichwort.Document{match, noTag, other}
	if err := x.Put(ctx, batch); err != nil {
		t.Fatal(err)
	}
	n, err := s.Percolate(ctx, p, batch)
	if err != nil || n != 1 {
		t.Fatalf("percolate: %d new, %v", n, err)
	}
	got, _, _ := s.Matches(a.ID, 10)
	if len(got) != 1 || got[0].URL != match.URL || !got[0].Date.Equal(match.Date) {
		t.Fatalf("matches %+v", got)
	}
	// Indexed again (a recrawl, an import of the same file): nothing new.
	if n, err := s.Percolate(ctx, p, batch); err != nil || n != 0 {
		t.Errorf("again: %d new, %v", n, err)
	}
	if got, total, _ := s.Matches(a.ID, 10); total != 1 {
		t.Errorf("duplicates: %+v", got)
	}
}
