package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"

	"stichwort/internal/samplesite"
)

// corpusDir holds the sources of the sample site; the test renders their
// PDFs with the site generator and checks that the text comes back.
const corpusDir = "../../testdata/articles"

func TestExtractGeneratedPDFs(t *testing.T) {
	pdfs, err := samplesite.LoadPDFs(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pdfs) == 0 {
		t.Skip("no PDF sources in " + corpusDir)
	}
	for _, p := range pdfs {
		t.Run(p.Name, func(t *testing.T) {
			data, err := samplesite.RenderPDF(p)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Extract(data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Title != p.Title {
				t.Errorf("Title = %q, want %q", res.Title, p.Title)
			}
			if res.Pages != len(p.Pages) {
				t.Errorf("Pages = %d, want %d", res.Pages, len(p.Pages))
			}
			if !res.Date.Equal(p.Date) {
				t.Errorf("Date = %v, want %v", res.Date, p.Date)
			}
			if !strings.Contains(res.Text, p.Unique) {
				t.Errorf("text lacks the Eindeutig word %q", p.Unique)
			}
			// The generator draws the title, then each block as its own
			// paragraph, and a footer per page: every one must come back
			// as one paragraph, words and umlauts intact.
			want := []string{p.Title}
			for i, page := range p.Pages {
				for _, b := range page {
					want = append(want, b.Text)
				}
				want = append(want, fmt.Sprintf("Seite %d von %d", i+1, len(p.Pages)))
			}
			got := strings.Split(res.Text, "\n\n")
			for i := range max(len(got), len(want)) {
				var g, w string
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Fatalf("paragraph %d:\n got %q\nwant %q", i, g, w)
				}
			}
		})
	}
}

// line is text drawn at a position on the page, in mm from the top left.
type textLine struct {
	y    float64
	text string
}

// mustPDF draws lines with the embedded Go font, one Cell per line, the
// way a word processor places the lines of a paragraph.
func mustPDF(tb testing.TB, lines []textLine, edit func(*fpdf.Fpdf)) []byte {
	tb.Helper()
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCreationDate(time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC))
	doc.SetModificationDate(time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC))
	doc.AddUTF8FontFromBytes("go", "", goregular.TTF)
	doc.SetFont("go", "", 11)
	if edit != nil {
		edit(doc)
	}
	doc.AddPage()
	for _, l := range lines {
		doc.SetXY(25, l.y)
		doc.Cell(0, 5, l.text)
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestExtractText(t *testing.T) {
	tests := []struct {
		name  string
		lines []textLine
		want  string
	}{
		{"umlauts and quotes", []textLine{{30, "Größere „Straßen“ – Übung für Ärzte"}},
			"Größere „Straßen“ – Übung für Ärzte"},
		{"line-end hyphenation joined", []textLine{{30, "Die Verwal-"}, {35, "tung arbeitet digital."}},
			"Die Verwaltung arbeitet digital."},
		{"hyphen before capital kept", []textLine{{30, "Die KI-"}, {35, "Verordnung gilt."}},
			"Die KI-Verordnung gilt."},
		{"elided word part kept", []textLine{{30, "In Landes-"}, {35, "und Kommunalbehörden"}},
			"In Landes- und Kommunalbehörden"},
		{"hyphen inside a line kept", []textLine{{30, "Die KI-Verordnung und E-Akte"}},
			"Die KI-Verordnung und E-Akte"},
		{"soft hyphen at line end", []textLine{{30, "Die Digitali\u00AD"}, {35, "sierung"}},
			"Die Digitalisierung"},
		{"ligatures", []textLine{{30, "Der Beschluss \uFB01ndet \uFB02ächendeckend Anwendung"}},
			"Der Beschluss findet flächendeckend Anwendung"},
		{"lines of a paragraph", []textLine{{30, "erste Zeile"}, {35, "zweite Zeile"}},
			"erste Zeile zweite Zeile"},
		{"paragraph gap", []textLine{{30, "Absatz eins"}, {35, "geht weiter"}, {45, "Absatz zwei"}},
			"Absatz eins geht weiter\n\nAbsatz zwei"},
		{"short sentence-final line ends a paragraph", []textLine{
			{30, "Eine lange Zeile, die fast bis an den rechten Rand reicht, und weiter"},
			{35, "endet hier."}, {40, "Neuer Absatz ohne Abstand."}},
			"Eine lange Zeile, die fast bis an den rechten Rand reicht, und weiter endet hier.\n\nNeuer Absatz ohne Abstand."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(mustPDF(t, tt.lines, nil))
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tt.want {
				t.Errorf("Text =\n%q\nwant\n%q", res.Text, tt.want)
			}
			if res.Pages != 1 {
				t.Errorf("Pages = %d, want 1", res.Pages)
			}
		})
	}
}

// TestExtractJustified checks the words of fpdf's justified lines, which
// are drawn word by word with explicit gaps, come back with one space.
func TestExtractJustified(t *testing.T) {
	text := strings.Repeat("Die Länder bitten den Bund, die Mittel für die Registermodernisierung verlässlich bereitzustellen. ", 6)
	text = strings.TrimSpace(text)
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddUTF8FontFromBytes("go", "", goregular.TTF)
	doc.SetFont("go", "", 10.5)
	doc.AddPage()
	doc.MultiCell(0, 5, text, "", "J", false)
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Extract(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != text {
		t.Errorf("Text =\n%q\nwant\n%q", res.Text, text)
	}
}

// TestExtractCoreFont covers simple fonts: Helvetica in WinAnsiEncoding,
// without a ToUnicode map and without widths in the file.
func TestExtractCoreFont(t *testing.T) {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetFont("Helvetica", "", 12)
	tr := doc.UnicodeTranslatorFromDescriptor("cp1252")
	doc.AddPage()
	doc.SetXY(25, 30)
	doc.Cell(0, 5, tr("Grüße aus Köln – Maß halten"))
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Extract(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := "Grüße aus Köln – Maß halten"; res.Text != want {
		t.Errorf("Text = %q, want %q", res.Text, want)
	}
}

// hideInfo renames an Info entry in place (same length, so the xref
// offsets stay right): fpdf always writes a CreationDate.
func hideInfo(data []byte, key string) []byte {
	return bytes.Replace(data, []byte("/"+key+" "), []byte("/X"+key[1:]+" "), 1)
}

func TestExtractMetadata(t *testing.T) {
	meta := func(doc *fpdf.Fpdf) { doc.SetTitle("Beschluss „Kita digital“", true) }
	lines := []textLine{{30, "Erste Zeile als Titel"}, {35, "Sitzung vom 3. April 2025 und 05.06.2025"}}
	tests := []struct {
		name      string
		data      []byte
		wantTitle string
		wantDate  time.Time
	}{
		{"from metadata", mustPDF(t, lines, meta),
			"Beschluss „Kita digital“", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC)},
		{"title from first line", mustPDF(t, lines, nil),
			"Erste Zeile als Titel", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC)},
		{"file name title ignored", mustPDF(t, lines, func(doc *fpdf.Fpdf) { doc.SetTitle("Microsoft Word - Beschluss.docx", false) }),
			"Erste Zeile als Titel", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC)},
		{"date from text", hideInfo(mustPDF(t, lines, meta), "CreationDate"),
			"Beschluss „Kita digital“", time.Date(2025, 4, 3, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", res.Title, tt.wantTitle)
			}
			if !res.Date.Equal(tt.wantDate) {
				t.Errorf("Date = %v, want %v", res.Date, tt.wantDate)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	good := mustPDF(t, []textLine{{30, "Text"}}, nil)
	noText := func() []byte {
		doc := fpdf.New("P", "mm", "A4", "")
		doc.AddPage()
		doc.Rect(20, 20, 100, 50, "D") // a scan would be an image; any drawing will do
		var buf bytes.Buffer
		if err := doc.Output(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	encrypted := mustPDF(t, []textLine{{30, "Geheim"}}, func(doc *fpdf.Fpdf) {
		doc.SetProtection(fpdf.CnProtectPrint, "benutzer", "eigentuemer")
	})
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"not a PDF", []byte("<html>Das ist keine PDF-Datei</html>"), ErrMalformed},
		{"truncated", good[:len(good)/2], ErrMalformed},
		{"header only", []byte("%PDF-1.4\n%%EOF\n"), ErrMalformed},
		{"no text layer", noText, ErrNoText},
		{"encrypted", encrypted, ErrEncrypted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract(tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestExtractOwnerPasswordOnly: a file protected only against editing
// opens with the empty user password, but ledongthuc/pdf derives the keys
// of 40-bit RC4 (the only kind fpdf writes) wrongly; that must come out as
// ErrEncrypted, not as a broken file or an empty text.
func TestExtractOwnerPasswordOnly(t *testing.T) {
	data := mustPDF(t, []textLine{{30, "Öffentlich lesbar"}}, func(doc *fpdf.Fpdf) {
		doc.SetProtection(fpdf.CnProtectPrint, "", "eigentuemer")
	})
	res, err := Extract(data)
	if err == nil {
		// A fixed library would read it: then the text must be right.
		if res.Text != "Öffentlich lesbar" {
			t.Errorf("Text = %q", res.Text)
		}
		return
	}
	if !errors.Is(err, ErrEncrypted) {
		t.Errorf("err = %v, want ErrEncrypted", err)
	}
}

// TestExtractPageCap uses one page object listed MaxPages+3 times in the
// page tree: it is read MaxPages times, and the file still counts all.
func TestExtractPageCap(t *testing.T) {
	const pages = MaxPages + 3
	kids := strings.Repeat("3 0 R ", pages)
	data := handmadePDFWith(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, pages),
		"BT /F1 12 Tf 72 700 Td (Seitenmarke) Tj ET", simpleFont()...)
	res, err := Extract(data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != pages {
		t.Errorf("Pages = %d, want %d", res.Pages, pages)
	}
	if n := strings.Count(res.Text, "Seitenmarke"); n != MaxPages {
		t.Errorf("read %d pages, want %d", n, MaxPages)
	}
}
