package pdftext

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
)

// Paragraphs of running text for the column tests.
var (
	colLeft = []string{
		"Die Landesregierung hat in ihrer Sitzung beschlossen, die Digitalisierung der Verwaltung weiter voranzutreiben und die Mittel dafür im kommenden Haushalt bereitzustellen.",
		"Die Kommunen erhalten eine Pauschale, mit der sie die Umstellung ihrer Fachverfahren bezahlen können, und werden bei der Beschaffung beraten.",
	}
	colRight = []string{
		"Der Ausschuss für Inneres wird über den Fortgang der Arbeiten zweimal im Jahr unterrichtet und kann weitere Berichte verlangen.",
		"Die Beteiligung der Bürgerinnen und Bürger an den Planungen soll über ein offenes Portal erfolgen, das alle Unterlagen bereitstellt.",
	}
)

// placed is one line of text at a position in mm from the top left.
type placed struct {
	x, y  float64
	text  string
	align string // CellFormat alignment; "" is left
	w     float64
	size  float64
}

// columnLines sets paragraphs into lines of a column w mm wide starting at
// x, y, with a blank half line between paragraphs; it returns the lines
// and the y below the last one.
func columnLines(doc *fpdf.Fpdf, paras []string, x, y, w float64) ([]placed, float64) {
	var out []placed
	for _, p := range paras {
		for _, l := range doc.SplitText(p, w) {
			out = append(out, placed{x: x, y: y, text: l})
			y += 5
		}
		y += 3
	}
	return out, y
}

func newColumnDoc() *fpdf.Fpdf {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCreationDate(time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC))
	doc.AddUTF8FontFromBytes("go", "", goregular.TTF)
	doc.SetFont("go", "", 10)
	doc.AddPage()
	return doc
}

// drawPlaced draws the lines in the given order, one Cell each.
func drawPlaced(tb testing.TB, doc *fpdf.Fpdf, lines []placed) []byte {
	tb.Helper()
	for _, l := range lines {
		size := l.size
		if size == 0 {
			size = 10
		}
		doc.SetFontSize(size)
		doc.SetXY(l.x, l.y)
		doc.CellFormat(l.w, 5, l.text, "", 0, l.align, false, 0, "")
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// byRow sorts lines top to bottom and, on one baseline, left to right: the
// order of a producer that draws a page line by line across the columns.
func byRow(lines []placed) []placed {
	s := slices.Clone(lines)
	slices.SortStableFunc(s, func(a, b placed) int {
		if a.y != b.y {
			if a.y < b.y {
				return -1
			}
			return 1
		}
		if a.x < b.x {
			return -1
		}
		return 1
	})
	return s
}

func TestExtractColumns(t *testing.T) {
	twoColumns := func(rowWise bool, heading, footer string) func(*fpdf.Fpdf) []placed {
		return func(doc *fpdf.Fpdf) []placed {
			var lines []placed
			top := 30.0
			if heading != "" {
				lines = append(lines, placed{x: 20, y: 20, text: heading, size: 14})
			}
			left, _ := columnLines(doc, colLeft, 20, top, 80)
			right, _ := columnLines(doc, colRight, 110, top, 80)
			lines = append(append(lines, left...), right...)
			if footer != "" {
				lines = append(lines, placed{x: 20, y: 280, w: 170, text: footer, align: "R"})
			}
			if rowWise {
				lines = byRow(lines)
			}
			return lines
		}
	}
	all := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	heading := "Beschluss zur Digitalisierung der Landesverwaltung und der Kommunen"
	tests := []struct {
		name  string
		lines func(*fpdf.Fpdf) []placed
		want  []string
	}{
		{"two columns drawn line by line", twoColumns(true, "", ""), all(colLeft, colRight)},
		{"two columns drawn column by column", twoColumns(false, "", ""), all(colLeft, colRight)},
		{"two columns line by line under a full-width heading", twoColumns(true, heading, ""),
			all([]string{heading}, colLeft, colRight)},
		{"two columns line by line with a page number", twoColumns(true, heading, "3"),
			all([]string{heading}, colLeft, colRight, []string{"3"})},
		{"right column shorter, line by line", func(doc *fpdf.Fpdf) []placed {
			left, _ := columnLines(doc, all(colLeft, colRight), 20, 30, 80)
			right, _ := columnLines(doc, []string{"Der Beschluss tritt am Tag nach seiner Verkündung in Kraft und gilt bis zum Ende des Jahres, in dem die Arbeiten abgeschlossen sind."}, 110, 30, 80)
			return byRow(append(left, right...))
		}, all(colLeft, colRight, []string{"Der Beschluss tritt am Tag nach seiner Verkündung in Kraft und gilt bis zum Ende des Jahres, in dem die Arbeiten abgeschlossen sind."})},
		{"three columns line by line", func(doc *fpdf.Fpdf) []placed {
			a, _ := columnLines(doc, colLeft, 15, 30, 58)
			b, _ := columnLines(doc, colRight[:1], 76, 30, 58)
			c, _ := columnLines(doc, colRight[1:], 137, 30, 58)
			return byRow(append(append(a, b...), c...))
		}, all(colLeft, colRight)},
		{"one column under a full-width heading", func(doc *fpdf.Fpdf) []placed {
			lines, _ := columnLines(doc, all(colLeft, colRight), 20, 30, 170)
			return append([]placed{{x: 20, y: 20, text: heading, size: 14}}, lines...)
		}, all([]string{heading}, colLeft, colRight)},
		{"one column with a right-aligned page number", func(doc *fpdf.Fpdf) []placed {
			lines, _ := columnLines(doc, all(colLeft, colRight), 20, 30, 170)
			return append(lines, placed{x: 20, y: 280, w: 170, text: "Seite 2", align: "R"})
		}, all(colLeft, colRight, []string{"Seite 2"})},
		{"one short column with a right-aligned page number", func(doc *fpdf.Fpdf) []placed {
			lines, _ := columnLines(doc, colLeft[:1], 20, 30, 170)
			return append(lines, placed{x: 20, y: 280, w: 170, text: "Seite 2", align: "R"})
		}, all(colLeft[:1], []string{"Seite 2"})},
		{"footer text and page number on one line", func(doc *fpdf.Fpdf) []placed {
			lines, _ := columnLines(doc, all(colLeft, colRight), 20, 30, 170)
			return append(lines,
				placed{x: 20, y: 280, text: "Landtag Thüringen – Drucksache 8/123"},
				placed{x: 20, y: 280, w: 170, text: "Seite 2", align: "R"})
		}, all(colLeft, colRight, []string{"Landtag Thüringen – Drucksache 8/123", "Seite 2"})},
		{"table of short cells stays in rows", func(doc *fpdf.Fpdf) []placed {
			var lines []placed
			rows := [][2]string{{"Haushaltsjahr", "2025"}, {"Ansatz", "1.200.000 Euro"}, {"Träger", "Land"},
				{"Laufzeit", "drei Jahre"}, {"Zuständig", "Innenministerium"}}
			for i, r := range rows {
				y := 30 + 5*float64(i)
				lines = append(lines, placed{x: 20, y: y, text: r[0]}, placed{x: 80, y: y, text: r[1]})
			}
			return lines
		}, []string{"Haushaltsjahr 2025 Ansatz 1.200.000 Euro Träger Land Laufzeit drei Jahre Zuständig Innenministerium"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := newColumnDoc()
			res, err := Extract(drawPlaced(t, doc, tt.lines(doc)))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(res.Text, "\n\n")
			if !slices.Equal(got, tt.want) {
				t.Errorf("paragraphs:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestExtractColumnsMultiCell: columns set with justified MultiCell, one
// after the other (drawn column by column, word by word).
func TestExtractColumnsMultiCell(t *testing.T) {
	doc := newColumnDoc()
	for c, paras := range [][]string{colLeft, colRight} {
		x := 20 + 90*float64(c)
		doc.SetLeftMargin(x)
		doc.SetXY(x, 30)
		for _, p := range paras {
			doc.MultiCell(80, 5, p, "", "J", false)
			doc.Ln(3)
		}
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := Extract(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(append(slices.Clone(colLeft), colRight...), "\n\n")
	if res.Text != want {
		t.Errorf("Text =\n%q\nwant\n%q", res.Text, want)
	}
}
