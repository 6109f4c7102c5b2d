package server

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"html"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"stichwort"
	"stichwort/index"
)

// mustPage renders target and parses it.
func mustPage(tb testing.TB, h http.Handler, target string) *goquery.Document {
	tb.Helper()
	rec := get(tb, h, target)
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Fatalf("%s: content type %q", target, ct)
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// facetsOf reads the facets of a result page: "Facet/Label" -> count, and
// which values are selected.
func facetsOf(doc *goquery.Document) (counts map[string]string, selected []string) {
	counts = map[string]string{}
	doc.Find(".facette").Each(func(_ int, s *goquery.Selection) {
		facet := s.Find("h2").Text()
		s.Find("li a").Each(func(_ int, a *goquery.Selection) {
			key := facet + "/" + a.Find(".wert").Text()
			counts[key] = a.Find(".anzahl").Text()
			if a.HasClass("gewaehlt") {
				selected = append(selected, key)
			}
		})
	})
	slices.Sort(selected)
	return counts, selected
}

func facetLink(tb testing.TB, doc *goquery.Document, facet, label string) url.Values {
	tb.Helper()
	var href string
	doc.Find(".facette").Each(func(_ int, s *goquery.Selection) {
		if s.Find("h2").Text() != facet {
			return
		}
		s.Find("li a").Each(func(_ int, a *goquery.Selection) {
			if a.Find(".wert").Text() == label {
				href = a.AttrOr("href", "")
			}
		})
	})
	if href == "" {
		tb.Fatalf("no facet link %s/%s", facet, label)
	}
	return mustQuery(tb, href)
}

func mustQuery(tb testing.TB, href string) url.Values {
	tb.Helper()
	u, err := url.Parse(href)
	if err != nil || u.Path != "/" {
		tb.Fatalf("link %q is not a search: %v", href, err)
	}
	return u.Query()
}

// The fixture, testdata/docs.jsonl: seven documents.
//
//	zwilling-ulm   2024-10-22 article a.example    Smart City, Digitale Zwillinge, Politik
//	zwillinge-nrw  2025-03-05 article a.example    Digitale Zwillinge, Smart City       Nordrhein-Westfalen
//	cloud          2023-06-14 article a.example    Verwaltungscloud, Politik
//	kita           2022-09-01 article a.example    Kita, Onlinezugangsgesetz            Brandenburg
//	beschluss.pdf  2024-10-18 pdf     b.example    Digitale Zwillinge, Smart City
//	undatiert      —          article a.example    Politik
//	evil           2021-01-01 article evil.example <b>Hack</b>
func TestPageFacetCounts(t *testing.T) {
	h, _ := mustServer(t)
	allYears := map[string]string{"Jahr/2025": "1", "Jahr/2024": "2", "Jahr/2023": "1", "Jahr/2022": "1", "Jahr/2021": "1"}
	tests := []struct {
		name     string
		query    string
		total    string
		want     map[string]string // facet/value -> count; values not listed may be anything
		absent   []string          // facet/value that must not be offered
		selected []string
	}{
		{
			name: "no filter", query: "", total: "7",
			want: merge(allYears, map[string]string{
				"Stichwort/Smart City": "3", "Stichwort/Digitale Zwillinge": "3", "Stichwort/Politik": "3", "Stichwort/<b>Hack</b>": "1",
				"Typ/Artikel": "6", "Typ/Beschluss-PDF": "1",
				"Quelle/a.example": "5", "Quelle/b.example": "1", "Quelle/evil.example": "1",
				"Bundesland/Brandenburg": "1", "Bundesland/Nordrhein-Westfalen": "1",
			}),
		},
		{
			// Stichwörter narrow: each count is what remains when it is added.
			name: "one Stichwort", query: "tag=Smart+City", total: "3",
			want: map[string]string{
				"Stichwort/Smart City": "3", "Stichwort/Digitale Zwillinge": "3", "Stichwort/Politik": "1",
				"Typ/Artikel": "2", "Typ/Beschluss-PDF": "1", "Jahr/2024": "2", "Jahr/2025": "1",
				"Bundesland/Nordrhein-Westfalen": "1",
			},
			absent:   []string{"Stichwort/Kita", "Jahr/2023", "Bundesland/Brandenburg"},
			selected: []string{"Stichwort/Smart City"},
		},
		{
			name: "two Stichwörter: documents with both", query: "tag=Smart+City&tag=politik", total: "1",
			want:     map[string]string{"Stichwort/Smart City": "1", "Stichwort/politik": "1", "Stichwort/Digitale Zwillinge": "1", "Jahr/2024": "1", "Typ/Artikel": "1"},
			absent:   []string{"Typ/Beschluss-PDF", "Stichwort/Verwaltungscloud"},
			selected: []string{"Stichwort/Smart City", "Stichwort/politik"},
		},
		{
			// Jahr is disjunctive: after choosing 2024, the other years
			// still say how many hits they would add.
			name: "one year", query: "year=2024", total: "2",
			want: merge(allYears, map[string]string{
				"Typ/Artikel": "1", "Typ/Beschluss-PDF": "1",
				"Stichwort/Smart City": "2", "Stichwort/Digitale Zwillinge": "2", "Stichwort/Politik": "1",
			}),
			absent:   []string{"Bundesland/Brandenburg", "Quelle/evil.example"},
			selected: []string{"Jahr/2024"},
		},
		{
			name: "two years: either", query: "year=2024&year=2022", total: "3",
			want: merge(allYears, map[string]string{
				"Typ/Artikel": "2", "Typ/Beschluss-PDF": "1", "Bundesland/Brandenburg": "1", "Stichwort/Kita": "1",
			}),
			selected: []string{"Jahr/2022", "Jahr/2024"},
		},
		{
			// Facets combine with AND; each disjunctive facet is counted
			// under the others' selections.
			name: "year and type", query: "year=2024&type=pdf", total: "1",
			want:     map[string]string{"Jahr/2024": "1", "Typ/Artikel": "1", "Typ/Beschluss-PDF": "1", "Quelle/b.example": "1"},
			absent:   []string{"Jahr/2025", "Jahr/2021", "Quelle/a.example"},
			selected: []string{"Jahr/2024", "Typ/Beschluss-PDF"},
		},
		{
			name: "two types are all types", query: "type=pdf&type=article", total: "7",
			want:     map[string]string{"Typ/Artikel": "6", "Typ/Beschluss-PDF": "1"},
			selected: []string{"Typ/Artikel", "Typ/Beschluss-PDF"},
		},
		{
			name: "Bundesland", query: "state=Brandenburg", total: "1",
			want:     map[string]string{"Bundesland/Brandenburg": "1", "Bundesland/Nordrhein-Westfalen": "1", "Stichwort/Kita": "1", "Jahr/2022": "1"},
			selected: []string{"Bundesland/Brandenburg"},
		},
		{
			// q=Zwillinge finds ulm, nrw, undatiert (a.example) and evil.
			name: "source with a query", query: "q=Zwillinge&source=evil.example", total: "1",
			want:     map[string]string{"Quelle/a.example": "3", "Quelle/evil.example": "1", "Typ/Artikel": "1", "Jahr/2021": "1"},
			absent:   []string{"Quelle/b.example", "Typ/Beschluss-PDF", "Jahr/2024"},
			selected: []string{"Quelle/evil.example"},
		},
		{
			name: "two sources with a query", query: "q=Zwillinge&source=evil.example&source=a.example", total: "4",
			want:     map[string]string{"Quelle/a.example": "3", "Quelle/evil.example": "1", "Typ/Artikel": "4", "Jahr/2024": "1", "Jahr/2025": "1", "Jahr/2021": "1"},
			selected: []string{"Quelle/a.example", "Quelle/evil.example"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustPage(t, h, "/?"+tt.query)
			if got := doc.Find(".anzahl-treffer strong").Text(); got != tt.total {
				t.Errorf("total %q, want %q", got, tt.total)
			}
			if n := doc.Find("li.treffer-eintrag").Length(); strings.TrimSpace(tt.total) != "" && n != min(10, atoi(tt.total)) {
				t.Errorf("%d hits listed, total %s", n, tt.total)
			}
			counts, selected := facetsOf(doc)
			for k, want := range tt.want {
				if counts[k] != want {
					t.Errorf("facet %s = %q, want %q", k, counts[k], want)
				}
			}
			for _, k := range tt.absent {
				if c, ok := counts[k]; ok {
					t.Errorf("facet %s offered with count %s", k, c)
				}
			}
			if !slices.Equal(selected, sorted(tt.selected)) {
				t.Errorf("selected %q, want %q", selected, tt.selected)
			}
			if t.Failed() {
				t.Logf("all facets: %v", counts)
			}
		})
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// A facet link adds or removes exactly its own value and keeps the rest
// of the search (but not the page).
func TestPageFacetLinksToggleOneValue(t *testing.T) {
	h, _ := mustServer(t)
	doc := mustPage(t, h, "/?q=Zwillinge&year=2024&tag=Smart+City&sort=date&page=1")
	tests := []struct {
		facet, label string
		want         url.Values
	}{
		{"Jahr", "2025", url.Values{"q": {"Zwillinge"}, "tag": {"Smart City"}, "year": {"2024", "2025"}, "sort": {"date"}}},
		{"Jahr", "2024", url.Values{"q": {"Zwillinge"}, "tag": {"Smart City"}, "sort": {"date"}}},
		{"Typ", "Artikel", url.Values{"q": {"Zwillinge"}, "tag": {"Smart City"}, "year": {"2024"}, "type": {"article"}, "sort": {"date"}}},
		{"Stichwort", "Smart City", url.Values{"q": {"Zwillinge"}, "year": {"2024"}, "sort": {"date"}}},
		{"Stichwort", "Politik", url.Values{"q": {"Zwillinge"}, "tag": {"Smart City", "Politik"}, "year": {"2024"}, "sort": {"date"}}},
	}
	for _, tt := range tests {
		t.Run(tt.facet+"/"+tt.label, func(t *testing.T) {
			if got := facetLink(t, doc, tt.facet, tt.label); !maps.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("link %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPageChips(t *testing.T) {
	h, _ := mustServer(t)
	doc := mustPage(t, h, "/?q=Zwillinge&tag=Smart+City&type=pdf&year=2024&source=b.example&state=Berlin&from=2024-10-01&to=2024-10-31&sort=date")
	base := url.Values{"q": {"Zwillinge"}, "tag": {"Smart City"}, "type": {"pdf"}, "year": {"2024"}, "source": {"b.example"},
		"state": {"Berlin"}, "from": {"2024-10-01"}, "to": {"2024-10-31"}, "sort": {"date"}}
	without := func(keys ...string) url.Values {
		v := maps.Clone(base)
		for _, k := range keys {
			delete(v, k)
		}
		return v
	}
	want := []struct {
		label string
		query url.Values
	}{
		{"Stichwort: Smart City", without("tag")},
		{"Typ: Beschluss-PDF", without("type")},
		{"Jahr: 2024", without("year")},
		{"Quelle: b.example", without("source")},
		{"Bundesland: Berlin", without("state")},
		{"Zeitraum: Oktober 2024", without("from", "to")},
		{"alle Filter entfernen", url.Values{"q": {"Zwillinge"}, "sort": {"date"}}},
	}
	chips := doc.Find(".chips li a")
	if chips.Length() != len(want) {
		t.Fatalf("%d chips: %q", chips.Length(), chips.Text())
	}
	chips.Each(func(i int, a *goquery.Selection) {
		label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a.Text()), "×"))
		if label != want[i].label {
			t.Errorf("chip %d: %q, want %q", i, label, want[i].label)
		}
		if got := mustQuery(t, a.AttrOr("href", "")); !maps.EqualFunc(got, want[i].query, slices.Equal) {
			t.Errorf("chip %q removes to %v, want %v", label, got, want[i].query)
		}
	})

	// Open date bounds get a chip each.
	doc = mustPage(t, h, "/?from=2023-01-01")
	if got := doc.Find(".chips li a").First().Text(); !strings.Contains(got, "ab 01.01.2023") {
		t.Errorf("from chip %q", got)
	}
	if doc := mustPage(t, h, "/"); doc.Find(".chips").Length() != 0 {
		t.Error("chips without filters")
	}
}

func TestPageHits(t *testing.T) {
	h, _ := mustServer(t)
	doc := mustPage(t, h, "/?q=Kindertagesst%C3%A4tten")
	hit := doc.Find("li.treffer-eintrag").First()
	if a := hit.Find("h3 a"); a.Text() != "Kita-Anmeldung wird digital" || a.AttrOr("href", "") != "https://a.example/kita" {
		t.Errorf("title link %q -> %q", a.Text(), a.AttrOr("href", ""))
	}
	meta := hit.Find(".meta").Text()
	for _, want := range []string{"01.09.2022", "a.example", "Artikel", "Brandenburg"} {
		if !strings.Contains(meta, want) {
			t.Errorf("meta %q lacks %q", meta, want)
		}
	}
	if doc.Find("time").First().AttrOr("datetime", "") != "2022-09-01" {
		t.Error("no machine-readable date")
	}
	if m := hit.Find(".snippet mark").Text(); !strings.Contains(m, "Kindertagesstätten") {
		t.Errorf("snippet marks %q", m)
	}
	tag := hit.Find(".stichwoerter a.tag").First()
	if q := mustQuery(t, tag.AttrOr("href", "")); q.Get("q") != "Kindertagesstätten" || q.Get("tag") != tag.Text() {
		t.Errorf("Stichwort link %v does not filter this search", q)
	}
	text := hit.Find("a.text-ansehen").AttrOr("href", "")
	if u, _ := url.Parse(text); u == nil || u.Path != "/dokument/"+stichwort.DocID("https://a.example/kita") || u.Query().Get("q") != "Kindertagesstätten" {
		t.Errorf("document link %q", text)
	}

	// A PDF is labelled so.
	doc = mustPage(t, h, "/?type=pdf")
	if got := doc.Find("li.treffer-eintrag .typ").Text(); got != "Beschluss-PDF" {
		t.Errorf("PDF labelled %q", got)
	}
}

// A PDF names the article that links it; the document pages link both
// ways and offer related documents.
func TestDocumentPage(t *testing.T) {
	h, x := mustServer(t)
	article := stichwort.Document{URL: "https://a.example/dmk", Title: "Digitalministerkonferenz beschließt Zwillings-Standard",
		Date: time.Date(2025, 5, 22, 0, 0, 0, 0, time.UTC), Source: "a.example", Tags: []string{"Digitale Zwillinge", "Smart City"},
		Lead: "Die Länder einigen sich auf offene Schnittstellen für digitale Zwillinge.",
		Body: "Der Beschluss liegt als PDF vor.\n\nDie Umsetzung beginnt in Sachsen.", Links: []string{"https://b.example/dmk.pdf", "https://b.example/fehlt.pdf"}}
	pdf := stichwort.Document{URL: "https://b.example/dmk.pdf", Title: "Beschluss der DMK zu Zwillingen", Type: stichwort.TypePDF,
		Date: time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC), Source: "b.example", Tags: article.Tags,
		Body: "TOP 4: Digitale Zwillinge. Die Konferenz beschließt einen gemeinsamen Standard.", Parents: []string{article.URL}}
	if err := x.Put(context.Background(), []stichwort.Document{article, pdf}); err != nil {
		t.Fatal(err)
	}

	t.Run("hit of a PDF names its article", func(t *testing.T) {
		doc := mustPage(t, h, "/?q=TOP+4")
		a := doc.Find("li.treffer-eintrag .eltern a")
		if a.Text() != article.Title || a.AttrOr("href", "") != article.URL {
			t.Errorf("parent link %q -> %q", a.Text(), a.AttrOr("href", ""))
		}
	})

	t.Run("article", func(t *testing.T) {
		doc := mustPage(t, h, "/dokument/"+stichwort.DocID(article.URL)+"?q=Zwillinge+Sachsen")
		if got := doc.Find("h1 mark").Text(); got != "Zwillings" {
			t.Errorf("title marks %q", got)
		}
		var marks []string
		doc.Find(".text mark").Each(func(_ int, s *goquery.Selection) { marks = append(marks, s.Text()) })
		if !slices.Equal(marks, []string{"Zwillinge", "Sachsen"}) {
			t.Errorf("text marks %q", marks)
		}
		if got := doc.Find(".angaben").Text(); !strings.Contains(got, "22.05.2025") || !strings.Contains(got, "a.example") || !strings.Contains(got, "Sachsen") {
			t.Errorf("details %q", got)
		}
		if doc.Find("a.original").AttrOr("href", "") != article.URL {
			t.Error("no link to the original")
		}
		if n := doc.Find(".stichwoerter a.tag").Length(); n != 2 {
			t.Errorf("%d Stichwort links", n)
		}
		linked := doc.Find(".verlinkt li")
		if linked.Length() != 2 || linked.First().Find("a").First().Text() != pdf.Title ||
			linked.First().Find("a").First().AttrOr("href", "") != docPageURL(stichwort.DocID(pdf.URL), "Zwillinge Sachsen") {
			t.Errorf("linked PDFs: %q", linked.Text())
		}
		if linked.Eq(1).Find("a").Length() != 1 || linked.Eq(1).Find("a").AttrOr("href", "") != "https://b.example/fehlt.pdf" {
			t.Errorf("a PDF that is not indexed: %q", linked.Eq(1).Text())
		}
		related := doc.Find(".aehnlich li a")
		if related.Length() == 0 {
			t.Fatal("no related documents")
		}
		var titles []string
		related.Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
		if !slices.Contains(titles, pdf.Title) || slices.Contains(titles, article.Title) {
			t.Errorf("related %q", titles)
		}
		if back := doc.Find(".zurueck a").AttrOr("href", ""); back != "/?q=Zwillinge+Sachsen" {
			t.Errorf("back link %q", back)
		}
	})

	t.Run("PDF", func(t *testing.T) {
		doc := mustPage(t, h, "/dokument/"+stichwort.DocID(pdf.URL))
		a := doc.Find(".verlinkt a").First()
		if a.Text() != article.Title || a.AttrOr("href", "") != docPageURL(stichwort.DocID(article.URL), "") {
			t.Errorf("parent %q -> %q", a.Text(), a.AttrOr("href", ""))
		}
		if doc.Find("mark").Length() != 0 {
			t.Error("marks without a query")
		}
		if doc.Find(".typ").First().Text() != "Beschluss-PDF" {
			t.Error("not labelled as PDF")
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		for target, want := range map[string]int{
			"/dokument/" + stichwort.DocID(pdf.URL) + "?q=%ff": http.StatusBadRequest,
			"/dokument/" + strings.Repeat("a", 300):            http.StatusNotFound,
			"/dokument/gibtsnicht":                             http.StatusNotFound,
		} {
			if rec := get(t, h, target); rec.Code != want || !strings.Contains(rec.Body.String(), "Das hat nicht geklappt") {
				t.Errorf("%s: status %d, want %d", target[:min(len(target), 40)], rec.Code, want)
			}
		}
	})
}

// Crawled text reaches the page only as text: the fixture's title holds a
// <script>, its lead an <img onerror>, its Stichwort <b>.
func TestPageEscapesCrawledMarkup(t *testing.T) {
	h, _ := mustServer(t)
	evil := stichwort.DocID("https://evil.example/x")
	for _, target := range []string{"/?q=B%C3%B6se", "/?q=Markup", "/?tag=%3Cb%3EHack%3C/b%3E", "/dokument/" + evil + "?q=Markup+script"} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, h, target)
			body := rec.Body.String()
			for _, bad := range []string{"<script>", "<img", "<b>"} {
				if strings.Contains(body, bad) {
					t.Errorf("crawled markup %q reached the page", bad)
				}
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			doc.Find("script").Each(func(_ int, s *goquery.Selection) {
				if s.AttrOr("src", "") != "/static/suche.js" || strings.TrimSpace(s.Text()) != "" {
					t.Errorf("unexpected script src=%q", s.AttrOr("src", ""))
				}
			})
			if n := doc.Find("img, b, iframe, object").Length(); n != 0 {
				t.Errorf("%d elements from crawled markup", n)
			}
			doc.Find("*").Each(func(_ int, s *goquery.Selection) {
				for _, a := range s.Nodes[0].Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") {
						t.Errorf("event handler attribute %s=%q", a.Key, a.Val)
					}
				}
			})
			doc.Find("mark").Each(func(_ int, s *goquery.Selection) {
				if s.Children().Length() != 0 {
					t.Error("markup inside <mark>")
				}
			})
			if !strings.Contains(doc.Text(), "<script>alert('titel')</script> Böse Seite") {
				t.Error("the title is not shown as text")
			}
		})
	}
	doc := mustPage(t, h, "/dokument/"+evil+"?q=Markup")
	if got, _ := doc.Find(".text p").Last().Html(); got != "Text mit &lt;script&gt;alert(2)&lt;/script&gt; <mark>Markup</mark>." {
		t.Errorf("document text %q", got)
	}
	if rec := get(t, h, "/"); !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Error("no strict CSP")
	}
}

// stubSearcher answers searches from a function, to show states the
// fixture cannot produce on demand.
type stubSearcher struct {
	*index.Index
	search func(index.Request) (index.Result, bool)
}

func (s stubSearcher) Search(ctx context.Context, r index.Request) (index.Result, error) {
	if res, ok := s.search(r); ok {
		return res, nil
	}
	return s.Index.Search(ctx, r)
}

func TestPageDidYouMeanAndEmptyState(t *testing.T) {
	_, x := mustServer(t)
	stub := stubSearcher{Index: x, search: func(r index.Request) (index.Result, bool) {
		if r.Query != "Zwilinge" {
			return index.Result{}, false
		}
		return index.Result{Total: 1, Suggest: "Zwillinge", Fuzzy: true,
			Hits: []index.Hit{{ID: "x", URL: "https://a.example/x", Title: "Zwillinge", Snippet: "<mark>Zwillinge</mark>"}}}, true
	}}
	h, err := New(stub, Config{})
	if err != nil {
		t.Fatal(err)
	}

	doc := mustPage(t, h, "/?q=Zwilinge&tag=Politik")
	a := doc.Find(".meinten a")
	if q := mustQuery(t, a.AttrOr("href", "")); a.Text() != "Zwillinge" || q.Get("q") != "Zwillinge" || q.Get("tag") != "Politik" {
		t.Errorf("Meinten Sie: %q -> %v", a.Text(), q)
	}
	if u, _ := url.Parse(doc.Find("a.text-ansehen").AttrOr("href", "")); u == nil || u.Query().Get("q") != "Zwillinge" {
		t.Error("the document link does not highlight the corrected words")
	}

	h, _ = mustServer(t)
	doc = mustPage(t, h, "/?q=Zwillinge&year=2021&type=pdf")
	empty := doc.Find(".leer")
	if !strings.Contains(empty.Text(), "Keine Treffer für „Zwillinge“") || !strings.Contains(empty.Text(), "Ohne Filter gibt es 4 Treffer") {
		t.Errorf("empty state %q", empty.Text())
	}
	if q := mustQuery(t, empty.Find("a").First().AttrOr("href", "")); !maps.EqualFunc(q, url.Values{"q": {"Zwillinge"}}, slices.Equal) {
		t.Errorf("without filters: %v", q)
	}
	if empty.Find("a.tag").Length() == 0 {
		t.Error("no Stichwörter to browse")
	}
	if doc.Find(".chips").Length() == 0 {
		t.Error("the filters that emptied the result are not shown")
	}
}

func TestPageCharts(t *testing.T) {
	h, _ := mustServer(t)

	doc := mustPage(t, h, "/")
	bars := doc.Find("#zeitleiste-jahre a")
	if bars.Length() != 5 { // 2021 to 2025, each with hits
		t.Fatalf("%d year bars", bars.Length())
	}
	last := bars.Last()
	if !strings.HasPrefix(last.AttrOr("aria-label", ""), "2025: 1 Treffer") {
		t.Errorf("newest bar %q", last.AttrOr("aria-label", ""))
	}
	if q := mustQuery(t, last.AttrOr("href", "")); !maps.EqualFunc(q, url.Values{"year": {"2025"}}, slices.Equal) {
		t.Errorf("year bar narrows to %v", q)
	}
	if doc.Find("#zeitleiste-monate").Length() != 0 {
		t.Error("month chart without a chosen year")
	}

	// Inside one year: months, each a link to its date range.
	doc = mustPage(t, h, "/?year=2024")
	months := doc.Find("#zeitleiste-monate a")
	if months.Length() != 1 || !strings.HasPrefix(months.AttrOr("aria-label", ""), "Oktober 2024: 2 Treffer") {
		t.Fatalf("month bars: %d %q", months.Length(), months.AttrOr("aria-label", ""))
	}
	q := mustQuery(t, months.AttrOr("href", ""))
	if want := (url.Values{"year": {"2024"}, "from": {"2024-10-01"}, "to": {"2024-10-31"}}); !maps.EqualFunc(q, want, slices.Equal) {
		t.Errorf("month bar narrows to %v", q)
	}
	if n := doc.Find("#zeitleiste-monate rect.balken").Length(); n != 12 {
		t.Errorf("%d months drawn", n)
	}

	// With the month chosen, its bar is marked and widens to the year again.
	doc = mustPage(t, h, "/?"+q.Encode())
	sel := doc.Find("#zeitleiste-monate a.gewaehlt")
	if sel.Length() != 1 {
		t.Fatal("chosen month not marked")
	}
	if q := mustQuery(t, sel.AttrOr("href", "")); !maps.EqualFunc(q, url.Values{"year": {"2024"}}, slices.Equal) {
		t.Errorf("chosen month widens to %v", q)
	}
}

func TestOpenSearchAndFeedDiscovery(t *testing.T) {
	h, _ := mustServer(t)
	rec := get(t, h, "/opensearch.xml")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/opensearchdescription+xml") {
		t.Fatalf("status %d type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var d struct {
		XMLName   xml.Name
		ShortName string
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.XMLName.Space != "http://a9.com/-/spec/opensearch/1.1/" || d.ShortName != "stichwort" {
		t.Errorf("description %+v", d)
	}
	templates := map[string]string{}
	for _, u := range d.URLs {
		templates[u.Type] = u.Template
	}
	if templates["text/html"] != "http://example.com/?q={searchTerms}" || !strings.Contains(templates["application/atom+xml"], "/feed.atom?q={searchTerms}") {
		t.Errorf("templates %v", templates)
	}

	rec = get(t, h, "/opensearch/suggest?q=digitale+zw")
	var sugg []json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &sugg); err != nil || len(sugg) != 2 || !strings.Contains(string(sugg[1]), "digitale Zwilling") {
		t.Errorf("suggestions %s: %v", rec.Body, err)
	}

	for _, target := range []string{"/", "/?q=Zwillinge&tag=Smart+City", "/dokument/" + stichwort.DocID("https://a.example/kita"), "/gibtsnicht"} {
		rec := get(t, h, target)
		doc, _ := goquery.NewDocumentFromReader(rec.Body)
		if doc.Find(`link[rel=search][type="application/opensearchdescription+xml"]`).AttrOr("href", "") != "/opensearch.xml" {
			t.Errorf("%s: no OpenSearch link", target)
		}
		if doc.Find(`link[rel=alternate][type="application/atom+xml"]`).Length() != 1 {
			t.Errorf("%s: no feed autodiscovery", target)
		}
	}
	doc := mustPage(t, h, "/?q=Zwillinge&tag=Smart+City&sort=date&page=1")
	alt := doc.Find(`link[rel=alternate][type="application/atom+xml"]`).AttrOr("href", "")
	if alt != doc.Find("a.feed-atom").AttrOr("href", "") || alt != "/feed.atom?q=Zwillinge&tag=Smart+City" {
		t.Errorf("autodiscovery %q, feed link %q", alt, doc.Find("a.feed-atom").AttrOr("href", ""))
	}
	if rss := doc.Find("a.feed-rss").AttrOr("href", ""); rss != "/feed.rss?q=Zwillinge&tag=Smart+City" {
		t.Errorf("RSS link %q", rss)
	}
}

// The page is usable without JavaScript and with assistive technology:
// labelled controls, landmarks, one h1, German.
func TestPageAccessibility(t *testing.T) {
	h, _ := mustServer(t)
	for _, target := range []string{"/", "/?q=Zwillinge&year=2024", "/dokument/" + stichwort.DocID("https://a.example/kita") + "?q=Kita"} {
		t.Run(target, func(t *testing.T) {
			doc := mustPage(t, h, target)
			if doc.Find("html").AttrOr("lang", "") != "de" {
				t.Error("not marked German")
			}
			if doc.Find("h1").Length() != 1 {
				t.Errorf("%d h1", doc.Find("h1").Length())
			}
			for _, sel := range []string{"main#inhalt", "header", "footer", "a.skip[href='#inhalt']"} {
				if doc.Find(sel).Length() == 0 {
					t.Errorf("no %s", sel)
				}
			}
			doc.Find("input:not([type=hidden]), select").Each(func(_ int, s *goquery.Selection) {
				id := s.AttrOr("id", "")
				if id == "" || doc.Find("label[for='"+id+"']").Length() == 0 {
					t.Errorf("control %s without label", goquery.NodeName(s)+"#"+id)
				}
			})
			doc.Find("a").Each(func(_ int, s *goquery.Selection) {
				if strings.TrimSpace(s.Text()) == "" && s.AttrOr("aria-label", "") == "" {
					t.Errorf("link %q without text", s.AttrOr("href", ""))
				}
			})
		})
	}
	doc := mustPage(t, h, "/?q=Zwillinge")
	if doc.Find("form[role=search][action='/'][method=get]").Length() != 1 || doc.Find("nav[aria-label=Filter]").Length() != 1 {
		t.Error("search form or filter landmark missing")
	}
}

func TestHighlighter(t *testing.T) {
	tests := []struct {
		name, query, text, want string
	}{
		{"word", "Zwilling", "Der Zwilling.", "Der <mark>Zwilling</mark>."},
		{"inflection", "Zwillinge", "Zwilling, Zwillingen und Zwillings", "<mark>Zwilling</mark>, <mark>Zwillingen</mark> und <mark>Zwillings</mark>"},
		{"compound", "Zwilling", "Der Stadtzwilling wächst", "Der <mark>Stadtzwilling</mark> wächst"},
		{"umlaut folding", "Kindertagesstaetten", "Kindertagesstätten öffnen", "<mark>Kindertagesstätten</mark> öffnen"},
		{"ß", "Strasse", "Die Straße", "Die <mark>Straße</mark>"},
		{"case", "KITA", "kita und Kita", "<mark>kita</mark> und <mark>Kita</mark>"},
		{"s stays after s", "Beschluss", "Beschlüsse und Beschluss", "<mark>Beschlüsse</mark> und <mark>Beschluss</mark>"},
		{"stop words not marked", "die Cloud", "die Cloud", "die <mark>Cloud</mark>"},
		{"excluded words not marked", "Cloud -Bund", "Bund und Cloud", "Bund und <mark>Cloud</mark>"},
		{"phrase words", `"digitale Zwillinge"`, "digitale Zwillinge", "<mark>digitale</mark> <mark>Zwillinge</mark>"},
		{"short words whole only", "KI", "KI und Kita", "<mark>KI</mark> und Kita"},
		{"escaped", "script", `<script>alert("x")</script> & co`, `&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; co`},
		{"no query", "", "<b>fett</b>", "&lt;b&gt;fett&lt;/b&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := newHighlighter(tt.query).Mark(tt.text)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestGermanNumbers(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1234567: "1.234.567", -3: "0"} {
		if got := germanInt(n); got != want {
			t.Errorf("germanInt(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{800 * time.Microsecond: "0,8 ms", 12 * time.Millisecond: "12 ms", 1500 * time.Millisecond: "1.500 ms"} {
		if got := tookText(d); got != want {
			t.Errorf("tookText(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzHighlighter: whatever the text and query, the output is the text,
// escaped, with nothing but <mark> added.
func FuzzHighlighter(f *testing.F) {
	for _, s := range [][2]string{{"Zwillinge", "Der Zwilling <b>x</b>"}, {`"a b" -c OR d`, "a b c d"}, {"ß", "Straße & Weg"}, {"\xff", "\xfe<"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, query, text string) {
		got, _ := newHighlighter(query).Mark(text)
		plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(string(got))
		if plain != html.EscapeString(text) {
			t.Fatalf("text changed: %q -> %q", text, got)
		}
		if strings.Count(string(got), "<mark>") != strings.Count(string(got), "</mark>") {
			t.Fatalf("unbalanced marks: %q", got)
		}
	})
}

func TestPageRecentCheckbox(t *testing.T) {
	h, _ := mustServer(t)
	rec := get(t, h, "/?q=Zwilling&recent=1")
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil || rec.Code != http.StatusOK {
		t.Fatalf("status %d %v", rec.Code, err)
	}
	if _, ok := doc.Find("#recent").Attr("checked"); !ok {
		t.Error("checkbox not checked for recent=1")
	}
	next := doc.Find("a.feed-atom").AttrOr("href", "")
	if !strings.Contains(doc.Find(".sortierung a").AttrOr("href", ""), "recent=1") {
		t.Errorf("sort link drops recent=1; feed %q", next)
	}
}
