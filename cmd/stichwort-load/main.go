// Command stichwort-load is a load test for a running stichwort server:
// N concurrent clients send a mix of searches with filters and facets,
// result pages, feeds, suggestions and document fetches for a given time,
// while it samples the server's memory and goroutines from /metrics. It
// reports requests, errors and latency percentiles, and fails (exit 1)
// on any error (a transport failure or a 5xx) or a goroutine leak.
//
//	stichwort-load -url http://127.0.0.1:8080 [-clients 32] [-duration 60s] [-json]
//	stichwort-load gen -n 100000 > corpus.jsonl   (a simple synthetic corpus for import)
//
// It measures the server, not the network: run it on the same machine
// (loopback) and start the server with --rate-limit 0, or the per-client
// limit answers most requests with 429 (counted, not errors).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "gen" {
		if err := runGen(args[1:], stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "stichwort-load gen:", err)
			return 2
		}
		return 0
	}
	fs := flag.NewFlagSet("stichwort-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "", "base URL of the running server, e.g. http://127.0.0.1:8080")
	clients := fs.Int("clients", 32, "concurrent clients")
	duration := fs.Duration("duration", 60*time.Second, "how long to send requests")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	seed := fs.Uint64("seed", 1, "seed of the request mix")
	timeout := fs.Duration("timeout", 60*time.Second, "longest wait for one answer (the server's own write timeout is 60 s); longer counts as an error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *base == "" || *clients < 1 || *duration <= 0 {
		fmt.Fprintln(stderr, "stichwort-load: -url is required; -clients and -duration must be positive")
		return 2
	}
	l := &loadTest{
		base:    strings.TrimRight(*base, "/"),
		clients: *clients,
		client: &http.Client{
			Timeout:   *timeout,
			Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2, MaxIdleConns: *clients * 2},
		},
		seed: *seed,
	}
	rep, err := l.run(ctx, *duration)
	if err != nil {
		fmt.Fprintln(stderr, "stichwort-load:", err)
		return 1
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		rep.print(stdout)
	}
	if len(rep.Failures) > 0 {
		return 1
	}
	return 0
}

// loadTest is one run against one server.
type loadTest struct {
	base    string
	clients int
	client  *http.Client
	seed    uint64

	// What the requests are made of, learned from the server's facets.
	tags, sources, years []string
}

// sample is a reading of the server's /metrics.
type sample struct {
	At         float64 `json:"at_s"`
	RSSMB      float64 `json:"rss_mb"`
	HeapMB     float64 `json:"heap_mb"`
	Goroutines int     `json:"goroutines"`
	Docs       int     `json:"docs"`
}

// result is one request's outcome.
type result struct {
	kind    string
	status  int // 0: transport error
	latency time.Duration
}

// report is what a run found.
type report struct {
	Clients     int                    `json:"clients"`
	DurationS   float64                `json:"duration_s"`
	Requests    int                    `json:"requests"`
	PerSecond   float64                `json:"requests_per_second"`
	Errors      int                    `json:"errors"`
	Statuses    map[string]int         `json:"statuses"`
	Latency     latencies              `json:"latency_ms"`
	ByKind      map[string]kindSummary `json:"by_kind"`
	Samples     []sample               `json:"server_samples"`
	Growth      map[string]float64     `json:"growth"`
	Failures    []string               `json:"failures"`
	FirstErrors []string               `json:"first_errors,omitempty"`
}

type latencies struct {
	P50, P90, P99, Max float64
}

type kindSummary struct {
	Requests int       `json:"requests"`
	Latency  latencies `json:"latency_ms"`
}

func (l *loadTest) run(ctx context.Context, d time.Duration) (*report, error) {
	if err := l.learn(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	first, err := l.scrape(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s/metrics: %w (the server must be started with metrics)", l.base, err)
	}
	samples := []sample{first}
	var mu sync.Mutex
	var results []result
	var firstErrors []string
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	var wg sync.WaitGroup
	for i := range l.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(l.seed, uint64(i)))
			var local []result
			var ids []string
			for runCtx.Err() == nil {
				kind, target := l.next(rng, ids)
				t0 := time.Now()
				status, id, err := l.get(runCtx, target)
				if runCtx.Err() != nil && err != nil {
					break // cut off by the end of the run: not the server's fault
				}
				local = append(local, result{kind: kind, status: status, latency: time.Since(t0)})
				if err != nil || status >= 500 {
					mu.Lock()
					if len(firstErrors) < 10 {
						firstErrors = append(firstErrors, fmt.Sprintf("%s: %d %v", target, status, err))
					}
					mu.Unlock()
				}
				if id != "" && len(ids) < 100 {
					ids = append(ids, id)
				}
			}
			mu.Lock()
			results = append(results, local...)
			mu.Unlock()
		}()
	}
	tick := time.NewTicker(max(d/12, time.Second))
	defer tick.Stop()
sampling:
	for {
		select {
		case <-runCtx.Done():
			break sampling
		case <-tick.C:
			if s, err := l.scrape(ctx); err == nil {
				s.At = time.Since(start).Seconds()
				samples = append(samples, s)
			}
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	// Let the server settle: what it still holds now is what it keeps.
	time.Sleep(2 * time.Second)
	if s, err := l.scrape(ctx); err == nil {
		s.At = time.Since(start).Seconds()
		samples = append(samples, s)
	}
	rep := summarize(results, elapsed, l.clients)
	rep.Samples = samples
	rep.FirstErrors = firstErrors
	rep.judge()
	return rep, nil
}

// learn reads the facets of the whole index, so that filters name values
// that exist.
func (l *loadTest) learn(ctx context.Context) error {
	var res struct {
		Total  int `json:"total"`
		Facets map[string][]struct {
			Value string `json:"value"`
		} `json:"facets"`
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/api/search?size=1", nil)
	resp, err := l.client.Do(req)
	if err != nil {
		return fmt.Errorf("reach %s: %w", l.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s/api/search: status %d", l.base, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("%s/api/search: %w", l.base, err)
	}
	for _, f := range res.Facets["tags"] {
		l.tags = append(l.tags, f.Value)
	}
	for _, f := range res.Facets["source"] {
		l.sources = append(l.sources, f.Value)
	}
	for _, f := range res.Facets["year"] {
		l.years = append(l.years, f.Value)
	}
	if res.Total == 0 {
		return errors.New("the index is empty: import or crawl documents first")
	}
	return nil
}

// words are query words of German e-government news.
var words = []string{
	"Digitalisierung", "Verwaltung", "Cloud", "Zwilling", "digitale", "Kommunen", "Onlinezugangsgesetz",
	"Breitband", "Datenschutz", "Förderung", "Smart", "City", "Register", "Akte", "Portal", "Antrag",
	"Rechenzentrum", "Beschluss", "Strategie", "Sicherheit", "Schule", "Gesundheit", "Bürger", "Land",
	"Bund", "Kita", "Wohngeld", "Open", "Data", "KI", "Software", "Beschaffung", "Netz", "Plattform",
	"Verwaltungscloud", "IT-Planungsrat", "Souveränität", "Bayern", "Berlin", "Hamburg", "Sachsen",
	"Haushalt", "Personal", "Fachkräfte", "Justiz", "Polizei", "Steuer", "Energie", "Klima", "Mobilität",
}

// next picks the next request: mostly API searches with filters (so the
// facets are counted), then pages, feeds, suggestions and documents.
func (l *loadTest) next(rng *rand.Rand, ids []string) (kind, target string) {
	q := func() string {
		n := 1 + rng.IntN(2)
		var ws []string
		for range n {
			ws = append(ws, words[rng.IntN(len(words))])
		}
		if rng.IntN(10) == 0 {
			return `"` + strings.Join(ws, " ") + `"`
		}
		if n == 2 && rng.IntN(8) == 0 {
			return ws[0] + " OR " + ws[1]
		}
		return strings.Join(ws, " ")
	}
	filters := func(v url.Values) {
		if len(l.tags) > 0 && rng.IntN(3) == 0 {
			v.Add("tag", l.tags[rng.IntN(len(l.tags))])
		}
		if rng.IntN(5) == 0 {
			v.Set("type", []string{"article", "pdf"}[rng.IntN(2)])
		}
		if len(l.years) > 0 && rng.IntN(5) == 0 {
			v.Set("year", l.years[rng.IntN(len(l.years))])
		}
		if len(l.sources) > 0 && rng.IntN(8) == 0 {
			v.Set("source", l.sources[rng.IntN(len(l.sources))])
		}
		if rng.IntN(4) == 0 {
			v.Set("sort", "date")
		}
		if rng.IntN(6) == 0 {
			v.Set("page", strconv.Itoa(2+rng.IntN(4)))
		}
	}
	v := url.Values{}
	switch r := rng.IntN(100); {
	case r < 55:
		v.Set("q", q())
		filters(v)
		return "search", "/api/search?" + v.Encode()
	case r < 62:
		filters(v) // browsing without words: every document that passes the filters
		return "browse", "/api/search?" + v.Encode()
	case r < 77:
		v.Set("q", q())
		filters(v)
		return "page", "/?" + v.Encode()
	case r < 85:
		filters(v)
		return "feed", "/feed.atom?" + v.Encode()
	case r < 93:
		w := words[rng.IntN(len(words))]
		v.Set("q", w[:min(len(w), 2+rng.IntN(4))])
		return "suggest", "/api/suggest?" + v.Encode()
	default:
		if len(ids) == 0 {
			return "search", "/api/search?q=" + url.QueryEscape(q())
		}
		return "document", "/api/docs/" + url.PathEscape(ids[rng.IntN(len(ids))])
	}
}

// get sends one request and reads the whole answer; it returns the id of
// the first hit of a search, for later document requests.
func (l *loadTest) get(ctx context.Context, target string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+target, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if strings.HasPrefix(target, "/api/search") && resp.StatusCode == http.StatusOK {
		var res struct {
			Hits []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			return resp.StatusCode, "", fmt.Errorf("invalid JSON: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		if len(res.Hits) > 0 {
			return resp.StatusCode, res.Hits[0].ID, nil
		}
		return resp.StatusCode, "", nil
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, "", err
}

// scrape reads the process and index metrics of the server.
func (l *loadTest) scrape(ctx context.Context) (sample, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/metrics", nil)
	resp, err := l.client.Do(req)
	if err != nil {
		return sample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return sample{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	var s sample
	found := 0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			s.RSSMB, found = f/1e6, found+1
		case "go_memstats_heap_inuse_bytes":
			s.HeapMB = f / 1e6
		case "go_goroutines":
			s.Goroutines, found = int(f), found+1
		case "stichwort_index_documents":
			s.Docs = int(f)
		}
	}
	if found < 2 {
		return s, errors.New("no process_resident_memory_bytes or go_goroutines in /metrics")
	}
	return s, sc.Err()
}

func summarize(results []result, elapsed time.Duration, clients int) *report {
	rep := &report{
		Clients: clients, DurationS: elapsed.Seconds(), Requests: len(results),
		Statuses: map[string]int{}, ByKind: map[string]kindSummary{}, Growth: map[string]float64{},
	}
	rep.PerSecond = float64(len(results)) / elapsed.Seconds()
	byKind := map[string][]time.Duration{}
	var all []time.Duration
	for _, r := range results {
		key := strconv.Itoa(r.status)
		if r.status == 0 {
			key = "transport error"
		}
		rep.Statuses[key]++
		if r.status == 0 || r.status >= 500 {
			rep.Errors++
		}
		all = append(all, r.latency)
		byKind[r.kind] = append(byKind[r.kind], r.latency)
	}
	rep.Latency = percentiles(all)
	for k, ls := range byKind {
		rep.ByKind[k] = kindSummary{Requests: len(ls), Latency: percentiles(ls)}
	}
	return rep
}

func percentiles(ls []time.Duration) latencies {
	if len(ls) == 0 {
		return latencies{}
	}
	slices.Sort(ls)
	at := func(p float64) float64 {
		i := min(int(p*float64(len(ls))), len(ls)-1)
		return float64(ls[i].Microseconds()) / 1000
	}
	return latencies{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: float64(ls[len(ls)-1].Microseconds()) / 1000}
}

// judge decides whether the run passed: no errors, and the server did not
// keep goroutines or memory it took during the run. Goroutines are
// compared between the first sample and the one after the run had
// settled; memory between the first and the second half of the run, so a
// cache filling at the start does not count as growth.
func (r *report) judge() {
	if r.Errors > 0 {
		r.Failures = append(r.Failures, fmt.Sprintf("%d errors (transport failures or 5xx)", r.Errors))
	}
	if r.Requests == 0 {
		r.Failures = append(r.Failures, "no request was answered")
	}
	if len(r.Samples) < 3 {
		return
	}
	first, last := r.Samples[0], r.Samples[len(r.Samples)-1]
	r.Growth["goroutines_after"] = float64(last.Goroutines - first.Goroutines)
	if last.Goroutines > 2*first.Goroutines+50 {
		r.Failures = append(r.Failures, fmt.Sprintf("goroutines grew from %d to %d", first.Goroutines, last.Goroutines))
	}
	during := r.Samples[1 : len(r.Samples)-1]
	half := len(during) / 2
	if half >= 1 {
		maxRSS := func(ss []sample) float64 {
			m := 0.0
			for _, s := range ss {
				m = max(m, s.RSSMB)
			}
			return m
		}
		a, b := maxRSS(during[:half]), maxRSS(during[half:])
		r.Growth["rss_first_half_mb"], r.Growth["rss_second_half_mb"] = a, b
		if b > 1.5*a+100 {
			r.Failures = append(r.Failures, fmt.Sprintf("memory grew from %.0f MB (first half) to %.0f MB (second half)", a, b))
		}
	}
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "%d clients, %.0f s: %d requests (%.0f/s), %d errors\n", r.Clients, r.DurationS, r.Requests, r.PerSecond, r.Errors)
	var keys []string
	for k := range r.Statuses {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  status %s: %d\n", k, r.Statuses[k])
	}
	fmt.Fprintf(w, "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max)
	keys = keys[:0]
	for k := range r.ByKind {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := r.ByKind[k]
		fmt.Fprintf(w, "  %-9s %7d requests  p50 %6.1f  p99 %7.1f  max %7.1f\n", k, s.Requests, s.Latency.P50, s.Latency.P99, s.Latency.Max)
	}
	fmt.Fprintln(w, "server (from /metrics):")
	for _, s := range r.Samples {
		fmt.Fprintf(w, "  %5.0f s  RSS %6.1f MB  heap %6.1f MB  goroutines %4d  documents %d\n", s.At, s.RSSMB, s.HeapMB, s.Goroutines, s.Docs)
	}
	for _, e := range r.FirstErrors {
		fmt.Fprintln(w, "error:", e)
	}
	if len(r.Failures) == 0 {
		fmt.Fprintln(w, "PASS: no errors, no goroutine or memory growth")
		return
	}
	for _, f := range r.Failures {
		fmt.Fprintln(w, "FAIL:", f)
	}
}
