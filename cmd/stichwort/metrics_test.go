package main

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMetrics scrapes /metrics of a serve that has crawled the sample site
// and answered a search.
func TestMetrics(t *testing.T) {
	f := mustSite(t)
	m := mustServe(t, f, t.TempDir())
	for range 3 {
		resp, err := http.Get("http://" + m.Addr() + "/api/search?q=Zwilling")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if resp, err := http.Get("http://" + m.Addr() + "/api/docs/gibt-es-nicht"); err == nil {
		resp.Body.Close()
	}
	resp, err := http.Get("http://" + m.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	text := string(body)
	value := func(series string) float64 {
		t.Helper()
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("no series %s", series)
			return -1
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	want := float64(len(f.articles) + len(f.pdfs))
	if v := value("stichwort_index_documents"); v != want {
		t.Errorf("stichwort_index_documents = %v, want %v", v, want)
	}
	// A PDF is delivered again when a later batch adds a parent.
	if v := value("stichwort_crawl_documents_total"); v < want {
		t.Errorf("stichwort_crawl_documents_total = %v, want ≥ %v", v, want)
	}
	if v := value("stichwort_crawl_pdfs_total"); v < float64(len(f.pdfs)) {
		t.Errorf("stichwort_crawl_pdfs_total = %v, want ≥ %d", v, len(f.pdfs))
	}
	if v := value("stichwort_crawl_running"); v != 0 {
		t.Errorf("stichwort_crawl_running = %v after the crawl", v)
	}
	if v := value(`stichwort_http_requests_total{code="200",route="/api/search"}`); v != 3 {
		t.Errorf("search requests = %v, want 3", v)
	}
	if v := value(`stichwort_http_requests_total{code="404",route="/api/docs/{id}"}`); v != 1 {
		t.Errorf("404 doc requests = %v, want 1", v)
	}
	if v := value(`stichwort_http_request_duration_seconds_count{route="/api/search"}`); v != 3 {
		t.Errorf("search latency observations = %v, want 3", v)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "stichwort_crawl_requests_total", "stichwort_crawl_failed_total"} {
		if !strings.Contains(text, "\n"+name+" ") {
			t.Errorf("no %s", name)
		}
	}
}
