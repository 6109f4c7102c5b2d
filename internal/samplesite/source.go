package samplesite

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Placeholder hosts written into the generated files; Site replaces them
// with the addresses of its servers.
const (
	WWWBase       = "http://www.stichwort.test"
	DokumenteBase = "http://dokumente.stichwort.test"
)

// Host names as the sources (Host:) and Site.Put spell them.
const (
	HostWWW       = "www"
	HostDokumente = "dokumente"
)

// Vocabulary lists the Stichwörter a source may use, in display spelling.
var Vocabulary = []string{
	"Smart City", "Digitale Zwillinge", "Politik", "Verwaltungscloud", "Onlinezugangsgesetz",
	"Künstliche Intelligenz", "Breitband", "Cybersicherheit", "Kita", "Registermodernisierung",
	"Datenschutz", "IT-Planungsrat", "Digitalministerkonferenz", "Open Data", "E-Akte",
}

// field is one "Key: value" header line.
type field struct {
	key, value string
	line       int
}

// block is a run of non-blank lines after the header.
type block struct {
	lines []string
	line  int // line number of the first line
}

// source is a parsed source file: header fields and body blocks.
type source struct {
	path   string
	fields []field
	blocks []block
}

// errorf formats an error that names the file and line, as compilers do.
func (s *source) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", s.path, line, fmt.Sprintf(format, args...))
}

// readSource splits a source file into its header and blocks.
func readSource(path string) (*source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("samplesite: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	src := &source{path: path}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	inHeader := true
	var cur *block
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimRight(sc.Text(), " \t\r")
		if inHeader {
			if text == "" {
				inHeader = false
				continue
			}
			key, value, ok := strings.Cut(text, ":")
			if !ok || strings.TrimSpace(key) == "" || strings.ContainsAny(strings.TrimSpace(key), " \t") {
				return nil, src.errorf(n, "header line %q is not \"Key: value\" (is a blank line missing after the header?)", text)
			}
			src.fields = append(src.fields, field{key: strings.TrimSpace(key), value: strings.TrimSpace(value), line: n})
			continue
		}
		if strings.TrimSpace(text) == "" {
			cur = nil
			continue
		}
		if cur == nil {
			src.blocks = append(src.blocks, block{line: n})
			cur = &src.blocks[len(src.blocks)-1]
		}
		cur.lines = append(cur.lines, strings.TrimSpace(text))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("samplesite: read %s: %w", path, err)
	}
	return src, nil
}

// header checks the header keys against the allowed ones and returns the
// fields by key. Keys in repeatable may occur more than once; keys in
// required must occur.
func (s *source) header(allowed, required, repeatable []string) (map[string][]field, error) {
	byKey := make(map[string][]field)
	for _, f := range s.fields {
		if !slices.Contains(allowed, f.key) {
			return nil, s.errorf(f.line, "unknown header %q (allowed: %s)", f.key, strings.Join(allowed, ", "))
		}
		if len(byKey[f.key]) > 0 && !slices.Contains(repeatable, f.key) {
			return nil, s.errorf(f.line, "header %q given twice", f.key)
		}
		if f.value == "" {
			return nil, s.errorf(f.line, "header %q is empty", f.key)
		}
		byKey[f.key] = append(byKey[f.key], f)
	}
	for _, k := range required {
		if len(byKey[k]) == 0 {
			return nil, s.errorf(1, "header %q missing", k)
		}
	}
	return byKey, nil
}

func (s *source) date(f field) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, f.value)
	if err != nil {
		return time.Time{}, s.errorf(f.line, "Datum %q is not YYYY-MM-DD", f.value)
	}
	return d, nil
}
