package state

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func mustOpen(tb testing.TB, path string) *Store {
	tb.Helper()
	s, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestStoreRoundTrip(t *testing.T) {
	when := time.Date(2024, 10, 22, 10, 0, 0, 0, time.UTC)
	page := Page{
		URL: "http://www.stichwort.test/artikel/a.html", Kind: KindPage, ETag: `"abc"`,
		LastModified: "Tue, 22 Oct 2024 08:00:00 GMT", FetchedAt: when,
		Links: []Link{{URL: "http://www.stichwort.test/b.html", Kind: KindPage}, {URL: "http://d/x.pdf", Kind: KindPDF, Text: "Beschluss"}},
		DocID: "id1", PDFs: []string{"http://d/x.pdf"},
	}
	pdf := PDF{URL: "http://d/x.pdf", Extracted: true, Title: "Beschluss", Text: "Text", Pages: 2, Date: when, Hash: "h",
		Parents: []Parent{{URL: page.URL, Date: when, Tags: []string{"Politik"}, LinkText: "Beschluss"}}}
	doc := Doc{URL: page.URL, Hash: "h1", Fingerprint: "f1", SentAt: when}

	for _, tt := range []struct {
		name string
		path func(t *testing.T) string
	}{
		{"memory", func(*testing.T) string { return "" }},
		{"bolt", func(t *testing.T) string { return filepath.Join(t.TempDir(), "state.db") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, tt.path(t))
			defer s.Close()
			if _, ok, err := s.Page(page.URL); ok || err != nil {
				t.Fatalf("empty store: Page = %v, %v", ok, err)
			}
			var b Batch
			b.PutPage(page)
			b.PutPDF(pdf)
			b.PutDoc("id1", doc)
			b.PutHash("h1", "id1")
			b.PutHash("old", "id0")
			if err := s.Commit(&b); err != nil {
				t.Fatal(err)
			}
			gotPage, ok, err := s.Page(page.URL)
			if err != nil || !ok || !reflect.DeepEqual(gotPage, page) {
				t.Errorf("Page = %+v, %v, %v; want %+v", gotPage, ok, err, page)
			}
			gotPDF, ok, err := s.PDF(pdf.URL)
			if err != nil || !ok || !reflect.DeepEqual(gotPDF, pdf) {
				t.Errorf("PDF = %+v, %v, %v", gotPDF, ok, err)
			}
			gotDoc, ok, err := s.Doc("id1")
			if err != nil || !ok || !reflect.DeepEqual(gotDoc, doc) {
				t.Errorf("Doc = %+v, %v, %v", gotDoc, ok, err)
			}
			if id, ok, err := s.HashOwner("h1"); id != "id1" || !ok || err != nil {
				t.Errorf("HashOwner = %q, %v, %v", id, ok, err)
			}
			var del Batch
			del.DeleteHash("old")
			if err := s.Commit(&del); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.HashOwner("old"); ok {
				t.Error("deleted hash still there")
			}
		})
	}
}

func TestStorePersistsAndLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := mustOpen(t, path)
	var b Batch
	b.PutPage(Page{URL: "http://a/", Kind: KindPage, ETag: "x"})
	if err := s.Commit(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open error = %v, want ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, path)
	defer s2.Close()
	p, ok, err := s2.Page("http://a/")
	if err != nil || !ok || p.ETag != "x" {
		t.Errorf("after reopen: %+v, %v, %v", p, ok, err)
	}
}

func TestBatchOverlay(t *testing.T) {
	var b Batch
	if b.Len() != 0 {
		t.Fatal("zero batch not empty")
	}
	b.PutPage(Page{URL: "u", ETag: "1"})
	b.PutPage(Page{URL: "u", ETag: "2"})
	if p, ok := b.Page("u"); !ok || p.ETag != "2" {
		t.Errorf("Page = %+v, %v", p, ok)
	}
	b.DeleteHash("h")
	if id, ok := b.HashOwner("h"); !ok || id != "" {
		t.Errorf("HashOwner after delete = %q, %v", id, ok)
	}
	if b.Len() != 2 {
		t.Errorf("Len = %d, want 2", b.Len())
	}
}

func TestStoreFrontier(t *testing.T) {
	for _, tt := range []struct {
		name string
		path func(t *testing.T) string
	}{
		{"memory", func(*testing.T) string { return "" }},
		{"bolt", func(t *testing.T) string { return filepath.Join(t.TempDir(), "state.db") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, tt.path(t))
			defer s.Close()
			run := Run{Seeds: []string{"http://a/"}, Scope: []string{"a"}, Counted: 3}
			var b Batch
			b.PutRun(run)
			for _, u := range []string{"http://a/1", "http://a/2", "http://a/3"} {
				b.PutJob(Job{URL: u, Kind: KindPage, Chain: []string{"http://a/0"}})
				b.PutSeen(u)
			}
			b.DoneJob("http://a/2")
			if err := s.Commit(&b); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Run()
			if err != nil || !ok || !reflect.DeepEqual(got, run) {
				t.Errorf("Run = %+v, %v, %v", got, ok, err)
			}
			jobs, err := s.Queued()
			if err != nil || len(jobs) != 2 || jobs[0].URL != "http://a/1" || jobs[1].Chain[0] != "http://a/0" {
				t.Errorf("Queued = %+v, %v", jobs, err)
			}
			var seen []string
			if err := s.EachSeen(func(u string) { seen = append(seen, u) }); err != nil || len(seen) != 3 {
				t.Errorf("seen = %q, %v", seen, err)
			}

			var clear Batch
			clear.PutJob(Job{URL: "http://a/dropped"})
			clear.ClearRun()
			clear.PutSeen("http://b/kept")
			if err := s.Commit(&clear); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.Run(); ok {
				t.Error("run still there after ClearRun")
			}
			if jobs, _ := s.Queued(); len(jobs) != 0 {
				t.Errorf("queue after ClearRun: %+v", jobs)
			}
			seen = nil
			s.EachSeen(func(u string) { seen = append(seen, u) })
			if !reflect.DeepEqual(seen, []string{"http://b/kept"}) {
				t.Errorf("seen after ClearRun = %q, want only the later write", seen)
			}
		})
	}
}
