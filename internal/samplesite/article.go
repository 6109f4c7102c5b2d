package samplesite

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Article is one parsed article source (NN-slug.txt).
type Article struct {
	File   string // path of the source, for messages
	Slug   string // URL name: /artikel/SLUG.html
	Title  string
	Date   time.Time // midnight UTC
	Author string    // the editor's short sign, e.g. "sib"
	Tags   []string  // Stichwörter in display spelling, source order
	PDFs   []PDFLink
	Intern bool   // published under /intern/ only
	Lead   string // without the "[dd.mm.yyyy] " prefix
	Body   []string
	num    int // NN of the file name, to order articles of the same day
}

// PDFLink is a PDF an article links, by its source name.
type PDFLink struct {
	Name string // file name in pdfs/ without .txt
	Text string // link text
	line int
}

// Path returns the URL path of the article on the www host.
func (a Article) Path() string {
	if a.Intern {
		return "/intern/" + a.Slug + ".html"
	}
	return "/artikel/" + a.Slug + ".html"
}

// URL returns the article's URL with the placeholder host.
func (a Article) URL() string { return WWWBase + a.Path() }

var (
	articleFile = regexp.MustCompile(`^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$`)
	authorSign  = regexp.MustCompile(`^[a-z]{2,4}$`)
	datePrefix  = regexp.MustCompile(`^\[\d{1,2}\.\d{1,2}\.\d{4}\]`)
	authorTail  = regexp.MustCompile(`\([a-z]{2,4}\)$`)
)

// LoadArticles parses every NN-slug.txt in srcDir, sorted newest first
// (articles of the same day: higher NN first). Errors name file and line.
func LoadArticles(srcDir string) ([]Article, error) {
	entries, err := os.ReadDir(srcDir)
	if err != nil {
		return nil, fmt.Errorf("samplesite: %w", err)
	}
	var arts []Article
	slugs := make(map[string]string)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		m := articleFile.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("samplesite: %s: file name is not NN-slug.txt (lower case, digits, hyphens)", filepath.Join(srcDir, e.Name()))
		}
		a, err := parseArticle(filepath.Join(srcDir, e.Name()))
		if err != nil {
			return nil, err
		}
		a.Slug = m[2]
		fmt.Sscan(m[1], &a.num)
		if other, ok := slugs[a.Slug]; ok {
			return nil, fmt.Errorf("samplesite: %s: slug %q already used by %s", a.File, a.Slug, other)
		}
		slugs[a.Slug] = a.File
		arts = append(arts, a)
	}
	slices.SortStableFunc(arts, func(a, b Article) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return b.num - a.num
	})
	return arts, nil
}

func parseArticle(path string) (Article, error) {
	src, err := readSource(path)
	if err != nil {
		return Article{}, err
	}
	h, err := src.header(
		[]string{"Titel", "Datum", "Autor", "Stichwörter", "PDF", "Intern"},
		[]string{"Titel", "Datum", "Autor", "Stichwörter"},
		[]string{"PDF"})
	if err != nil {
		return Article{}, err
	}
	a := Article{File: path, Title: h["Titel"][0].value}
	if a.Date, err = src.date(h["Datum"][0]); err != nil {
		return Article{}, err
	}
	if f := h["Autor"][0]; authorSign.MatchString(f.value) {
		a.Author = f.value
	} else {
		return Article{}, src.errorf(f.line, "Autor %q is not 2–4 lower-case letters", f.value)
	}
	if a.Tags, err = parseTags(src, h["Stichwörter"][0]); err != nil {
		return Article{}, err
	}
	for _, f := range h["PDF"] {
		name, text, ok := strings.Cut(f.value, "|")
		name, text = strings.TrimSpace(name), strings.TrimSpace(text)
		if !ok || name == "" || text == "" {
			return Article{}, src.errorf(f.line, "PDF %q is not \"name | link text\"", f.value)
		}
		a.PDFs = append(a.PDFs, PDFLink{Name: name, Text: text, line: f.line})
	}
	if fs := h["Intern"]; len(fs) > 0 {
		switch fs[0].value {
		case "ja":
			a.Intern = true
		case "nein":
		default:
			return Article{}, src.errorf(fs[0].line, "Intern must be \"ja\" or \"nein\", not %q", fs[0].value)
		}
	}

	if len(src.blocks) < 2 {
		return Article{}, src.errorf(len(src.fields)+1, "need a lead paragraph and at least one body paragraph after the header")
	}
	lead := src.blocks[0]
	a.Lead = strings.Join(lead.lines, " ")
	if datePrefix.MatchString(a.Lead) {
		return Article{}, src.errorf(lead.line, "the lead must not start with the date; the generator writes it")
	}
	for _, b := range src.blocks[1:] {
		if strings.HasPrefix(b.lines[0], "#") {
			return Article{}, src.errorf(b.line, "articles have no headings")
		}
		a.Body = append(a.Body, strings.Join(b.lines, " "))
	}
	last := src.blocks[len(src.blocks)-1]
	if authorTail.MatchString(a.Body[len(a.Body)-1]) {
		return Article{}, src.errorf(last.line, "the last paragraph must not end with the author sign; the generator appends it")
	}
	return a, nil
}

// parseTags splits and checks a Stichwörter header.
func parseTags(src *source, f field) ([]string, error) {
	var tags []string
	for _, t := range strings.Split(f.value, ",") {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
			return nil, src.errorf(f.line, "empty Stichwort in %q", f.value)
		case !slices.Contains(Vocabulary, t):
			return nil, src.errorf(f.line, "Stichwort %q is not in the vocabulary (FORMAT.md)", t)
		case slices.Contains(tags, t):
			return nil, src.errorf(f.line, "Stichwort %q given twice", t)
		}
		tags = append(tags, t)
	}
	return tags, nil
}
