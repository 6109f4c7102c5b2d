package server

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"stichwort"
	"stichwort/index"
)

// relatedCount is how many "Ähnliche Dokumente" the document page lists;
// maxLinked bounds the linked PDFs and articles it names.
const (
	relatedCount = 5
	maxLinked    = 20
)

type docPage struct {
	Head       headData
	Doc        stichwort.Document
	Query      string
	BackURL    string
	Title      template.HTML
	Lead       template.HTML
	Paragraphs []template.HTML
	Marks      int // how many words are marked
	Linked     []linkedDoc
	Parents    []linkedDoc
	Related    []relatedDoc
	Version    string
}

// linkedDoc is a PDF an article links, or an article that links a PDF:
// its original and, when indexed, its page here.
type linkedDoc struct {
	Title  string
	URL    string
	DocURL string // empty: not indexed
}

type relatedDoc struct {
	index.Hit
	DocURL string
}

func (s *Server) handleDocPage(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > maxQueryLen {
		s.renderError(w, http.StatusBadRequest, fmt.Sprintf("Parameter q: höchstens %d Zeichen gültiges UTF-8", maxQueryLen))
		return
	}
	var d stichwort.Document
	err := index.ErrNotFound
	if len(id) <= 100 {
		d, err = s.idx.Get(id)
	}
	if err != nil {
		status, msg := s.statusOf(r, err)
		s.renderError(w, status, msg)
		return
	}

	h := newHighlighter(q)
	p := docPage{Doc: d, Query: q, Version: s.cfg.Version, BackURL: "/"}
	if q != "" {
		p.BackURL = "/?" + url.Values{"q": {q}}.Encode()
	}
	p.Head = headData{Title: d.Title + " – stichwort"}
	var n int
	p.Title, n = h.Mark(d.Title)
	p.Marks += n
	if d.Lead != "" {
		p.Lead, n = h.Mark(d.Lead)
		p.Marks += n
	}
	for _, para := range strings.Split(d.Body, "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		m, n := h.Mark(para)
		p.Paragraphs = append(p.Paragraphs, m)
		p.Marks += n
	}
	p.Linked = s.linkedDocs(d.Links, q)
	p.Parents = s.linkedDocs(d.Parents, q)

	related, err := s.idx.Related(r.Context(), d.ID, relatedCount)
	if err != nil && !errors.Is(err, index.ErrNotFound) {
		// The page is useful without them; say so in the log only.
		s.logger.Warn("related documents", slog.String("id", d.ID), slog.String("error", err.Error()))
	}
	for _, rh := range related {
		p.Related = append(p.Related, relatedDoc{Hit: rh, DocURL: docPageURL(rh.ID, q)})
	}
	s.render(w, http.StatusOK, "doc.html", p)
}

// linkedDocs names the documents at urls, with their page here when they
// are indexed.
func (s *Server) linkedDocs(urls []string, q string) []linkedDoc {
	var out []linkedDoc
	for _, u := range urls[:min(len(urls), maxLinked)] {
		l := linkedDoc{Title: u, URL: u}
		if d, err := s.idx.Get(stichwort.DocID(u)); err == nil {
			l.DocURL = docPageURL(d.ID, q)
			if d.Title != "" {
				l.Title = d.Title
			}
		}
		out = append(out, l)
	}
	return out
}
