package samplesite

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Listing and site constants fixed by LAYOUT.md.
const (
	pageSize  = 10 // teasers per listing page and items in the feed
	moreLinks = 3  // "Weitere Meldungen" under an article
	navTags   = 5  // tag pages linked from the header
	siteName  = "eVerwaltung aktuell"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates are parsed once; a broken template fails every Build, which
// TestSiteIsUpToDate notices at once.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"date": germanDate,
}).ParseFS(templateFS, "templates/*.html"))

// germanDate formats t as dd.mm.yyyy.
func germanDate(t time.Time) string { return t.Format("02.01.2006") }

// TagSlug returns the file name of a tag page: lower case, ä→ae ö→oe ü→ue
// ß→ss, every other run of non-alphanumerics one "-".
func TagSlug(tag string) string {
	s := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss").Replace(strings.ToLower(tag))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// TagPath returns the URL path of the tag page of tag.
func TagPath(tag string) string { return "/stichwort/" + TagSlug(tag) + ".html" }

// listingPath returns the URL path of listing page n (1-based).
func listingPath(n int) string {
	if n == 1 {
		return "/"
	}
	return fmt.Sprintf("/archiv/seite-%d.html", n)
}

// Generate reads the sources in srcDir (testdata/articles) and writes the
// site to outDir (testdata/site), replacing outDir/www and
// outDir/dokumente entirely so that removed sources leave no files behind.
func Generate(srcDir, outDir string) error {
	arts, err := LoadArticles(srcDir)
	if err != nil {
		return err
	}
	pdfs, err := LoadPDFs(srcDir)
	if err != nil {
		return err
	}
	files, err := Build(arts, pdfs)
	if err != nil {
		return err
	}
	for _, dir := range []string{HostWWW, HostDokumente} {
		if err := os.RemoveAll(filepath.Join(outDir, dir)); err != nil {
			return fmt.Errorf("samplesite: %w", err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("samplesite: %w", err)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("samplesite: %w", err)
		}
	}
	return nil
}

// Build renders the whole site. The keys of the result are slash paths
// below the output directory: "www/artikel/x.html",
// "dokumente/beschluesse/y.pdf". arts must be sorted as LoadArticles
// returns them.
func Build(arts []Article, pdfs []PDF) (map[string][]byte, error) {
	if err := checkCorpus(arts, pdfs); err != nil {
		return nil, err
	}
	b := &builder{files: make(map[string][]byte), pdfs: make(map[string]PDF)}
	for _, p := range pdfs {
		b.pdfs[p.Name] = p
	}
	for _, a := range arts {
		if a.Intern {
			b.intern = append(b.intern, a)
		} else {
			b.public = append(b.public, a)
		}
	}
	b.nav = headerTags(b.public)

	steps := []func() error{b.articles, b.listings, b.tagPages, b.feed, b.sitemap, b.robots}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	for _, p := range pdfs {
		data, err := RenderPDF(p)
		if err != nil {
			return nil, err
		}
		b.files[p.Host+p.Path()] = data
	}
	return b.files, nil
}

// checkCorpus checks what spans files: PDF links resolve, every PDF is
// linked, and each PDF's Eindeutig word occurs nowhere else.
func checkCorpus(arts []Article, pdfs []PDF) error {
	linked := make(map[string]bool)
	names := make(map[string]bool)
	for _, p := range pdfs {
		names[p.Name] = true
	}
	for _, a := range arts {
		for _, l := range a.PDFs {
			if !names[l.Name] {
				return fmt.Errorf("%s:%d: PDF %q has no source pdfs/%s.txt", a.File, l.line, l.Name, l.Name)
			}
			linked[l.Name] = true
		}
	}
	for _, p := range pdfs {
		if !linked[p.Name] {
			return fmt.Errorf("%s: no article links this PDF, so no crawler can find it", p.File)
		}
		for _, a := range arts {
			text := strings.Join(append([]string{a.Title, a.Lead}, a.Body...), "\n")
			if containsWord(text, p.Unique) {
				return fmt.Errorf("%s: Eindeutig %q also occurs in %s", p.File, p.Unique, a.File)
			}
		}
		for _, q := range pdfs {
			if q.Name != p.Name && containsWord(q.Text(), p.Unique) {
				return fmt.Errorf("%s: Eindeutig %q also occurs in %s", p.File, p.Unique, q.File)
			}
		}
	}
	return nil
}

// headerTags picks the tags the header links: the most used among public
// articles, ties in vocabulary order.
func headerTags(public []Article) []tagLink {
	count := make(map[string]int)
	for _, a := range public {
		for _, t := range a.Tags {
			count[t]++
		}
	}
	tags := slices.Clone(Vocabulary)
	slices.SortStableFunc(tags, func(a, b string) int { return count[b] - count[a] })
	var out []tagLink
	for _, t := range tags {
		if count[t] > 0 && len(out) < navTags {
			out = append(out, newTagLink(t))
		}
	}
	return out
}

type tagLink struct{ Name, Path string }

func newTagLink(tag string) tagLink { return tagLink{Name: tag, Path: TagPath(tag)} }

type download struct{ Href, Text string }

// page is what the templates get; fields a page does not use stay empty.
type page struct {
	Title       string // before " – eVerwaltung aktuell"
	Canonical   string
	Description string
	Nav         []tagLink
	Intern      []Article // footer links, index.html only

	Article   Article
	Body      []string
	Downloads []download
	Tags      []tagLink
	More      []Article

	Heading    string
	Teasers    []Article
	Prev, Next string
}

type builder struct {
	files          map[string][]byte
	pdfs           map[string]PDF
	public, intern []Article
	nav            []tagLink
}

func (b *builder) render(path, tmpl string, p page) error {
	p.Nav = b.nav
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, tmpl, p); err != nil {
		return fmt.Errorf("samplesite: render %s: %w", path, err)
	}
	b.files[HostWWW+path] = buf.Bytes()
	return nil
}

func (b *builder) articles() error {
	for _, a := range append(slices.Clone(b.public), b.intern...) {
		p := page{
			Title:       a.Title,
			Canonical:   a.URL(),
			Description: a.Lead,
			Article:     a,
			Body:        slices.Clone(a.Body),
			More:        b.more(a),
		}
		p.Body[len(p.Body)-1] += " (" + a.Author + ")"
		for _, l := range a.PDFs {
			href := b.pdfs[l.Name].Path()
			if b.pdfs[l.Name].Host != HostWWW {
				href = b.pdfs[l.Name].URL()
			}
			p.Downloads = append(p.Downloads, download{Href: href, Text: l.Text})
		}
		for _, t := range a.Tags {
			p.Tags = append(p.Tags, newTagLink(t))
		}
		if err := b.render(a.Path(), "article.html", p); err != nil {
			return err
		}
	}
	return nil
}

// more returns the public articles listed under a: the next older ones,
// wrapping around to the newest.
func (b *builder) more(a Article) []Article {
	start := slices.IndexFunc(b.public, func(x Article) bool { return x.Slug == a.Slug }) + 1
	var out []Article
	for i := 0; i < len(b.public) && len(out) < moreLinks; i++ {
		x := b.public[(start+i)%len(b.public)]
		if x.Slug != a.Slug {
			out = append(out, x)
		}
	}
	return out
}

func (b *builder) listings() error {
	pages := max(1, (len(b.public)+pageSize-1)/pageSize)
	for n := 1; n <= pages; n++ {
		p := page{
			Title:   "Aktuelle Meldungen",
			Heading: "Aktuelle Meldungen",
			Teasers: b.public[(n-1)*pageSize : min(n*pageSize, len(b.public))],
		}
		path := "/index.html"
		if n == 1 {
			p.Canonical = WWWBase + "/"
			p.Intern = b.intern
		} else {
			path = listingPath(n)
			p.Title = fmt.Sprintf("Archiv – Seite %d", n)
			p.Heading = p.Title
			p.Canonical = WWWBase + path
			p.Prev = listingPath(n - 1)
		}
		if n < pages {
			p.Next = listingPath(n + 1)
		}
		if err := b.render(path, "listing.html", p); err != nil {
			return err
		}
	}
	return nil
}

// tagPages writes a page for every tag any article uses, so that the tag
// links of intern articles resolve too; they list public articles only.
func (b *builder) tagPages() error {
	for _, tag := range b.usedTags() {
		p := page{
			Title:     "Stichwort: " + tag,
			Heading:   "Stichwort: " + tag,
			Canonical: WWWBase + TagPath(tag),
		}
		for _, a := range b.public {
			if slices.Contains(a.Tags, tag) {
				p.Teasers = append(p.Teasers, a)
			}
		}
		if err := b.render(TagPath(tag), "listing.html", p); err != nil {
			return err
		}
	}
	return nil
}

// usedTags returns the tags of all articles in vocabulary order.
func (b *builder) usedTags() []string {
	var tags []string
	for _, t := range Vocabulary {
		for _, a := range append(slices.Clone(b.public), b.intern...) {
			if slices.Contains(a.Tags, t) {
				tags = append(tags, t)
				break
			}
		}
	}
	return tags
}

func (b *builder) robots() error {
	b.files[HostWWW+"/robots.txt"] = []byte("User-agent: *\nDisallow: /intern/\nSitemap: " + WWWBase + "/sitemap.xml\n")
	return nil
}
