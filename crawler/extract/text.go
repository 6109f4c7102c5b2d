package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// invisible are characters that carry no text: the soft hyphen, zero-width
// spaces and joiners, and the byte order mark.
var invisible = strings.NewReplacer(
	"\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
)

// cleanText removes invisible characters, replaces invalid UTF-8 (which
// the HTML parser passes through) with U+FFFD and collapses white space
// (including no-break spaces) into single spaces.
func cleanText(s string) string {
	return strings.Join(strings.Fields(invisible.Replace(strings.ToValidUTF8(s, "\uFFFD"))), " ")
}

// nonContent are elements whose text is never article text.
var nonContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
	atom.Button: true, atom.Select: true, atom.Textarea: true,
}

// boilerplate are elements whose text is navigation or page furniture.
var boilerplate = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Header: true, atom.Footer: true, atom.Form: true,
}

// text returns the visible text of the selection, with white space
// collapsed. A <br> and the edges of block elements separate words.
func text(s *goquery.Selection) string {
	var b strings.Builder
	for _, n := range s.Nodes {
		writeText(&b, n, nil)
		b.WriteByte(' ')
	}
	return cleanText(b.String())
}

// writeText appends the text under n to b, skipping subtrees for which skip
// returns true.
func writeText(b *strings.Builder, n *html.Node, skip func(*html.Node) bool) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if nonContent[n.DataAtom] || (skip != nil && skip(n)) {
			return
		}
		if n.DataAtom == atom.Br || !inline[n.DataAtom] {
			b.WriteByte(' ')
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c, skip)
	}
	if n.Type == html.ElementNode && !inline[n.DataAtom] {
		b.WriteByte(' ')
	}
}

// inline are elements that do not separate words.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Cite: true,
	atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true, atom.I: true, atom.Kbd: true,
	atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
	atom.Wbr: true, atom.Del: true, atom.Ins: true, atom.Font: true,
}

// hasClassOrID reports whether n has a class or id containing one of the
// words (lower case).
func hasClassOrID(n *html.Node, words ...string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range words {
			if strings.Contains(v, w) {
				return true
			}
		}
	}
	return false
}

// attr returns the value of the attribute key of n.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
