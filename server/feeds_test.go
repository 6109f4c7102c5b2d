package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"stichwort"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden feeds in testdata/feeds")

// TestFeedGolden pins the XML of both feed formats: entries with and
// without date, Stichwörter and snippet, and markup in titles.
func TestFeedGolden(t *testing.T) {
	updated := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	meta := feedMeta{Title: "stichwort: „Zwillinge“", Description: "Neue Treffer dieser Suche in stichwort",
		Link: "https://stichwort.example/?q=Zwillinge", Self: "https://stichwort.example/feed.atom?q=Zwillinge",
		ID: "https://stichwort.example/feed.atom?q=Zwillinge", Updated: updated}
	entries := []feedEntry{
		{ID: "https://a.example/zwilling", Title: "Ulm baut einen <digitalen> Zwilling & mehr", URL: "https://a.example/zwilling",
			Summary: "Der digitale <mark>Zwilling</mark> soll &quot;Hitzeinseln&quot; zeigen.", Published: time.Date(2024, 10, 22, 0, 0, 0, 0, time.UTC),
			Updated: updated, Tags: []string{"Smart City", "Digitale Zwillinge"}, Source: "a.example"},
		{ID: "https://b.example/beschluss.pdf", Title: "Beschluss ohne Datum", URL: "https://b.example/beschluss.pdf", Source: "b.example", DocType: stichwort.TypePDF},
	}
	for _, tc := range []struct {
		name   string
		render func(feedMeta, []feedEntry) ([]byte, error)
	}{{"search.atom", atomXML}, {"search.rss", rssXML}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.render(meta, entries)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "feeds", tc.name+".golden")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestFeedGolden -update ./server/)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file:\n%s", tc.name, got)
			}
		})
	}
}

// atomDoc and rssDoc read the elements a valid feed must have, to check
// what gofeed is lenient about.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  *struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Categories []struct {
			Term  *string `xml:"term,attr"`
			Label string  `xml:"label,attr"`
			Text  string  `xml:",chardata"`
		} `xml:"category"`
		Source *struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"source"`
	} `xml:"entry"`
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Links []struct {
			XMLName xml.Name
			Text    string `xml:",chardata"`
		} `xml:"link"` // RSS's <link> and <atom:link>
		Description string `xml:"description"`
		Items       []struct {
			Title      string   `xml:"title"`
			Link       string   `xml:"link"`
			GUID       string   `xml:"guid"`
			PubDate    string   `xml:"pubDate"`
			Categories []string `xml:"category"`
			Source     *struct {
				URL  string `xml:"url,attr"`
				Name string `xml:",chardata"`
			} `xml:"source"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestFeedElements(t *testing.T) {
	h, x := mustServer(t)
	res := get(t, h, "/api/search?tag=Smart+City&sort=date")
	var api apiResult
	mustJSON(t, res.Body.Bytes(), &api)
	if api.Total != 3 {
		t.Fatalf("fixture: %d Smart City documents", api.Total)
	}

	t.Run("atom", func(t *testing.T) {
		rec := get(t, h, "/feed.atom?tag=Smart+City")
		if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		var doc atomDoc
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.ID == "" || doc.Title == "" || doc.Updated == "" || doc.Author == nil || doc.Author.Name == "" {
			t.Errorf("feed without id, title, updated or author: %+v", doc)
		}
		var self bool
		for _, l := range doc.Links {
			self = self || (l.Rel == "self" && l.Href == "http://example.com/feed.atom?tag=Smart+City")
		}
		if !self {
			t.Errorf("no self link: %+v", doc.Links)
		}
		for _, e := range doc.Entries {
			if e.ID == "" || e.Title == "" || e.Updated == "" || len(e.Link) == 0 || e.Link[0].Rel != "alternate" || e.Link[0].Href != e.ID {
				t.Errorf("entry %+v misses id, title, updated or alternate link", e)
			}
			if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
				t.Errorf("updated %q: %v", e.Updated, err)
			}
			if len(e.Categories) == 0 {
				t.Errorf("%s: no categories", e.ID)
			}
			for _, c := range e.Categories {
				if c.Term == nil || *c.Term == "" || strings.TrimSpace(c.Text) != "" {
					t.Errorf("%s: category %+v is not <category term=\"…\"/>", e.ID, c)
				}
			}
			if e.Source == nil || !strings.HasPrefix(e.ID, e.Source.ID) || !strings.Contains(e.ID, "//"+e.Source.Title+"/") {
				t.Errorf("%s: source %+v", e.ID, e.Source)
			}
		}
	})
	t.Run("rss", func(t *testing.T) {
		rec := get(t, h, "/feed.rss?tag=Smart+City")
		var doc rssDoc
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		link := ""
		for _, l := range doc.Channel.Links {
			if l.XMLName.Space == "" {
				link = l.Text
			}
		}
		if doc.Version != "2.0" || doc.Channel.Title == "" || link != "http://example.com/?tag=Smart+City" || doc.Channel.Description == "" {
			t.Errorf("channel %+v", doc.Channel)
		}
		for _, it := range doc.Channel.Items {
			if it.Title == "" || it.Link == "" || it.GUID != it.Link || len(it.Categories) == 0 {
				t.Errorf("item %+v", it)
			}
			if it.Source == nil || !strings.HasPrefix(it.Link, it.Source.URL) || !strings.Contains(it.Link, "//"+it.Source.Name+"/") {
				t.Errorf("%s: source %+v", it.Link, it.Source)
			}
		}
	})

	for _, path := range []string{"/feed.atom", "/feed.rss"} {
		t.Run("gofeed "+path, func(t *testing.T) {
			rec := get(t, h, path+"?tag=Smart+City")
			feed, err := gofeed.NewParser().ParseString(rec.Body.String())
			if err != nil {
				t.Fatal(err)
			}
			if len(feed.Items) != len(api.Hits) || feed.Title != "stichwort: Stichwort Smart City" {
				t.Fatalf("%q with %d items, want %d", feed.Title, len(feed.Items), len(api.Hits))
			}
			for i, it := range feed.Items {
				hit := api.Hits[i]
				if it.GUID != hit.URL || it.Link != hit.URL || it.Title != hit.Title {
					t.Errorf("item %d: %q %q %q, want %+v", i, it.GUID, it.Link, it.Title, hit)
				}
				if hit.Date != nil && (it.PublishedParsed == nil || it.PublishedParsed.Format(time.DateOnly) != *hit.Date) {
					t.Errorf("item %d: published %v, want %s", i, it.PublishedParsed, *hit.Date)
				}
				if !slices.Equal(it.Categories, hit.Tags) {
					t.Errorf("item %d: categories %q, want the Stichwörter %q", i, it.Categories, hit.Tags)
				}
				if it.Description == "" {
					t.Errorf("item %d without snippet", i)
				}
				d, err := x.Get(hit.ID)
				if err != nil || !strings.Contains(it.Description, strings.Fields(d.Lead + " " + d.Body)[1]) {
					t.Errorf("item %d: snippet %q", i, it.Description)
				}
			}
		})
	}
}

func TestFeedConditionalGET(t *testing.T) {
	h, x := mustServer(t)
	for _, path := range []string{"/feed.atom?tag=Smart+City", "/feed.rss?q=Zwilling"} {
		t.Run(path, func(t *testing.T) {
			first := get(t, h, path)
			etag, lastMod := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
			if first.Code != http.StatusOK || etag == "" || lastMod == "" {
				t.Fatalf("status %d, ETag %q, Last-Modified %q", first.Code, etag, lastMod)
			}
			for _, h2 := range [][]string{{"If-None-Match", etag}, {"If-Modified-Since", lastMod}, {"If-None-Match", `"x", ` + etag}} {
				rec := get(t, h, path, h2...)
				if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
					t.Errorf("%s: status %d with %d bytes, want 304 and nothing", h2[0], rec.Code, rec.Body.Len())
				}
			}
			if rec := get(t, h, path, "If-None-Match", `"anders"`, "If-Modified-Since", lastMod); rec.Code != http.StatusOK {
				t.Errorf("another ETag: status %d (If-None-Match decides)", rec.Code)
			}
		})
	}
	t.Run("an old article found now changes the feed", func(t *testing.T) {
		path := "/feed.atom?tag=Smart+City"
		first := get(t, h, path)
		d := stichwort.Document{URL: "https://a.example/spaet-gefunden", Title: "Ein spät gefundener Zwilling",
			Date: time.Date(2012, 5, 1, 0, 0, 0, 0, time.UTC), Tags: []string{"Smart City"}, Source: "a.example",
			Body: "Erst jetzt gefunden.", FetchedAt: time.Now().Add(time.Hour)}
		if err := x.Put(context.Background(), []stichwort.Document{d}); err != nil {
			t.Fatal(err)
		}
		for _, hdr := range [][]string{{"If-None-Match", first.Header().Get("ETag")}, {"If-Modified-Since", first.Header().Get("Last-Modified")}} {
			if rec := get(t, h, path, hdr...); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), d.URL) {
				t.Errorf("%s: status %d, want the new entry", hdr[0], rec.Code)
			}
		}
	})
}
