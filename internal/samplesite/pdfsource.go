package samplesite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// PDF is one parsed PDF source (pdfs/NAME.txt).
type PDF struct {
	File   string // path of the source, for messages
	Name   string // file name without .txt; the PDF is NAME.pdf
	Title  string
	Date   time.Time // midnight UTC; also the PDF's CreationDate
	Host   string    // HostWWW or HostDokumente
	Unique string    // a word that occurs in this PDF and nowhere else
	// Pages holds the blocks of each page as the source divides them with
	// "=== Seite ===". The generated PDF has exactly these pages, and
	// above the blocks of the first page the title as a heading.
	Pages [][]Block
	lines [][]int // source line of each block, for messages
}

// Block is a heading or a paragraph of a PDF.
type Block struct {
	Heading bool
	Text    string
}

// Path returns the URL path of the PDF on its host.
func (p PDF) Path() string {
	if p.Host == HostDokumente {
		return "/beschluesse/" + p.Name + ".pdf"
	}
	return "/dokumente/" + p.Name + ".pdf"
}

// URL returns the PDF's URL with the placeholder host.
func (p PDF) URL() string {
	if p.Host == HostDokumente {
		return DokumenteBase + p.Path()
	}
	return WWWBase + p.Path()
}

// Text returns the text of all blocks, one per line, for tests that look
// for words.
func (p PDF) Text() string {
	var b strings.Builder
	b.WriteString(p.Title)
	for _, page := range p.Pages {
		for _, bl := range page {
			b.WriteString("\n")
			b.WriteString(bl.Text)
		}
	}
	return b.String()
}

var pdfName = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// pageBreak separates pages in a PDF source.
const pageBreak = "=== Seite ==="

// LoadPDFs parses every pdfs/NAME.txt under srcDir (the articles
// directory), sorted by name. A missing pdfs directory means no PDFs.
func LoadPDFs(srcDir string) ([]PDF, error) {
	dir := filepath.Join(srcDir, "pdfs")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("samplesite: %w", err)
	}
	var pdfs []PDF
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".txt")
		path := filepath.Join(dir, e.Name())
		if !pdfName.MatchString(name) {
			return nil, fmt.Errorf("samplesite: %s: file name is not lower case letters, digits and hyphens", path)
		}
		p, err := parsePDF(path)
		if err != nil {
			return nil, err
		}
		p.Name = name
		pdfs = append(pdfs, p)
	}
	slices.SortFunc(pdfs, func(a, b PDF) int { return strings.Compare(a.Name, b.Name) })
	return pdfs, nil
}

func parsePDF(path string) (PDF, error) {
	src, err := readSource(path)
	if err != nil {
		return PDF{}, err
	}
	h, err := src.header(
		[]string{"Titel", "Datum", "Host", "Eindeutig"},
		[]string{"Titel", "Datum", "Host", "Eindeutig"}, nil)
	if err != nil {
		return PDF{}, err
	}
	p := PDF{File: path, Title: h["Titel"][0].value, Unique: h["Eindeutig"][0].value}
	if p.Date, err = src.date(h["Datum"][0]); err != nil {
		return PDF{}, err
	}
	switch f := h["Host"][0]; f.value {
	case HostWWW, HostDokumente:
		p.Host = f.value
	default:
		return PDF{}, src.errorf(f.line, "Host must be %q or %q, not %q", HostWWW, HostDokumente, f.value)
	}
	if f := h["Eindeutig"][0]; strings.ContainsAny(f.value, " \t") {
		return PDF{}, src.errorf(f.line, "Eindeutig must be one word, not %q", f.value)
	}

	var page []Block
	var lines []int
	endPage := func(line int) error {
		if len(page) == 0 {
			return src.errorf(line, "empty page")
		}
		p.Pages = append(p.Pages, page)
		p.lines = append(p.lines, lines)
		page, lines = nil, nil
		return nil
	}
	for _, b := range src.blocks {
		// A block is a run of lines without blank lines between them: a
		// "# " line is a heading of its own, the lines after it a
		// paragraph, and "=== Seite ===" ends the page.
		var para []string
		paraLine := 0
		flush := func() {
			if len(para) > 0 {
				page = append(page, Block{Text: strings.Join(para, " ")})
				lines = append(lines, paraLine)
				para = nil
			}
		}
		for i, l := range b.lines {
			n := b.line + i
			switch {
			case l == pageBreak:
				flush()
				if err := endPage(n); err != nil {
					return PDF{}, err
				}
			case strings.HasPrefix(l, "="):
				return PDF{}, src.errorf(n, "%q: a page break is written %q", l, pageBreak)
			case strings.HasPrefix(l, "#"):
				flush()
				text := strings.TrimSpace(strings.TrimPrefix(l, "#"))
				if !strings.HasPrefix(l, "# ") || text == "" {
					return PDF{}, src.errorf(n, "a heading is written \"# Heading\"")
				}
				page = append(page, Block{Heading: true, Text: text})
				lines = append(lines, n)
			default:
				if len(para) == 0 {
					paraLine = n
				}
				para = append(para, l)
			}
		}
		flush()
	}
	last := len(src.fields) + 2
	if len(src.blocks) > 0 {
		last = src.blocks[len(src.blocks)-1].line
	}
	if err := endPage(last); err != nil {
		return PDF{}, err
	}
	if !containsWord(p.Text(), p.Unique) {
		return PDF{}, src.errorf(h["Eindeutig"][0].line, "Eindeutig %q does not occur in the text", p.Unique)
	}
	return p, nil
}

// containsWord reports whether word occurs in text as a whole word or as
// the start of one, ignoring case ("Zwillingsdatenraum" in
// "Zwillingsdatenraums").
func containsWord(text, word string) bool {
	text, word = strings.ToLower(text), strings.ToLower(word)
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		at := i + j
		if r, _ := utf8.DecodeLastRuneInString(text[:at]); at == 0 || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return true
		}
		i = at + len(word)
	}
}
