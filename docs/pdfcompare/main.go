// Command pdfcompare measures PDF text extraction candidates against
// poppler's pdftotext and against the source text of the sample site's
// PDFs. It is its own module (docs/pdfcompare/go.mod), so the candidates it
// pulls in (go-pdfium with its WebAssembly build of pdfium, rsc.io/pdf)
// never enter stichwort's go.mod.
//
//	cd docs/pdfcompare && go run . [-time 2s] [-dump DIR]
//
// It needs pdftotext (poppler-utils) on PATH. The output is Markdown; the
// tables in docs/PDF_EXTRACTION.md come from it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"

	"stichwort/internal/samplesite"
)

const root = "../.."

// fixture is one PDF with, where known, the text it was made from.
type fixture struct {
	name  string
	data  []byte
	pages int
	truth string // source text (words in reading order); "" if unknown
	// want, for the synthetic files: the text a correct extraction
	// contains, words separated by single spaces.
	want string
}

// extractor returns the running text of a PDF.
type extractor struct {
	name string
	fn   func([]byte) (string, error)
}

func main() {
	budget := flag.Duration("time", 2*time.Second, "time spent per extractor for the speed figure")
	dump := flag.String("dump", "", "write each extractor's text for each site PDF into this directory")
	flag.Parse()

	site, err := siteFixtures()
	if err != nil {
		log.Fatal(err)
	}
	synth := syntheticFixtures()

	pdfiumInit := time.Now()
	pdfium, closePdfium, err := newPdfium()
	if err != nil {
		log.Fatal(err)
	}
	defer closePdfium()
	initDur := time.Since(pdfiumInit)

	exs := []extractor{
		{"pdftotext (plain)", pdftotext()},
		{"pdftotext -layout", pdftotext("-layout")},
		{"stichwort pdftext.Extract", stichwortExtract},
		{"ledongthuc GetPlainText", ledongthucPlain},
		{"go-pdfium webassembly FPDFText_GetText", pdfium},
		{"rsc.io/pdf Content + naive lines", rscNaive},
	}

	// Reference texts.
	ref := map[string]string{}
	for _, f := range site {
		t, err := exs[0].fn(f.data)
		if err != nil {
			log.Fatalf("pdftotext %s: %v", f.name, err)
		}
		ref[f.name] = t
	}

	fmt.Printf("pdfium WebAssembly pool start (wazero compile of the %s module + first instance): %v\n\n",
		"embedded", initDur.Round(time.Millisecond))

	fmt.Println("## Site PDFs: word F1 against pdftotext (plain) and against the source text")
	fmt.Println()
	fmt.Println("| extractor | F1 vs pdftotext | F1 vs source | order vs source (LCS) | äöüÄÖÜß ok | „“–  ok | errors |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, ex := range exs {
		var f1p, f1s, ord float64
		umlOK, quoteOK, errs := 0, 0, 0
		for _, f := range site {
			t, err := ex.fn(f.data)
			if err != nil {
				errs++
				continue
			}
			if *dump != "" {
				os.MkdirAll(*dump, 0o755)
				os.WriteFile(filepath.Join(*dump, f.name+"."+slug(ex.name)+".txt"), []byte(t), 0o644)
			}
			f1p += wordF1(words(t), words(ref[f.name]))
			f1s += wordF1(words(t), words(f.truth))
			ord += lcsRatio(words(t), words(f.truth))
			if sameCounts(t, f.truth, "äöüÄÖÜß") {
				umlOK++
			}
			if sameCounts(t, f.truth, "„“–") {
				quoteOK++
			}
		}
		n := float64(len(site))
		fmt.Printf("| %s | %.4f | %.4f | %.4f | %d/%d | %d/%d | %d |\n",
			ex.name, f1p/n, f1s/n, ord/n, umlOK, len(site), quoteOK, len(site), errs)
	}

	fmt.Println()
	fmt.Println("## Synthetic cases (fpdf, Go font): does the output contain the expected text?")
	fmt.Println()
	head := "| case |"
	sep := "|---|"
	for _, ex := range exs {
		head += " " + ex.name + " |"
		sep += "---|"
	}
	fmt.Println(head)
	fmt.Println(sep)
	for _, f := range synth {
		row := "| " + f.name + " |"
		for _, ex := range exs {
			t, err := ex.fn(f.data)
			switch {
			case err != nil:
				row += " error |"
			case strings.Contains(norm(t), f.want):
				row += " ok |"
			default:
				row += " `" + shorten(norm(t), 60) + "` |"
			}
		}
		fmt.Println(row)
	}

	fmt.Println()
	fmt.Println("## Speed on the five site PDFs (all pages, one goroutine)")
	fmt.Println()
	fmt.Println("| extractor | ms per page |")
	fmt.Println("|---|---|")
	totalPages := 0
	for _, f := range site {
		totalPages += f.pages
	}
	for _, ex := range exs {
		start := time.Now()
		pages := 0
		for time.Since(start) < *budget {
			for _, f := range site {
				ex.fn(f.data)
				pages += f.pages
			}
		}
		per := time.Since(start) / time.Duration(pages)
		fmt.Printf("| %s | %.2f |\n", ex.name, float64(per)/float64(time.Millisecond))
	}
}

// siteFixtures reads the five PDFs of the sample site and the source text
// each was rendered from (title, blocks, "Seite N von M" footers).
func siteFixtures() ([]fixture, error) {
	srcs, err := samplesite.LoadPDFs(filepath.Join(root, "testdata/articles"))
	if err != nil {
		return nil, err
	}
	var out []fixture
	for _, p := range srcs {
		var path string
		for _, dir := range []string{"testdata/site/www/dokumente", "testdata/site/dokumente/beschluesse"} {
			if _, err := os.Stat(filepath.Join(root, dir, p.Name+".pdf")); err == nil {
				path = filepath.Join(root, dir, p.Name+".pdf")
			}
		}
		if path == "" {
			return nil, fmt.Errorf("no PDF file for %s", p.Name)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		b.WriteString(p.Title)
		for i, page := range p.Pages {
			for _, bl := range page {
				b.WriteString("\n" + bl.Text)
			}
			fmt.Fprintf(&b, "\nSeite %d von %d", i+1, len(p.Pages))
		}
		out = append(out, fixture{name: p.Name, data: data, pages: len(p.Pages), truth: b.String()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

type line struct {
	x, y float64
	text string
}

// fpdfLines draws each line with one Cell, like crawler/pdftext's tests.
func fpdfLines(lines []line) []byte {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddUTF8FontFromBytes("go", "", goregular.TTF)
	doc.SetFont("go", "", 11)
	doc.AddPage()
	for _, l := range lines {
		x := l.x
		if x == 0 {
			x = 25
		}
		doc.SetXY(x, l.y)
		doc.Cell(0, 5, l.text)
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

func coreFontPDF() []byte {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetFont("Helvetica", "", 12)
	tr := doc.UnicodeTranslatorFromDescriptor("cp1252")
	doc.AddPage()
	doc.SetXY(25, 30)
	doc.Cell(0, 5, tr("Grüße aus Köln – Maß halten"))
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// syntheticFixtures are the cases of crawler/pdftext's TestExtractText,
// plus two two-column pages.
func syntheticFixtures() []fixture {
	left := []string{"Linke Spalte eins", "linke Spalte zwei", "linke Spalte drei"}
	right := []string{"Rechte Spalte eins", "rechte Spalte zwei", "rechte Spalte drei"}
	var colWise, rowWise []line
	for i, l := range left {
		colWise = append(colWise, line{20, 30 + 5*float64(i), l})
	}
	for i, r := range right {
		colWise = append(colWise, line{110, 30 + 5*float64(i), r})
	}
	for i := range left {
		rowWise = append(rowWise, line{20, 30 + 5*float64(i), left[i]}, line{110, 30 + 5*float64(i), right[i]})
	}
	columns := strings.Join(append(append([]string{}, left...), right...), " ")
	return []fixture{
		{name: "umlauts, ß, „ “ –", data: fpdfLines([]line{{0, 30, "Größere „Straßen“ – Übung für Ärzte"}}), want: "Größere „Straßen“ – Übung für Ärzte"},
		{name: "`Verwal-`/`tung` joined", data: fpdfLines([]line{{0, 30, "Die Verwal-"}, {0, 35, "tung arbeitet digital."}}), want: "Die Verwaltung arbeitet digital."},
		{name: "`KI-`/`Verordnung` kept", data: fpdfLines([]line{{0, 30, "Die KI-"}, {0, 35, "Verordnung gilt."}}), want: "Die KI-Verordnung gilt."},
		{name: "`Landes-`/`und` kept", data: fpdfLines([]line{{0, 30, "In Landes-"}, {0, 35, "und Kommunalbehörden"}}), want: "In Landes- und Kommunalbehörden"},
		{name: "soft hyphen at line end", data: fpdfLines([]line{{0, 30, "Die Digitali\u00AD"}, {0, 35, "sierung"}}), want: "Die Digitalisierung"},
		{name: "ligatures ﬁ ﬂ → fi fl", data: fpdfLines([]line{{0, 30, "Der Beschluss \uFB01ndet \uFB02ächendeckend Anwendung"}}), want: "Der Beschluss findet flächendeckend Anwendung"},
		{name: "Helvetica, WinAnsi, no ToUnicode", data: coreFontPDF(), want: "Grüße aus Köln – Maß halten"},
		{name: "2 columns, drawn column by column", data: fpdfLines(colWise), want: columns},
		{name: "2 columns, drawn line by line", data: fpdfLines(rowWise), want: columns},
	}
}

// pdftotext runs poppler's pdftotext with args, reading stdin.
func pdftotext(args ...string) func([]byte) (string, error) {
	return func(data []byte) (string, error) {
		cmd := exec.Command("pdftotext", append(append([]string{"-q", "-enc", "UTF-8"}, args...), "-", "-")...)
		cmd.Stdin = bytes.NewReader(data)
		out, err := cmd.Output()
		return string(out), err
	}
}

// words splits text at white space; punctuation stays on the word, so
// wrong quotes or dashes cost a word.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == 0 })
}

func norm(s string) string { return strings.Join(words(s), " ") }

func wordF1(got, want []string) float64 {
	if len(got) == 0 || len(want) == 0 {
		return 0
	}
	w := map[string]int{}
	for _, x := range want {
		w[x]++
	}
	common := 0
	for _, x := range got {
		if w[x] > 0 {
			w[x]--
			common++
		}
	}
	p := float64(common) / float64(len(got))
	r := float64(common) / float64(len(want))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// lcsRatio is the longest common subsequence of the two word sequences
// divided by the length of want: 1 means every word in the right order.
func lcsRatio(got, want []string) float64 {
	if len(want) == 0 {
		return 0
	}
	prev := make([]int, len(want)+1)
	cur := make([]int, len(want)+1)
	for i := 1; i <= len(got); i++ {
		for j := 1; j <= len(want); j++ {
			switch {
			case got[i-1] == want[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return float64(prev[len(want)]) / float64(len(want))
}

// sameCounts reports whether got has each of chars as often as want.
func sameCounts(got, want, chars string) bool {
	for _, c := range chars {
		if strings.Count(got, string(c)) != strings.Count(want, string(c)) {
			return false
		}
	}
	return true
}

func shorten(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == '`' || r == '|' {
			return '·'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, s)
}
