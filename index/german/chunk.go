package german

import (
	"unicode"
	"unicode/utf8"
)

// Chunking for the cached analyzer: the text is cut at whitespace into
// chunks that the analysis chain handles independently of each other.
//
// This holds because Unicode word segmentation (UAX #29) never continues a
// word across whitespace and the hyphen tokenizer joins only words that
// touch one hyphen. One exception is handled here: a combining mark or a
// format character right after whitespace (WB4) belongs to the whitespace's
// segment; alone at the start of a chunk it would begin a segment of its
// own and might change the words after it. Such a chunk is not cut from the
// text before it. TestChunkWhitespace checks every whitespace rune next to
// marks, format characters, modifiers and a sample of all other runes;
// FuzzCachedAnalyzerEquivalence checks whole texts.
//
// Text that is not valid UTF-8 is not chunked at all (see Analyze): the
// segmenter gives up at some invalid bytes, depending on what precedes
// them ("abc \xff def" yields only "abc", "\xff abc" yields "abc"), and
// every word after that point is lost, which no chunking reproduces.

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

// isChunkSpace reports whether r separates chunks: Unicode white space
// (unicode.IsSpace), including the no-break spaces, which segmentation
// treats like any other separator between words.
func isChunkSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiSpace[r]
	}
	return unicode.IsSpace(r)
}

// spaceAt returns the length of the whitespace rune at input[i], or 0 when
// there is none (invalid UTF-8 is not whitespace).
func spaceAt(input []byte, i int) int {
	if c := input[i]; c < utf8.RuneSelf {
		if asciiSpace[c] {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRune(input[i:])
	if r != utf8.RuneError && isChunkSpace(r) {
		return n
	}
	return 0
}

// skipSpace returns the index of the first non-whitespace byte at or after i.
func skipSpace(input []byte, i int) int {
	for i < len(input) {
		n := spaceAt(input, i)
		if n == 0 {
			break
		}
		i += n
	}
	return i
}

// skipWord returns the index of the first whitespace rune at or after i.
func skipWord(input []byte, i int) int {
	for i < len(input) {
		if c := input[i]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				break
			}
			i++
			continue
		}
		if spaceAt(input, i) > 0 {
			break
		}
		_, n := utf8.DecodeRune(input[i:])
		i += n
	}
	return i
}

// gluesToSpace reports whether the rune at input[i] would join the
// whitespace before it into one segment (UAX #29 WB4: Extend, Format and
// ZWJ attach to what precedes them). The test is wider than the Unicode
// property on purpose: a chunk not cut is still analysed correctly, only
// cached less well.
func gluesToSpace(input []byte, i int) bool {
	c := input[i]
	if c < utf8.RuneSelf {
		return false
	}
	r, _ := utf8.DecodeRune(input[i:])
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf, unicode.Sk, unicode.Lm,
		unicode.Other_Grapheme_Extend, unicode.Variation_Selector)
}

// nextChunk returns the bounds of the first chunk at or after i (the end of
// the previous chunk, or 0); start == len(input) when no chunk is left.
// Whitespace between chunks belongs to none of them, unless a chunk starts
// with a rune that glues to the whitespace before it: then the chunk spans
// that whitespace and extends the previous one.
func nextChunk(input []byte, i int) (start, end int) {
	start = skipSpace(input, i)
	if start == len(input) {
		return start, start
	}
	if gluesToSpace(input, start) {
		start = i // only at the beginning of the text, see below
	}
	end = start
	for {
		end = skipWord(input, end)
		next := skipSpace(input, end)
		if next == len(input) || !gluesToSpace(input, next) {
			return start, end
		}
		end = next
	}
}

// Punctuation at the edges of a chunk ("Zwillinge," "(Zwillinge"
// "„Zwillinge“") is cut off before the cache lookup, so that a word and
// the marks around it are one cache entry, not one per mark. That is exact
// because the cut runes never become tokens nor part of one: segmentation
// (UAX #29) puts them in segments of their own, which the tokenizer skips
// without counting a position. Those that can sit inside a word or number
// ("z.B", "3,5", "geht’s", "1.000", "KI-Verordnung") do so only between
// two letters or digits, which a chunk's edge never is, and the hyphen
// tokenizer joins two tokens only across a hyphen between them. Never cut:
// '_' and its kin (ExtendNumLet joins words at either end), and the
// apostrophe after a non-ASCII rune (WB7a makes it part of a Hebrew
// word: "א'"). A cut prefix followed by a mark or format character stays:
// the mark belongs to the rune before it (WB4), and alone at the start of
// the chunk it might begin a token (U+302E does).
// TestTrimChunkRunes checks every cut rune on both edges next to a wide
// sample of runes; FuzzCachedAnalyzerEquivalence checks whole texts.

// edgePunctASCII marks the ASCII runes cut from chunk edges: all
// punctuation and symbols but '_'.
var edgePunctASCII = func() (t [utf8.RuneSelf]bool) {
	for _, c := range []byte("!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~") {
		t[c] = true
	}
	return t
}()

// isEdgePunct reports whether r is cut from chunk edges. Beyond ASCII,
// the quotation marks, dashes and signs of German text.
func isEdgePunct(r rune) bool {
	if r < utf8.RuneSelf {
		return edgePunctASCII[r]
	}
	switch r {
	case '¡', '§', '«', '°', '»', '¿',
		'‐', '‑', '‒', '–', '—', '―', // hyphen and dashes U+2010–2015
		'‘', '’', '‚', '‛', '“', '”', '„', '‟', // quotation marks U+2018–201F
		'†', '‡', '•', '…', '‰', '′', '″', '‹', '›', '€':
		return true
	}
	return false
}

// keptASCII marks the bytes that are ASCII and not cut from chunk edges.
var keptASCII = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = !edgePunctASCII[c]
	}
	return t
}()

// trimChunk returns the bounds of chunk without the punctuation at its
// edges; lo == hi when nothing else is left.
func trimChunk(chunk []byte) (lo, hi int) {
	hi = len(chunk)
	if hi == 0 || keptASCII[chunk[0]] && keptASCII[chunk[hi-1]] {
		return 0, hi // most chunks: an ASCII letter or digit at each end
	}
	for lo < hi {
		r, n := rune(chunk[lo]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(chunk[lo:])
		}
		if !isEdgePunct(r) {
			break
		}
		lo += n
	}
	if lo == hi {
		return lo, lo
	}
	if lo > 0 && gluesToSpace(chunk, lo) {
		lo = 0 // keep the mark with the rune before it
	}
	for hi > lo {
		r, n := rune(chunk[hi-1]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeLastRune(chunk[:hi])
		}
		if !isEdgePunct(r) || r == '\'' && hi-2 >= lo && chunk[hi-2] >= utf8.RuneSelf {
			break
		}
		hi -= n
	}
	return lo, hi
}
