package pdftext

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzExtract feeds Extract mutations of small valid PDFs. It must not
// panic, must return one of its documented errors, and text it returns
// must be valid UTF-8 and not empty.
func FuzzExtract(f *testing.F) {
	f.Add(mustPDF(f, []textLine{{30, "Die Verwal-"}, {35, "tung „digital“ – Größe"}}, nil))
	f.Add(mustPDF(f, []textLine{{30, "Beschluss vom 18. Oktober 2024"}, {45, "\uFB01nden"}}, nil))
	f.Add(handmadePDF("BT /F1 12 Tf 14 TL 72 700 Td [<00010002> -40 <0003> -600 <00040005>] TJ T* <0006> Tj ET", type0Font()...))
	f.Add(handmadePDF("q 2 0 0 2 0 0 cm BT /F1 6 Tf 36 350 Td (\\001nden) Tj 0 -7 Td (zwei) ' ET Q", simpleFont()...))
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Extract(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoText) && !errors.Is(err, ErrEncrypted) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		if res.Text == "" || !utf8.ValidString(res.Text) || !utf8.ValidString(res.Title) {
			t.Fatalf("bad result %+v", res)
		}
		if res.Pages < 1 {
			t.Fatalf("Pages = %d with text", res.Pages)
		}
	})
}
