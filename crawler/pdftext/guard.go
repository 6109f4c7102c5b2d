package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// maxObjects caps the object numbers a cross-reference section may
// declare. The library allocates its xref table up front from them, and
// an allocation of terabytes is not a panic but a fatal "out of memory".
const maxObjects = 4 << 20

// maxXrefSections caps the /Prev chain of incremental updates.
const maxXrefSections = 1000

// checkStructure looks at the cross-reference sections the way the
// library will read them, before it does, and rejects files that would
// crash or hang the library rather than make it panic:
//   - a /Prev chain that loops (the library follows it forever),
//   - object numbers so large that the library's xref table cannot be
//     allocated (a fatal error, not a panic),
//   - an object stream that lies inside an object stream: resolving it
//     recurses, for a cycle without end, and a stack overflow kills the
//     process,
//   - an object stream that claims more objects than exist (/N), or whose
//     /Extends chain loops: the library searches it forever.
//
// Anything it cannot read it leaves to the library, which then fails on
// its own; the check only has to be right for files the library accepts.
func checkStructure(data []byte) error {
	off, ok := startXref(data)
	if !ok {
		return nil
	}
	x := &xrefs{
		kinds:    make(map[int64]int64),
		offsets:  make(map[int64]int64),
		inStream: make(map[int64]int64),
	}
	seen := make(map[int64]bool)
	for range maxXrefSections {
		if off < 0 || off >= int64(len(data)) {
			return nil
		}
		if seen[off] {
			return errors.New("cross-reference /Prev chain loops")
		}
		seen[off] = true
		p := &lexer{data: data, pos: int(off)}
		var prev any
		var err error
		if tok := p.token(); tok == "xref" {
			prev, err = p.xrefTable(x)
		} else {
			p.pos = int(off)
			prev, err = p.xrefStream(x)
		}
		if err != nil {
			return err
		}
		next, ok := prev.(int64)
		if !ok {
			break
		}
		off = next
	}
	if len(seen) >= maxXrefSections {
		return errors.New("too many cross-reference sections")
	}
	return x.checkObjectStreams(data)
}

// xrefs is what checkStructure collects from the cross-reference sections.
// As in the library, the newest section wins for an object number.
type xrefs struct {
	kinds    map[int64]int64 // object number → entry type (0 free, 1 offset, 2 in object stream)
	offsets  map[int64]int64 // type 1: byte offset
	inStream map[int64]int64 // type 2: number of the object stream
}

func (x *xrefs) add(obj, typ, field int64) {
	if _, ok := x.kinds[obj]; ok {
		return
	}
	x.kinds[obj] = typ
	switch typ {
	case 1:
		x.offsets[obj] = field
	case 2:
		x.inStream[obj] = field
	}
}

// checkObjectStreams checks every object stream that holds an object.
func (x *xrefs) checkObjectStreams(data []byte) error {
	checked := make(map[int64]bool)
	for obj, strm := range x.inStream {
		for steps := 0; !checked[strm]; steps++ {
			checked[strm] = true
			if x.kinds[strm] == 2 {
				return fmt.Errorf("object stream %d holding object %d lies in an object stream itself", strm, obj)
			}
			off, ok := x.offsets[strm]
			if !ok || off < 0 || off >= int64(len(data)) || steps > maxXrefSections {
				break
			}
			p := &lexer{data: data, pos: int(off)}
			p.value() // number
			p.value() // generation
			if p.value() != keyword("obj") {
				break
			}
			hdr, _ := p.value().(map[string]any)
			if n, _ := hdr["N"].(int64); n > maxObjects {
				return fmt.Errorf("object stream %d claims %d objects", strm, n)
			}
			// An /Extends reference reads as its object number here.
			ext, ok := hdr["Extends"].(int64)
			if !ok {
				break
			}
			if checked[ext] {
				return fmt.Errorf("object stream %d extends a stream already seen", strm)
			}
			strm = ext
		}
	}
	return nil
}

// startXref finds the offset after the last "startxref", as the library
// does, in the last 100 bytes.
func startXref(data []byte) (int64, bool) {
	tail := data[max(0, len(data)-100):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return 0, false
	}
	p := &lexer{data: tail, pos: i + len("startxref")}
	off, ok := p.value().(int64)
	return off, ok
}

// xrefTable reads a classic table after its "xref" keyword and returns
// the trailer's /Prev.
func (p *lexer) xrefTable(x *xrefs) (any, error) {
	for {
		tok := p.value()
		if tok == keyword("trailer") {
			break
		}
		start, ok1 := tok.(int64)
		n, ok2 := p.value().(int64)
		if !ok1 || !ok2 || start < 0 || n < 0 {
			return nil, nil // malformed: the library reports it
		}
		if start+n > maxObjects {
			return nil, fmt.Errorf("xref table declares object %d", start+n)
		}
		for i := range n {
			off, _ := p.value().(int64)
			p.value() // generation
			if p.value() == keyword("n") {
				x.add(start+i, 1, off)
			}
			if p.pos >= len(p.data) {
				return nil, nil
			}
		}
	}
	trailer, _ := p.value().(map[string]any)
	return trailer["Prev"], nil
}

// xrefStream reads a cross-reference stream object and returns its /Prev.
func (p *lexer) xrefStream(x *xrefs) (any, error) {
	if _, ok := p.value().(int64); !ok {
		return nil, nil
	}
	p.value() // generation
	if p.value() != keyword("obj") {
		return nil, nil
	}
	hdr, ok := p.value().(map[string]any)
	if !ok || hdr["Type"] != name("XRef") || p.value() != keyword("stream") {
		return nil, nil
	}
	size, _ := hdr["Size"].(int64)
	if size > maxObjects {
		return nil, fmt.Errorf("xref stream declares %d objects", size)
	}
	index := []any{int64(0), size}
	if ix, ok := hdr["Index"].([]any); ok {
		index = ix
	}
	var w []int64
	ws, _ := hdr["W"].([]any)
	for _, x := range ws {
		v, _ := x.(int64)
		if v < 0 || v > 8 {
			return nil, nil
		}
		w = append(w, v)
	}
	if len(w) < 3 {
		return nil, nil
	}
	var total int64
	for i := 0; i+1 < len(index); i += 2 {
		start, _ := index[i].(int64)
		n, _ := index[i+1].(int64)
		if start < 0 || n < 0 || start+n > maxObjects {
			return nil, fmt.Errorf("xref stream declares object %d", start+n)
		}
		total += n
	}
	raw, ok := p.streamData(hdr)
	if !ok {
		return hdr["Prev"], nil
	}
	rowLen := w[0] + w[1] + w[2]
	rows, ok := decodeXrefData(raw, hdr, total*rowLen)
	if !ok {
		return hdr["Prev"], nil
	}
	for i := 0; i+1 < len(index); i += 2 {
		start, _ := index[i].(int64)
		n, _ := index[i+1].(int64)
		for j := range n {
			if int64(len(rows)) < rowLen {
				return hdr["Prev"], nil
			}
			row := rows[:rowLen]
			rows = rows[rowLen:]
			typ := int64(1)
			if w[0] > 0 {
				typ = beInt(row[:w[0]])
			}
			x.add(start+j, typ, beInt(row[w[0]:w[0]+w[1]]))
		}
	}
	return hdr["Prev"], nil
}

// streamData returns the raw bytes of the stream whose keyword p has just
// read; like the library, only a direct /Length counts.
func (p *lexer) streamData(hdr map[string]any) ([]byte, bool) {
	n, ok := hdr["Length"].(int64)
	if !ok || n <= 0 {
		return nil, false
	}
	pos := p.pos
	if pos < len(p.data) && p.data[pos] == '\r' {
		pos++
	}
	if pos < len(p.data) && p.data[pos] == '\n' {
		pos++
	}
	if int64(len(p.data)-pos) < n {
		return nil, false
	}
	return p.data[pos : pos+int(n)], true
}

// decodeXrefData undoes what the library undoes for an xref stream: no
// filter, or FlateDecode with the PNG Up predictor or none. It reads at
// most limit bytes, as many as the library will.
func decodeXrefData(raw []byte, hdr map[string]any, limit int64) ([]byte, bool) {
	switch hdr["Filter"] {
	case nil:
		return raw, true
	case name("FlateDecode"):
	default:
		if f, ok := hdr["Filter"].([]any); !ok || len(f) != 1 || f[0] != name("FlateDecode") {
			return nil, false
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, false
	}
	parms, _ := hdr["DecodeParms"].(map[string]any)
	if ps, ok := hdr["DecodeParms"].([]any); ok && len(ps) == 1 {
		parms, _ = ps[0].(map[string]any)
	}
	switch parms["Predictor"] {
	case nil:
		out, _ := io.ReadAll(io.LimitReader(zr, limit))
		return out, true
	case int64(12):
		cols, _ := parms["Columns"].(int64)
		if cols <= 0 || cols > 64 {
			return nil, false
		}
		var out []byte
		prev := make([]byte, cols)
		row := make([]byte, 1+cols)
		for int64(len(out)) < limit {
			if _, err := io.ReadFull(zr, row); err != nil || row[0] != 2 {
				break
			}
			for i := range prev {
				prev[i] += row[1+i]
			}
			out = append(out, prev...)
		}
		return out, true
	}
	return nil, false
}

func beInt(b []byte) int64 {
	var v int64
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	return v
}
