package german

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Part is one part of a compound: its lexicon form (without a linking
// element such as the Fugen-s) and its byte range in the compound.
type Part struct {
	Text       string
	Start, End int
}

// Splitter splits German compounds into parts found in a Dictionary. It is
// safe for concurrent use.
type Splitter struct {
	dict *Dictionary
	// cache remembers splits by word: word frequencies follow Zipf's law,
	// so most tokens of a text are words seen before.
	cache  sync.Map // string -> []Part
	cacheN atomic.Int64
	// MinWord is the shortest word (in letters) that is tried at all.
	MinWord int
	// MinPart is the shortest part (in letters, linking element included).
	MinPart int
}

// NewSplitter returns a splitter with the defaults: words of at least 7
// letters, parts of at least 3.
func NewSplitter(d *Dictionary) *Splitter {
	return &Splitter{dict: d, MinWord: 7, MinPart: 3}
}

// Linking elements (Fugenelemente) that may join a non-final part to the
// next, longest first so "es" is tried before "s".
var linkers = []string{"ens", "ns", "es", "en", "er", "s", "n", "e"}

// Endings a final part may carry beyond its lexicon form (plural and case).
var endings = []string{"ern", "en", "er", "es", "e", "n", "s"}

// Split returns the parts of the lower-case word w, or nil when w is not a
// compound of lexicon words (or must not be split). Among all splits it
// takes the one with the fewest parts, then the one with the longest parts;
// parts are themselves split again, so "datenschutzkonferenz" gives
// datenschutz, konferenz, daten and schutz.
func (s *Splitter) Split(w string) []Part {
	// The longest German words in use have about 40 letters; longer runs
	// of letters are not words (and the split search grows steeply with
	// length: 800 letters took 50 ms).
	if n := utf8.RuneCountInString(w); n < s.MinWord || n > maxSplitLen || !isLetters(w) {
		return nil
	}
	if v, ok := s.cache.Load(w); ok {
		return v.([]Part)
	}
	parts := s.split(w)
	if s.cacheN.Add(1) > maxCached {
		s.cache.Clear()
		s.cacheN.Store(0)
	}
	s.cache.Store(w, parts)
	return parts
}

// maxSplitLen is the longest word, in letters, that is split.
const maxSplitLen = 64

// maxCached bounds the split cache (about 100 bytes an entry).
const maxCached = 200_000

func (s *Splitter) split(w string) []Part {
	if s.dict.isNoSplit(w) {
		return nil
	}
	// Inflected forms of protected words stay whole too ("Hochwassers").
	for _, e := range endings {
		if stem, ok := strings.CutSuffix(w, e); ok && s.dict.isNoSplit(stem) {
			return nil
		}
	}
	top := s.best(w)
	if len(top) < 2 {
		return nil
	}
	out := append([]Part(nil), top...)
	for _, p := range top {
		for _, sub := range s.Split(p.Text) {
			out = append(out, Part{Text: sub.Text, Start: p.Start + sub.Start, End: p.Start + sub.End})
		}
	}
	return out
}

// best finds the best split of w into lexicon parts by dynamic programming
// over byte offsets (at rune boundaries).
func (s *Splitter) best(w string) []Part {
	type cell struct {
		ok    bool
		parts []Part
		score int // sum of squared part lengths: prefers long parts
	}
	n := len(w)
	best := make([]cell, n+1)
	best[n] = cell{ok: true}
	// Rune boundaries, so parts never cut a multi-byte letter.
	var bounds []int
	for i := range w {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, n)
	runeLen := func(a, b int) int { return utf8.RuneCountInString(w[a:b]) }

	for bi := len(bounds) - 2; bi >= 0; bi-- {
		i := bounds[bi]
		for bj := bi + 1; bj < len(bounds); bj++ {
			j := bounds[bj]
			if runeLen(i, j) < s.MinPart || !best[j].ok || (i == 0 && j == n) {
				continue // the whole word is not a split of itself
			}
			seg := w[i:j]
			text, ok := "", false
			if j == n {
				text, ok = s.finalPart(seg)
			} else {
				text, ok = s.innerPart(seg)
			}
			if !ok {
				continue
			}
			l := runeLen(i, j)
			cand := cell{ok: true, parts: append([]Part{{Text: text, Start: i, End: j}}, best[j].parts...), score: l*l + best[j].score}
			cur := best[i]
			if !cur.ok || len(cand.parts) < len(cur.parts) || (len(cand.parts) == len(cur.parts) && cand.score > cur.score) {
				best[i] = cand
			}
		}
	}
	return best[0].parts
}

// innerPart accepts a non-final segment: a lexicon word, or one followed by
// a linking element.
func (s *Splitter) innerPart(seg string) (string, bool) {
	if s.dict.isPart(seg) {
		return seg, true
	}
	for _, l := range linkers {
		if stem, ok := strings.CutSuffix(seg, l); ok && utf8.RuneCountInString(stem) >= s.MinPart && s.dict.isPart(stem) {
			return stem, true
		}
	}
	return "", false
}

// finalPart accepts the last segment: a lexicon word, possibly inflected.
func (s *Splitter) finalPart(seg string) (string, bool) {
	if s.dict.isPart(seg) {
		return seg, true
	}
	for _, e := range endings {
		if stem, ok := strings.CutSuffix(seg, e); ok && utf8.RuneCountInString(stem) >= s.MinPart && s.dict.isPart(stem) {
			return seg, true // keep the inflected form; the stemmer handles it
		}
	}
	// Umlaut plurals: "stätten" has lexicon form "stätte", "räte" has "rat".
	return "", false
}

func isLetters(w string) bool {
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r == 'ä' || r == 'ö' || r == 'ü' || r == 'ß') {
			return false
		}
	}
	return true
}
