package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"stichwort/crawler"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

var errHelp = errors.New("help requested")

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const usageText = `stichwort: search German news and public-sector documents

Usage:
  stichwort crawl   --data DIR --seed URL [--seed URL]... [crawl flags]
  stichwort serve   --data DIR [--addr 127.0.0.1:8080] [--seed URL]... [--recrawl DUR] [crawl flags]
  stichwort search  --data DIR [--tag T]... [--type article|pdf] [--json] QUERY...
  stichwort import  --data DIR FILE.jsonl   (FILE - reads standard input)
  stichwort reindex --data DIR
  stichwort demo    --data DIR [--site testdata/site] [--addr 127.0.0.1:8080]
  stichwort check   --data DIR              (verifies index, crawl state and alerts)
  stichwort backup  --data DIR --out DIR2   (a copy that opens cleanly; see docs/RELIABILITY.md)

Run "stichwort COMMAND -h" for the flags of a command.
`

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// ParseFlags reads the command line into m. It returns a *usageError for
// bad usage and errHelp after printing help.
func (m *Main) ParseFlags(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usageText)
		return usagef("no command given")
	}
	m.cmd = args[0]
	switch m.cmd {
	case "-h", "--help", "help":
		fmt.Fprint(m.Stdout, usageText)
		return errHelp
	case "crawl", "serve", "search", "import", "reindex", "demo", "check", "backup":
	default:
		fmt.Fprint(m.Stderr, usageText)
		return usagef("unknown command %q", m.cmd)
	}
	fs := flag.NewFlagSet("stichwort "+m.cmd, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.dataDir, "data", "", "data folder (index, crawl state, documents)")
	fs.StringVar(&m.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&m.logFormat, "log-format", "text", "log format: text or json")
	crawlFlags := func() {
		fs.Var(&m.seeds, "seed", "start URL (repeatable); HTML is crawled on the seeds' hosts")
		fs.IntVar(&m.crawl.MaxPages, "max-pages", 0, "stop after this many fetched pages (0: no limit)")
		fs.IntVar(&m.crawl.MaxDepth, "max-depth", crawler.DefaultMaxDepth, "follow links at most this many hops from a seed (spider traps)")
		fs.IntVar(&m.crawl.MaxPagesPerHost, "max-pages-per-host", crawler.DefaultMaxPagesPerHost, "fetch at most this many pages per host and run")
		fs.DurationVar(&m.crawl.Delay, "delay", time.Second, "minimum pause between requests to one host")
		fs.IntVar(&m.crawl.Concurrency, "concurrency", 4, "number of parallel fetches over all hosts")
		fs.StringVar(&m.crawl.UserAgent, "user-agent", "stichwort/"+version+" (+https://github.com/stichwort/stichwort)", "User-Agent header of the crawler")
		fs.Int64Var(&m.crawl.MaxBodyBytes, "max-body", 20<<20, "largest response body in bytes")
		fs.BoolVar(&m.crawl.AllowPrivate, "allow-private", false, "allow fetching PDFs from loopback and private addresses on other hosts")
	}
	switch m.cmd {
	case "crawl":
		crawlFlags()
	case "serve", "demo":
		fs.StringVar(&m.addr, "addr", "127.0.0.1:8080", "listen address of the web server")
		crawlFlags()
		fs.DurationVar(&m.recrawl, "recrawl", 0, "crawl the seeds again every DUR while serving (0: once at start)")
		if m.cmd == "demo" {
			fs.StringVar(&m.siteDir, "site", "testdata/site", "folder of the generated sample site")
		}
	case "search":
		fs.Var(&m.tags, "tag", "only documents with this Stichwort (repeatable: all must match)")
		fs.StringVar(&m.docType, "type", "", "only this type: article or pdf")
		fs.BoolVar(&m.jsonOut, "json", false, "print the result as JSON (like /api/search)")
		fs.IntVar(&m.size, "size", 10, "number of hits (at most 100)")
	}
	m.alertFlags(fs)
	m.limitFlags(fs)
	m.opsFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usagef("%v", err)
	}
	m.alertFlagsParsed(fs)
	if err := m.checkLimitFlags(); err != nil {
		return err
	}
	if err := m.checkOpsFlags(); err != nil {
		return err
	}
	if m.dataDir == "" {
		return usagef("%s: --data DIR is required", m.cmd)
	}
	rest := fs.Args()
	switch m.cmd {
	case "crawl":
		if len(m.seeds) == 0 {
			return usagef("crawl: at least one --seed URL is required")
		}
	case "search":
		m.query = strings.Join(rest, " ")
		rest = nil
		if m.docType != "" && m.docType != "article" && m.docType != "pdf" {
			return usagef("search: --type must be article or pdf")
		}
		if m.size < 1 || m.size > 100 {
			return usagef("search: --size must be between 1 and 100")
		}
	case "import":
		if len(rest) != 1 {
			return usagef("import: exactly one FILE (or -) is required")
		}
		m.importFile, rest = rest[0], nil
	}
	if len(rest) > 0 {
		return usagef("%s: unexpected arguments %q", m.cmd, rest)
	}
	for _, s := range m.seeds {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("--seed %q is not an absolute http(s) URL", s)
		}
	}
	if m.cmd == "crawl" || m.serving() {
		if m.crawl.Concurrency < 1 {
			return usagef("--concurrency must be at least 1")
		}
		if m.crawl.MaxDepth < 1 || m.crawl.MaxPagesPerHost < 1 {
			return usagef("--max-depth and --max-pages-per-host must be at least 1")
		}
		if m.crawl.MaxPages < 0 || m.crawl.Delay < 0 || m.recrawl < 0 || m.crawl.MaxBodyBytes < 1 {
			return usagef("--max-pages, --delay and --recrawl must not be negative, --max-body must be positive")
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(m.logLevel)); err != nil {
		return usagef("--log-level %q: use debug, info, warn or error", m.logLevel)
	}
	var h slog.Handler
	opts := &slog.HandlerOptions{Level: level}
	switch m.logFormat {
	case "text":
		h = slog.NewTextHandler(m.Stderr, opts)
	case "json":
		h = slog.NewJSONHandler(m.Stderr, opts)
	default:
		return usagef("--log-format must be text or json")
	}
	m.logger = slog.New(h)
	return nil
}

func openInput(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(stdin), nil
	}
	return os.Open(name)
}
