package sitemap

import (
	"bytes"
	"compress/gzip"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func mustGzip(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

const urlset = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> http://www.stichwort.test/artikel/a.html </loc><lastmod>2024-10-22</lastmod></url>
  <url><loc>http://www.stichwort.test/artikel/b.html?x=1&amp;y=2</loc></url>
  <url><loc></loc></url>
</urlset>`

const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://www.stichwort.test/sitemap-artikel.xml.gz</loc></sitemap>
  <sitemap><loc>http://www.stichwort.test/sitemap-seiten.xml</loc></sitemap>
</sitemapindex>`

func TestParse(t *testing.T) {
	wantURLs := Sitemap{Entries: []Entry{
		{Loc: "http://www.stichwort.test/artikel/a.html", LastMod: "2024-10-22"},
		{Loc: "http://www.stichwort.test/artikel/b.html?x=1&y=2"},
	}}
	wantIndex := Sitemap{Index: true, Entries: []Entry{
		{Loc: "http://www.stichwort.test/sitemap-artikel.xml.gz"},
		{Loc: "http://www.stichwort.test/sitemap-seiten.xml"},
	}}
	tests := []struct {
		name    string
		data    []byte
		want    Sitemap
		wantErr error
	}{
		{"urlset", []byte(urlset), wantURLs, nil},
		{"gzip urlset", mustGzip(t, urlset), wantURLs, nil},
		{"index", []byte(index), wantIndex, nil},
		{"gzip index", mustGzip(t, index), wantIndex, nil},
		{"latin-1 declaration", []byte(strings.Replace(urlset, "UTF-8", "ISO-8859-1", 1)), wantURLs, nil},
		{"rss is not a sitemap", []byte(`<rss version="2.0"><channel></channel></rss>`), Sitemap{}, ErrNotSitemap},
		{"html", []byte(`<!DOCTYPE html><html><body>404</body></html>`), Sitemap{}, ErrNotSitemap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.data)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseGzipBomb(t *testing.T) {
	const limit = 1 << 16
	big := mustGzip(t, "<urlset>"+strings.Repeat(" ", limit+10))
	if len(big) > limit/10 {
		t.Fatalf("test input compresses to %d bytes; want a bomb", len(big))
	}
	if _, err := parse(big, limit); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
}

func TestParseBroken(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("nicht xml"), {0x1f, 0x8b, 0, 0}} {
		if _, err := Parse(data); err == nil {
			t.Errorf("Parse(%q) succeeded", data)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(urlset))
	f.Add([]byte(index))
	f.Add(mustGzip(f, urlset))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, err := Parse(data)
		if err != nil {
			return
		}
		for _, e := range sm.Entries {
			if e.Loc == "" || strings.TrimSpace(e.Loc) != e.Loc {
				t.Fatalf("untrimmed or empty loc %q", e.Loc)
			}
		}
	})
}
