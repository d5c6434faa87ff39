#!/bin/sh
# Regenerates testdata/samples (demo) and testdata/synth (tests) byte for byte.
# Needs the Debian fonts (fonts-ocr-b, fonts-opendin, fonts-dejavu-core).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/synth" ./cmd/synth
for d in testdata/samples testdata/synth; do
	mkdir -p "$d"
	rm -f "$d"/*.jpg "$d"/manifest.json
done
"$tmp/synth" -q -set samples -seed 1 -out testdata/samples "$@"
"$tmp/synth" -q -set mini -seed 1 -out testdata/synth "$@"
