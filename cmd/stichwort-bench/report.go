package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// machine describes where a run was measured.
type machine struct {
	CPUs     int    `json:"cpus"`
	CPUModel string `json:"cpu_model"`
	MemoryMB int64  `json:"memory_mb"`
	Go       string `json:"go"`
}

func thisMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				m.MemoryMB = kb / 1024
				break
			}
		}
		f.Close()
	}
	return m
}

// loadAvg is the one-minute load average, or -1.
func loadAvg() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f, err := strconv.ParseFloat(strings.Fields(string(data))[0], 64)
	if err != nil {
		return -1
	}
	return f
}

// Row labels of the tables.
var engineLabels = map[string]string{
	"floor":    "reading + tokenizing only (the floor, 1 core)",
	"analysis": "reading + stichwort's German analysis, no index (1 core)",
	"ours":     "stichwort (`stichwort import`: German analysis, decompounding)",
	"bleve":    "Bleve v2.6.3 stock (`de` analyzer, default mapping, batches of 1000)",
	"fts5":     "SQLite FTS5 (modernc.org/sqlite, unicode61 remove_diacritics 2, transactions of 1000)",
}

// summary holds the medians over the rounds.
type summary struct {
	docsPerSec, mbPerSec, sizeRatio, peakMB map[string]float64
	anonMB, fileMB, qAnonMB, qFileMB        map[string]float64
	p50, p99, tagP99, qps, rssMB, openMS    map[string]float64
	zero                                    map[string]float64
	serveStart, serveFirst, serveRSS        float64
	percCold, percWarm, percMatched         float64
	percAlerts, percDocs                    int
	sizes                                   map[string]float64 // ours, by part, MB
}

func summarize(res *results) summary {
	s := summary{
		docsPerSec: map[string]float64{}, mbPerSec: map[string]float64{}, sizeRatio: map[string]float64{}, peakMB: map[string]float64{},
		anonMB: map[string]float64{}, fileMB: map[string]float64{},
		p50: map[string]float64{}, p99: map[string]float64{}, tagP99: map[string]float64{}, qps: map[string]float64{},
		rssMB: map[string]float64{}, openMS: map[string]float64{}, qAnonMB: map[string]float64{}, qFileMB: map[string]float64{}, zero: map[string]float64{}, sizes: map[string]float64{},
	}
	text := float64(res.Corpus.TextBytes)
	over := func(f func(r roundResult) (float64, bool)) float64 {
		var vs []float64
		for _, r := range res.Rounds {
			if v, ok := f(r); ok {
				vs = append(vs, v)
			}
		}
		return median(vs)
	}
	for _, e := range engineNames {
		idx := func(f func(indexResult) float64) float64 {
			return over(func(r roundResult) (float64, bool) {
				ir, ok := r.Index[e]
				if !ok || ir.Seconds == 0 {
					return 0, false
				}
				return f(ir), true
			})
		}
		s.docsPerSec[e] = idx(func(ir indexResult) float64 { return float64(ir.Docs) / ir.Seconds })
		s.mbPerSec[e] = idx(func(ir indexResult) float64 { return text / 1e6 / ir.Seconds })
		s.sizeRatio[e] = idx(func(ir indexResult) float64 { return float64(ir.SizeBytes) / text })
		s.peakMB[e] = idx(func(ir indexResult) float64 { return float64(ir.PeakRSSKB) / 1024 })
		s.anonMB[e] = idx(func(ir indexResult) float64 { return float64(ir.PeakAnonKB) / 1024 })
		s.fileMB[e] = idx(func(ir indexResult) float64 { return float64(ir.PeakFileKB) / 1024 })
		q := func(f func(queryResult) float64) float64 {
			return over(func(r roundResult) (float64, bool) {
				qr, ok := r.Query[e]
				if !ok {
					return 0, false
				}
				return f(qr), true
			})
		}
		s.p50[e] = q(func(r queryResult) float64 { return r.P50MS })
		s.p99[e] = q(func(r queryResult) float64 { return r.P99MS })
		s.tagP99[e] = q(func(r queryResult) float64 { return r.TagP99MS })
		s.qps[e] = q(func(r queryResult) float64 { return r.QPS })
		s.rssMB[e] = q(func(r queryResult) float64 { return float64(r.RSSKB) / 1024 })
		s.openMS[e] = q(func(r queryResult) float64 { return r.OpenMS })
		s.qAnonMB[e] = q(func(r queryResult) float64 { return float64(r.AnonKB) / 1024 })
		s.qFileMB[e] = q(func(r queryResult) float64 { return float64(r.FileKB) / 1024 })
		s.zero[e] = q(func(r queryResult) float64 { return float64(r.ZeroHits) })
	}
	s.serveStart = over(func(r roundResult) (float64, bool) {
		return serveField(r, func(s *serveResult) float64 { return s.StartMS })
	})
	s.serveFirst = over(func(r roundResult) (float64, bool) {
		return serveField(r, func(s *serveResult) float64 { return s.FirstQueryMS })
	})
	s.serveRSS = over(func(r roundResult) (float64, bool) {
		return serveField(r, func(s *serveResult) float64 { return float64(s.RSSKB) / 1024 })
	})
	perc := func(f func(*percolation) float64) float64 {
		return over(func(r roundResult) (float64, bool) {
			p := r.Query["ours"].Percolation
			if p == nil {
				return 0, false
			}
			s.percAlerts, s.percDocs = p.Alerts, p.Docs
			return f(p), true
		})
	}
	s.percCold = perc(func(p *percolation) float64 { return p.ColdMS })
	s.percWarm = perc(func(p *percolation) float64 { return p.WarmMS })
	s.percMatched = perc(func(p *percolation) float64 { return float64(p.Matched) })
	var parts []string
	for _, r := range res.Rounds {
		for k := range r.Index["ours"].Sizes {
			if !slices.Contains(parts, k) {
				parts = append(parts, k)
			}
		}
	}
	for _, k := range parts {
		s.sizes[k] = over(func(r roundResult) (float64, bool) {
			v, ok := r.Index["ours"].Sizes[k]
			return float64(v) / 1e6, ok
		})
	}
	return s
}

func serveField(r roundResult, f func(*serveResult) float64) (float64, bool) {
	if r.Serve == nil {
		return 0, false
	}
	return f(r.Serve), true
}

// median of vs; NaN when empty.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// writeReport prints the tables of a run as Markdown.
func writeReport(w io.Writer, res *results) error {
	s := summarize(res)
	has := func(e string) bool { return !math.IsNaN(s.docsPerSec[e]) }
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }

	p("## stichwort-bench: %s documents, seed %d, %d round(s), medians\n\n", thousands(res.N), res.Seed, len(res.Rounds))
	p("- Corpus: %s documents, %.1f MB of text (title, lead and body; MB = 10^6 bytes)", thousands(res.Corpus.Docs), float64(res.Corpus.TextBytes)/1e6)
	if res.Tokens > 0 {
		p(", %.0f tokens per document", float64(res.Tokens)/float64(res.Corpus.Docs))
	}
	p(".\n")
	m := res.Machine
	p("- Machine: %d cores (`%s`), %.1f GiB RAM, %s; %s.\n", m.CPUs, m.CPUModel, float64(m.MemoryMB)/1024, m.Go, res.Date)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range res.Rounds {
		for _, l := range r.LoadAvg {
			lo, hi = math.Min(lo, l), math.Max(hi, l)
		}
	}
	p("- Load average (1 min) at the starts and ends of rounds: %.1f to %.1f; the run took %.0f s.\n", lo, hi, res.Seconds)
	p("- Command: `%s`.\n\n", res.Command)

	p("### Indexing\n\n")
	p("| engine | docs/s | text MB/s | docs/s ÷ FTS5 | index size / text | peak RSS while indexing |\n")
	p("|---|---:|---:|---:|---:|---:|\n")
	for _, e := range []string{"ours", "bleve", "fts5", "analysis", "floor"} {
		if !has(e) {
			continue
		}
		label := engineLabels[e]
		if e == "ours" && !res.Binary {
			label = "stichwort (index package in-process: Open, Put in batches of 4000)"
		}
		size := "—"
		if searchable(e) {
			size = fmt.Sprintf("%.2f×", s.sizeRatio[e])
		}
		p("| %s | %.0f | %.2f | %s | %s | %.0f MB |\n", label, s.docsPerSec[e], s.mbPerSec[e], ratio(s.docsPerSec[e], s.docsPerSec["fts5"]), size, s.peakMB[e])
	}
	p("\n")

	if has("ours") || has("bleve") || has("fts5") {
		p("### Queries\n\n")
		p("%d fixed queries of 1–3 words (%d with a Stichwort filter), warm, one client; each returns 10 hits with a snippet and facet counts of Stichwort, type and year (FTS5: GROUP BY). p50/p99 over %s timed queries per round.\n\n",
			res.Queries, res.Tagged, samplesOf(res))
		p("| engine | p50 | p99 | p99 ÷ FTS5 p99 | p99 with Stichwort filter | queries/s, %d clients | queries without hits | RSS while querying |\n", clientsOf(res))
		p("|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, e := range []string{"ours", "bleve", "fts5"} {
			if math.IsNaN(s.p99[e]) {
				continue
			}
			p("| %s | %.2f ms | %.2f ms | %s | %.2f ms | %.0f | %.0f | %.0f MB |\n", shortLabel(e), s.p50[e], s.p99[e], ratio(s.p99[e], s.p99["fts5"]),
				s.tagP99[e], s.qps[e], s.zero[e], s.rssMB[e])
		}
		p("\n")
	}

	if has("ours") {
		p("### stichwort\n\n")
		p("- Peak RSS while indexing %.0f MB; of it, the anonymous part (Go heap) reached %.0f MB and the file-backed part (mapped Bleve segments and docs.db) %.0f MB",
			s.peakMB["ours"], s.anonMB["ours"], s.fileMB["ours"])
		if has("bleve") {
			p(" (Bleve stock: %.0f MB, %.0f MB heap, %.0f MB files)", s.peakMB["bleve"], s.anonMB["bleve"], s.fileMB["bleve"])
		}
		p(".\n")
		if !math.IsNaN(s.rssMB["ours"]) {
			p("- RSS after the queries %.0f MB: %.0f MB heap, %.0f MB mapped files (page cache the kernel can drop).\n",
				s.rssMB["ours"], s.qAnonMB["ours"], s.qFileMB["ours"])
		}
		p("- Opening the index (index.Open) in a new process: %.0f ms.\n", s.openMS["ours"])
		if !math.IsNaN(s.serveStart) {
			p("- `stichwort serve` from exec until it listens: %.0f ms; the first search over HTTP: %.1f ms; RSS while serving after it: %.0f MB.\n",
				s.serveStart, s.serveFirst, s.serveRSS)
		}
		if !math.IsNaN(s.percWarm) {
			p("- Alert percolation: %s alerts against a batch of %d new documents: %.0f ms warm (alerts compiled), %.0f ms cold; %.0f alerts matched.\n",
				thousands(s.percAlerts), s.percDocs, s.percWarm, s.percCold, s.percMatched)
		}
		var keys []string
		for k := range s.sizes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			if s.sizes[k] >= 0.05 {
				parts = append(parts, fmt.Sprintf("%s %.1f MB", k, s.sizes[k]))
			}
		}
		p("- Data folder: %s.\n\n", strings.Join(parts, ", "))

		p("### Goals of issue 6 at this size\n\n")
		p("| goal | measured | |\n|---|---:|---|\n")
		goal := func(name string, v string, ok bool) {
			mark := "not met"
			if ok {
				mark = "met"
			}
			p("| %s | %s | %s |\n", name, v, mark)
		}
		rIdx := s.docsPerSec["ours"] / s.docsPerSec["fts5"]
		if has("fts5") {
			goal("indexing docs/s ≥ 1.0× FTS5", fmt.Sprintf("%.2f×", rIdx), rIdx >= 1)
		}
		goal("index size ≤ 2× text", fmt.Sprintf("%.2f×", s.sizeRatio["ours"]), s.sizeRatio["ours"] <= 2)
		goal("peak RSS while indexing ≤ 400 MB (the goal is at 100,000 documents)", fmt.Sprintf("%.0f MB", s.peakMB["ours"]), s.peakMB["ours"] <= 400)
		if !math.IsNaN(s.p99["ours"]) {
			goal("query p99 ≤ 10 ms", fmt.Sprintf("%.2f ms", s.p99["ours"]), s.p99["ours"] <= 10)
			if !math.IsNaN(s.p99["fts5"]) {
				r := s.p99["ours"] / s.p99["fts5"]
				goal("query p99 ≤ 0.5× FTS5 p99", fmt.Sprintf("%.2f×", r), r <= 0.5)
			}
		}
		if !math.IsNaN(s.serveStart) {
			goal("`serve` start-up < 1 s", fmt.Sprintf("%.0f ms", s.serveStart), s.serveStart < 1000)
		}
		if !math.IsNaN(s.percWarm) && s.percAlerts == 10000 && s.percDocs == 100 {
			goal("10,000 alerts × 100 new documents < 1 s", fmt.Sprintf("%.0f ms", s.percWarm), s.percWarm < 1000)
		}
		p("\n")
	}

	p("### Rounds\n\n| round | order | seconds | load average before → after |\n|---|---|---:|---|\n")
	for _, r := range res.Rounds {
		p("| %d | %s | %.0f | %.1f → %.1f |\n", r.Round, strings.Join(r.Order, ", "), r.Duration, r.LoadAvg[0], r.LoadAvg[1])
	}
	for _, warn := range res.Warnings {
		p("\nWarning: %s\n", warn)
	}
	return nil
}

func shortLabel(e string) string {
	switch e {
	case "ours":
		return "stichwort"
	case "bleve":
		return "Bleve stock"
	case "fts5":
		return "SQLite FTS5"
	}
	return e
}

func ratio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func samplesOf(res *results) string {
	for _, r := range res.Rounds {
		for _, q := range r.Query {
			return thousands(q.Samples)
		}
	}
	return "0"
}

func clientsOf(res *results) int {
	for _, r := range res.Rounds {
		for _, q := range r.Query {
			return q.Clients
		}
	}
	return 0
}

// thousands writes n with commas: 20,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
