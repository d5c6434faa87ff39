#!/bin/sh
# Regenerates testdata/documents (document builder tests) byte for byte.
# Needs the Debian fonts (fonts-ocr-b, fonts-opendin, fonts-dejavu-core).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/synth" ./cmd/synth
mkdir -p testdata/documents
rm -f testdata/documents/*.jpg testdata/documents/manifest.json
"$tmp/synth" -q -set docmini -seed 1 -out testdata/documents "$@"
