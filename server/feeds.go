package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"stichwort"
	"stichwort/index"
)

type feedFormat int

const (
	feedAtom feedFormat = iota
	feedRSS
)

// feedSize is how many entries a feed carries: the newest matches.
const feedSize = 50

// feedMeta describes a feed as a whole.
type feedMeta struct {
	Title       string
	Description string
	Link        string // the HTML page of the feed (the search)
	Self        string // the feed's own URL
	ID          string // stable: the feed URL without parameters order noise
	Updated     time.Time
}

// feedEntry is one document in a feed.
type feedEntry struct {
	ID, Title, URL string
	Summary        string    // HTML: escaped text with <mark> at most
	Published      time.Time // publication date; zero when unknown
	Updated        time.Time
	Tags           []string
	Source         string // host
	DocType        string // stichwort.Type*
}

// handleFeed serves the search given by the query parameters as a feed,
// newest publication first, with conditional GET.
func (s *Server) handleFeed(format feedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := parseSearch(r.URL.Query())
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		canonical := searchValues(req).Encode()
		req.Sort, req.Page, req.Size = index.SortDate, 1, feedSize
		res, err := s.idx.Search(r.Context(), req)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		base := baseURL(r)
		meta := feedMeta{
			Title:       feedTitle(req),
			Description: "Neue Treffer dieser Suche in stichwort",
			Link:        base + "/?" + canonical,
			Self:        base + r.URL.Path + querySuffix(canonical),
			ID:          base + "/feed.atom" + querySuffix(canonical),
		}
		entries := make([]feedEntry, 0, len(res.Hits))
		for _, h := range res.Hits {
			e := feedEntry{ID: h.URL, Title: h.Title, URL: h.URL, Summary: safeSnippet(h.Snippet),
				Published: h.Date, Updated: h.Date, Tags: h.Tags, Source: h.Source, DocType: h.Type}
			// The entry changed when it was last fetched; a document with
			// an old date found today still moves Last-Modified forward.
			if d, err := s.idx.Get(h.ID); err == nil && d.FetchedAt.After(e.Updated) {
				e.Updated = d.FetchedAt
			}
			if e.Updated.After(meta.Updated) {
				meta.Updated = e.Updated
			}
			entries = append(entries, e)
		}
		s.writeFeed(w, r, format, meta, entries)
	}
}

func querySuffix(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

// writeFeed renders the feed and answers conditional requests: the ETag
// is a hash of the body, Last-Modified the newest entry's time; a
// repeated request gets 304 Not Modified without a body.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, format feedFormat, meta feedMeta, entries []feedEntry) {
	if meta.Updated.IsZero() {
		meta.Updated = time.Unix(0, 0).UTC()
	}
	var (
		body        []byte
		err         error
		contentType string
	)
	switch format {
	case feedAtom:
		contentType = "application/atom+xml; charset=utf-8"
		body, err = atomXML(meta, entries)
	default:
		contentType = "application/rss+xml; charset=utf-8"
		body, err = rssXML(meta, entries)
	}
	if err != nil {
		s.apiError(w, r, fmt.Errorf("server: render feed: %w", err))
		return
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	h.Set("Cache-Control", "max-age=60")
	// ServeContent evaluates If-None-Match (first) and If-Modified-Since
	// as RFC 9110 says, and answers HEAD and 304 without a body.
	http.ServeContent(w, r, "", meta.Updated.UTC(), bytes.NewReader(body))
}

// atomXML renders an Atom 1.0 feed. gorilla/feeds builds it; its entry
// type has no room for several categories and writes atom:source as text,
// so the entries are wrapped with valid <category term="…"/> and
// <source> elements that replace gorilla's fields of the same name.
func atomXML(meta feedMeta, entries []feedEntry) ([]byte, error) {
	f := gorillaFeed(meta, entries)
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	af.Id = meta.ID
	out := &atomFeed{AtomFeed: af, Links: []feeds.AtomLink{
		{Href: meta.Link, Rel: "alternate", Type: "text/html"},
		{Href: meta.Self, Rel: "self", Type: "application/atom+xml"},
	}}
	for i, ae := range af.Entries {
		e := entries[i]
		if !e.Published.IsZero() {
			ae.Published = e.Published.UTC().Format(time.RFC3339)
		}
		ae.Links[0].Type = "text/html"
		if e.DocType == stichwort.TypePDF {
			ae.Links[0].Type = "application/pdf"
		}
		x := &atomEntry{AtomEntry: ae}
		for _, t := range e.Tags {
			x.Categories = append(x.Categories, atomCategory{Term: stichwort.TagKey(t), Label: t})
		}
		if src, host := sourceURL(e.URL, e.Source); src != "" {
			x.Source = &atomSource{ID: src, Title: host, Link: &feeds.AtomLink{Href: src, Rel: "alternate"}}
		}
		out.Entries = append(out.Entries, x)
	}
	return toXML(out)
}

type atomFeed struct {
	*feeds.AtomFeed
	Links   []feeds.AtomLink `xml:"link"` // alternate and self, in place of gorilla's one link
	Entries []*atomEntry     `xml:"entry"`
}

func (f *atomFeed) FeedXml() any { return f }

type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
	Source     *atomSource    `xml:"source"`
}

type atomCategory struct {
	XMLName xml.Name `xml:"category"`
	Term    string   `xml:"term,attr"`
	Label   string   `xml:"label,attr,omitempty"`
}

// atomSource names the site an entry comes from (RFC 4287, 4.2.11).
type atomSource struct {
	XMLName xml.Name `xml:"source"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Link    *feeds.AtomLink
}

// rssXML renders an RSS 2.0 feed, built by gorilla/feeds and wrapped like
// the Atom feed: one <category> per Stichwort, <source url="…">, and an
// atom:link to itself as feed validators recommend.
func rssXML(meta feedMeta, entries []feedEntry) ([]byte, error) {
	f := gorillaFeed(meta, entries)
	f.Author = nil // RSS wants an e-mail address there, which stichwort has not
	rf := (&feeds.Rss{Feed: f}).RssFeed()
	rf.Language = "de"
	rf.Generator = "stichwort"
	ch := &rssChannel{RssFeed: rf, AtomLink: &rssAtomLink{Href: meta.Self, Rel: "self", Type: "application/rss+xml"}}
	for i, ri := range rf.Items {
		e := entries[i]
		if e.Published.IsZero() {
			ri.PubDate = "" // gorilla falls back to Updated; an unknown date stays unknown
		}
		x := &rssItem{RssItem: ri, Categories: e.Tags}
		if src, host := sourceURL(e.URL, e.Source); src != "" {
			x.Source = &rssSource{URL: src, Name: host}
		}
		ch.Items = append(ch.Items, x)
	}
	return toXML(&rssRoot{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", Channel: ch})
}

type rssRoot struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	AtomNS  string   `xml:"xmlns:atom,attr"`
	Channel *rssChannel
}

func (r *rssRoot) FeedXml() any { return r }

type rssChannel struct {
	*feeds.RssFeed
	AtomLink *rssAtomLink
	Items    []*rssItem `xml:"item"`
}

type rssAtomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

type rssItem struct {
	*feeds.RssItem
	Categories []string   `xml:"category"`
	Source     *rssSource `xml:"source"`
}

type rssSource struct {
	XMLName xml.Name `xml:"source"`
	URL     string   `xml:"url,attr"`
	Name    string   `xml:",chardata"`
}

// gorillaFeed is the feed in gorilla/feeds' generic form.
func gorillaFeed(meta feedMeta, entries []feedEntry) *feeds.Feed {
	f := &feeds.Feed{
		Title:       meta.Title,
		Link:        &feeds.Link{Href: meta.Link, Rel: "alternate"},
		Description: meta.Description,
		Author:      &feeds.Author{Name: "stichwort"},
		Id:          meta.ID,
		Updated:     meta.Updated.UTC(),
	}
	for _, e := range entries {
		updated := e.Updated
		if updated.IsZero() {
			updated = time.Unix(0, 0)
		}
		f.Items = append(f.Items, &feeds.Item{
			Title:       e.Title,
			Link:        &feeds.Link{Href: e.URL},
			Id:          e.ID,
			IsPermaLink: "true",
			Created:     e.Published.UTC(),
			Updated:     updated.UTC(),
			Description: e.Summary,
		})
	}
	return f
}

func toXML(x feeds.XmlFeed) ([]byte, error) {
	s, err := feeds.ToXML(x)
	return []byte(s), err
}

// sourceURL is the home page of the site a document comes from, and the
// site's name: source, or the URL's host.
func sourceURL(docURL, source string) (string, string) {
	u, err := url.Parse(docURL)
	if err != nil || u.Host == "" {
		return "", ""
	}
	if source == "" {
		source = u.Hostname()
	}
	return u.Scheme + "://" + u.Host + "/", source
}

func feedTitle(r index.Request) string {
	parts := []string{}
	if r.Query != "" {
		parts = append(parts, "„"+r.Query+"“")
	}
	if len(r.Tags) > 0 {
		parts = append(parts, "Stichwort "+strings.Join(r.Tags, " + "))
	}
	for _, t := range r.Types {
		parts = append(parts, typeLabel(t))
	}
	parts = append(parts, r.Sources...)
	parts = append(parts, r.States...)
	if len(parts) == 0 {
		return "stichwort: alle neuen Dokumente"
	}
	return "stichwort: " + strings.Join(parts, ", ")
}

// baseURL is the scheme and host the client used to reach us.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
