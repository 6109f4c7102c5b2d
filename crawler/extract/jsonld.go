package extract

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// ldArticle are the fields of a schema.org Article (or NewsArticle, …)
// found in the page's JSON-LD.
type ldArticle struct {
	found       bool
	headline    string
	description string
	body        string
	author      string
	keywords    []string
	date        time.Time
}

// maxLDDepth bounds the walk through nested JSON-LD.
const maxLDDepth = 8

// parseJSONLD returns the first article in the page's
// <script type="application/ld+json"> blocks. Blocks that are not valid
// JSON are skipped.
func parseJSONLD(doc *goquery.Document) ldArticle {
	var out ldArticle
	doc.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		typ := strings.ToLower(strings.TrimSpace(s.AttrOr("type", "")))
		if !strings.HasPrefix(typ, "application/ld+json") {
			return true
		}
		raw := strings.TrimSpace(s.Text())
		raw = strings.TrimPrefix(raw, "<!--")
		raw = strings.TrimSuffix(raw, "-->")
		raw = strings.TrimPrefix(strings.TrimSpace(raw), "//<![CDATA[")
		raw = strings.TrimSuffix(strings.TrimSpace(raw), "//]]>")
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return true
		}
		if m := findArticle(v, 0); m != nil {
			out = readLDArticle(m)
			return false
		}
		return true
	})
	return out
}

// findArticle walks arrays, @graph and nested objects for an object whose
// @type is an article type.
func findArticle(v any, depth int) map[string]any {
	if depth > maxLDDepth {
		return nil
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if m := findArticle(e, depth+1); m != nil {
				return m
			}
		}
	case map[string]any:
		if isArticleType(x["@type"]) {
			return x
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage", "itemListElement"} {
			if m := findArticle(x[k], depth+1); m != nil {
				return m
			}
		}
	}
	return nil
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		name := x[strings.LastIndexAny(x, "/:#")+1:]
		return strings.HasSuffix(name, "Article") || name == "BlogPosting" ||
			name == "LiveBlogPosting" || name == "Report"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func readLDArticle(m map[string]any) ldArticle {
	a := ldArticle{found: true}
	a.headline = cleanText(ldString(m["headline"]))
	if a.headline == "" {
		a.headline = cleanText(ldString(m["name"]))
	}
	a.description = cleanText(ldString(m["description"]))
	a.body = ldString(m["articleBody"])
	a.author = ldAuthor(m["author"], 0)
	a.keywords = ldKeywords(m["keywords"])
	for _, k := range []string{"datePublished", "dateCreated"} {
		if t, ok := ParseGermanDate(ldString(m[k])); ok {
			a.date = t
			break
		}
	}
	return a
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	case map[string]any:
		if s, ok := x["@value"].(string); ok {
			return s
		}
	}
	return ""
}

func ldAuthor(v any, depth int) string {
	if depth > 3 {
		return ""
	}
	switch x := v.(type) {
	case string:
		return cleanText(x)
	case map[string]any:
		return cleanText(ldString(x["name"]))
	case []any:
		var names []string
		for _, e := range x {
			if n := ldAuthor(e, depth+1); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func ldKeywords(v any) []string {
	switch x := v.(type) {
	case string:
		return splitTags(x)
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, splitTags(s)...)
			}
		}
		return out
	}
	return nil
}

// splitTags splits a keyword list at commas (or semicolons, when there is
// no comma).
func splitTags(s string) []string {
	sep := ","
	if !strings.Contains(s, ",") {
		sep = ";"
	}
	var out []string
	for p := range strings.SplitSeq(s, sep) {
		if p = cleanText(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
