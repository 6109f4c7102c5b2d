# stichwort: see README.md.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
DATA     ?= data/demo
ADDR     ?= 127.0.0.1:8080
FUZZTIME ?= 30s
BENCH_DOCS   ?= 20000
BENCH_ROUNDS ?= 3

.PHONY: run build test lint fuzz site bench clean eval stress

KILLS    ?= 30

## run: build, serve the bundled sample site on loopback, crawl it and serve the search page
run: build
	bin/stichwort demo --data $(DATA) --site testdata/site --addr $(ADDR)

## build: the binary at bin/stichwort
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/stichwort ./cmd/stichwort

## test: every test, with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 10m ./...

## lint: formatting, vet and a tidy go.mod
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) mod tidy -diff

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

STRESS_DOCS     ?= 100000
STRESS_TIME     ?= 60s
STRESS_FUZZTIME ?= 60s

## stress: the slow reliability runs (docs/RELIABILITY.md): a load test of 32 clients for STRESS_TIME
## against STRESS_DOCS imported documents while a recrawl runs, then SIGTERM and check; KILLS SIGKILLs
## of a crawl, each resumed and checked; STRESS_FUZZTIME of fuzzing the HTTP handlers
stress: build
	$(GO) build -o bin/stichwort-load ./cmd/stichwort-load
	STRESS_DOCS=$(STRESS_DOCS) STRESS_TIME=$(STRESS_TIME) .ci/stress
	$(GO) test -race -count=1 -timeout 30m -run '^TestCrashResume$$' -v ./cmd/stichwort/ -args -crash-kills=$(KILLS)
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(STRESS_FUZZTIME) ./server/

## site: regenerate testdata/site from testdata/articles
site:
	$(GO) run ./cmd/stichwort-sitegen -src testdata/articles -out testdata/site

## eval: search quality of ours vs. stock Bleve "de" and SQLite FTS5 on testdata/eval (docs/SEARCH_QUALITY.md)
eval:
	$(GO) run ./cmd/stichwort-eval

## bench: Go benchmarks of the hot paths, then stichwort, stock Bleve and SQLite FTS5 side by side on a
## generated corpus of BENCH_DOCS documents, BENCH_ROUNDS rounds (docs/BENCHMARKS.md; about 5 minutes at 20,000)
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) build -o bin/stichwort-bench ./cmd/stichwort-bench
	bin/stichwort-bench run -n $(BENCH_DOCS) -rounds $(BENCH_ROUNDS) -stichwort bin/stichwort

clean:
	rm -rf bin data
