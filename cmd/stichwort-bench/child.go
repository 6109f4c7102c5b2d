package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"stichwort"
)

// The driver measures every engine in a child process of its own (this
// binary again, with the sub-command index or query), so that one
// engine's heap, caches and garbage do not count against another, and the
// peak RSS of a child is the engine's alone. A child prints one JSON
// object on standard output.

// indexResult is what an index child reports.
type indexResult struct {
	corpusStats
	Tokens    int64   `json:"tokens,omitempty"`
	Seconds   float64 `json:"seconds"`
	PeakRSSKB int64   `json:"peak_rss_kb"`
	// Filled by the driver.
	PeakAnonKB int64            `json:"peak_anon_kb,omitempty"` // largest anonymous part (heap)
	PeakFileKB int64            `json:"peak_file_kb,omitempty"` // largest file-backed part (mapped files)
	SizeBytes  int64            `json:"size_bytes,omitempty"`
	Sizes      map[string]int64 `json:"sizes,omitempty"` // by top-level entry of the index folder
}

// indexers are the engines that index in a child. "ours" runs the index
// package in-process; the driver uses the stichwort binary instead when
// it has one.
var indexers = map[string]func(ctx context.Context, corpus, dir string, beforeClose func()) (indexResult, error){
	"floor":    func(ctx context.Context, c, d string, _ func()) (indexResult, error) { return indexFloor(ctx, c, d) },
	"analysis": indexAnalysis,
	"ours":     indexOurs,
	"bleve":    indexBleve,
	"fts5":     indexFTS5,
}

func runIndexChild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("index", stderr)
	engine := fs.String("engine", "ours", "floor, analysis, ours, bleve or fts5")
	corpus := fs.String("corpus", "", "corpus file (JSON lines)")
	dir := fs.String("dir", "", "folder of the new index (must not exist or be empty)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the indexing to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file when the last batch is indexed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	index, ok := indexers[*engine]
	if !ok || *corpus == "" || (*dir == "" && *engine != "floor" && *engine != "analysis") {
		return fmt.Errorf("%w: index: -engine (one of floor, analysis, ours, bleve, fts5), -corpus and -dir are required", errUsage)
	}
	if *dir != "" {
		if err := os.MkdirAll(*dir, 0o700); err != nil {
			return err
		}
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	var heapErr error
	beforeClose := func() {
		if *memProfile == "" {
			return
		}
		f, err := os.Create(*memProfile)
		if err == nil {
			err = pprof.WriteHeapProfile(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		heapErr = err
	}
	start := time.Now()
	res, err := index(ctx, *corpus, *dir, beforeClose)
	if err != nil {
		return fmt.Errorf("index %s: %w", *engine, err)
	}
	if heapErr != nil {
		return heapErr
	}
	res.Seconds = time.Since(start).Seconds()
	res.PeakRSSKB = procStatus("VmHWM")
	return json.NewEncoder(stdout).Encode(res)
}

// queryResult is what a query child reports.
type queryResult struct {
	OpenMS   float64 `json:"open_ms"`
	Queries  int     `json:"queries"`
	Samples  int     `json:"samples"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	MeanMS   float64 `json:"mean_ms"`
	TagP99MS float64 `json:"tag_p99_ms"` // the queries with a Stichwort filter
	ZeroHits int     `json:"zero_hits"`
	Clients  int     `json:"clients"`
	QPS      float64 `json:"qps"` // with Clients concurrent clients
	RSSKB    int64   `json:"rss_kb"`
	AnonKB   int64   `json:"rss_anon_kb"` // of RSSKB: heap
	FileKB   int64   `json:"rss_file_kb"` // of RSSKB: mapped index files
	PeakKB   int64   `json:"peak_rss_kb"`

	Percolation *percolation `json:"percolation,omitempty"`
}

// percolation is the alert figure: one batch of new documents against
// many saved searches.
type percolation struct {
	Alerts  int     `json:"alerts"`
	Docs    int     `json:"docs"`
	ColdMS  float64 `json:"cold_ms"` // alerts compiled in the same call
	WarmMS  float64 `json:"warm_ms"` // best of two calls with compiled alerts
	Matched int     `json:"matched"` // alerts that matched a document
}

type searcher interface {
	// search runs q and returns the number of matches.
	search(ctx context.Context, q benchQuery) (int, error)
	Close() error
}

func runQueryChild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("query", stderr)
	engine := fs.String("engine", "ours", "ours, bleve or fts5")
	dir := fs.String("dir", "", "folder the index child wrote")
	work := fs.String("work", "", "folder with queries.json (and alerts.json, alertdocs.jsonl for the percolation of ours)")
	reps := fs.Int("reps", 2, "timed passes over the query set after a warm-up pass")
	clients := fs.Int("clients", 4, "concurrent clients for the throughput figure")
	percolate := fs.Bool("percolate", true, "measure alert percolation (ours)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed queries to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" || *work == "" || *reps < 1 || *clients < 1 {
		return fmt.Errorf("%w: query: -dir and -work are required, -reps and -clients at least 1", errUsage)
	}
	var qs []benchQuery
	if err := readJSON(filepath.Join(*work, "queries.json"), &qs); err != nil {
		return err
	}
	var res queryResult
	start := time.Now()
	var s searcher
	var ours *oursSearcher
	var err error
	switch *engine {
	case "ours":
		ours, err = openOurs(*dir)
		s = ours
	case "bleve":
		s, err = openBleve(*dir)
	case "fts5":
		s, err = openFTS5(*dir, *clients)
	default:
		return fmt.Errorf("%w: query: unknown engine %q", errUsage, *engine)
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", *engine, err)
	}
	defer s.Close()
	res.OpenMS = ms(time.Since(start))
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	err = measureQueries(ctx, s, qs, *reps, *clients, &res)
	stopProfile()
	if err != nil {
		return fmt.Errorf("query %s: %w", *engine, err)
	}
	st := procStatusOf("self", "VmRSS", "RssAnon", "RssFile")
	res.RSSKB, res.AnonKB, res.FileKB = st[0], st[1], st[2]
	if ours != nil && *percolate {
		var alerts []alertSpec
		err := readJSON(filepath.Join(*work, "alerts.json"), &alerts)
		var docs []stichwort.Document
		if err == nil {
			_, err = eachDoc(ctx, filepath.Join(*work, "alertdocs.jsonl"), func(d stichwort.Document) error {
				docs = append(docs, d)
				return nil
			})
		}
		if err != nil {
			return err
		}
		p, err := ours.percolate(ctx, alerts, docs)
		if err != nil {
			return fmt.Errorf("percolate: %w", err)
		}
		res.Percolation = &p
	}
	res.PeakKB = procStatus("VmHWM")
	return json.NewEncoder(stdout).Encode(res)
}

// measureQueries runs the query set once to warm caches, then reps times
// timing each query on one goroutine, then twice with the clients
// running concurrently.
func measureQueries(ctx context.Context, s searcher, qs []benchQuery, reps, clients int, res *queryResult) error {
	res.Queries = len(qs)
	for _, q := range qs {
		n, err := s.search(ctx, q)
		if err != nil {
			return fmt.Errorf("%q: %w", q.text(), err)
		}
		if n == 0 {
			res.ZeroHits++
		}
	}
	var all, tagged []time.Duration
	for range reps {
		for _, q := range qs {
			start := time.Now()
			if _, err := s.search(ctx, q); err != nil {
				return err
			}
			d := time.Since(start)
			all = append(all, d)
			if q.Tag != "" {
				tagged = append(tagged, d)
			}
		}
	}
	res.Samples = len(all)
	res.P50MS = ms(percentile(all, 0.50))
	res.P99MS = ms(percentile(all, 0.99))
	res.TagP99MS = ms(percentile(tagged, 0.99))
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	res.MeanMS = ms(sum / time.Duration(len(all)))

	// The clients run the set twice between them, each from its own
	// offset.
	res.Clients = clients
	per := max(1, 2*len(qs)/clients)
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				if _, err := s.search(ctx, qs[(c*len(qs)/clients+i)%len(qs)]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	res.QPS = float64(clients*per) / time.Since(start).Seconds()
	return nil
}

// percentile returns the nearest-rank p-quantile of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func timed[T any](f func() (T, error)) (float64, T, error) {
	start := time.Now()
	v, err := f()
	return ms(time.Since(start)), v, err
}

// procStatus returns a kB field (VmHWM: peak resident set, VmRSS: now)
// of this process from /proc/self/status, or 0 where there is none.
func procStatus(field string) int64 { return procStatusOf("self", field)[0] }

// procStatusOf returns kB fields of /proc/PID/status, 0 for those it
// lacks (all when the process has ended).
func procStatusOf(pid string, fields ...string) []int64 {
	out := make([]int64, len(fields))
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if i := slices.Index(fields, name); ok && i >= 0 {
			out[i], _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		}
	}
	return out
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// startCPUProfile writes a CPU profile to path until stop is called; with
// no path it does nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
