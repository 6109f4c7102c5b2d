package extract

import (
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Profile describes the article layout of one site declaratively: CSS
// selectors (goquery/cascadia syntax) for the parts and regular expressions
// for conventions inside the text. A profile applies to a page when Match
// selects an element; the other selectors are evaluated inside it.
// Empty fields are not used.
type Profile struct {
	Name string
	// Match selects the article container.
	Match string
	// Title, Lead and Date select one element each (the first match).
	Title string
	Lead  string
	Date  string
	// LeadDate is matched against the start of the lead text; its first
	// group is a date (see ParseGermanDate) and the whole match is cut
	// from the lead.
	LeadDate *regexp.Regexp
	// Body selects the body blocks (usually paragraphs), in document order.
	Body string
	// BodyExclude removes blocks from Body that match it (download lines,
	// image captions).
	BodyExclude string
	// AuthorSuffix is matched against the end of the last body block; its
	// first group is the author and the whole match is cut.
	AuthorSuffix *regexp.Regexp
	// Author selects an element whose text is the author.
	Author string
	// Tags selects the elements whose texts are the Stichwörter.
	Tags string
}

// builtinProfiles are the layouts stichwort knows. Read-only.
var builtinProfiles = []Profile{
	{
		// The sample magazine "eVerwaltung aktuell" (testdata/articles/LAYOUT.md),
		// modelled on the conventions of German e-government trade press:
		// "[22.10.2024] " before the lead, the author's initials in
		// parentheses at the end of the text, a "Stichwörter:" line.
		Name:         "everwaltung",
		Match:        "article.artikel",
		Title:        "h1",
		Lead:         "p.lead",
		LeadDate:     regexp.MustCompile(`^\s*\[\s*(\d{1,2}\.\s?\d{1,2}\.\s?\d{4})\s*\]\s*`),
		Body:         "div.artikel-text > p",
		BodyExclude:  ".download",
		AuthorSuffix: regexp.MustCompile(`\s*\(\s*([\p{Ll}]{2,4}(?:\s*/\s*[\p{Ll}]{2,4})*)\s*\)\s*$`),
		Tags:         "p.stichwoerter a",
	},
}

// profileData is what a profile extracted from a page.
type profileData struct {
	name   string
	title  string
	lead   string
	date   time.Time
	body   []string
	author string
	tags   []string
}

// applyProfiles runs the first profile that matches the page.
func applyProfiles(doc *goquery.Document, profiles []Profile) (profileData, bool) {
	for _, p := range profiles {
		root := doc.Find(p.Match).First()
		if root.Length() == 0 {
			continue
		}
		return p.apply(root), true
	}
	return profileData{}, false
}

func (p Profile) apply(root *goquery.Selection) profileData {
	d := profileData{name: p.Name}
	first := func(sel string) *goquery.Selection {
		if sel == "" {
			return nil
		}
		s := root.Find(sel).First()
		if s.Length() == 0 {
			return nil
		}
		return s
	}
	if s := first(p.Title); s != nil {
		d.title = text(s)
	}
	if s := first(p.Lead); s != nil {
		d.lead = text(s)
		if p.LeadDate != nil {
			if m := p.LeadDate.FindStringSubmatchIndex(d.lead); len(m) >= 4 {
				if t, ok := ParseGermanDate(d.lead[m[2]:m[3]]); ok {
					d.date = t
				}
				d.lead = strings.TrimSpace(d.lead[m[1]:])
			}
		}
	}
	if s := first(p.Date); s != nil && d.date.IsZero() {
		if t, ok := ParseGermanDate(s.AttrOr("datetime", "")); ok {
			d.date = t
		} else if t, _, ok := FindGermanDate(text(s)); ok {
			d.date = t
		}
	}
	if p.Body != "" {
		root.Find(p.Body).Each(func(_ int, s *goquery.Selection) {
			if p.BodyExclude != "" && (s.Is(p.BodyExclude) || s.Find(p.BodyExclude).Length() > 0) {
				return
			}
			if t := text(s); t != "" {
				d.body = append(d.body, t)
			}
		})
	}
	if p.AuthorSuffix != nil && len(d.body) > 0 {
		last := d.body[len(d.body)-1]
		if m := p.AuthorSuffix.FindStringSubmatchIndex(last); len(m) >= 4 {
			d.author = last[m[2]:m[3]]
			last = strings.TrimSpace(last[:m[0]])
			if last == "" {
				d.body = d.body[:len(d.body)-1]
			} else {
				d.body[len(d.body)-1] = last
			}
		}
	}
	if s := first(p.Author); s != nil && d.author == "" {
		d.author = text(s)
	}
	if p.Tags != "" {
		root.Find(p.Tags).Each(func(_ int, s *goquery.Selection) {
			if t := text(s); t != "" {
				d.tags = append(d.tags, t)
			}
		})
	}
	return d
}
