#!/usr/bin/env bash
# Trains the MRZ reader's OCR-B cell classifier (pipeline/ocrb_net.bin)
# from synthetic scenes this project generates: 400 MRZ scenes of seed 77
# (not the seeds the benchmarks score: 1 for out/synth/mrz300, 8 for
# out/synth/mrz150s8), scanned as MRZ requests, the truth's cells cut
# where the reader places them (TestCollectOCRBCells), then a net of one
# hidden layer of 128 trained on them for 8 epochs (cmd/ocrbtrain; scenes
# with an index divisible by 5 held out and scored). Needs the model
# assets (make deps). About 16 minutes on 2 cores (4 to render, 11 to
# collect, 1 to train).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "${WORK:-out/ocrb-train}"
work=$(realpath "${WORK:-out/ocrb-train}")
if [ ! -f "$work/scenes/manifest.json" ]; then
	go run ./cmd/synth -set mrz -n 400 -seed 77 -out "$work/scenes"
fi
go test -c -o "$work/pipeline.test" ./pipeline
manifest="$work/scenes/manifest.json"
pids=()
for s in 0 1; do
	(cd pipeline && DOCSCAN_OCRB_COLLECT="$work/cells_$s.bin" \
		DOCSCAN_OCRB_MANIFEST="$manifest" DOCSCAN_OCRB_SHARD="$s/2" \
		"$work/pipeline.test" -test.run '^TestCollectOCRBCells$' -test.v) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
go run ./cmd/ocrbtrain -out pipeline/ocrb_net.bin -epochs 8 "$work/cells_0.bin" "$work/cells_1.bin"
sha256sum pipeline/ocrb_net.bin # the checksum TestOCRBNet expects (ocrbNetSHA256)
