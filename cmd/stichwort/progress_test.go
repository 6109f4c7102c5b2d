package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"stichwort/crawler"
)

func TestStatusLine(t *testing.T) {
	var out bytes.Buffer
	l := &statusLine{out: &out, width: func() int { return 30 }}
	l.Write([]byte("vorher\n"))
	l.show("Crawl: 3 Seiten")
	l.Write([]byte("level=WARN msg=x\n"))
	l.show("Crawl: 4 Seiten und eine sehr lange Zeile, die abgeschnitten wird")
	l.finish()
	l.Write([]byte("danach\n"))
	want := "vorher\n" +
		clearLine + "Crawl: 3 Seiten" +
		clearLine + "level=WARN msg=x\n" + "Crawl: 3 Seiten" +
		clearLine + "Crawl: 4 Seiten und eine seh…" +
		"\n" + "danach\n"
	if got := out.String(); got != want {
		t.Errorf("terminal got\n%q\nwant\n%q", got, want)
	}
}

func TestProgressText(t *testing.T) {
	start := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	s := crawler.Stats{Fetched: 40, NotModified: 10, Queued: 7, Failed: 1, PDFs: 3, Documents: 38, Running: true, Started: start}
	got := progressText(s, start.Add(4*time.Second))
	want := "Crawl: 40 Seiten geholt, 10 unverändert (304), 7 in der Warteschlange, 1 fehlgeschlagen, 3 PDFs, 38 Dokumente · 12,5 Seiten/s"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestLogProgress(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	running := crawler.Stats{Running: true, Started: time.Now(), Fetched: 12, Queued: 5, PDFs: 2, Documents: 9}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		logProgress(ctx, log, time.Millisecond, func() (crawler.Stats, bool) { return running, true })
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "crawl progress") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	got := logs.String()
	for _, want := range []string{`msg="crawl progress"`, "fetched=12", "queued=5", "pdfs=2", "documents=9", "pages_per_second="} {
		if !strings.Contains(got, want) {
			t.Errorf("progress log lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\r") {
		t.Errorf("carriage return in a plain log:\n%q", got)
	}
}

// TestProgressOnlyOnTerminal: a crawl whose stderr is a pipe or a file
// gets log lines, never the redrawn line.
func TestProgressOnlyOnTerminal(t *testing.T) {
	site := newCrashSite(t, 20)
	code, _, errOut := run(t, "", "crawl", "--data", t.TempDir(), "--seed", site.url("/"), "--delay", "0")
	if code != 0 {
		t.Fatalf("crawl: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "\r") || strings.Contains(errOut, "Seiten geholt") {
		t.Errorf("progress line on a stderr that is no terminal:\n%q", errOut)
	}
	if !strings.Contains(errOut, "crawl finished") {
		t.Errorf("no structured log lines:\n%s", errOut)
	}
}
