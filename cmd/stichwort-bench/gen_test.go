package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"stichwort"
)

var (
	langOnce sync.Once
	lang     *language
	langErr  error
)

// mustLanguage loads the language from the repository's files once per
// test binary.
func mustLanguage(tb testing.TB) *language {
	tb.Helper()
	langOnce.Do(func() {
		lang, langErr = loadLanguage("../../testdata/articles", "../../index/german/data/lexicon_de.txt")
	})
	if langErr != nil {
		tb.Fatal(langErr)
	}
	return lang
}

func mustCorpus(tb testing.TB, seed uint64, first, n int) []byte {
	tb.Helper()
	var b bytes.Buffer
	g := &generator{lang: mustLanguage(tb), seed: seed}
	if err := g.writeCorpus(context.Background(), &b, first, n); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestCorpusDeterministic(t *testing.T) {
	a := mustCorpus(t, 1, 0, 60)
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"same seed, same bytes", mustCorpus(t, 1, 0, 60), a},
		{"a smaller corpus is a prefix", mustCorpus(t, 1, 0, 25), a[:nthLineEnd(a, 25)]},
		{"a later part is the rest", mustCorpus(t, 1, 25, 35), a[nthLineEnd(a, 25):]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Equal(tt.got, tt.want) {
				t.Errorf("corpora differ:\n%.300s\n%.300s", tt.got, tt.want)
			}
		})
	}
	if bytes.Equal(mustCorpus(t, 2, 0, 60), a) {
		t.Error("seeds 1 and 2 gave the same corpus")
	}
}

func nthLineEnd(b []byte, n int) int {
	end := 0
	for range n {
		end += bytes.IndexByte(b[end:], '\n') + 1
	}
	return end
}

// TestCorpusImportable checks every line with the import command's own
// parser and the shape of the corpus: tokens per document, PDFs, dates,
// Stichwörter from the vocabulary, unique URLs, compounds and numbers.
func TestCorpusImportable(t *testing.T) {
	l := mustLanguage(t)
	const n = 400
	data := mustCorpus(t, 7, 0, n)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	urls := make(map[string]bool)
	var pdfs, words, hyphenated int
	for line := 1; sc.Scan(); line++ {
		d, err := stichwort.ParseImportLine(sc.Bytes())
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		if urls[d.URL] {
			t.Errorf("line %d: URL %s twice", line, d.URL)
		}
		urls[d.URL] = true
		if d.Type == stichwort.TypePDF {
			pdfs++
			if !strings.HasSuffix(d.URL, ".pdf") {
				t.Errorf("line %d: PDF at %s", line, d.URL)
			}
		}
		if y := d.Date.Year(); y < 2015 || y > 2026 {
			t.Errorf("line %d: date %s", line, d.Date.Format(time.DateOnly))
		}
		if len(d.Tags) == 0 || len(d.Tags) > 4 {
			t.Errorf("line %d: tags %q", line, d.Tags)
		}
		for _, tag := range d.Tags {
			if !slices.Contains(l.tags, tag) {
				t.Errorf("line %d: tag %q is not in the vocabulary", line, tag)
			}
		}
		ws := strings.Fields(d.Title + " " + d.Lead + " " + d.Body)
		words += len(ws)
		for _, w := range ws {
			if strings.Count(w, "-") > 0 {
				hyphenated++
			}
		}
	}
	if len(urls) != n {
		t.Fatalf("%d documents, want %d", len(urls), n)
	}
	if perDoc := words / n; perDoc < 380 || perDoc > 520 {
		t.Errorf("%d words per document, want about 450", perDoc)
	}
	if pdfs < n/30 || pdfs > n/6 {
		t.Errorf("%d PDFs of %d documents, want about 8 %%", pdfs, n)
	}
	if hyphenated < words/300 {
		t.Errorf("%d hyphenated words of %d", hyphenated, words)
	}
}

func TestLanguage(t *testing.T) {
	l := mustLanguage(t)
	if len(l.tail) != tailSize || len(l.tags) != 15 {
		t.Fatalf("tail %d, tags %d", len(l.tail), len(l.tags))
	}
	// The sample's most frequent words are German function words.
	for _, w := range []string{"die", "der", "und"} {
		if r := l.headRank[w]; r > 10 {
			t.Errorf("%q has rank %d", w, r)
		}
	}
	tests := []struct {
		word string
		want bool
	}{
		{"Verwaltungscloud", true}, // the sample's own word
		{"Kommunen", true},
	}
	for _, tt := range tests {
		if got := l.rank(tt.word) < len(l.head); got != tt.want {
			t.Errorf("%q in the head: %v, want %v", tt.word, got, tt.want)
		}
	}
	var compounds, hyphens int
	for _, w := range l.tail[:1000] {
		if strings.Contains(w, "-") {
			hyphens++
		} else if len(w) > 12 {
			compounds++
		}
	}
	if compounds < 200 || hyphens < 50 {
		t.Errorf("of the 1000 most frequent tail forms %d are long compounds and %d hyphenated", compounds, hyphens)
	}
}

func TestInflect(t *testing.T) {
	tests := []struct {
		word string
		want []string // any of these
	}{
		{"Verwaltung", []string{"Verwaltungen"}},
		{"Akte", []string{"Akten", "Aktes"}},
		{"Kommunen", []string{""}},
		{"digital", []string{"digitale", "digitalen", "digitaler", "digitales", "digitalem", "digitalt", "digitalte", "digitalten"}},
		{"neue", []string{"neuen", "neuer", "neues", "neuem"}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			for i := range 20 {
				got := inflect(tt.word, rand.New(rand.NewPCG(1, uint64(i))))
				if !slices.Contains(tt.want, got) {
					t.Errorf("inflect(%q) = %q, want one of %q", tt.word, got, tt.want)
				}
			}
		})
	}
}

// TestQueriesHit: every query of the set occurs in a document of the
// corpus (all its words in one document, and the Stichwort).
func TestQueriesHit(t *testing.T) {
	const n = 300
	g := &generator{lang: mustLanguage(t), seed: 3}
	qs := makeQueries(g, n, 60)
	if len(qs) != 60 {
		t.Fatalf("%d queries", len(qs))
	}
	var docs []stichwort.Document
	sc := bufio.NewScanner(bytes.NewReader(mustCorpus(t, 3, 0, n)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		d, err := stichwort.ParseImportLine(sc.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	tagged := 0
	for _, q := range qs {
		if q.Tag != "" {
			tagged++
		}
		if len(q.Words) < 1 || len(q.Words) > 3 {
			t.Errorf("query %q has %d words", q.text(), len(q.Words))
		}
		for _, w := range q.Words {
			if g.lang.isStop(w) {
				t.Errorf("query %q has the stop word %q", q.text(), w)
			}
		}
		found := slices.ContainsFunc(docs, func(d stichwort.Document) bool {
			words := strings.FieldsFunc(d.Title+" "+d.Lead+" "+d.Body, func(r rune) bool { return strings.ContainsRune(" ,.?!„“\n", r) })
			for _, w := range q.Words {
				if !slices.Contains(words, w) {
					return false
				}
			}
			return q.Tag == "" || slices.Contains(d.Tags, q.Tag)
		})
		if !found {
			t.Errorf("no document has all of %q (Stichwort %q)", q.Words, q.Tag)
		}
	}
	if tagged != 15 {
		t.Errorf("%d of 60 queries with a Stichwort, want 15", tagged)
	}
	alerts := makeAlerts(g, n, 100)
	if len(alerts) != 100 {
		t.Errorf("%d alerts", len(alerts))
	}
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
