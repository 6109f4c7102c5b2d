package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"stichwort"
)

// corpusStats are the figures of a corpus that the rates are based on.
type corpusStats struct {
	Docs      int   `json:"docs"`
	TextBytes int64 `json:"text_bytes"` // UTF-8 bytes of title, lead and body
}

func textBytes(d stichwort.Document) int64 {
	return int64(len(d.Title) + len(d.Lead) + len(d.Body))
}

// eachDoc reads the corpus file, parses every line as `stichwort import`
// does and calls fn; it stops at fn's first error.
func eachDoc(ctx context.Context, path string, fn func(stichwort.Document) error) (corpusStats, error) {
	var st corpusStats
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	for line := 1; ; line++ {
		text, rerr := r.ReadBytes('\n')
		if t := bytes.TrimSpace(text); len(t) > 0 {
			if line%1000 == 0 && ctx.Err() != nil {
				return st, ctx.Err()
			}
			d, err := stichwort.ParseImportLine(t)
			if err != nil {
				return st, fmt.Errorf("%s:%d: %w", path, line, err)
			}
			st.Docs++
			st.TextBytes += textBytes(d)
			if err := fn(d); err != nil {
				return st, err
			}
		}
		if rerr == io.EOF {
			return st, nil
		}
		if rerr != nil {
			return st, rerr
		}
	}
}

// batches reads the corpus on its own goroutine and sends it in batches
// of size, so that parsing overlaps indexing as in `stichwort import`.
// The returned function waits for the reader and returns its error.
func batches(ctx context.Context, path string, size int) (<-chan []stichwort.Document, func() (corpusStats, error)) {
	out := make(chan []stichwort.Document, 1)
	var st corpusStats
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		batch := make([]stichwort.Document, 0, size)
		send := func() error {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]stichwort.Document, 0, size)
			return nil
		}
		st, err = eachDoc(ctx, path, func(d stichwort.Document) error {
			batch = append(batch, d)
			if len(batch) == size {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
	}()
	return out, func() (corpusStats, error) { <-done; return st, err }
}
