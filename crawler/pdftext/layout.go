package pdftext

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// line is a run of fragments on one baseline.
type line struct {
	x0, x1, y float64
	size      float64
	text      string
}

// buildLines groups fragments, in drawing order, into lines. A fragment
// continues the current line when it sits on the same baseline and does
// not jump back to the left; a space is inserted where the gap between two
// fragments is wider than a letter's kerning.
func buildLines(frags []fragment) []line {
	var lines []line
	var b strings.Builder
	var cur line
	flush := func() {
		cur.text = normalizeLine(b.String())
		if cur.text != "" {
			lines = append(lines, cur)
		}
		b.Reset()
	}
	for i, f := range frags {
		size := max(f.size, 1)
		if i > 0 {
			em := max(size, cur.size)
			sameLine := math.Abs(f.y-cur.y) <= 0.4*em && f.x0 >= cur.x1-em
			if sameLine {
				if f.x0-cur.x1 > 0.15*em && !endsWithSpace(b.String()) && !startsWithSpace(f.text) {
					b.WriteByte(' ')
				}
				b.WriteString(f.text)
				cur.x1 = max(cur.x1, f.x1)
				cur.size = max(cur.size, size)
				continue
			}
			flush()
		}
		cur = line{x0: f.x0, x1: f.x1, y: f.y, size: size}
		b.WriteString(f.text)
	}
	if len(frags) > 0 {
		flush()
	}
	return lines
}

func endsWithSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r)
}

func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// paragraph is the lines of one paragraph of one page.
type paragraph struct {
	page  int
	lines []string
}

// paragraphs splits the lines of one page into paragraphs. It breaks where
// the vertical gap is clearly wider than the page's usual line spacing,
// where the font size changes (a heading), where the text moves up (a new
// column or a footnote drawn out of order) and after a short line that ends
// a sentence (documents that mark paragraphs without extra spacing).
func paragraphs(lines []line, page int) []paragraph {
	if len(lines) == 0 {
		return nil
	}
	leading := usualLeading(lines)
	right := 0.0
	for _, l := range lines {
		right = max(right, l.x1)
	}
	var out []paragraph
	cur := paragraph{page: page}
	for i, l := range lines {
		if i > 0 && breaksParagraph(lines[i-1], l, leading, right) {
			out = append(out, cur)
			cur = paragraph{page: page}
		}
		cur.lines = append(cur.lines, l.text)
	}
	return append(out, cur)
}

func breaksParagraph(prev, cur line, leading, right float64) bool {
	size := max(prev.size, cur.size)
	if math.Abs(prev.size-cur.size) > 0.12*size {
		return true
	}
	dy := prev.y - cur.y
	if dy <= 0.2*size || dy/size > leading*1.3 {
		return true
	}
	return endsSentence(prev.text) && prev.x1 < right-3*size
}

// usualLeading returns the most common ratio of baseline distance to font
// size between neighbouring lines of the same size, 1.2 when the page has
// too few lines to tell.
func usualLeading(lines []line) float64 {
	counts := make(map[int]int)
	best, bestN := 24, 0 // in twentieths: 24/20 = 1.2
	for i := 1; i < len(lines); i++ {
		a, b := lines[i-1], lines[i]
		if math.Abs(a.size-b.size) > 0.12*max(a.size, b.size) {
			continue
		}
		r := (a.y - b.y) / max(a.size, b.size)
		if r < 0.5 || r > 3 {
			continue
		}
		k := int(math.Round(r * 20))
		counts[k]++
		if n := counts[k]; n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	return float64(best) / 20
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:“\"", r)
}

// text joins the lines of a paragraph. A line that ends with a hyphen
// after a letter is joined without a space: the hyphen is dropped when the
// next line goes on in lower case ("Verwal-" "tung"), and kept before a
// capital or digit ("KI-" "Verordnung") and before a conjunction, where
// it marks an elided word ("Landes-" "und Kommunalbehörden").
func (p paragraph) text() string {
	var b strings.Builder
	for i, l := range p.lines {
		if i == 0 {
			b.WriteString(l)
			continue
		}
		prev := b.String()
		last, n := utf8.DecodeLastRuneInString(prev)
		before, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-n])
		first, _ := utf8.DecodeRuneInString(l)
		switch {
		case last == '\u00AD':
			b.Reset()
			b.WriteString(prev[:len(prev)-n])
		case (last == '-' || last == '\u2010') && unicode.IsLetter(before):
			switch {
			case unicode.IsLower(first) && !elisionWords[firstWord(l)]:
				b.Reset()
				b.WriteString(prev[:len(prev)-n])
			case unicode.IsUpper(first) || unicode.IsDigit(first):
			default:
				b.WriteByte(' ')
			}
		default:
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	// A soft hyphen inside a line is only a hyphenation point.
	return strings.ReplaceAll(b.String(), "\u00AD", "")
}

// elisionWords follow a hyphen that stands for an elided word part
// ("Landes- und Kommunalbehörden", "Ein- bzw. Ausgang").
var elisionWords = map[string]bool{
	"und": true, "oder": true, "bzw.": true, "sowie": true, "bis": true,
	"als": true, "wie": true, "noch": true, "statt": true,
}

func firstWord(s string) string {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i]
	}
	return s
}

// ligatures are the presentation forms some producers draw instead of
// two or three letters; searching needs the letters.
var ligatures = strings.NewReplacer(
	"\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi",
	"\uFB04", "ffl", "\uFB05", "st", "\uFB06", "st",
)

// normalizeLine replaces ligatures, turns every kind of space into one
// blank, and drops control characters and the replacement character that
// stands for codes without a Unicode mapping.
func normalizeLine(s string) string {
	s = ligatures.Replace(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '\uFFFD' || unicode.IsControl(r) || r == '\u200B' || r == '\uFEFF':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// joinParagraphs returns the text of all paragraphs, separated by blank
// lines.
func joinParagraphs(paras []paragraph) string {
	texts := make([]string, 0, len(paras))
	for _, p := range paras {
		if t := p.text(); t != "" {
			texts = append(texts, t)
		}
	}
	return strings.Join(texts, "\n\n")
}

// firstLine is the first line of text, shortened for use as a title.
func firstLine(paras []paragraph) string {
	for _, p := range paras {
		for _, l := range p.lines {
			if l = strings.TrimSpace(l); l != "" {
				return truncateRunes(l, maxTitleRunes)
			}
		}
	}
	return ""
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n])) + "…"
}
