package server

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"unicode/utf8"
)

// openSearchDescription is the OpenSearch 1.1 description document, with
// which browsers add stichwort as a search engine.
// https://github.com/dewitt/opensearch/blob/master/opensearch-1-1-draft-6.md
type openSearchDescription struct {
	XMLName        xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName      string          `xml:"ShortName"`
	Description    string          `xml:"Description"`
	Tags           string          `xml:"Tags"`
	Language       string          `xml:"Language"`
	InputEncoding  string          `xml:"InputEncoding"`
	OutputEncoding string          `xml:"OutputEncoding"`
	Image          openSearchImage `xml:"Image"`
	URLs           []openSearchURL `xml:"Url"`
}

type openSearchImage struct {
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	Type   string `xml:"type,attr"`
	URL    string `xml:",chardata"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

func (s *Server) handleOpenSearch(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	d := openSearchDescription{
		ShortName:      "stichwort",
		Description:    "Suche in Nachrichten und Beschlüssen der digitalen Verwaltung",
		Tags:           "E-Government Verwaltung Digitalisierung",
		Language:       "de-de",
		InputEncoding:  "UTF-8",
		OutputEncoding: "UTF-8",
		Image:          openSearchImage{Width: 16, Height: 16, Type: "image/svg+xml", URL: base + "/static/favicon.svg"},
		URLs: []openSearchURL{
			{Type: "text/html", Method: "get", Template: base + "/?q={searchTerms}"},
			{Type: "application/atom+xml", Template: base + "/feed.atom?q={searchTerms}"},
			{Type: "application/rss+xml", Template: base + "/feed.rss?q={searchTerms}"},
			{Type: "application/x-suggestions+json", Template: base + "/opensearch/suggest?q={searchTerms}"},
			{Type: "application/opensearchdescription+xml", Rel: "self", Template: base + "/opensearch.xml"},
		},
	}
	out, err := xml.MarshalIndent(d, "", "  ")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/opensearchdescription+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
	_, _ = w.Write([]byte("\n"))
}

// handleOpenSearchSuggest answers a browser's search suggestions in the
// OpenSearch suggestions format: ["prefix", ["completion", ...]].
func (s *Server) handleOpenSearchSuggest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > 100 {
		s.apiError(w, r, badParam("Parameter q: höchstens 100 Zeichen gültiges UTF-8"))
		return
	}
	// Complete the word being typed; keep the words before it.
	before, last := "", q
	if i := strings.LastIndexAny(q, " \t"); i >= 0 {
		before, last = q[:i+1], q[i+1:]
	}
	words, err := s.idx.Suggest(r.Context(), last, maxSuggestions)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	completions := make([]string, 0, len(words))
	for _, w := range words {
		completions = append(completions, before+w)
	}
	w.Header().Set("Content-Type", "application/x-suggestions+json; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=60")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode([]any{q, completions})
}
