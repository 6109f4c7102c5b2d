package crawler

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"stichwort/crawler/pdftext"
	"stichwort/crawler/state"
)

// BenchmarkParseHTML measures what a worker does with a fetched article of
// the sample site: charset detection, HTML parsing, links and extraction.
// It reports pages per second on one core.
func BenchmarkParseHTML(b *testing.B) {
	files, _ := filepath.Glob("../testdata/site/www/artikel/*.html")
	if len(files) == 0 {
		b.Skip("sample site not generated")
	}
	var pages [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, data)
	}
	u, _ := url.Parse("http://www.stichwort.test/artikel/x.html")
	j := &job{url: u, key: u.String(), kind: state.KindPage}
	n := 0
	for b.Loop() {
		pr, err := parseHTML(j, pages[n%len(pages)], "text/html; charset=utf-8")
		if err != nil || pr.article == nil {
			b.Fatalf("page %d: %v", n%len(pages), err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkExtractPDF measures the text extraction of the sample site's
// PDFs and reports PDF pages per second on one core.
func BenchmarkExtractPDF(b *testing.B) {
	files, _ := filepath.Glob("../testdata/site/*/*/*.pdf")
	if len(files) == 0 {
		b.Skip("sample site not generated")
	}
	var pdfs [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pdfs = append(pdfs, data)
	}
	n, pages := 0, 0
	for b.Loop() {
		res, err := pdftext.Extract(pdfs[n%len(pdfs)])
		if err != nil {
			b.Fatal(err)
		}
		pages += res.Pages
		n++
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pdfpages/s")
}
