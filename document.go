// Package stichwort holds the domain types that the crawler produces and the
// index consumes. It sits at the module root so that crawler and index can
// both speak it without importing each other (see ../shared/DESIGN.md).
package stichwort

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
)

// Document types, as the API names them.
const (
	TypeArticle = "article"
	TypePDF     = "pdf"
)

// Document is one searchable unit: a news article or a PDF it links.
type Document struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Type   string `json:"type"`   // TypeArticle or TypePDF
	Source string `json:"source"` // host name of URL, lower case, without port
	Title  string `json:"title"`
	Lead   string `json:"lead,omitempty"`
	Body   string `json:"body,omitempty"` // plain text; paragraphs separated by "\n\n"
	Author string `json:"author,omitempty"`
	// Date is the publication date; the zero time means the page gave none.
	Date time.Time `json:"date"`
	// Tags are the editors' Stichwörter in their display spelling.
	Tags []string `json:"tags,omitempty"`
	// States are the Bundesländer the text is about (derived by the index).
	States []string `json:"states,omitempty"`
	// Parents are the URLs of the articles that link this document (PDFs).
	Parents []string `json:"parents,omitempty"`
	// Links are the URLs of PDFs an article links.
	Links     []string  `json:"links,omitempty"`
	Pages     int       `json:"pages,omitempty"` // PDFs only
	FetchedAt time.Time `json:"fetched_at"`
	// Hash is a hex content hash of the extracted text, used to detect changes.
	Hash string `json:"hash,omitempty"`
}

// DocID returns the stable, opaque id of the document at the canonical URL u.
func DocID(u string) string {
	sum := sha256.Sum256([]byte(u))
	return hex.EncodeToString(sum[:12])
}

// TagKey is the folded form of a Stichwort used for matching: lower case,
// inner white space collapsed, so "Smart  City" and "smart city" meet.
func TagKey(tag string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(tag), unicode.IsSpace), " ")
}

// CleanTags trims, de-duplicates (by TagKey) and drops empty Stichwörter,
// keeping the first display spelling and the order.
func CleanTags(tags []string) []string {
	seen := make(map[string]bool, len(tags))
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.Join(strings.Fields(t), " ")
		k := TagKey(t)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// Text is the document's full plain text: lead and body.
func (d Document) Text() string {
	switch {
	case d.Lead == "":
		return d.Body
	case d.Body == "":
		return d.Lead
	}
	return d.Lead + "\n\n" + d.Body
}
