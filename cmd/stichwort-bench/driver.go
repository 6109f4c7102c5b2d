package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"stichwort"
)

// driverConfig is the command line of `stichwort-bench run`.
type driverConfig struct {
	n       int
	seed    uint64
	rounds  int
	engines []string
	work    string
	keep    bool
	corpus  string
	bin     string // the stichwort binary; "" indexes "ours" in a child of this binary
	reps    int
	clients int
	alerts  int
	queries int
	out     string
	src     sourceFlags
	// self starts this program with args as a child process; tests
	// replace it (the test binary is not this program).
	self func(ctx context.Context, args ...string) *exec.Cmd
}

// engineNames are the engines in the order of the table.
var engineNames = []string{"floor", "analysis", "ours", "bleve", "fts5"}

func searchable(engine string) bool { return engine == "ours" || engine == "bleve" || engine == "fts5" }

// roundResult is one round: every engine indexed the corpus once and
// answered the query set once, in Order.
type roundResult struct {
	Round    int                    `json:"round"`
	Order    []string               `json:"order"`
	Index    map[string]indexResult `json:"index"`
	Query    map[string]queryResult `json:"query"`
	Serve    *serveResult           `json:"serve,omitempty"`
	LoadAvg  [2]float64             `json:"load_avg_1m"` // before and after the round
	Duration float64                `json:"seconds"`
}

// serveResult is the start-up of `stichwort serve` on the imported folder.
type serveResult struct {
	StartMS      float64 `json:"start_ms"`       // exec until the address is printed
	FirstQueryMS float64 `json:"first_query_ms"` // the first /api/search, from a client
	RSSKB        int64   `json:"rss_kb"`         // after the first query
}

// results is everything a run measured; -o writes it as JSON.
type results struct {
	Date     string        `json:"date"`
	Command  string        `json:"command"`
	Machine  machine       `json:"machine"`
	N        int           `json:"n"`
	Seed     uint64        `json:"seed"`
	Corpus   corpusStats   `json:"corpus"`
	Tokens   int64         `json:"tokens"`
	Binary   bool          `json:"binary"` // ours was indexed by the stichwort binary
	Rounds   []roundResult `json:"rounds"`
	Seconds  float64       `json:"seconds"`
	Queries  int           `json:"queries"`
	Tagged   int           `json:"tagged_queries"`
	GenSecs  float64       `json:"generate_seconds,omitempty"`
	Warnings []string      `json:"warnings,omitempty"`
}

func runDriver(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	var c driverConfig
	fs.IntVar(&c.n, "n", 20000, "documents in the corpus")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the corpus")
	fs.IntVar(&c.rounds, "rounds", 3, "rounds; each engine indexes the corpus once per round (floor and analysis only in the first), the order rotating between rounds")
	engines := fs.String("engines", strings.Join(engineNames, ","), "engines to measure: "+strings.Join(engineNames, ", "))
	fs.StringVar(&c.work, "work", "", "working folder (default: a new temporary folder, removed afterwards)")
	fs.BoolVar(&c.keep, "keep", false, "keep the indexes of the last round in the working folder")
	fs.StringVar(&c.corpus, "corpus", "", "corpus file; generated there with -n and -seed if missing (default: in the working folder)")
	fs.StringVar(&c.bin, "stichwort", "bin/stichwort", "stichwort binary that imports and serves for \"ours\" (\"\": the index package in a child of this binary)")
	fs.IntVar(&c.reps, "reps", 2, "timed passes over the query set per engine and round")
	fs.IntVar(&c.clients, "clients", 4, "concurrent clients of the throughput figure")
	fs.IntVar(&c.alerts, "alerts", 10000, "saved searches of the percolation figure (0: none)")
	fs.IntVar(&c.queries, "queries", 200, "size of the fixed query set")
	fs.StringVar(&c.out, "o", "", "also write all measurements as JSON to this file")
	c.src.declare(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, e := range strings.Split(*engines, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if !slices.Contains(engineNames, e) {
			return fmt.Errorf("%w: unknown engine %q", errUsage, e)
		}
		c.engines = append(c.engines, e)
	}
	if c.n < 100 || c.rounds < 1 || len(c.engines) == 0 || c.reps < 1 || c.clients < 1 || c.alerts < 0 || c.queries < 1 {
		return fmt.Errorf("%w: -n at least 100, -rounds, -reps, -clients and -queries at least 1, some -engines", errUsage)
	}
	if c.bin != "" {
		if _, err := os.Stat(c.bin); err != nil {
			fmt.Fprintf(stderr, "stichwort-bench: no stichwort binary at %s (make build); \"ours\" is indexed by the index package in-process instead\n", c.bin)
			c.bin = ""
		} else if c.bin, err = filepath.Abs(c.bin); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	c.self = func(ctx context.Context, args ...string) *exec.Cmd { return exec.CommandContext(ctx, self, args...) }
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	res, err := drive(ctx, c, logger)
	if err != nil {
		return err
	}
	res.Command = "stichwort-bench run " + strings.Join(args, " ")
	if c.out != "" {
		if err := writeJSON(c.out, res); err != nil {
			return err
		}
	}
	return writeReport(stdout, res)
}

func drive(ctx context.Context, c driverConfig, logger *slog.Logger) (*results, error) {
	start := time.Now()
	var err error
	if c.work == "" {
		if c.work, err = os.MkdirTemp("", "stichwort-bench-"); err != nil {
			return nil, err
		}
		if !c.keep {
			defer os.RemoveAll(c.work)
		}
	} else if err := os.MkdirAll(c.work, 0o700); err != nil {
		return nil, err
	}
	res := &results{Date: time.Now().Format(time.DateOnly), Machine: thisMachine(), N: c.n, Seed: c.seed, Binary: c.bin != ""}

	qs, err := c.prepare(ctx, logger, res)
	if err != nil {
		return nil, err
	}

	for r := range c.rounds {
		// The floor and the bare analysis are deterministic work on one
		// core: they run once, first, which keeps a 20,000-document run
		// within 10 minutes. The engines rotate.
		var order, engines []string
		for _, e := range c.engines {
			if !searchable(e) && r == 0 {
				order = append(order, e)
			} else if searchable(e) {
				engines = append(engines, e)
			}
		}
		if len(engines) > 0 {
			order = append(order, rotate(engines, r)...)
		}
		rr := roundResult{Round: r + 1, Order: order, Index: map[string]indexResult{}, Query: map[string]queryResult{}}
		rr.LoadAvg[0] = loadAvg()
		roundStart := time.Now()
		for _, e := range order {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			dir := filepath.Join(c.work, fmt.Sprintf("r%d-%s", r+1, e))
			os.RemoveAll(dir)
			logger.Info("indexing", slog.Int("round", r+1), slog.String("engine", e))
			ir, err := c.index(ctx, e, dir)
			if err != nil {
				return nil, err
			}
			if searchable(e) {
				ir.SizeBytes, ir.Sizes = dirSize(dir)
			}
			if ir.Docs != c.n {
				res.Warnings = append(res.Warnings, fmt.Sprintf("round %d: %s indexed %d documents of %d", r+1, e, ir.Docs, c.n))
			}
			rr.Index[e] = ir
			if e == "floor" {
				res.Corpus, res.Tokens = ir.corpusStats, ir.Tokens
			}
			if searchable(e) {
				logger.Info("querying", slog.Int("round", r+1), slog.String("engine", e))
				args := []string{"query", "-engine", e, "-dir", dir, "-work", c.work,
					"-reps", strconv.Itoa(c.reps), "-clients", strconv.Itoa(c.clients), "-percolate=" + strconv.FormatBool(c.alerts > 0)}
				var qr queryResult
				if _, err := runChild(c.self(ctx, args...), &qr); err != nil {
					return nil, fmt.Errorf("round %d: query %s: %w", r+1, e, err)
				}
				rr.Query[e] = qr
				if e == "ours" && c.bin != "" {
					sr, err := measureServe(ctx, c.bin, dir, qs[0])
					if err != nil {
						return nil, fmt.Errorf("round %d: serve: %w", r+1, err)
					}
					rr.Serve = sr
				}
			}
			if !c.keep || r < c.rounds-1 {
				os.RemoveAll(dir)
			}
		}
		rr.Duration = time.Since(roundStart).Seconds()
		rr.LoadAvg[1] = loadAvg()
		res.Rounds = append(res.Rounds, rr)
		logger.Info("round done", slog.Int("round", r+1), slog.Float64("seconds", rr.Duration), slog.Float64("load", rr.LoadAvg[1]))
	}
	if res.Corpus.Docs == 0 { // no floor engine: count the corpus here
		if res.Corpus, err = eachDoc(ctx, c.corpus, func(stichwort.Document) error { return nil }); err != nil {
			return nil, err
		}
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// prepare writes the corpus (unless it exists), the query set, the
// alerts and the batch of new documents for percolation into the working
// folder, and returns the query set.
func (c *driverConfig) prepare(ctx context.Context, logger *slog.Logger, res *results) ([]benchQuery, error) {
	lang, err := c.src.load()
	if err != nil {
		return nil, err
	}
	g := &generator{lang: lang, seed: c.seed}
	if c.corpus == "" {
		c.corpus = filepath.Join(c.work, "corpus.jsonl")
	}
	if _, err := os.Stat(c.corpus); errors.Is(err, fs.ErrNotExist) {
		logger.Info("generating the corpus", slog.Int("docs", c.n), slog.String("file", c.corpus))
		t := time.Now()
		if err := writeCorpusFile(ctx, g, c.corpus, 0, c.n); err != nil {
			return nil, err
		}
		res.GenSecs = time.Since(t).Seconds()
	} else {
		logger.Info("using the corpus file as it is", slog.String("file", c.corpus))
	}
	qs := makeQueries(g, c.n, c.queries)
	for _, q := range qs {
		if q.Tag != "" {
			res.Tagged++
		}
	}
	res.Queries = len(qs)
	if err := writeJSON(filepath.Join(c.work, "queries.json"), qs); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(c.work, "alerts.json"), makeAlerts(g, c.n, c.alerts)); err != nil {
		return nil, err
	}
	if err := writeCorpusFile(ctx, g, filepath.Join(c.work, "alertdocs.jsonl"), c.n, 100); err != nil {
		return nil, err
	}
	return qs, nil
}

// index runs one engine's indexing in a child process.
func (c driverConfig) index(ctx context.Context, engine, dir string) (indexResult, error) {
	var ir indexResult
	if engine == "ours" && c.bin != "" {
		cmd := exec.CommandContext(ctx, c.bin, "import", "--data", dir, "--log-level", "warn", c.corpus)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		peak, err := runMeasured(cmd)
		if err != nil {
			return ir, fmt.Errorf("stichwort import: %w: %s", err, tail(stderr.String()))
		}
		ir.Seconds = time.Since(start).Seconds()
		ir.PeakRSSKB, ir.PeakAnonKB, ir.PeakFileKB = peak.HWM, peak.Anon, peak.File
		m := importSummary.FindStringSubmatch(stderr.String())
		if m == nil {
			return ir, fmt.Errorf("stichwort import: no summary in %q", tail(stderr.String()))
		}
		ir.Docs, _ = strconv.Atoi(m[1])
		return ir, nil
	}
	args := []string{"index", "-engine", engine, "-corpus", c.corpus}
	if searchable(engine) {
		args = append(args, "-dir", dir)
	}
	peak, err := runChild(c.self(ctx, args...), &ir)
	if err != nil {
		return ir, fmt.Errorf("index %s: %w", engine, err)
	}
	ir.PeakRSSKB = max(ir.PeakRSSKB, peak.HWM)
	ir.PeakAnonKB, ir.PeakFileKB = peak.Anon, peak.File
	return ir, nil
}

var importSummary = regexp.MustCompile(`import: (\d+) Dokumente importiert, (\d+) Zeilen fehlerhaft`)

// runChild runs cmd, decodes its standard output as JSON into v and
// returns the memory it used.
func runChild(cmd *exec.Cmd, v any) (memPeaks, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	peak, err := runMeasured(cmd)
	if err != nil {
		return peak, fmt.Errorf("%w: %s", err, tail(stderr.String()))
	}
	if err := json.Unmarshal(stdout.Bytes(), v); err != nil {
		return peak, fmt.Errorf("child output %q: %w", tail(stdout.String()), err)
	}
	return peak, nil
}

// memPeaks are the largest memory figures of a process seen while it
// ran, in kB: VmHWM, its peak resident set, and the largest anonymous
// (heap, stacks) and file-backed (mapped index files) parts of it. The
// two parts peak at different times; they say what the peak is made of.
type memPeaks struct {
	HWM, Anon, File int64
}

// runMeasured runs cmd and polls /proc/PID/status while it runs. Polling
// is needed because a finished process has no status, and the rusage
// maximum of a child started by Go can include the parent's own resident
// set (the child is created with vfork and shares the parent's memory
// until exec).
func runMeasured(cmd *exec.Cmd) (memPeaks, error) {
	if err := cmd.Start(); err != nil {
		return memPeaks{}, err
	}
	pid := strconv.Itoa(cmd.Process.Pid)
	var peak memPeaks
	stop := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			st := procStatusOf(pid, "VmHWM", "RssAnon", "RssFile")
			peak.HWM = max(peak.HWM, st[0])
			peak.Anon = max(peak.Anon, st[1])
			peak.File = max(peak.File, st[2])
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	close(stop)
	<-polled
	return peak, err
}

// measureServe starts `stichwort serve` on the folder, times it until it
// prints its address, asks one search over HTTP, reads its resident set
// and stops it with SIGTERM.
func measureServe(ctx context.Context, bin, dir string, q benchQuery) (*serveResult, error) {
	cmd := exec.CommandContext(ctx, bin, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	var res serveResult
	addr := ""
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, a, ok := strings.Cut(sc.Text(), "läuft auf http://"); ok {
			addr = strings.TrimSpace(a)
			break
		}
	}
	if addr == "" {
		return nil, fmt.Errorf("serve printed no address: %s", tail(stderr.String()))
	}
	res.StartMS = ms(time.Since(start))
	go io.Copy(io.Discard, out)
	u := "http://" + addr + "/api/search?" + url.Values{"q": {q.text()}}.Encode()
	t := time.Now()
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	res.FirstQueryMS = ms(time.Since(t))
	res.RSSKB = procStatusOf(strconv.Itoa(cmd.Process.Pid), "VmRSS")[0]
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
		stopped = true
	case <-time.After(20 * time.Second):
		return nil, errors.New("serve did not stop within 20 s of SIGTERM")
	}
	if err != nil {
		return nil, fmt.Errorf("serve: %w: %s", err, tail(stderr.String()))
	}
	return &res, nil
}

func writeCorpusFile(ctx context.Context, g *generator, path string, first, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := g.writeCorpus(ctx, f, first, n); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// rotate returns s rotated left by r: each round starts with another
// engine, so none is always first (cold page cache) or last (a machine
// warmed by the others).
func rotate(s []string, r int) []string {
	r %= len(s)
	return append(slices.Clone(s[r:]), s[:r]...)
}

// dirSize returns the bytes of all files under dir, and by entry of dir
// and of its sub-folders (index/docs.db, index/index ...).
func dirSize(dir string) (int64, map[string]int64) {
	var total int64
	by := make(map[string]int64)
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		parts := strings.SplitN(filepath.ToSlash(rel), "/", 3)
		key := strings.Join(parts[:min(2, len(parts))], "/")
		total += info.Size()
		by[key] += info.Size()
		return nil
	})
	return total, by
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}
