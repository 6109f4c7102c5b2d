package samplesite

import (
	"encoding/xml"
	"fmt"
	"net/http"
)

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
}

// feed writes /feed.rss with the newest public articles. Dates are
// RFC 1123 in GMT (http.TimeFormat), which every feed parser reads.
func (b *builder) feed() error {
	ch := rssChannel{
		Title:       siteName,
		Link:        WWWBase + "/",
		Description: "Fiktive Meldungen zur Digitalisierung der Verwaltung",
		Language:    "de",
	}
	for _, a := range b.public[:min(pageSize, len(b.public))] {
		ch.Items = append(ch.Items, rssItem{
			Title:       a.Title,
			Link:        a.URL(),
			GUID:        a.URL(),
			PubDate:     a.Date.UTC().Format(http.TimeFormat),
			Description: a.Lead,
			Categories:  a.Tags,
		})
	}
	if len(ch.Items) > 0 {
		ch.LastBuildDate = ch.Items[0].PubDate
	}
	return b.writeXML("/feed.rss", rssFeed{Version: "2.0", Channel: ch})
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap writes /sitemap.xml: listing pages, every article (intern ones
// too: the sitemap is how a crawler finds URLs it must then refuse) and
// every tag page.
func (b *builder) sitemap() error {
	set := urlset{XMLNS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	pages := max(1, (len(b.public)+pageSize-1)/pageSize)
	for n := 1; n <= pages; n++ {
		set.URLs = append(set.URLs, sitemapURL{Loc: WWWBase + listingPath(n)})
	}
	for _, a := range append(append([]Article(nil), b.public...), b.intern...) {
		set.URLs = append(set.URLs, sitemapURL{Loc: a.URL(), LastMod: a.Date.Format("2006-01-02")})
	}
	for _, t := range b.usedTags() {
		set.URLs = append(set.URLs, sitemapURL{Loc: WWWBase + TagPath(t)})
	}
	return b.writeXML("/sitemap.xml", set)
}

func (b *builder) writeXML(path string, v any) error {
	data, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("samplesite: %s: %w", path, err)
	}
	b.files[HostWWW+path] = append(append([]byte(xml.Header), data...), '\n')
	return nil
}
