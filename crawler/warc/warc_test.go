package warc

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func mustWriter(tb testing.TB, dir string, o Options) *Writer {
	tb.Helper()
	w, err := NewWriter(dir, o)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func exchange(i int, body string) Exchange {
	return Exchange{
		URL:           fmt.Sprintf("http://www.stichwort.test/artikel/%d.html?a=b", i),
		Time:          time.Date(2024, 10, 22, 8, 0, i, 0, time.UTC),
		RequestHeader: http.Header{"User-Agent": {"stichwort/test"}, "If-None-Match": {`"x"`}},
		Proto:         "HTTP/1.1",
		Status:        http.StatusOK,
		Header:        http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Etag": {`"abc"`}, "Content-Length": {"999"}},
		Body:          []byte(body),
	}
}

func collect(t *testing.T, dir string) []Response {
	t.Helper()
	var out []Response
	if err := Each(dir, nil, func(r Response) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	w := mustWriter(t, dir, Options{Software: "stichwort test"})
	want := []Exchange{
		exchange(1, "<html><body>Grüße aus Ulm</body></html>"),
		{URL: "http://www.stichwort.test/alt", Time: time.Now().UTC(), Status: http.StatusMovedPermanently,
			Header: http.Header{"Location": {"/neu"}}},
		{URL: "http://www.stichwort.test/robots.txt", Time: time.Now().UTC(), Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("User-agent: *\nDisallow: /in"), Truncated: true},
		{URL: "http://www.stichwort.test/artikel/1.html?a=b", Time: time.Now().UTC(), Status: http.StatusNotModified},
		{URL: "http://www.stichwort.test/x.pdf", Time: time.Now().UTC(), Status: http.StatusOK,
			Header: http.Header{"Content-Type": {"application/pdf"}}, Body: bytes.Repeat([]byte{0, 1, 2, 0xff, '\r', '\n'}, 50000)},
	}
	for _, e := range want {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := collect(t, dir)
	if len(got) != len(want) {
		t.Fatalf("read %d responses, wrote %d", len(got), len(want))
	}
	for i, e := range want {
		g := got[i]
		if g.URL != e.URL || g.Status != e.Status || !bytes.Equal(g.Body, e.Body) || g.Truncated != e.Truncated ||
			!g.Time.Equal(e.Time.Truncate(time.Second)) && !g.Time.Equal(e.Time) {
			t.Errorf("response %d: got %s %d %d bytes truncated=%v at %v; want %s %d %d bytes truncated=%v at %v",
				i, g.URL, g.Status, len(g.Body), g.Truncated, g.Time, e.URL, e.Status, len(e.Body), e.Truncated, e.Time)
		}
		for k := range e.Header {
			if k == "Content-Length" {
				continue
			}
			if g.Header.Get(k) != e.Header.Get(k) {
				t.Errorf("response %d header %s = %q, want %q", i, k, g.Header.Get(k), e.Header.Get(k))
			}
		}
		if cl := g.Header.Get("Content-Length"); cl != fmt.Sprint(len(e.Body)) {
			t.Errorf("response %d Content-Length = %q, want the stored body's %d", i, cl, len(e.Body))
		}
		r, err := ReadAt(g.File, g.Offset)
		if err != nil || r.URL != g.URL || !bytes.Equal(r.Body, g.Body) {
			t.Errorf("ReadAt(%s, %d) = %s, %v", g.File, g.Offset, r.URL, err)
		}
	}
	files, _ := Files(dir)
	if len(files) != 1 || filepath.Base(files[0]) != "stichwort-000001.warc.gz" {
		t.Errorf("files = %q", files)
	}
}

func TestRotateAndRecover(t *testing.T) {
	dir := t.TempDir()
	w := mustWriter(t, dir, Options{MaxFileSize: 2000})
	body := strings.Repeat("Verwaltungsdigitalisierung ", 400) // compresses to a few hundred bytes
	for i := range 12 {
		if err := w.Write(exchange(i, body+fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	files, _ := Files(dir)
	if len(files) < 3 {
		t.Fatalf("12 records with a 2000-byte limit made %d files", len(files))
	}

	// A crash: the last file is still marked open and its last record torn.
	last := files[len(files)-1]
	data, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(last+".open", data[:len(data)-40], 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(last)
	before := len(collect(t, dir))
	if before != 11 {
		t.Errorf("with a torn last record read %d responses, want 11", before)
	}

	w2 := mustWriter(t, dir, Options{MaxFileSize: 2000})
	if err := w2.Write(exchange(99, "neu")); err != nil {
		t.Fatal(err)
	}
	w2.Close()
	files2, _ := Files(dir)
	if files2[len(files2)-2] != last {
		t.Errorf("the open file was not recovered under its name: %q", files2)
	}
	got := collect(t, dir)
	if len(got) != 12 || got[len(got)-1].URL != exchange(99, "").URL {
		t.Errorf("after restart read %d responses, last %q", len(got), got[len(got)-1].URL)
	}
}

// BenchmarkWrite measures archiving a 30 KB page (request and response
// record, gzip, fsync).
func BenchmarkWrite(b *testing.B) {
	w := mustWriter(b, b.TempDir(), Options{})
	defer w.Close()
	body := strings.Repeat("<p>Die Verwaltung digitalisiert einen weiteren Antrag.</p>\n", 500)
	n := 0
	for b.Loop() {
		if err := w.Write(exchange(n, body)); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
}
