package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"stichwort"
)

// importInput is n lines of which the ones in bad are malformed in
// different ways; every 10th line is blank. It returns the input, the
// numbers of the bad lines and the URLs of the good ones, in order.
func importInput(n int, bad map[int]bool) (string, []int, []string) {
	var b strings.Builder
	var badLines []int
	var urls []string
	kinds := []string{`kaputt`, `{"title":"ohne URL"}`, `{"url":"ftp://x/","title":"t"}`,
		`{"url":"https://a.example/x","title":"t","date":"22.10.2024"}`, `{"url":"https://a.example/y","title":"t","extra":1}`}
	for i := 1; i <= n; i++ {
		switch {
		case bad[i]:
			b.WriteString(kinds[i%len(kinds)])
			badLines = append(badLines, i)
		case i%10 == 0:
			b.WriteString("   ")
		default:
			u := fmt.Sprintf("https://archiv.example/%d", i)
			fmt.Fprintf(&b, `{"url":%q,"title":"Artikel %d","date":"2021-05-04","tags":["Breitband"],"body":"Text %d"}`, u, i, i)
			urls = append(urls, u)
		}
		if i < n { // the last line has no newline
			b.WriteByte('\n')
		}
	}
	return b.String(), badLines, urls
}

func TestImportPipelineOrder(t *testing.T) {
	bad := map[int]bool{1: true, 2: true, 7: true, 63: true, 64: true, 65: true, 128: true, 199: true, 500: true, 997: true}
	input, wantBad, wantURLs := importInput(997, bad)
	tests := []struct {
		name string
		p    importPipeline
	}{
		{"default", newImportPipeline()},
		{"one worker", importPipeline{batch: 10, workers: 1, chunk: 4, ahead: 2}},
		{"many small chunks", importPipeline{batch: 7, workers: 8, chunk: 1, ahead: 3}},
		{"chunks larger than batches", importPipeline{batch: 5, workers: 3, chunk: 33, ahead: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotBad []int
			var gotURLs []string
			batches := 0
			// A one-byte reader makes reading slow next to parsing, so the
			// workers finish chunks out of order.
			imported, nbad, err := tt.p.run(context.Background(), iotest.OneByteReader(strings.NewReader(input)),
				func(line int, err error) {
					if !errors.Is(err, stichwort.ErrBadRecord) {
						t.Errorf("line %d: error %v does not wrap ErrBadRecord", line, err)
					}
					gotBad = append(gotBad, line)
				},
				func(_ context.Context, docs []stichwort.Document) error {
					batches++
					if len(docs) > tt.p.batch {
						t.Errorf("batch of %d documents, want at most %d", len(docs), tt.p.batch)
					}
					for _, d := range docs {
						gotURLs = append(gotURLs, d.URL)
					}
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gotBad, wantBad) {
				t.Errorf("bad lines %v, want %v", gotBad, wantBad)
			}
			if !slices.Equal(gotURLs, wantURLs) {
				t.Errorf("documents out of order or missing: got %d, want %d", len(gotURLs), len(wantURLs))
			}
			if imported != len(wantURLs) || nbad != len(wantBad) {
				t.Errorf("imported %d, bad %d; want %d, %d", imported, nbad, len(wantURLs), len(wantBad))
			}
			if want := (len(wantURLs) + tt.p.batch - 1) / tt.p.batch; batches != want {
				t.Errorf("%d batches, want %d", batches, want)
			}
		})
	}
}

func TestImportPipelineErrors(t *testing.T) {
	input, _, _ := importInput(300, map[int]bool{5: true})
	p := importPipeline{batch: 50, workers: 2, chunk: 8, ahead: 4}
	noBad := func(int, error) {}

	t.Run("read error names the next line", func(t *testing.T) {
		// The reader fails after the first 100 complete lines.
		cut := 0
		for range 100 {
			cut += strings.IndexByte(input[cut:], '\n') + 1
		}
		r := io.MultiReader(strings.NewReader(input[:cut]), iotest.ErrReader(errors.New("disk gone")))
		var indexed int
		_, _, err := p.run(context.Background(), r, noBad, func(_ context.Context, docs []stichwort.Document) error {
			indexed += len(docs)
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "read line 101") || !strings.Contains(err.Error(), "disk gone") {
			t.Errorf("error %v, want one naming line 101", err)
		}
		if indexed > 100 {
			t.Errorf("%d documents indexed from 100 lines", indexed)
		}
	})
	t.Run("index error stops the import", func(t *testing.T) {
		boom := errors.New("disk full")
		calls := 0
		_, _, err := p.run(context.Background(), strings.NewReader(input), noBad, func(context.Context, []stichwort.Document) error {
			calls++
			return boom
		})
		if !errors.Is(err, boom) || calls != 1 {
			t.Errorf("error %v after %d calls, want %v after 1", err, calls, boom)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		_, _, err := p.run(ctx, strings.NewReader(input), noBad, func(context.Context, []stichwort.Document) error {
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}

// TestImportCommandLineNumbers runs the real command on input larger than
// a batch: bad lines are reported with their numbers, in order, and the
// summary counts are right.
func TestImportCommandLineNumbers(t *testing.T) {
	bad := map[int]bool{3: true, 999: true, 1000: true, 1001: true, 1500: true, 2047: true}
	input, wantBad, wantURLs := importInput(2047, bad)
	data := t.TempDir()
	code, _, errOut := run(t, input, "import", "--data", data, "--log-level", "error", "-")
	if code != 0 {
		t.Fatalf("import: exit %d, stderr %q", code, errOut)
	}
	var gotBad []int
	for _, m := range regexp.MustCompile(`Zeile (\d+):`).FindAllStringSubmatch(errOut, -1) {
		n, _ := strconv.Atoi(m[1])
		gotBad = append(gotBad, n)
	}
	if !slices.Equal(gotBad, wantBad) {
		t.Errorf("reported lines %v, want %v", gotBad, wantBad)
	}
	want := fmt.Sprintf("import: %d Dokumente importiert, %d Zeilen fehlerhaft\n", len(wantURLs), len(wantBad))
	if !strings.HasSuffix(errOut, want) {
		t.Errorf("stderr ends %q, want %q", errOut[max(0, len(errOut)-80):], want)
	}
	code, out, _ := run(t, "", "search", "--data", data, "--json", "Artikel")
	if code != 0 || !strings.Contains(out, fmt.Sprintf(`"total": %d`, len(wantURLs))) {
		t.Errorf("search after import: exit %d, %.200s", code, out)
	}
}
