package server

import (
	"encoding/xml"
	"net/http"
	"time"
)

// opml is an OPML 2.0 subscription list (https://opml.org/spec2.opml):
// what feed readers import in one step.
type opml struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    opmlHead `xml:"head"`
	Body    opmlBody `xml:"body"`
}

type opmlHead struct {
	Title       string `xml:"title"`
	DateCreated string `xml:"dateCreated"`
}

type opmlBody struct {
	Outlines []opmlOutline `xml:"outline"`
}

type opmlOutline struct {
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr"`
	Type    string `xml:"type,attr"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr,omitempty"`
}

// handleOPML exports the feeds of the alerts given by ids (ids=a,b) as an
// OPML file; unknown or deleted ids are left out.
func (s *Server) handleOPML(w http.ResponseWriter, r *http.Request) {
	st := s.alertStore(w, r)
	if st == nil {
		return
	}
	ids, err := parseIDs(r.URL.Query()["ids"])
	if err != nil {
		s.alertError(w, r, err)
		return
	}
	base := baseURL(r)
	doc := opml{Version: "2.0", Head: opmlHead{Title: "stichwort-Alarme", DateCreated: time.Now().UTC().Format(time.RFC1123Z)}}
	for _, id := range ids {
		a, err := st.Get(id)
		if err != nil {
			continue
		}
		doc.Body.Outlines = append(doc.Body.Outlines, opmlOutline{
			Text: a.Name, Title: a.Name, Type: "rss", // "rss" is OPML's type for any feed
			XMLURL:  base + alertFeedPath(a.ID, "atom"),
			HTMLURL: base + "/alarm/" + a.ID,
		})
	}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="stichwort-alarme.opml"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(data)
	_, _ = w.Write([]byte("\n"))
}
