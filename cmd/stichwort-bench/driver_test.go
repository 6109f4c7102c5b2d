package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// childEnv marks the test binary re-executed as stichwort-bench.
const childEnv = "STICHWORT_BENCH_TEST_CHILD"

// TestChildProcess is not a test: it is stichwort-bench when the driver
// test starts the test binary as its child (the os/exec helper-process
// pattern).
func TestChildProcess(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("runs only as a child of TestDriver")
	}
	os.Exit(Main(context.Background(), flag.Args(), os.Stdout, os.Stderr))
}

func testChild(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestChildProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	return cmd
}

// TestDriver runs every engine on a tiny corpus, one round, and checks
// that the report has all rows and figures.
func TestDriver(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dozen processes")
	}
	work := t.TempDir()
	c := driverConfig{
		n: 150, seed: 1, rounds: 1, engines: engineNames, work: work, reps: 1, clients: 2, alerts: 30, queries: 12,
		src:  sourceFlags{articles: "../../testdata/articles", lexicon: "../../index/german/data/lexicon_de.txt"},
		self: testChild,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := drive(ctx, c, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if res.Corpus.Docs != 150 || res.Tokens == 0 || len(res.Warnings) > 0 {
		t.Errorf("corpus %+v, %d tokens, warnings %q", res.Corpus, res.Tokens, res.Warnings)
	}
	r := res.Rounds[0]
	for _, e := range engineNames {
		ir := r.Index[e]
		if ir.Docs != 150 || ir.Seconds <= 0 || ir.PeakRSSKB <= 0 {
			t.Errorf("%s indexed %+v", e, ir)
		}
		if searchable(e) {
			if ir.SizeBytes <= 0 {
				t.Errorf("%s: index size %d", e, ir.SizeBytes)
			}
			if q := r.Query[e]; q.Samples != 12 || q.P99MS <= 0 || q.QPS <= 0 || q.ZeroHits > 2 {
				t.Errorf("%s queried %+v", e, q)
			}
		}
	}
	if p := r.Query["ours"].Percolation; p == nil || p.Alerts != 30 || p.Docs != 100 || p.WarmMS <= 0 {
		t.Errorf("percolation %+v", p)
	}
	var out bytes.Buffer
	if err := writeReport(&out, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| stichwort (index package", "| Bleve v2.6.3 stock", "| SQLite FTS5", "the floor",
		"German analysis, no index", "| stichwort | ", "Alert percolation: 30 alerts", "index/docs.db", "| 1 | floor, analysis, ours, bleve, fts5 |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	entries, _ := os.ReadDir(work)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"alertdocs.jsonl", "alerts.json", "corpus.jsonl", "queries.json"}; !slices.Equal(names, want) {
		t.Errorf("working folder holds %q, want %q (the indexes removed)", names, want)
	}
}

// TestGenCommand runs "gen" as a user does and checks the flags.
func TestGenCommand(t *testing.T) {
	src := []string{"-articles", "../../testdata/articles", "-lexicon", "../../index/german/data/lexicon_de.txt"}
	out := filepath.Join(t.TempDir(), "c.jsonl")
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), append([]string{"gen", "-n", "5", "-seed", "9", "-o", out}, src...), &stdout, &stderr); code != 0 {
		t.Fatalf("gen: exit %d, %s", code, stderr.String())
	}
	data, _ := os.ReadFile(out)
	if !bytes.Equal(data, mustCorpus(t, 9, 0, 5)) {
		t.Error("gen -o wrote another corpus than the generator")
	}
	for _, args := range [][]string{{}, {"fliegen"}, {"gen", "-n", "-1"}, {"gen", "extra"}, {"run", "-engines", "lucene"}, {"index", "-engine", "x"}} {
		if code := Main(context.Background(), args, io.Discard, io.Discard); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

func TestHelpers(t *testing.T) {
	if got := rotate([]string{"a", "b", "c"}, 4); !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Errorf("rotate: %q", got)
	}
	ds := make([]time.Duration, 200)
	for i := range ds {
		ds[i] = time.Duration(200-i) * time.Millisecond
	}
	if p50, p99 := percentile(ds, 0.5), percentile(ds, 0.99); p50 != 100*time.Millisecond || p99 != 198*time.Millisecond {
		t.Errorf("p50 %v, p99 %v", p50, p99)
	}
	if m := median([]float64{3, 1, 2, 10}); m != 2.5 {
		t.Errorf("median %v", m)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 20000: "20,000", 1000000: "1,000,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
	if procStatus("VmHWM") <= 0 {
		t.Error("no VmHWM in /proc/self/status")
	}
}
