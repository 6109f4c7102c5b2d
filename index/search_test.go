package index

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"stichwort"
)

// mustIndex opens an index in a temporary folder holding the documents of
// the JSON lines file at p.
func mustIndex(tb testing.TB, p string) *Index {
	tb.Helper()
	x, err := Open(tb.TempDir(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { x.Close() })
	f, err := os.Open(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs []stichwort.Document
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		d, err := stichwort.ParseImportLine(sc.Bytes())
		if err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		docs = append(docs, d)
	}
	if err := x.Put(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	return x
}

type searchCase struct {
	Name    string                    `json:"name"`
	Q       string                    `json:"q"`
	Tags    []string                  `json:"tags"`
	Types   []string                  `json:"types"`
	Sources []string                  `json:"sources"`
	Years   []int                     `json:"years"`
	States  []string                  `json:"states"`
	Fuzzy   bool                      `json:"fuzzy"`
	Suggest string                    `json:"suggest"`
	From    string                    `json:"from"`
	To      string                    `json:"to"`
	Sort    string                    `json:"sort"`
	Hits    []string                  `json:"hits"` // last path element of the URLs
	Ordered bool                      `json:"ordered"`
	Total   *int                      `json:"total"`
	Facets  map[string]map[string]int `json:"facets"`
}

// TestSearch runs the queries of testdata/search/queries.json against the
// documents of testdata/search/docs.jsonl.
func TestSearch(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	data, err := os.ReadFile("testdata/search/queries.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []searchCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := Request{Query: c.Q, Tags: c.Tags, Types: c.Types, Sources: c.Sources, Years: c.Years, States: c.States, Sort: c.Sort, Size: 100}
			if c.From != "" {
				r.From, _ = time.Parse(time.DateOnly, c.From)
			}
			if c.To != "" {
				r.To, _ = time.Parse(time.DateOnly, c.To)
			}
			res, err := x.Search(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, path.Base(h.URL))
			}
			if c.Hits != nil {
				want := slices.Clone(c.Hits)
				if !c.Ordered {
					slices.Sort(want)
					got = slices.Sorted(slices.Values(got))
				}
				if !slices.Equal(got, want) {
					t.Errorf("hits = %q, want %q", got, want)
				}
			}
			if c.Total != nil && int(res.Total) != *c.Total {
				t.Errorf("total = %d, want %d (hits %q)", res.Total, *c.Total, got)
			}
			if int(res.Total) != len(res.Hits) {
				t.Errorf("total %d but %d hits", res.Total, len(res.Hits))
			}
			if res.Fuzzy != c.Fuzzy || res.Suggest != c.Suggest {
				t.Errorf("fuzzy %v suggest %q, want %v %q", res.Fuzzy, res.Suggest, c.Fuzzy, c.Suggest)
			}
			facets := map[string][]FacetValue{"tags": res.Facets.Tags, "type": res.Facets.Type, "year": res.Facets.Year,
				"source": res.Facets.Source, "state": res.Facets.State, "month": res.Facets.Month}
			for name, want := range c.Facets {
				gotF := map[string]int{}
				for _, v := range facets[name] {
					gotF[v.Value] = v.Count
				}
				for v, n := range want {
					if gotF[v] != n {
						t.Errorf("facet %s[%s] = %d, want %d (all: %v)", name, v, gotF[v], n, gotF)
					}
				}
			}
		})
	}
}

func TestSnippetHighlightsAndEscapes(t *testing.T) {
	x, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	doc := stichwort.Document{URL: "https://e.org/x", Title: "<script>alert(1)</script> Zwillinge",
		Body: "Die Stadt <b>plant</b> digitale Zwillinge für Straßen & Plätze."}
	if err := x.Put(context.Background(), []stichwort.Document{doc}); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), Request{Query: "Zwilling"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("res=%+v err=%v", res, err)
	}
	s := res.Hits[0].Snippet
	if !strings.Contains(s, "<mark>Zwillinge</mark>") {
		t.Errorf("snippet %q lacks the highlighted word", s)
	}
	if strings.Contains(s, "<b>") || !strings.Contains(s, "&lt;b&gt;") || !strings.Contains(s, "&amp;") {
		t.Errorf("snippet %q is not escaped", s)
	}
}

func TestPutReplacesAndReindex(t *testing.T) {
	dir := t.TempDir()
	x, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d := stichwort.Document{URL: "https://e.org/a", Title: "Breitband in Sachsen"}
	if err := x.Put(ctx, []stichwort.Document{d}); err != nil {
		t.Fatal(err)
	}
	d.Title = "Glasfaser in Sachsen"
	if err := x.Put(ctx, []stichwort.Document{d}); err != nil {
		t.Fatal(err)
	}
	count := func(q string) uint64 {
		t.Helper()
		res, err := x.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if count("Breitband") != 0 || count("Glasfaser") != 1 || x.Count() != 1 {
		t.Fatalf("replace failed: Breitband %d, Glasfaser %d, count %d", count("Breitband"), count("Glasfaser"), x.Count())
	}
	if err := x.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if count("Glasfaser") != 1 {
		t.Fatal("document lost by reindex")
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	// A second process must not open a folder that is in use.
	x, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := Open(dir, nil); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
	if _, err := x.Get("nope"); err != ErrNotFound {
		t.Fatalf("Get(nope) = %v", err)
	}
}

func TestPutRejectsIncomplete(t *testing.T) {
	x, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	err = x.Put(context.Background(), []stichwort.Document{{URL: "https://e.org/ok", Title: "ok"}, {URL: "https://e.org/no"}})
	if err == nil || x.Count() != 0 {
		t.Fatalf("err=%v count=%d: want an error and nothing written", err, x.Count())
	}
}

func TestDeepPagingBounded(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	if _, err := x.Search(context.Background(), Request{Page: 1000, Size: 100}); err == nil {
		t.Fatal("page 1000 accepted")
	}
}

// TestHighlightInsideCompounds checks that compound parts are marked on
// the right letters, also after multi-byte umlauts.
func TestHighlightInsideCompounds(t *testing.T) {
	x, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	doc := stichwort.Document{URL: "https://e.org/k", Title: "Bürgerämter",
		Body: "Die Bürgerämter öffnen früher. Für größere Kindertagesstätten gilt die Verwaltungscloud-Strategie."}
	if err := x.Put(context.Background(), []stichwort.Document{doc}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, want string }{
		{"Stätte", "Kindertages<mark>stätten</mark>"},
		{"Cloud", "Verwaltungs<mark>cloud</mark>-Strategie"},
		{"Kindertagesstaette", "<mark>Kindertagesstätten</mark>"},
		{"Verwaltung", "<mark>Verwaltungs</mark>cloud"}, // the part's range includes its Fugen-s
	} {
		res, err := x.Search(context.Background(), Request{Query: tt.q})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%q: %+v %v", tt.q, res, err)
		}
		if !strings.Contains(res.Hits[0].Snippet, tt.want) {
			t.Errorf("%q: snippet %q lacks %q", tt.q, res.Hits[0].Snippet, tt.want)
		}
	}
}

func TestSuggestAndRelated(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	ctx := context.Background()
	got, err := x.Suggest(ctx, "zwi", 5)
	if err != nil || len(got) == 0 || !strings.HasPrefix(got[0], "Zwilling") {
		t.Errorf("Suggest(zwi) = %q, %v", got, err)
	}
	if got, _ := x.Suggest(ctx, "smart", 5); len(got) == 0 || got[0] != "Smart City" {
		t.Errorf("Suggest(smart) = %q, want the Stichwort first", got)
	}
	if got, _ := x.Suggest(ctx, "foed", 5); len(got) != 0 {
		t.Errorf("Suggest(foed) = %q, want nothing (not in titles or tags)", got)
	}
	if got, _ := x.Suggest(ctx, "Kita", 5); len(got) == 0 {
		t.Errorf("Suggest(Kita) found nothing")
	}
	// New documents reach the vocabulary.
	if err := x.Put(ctx, []stichwort.Document{{URL: "https://e.org/n", Title: "Zwischenbilanz der Digitalisierung"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := x.Suggest(ctx, "zwisch", 5); len(got) != 1 || got[0] != "Zwischenbilanz" {
		t.Errorf("Suggest(zwisch) = %q after Put", got)
	}

	rel, err := x.Related(ctx, stichwort.DocID("https://a.example/zwilling-ulm"), 3)
	if err != nil || len(rel) == 0 {
		t.Fatalf("Related: %v %v", rel, err)
	}
	if rel[0].URL != "https://a.example/zwillinge-nrw" {
		t.Errorf("Related: first %q, want the other twin article", rel[0].URL)
	}
	for _, h := range rel {
		if h.URL == "https://a.example/zwilling-ulm" {
			t.Error("Related returned the document itself")
		}
	}
	if _, err := x.Related(ctx, "nope", 3); err != ErrNotFound {
		t.Errorf("Related(nope) = %v", err)
	}
}

// TestReindexLearnsCorpusParts: a word frequent in the corpus becomes a
// compound part at the next reindex.
func TestReindexLearnsCorpusParts(t *testing.T) {
	x, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	var docs []stichwort.Document
	for i, body := range []string{"Das Tandem startet.", "Ein Tandem berät.", "Noch ein Tandem.", "Das Verwaltungstandem tagt."} {
		docs = append(docs, stichwort.Document{URL: fmt.Sprintf("https://e.org/%d", i), Title: fmt.Sprintf("Meldung %d", i), Body: body})
	}
	if err := x.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	count := func() uint64 {
		res, err := x.Search(ctx, Request{Query: "Tandem"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if n := count(); n != 3 {
		t.Fatalf("before reindex: %d hits, want 3", n)
	}
	if err := x.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 4 {
		t.Errorf("after reindex: %d hits, want 4 (Verwaltungstandem split)", n)
	}
}

// TestRecencyBoost: with Recent, of two equally matching documents the
// newer ranks first; without it, ranking ignores age.
func TestRecencyBoost(t *testing.T) {
	x, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	docs := []stichwort.Document{
		{URL: "https://e.org/alt", Title: "Glasfaser im Kreis", Body: "Der Ausbau geht voran.", Date: now.AddDate(-6, 0, 0)},
		{URL: "https://e.org/neu", Title: "Glasfaser im Kreis", Body: "Der Ausbau geht voran!", Date: now.AddDate(0, 0, -7)},
	}
	if err := x.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, Request{Query: "Glasfaser", Recent: true, Now: now})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if res.Hits[0].URL != "https://e.org/neu" || res.Hits[0].Score <= res.Hits[1].Score {
		t.Errorf("with Recent: first %s (%.3f vs %.3f), want the newer one ahead", res.Hits[0].URL, res.Hits[0].Score, res.Hits[1].Score)
	}
	plain, _ := x.Search(ctx, Request{Query: "Glasfaser", Now: now})
	if plain.Hits[0].Score != plain.Hits[1].Score {
		t.Errorf("without Recent the scores differ: %.3f vs %.3f", plain.Hits[0].Score, plain.Hits[1].Score)
	}
}
