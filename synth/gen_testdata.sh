#!/bin/sh
# Regenerates testdata/samples (demo) and testdata/synth (tests) byte for byte.
# Needs the Debian fonts (fonts-ocr-b, fonts-opendin, fonts-dejavu-core).
#
# Font parsing (golang.org/x/image/font/sfnt) needs golang.org/x/text and
# golang.org/x/sys, which go.mod does not require yet; until it does, this
# script builds cmd/synth with -tags sfnt against a private copy of go.mod
# (the module cache or the Go proxy must have those two modules).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp go.mod go.sum "$tmp/"
go get -modfile="$tmp/go.mod" golang.org/x/image/font/opentype@v0.48.0 golang.org/x/image/vector@v0.48.0 2>/dev/null
go build -tags sfnt -modfile="$tmp/go.mod" -o "$tmp/synth" ./cmd/synth
for d in testdata/samples testdata/synth; do
	mkdir -p "$d"
	rm -f "$d"/*.jpg "$d"/manifest.json
done
"$tmp/synth" -q -set samples -seed 1 -out testdata/samples "$@"
"$tmp/synth" -q -set mini -seed 1 -out testdata/synth "$@"
