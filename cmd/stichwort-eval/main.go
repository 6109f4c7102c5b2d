package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"stichwort"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintf(os.Stderr, "stichwort-eval: %v\n", err)
		os.Exit(1)
	}
}

// errUsage: bad flags; the flag package has already said why.
var errUsage = errors.New("bad usage")

// config is what the flags select.
type config struct {
	corpus, queries string
	systems         []string
	json, markdown  bool
	verbose         bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("stichwort-eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.corpus, "corpus", "testdata/articles", "directory with the article sources (and pdfs/)")
	fs.StringVar(&c.queries, "queries", "testdata/eval/queries.json", "judged queries")
	names := fs.String("systems", "ours,bleve-de,sqlite-fts5", "comma-separated systems to evaluate")
	fs.BoolVar(&c.json, "json", false, "print the full report as JSON")
	fs.BoolVar(&c.markdown, "markdown", false, "print the tables as Markdown (for docs/SEARCH_QUALITY.md)")
	fs.BoolVar(&c.verbose, "v", false, "also print every query's nDCG@10 per system")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "stichwort-eval: unexpected arguments %q\n", fs.Args())
		return c, errUsage
	}
	if c.json && c.markdown {
		fmt.Fprintln(stderr, "stichwort-eval: -json and -markdown exclude each other")
		return c, errUsage
	}
	known := make([]string, 0, 3)
	for _, s := range systems() {
		known = append(known, s.Name)
	}
	for _, n := range strings.Split(*names, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if !slices.Contains(known, n) {
			fmt.Fprintf(stderr, "stichwort-eval: unknown system %q (have %s)\n", n, strings.Join(known, ", "))
			return c, errUsage
		}
		c.systems = append(c.systems, n)
	}
	if len(c.systems) == 0 {
		fmt.Fprintln(stderr, "stichwort-eval: no system selected")
		return c, errUsage
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	r, err := runEval(ctx, c.corpus, c.queries, c.systems)
	if err != nil {
		return err
	}
	switch {
	case c.json:
		return writeJSON(stdout, r)
	case c.markdown:
		return writeMarkdown(stdout, r)
	}
	return writeText(stdout, r, c.verbose)
}

// runEval loads corpus and queries and evaluates the named systems, in the
// order systems() lists them.
func runEval(ctx context.Context, corpusDir, queriesPath string, names []string) (report, error) {
	docs, err := loadCorpus(corpusDir)
	if err != nil {
		return report{}, err
	}
	ids := make([]string, len(docs))
	r := report{Docs: len(docs), Cutoff: cutoff, PerCat: make(map[string]int)}
	for i, d := range docs {
		ids[i] = d.ID
		if d.Doc.Type == stichwort.TypePDF {
			r.PDFs++
		} else {
			r.Articles++
		}
	}
	qs, err := loadQueries(queriesPath, ids)
	if err != nil {
		return report{}, err
	}
	r.Queries = len(qs)
	for _, q := range qs {
		r.PerCat[q.Category]++
	}
	for _, s := range systems() {
		if !slices.Contains(names, s.Name) {
			continue
		}
		sr, err := evaluate(ctx, s, docs, qs)
		if err != nil {
			return report{}, err
		}
		r.Systems = append(r.Systems, sr)
	}
	return r, nil
}
