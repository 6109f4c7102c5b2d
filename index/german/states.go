package german

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The 16 Länder and the words that say a text is about one of them: the
// name, its adjective (any inflection, matched by prefix) and the usual
// forms of address ("Land Berlin", "Freistaat Bayern", "Hansestadt
// Hamburg"). Names are matched as whole words, so "Sachsen" does not match
// in "Niedersachsen" and "Sachsen-Anhalt" is not also Sachsen.
var stateWords = []struct {
	state      string
	names      []string // whole words or hyphenated word sequences
	adjectives []string // prefixes of inflected adjectives, lower case
}{
	{"Baden-Württemberg", []string{"baden-württemberg"}, []string{"baden-württembergisch"}},
	{"Bayern", []string{"bayern"}, []string{"bayerisch"}},
	{"Berlin", []string{"berlin"}, []string{"berliner"}},
	{"Brandenburg", []string{"brandenburg"}, []string{"brandenburgisch"}},
	{"Bremen", []string{"bremen"}, []string{"bremisch"}},
	{"Hamburg", []string{"hamburg"}, []string{"hamburgisch"}},
	{"Hessen", []string{"hessen"}, []string{"hessisch"}},
	{"Mecklenburg-Vorpommern", []string{"mecklenburg-vorpommern"}, []string{"mecklenburg-vorpommersch", "mecklenburgisch"}},
	{"Niedersachsen", []string{"niedersachsen"}, []string{"niedersächsisch"}},
	{"Nordrhein-Westfalen", []string{"nordrhein-westfalen", "nrw"}, []string{"nordrhein-westfälisch"}},
	{"Rheinland-Pfalz", []string{"rheinland-pfalz"}, []string{"rheinland-pfälzisch"}},
	{"Saarland", []string{"saarland"}, []string{"saarländisch"}},
	{"Sachsen", []string{"sachsen"}, []string{"sächsisch"}},
	{"Sachsen-Anhalt", []string{"sachsen-anhalt"}, []string{"sachsen-anhaltisch"}},
	{"Schleswig-Holstein", []string{"schleswig-holstein"}, []string{"schleswig-holsteinisch"}},
	{"Thüringen", []string{"thüringen"}, []string{"thüringisch"}},
}

// States returns the Länder that text mentions by name or adjective, in
// the order of stateWords. Hyphenated state names are matched before
// their parts, so "Sachsen-Anhalt" does not count as Sachsen and
// "niedersächsisch" not as sächsisch.
//
// A word is a run of letters and hyphens, hyphens trimmed off its ends,
// compared in lower case. Indexing calls this for every document, so it
// scans the text once, without lower-casing or splitting it first, and
// looks only at words whose first letter begins some state's name or
// adjective.
func States(text string) []string {
	var found uint32 // bit i: stateWords[i]
	var buf [64]byte // a lower-cased word, on the stack unless longer
	for i := 0; i < len(text); {
		start, end := nextStateWord(text, i)
		i = end
		w := trimHyphens(text[start:end])
		if w == "" || len(statePatterns[lowerInitial(w)]) == 0 {
			continue
		}
		found |= matchStates(appendLower(buf[:0], w))
	}
	out := make([]string, 0, bits.OnesCount32(found))
	for i, sw := range stateWords {
		if found&(1<<i) != 0 {
			out = append(out, sw.state)
		}
	}
	return out
}

// statePattern is a name or an adjective prefix of the Land stateWords[state].
type statePattern struct {
	text  string
	state int
	name  bool
}

// statePatterns lists the patterns by their first byte, an ASCII letter,
// so a word is compared with the few patterns that can match it.
var statePatterns = func() (idx [utf8.RuneSelf][]statePattern) {
	if len(stateWords) > 32 {
		panic("german: more Länder than bits in States' set")
	}
	for i, sw := range stateWords {
		add := func(text string, name bool) {
			if text == "" || text[0] >= utf8.RuneSelf || text != strings.ToLower(text) {
				panic("german: state pattern " + text + " is not lower case beginning with ASCII")
			}
			idx[text[0]] = append(idx[text[0]], statePattern{text: text, state: i, name: name})
		}
		for _, n := range sw.names {
			add(n, true)
		}
		for _, a := range sw.adjectives {
			add(a, false)
		}
	}
	return idx
}()

// nextStateWord returns the bounds of the first word at or after i; start
// == end == len(text) when none is left. Invalid UTF-8 separates words,
// as the replacement character strings.ToLower turns it into does.
func nextStateWord(text string, i int) (start, end int) {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiWordByte[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordLetter(r) {
			break
		}
		i += n
	}
	start = i
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !asciiWordByte[c] {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordLetter(r) {
			break
		}
		i += n
	}
	return start, i
}

// asciiWordByte marks the ASCII bytes words consist of: letters and '-'.
var asciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-'
	}
	return t
}()

// isWordLetter reports whether the non-ASCII rune r belongs to a word.
// Lower-casing never turns a letter into a non-letter or back (see
// TestLowerKeepsLetters), so the rune as written decides.
func isWordLetter(r rune) bool { return unicode.IsLetter(r) }

func trimHyphens(w string) string {
	for len(w) > 0 && w[0] == '-' {
		w = w[1:]
	}
	for len(w) > 0 && w[len(w)-1] == '-' {
		w = w[:len(w)-1]
	}
	return w
}

// lowerInitial returns the first byte of w in lower case, or 0 when that
// is not ASCII (no pattern begins so).
func lowerInitial(w string) byte {
	c := w[0]
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(w)
		if l := unicode.ToLower(r); l < utf8.RuneSelf {
			return byte(l)
		}
		return 0
	}
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// appendLower appends w lower-cased rune by rune, as strings.ToLower does.
func appendLower(dst []byte, w string) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n
	}
	return dst
}

// matchStates returns the bits of the Länder the lower-case word w names.
// A name matches the whole word or the part before a hyphen ("brandenburg"
// or "brandenburg-weit", "nrw-kommunen", but not "neubrandenburg"), an
// adjective any word it begins; neither when w begins with a longer state
// name ("sachsen" is not matched in "sachsen-anhalt").
func matchStates(w []byte) uint32 {
	var found uint32
	patterns := statePatterns[w[0]]
	for _, p := range patterns {
		n := len(p.text)
		if len(w) < n || string(w[:n]) != p.text {
			continue
		}
		if p.name && len(w) > n && w[n] != '-' {
			continue
		}
		if len(w) > n && longerStateName(w, n, patterns) {
			continue
		}
		found |= 1 << p.state
	}
	return found
}

// longerStateName reports whether w starts with a state name longer than
// n bytes; patterns are those with w's initial.
func longerStateName(w []byte, n int, patterns []statePattern) bool {
	for _, p := range patterns {
		if p.name && len(p.text) > n && len(w) >= len(p.text) && string(w[:len(p.text)]) == p.text {
			return true
		}
	}
	return false
}

// StateNames lists the 16 Länder in their official spelling.
func StateNames() []string {
	out := make([]string, len(stateWords))
	for i, sw := range stateWords {
		out[i] = sw.state
	}
	return out
}
