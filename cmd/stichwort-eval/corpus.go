package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"stichwort"
	"stichwort/internal/samplesite"
)

// evalDoc is a Document with the id the judgments use: the article's slug
// or the PDF's name.
type evalDoc struct {
	ID  string
	Doc stichwort.Document
}

// loadCorpus turns the sample sources in dir into documents as the crawler
// would index them: intern articles are left out (robots.txt keeps the
// crawler away from them), a PDF carries the Stichwörter of the articles
// that link it. The order is fixed: articles newest first, then PDFs by name.
func loadCorpus(dir string) ([]evalDoc, error) {
	arts, err := samplesite.LoadArticles(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	pdfs, err := samplesite.LoadPDFs(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	pdfURL := make(map[string]string, len(pdfs))
	for _, p := range pdfs {
		pdfURL[p.Name] = p.URL()
	}

	var docs []evalDoc
	parents := make(map[string][]string) // PDF name → linking article URLs
	tags := make(map[string][]string)    // PDF name → union of their tags
	for _, a := range arts {
		if a.Intern {
			continue
		}
		d := stichwort.Document{
			URL:    a.URL(),
			Type:   stichwort.TypeArticle,
			Source: host(a.URL()),
			Title:  a.Title,
			Lead:   a.Lead,
			Body:   strings.Join(a.Body, "\n\n"),
			Author: a.Author,
			Date:   a.Date,
			Tags:   slices.Clone(a.Tags),
		}
		for _, l := range a.PDFs {
			u, ok := pdfURL[l.Name]
			if !ok {
				return nil, fmt.Errorf("corpus: %s links unknown PDF %q", a.Slug, l.Name)
			}
			d.Links = append(d.Links, u)
			parents[l.Name] = append(parents[l.Name], a.URL())
			tags[l.Name] = append(tags[l.Name], a.Tags...)
		}
		docs = append(docs, evalDoc{ID: a.Slug, Doc: d})
	}
	for _, p := range pdfs {
		docs = append(docs, evalDoc{ID: p.Name, Doc: stichwort.Document{
			URL:     p.URL(),
			Type:    stichwort.TypePDF,
			Source:  host(p.URL()),
			Title:   p.Title,
			Body:    p.Text(),
			Date:    p.Date,
			Tags:    stichwort.CleanTags(tags[p.Name]),
			Parents: parents[p.Name],
			Pages:   len(p.Pages),
		}})
	}

	seen := make(map[string]bool, len(docs))
	for i := range docs {
		if seen[docs[i].ID] {
			return nil, fmt.Errorf("corpus: id %q is both an article slug and a PDF name", docs[i].ID)
		}
		seen[docs[i].ID] = true
		// A fixed fetch time keeps every run's index identical.
		docs[i].Doc.FetchedAt = docs[i].Doc.Date
	}
	return docs, nil
}

func host(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.ToLower(p.Hostname())
}
