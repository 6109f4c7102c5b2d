package extract

import (
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// metaData are the article fields found in <meta> elements: OpenGraph,
// article:*, Dublin Core and the classic name="keywords", "description",
// "author", "date".
type metaData struct {
	ogType      string
	title       string
	siteName    string
	description string
	author      string
	tags        []string // article:tag
	keywords    []string // name="keywords"
	date        time.Time
}

// dateMetaNames are meta names and properties that carry a publication
// date, in order of preference.
var dateMetaNames = []string{
	"article:published_time", "og:article:published_time", "datepublished",
	"dc.date.issued", "dcterms.issued", "dc.date", "date", "pubdate",
	"publishdate", "publish-date", "publication_date", "sailthru.date",
}

func parseMeta(doc *goquery.Document) metaData {
	var md metaData
	values := make(map[string]string)
	doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		key := s.AttrOr("property", "")
		if key == "" {
			key = s.AttrOr("name", "")
		}
		if key == "" {
			key = s.AttrOr("itemprop", "")
		}
		key = strings.ToLower(strings.TrimSpace(key))
		content := cleanText(s.AttrOr("content", ""))
		if key == "" || content == "" {
			return
		}
		switch key {
		case "article:tag", "og:article:tag":
			md.tags = append(md.tags, content)
			return
		}
		if _, ok := values[key]; !ok {
			values[key] = content
		}
	})
	md.ogType = strings.ToLower(values["og:type"])
	md.title = values["og:title"]
	md.siteName = values["og:site_name"]
	md.description = firstOf(values, "og:description", "description", "dc.description")
	md.author = firstOf(values, "author", "dc.creator", "article:author")
	if strings.Contains(md.author, "://") { // article:author is often a profile URL
		md.author = ""
	}
	if kw := firstOf(values, "keywords", "news_keywords"); kw != "" {
		md.keywords = splitTags(kw)
	}
	for _, k := range dateMetaNames {
		if t, ok := ParseGermanDate(values[k]); ok {
			md.date = t
			break
		}
	}
	return md
}

func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}
