package server

import (
	"html"
	"strings"
)

// safeSnippet guarantees that a snippet is escaped text with nothing but
// <mark> and </mark> as markup. The index already escapes; this is the
// second lock on the door, because the text comes from pages nobody here
// controls.
func safeSnippet(s string) string {
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(escapeRest(s))
			break
		}
		b.WriteString(escapeRest(s[:i]))
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<mark>"):
			b.WriteString("<mark>")
			s = s[len("<mark>"):]
		case strings.HasPrefix(s, "</mark>"):
			b.WriteString("</mark>")
			s = s[len("</mark>"):]
		default:
			b.WriteString("&lt;")
			s = s[1:]
		}
	}
	return b.String()
}

// escapeRest escapes what is not yet escaped: '>' and quotes, and '&' that
// does not start an entity.
func escapeRest(s string) string {
	if !strings.ContainsAny(s, `>"'&`) {
		return s
	}
	return html.EscapeString(html.UnescapeString(s))
}
