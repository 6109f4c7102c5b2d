package extract

import (
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"stichwort/crawler/urlnorm"
)

// ErrNotArticle is returned by ParseArticle for pages that are not a single
// article: listings, tag pages, the home page, or pages without a title or
// with too little text.
var ErrNotArticle = errors.New("extract: not an article")

// MinBodyRunes is the least body text (in characters) an article must have.
const MinBodyRunes = 200

// Article is what ParseArticle extracted from a news page.
type Article struct {
	// URL is the canonical URL (same host only) or the normalised page URL.
	URL    string    `json:"url"`
	Title  string    `json:"title"`
	Lead   string    `json:"lead,omitempty"`
	Body   string    `json:"body"` // paragraphs separated by "\n\n"
	Author string    `json:"author,omitempty"`
	Date   time.Time `json:"date"` // zero when the page gives none
	// Tags are the Stichwörter as written on the page (not yet cleaned).
	Tags []string `json:"tags,omitempty"`
	// PDFs are the PDFs the article text links, with their anchor texts.
	PDFs []Link `json:"pdfs,omitempty"`
	// Extractor names the source of the body: "jsonld", "profile:NAME",
	// "generic" or, where the generic extractor found too little,
	// "readability".
	Extractor string `json:"extractor"`
}

// ParseArticle extracts the article of the page at pageURL. It takes each
// field from the first source that has it, in this order: JSON-LD
// (NewsArticle, Article, …), OpenGraph and article:* meta, <meta
// name="keywords">, the first matching site profile, and a generic fallback
// (h1, the largest block of paragraphs in <article> or <main> without
// navigation, asides, headers, footers and teasers).
//
// A page is an article when it has an <article> element (exactly one, or
// one with the h1), a JSON-LD article or og:type "article", and a title and
// at least MinBodyRunes of body text. Otherwise ParseArticle returns
// ErrNotArticle; its links are still worth following (see ParseLinks).
func ParseArticle(pageURL *url.URL, doc *goquery.Document) (Article, error) {
	return parseArticle(pageURL, doc, builtinProfiles)
}

func parseArticle(pageURL *url.URL, doc *goquery.Document, profiles []Profile) (Article, error) {
	ld := parseJSONLD(doc)
	md := parseMeta(doc)
	pd, profiled := applyProfiles(doc, profiles)
	root, isArticleElem := mainContainer(doc)
	gd := genericExtract(doc, root, md.siteName)

	if !ld.found && md.ogType != "article" && !isArticleElem && !profiled && !hasMicrodataArticle(doc) {
		return Article{}, ErrNotArticle
	}

	a := Article{URL: pageURL.String()}
	if canon := ParseLinks(pageURL, doc).Canonical; canon != "" {
		a.URL = canon
	}
	a.Title = first(ld.headline, cleanTitle(md.title, md.siteName), pd.title, gd.title)
	a.Lead = stripDatePrefix(first(ld.description, md.description, pd.lead, gd.lead))
	a.Author = first(ld.author, md.author, pd.author, gd.author)
	a.Date = firstDate(ld.date, md.date, pd.date, gd.date)
	switch {
	case len(ld.keywords) > 0:
		a.Tags = ld.keywords
	case len(md.tags) > 0:
		a.Tags = md.tags
	case len(md.keywords) > 0:
		a.Tags = md.keywords
	case len(pd.tags) > 0:
		a.Tags = pd.tags
	default:
		a.Tags = gd.tags
	}

	var body []string
	switch {
	case strings.TrimSpace(ld.body) != "":
		body, a.Extractor = splitParagraphs(ld.body), "jsonld"
	case profiled && len(pd.body) > 0:
		body, a.Extractor = pd.body, "profile:"+pd.name
	default:
		body, a.Extractor = gd.body, "generic"
		if runes(body) < MinBodyRunes {
			// A layout the generic extractor does not understand.
			if rb := readabilityBody(pageURL, doc); runes(rb) > runes(body) {
				body, a.Extractor = rb, "readability"
				// A short first block with a date is the dateline
				// ("Pressemitteilung Nr. 17 · 5. März 2025"), not text.
				if len(body) > 1 && utf8.RuneCountInString(body[0]) <= 80 {
					if t, _, ok := FindGermanDate(body[0]); ok {
						if a.Date.IsZero() {
							a.Date = t
						}
						body = body[1:]
					}
				}
				// "[05.03.2025] Der Kreistag …": the date, not text.
				if m := reDatePrefix.FindStringSubmatchIndex(body[0]); m != nil {
					if t, ok := ParseGermanDate(body[0][m[2]:m[3]]); ok {
						if a.Date.IsZero() {
							a.Date = t
						}
						body[0] = strings.TrimSpace(body[0][m[1]:])
					}
				}
			}
		}
	}
	body = dropLead(body, a.Lead)
	a.Body = strings.Join(body, "\n\n")

	if a.Title == "" || utf8.RuneCountInString(a.Body) < MinBodyRunes {
		return Article{}, ErrNotArticle
	}

	container := root
	if profiled {
		container = doc.Find(profiles[indexOfProfile(profiles, pd.name)].Match).First()
	}
	a.PDFs = pdfLinks(pageURL, doc, container)
	return a, nil
}

// runes counts the characters of text blocks.
func runes(blocks []string) int {
	n := 0
	for _, b := range blocks {
		n += utf8.RuneCountInString(b)
	}
	return n
}

// hasMicrodataArticle reports a schema.org article in microdata
// (itemtype="https://schema.org/NewsArticle").
func hasMicrodataArticle(doc *goquery.Document) bool {
	found := false
	doc.Find("[itemscope][itemtype]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for t := range strings.FieldsSeq(s.AttrOr("itemtype", "")) {
			if isArticleType(t) {
				found = true
			}
		}
		return !found
	})
	return found
}

func indexOfProfile(ps []Profile, name string) int {
	for i, p := range ps {
		if p.Name == name {
			return i
		}
	}
	return 0
}

// pdfLinks are the PDF links inside the container, outside navigation and
// asides.
func pdfLinks(pageURL *url.URL, doc *goquery.Document, container *goquery.Selection) []Link {
	base := baseURL(pageURL, doc)
	rootNode := container.Get(0)
	var out []Link
	seen := make(map[string]bool)
	container.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		if insideBoilerplate(n, rootNode) {
			return
		}
		u, err := urlnorm.Resolve(base, s.AttrOr("href", ""))
		if err != nil || !isPDFLink(u, s.AttrOr("type", "")) || seen[u.String()] {
			return
		}
		seen[u.String()] = true
		out = append(out, Link{URL: u.String(), Text: text(s)})
	})
	return out
}

func insideBoilerplate(n, root *html.Node) bool {
	for ; n != nil && n != root; n = n.Parent {
		if n.Type == html.ElementNode && boilerplate[n.DataAtom] {
			return true
		}
	}
	return false
}

// stripDatePrefix cuts a "[22.10.2024] " prefix from a lead taken from a
// meta description that repeats the page's lead.
func stripDatePrefix(s string) string {
	if m := reDatePrefix.FindStringSubmatchIndex(s); m != nil {
		if _, ok := ParseGermanDate(s[m[2]:m[3]]); ok {
			return strings.TrimSpace(s[m[1]:])
		}
	}
	return s
}

// dropLead removes the lead from the start of the body, where generic
// layouts and articleBody often repeat it.
func dropLead(body []string, lead string) []string {
	if lead == "" || len(body) == 0 {
		return body
	}
	if body[0] == lead {
		return body[1:]
	}
	if rest, ok := strings.CutPrefix(body[0], lead); ok && rest != "" {
		out := append([]string{strings.TrimSpace(rest)}, body[1:]...)
		return out
	}
	return body
}

func splitParagraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if p = cleanText(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = cleanText(v); v != "" {
			return v
		}
	}
	return ""
}

func firstDate(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
