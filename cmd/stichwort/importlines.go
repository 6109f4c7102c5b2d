package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"

	"stichwort"
)

// importPipeline reads JSON lines and hands them to the index in batches,
// parsing and validating lines on all cores while the previous batch is
// being indexed. Bad lines are reported in line order, as a sequential
// reader would report them, whatever order the workers finish in.
//
// Three stages: one reader cuts the input into chunks of numbered lines;
// workers parse chunks; the caller's goroutine takes the parsed chunks in
// reading order, reports bad lines and indexes full batches. The reader
// stays at most ahead chunks in front of the indexer, so memory is bounded
// by about two batches (the one being indexed and the next) whatever the
// input size.
type importPipeline struct {
	batch   int // documents per call of index
	workers int // parsing goroutines
	chunk   int // lines per parsing job
	ahead   int // chunks read but not yet indexed
}

// newImportPipeline returns the pipeline of `stichwort import`: batches of
// 4000 documents and a parser per core. The index overlaps the Bleve
// batches within one Put but not across Puts, so larger Puts keep both
// cores busier: 4000 indexed 20,000 articles 7 % faster than 1000
// (docs/BENCHMARKS.md).
func newImportPipeline() importPipeline {
	p := importPipeline{batch: 4000, workers: runtime.GOMAXPROCS(0), chunk: 64}
	// Enough parsed lines to fill the next batch while one is indexed,
	// and no more: parsed documents wait in memory.
	p.ahead = p.batch/p.chunk + p.workers
	return p
}

// importChunk is a run of consecutive input lines and, once a worker has
// parsed them, their documents and errors.
type importChunk struct {
	first   int // line number of lines[0]
	lines   [][]byte
	readErr error // reading stopped after these lines
	done    chan importParsed
}

type importParsed struct {
	docs []stichwort.Document
	bad  []badLine
}

type badLine struct {
	line int
	err  error
}

// run imports r. bad is called for every malformed line, in line order,
// from the calling goroutine; index gets batches of valid documents in
// input order and owns each slice it is given. run returns the number of
// imported and of bad lines; the error is a read error (naming the line),
// index's error, or ctx's.
func (p importPipeline) run(ctx context.Context, r io.Reader, bad func(line int, err error),
	index func(context.Context, []stichwort.Document) error) (imported, nbad int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	// On return the reader and the workers stop at their next send; a
	// reader blocked in Read ends with the process (stdin cannot be
	// interrupted).
	defer cancel()

	jobs := make(chan *importChunk)
	order := make(chan *importChunk, p.ahead)
	go p.read(ctx, r, jobs, order)
	for range p.workers {
		go parseChunks(jobs)
	}

	docs := make([]stichwort.Document, 0, p.batch)
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		if err := index(ctx, docs); err != nil {
			return err
		}
		imported += len(docs)
		docs = make([]stichwort.Document, 0, p.batch)
		return nil
	}
	for c := range order {
		var res importParsed
		select {
		case res = <-c.done:
		case <-ctx.Done():
			return imported, nbad, ctx.Err()
		}
		// Errors and documents of a chunk interleave by line; reporting
		// all errors of a chunk before indexing its documents keeps the
		// report in line order and changes nothing else.
		for _, b := range res.bad {
			nbad++
			bad(b.line, b.err)
		}
		for _, d := range res.docs {
			docs = append(docs, d)
			if len(docs) >= p.batch {
				if err := flush(); err != nil {
					return imported, nbad, err
				}
			}
		}
		if c.readErr != nil {
			return imported, nbad, c.readErr
		}
	}
	if err := ctx.Err(); err != nil {
		return imported, nbad, err
	}
	return imported, nbad, flush()
}

// read cuts r into chunks of numbered lines and sends each to order (in
// reading order) and to a worker.
func (p importPipeline) read(ctx context.Context, r io.Reader, jobs, order chan<- *importChunk) {
	defer close(order)
	defer close(jobs)
	br := bufio.NewReaderSize(r, 1<<20)
	line := 0
	c := &importChunk{first: 1, done: make(chan importParsed, 1)}
	send := func() bool {
		select {
		case order <- c:
		case <-ctx.Done():
			return false
		}
		select {
		case jobs <- c:
		case <-ctx.Done():
			return false
		}
		c = &importChunk{first: line + 1, done: make(chan importParsed, 1)}
		return true
	}
	for {
		text, err := br.ReadBytes('\n')
		if len(text) > 0 {
			line++
			c.lines = append(c.lines, text)
		}
		if err == io.EOF {
			if len(c.lines) > 0 {
				send()
			}
			return
		}
		if err != nil {
			c.readErr = fmt.Errorf("read line %d: %w", line+1, err)
			send()
			return
		}
		if len(c.lines) == p.chunk && !send() {
			return
		}
	}
}

// parseChunks parses the lines of each chunk; blank lines are skipped.
func parseChunks(jobs <-chan *importChunk) {
	for c := range jobs {
		var res importParsed
		for i, text := range c.lines {
			t := bytes.TrimSpace(text)
			if len(t) == 0 {
				continue
			}
			d, err := stichwort.ParseImportLine(t)
			if err != nil {
				res.bad = append(res.bad, badLine{c.first + i, err})
				continue
			}
			res.docs = append(res.docs, d)
		}
		c.lines = nil
		c.done <- res
	}
}
