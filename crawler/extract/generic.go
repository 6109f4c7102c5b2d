package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipWords in a class or id mark blocks that are not the article text:
// teasers of other articles, sharing buttons, breadcrumbs, comments.
var skipWords = []string{
	"teaser", "related", "weitere", "empfehlung", "share", "social", "teilen",
	"breadcrumb", "comment", "kommentar", "newsletter", "cookie", "banner",
	"advert", "anzeige", "werbung", "sidebar", "pagination", "download",
	"stichw", "schlagw", "tags", "caption", "bildunterschrift",
}

func skipGeneric(n *html.Node) bool {
	return boilerplate[n.DataAtom] || nonContent[n.DataAtom] || hasClassOrID(n, skipWords...) ||
		strings.EqualFold(attr(n, "role"), "navigation") || strings.EqualFold(attr(n, "role"), "complementary")
}

// insideSkipped reports whether n or one of its ancestors up to (not
// including) root is skipped.
func insideSkipped(n, root *html.Node) bool {
	for ; n != nil && n != root; n = n.Parent {
		if n.Type == html.ElementNode && skipGeneric(n) {
			return true
		}
	}
	return false
}

// mainContainer finds the element that holds the article: the only
// top-level <article>, or of several the one with the <h1>; failing that
// <main> (or role=main), failing that <body>. isArticle is true when an
// <article> element was chosen.
func mainContainer(doc *goquery.Document) (root *goquery.Selection, isArticle bool) {
	arts := doc.Find("article").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentsFiltered("article").Length() == 0
	})
	switch {
	case arts.Length() == 1:
		return arts, true
	case arts.Length() > 1:
		withH1 := arts.FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("h1").Length() > 0 })
		if withH1.Length() == 1 {
			return withH1, true
		}
	}
	if m := doc.Find("main, [role=main]").First(); m.Length() > 0 {
		return m, false
	}
	return doc.Find("body").First(), false
}

// genericData is what the layout-independent fallback found.
type genericData struct {
	title  string
	lead   string
	date   time.Time
	body   []string
	author string
	tags   []string
}

var (
	leadWords    = []string{"lead", "intro", "summary", "abstract", "standfirst", "vorspann", "anreisser"}
	reDatePrefix = regexp.MustCompile(`^\s*[\[(]?\s*(\d{1,2}\.\s?\d{1,2}\.\s?\d{4})\s*[\])]?\s*[-–:|]?\s*`)
	reByline     = regexp.MustCompile(`(?i)^(?:von|by|autor(?:in)?:?|text:?)\s+`)
	reTagsLabel  = regexp.MustCompile(`(?i)^\s*(?:stichw(?:ö|oe)rter|schlagw(?:ö|oe)rter|schlagworte|themen|tags)\s*:`)
)

func genericExtract(doc *goquery.Document, root *goquery.Selection, siteName string) genericData {
	var g genericData
	rootNode := root.Get(0)

	if h := root.Find("h1").First(); h.Length() > 0 {
		g.title = text(h)
	} else if h := doc.Find("h1").First(); h.Length() > 0 {
		g.title = text(h)
	} else {
		g.title = cleanTitle(text(doc.Find("title").First()), siteName)
	}

	// Lead: a paragraph whose class says so.
	root.Find("p, div").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		n := s.Get(0)
		if !hasClassOrID(n, leadWords...) || insideSkipped(n, rootNode) {
			return true
		}
		g.lead = text(s)
		return g.lead == ""
	})
	if m := reDatePrefix.FindStringSubmatchIndex(g.lead); m != nil {
		if t, ok := ParseGermanDate(g.lead[m[2]:m[3]]); ok {
			g.date = t
			g.lead = strings.TrimSpace(g.lead[m[1]:])
		}
	}

	if g.date.IsZero() {
		g.date = genericDate(doc, root)
	}
	g.body = genericBody(root, g.lead)
	// A date prefix on the first paragraph ("[22.10.2024] Die Stadt …") is
	// the publication date, not text.
	if len(g.body) > 0 {
		if m := reDatePrefix.FindStringSubmatchIndex(g.body[0]); m != nil {
			if t, ok := ParseGermanDate(g.body[0][m[2]:m[3]]); ok {
				if g.date.IsZero() {
					g.date = t
				}
				g.body[0] = strings.TrimSpace(g.body[0][m[1]:])
			}
		}
	}
	g.author = genericAuthor(root)
	g.tags = genericTags(root)
	return g
}

// genericDate looks for a <time> element or an element whose class names a
// date, inside the container first, then in the page header. It never
// reads dates from running text.
func genericDate(doc *goquery.Document, root *goquery.Selection) time.Time {
	for _, scope := range []*goquery.Selection{root, doc.Find("body")} {
		var found time.Time
		scope.Find("time, [class*=date], [class*=datum], [itemprop=datePublished]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
			for _, a := range []string{"datetime", "content"} {
				if t, ok := ParseGermanDate(s.AttrOr(a, "")); ok {
					found = t
					return false
				}
			}
			txt := text(s)
			if utf8.RuneCountInString(txt) > 80 {
				return true
			}
			if t, _, ok := FindGermanDate(txt); ok {
				found = t
				return false
			}
			return true
		})
		if !found.IsZero() {
			return found
		}
	}
	return time.Time{}
}

// genericBody finds the element with the most paragraph text and returns
// its text blocks: paragraphs, subheadings, lists and quotes. Blocks that
// are mostly link text (download lines, "mehr zum Thema") are dropped.
func genericBody(root *goquery.Selection, lead string) []string {
	rootNode := root.Get(0)
	if rootNode == nil {
		return nil
	}
	score := make(map[*html.Node]int)
	var order []*html.Node
	root.Find("p").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		if insideSkipped(n, rootNode) || n.Parent == nil {
			return
		}
		t := text(s)
		if t == "" || t == lead {
			return
		}
		if _, ok := score[n.Parent]; !ok {
			order = append(order, n.Parent)
		}
		score[n.Parent] += utf8.RuneCountInString(t)
	})
	var best *html.Node
	for _, n := range order {
		if best == nil || score[n] > score[best] {
			best = n
		}
	}
	if best == nil {
		return nil
	}
	var blocks []string
	for c := best.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || skipGeneric(c) {
			continue
		}
		switch c.DataAtom {
		case atom.P, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Ul, atom.Ol, atom.Pre, atom.Dl:
		default:
			continue
		}
		if hasClassOrID(c, leadWords...) {
			continue
		}
		parts := []*html.Node{c}
		if c.DataAtom == atom.Ul || c.DataAtom == atom.Ol {
			// One block per list item, so items do not run together.
			parts = parts[:0]
			for li := c.FirstChild; li != nil; li = li.NextSibling {
				if li.Type == html.ElementNode && li.DataAtom == atom.Li {
					parts = append(parts, li)
				}
			}
		}
		for _, n := range parts {
			var b strings.Builder
			writeText(&b, n, skipGeneric)
			t := cleanText(b.String())
			if t == "" || t == lead || reTagsLabel.MatchString(t) || mostlyLinks(n, t) {
				continue
			}
			blocks = append(blocks, t)
		}
	}
	return blocks
}

// mostlyLinks reports whether at least 80 % of the block's text is link text.
func mostlyLinks(n *html.Node, t string) bool {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			writeText(&b, n, nil)
			b.WriteByte(' ')
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	linkLen := utf8.RuneCountInString(cleanText(b.String()))
	return linkLen > 0 && linkLen*5 >= utf8.RuneCountInString(t)*4
}

func genericAuthor(root *goquery.Selection) string {
	var author string
	root.Find(`[rel=author], [itemprop=author], .author, .autor, .byline`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		t := reByline.ReplaceAllString(text(s), "")
		if t != "" && utf8.RuneCountInString(t) <= 80 {
			author = t
			return false
		}
		return true
	})
	return author
}

// genericTags reads a "Stichwörter: a, b" or "Schlagwörter:" line: the texts
// of its links, or the comma-separated words after the label.
func genericTags(root *goquery.Selection) []string {
	var tags []string
	root.Find("p, div, ul, li, span, dd").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		t := text(s)
		if !reTagsLabel.MatchString(t) || utf8.RuneCountInString(t) > 500 {
			return true
		}
		s.Find("a").Each(func(_ int, a *goquery.Selection) {
			if at := text(a); at != "" {
				tags = append(tags, at)
			}
		})
		if len(tags) == 0 {
			tags = splitTags(reTagsLabel.ReplaceAllString(t, ""))
		}
		return false
	})
	return tags
}

// cleanTitle cuts the site name from a <title> ("Titel – Magazin").
func cleanTitle(title, siteName string) string {
	for _, sep := range []string{" – ", " — ", " | ", " - ", " · ", " :: "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		tail := strings.TrimSpace(title[i+len(sep):])
		if siteName == "" || strings.EqualFold(tail, siteName) || utf8.RuneCountInString(tail) < utf8.RuneCountInString(title[:i]) {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}
