package pdftext

import (
	"bytes"
	"strconv"
)

// keyword and name are the bare words and /Names of the lexer.
type (
	keyword string
	name    string
)

// lexer reads the few PDF objects checkStructure needs: integers, names,
// keywords, strings (skipped), arrays and dictionaries. It never fails;
// at the end of data it returns nil.
type lexer struct {
	data  []byte
	pos   int
	depth int
}

// token returns the next keyword as a string, or "" for anything else.
func (p *lexer) token() string {
	k, _ := p.value().(keyword)
	return string(k)
}

func (p *lexer) value() any {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil
	}
	c := p.data[p.pos]
	switch {
	case c == '/':
		p.pos++
		return name(p.word())
	case c == '<' && p.peek(1) == '<':
		p.pos += 2
		return p.dict()
	case c == '>' && p.peek(1) == '>':
		p.pos += 2
		return keyword(">>")
	case c == '<':
		p.skipUntil('>')
		return ""
	case c == '(':
		p.skipString()
		return ""
	case c == '[':
		p.pos++
		return p.array()
	case c == ']':
		p.pos++
		return keyword("]")
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		w := p.word()
		if n, err := strconv.ParseInt(w, 10, 64); err == nil {
			return n
		}
		return keyword(w)
	}
	if w := p.word(); w != "" {
		return keyword(w)
	}
	p.pos++ // a stray delimiter
	return keyword("")
}

func (p *lexer) dict() any {
	d := make(map[string]any)
	if p.depth++; p.depth > 32 {
		return d
	}
	defer func() { p.depth-- }()
	for p.pos < len(p.data) {
		k := p.value()
		if k == keyword(">>") || k == nil {
			break
		}
		if n, ok := k.(name); ok {
			d[string(n)] = p.value()
		}
	}
	// "N G R" references are read as three values; that is enough here,
	// where only direct values matter.
	return d
}

func (p *lexer) array() any {
	var a []any
	if p.depth++; p.depth > 32 {
		return a
	}
	defer func() { p.depth-- }()
	for p.pos < len(p.data) {
		v := p.value()
		if v == keyword("]") || v == nil {
			break
		}
		a = append(a, v)
	}
	return a
}

func (p *lexer) peek(n int) byte {
	if p.pos+n < len(p.data) {
		return p.data[p.pos+n]
	}
	return 0
}

func (p *lexer) skipSpace() {
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == '%':
			for p.pos < len(p.data) && p.data[p.pos] != '\n' && p.data[p.pos] != '\r' {
				p.pos++
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0:
			p.pos++
		default:
			return
		}
	}
}

func (p *lexer) word() string {
	start := p.pos
	for p.pos < len(p.data) && !bytes.ContainsRune([]byte(" \t\r\n\f\x00()<>[]{}/%"), rune(p.data[p.pos])) {
		p.pos++
	}
	return string(p.data[start:p.pos])
}

func (p *lexer) skipUntil(c byte) {
	if i := bytes.IndexByte(p.data[p.pos:], c); i >= 0 {
		p.pos += i + 1
	} else {
		p.pos = len(p.data)
	}
}

func (p *lexer) skipString() {
	depth := 0
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		p.pos++
		switch c {
		case '\\':
			p.pos++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return
			}
		}
	}
}
