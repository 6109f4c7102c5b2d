package german

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

func TestTrimChunk(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"word", "Zwillinge", "Zwillinge"},
		{"comma", "Zwillinge,", "Zwillinge"},
		{"full stop", "Zwillinge.", "Zwillinge"},
		{"parenthesis", "(Zwillinge", "Zwillinge"},
		{"German quotes", "„Zwillinge“.", "Zwillinge"},
		{"guillemets", "»Zwillinge«", "Zwillinge"},
		{"single quotes", "‚Zwillinge‘,", "Zwillinge"},
		{"ellipsis", "Zwillinge…", "Zwillinge"},
		{"brackets and colon", "[Zwillinge]:", "Zwillinge"},
		{"several", "(„Zwillinge“)?!", "Zwillinge"},
		{"abbreviation", "z.B.", "z.B"},
		{"initials", "U.S.A.", "U.S.A"},
		{"decimal comma", "3,5", "3,5"},
		{"thousands", "1.000,", "1.000"},
		{"time", "12:30", "12:30"},
		{"percent", "50%", "50"},
		{"euro", "5€", "5"},
		{"paragraph", "§5", "5"},
		{"hyphen compound", "(KI-Verordnung),", "KI-Verordnung"},
		{"leading hyphen", "-Strategie", "Strategie"},
		{"trailing hyphen", "Bund-Länder-", "Bund-Länder"},
		{"apostrophe inside", "geht’s", "geht’s"},
		{"elided word", "’s", "s"},
		{"genitive apostrophe", "Hans’", "Hans"},
		{"ASCII apostrophe", "Klaus'", "Klaus"},
		{"apostrophe after Hebrew", "א'", "א'"},              // WB7a: part of the word
		{"apostrophe after Hebrew, then more", "(א'.", "א'"}, // stops at it
		{"apostrophe after non-ASCII", "ö'", "ö'"},           // kept, to be safe
		{"underscore", "_a_", "_a_"},                         // ExtendNumLet joins
		{"mark after cut rune", "(\u0301a)", "(\u0301a"},     // the mark belongs to "("
		{"dash", "–", ""},
		{"only punctuation", "…!?", ""},
		{"url", "(https://example.org/a).", "https://example.org/a"},
		{"emoji", "👍,", "👍"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := trimChunk([]byte(tt.in))
			if got := tt.in[lo:hi]; got != tt.want {
				t.Errorf("trimChunk(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestTrimChunkRunes checks the premise of trimming at the tokenizer (the
// filters see one token at a time): every rune trimChunk cuts, on either
// edge of a chunk, next to a sample of runes (all of Latin-1, every fifth
// mark, format character, modifier, punctuation, Hebrew and Katakana
// rune, a few of the rest) and before or after a letter, a digit or a
// Hebrew letter, gives the tokens of the chunk untrimmed. In -short mode
// fewer. (Run once with every other special rune and every 97th of the
// rest, it passed too.)
func TestTrimChunkRunes(t *testing.T) {
	tok := NewHyphenTokenizer()
	ca := newCachedAnalyzer(tok, nil, 1<<12)
	var edges []rune
	for r := rune(0); r < 0x2200; r++ {
		if isEdgePunct(r) {
			edges = append(edges, r)
		}
	}
	stride, specialStride := rune(1999), rune(5)
	if testing.Short() {
		stride, specialStride = 9973, 23
	}
	var contexts []rune
	for x := rune(0); x <= unicode.MaxRune; x++ {
		special := unicode.In(x, unicode.M, unicode.Cf, unicode.Sk, unicode.Lm, unicode.P, unicode.Hebrew, unicode.Katakana)
		if x < 0x100 || isEdgePunct(x) || special && x%specialStride == 0 || x%stride == 0 {
			if utf8.ValidRune(x) {
				contexts = append(contexts, x)
			}
		}
	}
	for _, p := range edges {
		for _, x := range contexts {
			ps, xs := string(p), string(x)
			for _, in := range []string{
				ps + xs + "a",
				"a" + xs + ps,
				ps + xs + "1" + xs + ps,
				"א" + xs + ps,
				ps + xs + ps + "א" + ps,
			} {
				checkTokens(t, tok, ca, []byte(in))
			}
		}
	}
}

// checkTokens fails when a's tokens for input differ from tok's: the
// cheaper checkSame for an analyzer without filters.
func checkTokens(tb testing.TB, tok analysis.Tokenizer, a analysis.Analyzer, input []byte) {
	tb.Helper()
	want := tok.Tokenize(bytes.Clone(input))
	got := a.Analyze(input)
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		g, w := got[i], want[i]
		same = bytes.Equal(g.Term, w.Term) && g.Start == w.Start && g.End == w.End &&
			g.Position == w.Position && g.Type == w.Type && g.KeyWord == w.KeyWord
	}
	if !same {
		tb.Fatalf("Analyze(%q) =\n%s\nwant\n%s", input, strings.Join(tokenStrings(got), "\n"), strings.Join(tokenStrings(want), "\n"))
	}
}

// TestChunkCacheHitRate reports how often the chunks of the sample
// articles, analysed one after the other on one cache as when indexing,
// are found in the cache, with and without trimming punctuation, and
// checks that trimming helps. Chunks that trim to nothing need no lookup;
// chunks too long to cache are not looked up either.
func TestChunkCacheHitRate(t *testing.T) {
	files, err := filepath.Glob("../../testdata/articles/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample articles: %v", err)
	}
	var texts [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, data)
	}
	rate := func(trim bool) float64 {
		c := newChunkCache(defaultCacheEntries)
		var hits, misses, empty, long int
		for _, text := range texts {
			for i := 0; ; {
				start, end := nextChunk(text, i)
				if start == len(text) {
					break
				}
				i = end
				chunk := text[start:end]
				if trim {
					lo, hi := trimChunk(chunk)
					chunk = chunk[lo:hi]
				}
				switch {
				case len(chunk) == 0:
					empty++
				case len(chunk) > maxCachedChunk:
					long++
				case c.get(chunk) != nil:
					hits++
				default:
					misses++
					c.put(&chunkEntry{key: string(chunk)})
				}
			}
		}
		r := float64(hits) / float64(hits+misses)
		t.Logf("trim %-5t: %d chunks of %d articles: %d hits, %d misses (%.1f%% hits, %d distinct), %d only punctuation, %d too long",
			trim, hits+misses+empty+long, len(texts), hits, misses, 100*r, c.len(), empty, long)
		return r
	}
	if without, with := rate(false), rate(true); with <= without {
		t.Errorf("hit rate %.3f with trimming, %.3f without: trimming should raise it", with, without)
	}
}
