package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"stichwort"
	"stichwort/crawler/extract"
	"stichwort/crawler/state"
	"stichwort/crawler/urlnorm"
)

// articleDocument turns an extracted article into a Document. Its id comes
// from the article's canonical URL.
func articleDocument(a *extract.Article, fetchedAt time.Time) stichwort.Document {
	d := stichwort.Document{
		ID:        stichwort.DocID(a.URL),
		URL:       a.URL,
		Type:      stichwort.TypeArticle,
		Source:    sourceOf(a.URL),
		Title:     a.Title,
		Lead:      a.Lead,
		Body:      a.Body,
		Author:    a.Author,
		Date:      a.Date,
		Tags:      stichwort.CleanTags(a.Tags),
		FetchedAt: fetchedAt,
	}
	for _, p := range a.PDFs {
		d.Links = append(d.Links, p.URL)
	}
	d.Hash = contentHash(d.Title, d.Text())
	return d
}

// pdfDocument builds the Document of an extracted PDF from its state: the
// title from the file or else the anchor text of the first parent's link,
// the date from the file or else the first parent's, the Stichwörter of
// all parents.
func pdfDocument(p state.PDF) stichwort.Document {
	d := stichwort.Document{
		ID:        stichwort.DocID(p.DocURL),
		URL:       p.DocURL,
		Type:      stichwort.TypePDF,
		Source:    sourceOf(p.DocURL),
		Title:     p.Title,
		Body:      p.Text,
		Pages:     p.Pages,
		Date:      p.Date,
		FetchedAt: p.FetchedAt,
		Hash:      p.Hash,
	}
	var tags []string
	for _, par := range p.Parents {
		d.Parents = append(d.Parents, par.URL)
		tags = append(tags, par.Tags...)
		if d.Title == "" {
			d.Title = linkTitle(par.LinkText)
		}
		if d.Date.IsZero() {
			d.Date = par.Date
		}
	}
	d.Tags = stichwort.CleanTags(tags)
	if d.Title == "" {
		d.Title = fileTitle(p.DocURL)
	}
	return d
}

// linkTitle cleans an anchor text for use as a title: "Beschluss (PDF,
// 120 KB)" becomes "Beschluss".
func linkTitle(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "("); i > 0 && strings.HasSuffix(s, ")") &&
		strings.Contains(strings.ToUpper(s[i:]), "PDF") {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// fileTitle is the last resort: the file name without extension.
func fileTitle(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	name := path.Base(pu.Path)
	name = strings.TrimSuffix(name, path.Ext(name))
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	return strings.NewReplacer("-", " ", "_", " ").Replace(name)
}

func sourceOf(raw string) string {
	u, err := urlnorm.Parse(raw)
	if err != nil {
		return ""
	}
	return urlnorm.Source(u)
}

// contentHash is the hex SHA-256 of the parts, separated so that moving
// text between parts changes the hash.
func contentHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fingerprint covers every field of the document except the fetch time:
// a document whose fingerprint is unchanged is not sent again.
func fingerprint(d stichwort.Document) string {
	d.FetchedAt = time.Time{}
	data, err := json.Marshal(d)
	if err != nil {
		// Only a date outside the years 0–9999 makes Marshal fail.
		data = fmt.Appendf(nil, "%#v", d)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
