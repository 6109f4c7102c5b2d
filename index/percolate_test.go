package index

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"stichwort"
	"stichwort/internal/samplesite"
)

func mustPercolate(tb testing.TB, p *Percolator, docs []stichwort.Document, searches map[string]Request) map[string][]string {
	tb.Helper()
	got, err := p.Match(context.Background(), docs, searches)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func readDocs(tb testing.TB, p string) []stichwort.Document {
	tb.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	var docs []stichwort.Document
	for line := range strings.Lines(string(data)) {
		d, err := stichwort.ParseImportLine([]byte(line))
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

// TestPercolateAgreesWithSearch: every query of the search test data, as a
// saved search, matches exactly the documents a search finds, whether the
// documents arrive in one batch or in two.
func TestPercolateAgreesWithSearch(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	docs := readDocs(t, "testdata/search/docs.jsonl")
	data, err := os.ReadFile("testdata/search/queries.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []searchCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	searches := map[string]Request{}
	want := map[string][]string{}
	for _, c := range cases {
		r := Request{Query: c.Q, Tags: c.Tags, Types: c.Types, Sources: c.Sources, Years: c.Years, States: c.States}
		if c.From != "" {
			r.From, _ = time.Parse(time.DateOnly, c.From)
		}
		if c.To != "" {
			r.To, _ = time.Parse(time.DateOnly, c.To)
		}
		res, err := x.Search(context.Background(), Request{Query: r.Query, Tags: r.Tags, Types: r.Types, Sources: r.Sources,
			Years: r.Years, States: r.States, From: r.From, To: r.To, Size: MaxSize})
		if err != nil {
			t.Fatal(err)
		}
		if res.Fuzzy {
			continue // alerts use the exact query only
		}
		searches[c.Name] = r
		for _, h := range res.Hits {
			want[c.Name] = append(want[c.Name], h.ID)
		}
	}
	if len(searches) < 20 {
		t.Fatalf("only %d searches from the test data", len(searches))
	}
	p := x.NewPercolator()
	check := func(t *testing.T, got map[string][]string) {
		for name := range searches {
			g, w := slices.Sorted(slices.Values(got[name])), slices.Sorted(slices.Values(want[name]))
			if !slices.Equal(g, w) {
				t.Errorf("%s: percolation %q, search %q", name, g, w)
			}
		}
	}
	t.Run("one batch", func(t *testing.T) { check(t, mustPercolate(t, p, docs, searches)) })
	t.Run("two batches", func(t *testing.T) {
		got := mustPercolate(t, p, docs[:4], searches)
		for k, ids := range mustPercolate(t, p, docs[4:], searches) {
			got[k] = append(got[k], ids...)
		}
		check(t, got)
	})
}

func TestPercolate(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	old := stichwort.Document{URL: "https://b.example/alt", Title: "Bamberg plant einen digitalen Zwilling der Altstadt",
		Date: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), Tags: []string{"Smart City"}, Type: stichwort.TypeArticle,
		Source: "b.example", Lead: "Das Welterbe wird dreidimensional erfasst.", Body: "Die Verwaltungscloud des Landes speichert die Daten."}
	other := stichwort.Document{URL: "https://b.example/kita", Title: "Kita-Portal startet in Oldenburg",
		Date: time.Now().UTC(), Tags: []string{"Kita"}, Type: stichwort.TypeArticle, Source: "b.example",
		Body: "Eltern melden ihre Kinder online an."}
	pdf := stichwort.Document{URL: "https://b.example/beschluss.pdf", Title: "Beschluss zur Verwaltungscloud",
		Type: stichwort.TypePDF, Source: "b.example", Tags: []string{"Smart City"}, Body: "Der IT-Planungsrat beschließt."}
	batch := []stichwort.Document{old, other, pdf}
	id := func(d stichwort.Document) string { return stichwort.DocID(d.URL) }

	tests := []struct {
		name string
		req  Request
		want []stichwort.Document
	}{
		{"a match with an old date", Request{Query: "Zwillinge"}, []stichwort.Document{old}},
		{"no match", Request{Query: "Glasfaser"}, nil},
		{"compound part", Request{Query: "Cloud"}, []stichwort.Document{old, pdf}},
		{"all words", Request{Query: "Zwilling Kita"}, nil},
		{"or", Request{Query: "Zwilling OR Eltern"}, []stichwort.Document{old, other}},
		{"excluded", Request{Query: "Verwaltungscloud -Welterbe"}, []stichwort.Document{pdf}},
		{"phrase", Request{Query: `"digitalen Zwilling"`}, []stichwort.Document{old}},
		{"phrase needs adjacency", Request{Query: `"Zwilling Bamberg"`}, nil},
		{"tag only, any case", Request{Tags: []string{"smart  city"}}, []stichwort.Document{old, pdf}},
		{"tag in the query syntax", Request{Query: `tag:"Smart City" Beschluss`}, []stichwort.Document{pdf}},
		{"word and type", Request{Query: "Verwaltungscloud", Types: []string{stichwort.TypePDF}}, []stichwort.Document{pdf}},
		{"date range leaves out undated", Request{From: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)}, []stichwort.Document{old}},
		{"year", Request{Years: []int{2019}}, []stichwort.Document{old}},
		{"source", Request{Sources: []string{"a.example"}}, nil},
		{"everything", Request{}, []stichwort.Document{old, other, pdf}},
		{"stop words only", Request{Query: "die der"}, []stichwort.Document{old, other, pdf}},
	}
	searches := map[string]Request{}
	for _, tc := range tests {
		searches[tc.name] = tc.req
	}
	got := mustPercolate(t, x.NewPercolator(), batch, searches)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, d := range tc.want {
				want = append(want, id(d))
			}
			if !slices.Equal(got[tc.name], want) {
				t.Errorf("got %q, want %q", got[tc.name], want)
			}
		})
	}
	if _, ok := got["no match"]; ok {
		t.Error("a search without matches is in the result")
	}
}

func TestPercolatorEdges(t *testing.T) {
	x := mustIndex(t, "testdata/search/docs.jsonl")
	p := x.NewPercolator()
	d := stichwort.Document{URL: "https://c.example/1", Title: "Glasfaser für alle Schulen"}
	t.Run("a changed search is compiled anew", func(t *testing.T) {
		if got := mustPercolate(t, p, []stichwort.Document{d}, map[string]Request{"a": {Query: "Glasfaser"}}); len(got["a"]) != 1 {
			t.Fatalf("got %v", got)
		}
		if got := mustPercolate(t, p, []stichwort.Document{d}, map[string]Request{"a": {Query: "Kita"}}); len(got) != 0 {
			t.Fatalf("after the change: %v", got)
		}
	})
	t.Run("a document twice in a batch counts once", func(t *testing.T) {
		got := mustPercolate(t, p, []stichwort.Document{d, d}, map[string]Request{"a": {Query: "Schule"}})
		if len(got["a"]) != 1 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("nothing in, nothing out", func(t *testing.T) {
		if got := mustPercolate(t, p, nil, map[string]Request{"a": {}}); len(got) != 0 {
			t.Errorf("got %v", got)
		}
		if got := mustPercolate(t, p, []stichwort.Document{d}, nil); len(got) != 0 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("invalid document", func(t *testing.T) {
		if _, err := p.Match(context.Background(), []stichwort.Document{{Title: "ohne URL"}}, map[string]Request{"a": {}}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p.Match(ctx, []stichwort.Document{d}, map[string]Request{"a": {Query: "Glasfaser"}}); err == nil {
			t.Error("no error")
		}
	})
}

// benchCorpus returns the sample articles as documents and a vocabulary
// of their words.
func benchCorpus(b *testing.B) ([]stichwort.Document, []string, []string) {
	b.Helper()
	arts, err := samplesite.LoadArticles("../testdata/articles")
	if err != nil || len(arts) == 0 {
		b.Skipf("no sample articles: %v", err)
	}
	var docs []stichwort.Document
	words := map[string]bool{}
	tags := map[string]bool{}
	for _, a := range arts {
		docs = append(docs, stichwort.Document{URL: "https://www.example.org/" + a.Slug, Title: a.Title, Date: a.Date,
			Tags: a.Tags, Lead: a.Lead, Body: strings.Join(a.Body, "\n\n"), Type: stichwort.TypeArticle, Source: "www.example.org"})
		for _, w := range strings.FieldsFunc(a.Title+" "+a.Lead+" "+strings.Join(a.Body, " "), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 5 {
				words[w] = true
			}
		}
		for _, t := range a.Tags {
			tags[t] = true
		}
	}
	return docs, slices.Sorted(maps.Keys(words)), slices.Sorted(maps.Keys(tags))
}

// benchAlerts makes n saved searches shaped like real ones: one or two
// words, phrases, Stichwörter, a type filter, OR and exclusions.
func benchAlerts(rng *rand.Rand, n int, words, tags []string) map[string]Request {
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	out := make(map[string]Request, n)
	for i := range n {
		var r Request
		switch k := rng.IntN(20); {
		case k < 8:
			r.Query = pick(words)
		case k < 12:
			r.Query = pick(words) + " " + pick(words)
		case k < 14:
			r.Query = `"` + pick(words) + " " + pick(words) + `"`
		case k < 16:
			r.Tags = []string{pick(tags)}
		case k < 18:
			r.Query, r.Tags = pick(words), []string{pick(tags)}
		case k < 19:
			r.Query = pick(words) + " OR " + pick(words)
		default:
			r.Query, r.Types = pick(words)+" -"+pick(words), []string{stichwort.TypeArticle}
		}
		out[fmt.Sprintf("alert-%05d", i)] = r
	}
	return out
}

// benchBatch makes 100 distinct documents from the corpus by joining the
// text of two articles.
func benchBatch(rng *rand.Rand, corpus []stichwort.Document, round int) []stichwort.Document {
	batch := make([]stichwort.Document, 100)
	for i := range batch {
		a, c := corpus[rng.IntN(len(corpus))], corpus[rng.IntN(len(corpus))]
		a.URL = fmt.Sprintf("https://www.example.org/%d/%d/%s", round, i, path.Base(a.URL))
		a.ID = ""
		a.Body += "\n\n" + c.Body
		a.Tags = append(slices.Clone(a.Tags), c.Tags[0])
		batch[i] = a
	}
	return batch
}

// BenchmarkPercolate10kAlerts100Docs matches batches of 100 new documents
// against 10,000 saved searches: "warm" is the steady state of a running
// server (searches compiled), "cold" includes compiling all of them (the
// first batch after a start).
func BenchmarkPercolate10kAlerts100Docs(b *testing.B) {
	corpus, words, tags := benchCorpus(b)
	x, err := Open(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	if err := x.Put(context.Background(), slices.Clone(corpus)); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alerts := benchAlerts(rng, 10_000, words, tags)
	ctx := context.Background()
	matched := 0
	run := func(b *testing.B, cold bool) {
		p := x.NewPercolator()
		batches := make([][]stichwort.Document, 8)
		for i := range batches {
			batches[i] = benchBatch(rng, corpus, i)
		}
		if !cold {
			if _, err := p.Match(ctx, batches[0], alerts); err != nil {
				b.Fatal(err)
			}
		}
		matched = 0
		n, verified := 0, 0
		for b.Loop() {
			if cold {
				p = x.NewPercolator()
			}
			got, err := p.Match(ctx, batches[n%len(batches)], alerts)
			if err != nil {
				b.Fatal(err)
			}
			for _, ids := range got {
				matched += len(ids)
			}
			p.mu.Lock()
			verified += p.verified
			p.mu.Unlock()
			n++
		}
		b.ReportMetric(float64(matched)/float64(n), "matches/op")
		b.ReportMetric(float64(verified)/float64(n), "bleve-checked-alerts/op")
	}
	b.Run("warm", func(b *testing.B) { run(b, false) })
	b.Run("cold", func(b *testing.B) { run(b, true) })
}

func ExamplePercolator_Match() {
	dir, _ := os.MkdirTemp("", "stichwort-example")
	defer os.RemoveAll(dir)
	x, err := Open(dir, nil)
	if err != nil {
		panic(err)
	}
	defer x.Close()

	// Saved searches by key, as alerts keep them.
	alerts := map[string]Request{
		"zwillinge":  {Query: "Zwillinge", Tags: []string{"Smart City"}},
		"glasfaser":  {Query: "Glasfaser"},
		"alle-pdfs":  {Types: []string{stichwort.TypePDF}},
		"cloud-2019": {Query: "Cloud", Years: []int{2019}},
	}
	batch := []stichwort.Document{{
		URL: "https://example.org/bamberg", Title: "Bamberg plant einen digitalen Zwilling",
		Body: "Die Daten liegen in der Verwaltungscloud.", Tags: []string{"Smart City"},
		Date: time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC),
	}}
	got, err := x.NewPercolator().Match(context.Background(), batch, alerts)
	if err != nil {
		panic(err)
	}
	for _, key := range slices.Sorted(maps.Keys(got)) {
		fmt.Println(key, len(got[key]))
	}
	// Output:
	// cloud-2019 1
	// zwillinge 1
}
