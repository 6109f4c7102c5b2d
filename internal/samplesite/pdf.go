package samplesite

import (
	"bytes"
	"fmt"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// Page geometry and type sizes of the generated PDFs, in mm and pt.
const (
	pdfMarginLeft   = 25.0
	pdfMarginTop    = 22.0
	pdfMarginRight  = 25.0
	pdfMarginBottom = 22.0
	pdfTitleSize    = 15.0
	pdfHeadingSize  = 12.5
	pdfBodySize     = 10.5
	pdfFooterSize   = 8.5
	pdfLineHeight   = 5.0 // mm per body line
	pdfParaSpace    = 2.5 // mm after a paragraph
	pdfFontFamily   = "gofont"
	pdfAuthor       = "eVerwaltung aktuell (fiktive Beispieldokumente)"
	pdfSubject      = "Fiktives Beispieldokument für die Tests von stichwort"
	pdfProducer     = "stichwort-sitegen"
)

// RenderPDF writes p as a PDF: A4, the Go fonts embedded (so umlauts, ß
// and typographic quotes survive a text extraction), the title as heading
// and document metadata, justified paragraphs and "Seite N von M" footers.
// The output depends only on p: the creation and modification dates are
// p.Date and the catalogs are written in sorted order. It fails when a
// source page does not fit on one PDF page, so that PDF pages and source
// pages stay the same.
func RenderPDF(p PDF) ([]byte, error) {
	if err := checkGlyphs(p); err != nil {
		return nil, err
	}
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCatalogSort(true)
	doc.SetCreationDate(p.Date)
	doc.SetModificationDate(p.Date)
	doc.SetTitle(p.Title, true)
	doc.SetAuthor(pdfAuthor, true)
	doc.SetSubject(pdfSubject, true)
	doc.SetProducer(pdfProducer, false)
	doc.SetCreator(pdfProducer, false)
	doc.SetLang("de-DE")
	doc.AddUTF8FontFromBytes(pdfFontFamily, "", goregular.TTF)
	doc.AddUTF8FontFromBytes(pdfFontFamily, "B", gobold.TTF)
	doc.SetMargins(pdfMarginLeft, pdfMarginTop, pdfMarginRight)
	doc.SetAutoPageBreak(true, pdfMarginBottom)
	doc.AliasNbPages("{nb}")
	doc.SetFooterFunc(func() {
		doc.SetY(-15)
		doc.SetFont(pdfFontFamily, "", pdfFooterSize)
		doc.CellFormat(0, 5, fmt.Sprintf("Seite %d von {nb}", doc.PageNo()), "", 0, "C", false, 0, "")
	})

	for i, page := range p.Pages {
		doc.AddPage()
		if i == 0 {
			doc.SetFont(pdfFontFamily, "B", pdfTitleSize)
			doc.MultiCell(0, 7, p.Title, "", "L", false)
			doc.Ln(4)
		}
		for _, b := range page {
			if b.Heading {
				doc.Ln(1.5)
				doc.SetFont(pdfFontFamily, "B", pdfHeadingSize)
				doc.MultiCell(0, 6, b.Text, "", "L", false)
				doc.Ln(1.5)
				continue
			}
			doc.SetFont(pdfFontFamily, "", pdfBodySize)
			doc.MultiCell(0, pdfLineHeight, b.Text, "", "J", false)
			doc.Ln(pdfParaSpace)
		}
		if doc.PageNo() != i+1 {
			line := 0
			if i < len(p.lines) && len(p.lines[i]) > 0 {
				line = p.lines[i][0]
			}
			return nil, fmt.Errorf("%s:%d: page %d does not fit on one A4 page; split it with %q",
				p.File, line, i+1, pageBreak)
		}
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		return nil, fmt.Errorf("samplesite: render %s: %w", p.Name, err)
	}
	return buf.Bytes(), nil
}

// checkGlyphs fails for a character the embedded fonts cannot draw: fpdf
// would silently draw nothing, and the PDF text would lack the letter.
func checkGlyphs(p PDF) error {
	for _, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return fmt.Errorf("samplesite: parse Go font: %w", err)
		}
		var buf sfnt.Buffer
		for _, r := range p.Text() {
			if r == '\n' {
				continue
			}
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				return fmt.Errorf("%s: character %q (U+%04X) is not in the Go fonts", p.File, r, r)
			}
		}
	}
	return nil
}
