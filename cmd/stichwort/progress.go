package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"stichwort/crawler"
)

const (
	// progressTick is how often the line on a terminal is redrawn.
	progressTick = 250 * time.Millisecond
	// progressLogEvery is how often the counts are logged when stderr is
	// not a terminal (crawl) or always (serve's background crawl).
	progressLogEvery = 10 * time.Second
)

// startProgress shows the progress of the crawl until stop is called. On
// a terminal it is one line redrawn in place, with log lines printed above
// it (m.logger is switched to do that, so call it before newCrawler);
// otherwise a structured log line every progressLogEvery.
func (m *Main) startProgress(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	if f, ok := m.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		line := &statusLine{out: f, width: func() int {
			w, _, err := term.GetSize(int(f.Fd()))
			if err != nil {
				return 0
			}
			return w
		}}
		m.logger = m.loggerTo(line)
		go func() {
			defer wg.Done()
			drawProgress(ctx, line, progressTick, m.crawlStats)
		}()
	} else {
		logger := m.logger
		go func() {
			defer wg.Done()
			logProgress(ctx, logger, progressLogEvery, m.crawlStats)
		}()
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// crawlStats returns the live counts of the current or last crawl run.
func (m *Main) crawlStats() (crawler.Stats, bool) {
	c := m.live.Load()
	if c == nil {
		return crawler.Stats{}, false
	}
	return c.Progress(), true
}

// drawProgress redraws the line every tick until ctx is done, then leaves
// the last state on its own line.
func drawProgress(ctx context.Context, line *statusLine, tick time.Duration, stats func() (crawler.Stats, bool)) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if s, ok := stats(); ok && !s.Started.IsZero() {
			line.show(progressText(s, time.Now()))
		}
		select {
		case <-ctx.Done():
			if s, ok := stats(); ok && !s.Started.IsZero() {
				line.show(progressText(s, time.Now())) // the final counts
			}
			line.finish()
			return
		case <-t.C:
		}
	}
}

// logProgress logs the counts every interval while a crawl runs.
func logProgress(ctx context.Context, log *slog.Logger, every time.Duration, stats func() (crawler.Stats, bool)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s, ok := stats()
		if !ok || !s.Running {
			continue
		}
		log.Info("crawl progress",
			slog.Int("fetched", s.Fetched), slog.Int("not_modified", s.NotModified),
			slog.Int("queued", s.Queued), slog.Int("failed", s.Failed), slog.Int("pdfs", s.PDFs),
			slog.Int("documents", s.Documents), slog.Float64("pages_per_second", rate(s, time.Now())))
	}
}

// rate is pages (downloaded or not modified) per second since the start.
func rate(s crawler.Stats, now time.Time) float64 {
	el := now.Sub(s.Started).Seconds()
	if !s.Running && !s.Finished.IsZero() {
		el = s.Finished.Sub(s.Started).Seconds()
	}
	if el <= 0 {
		return 0
	}
	return float64(s.Fetched+s.NotModified) / el
}

// progressText is the line a terminal shows.
func progressText(s crawler.Stats, now time.Time) string {
	r := strings.Replace(fmt.Sprintf("%.1f", rate(s, now)), ".", ",", 1)
	return fmt.Sprintf("Crawl: %d Seiten geholt, %d unverändert (304), %d in der Warteschlange, %d fehlgeschlagen, %d PDFs, %d Dokumente · %s Seiten/s",
		s.Fetched, s.NotModified, s.Queued, s.Failed, s.PDFs, s.Documents, r)
}

// loggerTo is m.logger writing to w, with the level and format of the flags.
func (m *Main) loggerTo(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(m.logLevel)) // checked by ParseFlags
	opts := &slog.HandlerOptions{Level: level}
	if m.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// statusLine is a line at the bottom of a terminal, redrawn in place with
// a carriage return. Writes (log lines) clear it, go above it and redraw
// it. It is safe for concurrent use.
type statusLine struct {
	out   io.Writer
	width func() int // terminal columns, 0 if unknown

	mu   sync.Mutex
	text string // the line shown; "" when none
}

const clearLine = "\r\x1b[K"

func (l *statusLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.text != "" {
		io.WriteString(l.out, clearLine)
	}
	n, err := l.out.Write(p)
	if l.text != "" {
		io.WriteString(l.out, l.text)
	}
	return n, err
}

// show replaces the line. A line wider than the terminal is cut, since a
// wrapped line cannot be redrawn with a carriage return.
func (l *statusLine) show(text string) {
	if w := l.width(); w > 1 && utf8.RuneCountInString(text) >= w {
		text = string([]rune(text)[:w-2]) + "…"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.out, clearLine+text)
	l.text = text
}

// finish ends the line, leaving its last text on screen.
func (l *statusLine) finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.text != "" {
		io.WriteString(l.out, "\n")
	}
	l.text = ""
}
