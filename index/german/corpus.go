package german

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CorpusParts learns compound parts from a corpus, in the spirit of Koehn
// and Knight's frequency-based splitting: a word that stands alone in many
// documents is a word, so it may also be a part of compounds ("Stadtzwilling"
// once "Zwilling" is frequent). Feed it every document's text with Add, then
// take Parts.
type CorpusParts struct {
	// MinDocs is how many documents must contain a word (default 3).
	MinDocs int
	// MinLen is the shortest word in letters (default 5, since short
	// frequent words are often suffixes: "ende", "innen").
	MinLen int
	// Max bounds the number of parts (default 5,000), most frequent first.
	Max int

	df   map[string]int
	dict *Dictionary
}

// NewCorpusParts returns a learner that skips words the dictionary already
// knows or protects.
func NewCorpusParts(d *Dictionary) *CorpusParts {
	return &CorpusParts{MinDocs: 3, MinLen: 5, Max: 5000, df: map[string]int{}, dict: d}
}

// notParts are frequent words that look like parts but are suffixes or
// cause false splits (Vorsitz|ende, Bürger|innen, Mini|stern).
var notParts = map[string]bool{
	"ende": true, "enden": true, "innen": true, "ungen": true, "heiten": true, "keiten": true,
	"reich": true, "weise": true, "stern": true, "lungen": true, "lunge": true, "traum": true,
	"teuer": true, "trasse": true, "klärung": true, "halten": true, "mittel": true, "ordnung": true,
	"lichen": true, "licher": true, "liche": true, "schaft": true, "schaften": true,
}

// Add counts the words of one document.
func (c *CorpusParts) Add(text string) {
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) < c.MinLen {
			continue
		}
		w = strings.ToLower(w)
		if seen[w] {
			continue
		}
		seen[w] = true
		c.df[w]++
	}
}

// Parts returns the learned parts, most frequent first (ties by word).
func (c *CorpusParts) Parts() []string {
	var out []string
	for w, n := range c.df {
		if n < c.MinDocs || notParts[w] || c.dict.isPart(w) || c.dict.isNoSplit(w) || !isLetters(w) {
			continue
		}
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool {
		if c.df[out[i]] != c.df[out[j]] {
			return c.df[out[i]] > c.df[out[j]]
		}
		return out[i] < out[j]
	})
	if len(out) > c.Max {
		out = out[:c.Max]
	}
	sort.Strings(out) // stable mapping contents
	return out
}
