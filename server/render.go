package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"stichwort"
)

// What every page shares: the template functions, German formats, the
// common head and the rendering itself.

var templateFuncs = template.FuncMap{
	"germanDate": germanDate,
	"typeLabel":  typeLabel,
	"snippet":    func(s string) template.HTML { return template.HTML(safeSnippet(s)) }, // safeSnippet leaves only <mark>
	"tagURL": func(tag string) string {
		return "/?" + url.Values{"tag": {tag}}.Encode()
	},
	"stateURL": func(state string) string {
		return "/?" + url.Values{"state": {state}}.Encode()
	},
	"fixed": func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	// headTitle lets a page that has only a title use the common head.
	"headTitle": func(title string) headData { return headData{Title: title} },
}

// germanDate formats a date the German way, 22.10.2024; empty when unknown.
func germanDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}

// germanInt writes n with a dot between thousands: 12.345.
func germanInt[T int | uint64](n T) string {
	s := strconv.FormatUint(uint64(max(n, 0)), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// tookText says how long a search took: "0,8 ms", "12 ms".
func tookText(d time.Duration) string {
	ms := float64(d.Microseconds()) / 1000
	if ms < 10 {
		return strings.Replace(strconv.FormatFloat(ms, 'f', 1, 64), ".", ",", 1) + " ms"
	}
	return germanInt(int(ms+0.5)) + " ms"
}

func typeLabel(t string) string {
	switch t {
	case stichwort.TypeArticle:
		return "Artikel"
	case stichwort.TypePDF:
		return "Beschluss-PDF"
	}
	return t
}

var monthNames = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}

// docPageURL is the document page, carrying the query whose words it
// highlights.
func docPageURL(id, query string) string {
	u := "/dokument/" + url.PathEscape(id)
	if query != "" {
		u += "?" + url.Values{"q": {query}}.Encode()
	}
	return u
}

// headData is what the common page head needs: the title and the feeds
// a browser offers for the page.
type headData struct {
	Title     string
	FeedTitle string // empty: the feed of all documents
	FeedAtom  string
	FeedRSS   string
}

type errorPage struct {
	Message string
	Version string
}

func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, http.StatusNotFound, "Diese Seite gibt es nicht.")
}

func (s *Server) renderError(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error.html", errorPage{Message: msg, Version: s.cfg.Version})
}

// render executes a template into a buffer first, so a failing template
// gives a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.logger.Error("render page", "template", name, "error", err)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
