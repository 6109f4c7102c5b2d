package index

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"stichwort"
)

// TestStoreCount checks the kept count: new documents add, replacements
// and repeats within a put do not, and a store written before the count
// was kept is counted once when opened.
func TestStoreCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.db")
	s, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := func(id string) stichwort.Document {
		return stichwort.Document{ID: id, URL: "https://e.org/" + id, Title: id}
	}
	steps := []struct {
		put  []stichwort.Document
		want int
	}{
		{[]stichwort.Document{doc("a"), doc("b")}, 2},
		{[]stichwort.Document{doc("b"), doc("c"), doc("c")}, 3},
		{nil, 3},
	}
	for i, st := range steps {
		if err := s.put(st.put); err != nil {
			t.Fatal(err)
		}
		if got := s.count(); got != st.want {
			t.Fatalf("step %d: count %d, want %d", i, got, st.want)
		}
	}
	// An old store has no count: drop it, reopen, and it is counted.
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(metaBucket) }); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	s, err = openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if got := s.count(); got != 3 {
		t.Fatalf("reopened old store: count %d, want 3", got)
	}
}

// TestReindexRecountsStore checks that a reindex sets the kept count to
// the documents really in the store, after one was deleted behind
// stichwort's back, so that the next Open sees store and index agree.
func TestReindexRecountsStore(t *testing.T) {
	dir := t.TempDir()
	x, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	docs := []stichwort.Document{{URL: "https://e.org/1", Title: "Eins"}, {URL: "https://e.org/2", Title: "Zwei"}, {URL: "https://e.org/3", Title: "Drei"}}
	if err := x.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := x.docs.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(docsBucket).Delete([]byte(docs[0].ID)) }); err != nil {
		t.Fatal(err)
	}
	if err := x.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	n, _ := x.bleve.DocCount()
	if x.Count() != 2 || n != 2 {
		t.Fatalf("after reindex: count %d, indexed %d, want 2 and 2", x.Count(), n)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
}
