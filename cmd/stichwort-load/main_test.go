package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"stichwort"
	"stichwort/index"
	"stichwort/server"
)

// TestLoadAgainstServer generates a small corpus, serves it and runs the
// load test for a second: every request answered, a report with latencies
// and server samples.
func TestLoadAgainstServer(t *testing.T) {
	var corpus bytes.Buffer
	if code := run(context.Background(), []string{"gen", "-n", "300"}, &corpus, io.Discard); code != 0 {
		t.Fatalf("gen: exit %d", code)
	}
	var docs []stichwort.Document
	sc := bufio.NewScanner(&corpus)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		d, err := stichwort.ParseImportLine(sc.Bytes())
		if err != nil {
			t.Fatalf("generated line does not import: %v", err)
		}
		docs = append(docs, d)
	}
	if len(docs) != 300 {
		t.Fatalf("%d documents generated", len(docs))
	}
	x, err := index.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h, err := server.New(x, server.Config{Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()

	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-url", ts.URL, "-clients", "4", "-duration", "1s", "-json"}, &out, &errOut)
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s%s", err, out.String(), errOut.String())
	}
	if code != 0 || rep.Requests == 0 || rep.Errors != 0 || rep.Latency.P99 <= 0 || len(rep.Samples) < 2 || rep.Samples[0].Docs != 300 {
		t.Errorf("exit %d: %+v", code, rep)
	}
	for _, kind := range []string{"search", "page", "feed"} {
		if rep.ByKind[kind].Requests == 0 {
			t.Errorf("no %s requests", kind)
		}
	}
	if code := run(context.Background(), []string{"-url", ts.URL + "/nichts"}, io.Discard, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "status 404") {
		t.Errorf("a wrong URL: exit %d: %s", code, errOut.String())
	}
}
