# stichwort: see README.md.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
DATA     ?= data/demo
ADDR     ?= 127.0.0.1:8080
FUZZTIME ?= 30s

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

## stress: the slow reliability loops: KILLS SIGKILLs of a crawl, each resumed and checked
stress:
	$(GO) test -race -count=1 -timeout 30m -run '^TestCrashResume$$' -v ./cmd/stichwort/ -args -crash-kills=$(KILLS)

## site: regenerate testdata/site from testdata/articles
site:
	$(GO) run ./cmd/stichwort-sitegen -src testdata/articles -out testdata/site

## eval: search quality of ours vs. stock Bleve "de" and SQLite FTS5 on testdata/eval (docs/SEARCH_QUALITY.md)
eval:
	$(GO) run ./cmd/stichwort-eval

## bench: Go benchmarks of the hot paths
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin data
