package warc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Response is an archived response.
type Response struct {
	URL       string
	Time      time.Time
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool
	// File and Offset locate the record for ReadAt.
	File   string
	Offset int64
}

// Files returns the archive's files in the order they were written.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("warc: %w", err)
	}
	type numbered struct {
		n    int
		path string
	}
	var files []numbered
	for _, e := range entries {
		if m := filePattern.FindStringSubmatch(e.Name()); m != nil {
			n, _ := strconv.Atoi(m[1])
			files = append(files, numbered{n, filepath.Join(dir, e.Name())})
		}
	}
	slices.SortFunc(files, func(a, b numbered) int { return a.n - b.n })
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out, nil
}

// Each calls fn for every response record in the archive in dir, in the
// order they were written. A damaged record ends its file with a warning
// on log (a crash leaves the last record of a file torn); the next file
// is read. An error from fn stops Each and is returned.
func Each(dir string, log *slog.Logger, fn func(Response) error) error {
	files, err := Files(dir)
	if err != nil {
		return err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, f := range files {
		if err := eachInFile(f, log, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachInFile(path string, log *slog.Logger, fn func(Response) error) error {
	r, err := newReader(path, 0)
	if err != nil {
		return fmt.Errorf("warc: %w", err)
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			log.Warn("damaged WARC record; rest of file skipped", slog.String("file", path),
				slog.Int64("offset", rec.Offset), slog.Any("err", err))
			return nil
		}
		resp, ok, err := response(rec)
		rec.Close()
		if err != nil {
			log.Warn("damaged WARC record; rest of file skipped", slog.String("file", path),
				slog.Int64("offset", rec.Offset), slog.Any("err", err))
			return nil
		}
		if !ok {
			continue
		}
		resp.File = path
		if err := fn(resp); err != nil {
			return err
		}
	}
}

// ReadAt reads the response record at offset in file (from a Response
// that Each gave).
func ReadAt(file string, offset int64) (Response, error) {
	r, err := newReader(file, offset)
	if err != nil {
		return Response{}, fmt.Errorf("warc: %w", err)
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil {
		return Response{}, fmt.Errorf("warc: read %s at %d: %w", file, offset, err)
	}
	defer rec.Close()
	resp, ok, err := response(rec)
	if err != nil {
		return Response{}, err
	}
	if !ok {
		return Response{}, fmt.Errorf("warc: %s at %d is not a response record", file, offset)
	}
	resp.File = file
	return resp, nil
}

func newReader(path string, offset int64) (*gowarc.WarcFileReader, error) {
	libMu.Lock()
	defer libMu.Unlock()
	return gowarc.NewWarcFileReader(path, offset, lenient()...)
}

func lenient() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
	}
}

// response decodes a response record; ok is false for other records.
func response(rec gowarc.Record) (Response, bool, error) {
	wr := rec.WarcRecord
	if wr == nil || wr.Type() != gowarc.Response {
		return Response{}, false, nil
	}
	block, isHTTP := wr.Block().(gowarc.HttpResponseBlock)
	if !isHTTP {
		return Response{}, false, nil
	}
	payload, err := block.PayloadBytes()
	if err != nil {
		return Response{}, false, fmt.Errorf("warc: payload: %w", err)
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(payload); err != nil {
		return Response{}, false, fmt.Errorf("warc: payload: %w", err)
	}
	h := wr.WarcHeader()
	t, _ := h.GetTime(gowarc.WarcDate)
	resp := Response{
		URL:       h.Get(gowarc.WarcTargetURI),
		Time:      t,
		Status:    block.HttpStatusCode(),
		Body:      body.Bytes(),
		Truncated: h.Has(gowarc.WarcTruncated),
		Offset:    rec.Offset,
	}
	if hh := block.HttpHeader(); hh != nil {
		resp.Header = hh.Clone()
	}
	return resp, true, nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("warc: %w", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("warc: %q is not an absolute URL", raw)
	}
	return u, nil
}
