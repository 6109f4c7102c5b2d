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
