package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// xrefEntry is one row of a cross-reference stream: type 1 (offset) or
// type 2 (object stream number, index).
type xrefEntry struct {
	typ    byte
	f2, f3 int
}

// xrefStreamPDF builds a PDF whose font dictionary (object 4) lies in an
// object stream (object 6) and whose cross-reference table is a stream
// (object 7), optionally Flate-compressed with the PNG Up predictor.
// objStm is added to the object stream's dictionary; mutate may change the
// entries before they are written.
func xrefStreamPDF(compress bool, objStm string, mutate func([]xrefEntry)) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	offs := map[int]int{}
	obj := func(n int, body string) {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
	obj(5, stream("BT /F1 12 Tf 72 700 Td (Objektstrom) Tj ET"))
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	head := "4 0 "
	obj(6, fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Length %d %s >>\nstream\n%s%s\nendstream", len(head), len(head)+len(font)+1, objStm, head, font))

	entries := []xrefEntry{{0, 0, 65535}, {1, offs[1], 0}, {1, offs[2], 0}, {1, offs[3], 0}, {2, 6, 0}, {1, offs[5], 0}, {1, offs[6], 0}, {1, b.Len(), 0}}
	if mutate != nil {
		mutate(entries)
	}
	var rows []byte
	for _, e := range entries {
		rows = append(rows, e.typ, byte(e.f2>>24), byte(e.f2>>16), byte(e.f2>>8), byte(e.f2), byte(e.f3>>8), byte(e.f3))
	}
	dict := "/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R"
	if compress {
		// PNG Up: every row is the byte-wise difference to the previous.
		var up []byte
		prev := make([]byte, 7)
		for i := 0; i < len(rows); i += 7 {
			up = append(up, 2)
			for j := range 7 {
				up = append(up, rows[i+j]-prev[j])
			}
			copy(prev, rows[i:i+7])
		}
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(up)
		zw.Close()
		rows = z.Bytes()
		dict += " /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>"
	}
	xref := b.Len()
	fmt.Fprintf(&b, "7 0 obj\n<< %s /Length %d >>\nstream\n", dict, len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func TestExtractXrefStream(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compressed=%v", compress), func(t *testing.T) {
			res, err := Extract(xrefStreamPDF(compress, "", nil))
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != "Objektstrom" {
				t.Errorf("Text = %q", res.Text)
			}
		})
	}
}

// TestExtractHostile covers files that, without the checks, crash the
// process (a stack overflow or an allocation of terabytes is fatal, not a
// panic) or loop forever inside the parser library.
func TestExtractHostile(t *testing.T) {
	good := handmadePDF("BT /F1 12 Tf 72 700 Td (x) Tj ET", simpleFont()...)
	xrefOff := bytes.LastIndex(good, []byte("\nxref\n")) + 1
	tests := []struct {
		name string
		data []byte
	}{
		{"Prev points at its own section", bytes.Replace(good, []byte("/Root 1 0 R >>"),
			fmt.Appendf(nil, "/Root 1 0 R /Prev %d >>", xrefOff), 1)},
		{"object stream inside itself", xrefStreamPDF(false, "", func(e []xrefEntry) { e[6] = xrefEntry{2, 6, 0} })},
		{"object stream inside another, compressed", xrefStreamPDF(true, "", func(e []xrefEntry) { e[6] = xrefEntry{2, 4, 0} })},
		{"object stream with huge /N", xrefStreamPDF(false, "/N 9000000000000", func(e []xrefEntry) { e[5] = xrefEntry{2, 6, 1} })},
		{"object stream extending itself", xrefStreamPDF(false, "/N 2 /Extends 6 0 R", func(e []xrefEntry) { e[5] = xrefEntry{2, 6, 1} })},
		{"huge object number in xref table", bytes.Replace(good, []byte("\nxref\n0 "), []byte("\nxref\n2000000000000 "), 1)},
		{"huge xref stream", bytes.Replace(xrefStreamPDF(false, "", nil), []byte("/Size 8 "), []byte("/Size 2000000000000 "), 1)},
		{"page tree cycle", handmadePDFWith("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", "BT /F1 12 Tf 72 700 Td (x) Tj ET", simpleFont()...)},
		{"deep nesting", append([]byte("%PDF-1.4\n1 0 obj\n"+strings.Repeat("[", 200000)), good[9:]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Extract(tt.data)
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil && !errors.Is(err, ErrMalformed) {
					t.Errorf("err = %v, want nil or ErrMalformed", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Extract does not return")
			}
		})
	}
}
