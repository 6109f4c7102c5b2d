package extract

import (
	"net/url"
	"path"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"stichwort/crawler/urlnorm"
)

// Link is a normalised link with its anchor text.
type Link struct {
	URL  string `json:"url"`
	Text string `json:"text,omitempty"`
}

// Links is what a page offers for discovery.
type Links struct {
	// Canonical is the normalised <link rel="canonical"> when it points to
	// the page's own host (host and port); otherwise empty. A canonical on
	// another host is ignored: a page cannot claim another site's URL.
	Canonical string `json:"canonical,omitempty"`
	// Pages are the <a href> links that are not PDFs, in document order,
	// without duplicates. They may point to any host; scope is the
	// crawler's decision.
	Pages []string `json:"pages,omitempty"`
	// PDFs are links whose path ends in .pdf or that say type="application/pdf".
	PDFs []Link `json:"pdfs,omitempty"`
	// Feeds are RSS and Atom feeds announced with <link rel="alternate">.
	Feeds []string `json:"feeds,omitempty"`
	// Next is the rel="next" page of a listing, if any (also in Pages when
	// it is an <a>).
	Next string `json:"next,omitempty"`
	// NoIndex and NoFollow come from <meta name="robots">.
	NoIndex  bool `json:"noindex,omitempty"`
	NoFollow bool `json:"nofollow,omitempty"`
}

var feedTypes = map[string]bool{
	"application/rss+xml":  true,
	"application/atom+xml": true,
}

// ParseLinks collects the links of the page at pageURL. Relative links are
// resolved against the page (or its <base href>); links that are not http
// or https are dropped.
func ParseLinks(pageURL *url.URL, doc *goquery.Document) Links {
	base := baseURL(pageURL, doc)
	var l Links
	resolve := func(href string) (*url.URL, bool) {
		href = strings.TrimSpace(href)
		if href == "" || strings.HasPrefix(href, "#") {
			return nil, false
		}
		u, err := urlnorm.Resolve(base, href)
		if err != nil {
			return nil, false
		}
		return u, true
	}

	doc.Find("link[rel]").Each(func(_ int, s *goquery.Selection) {
		rels := relSet(s.AttrOr("rel", ""))
		u, ok := resolve(s.AttrOr("href", ""))
		if !ok {
			return
		}
		switch {
		case rels["canonical"] && l.Canonical == "":
			if u.Host == pageURL.Host {
				l.Canonical = u.String()
			}
		case rels["alternate"] && feedTypes[strings.ToLower(strings.TrimSpace(s.AttrOr("type", "")))]:
			l.Feeds = appendUnique(l.Feeds, u.String())
		case rels["next"] && l.Next == "":
			l.Next = u.String()
		}
	})

	seenPDF := make(map[string]bool)
	seenPage := make(map[string]bool)
	doc.Find("a[href], area[href]").Each(func(_ int, s *goquery.Selection) {
		u, ok := resolve(s.AttrOr("href", ""))
		if !ok {
			return
		}
		if isPDFLink(u, s.AttrOr("type", "")) {
			if !seenPDF[u.String()] {
				seenPDF[u.String()] = true
				l.PDFs = append(l.PDFs, Link{URL: u.String(), Text: text(s)})
			}
			return
		}
		if relSet(s.AttrOr("rel", ""))["next"] && l.Next == "" {
			l.Next = u.String()
		}
		if !seenPage[u.String()] {
			seenPage[u.String()] = true
			l.Pages = append(l.Pages, u.String())
		}
	})

	doc.Find("meta[name][content]").Each(func(_ int, s *goquery.Selection) {
		if !strings.EqualFold(s.AttrOr("name", ""), "robots") {
			return
		}
		for d := range strings.SplitSeq(strings.ToLower(s.AttrOr("content", "")), ",") {
			switch strings.TrimSpace(d) {
			case "noindex":
				l.NoIndex = true
			case "nofollow":
				l.NoFollow = true
			case "none":
				l.NoIndex, l.NoFollow = true, true
			}
		}
	})
	return l
}

// IsPDFURL reports whether the URL's path names a PDF file.
func IsPDFURL(u *url.URL) bool {
	return strings.EqualFold(path.Ext(u.Path), ".pdf")
}

func isPDFLink(u *url.URL, typ string) bool {
	return IsPDFURL(u) || strings.EqualFold(strings.TrimSpace(typ), "application/pdf")
}

// baseURL is the page URL, or the <base href> resolved against it.
func baseURL(pageURL *url.URL, doc *goquery.Document) *url.URL {
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if u, err := urlnorm.Resolve(pageURL, href); err == nil {
			return u
		}
	}
	return pageURL
}

func relSet(rel string) map[string]bool {
	m := make(map[string]bool)
	for _, r := range strings.Fields(strings.ToLower(rel)) {
		m[r] = true
	}
	return m
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
