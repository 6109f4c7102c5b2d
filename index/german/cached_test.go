package german

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// mustCachedAnalyzer returns a fresh (cold) instance of the registered
// German analyzer.
func mustCachedAnalyzer(tb testing.TB) *CachedAnalyzer {
	tb.Helper()
	if err := Register(); err != nil {
		tb.Fatal(err)
	}
	a, err := registry.NewCache().AnalyzerNamed(AnalyzerName)
	if err != nil {
		tb.Fatal(err)
	}
	ca, ok := a.(*CachedAnalyzer)
	if !ok {
		tb.Fatalf("analyzer %s is %T, want *CachedAnalyzer", AnalyzerName, a)
	}
	return ca
}

// mustDefinedAnalyzer returns the analyzer DefineAnalyzer puts in a fresh
// index mapping, after a round trip through the mapping's JSON, as when an
// index is opened.
func mustDefinedAnalyzer(tb testing.TB, extraParts []string) analysis.Analyzer {
	tb.Helper()
	im := mapping.NewIndexMapping()
	if err := DefineAnalyzer(im, "text_de", extraParts); err != nil {
		tb.Fatal(err)
	}
	data, err := json.Marshal(im)
	if err != nil {
		tb.Fatal(err)
	}
	var opened mapping.IndexMappingImpl
	if err := json.Unmarshal(data, &opened); err != nil {
		tb.Fatal(err)
	}
	if err := opened.Validate(); err != nil {
		tb.Fatal(err)
	}
	a := opened.AnalyzerNamed("text_de")
	if a == nil {
		tb.Fatal("mapping has no analyzer text_de")
	}
	return a
}

// uncached is the chain a runs, without the cache: the reference.
func uncached(a *CachedAnalyzer) analysis.Analyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: a.tokenizer, TokenFilters: a.filters}
}

// tokenStrings spells out every field of every token.
func tokenStrings(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%q pos=%d [%d:%d] type=%d kw=%t", t.Term, t.Position, t.Start, t.End, t.Type, t.KeyWord)
	}
	return out
}

// analyzeCopy analyses a copy of input: the uncached chain lower-cases
// its input in place.
func analyzeCopy(a analysis.Analyzer, input []byte) []string {
	return tokenStrings(a.Analyze(bytes.Clone(input)))
}

// checkSame fails when ca's tokens for input differ from its chain's.
func checkSame(tb testing.TB, ca *CachedAnalyzer, input []byte) {
	tb.Helper()
	checkSameAs(tb, uncached(ca), ca, input)
}

// checkSameAs fails when got's tokens for input differ from want's.
func checkSameAs(tb testing.TB, want, got analysis.Analyzer, input []byte) {
	tb.Helper()
	w, g := analyzeCopy(want, input), analyzeCopy(got, input)
	if slices.Equal(w, g) {
		return
	}
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	tb.Fatalf("Analyze(%q): %d tokens, want %d; first difference at token %d:\n got %s\nwant %s",
		truncate(input), len(g), len(w), i, at(g, i), at(w, i))
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// sampleTexts returns the articles and PDF texts of the sample corpus by
// file name.
func sampleTexts(tb testing.TB) map[string][]byte {
	tb.Helper()
	var files []string
	for _, pattern := range []string{"../../testdata/articles/*.txt", "../../testdata/articles/pdfs/*.txt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Fatal("no sample articles in testdata/articles")
	}
	texts := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		texts[filepath.Base(f)] = data
	}
	return texts
}

// edgeCases are inputs where cutting the text at whitespace could go wrong.
var edgeCases = []struct{ name, in string }{
	{"empty", ""},
	{"only whitespace", " \t\r\n\u00a0\u3000 "},
	{"hyphen compound", "Die KI-Verordnung gilt."},
	{"two hyphens", "Das E-Government-Gesetz"},
	{"more parts than joined", "a-b-c-d-e-f Smart-City-Strategie-Papier-Entwurf"},
	{"leading hyphen", "die -Strategie und -"},
	{"trailing hyphen", "Bund-Länder- und Kommunen"},
	{"spaced hyphen", "Bund - Länder"},
	{"hyphen at line break", "Verwaltungs-\ncloud"},
	{"hyphen compound in parentheses", "(KI-Verordnung), „Verwaltungscloud-Strategie“."},
	{"numbers", "3,5 Mio. Euro, 10.000 Menschen, 1.5 und 2024-10-22, 12:30 Uhr, 50 %"},
	{"abbreviations", "z.B. die u. a. genannten bzw. o.g. Punkte"},
	{"apostrophes", "Peter's O'Neill geht’s gibt's ’s"},
	{"umlauts and sharp s", "Größere Straßen, Übermaß, Äußerung, ÄÖÜäöüß STRASSE"},
	{"nbsp", "100\u00a0Mio.\u00a0Euro Sachsen\u00a0Anhalt KI\u00a0-Verordnung"},
	{"narrow nbsp and figure space", "3\u202f000 Euro, 4\u2007500 a\u202fb"},
	{"other spaces", "a\u2000b\u2001c\u2002d\u200ae\u205ff\u3000g\u1680h\u0085i\u2028j\u2029k\vl\fm"},
	{"tabs and newlines", "Titel:\tDigitalisierung\r\n\r\nLead\nText\t\t Ende"},
	{"zero width", "Verwaltungs\u200bcloud \u200b \u200c\u200d x\u2060y \ufeffBOM"},
	{"soft hyphen", "Verwal\u00adtungs\u00adcloud \u00adcloud"},
	{"combining marks", "Cafe\u0301 a \u0301b \u0301x e\u0308"},
	{"mark after space", "a \u302eb \u302f1 \t\u302e"},
	{"emoji", "👍 👍🏽 Daumen 👨‍👩‍👧 Familie 🇩🇪🇫🇷 x ❤️"},
	{"emoji modifier after space", "Daumen \U0001F3FD hoch"},
	{"cjk", "中文 分词 カタカナ ー ひらがな 한국어"},
	{"invalid utf-8", "\xff\xfe Straße \xc3 Stra\xc3 \xe2\x80 KI-\xffVerordnung"},
	{"invalid after space", "a \x80b \xc3"},
	{"only stop words", "die der und das mit von"},
	{"stop words around compounds", "die  KI-Verordnung und der Bund-Länder-Beschluss, die"},
	{"url", "Siehe https://www.example.org/very/long/path/to/a/document/with/a-name-that-is-long.html?x=1&y=2 oder www.stichwort.test"},
	{"long word", strings.Repeat("Verwaltungsdigitalisierung", 4) + " Datenschutzgrundverordnungsanpassungsgesetz"},
	{"repeated chunks", "die Stadt und die Stadt und die Stadt-Verwaltung und die Stadt"},
	{"punctuation around words", "„Zwillinge“, (Zwillinge) Zwillinge. Zwillinge; »Zwillinge« ‚Zwillinge‘ Zwillinge… [Zwillinge]: Zwillinge?!"},
	{"only punctuation", "– — … ! ? , . - -- (( )) „“ ' \" § • ‹› die – Stadt"},
	{"abbreviations with full stops", "z.B. U.S.A. u.a. Nr. 5. S. 12f. (vgl. Abs. 3) d.h.,"},
	{"numbers in punctuation", "(1.000), 3,5. 12:30. „2024“ -5 +3 50%. 5€, §§ 12–14 1.-3. 10'000 3,5,"},
	{"apostrophes at edges", "’s 'n Hans’ Klaus' ‚geht’s‘ 'Peter's' rock'n'roll' ö' Grass’."},
	{"hyphens at edges", "-Strategie Bund-Länder- (KI-)Verordnung „E-Government“- --x-- x--y -KI-Verordnung-"},
	{"marks after punctuation", "(\u0301a) „\u302eb“ ,\u00adc .\u200dx \u2019\u0308s a.\u0301"},
	{"underscore and symbols", "_a_ #hashtag @user https://x.de/a_b. C++ AT&T *wichtig* ~5 ^2 `x` {a} <b> a|b"},
	{"hebrew and quotes", "\"שלום\" צה\"ל (א'ב') ב' א'. 'א'"},
	{"repeated with punctuation", "die Stadt, die Stadt. (die Stadt) „die Stadt“ die Stadt-Verwaltung. Stadt-Verwaltung,"},
}

// TestCachedAnalyzerEdgeCases compares the cached analyzer with its chain
// on inputs that test the chunking, cold and warm.
func TestCachedAnalyzerEdgeCases(t *testing.T) {
	for _, tt := range edgeCases {
		t.Run(tt.name, func(t *testing.T) {
			ca := mustCachedAnalyzer(t)
			checkSame(t, ca, []byte(tt.in)) // cold
			checkSame(t, ca, []byte(tt.in)) // warm
		})
	}
}

// TestCachedAnalyzerArticles compares the cached analyzer with its chain
// on every text of the sample corpus: each text on a cold cache, again on
// the warm cache, and after all others have warmed it; for the registered
// analyzer and for an index's analyzer with an extended lexicon.
func TestCachedAnalyzerArticles(t *testing.T) {
	texts := sampleTexts(t)
	names := make([]string, 0, len(texts))
	for name := range texts {
		names = append(names, name)
	}
	slices.Sort(names)

	dict, err := DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	cp := NewCorpusParts(dict)
	cp.MinDocs = 2
	for _, name := range names {
		cp.Add(string(texts[name]))
	}
	extra := cp.Parts()
	if len(extra) == 0 {
		t.Fatal("no corpus parts learned")
	}

	analyzers := []struct {
		name string
		new  func(t *testing.T) *CachedAnalyzer
	}{
		{AnalyzerName, func(t *testing.T) *CachedAnalyzer { return mustCachedAnalyzer(t) }},
		{"text_de with corpus parts", func(t *testing.T) *CachedAnalyzer {
			a := mustDefinedAnalyzer(t, extra)
			ca, ok := a.(*CachedAnalyzer)
			if !ok {
				t.Fatalf("defined analyzer is %T, want *CachedAnalyzer", a)
			}
			return ca
		}},
		{"small cache", func(t *testing.T) *CachedAnalyzer {
			ca := mustCachedAnalyzer(t)
			return newCachedAnalyzer(ca.tokenizer, ca.filters, 128)
		}},
	}
	for _, an := range analyzers {
		t.Run(an.name, func(t *testing.T) {
			shared := an.new(t)
			for _, name := range names {
				t.Run(name, func(t *testing.T) {
					cold := an.new(t)
					checkSame(t, cold, texts[name])
					checkSame(t, cold, texts[name])
					checkSame(t, shared, texts[name])
				})
			}
			for _, name := range names {
				checkSame(t, shared, texts[name])
			}
		})
	}
}

// TestCachedAnalyzerPositions pins what the chunking must reproduce: a
// hyphen-joined token shares its first part's position, and stop words,
// though removed, still take positions.
func TestCachedAnalyzerPositions(t *testing.T) {
	ca := mustCachedAnalyzer(t)
	in := "die KI-Verordnung und der Bund"
	want := []string{
		`"ki" pos=2 [4:6] type=0 kw=false`,
		`"kiverordnung" pos=2 [4:17] type=4 kw=false`,
		`"verordnung" pos=3 [7:17] type=0 kw=false`,
		`"bund" pos=6 [26:30] type=0 kw=false`,
	}
	for _, round := range []string{"cold", "warm"} {
		if got := analyzeCopy(ca, []byte(in)); !slices.Equal(got, want) {
			t.Errorf("%s: Analyze(%q) =\n%s\nwant\n%s", round, in, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestChunkWhitespace checks the premise of the chunking at the tokenizer
// (the filters see one token at a time): cutting at any whitespace rune
// next to another rune gives the tokens of the whole text. It tries the
// runes up to Arabic, every other mark, format character and modifier (the
// classes segmentation attaches to what precedes them) and a sample of
// the rest; in -short mode fewer. (Run once over every rune, the premise
// failed only for U+302E and U+302F after ' ' and '\t', which gluesToSpace
// covers.)
func TestChunkWhitespace(t *testing.T) {
	tok := NewHyphenTokenizer()
	ca := NewCachedAnalyzer(tok, nil)
	var spaces []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isChunkSpace(r) {
			spaces = append(spaces, r)
		}
	}
	stride, specialStride := rune(997), rune(2)
	if testing.Short() {
		stride, specialStride = 9973, 13
	}
	for x := rune(0); x <= unicode.MaxRune; x++ {
		special := unicode.In(x, unicode.M, unicode.Cf, unicode.Sk, unicode.Lm, unicode.Zs)
		if x >= 0x600 && x%stride != 0 && !(special && x%specialStride == 0) {
			continue
		}
		if !utf8.ValidRune(x) {
			continue
		}
		for _, w := range spaces {
			for _, in := range []string{
				"a" + string(w) + string(x) + "b",
				"a" + string(x) + string(w) + "b",
				string(w) + string(x) + "1",
				"1" + string(x) + string(w) + string(x) + "a",
			} {
				checkSame(t, ca, []byte(in))
			}
		}
	}
}

func TestNextChunk(t *testing.T) {
	tests := []struct {
		in   string
		want string // chunks as [start:end]
	}{
		{"", ""},
		{"   ", ""},
		{"a", "[0:1]"},
		{" die  KI-Verordnung\n", "[1:4] [6:19]"},
		{"a\u00a0b\u3000c", "[0:1] [3:4] [7:8]"},
		{"a \u0301b c", "[0:5] [6:7]"},    // the mark glues to the space
		{" \u0301b c", "[0:4] [5:6]"},     // also at the start of the text
		{"a\u200bb c", "[0:5] [6:7]"},     // zero-width space is no whitespace
		{"a \u302e \u302fb", "[0:10]"},    // glue across several gaps
		{"ab \t\r\n", "[0:2]"},            // trailing whitespace belongs to no chunk
		{"a \U0001F3FD b", "[0:6] [7:8]"}, // emoji modifier (Sk)
	}
	for _, tt := range tests {
		var got []string
		in := []byte(tt.in)
		for i := 0; ; {
			start, end := nextChunk(in, i)
			if start == len(in) {
				break
			}
			got = append(got, fmt.Sprintf("[%d:%d]", start, end))
			i = end
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("chunks of %q = %s, want %s", tt.in, g, tt.want)
		}
	}
}

// TestCachedAnalyzerInputUnchanged: the uncached chain lower-cases its
// input in place; the cached analyzer leaves it alone.
func TestCachedAnalyzerInputUnchanged(t *testing.T) {
	ca := mustCachedAnalyzer(t)
	in := strings.Repeat("Die KI-Verordnung ", 3) + strings.Repeat("X", maxCachedChunk+1)
	b := []byte(in)
	ca.Analyze(b)
	if string(b) != in {
		t.Errorf("Analyze changed its input to %q", b)
	}
}

// TestCachedAnalyzerTermsIsolated: appending to one token's term must not
// overwrite another's, nor the cache.
func TestCachedAnalyzerTermsIsolated(t *testing.T) {
	ca := mustCachedAnalyzer(t)
	in := []byte("KI-Verordnung KI-Verordnung")
	want := analyzeCopy(ca, in)
	ts := ca.Analyze(in)
	for _, tok := range ts {
		_ = append(tok.Term, "XXXX"...)
	}
	if got := tokenStrings(ts); !slices.Equal(got, want) {
		t.Errorf("after appending to terms:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := analyzeCopy(ca, in); !slices.Equal(got, want) {
		t.Errorf("cache changed by appending to terms:\n%s", strings.Join(got, "\n"))
	}
}

// TestCachedAnalyzerBounded: the cache keeps at most two generations of
// its size, however many chunks pass.
func TestCachedAnalyzerBounded(t *testing.T) {
	ca := mustCachedAnalyzer(t)
	small := newCachedAnalyzer(ca.tokenizer, ca.filters, 256)
	var sb strings.Builder
	for i := range 10_000 {
		fmt.Fprintf(&sb, "Wort%d ", i)
	}
	checkSame(t, small, []byte(sb.String()))
	if n, limit := small.cache.len(), 2*256; n > limit {
		t.Errorf("cache holds %d entries, want at most %d", n, limit)
	}
	long := []byte(strings.Repeat("y", maxCachedChunk+1))
	small.Analyze(long)
	if small.cache.get(long) != nil {
		t.Errorf("a chunk of %d bytes was cached", len(long))
	}
}

// TestCachedAnalyzerConcurrent analyses the corpus from many goroutines on
// one analyzer (as Bleve's workers do); run with -race.
func TestCachedAnalyzerConcurrent(t *testing.T) {
	texts := sampleTexts(t)
	ca := mustCachedAnalyzer(t)
	small := newCachedAnalyzer(ca.tokenizer, ca.filters, 64) // evicts all the time
	want := map[string][]string{}
	for name, text := range texts {
		want[name] = analyzeCopy(uncached(ca), text)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		for _, a := range []*CachedAnalyzer{ca, small} {
			wg.Go(func() {
				for round := range 3 {
					for name, text := range texts {
						if got := tokenStrings(a.Analyze(text)); !slices.Equal(got, want[name]) {
							t.Errorf("goroutine %d, round %d: %s analysed differently", g, round, name)
							return
						}
					}
				}
			})
		}
	}
	wg.Wait()
}

// TestDefineAnalyzerCaches: an index's analyzer is cached, has a cache of
// its own (its lexicon may differ from another index's), and an index
// whose mapping still names Bleve's custom type analyses alike.
func TestDefineAnalyzerCaches(t *testing.T) {
	plain := mustDefinedAnalyzer(t, nil)
	extended := mustDefinedAnalyzer(t, []string{"quokka"})
	for _, a := range []analysis.Analyzer{plain, extended} {
		if _, ok := a.(*CachedAnalyzer); !ok {
			t.Fatalf("defined analyzer is %T, want *CachedAnalyzer", a)
		}
	}
	word := []byte("Stadtquokka")
	p, e := analyzeCopy(plain, word), analyzeCopy(extended, word)
	if slices.Equal(p, e) {
		t.Errorf("extra part made no difference: both give %q", p)
	}
	if p2 := analyzeCopy(plain, word); !slices.Equal(p, p2) {
		t.Errorf("plain analyzer changed after the extended one ran: %q, then %q", p, p2)
	}

	// An index created before the cache: the same chain under "custom".
	im := mapping.NewIndexMapping()
	if err := DefineAnalyzer(im, "text_de", []string{"quokka"}); err != nil {
		t.Fatal(err)
	}
	cfg := im.CustomAnalysis.Analyzers["text_de"]
	cfg["type"] = custom.Name
	old := mapping.NewIndexMapping()
	if err := old.AddCustomTokenFilter("text_de_decompound", im.CustomAnalysis.TokenFilters["text_de_decompound"]); err != nil {
		t.Fatal(err)
	}
	if err := old.AddCustomAnalyzer("text_de", cfg); err != nil {
		t.Fatal(err)
	}
	oldA := old.AnalyzerNamed("text_de")
	if _, ok := oldA.(*analysis.DefaultAnalyzer); !ok {
		t.Fatalf("custom analyzer is %T", oldA)
	}
	for _, text := range sampleTexts(t) {
		checkSameAs(t, oldA, extended, text)
	}
	checkSameAs(t, oldA, extended, word)
}

// TestCachedAnalyzerTypeRefuses configurations whose tokens the cache
// could change.
func TestCachedAnalyzerTypeRefuses(t *testing.T) {
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		config map[string]any
	}{
		{"tokenizer across whitespace", map[string]any{"type": CachedAnalyzerType, "tokenizer": "single", "token_filters": []any{}}},
		{"char filter", map[string]any{"type": CachedAnalyzerType, "tokenizer": HyphenTokenizerName, "char_filters": []any{"html"}}},
		{"no tokenizer", map[string]any{"type": CachedAnalyzerType}},
		{"unknown filter", map[string]any{"type": CachedAnalyzerType, "tokenizer": HyphenTokenizerName, "token_filters": []any{"nope"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := registry.NewCache().DefineAnalyzer("x", tt.config); err == nil {
				t.Errorf("DefineAnalyzer(%v) succeeded, want an error", tt.config)
			}
		})
	}
}

// FuzzCachedAnalyzerEquivalence checks for any input that the cached
// analyzer gives the chain's tokens, with the cache cold for the input,
// warm from it, and shared with earlier inputs (small, so it also evicts).
func FuzzCachedAnalyzerEquivalence(f *testing.F) {
	for _, tt := range edgeCases {
		f.Add([]byte(tt.in))
	}
	f.Add([]byte("Die Verwaltungscloud-Strategie des IT-Planungsrats (Beschluss 2023/12)"))
	ca := mustCachedAnalyzer(f)
	shared := newCachedAnalyzer(ca.tokenizer, ca.filters, 256)
	words := newCachedAnalyzer(unicodetok.NewUnicodeTokenizer(), nil, 256) // the other tokenizer the type accepts
	f.Fuzz(func(t *testing.T, in []byte) {
		cold := newCachedAnalyzer(ca.tokenizer, ca.filters, 256)
		checkSame(t, cold, in)
		checkSame(t, cold, in)
		checkSame(t, shared, in)
		checkSame(t, words, in)
		orig := bytes.Clone(in)
		shared.Analyze(in)
		if !bytes.Equal(in, orig) {
			t.Fatalf("Analyze changed its input %q to %q", orig, in)
		}
	})
}
