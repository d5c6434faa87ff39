# docscan: `make demo` and `make test` work on a fresh Debian 12 machine.
SHELL := /bin/bash
GO ?= go
ROOT := $(CURDIR)
ASSETS := $(ROOT)/.cache/assets
SHARED ?= $(abspath $(ROOT)/../shared)
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
export DOCSCAN_MODELS ?= $(ASSETS)/models
export DOCSCAN_ORT_LIB ?= $(ASSETS)/lib/libonnxruntime.so.1
# Model tests fail (instead of skipping) when the assets are missing.
export DOCSCAN_REQUIRE_ASSETS := 1
# OpenCV/Tesseract cgo packages (tested again with -tags matprofile).
CGO_PKGS := ./preprocess/... ./pipeline/... ./models/... ./ocr/...

.PHONY: all deps build demo test test-pure test-cgo test-leaks test-browser bench bench-quick fuzz clean

all: build

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/docscan ./cmd/docscan

demo: build
	@echo "== docscan version" >&2
	@bin/docscan version
	@echo "== scanning the bundled samples (testdata/samples)" >&2
	bin/docscan scan --text testdata/samples/*.jpg

test: deps
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) test -count=1 ./mrz/... ./plates/... ./geom/... ./scan/... ./benchmarks/... ./documents/... ./internal/disjoint/... ./internal/cellnet/... ./models/onnxfold/...
	$(GO) test -count=1 -p 1 ./...
	$(MAKE) --no-print-directory test-leaks
	$(MAKE) --no-print-directory test-browser
	$(MAKE) --no-print-directory bench-quick
	@# The README's first command must keep working: the demo exits 0 and
	@# finds a valid record in every bundled sample.
	@mkdir -p out
	$(MAKE) --no-print-directory demo > out/demo.jsonl
	@test "$$(grep -c '"valid":true' out/demo.jsonl)" -eq "$$(ls testdata/samples/*.jpg | wc -l)" || \
	  { echo "make demo: not every sample gave a valid record" >&2; exit 1; }

# gocv's leak check: with -tags matprofile the tests fail when a Mat is left open.
test-leaks: deps
	$(GO) test -count=1 -p 1 -tags matprofile $(CGO_PKGS)

# The operator page at / driven by headless Chromium (Debian's chromium,
# installed here when missing, like scripts/deps.sh installs its packages).
test-browser: deps
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "test-browser: installing Debian package chromium" >&2; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	  $$SUDO apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	$(GO) test -count=1 -p 1 -tags browser -run TestBrowserPage ./server/

bench: build
	bin/docscan bench --manifest $(SHARED)/data/manifest.json \
	  --manifest synth-mini=testdata/synth/manifest.json --out out/bench

bench-quick: build
	@if [ -f $(SHARED)/data/manifest.json ]; then \
	  bin/docscan bench --quick --manifest $(SHARED)/data/manifest.json --out out/bench-quick; \
	else echo "bench-quick: $(SHARED)/data absent, skipped"; fi

# every fuzz target for FUZZTIME each (go test runs one target at a time)
FUZZTIME ?= 30s
FUZZ_TARGETS = ./mrz:FuzzParse ./mrz:FuzzRead ./plates:FuzzParse ./plates:FuzzRank \
  ./internal/cellnet:FuzzParse ./internal/licnum:FuzzValid ./preprocess:FuzzProbe ./server:FuzzReadImage \
  ./documents:FuzzReadFields
fuzz: deps
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; echo "== $$pkg $$fn ($(FUZZTIME))"; \
	  go test $$pkg -run '^$$' -fuzz "^$${fn}$$" -fuzztime $(FUZZTIME); \
	done

clean:
	rm -rf bin out
