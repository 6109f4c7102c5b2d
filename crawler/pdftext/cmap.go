package pdftext

import (
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// cmap is a parsed ToUnicode CMap. We parse it ourselves instead of using
// the library's, because the library increments only the last byte of a
// bfrange destination: producers such as fpdf map <0000>…<FFFF> in one
// range, and the library then turns „ (U+201E) into U+001E.
type cmap struct {
	space  [4][][2]string // codespace ranges by code length - 1
	chars  map[string][]rune
	ranges []bfRange
}

type bfRange struct {
	lo, hi uint32
	n      int      // code length in bytes
	dst    []rune   // destination of lo; the last rune counts up
	list   [][]rune // or one destination per code
}

// readCMap parses a ToUnicode stream; it returns nil when nothing usable
// is in it. anyDict is any dictionary value of the file: see findresource.
func readCMap(stream, anyDict pdf.Value) *cmap {
	m := &cmap{chars: make(map[string][]rune)}
	pdf.Interpret(stream, func(stk *pdf.Stack, op string) {
		switch op {
		case "findresource":
			popArgs(stk)
			// "/CIDInit /ProcSet findresource begin" must leave a
			// dictionary for Interpret's own "begin"; a Value of kind
			// Dict cannot be made outside the library, so we lend it one
			// of the file's dictionaries (a fresh copy: resolve parses
			// objects anew on every access).
			stk.Push(anyDict)
		case "defineresource":
			popArgs(stk)
			stk.Push(anyDict) // for the "pop" that follows
		case "endcodespacerange":
			args := popArgs(stk)
			for i := 0; i+1 < len(args); i += 2 {
				lo, hi := args[i].RawString(), args[i+1].RawString()
				if n := len(lo); n >= 1 && n <= 4 && len(hi) == n {
					m.space[n-1] = append(m.space[n-1], [2]string{lo, hi})
				}
			}
		case "endbfchar":
			args := popArgs(stk)
			for i := 0; i+1 < len(args) && len(m.chars) < maxCMapChars; i += 2 {
				m.chars[args[i].RawString()] = utf16Runes(args[i+1].RawString())
			}
		case "endbfrange":
			args := popArgs(stk)
			for i := 0; i+2 < len(args) && len(m.ranges) < maxCMapRanges; i += 3 {
				lo, hi := args[i].RawString(), args[i+1].RawString()
				if len(lo) == 0 || len(lo) > 4 || len(hi) != len(lo) {
					continue
				}
				r := bfRange{lo: codeValue(lo), hi: codeValue(hi), n: len(lo)}
				dst := args[i+2]
				switch dst.Kind() {
				case pdf.String:
					r.dst = utf16Runes(dst.RawString())
				case pdf.Array:
					for j := 0; j < min(dst.Len(), maxWidths); j++ {
						r.list = append(r.list, utf16Runes(dst.Index(j).RawString()))
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
			}
		case "begincodespacerange", "beginbfchar", "beginbfrange":
			popArgs(stk) // the entry count; we count pairs ourselves
		}
	})
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	return m
}

func codeValue(s string) uint32 {
	var v uint32
	for i := 0; i < len(s); i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

func utf16Runes(s string) []rune {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return utf16.Decode(u)
}

// decode maps the codes in raw to text. Code lengths come from the
// codespace ranges; without them, from the font type (defLen).
func (m *cmap) decode(raw string, defLen int) string {
	var b strings.Builder
	for len(raw) > 0 {
		n := m.codeLen(raw, defLen)
		code := raw[:n]
		raw = raw[n:]
		if rs, ok := m.chars[code]; ok {
			b.WriteString(string(rs))
			continue
		}
		if rs, ok := m.lookupRange(code); ok {
			b.WriteString(string(rs))
			continue
		}
		b.WriteRune('\uFFFD')
	}
	return b.String()
}

func (m *cmap) codeLen(raw string, defLen int) int {
	for n := 1; n <= 4 && n <= len(raw); n++ {
		for _, sp := range m.space[n-1] {
			if sp[0] <= raw[:n] && raw[:n] <= sp[1] {
				return n
			}
		}
	}
	return min(defLen, len(raw))
}

func (m *cmap) lookupRange(code string) ([]rune, bool) {
	v := codeValue(code)
	for _, r := range m.ranges {
		if r.n != len(code) || v < r.lo || v > r.hi {
			continue
		}
		off := v - r.lo
		if r.list != nil {
			if int(off) < len(r.list) {
				return r.list[off], true
			}
			return nil, false
		}
		if len(r.dst) == 0 {
			return nil, false
		}
		out := append([]rune(nil), r.dst...)
		out[len(out)-1] += rune(off)
		return out, true
	}
	return nil, false
}
