package stichwort

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ImportRecord is one line of the import format (CONTRACT.md, `import`).
type ImportRecord struct {
	URL   string   `json:"url"`
	Title string   `json:"title"`
	Date  string   `json:"date"` // YYYY-MM-DD or empty
	Tags  []string `json:"tags"`
	Lead  string   `json:"lead"`
	Body  string   `json:"body"`
	Type  string   `json:"type"` // TypeArticle (default) or TypePDF
}

// ErrBadRecord is wrapped by every error of ParseImportLine.
var ErrBadRecord = errors.New("bad import record")

// ParseImportLine decodes and validates one JSON line into a Document.
func ParseImportLine(line []byte) (Document, error) {
	var r ImportRecord
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Document{}, fmt.Errorf("%w: %v", ErrBadRecord, err)
	}
	if dec.More() {
		return Document{}, fmt.Errorf("%w: more than one JSON value on the line", ErrBadRecord)
	}
	if strings.TrimSpace(r.URL) == "" || strings.TrimSpace(r.Title) == "" {
		return Document{}, fmt.Errorf("%w: url and title are required", ErrBadRecord)
	}
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Document{}, fmt.Errorf("%w: url %q is not an absolute http(s) URL", ErrBadRecord, r.URL)
	}
	d := Document{
		URL:    u.String(),
		Type:   r.Type,
		Source: strings.ToLower(u.Hostname()),
		Title:  strings.TrimSpace(r.Title),
		Lead:   strings.TrimSpace(r.Lead),
		Body:   strings.TrimSpace(r.Body),
		Tags:   CleanTags(r.Tags),
	}
	switch d.Type {
	case "":
		d.Type = TypeArticle
	case TypeArticle, TypePDF:
	default:
		return Document{}, fmt.Errorf("%w: type %q is neither %q nor %q", ErrBadRecord, r.Type, TypeArticle, TypePDF)
	}
	if r.Date != "" {
		t, err := time.Parse(time.DateOnly, r.Date)
		if err != nil {
			return Document{}, fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrBadRecord, r.Date)
		}
		d.Date = t
	}
	d.ID = DocID(d.URL)
	return d, nil
}
