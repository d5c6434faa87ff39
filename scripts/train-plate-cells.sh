#!/usr/bin/env bash
# Trains the plate reader's character classifier (pipeline/plate_net.bin)
# from synthetic plate scenes this project generates, 1200 of seed 71 and
# 2400 each of seeds 72 and 73 (not the seeds the benchmarks score: 11
# for out/synth/plates300v3, 12 for out/synth/plates300s12), scanned as
# plate requests, each line PP-OCR read that lines up with the truth cut
# into its characters' cells (TestCollectPlateCells); and from 6000 plate
# lines rendered sharp and blurred (TestCollectRenderedPlateCells). A net
# of one hidden layer of 256 is trained on them for 10 epochs
# (cmd/ocrbtrain -classes plate; scenes and lines with an index divisible
# by 5 held out and scored). Needs the model assets (make deps). About
# 35 minutes on 2 cores (9 to render, 13 to collect, 10 to train).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "${WORK:-out/plate-train}"
work=$(realpath "${WORK:-out/plate-train}")
go test -c -o "$work/pipeline.test" ./pipeline
files=()
for set in 71:1200 72:2400 73:2400; do
	seed=${set%%:*} n=${set##*:}
	if [ ! -f "$work/scenes$seed/manifest.json" ]; then
		go run ./cmd/synth -set plates -n "$n" -seed "$seed" -out "$work/scenes$seed" > /dev/null
	fi
	pids=()
	for s in 0 1; do
		(cd pipeline && DOCSCAN_PLATE_COLLECT="$work/cells${seed}_$s.bin" \
			DOCSCAN_PLATE_MANIFEST="$work/scenes$seed/manifest.json" DOCSCAN_PLATE_SHARD="$s/2" \
			"$work/pipeline.test" -test.run '^TestCollectPlateCells$' -test.v) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	files+=("$work/cells${seed}_0.bin" "$work/cells${seed}_1.bin")
done
(cd pipeline && DOCSCAN_PLATE_RENDER="$work/rendered.bin" DOCSCAN_PLATE_RENDER_N=6000 \
	"$work/pipeline.test" -test.run '^TestCollectRenderedPlateCells$' -test.v)
go run ./cmd/ocrbtrain -classes plate -hidden 256 -epochs 10 -out pipeline/plate_net.bin "${files[@]}" "$work/rendered.bin"
sha256sum pipeline/plate_net.bin # the checksum TestPlateNet expects (plateNetSHA256)
