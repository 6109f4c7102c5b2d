// Command stichwort-bench generates a synthetic German news corpus and
// measures stichwort's indexing and search against stock Bleve and SQLite
// FTS5 on it. See doc.go and docs/BENCHMARKS.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usageText = `stichwort-bench: corpus generator and side-by-side benchmark

Usage:
  stichwort-bench gen   -n N [-seed S] [-o FILE]        JSON lines for "stichwort import"
  stichwort-bench run   -n N [-rounds R] [-stichwort bin/stichwort] [flags]
                                                        index and query with every engine, print the table
  stichwort-bench index -engine E -corpus FILE -dir DIR one engine indexes (a child of run; for profiling)
  stichwort-bench query -engine E -dir DIR -work DIR    one engine answers the query set (a child of run)

Run "stichwort-bench COMMAND -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks a mistake on the command line (exit code 2).
var errUsage = errors.New("usage")

// Main runs the command in args and returns the exit code: 0 success,
// 2 bad usage, 1 other failure.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	var err error
	switch args[0] {
	case "gen":
		err = runGen(ctx, args[1:], stdout, stderr)
	case "run":
		err = runDriver(ctx, args[1:], stdout, stderr)
	case "index":
		err = runIndexChild(ctx, args[1:], stdout, stderr)
	case "query":
		err = runQueryChild(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usageText)
		return 0
	default:
		fmt.Fprint(stderr, usageText)
		return 2
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "stichwort-bench:", err)
		return 2
	}
	fmt.Fprintln(stderr, "stichwort-bench:", err)
	return 1
}

// sourceFlags are the files the language is made of.
type sourceFlags struct {
	articles, lexicon string
}

func (s *sourceFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&s.articles, "articles", "testdata/articles", "sample articles the vocabulary comes from (with FORMAT.md)")
	fs.StringVar(&s.lexicon, "lexicon", "index/german/data/lexicon_de.txt", "lexicon of compound parts the compounds are made of")
}

func (s *sourceFlags) load() (*language, error) {
	l, err := loadLanguage(s.articles, s.lexicon)
	if err != nil {
		return nil, fmt.Errorf("language (run from the repository root or set -articles and -lexicon): %w", err)
	}
	return l, nil
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("stichwort-bench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", stderr)
	n := fs.Int("n", 10000, "number of documents")
	seed := fs.Uint64("seed", 1, "seed: the same seed gives the same corpus, byte for byte")
	first := fs.Int("first", 0, "number of the first document (a later part of a corpus)")
	out := fs.String("o", "-", "output file (- is standard output)")
	var src sourceFlags
	src.declare(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *n < 0 || *first < 0 {
		return fmt.Errorf("%w: -n and -first must not be negative", errUsage)
	}
	l, err := src.load()
	if err != nil {
		return err
	}
	g := &generator{lang: l, seed: *seed}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := g.writeCorpus(ctx, w, *first, *n); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		return f.Close()
	}
	return nil
}
