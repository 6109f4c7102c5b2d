package sitemap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxSize is the largest decompressed sitemap Parse reads. The protocol
// allows 50 MB uncompressed.
const MaxSize = 50 << 20

// Errors returned by Parse.
var (
	// ErrNotSitemap means the document is XML but neither a urlset nor a
	// sitemapindex.
	ErrNotSitemap = errors.New("sitemap: not a urlset or sitemapindex")
	// ErrTooLarge means the decompressed sitemap exceeds MaxSize.
	ErrTooLarge = errors.New("sitemap: larger than the limit")
)

// Entry is one <url> or <sitemap> element.
type Entry struct {
	Loc     string
	LastMod string // as written; the crawler does not rely on it
}

// Sitemap is a parsed urlset or sitemapindex.
type Sitemap struct {
	// Index is true for a sitemapindex, whose entries are sitemaps.
	Index   bool
	Entries []Entry
}

type xmlEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

type xmlDoc struct {
	XMLName  xml.Name
	URLs     []xmlEntry `xml:"url"`
	Sitemaps []xmlEntry `xml:"sitemap"`
}

var gzipMagic = []byte{0x1f, 0x8b}

// Parse reads a sitemap, gzip-compressed or not.
func Parse(data []byte) (Sitemap, error) {
	return parse(data, MaxSize)
}

func parse(data []byte, limit int) (Sitemap, error) {
	if bytes.HasPrefix(data, gzipMagic) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return Sitemap{}, fmt.Errorf("sitemap: gunzip: %w", err)
		}
		plain, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
		if err != nil {
			return Sitemap{}, fmt.Errorf("sitemap: gunzip: %w", err)
		}
		if len(plain) > limit {
			return Sitemap{}, ErrTooLarge
		}
		data = plain
	}
	if len(data) > limit {
		return Sitemap{}, ErrTooLarge
	}
	var doc xmlDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&doc); err != nil {
		return Sitemap{}, fmt.Errorf("sitemap: decode: %w", err)
	}
	var sm Sitemap
	var entries []xmlEntry
	switch strings.ToLower(doc.XMLName.Local) {
	case "urlset":
		entries = doc.URLs
	case "sitemapindex":
		sm.Index = true
		entries = doc.Sitemaps
	default:
		return Sitemap{}, fmt.Errorf("%w: root <%s>", ErrNotSitemap, doc.XMLName.Local)
	}
	for _, e := range entries {
		loc := strings.TrimSpace(e.Loc)
		if loc == "" {
			continue
		}
		sm.Entries = append(sm.Entries, Entry{Loc: loc, LastMod: strings.TrimSpace(e.LastMod)})
	}
	return sm, nil
}
