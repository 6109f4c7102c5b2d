package extract

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	readability "codeberg.org/readeck/go-readability/v2"
)

// readabilityBody is the fallback for the body of a layout the generic
// extractor does not understand (text in <div>s and <br>s instead of
// paragraphs): Mozilla's Readability algorithm as ported by readeck. On
// the golden pages the generic extractor is closer to the true body
// (docs/BENCHMARKS.md, "Crawler and extraction"), since it knows German
// page furniture (Stichwörter lines, "Lesen Sie auch" boxes, download
// lines); so readability is used only when the generic body is too short
// to make an article. It works on a copy of the document.
func readabilityBody(pageURL *url.URL, doc *goquery.Document) []string {
	if len(doc.Nodes) == 0 {
		return nil
	}
	p := readability.NewParser()
	p.DisableJSONLD = true // JSON-LD is read by parseJSONLD already
	p.CharThresholds = MinBodyRunes
	// Readability's passes are not linear in the page size; a hostile page
	// of millions of elements gets no fallback body instead.
	p.MaxElemsToParse = maxReadabilityElems
	art, err := p.ParseDocument(doc.Nodes[0], pageURL)
	if err != nil || art.Node == nil {
		return nil
	}
	return textBlocks(art.Node)
}

// maxReadabilityElems bounds the elements readability looks at; news pages
// have a few thousand.
const maxReadabilityElems = 50_000

// readableBlock are the elements readability's output holds text in.
var readableBlock = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Dt: true, atom.Dd: true, atom.Td: true,
}

// textBlocks returns the text of the innermost block elements under n, one
// block per element, without Stichwörter lines and link lists.
func textBlocks(n *html.Node) []string {
	var blocks []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		a := elemAtom(n)
		if nonContent[a] || boilerplate[a] {
			return
		}
		if readableBlock[a] && !hasBlockChild(n) {
			var b strings.Builder
			writeText(&b, n, nil)
			t := cleanText(b.String())
			if t != "" && !reTagsLabel.MatchString(t) && !mostlyLinks(n, t) {
				blocks = append(blocks, t)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return blocks
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if readableBlock[elemAtom(c)] || hasBlockChild(c) {
			return true
		}
	}
	return false
}

// elemAtom is the element's tag as an atom, 0 for other nodes. Readability
// renames elements (a <div> of text becomes a <p>) by their Data only, so
// DataAtom cannot be trusted in its output.
func elemAtom(n *html.Node) atom.Atom {
	if n.Type != html.ElementNode {
		return 0
	}
	return atom.Lookup([]byte(n.Data))
}
