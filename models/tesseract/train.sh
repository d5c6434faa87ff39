#!/usr/bin/env bash
# Trains models/tesseract/mrz.traineddata, the project's Tesseract OCR-B model
# for MRZ lines, from scratch with Debian's tesseract-ocr 5.3 training tools
# (lstmtraining, combine_lang_model, unicharset_extractor, combine_tessdata;
# all in the tesseract-ocr package that scripts/deps.sh installs) and lines
# rendered in fonts-ocr-b by cmd/mrzlines. Debian's eng.traineddata is an
# integer ("fast") model, which lstmtraining refuses to continue from, so
# fine-tuning eng is not possible with Debian's packages alone.
#
#   models/tesseract/train.sh            # the committed model: about 20 min of data + 40 min of training on 2 busy cores
#   N=300 ITER=200 OUT=out/tt models/tesseract/train.sh   # smoke run
#
# Work files go under $WORK (git-ignored out/); the model is written to $OUT
# (default: this directory). Same N, SEED, NET, RATE and ITER give the same
# training data; lstmtraining itself is single-threaded and deterministic in
# practice, though not guaranteed bit-identical across machines.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
WORK=${WORK:-out/tesstrain}
OUT=${OUT:-models/tesseract}
N=${N:-4000}          # training lines
NEVAL=${NEVAL:-150}   # held-out synthetic lines (scored after training)
SEED=${SEED:-1}
ITER=${ITER:-8100}
RATE=${RATE:-0.002}
NET=${NET:-'[1,36,0,1 Ct3,3,16 Mp3,3 Lfys64 Lbx96 O1c1]'}
JOBS=${JOBS:-1}
export OMP_THREAD_LIMIT=1

for t in tesseract lstmtraining lstmeval combine_lang_model unicharset_extractor go; do
  command -v "$t" >/dev/null || { echo "train: $t missing (apt-get install tesseract-ocr; Go)" >&2; exit 1; }
done
fc-list | grep -qi 'OCR B' || { echo "train: fonts-ocr-b missing" >&2; exit 1; }

say() { echo "train: $(date +%T) $*" >&2; }

# 1. Lines: PNG + .gt.txt + line box, cut as the pipeline cuts them.
mkdir -p "$WORK"
if [ ! -f "$WORK/lines.done" ]; then
  say "rendering $N training and $NEVAL evaluation lines"
  rm -rf "$WORK/lines" "$WORK/eval"
  go run ./cmd/mrzlines -n "$N" -seed "$SEED" -workers "$JOBS" -out "$WORK/lines"
  go run ./cmd/mrzlines -n "$NEVAL" -first "$N" -seed "$SEED" -workers "$JOBS" -out "$WORK/eval"
  touch "$WORK/lines.done"
fi

# 2. Tesseract's training features (.lstmf), one per line.
if [ ! -f "$WORK/lstmf.done" ]; then
  say "extracting .lstmf features"
  find "$WORK/lines" "$WORK/eval" -name '*.png' | sort | \
    xargs -P "$JOBS" -I{} sh -c 'b="${1%.png}"; [ -f "$b.lstmf" ] || tesseract "$1" "$b" --psm 13 lstm.train >/dev/null 2>&1' _ {}
  find "$WORK/lines" -name '*.lstmf' | sort > "$WORK/list.train"
  find "$WORK/eval" -name '*.lstmf' | sort > "$WORK/list.eval"
  touch "$WORK/lstmf.done"
fi
say "$(wc -l < "$WORK/list.train") training, $(wc -l < "$WORK/list.eval") evaluation lines"

# 3. Starter traineddata: the MRZ alphabet, no dictionary, no recoding.
rm -rf "$WORK/starter" "$WORK/langdata"
mkdir -p "$WORK/starter" "$WORK/langdata"
printf '4E00\t1.0\n' > "$WORK/langdata/radical-stroke.txt" # combine_lang_model reads one
find "$WORK/lines" -name '*.gt.txt' | sort | xargs unicharset_extractor --output_unicharset "$WORK/unicharset" --norm_mode 1 >/dev/null 2>&1
combine_lang_model --input_unicharset "$WORK/unicharset" --script_dir "$WORK/langdata" \
  --lang mrz --output_dir "$WORK/starter" --pass_through_recoder >/dev/null 2>&1
STARTER=$WORK/starter/mrz/mrz.traineddata
[ -f "$STARTER" ] || { echo "train: combine_lang_model made no starter" >&2; exit 1; }

# 4. Training from scratch.
mkdir -p "$WORK/ckpt"
say "training $ITER iterations: $NET"
if [ -f "$WORK/ckpt/mrz_checkpoint" ]; then
  CONT=(--continue_from "$WORK/ckpt/mrz_checkpoint")
else
  CONT=(--net_spec "$NET")
fi
lstmtraining --debug_interval 0 --traineddata "$STARTER" "${CONT[@]}" \
  --model_output "$WORK/ckpt/mrz" --learning_rate "$RATE" \
  --train_listfile "$WORK/list.train" --max_iterations "$ITER" \
  > "$WORK/training.log" 2>&1
tail -n 3 "$WORK/training.log" >&2

# 5. The final model, integer weights (small and fast), and its checksum.
mkdir -p "$OUT"
lstmtraining --stop_training --convert_to_int --continue_from "$WORK/ckpt/mrz_checkpoint" \
  --traineddata "$STARTER" --model_output "$OUT/mrz.traineddata" >/dev/null 2>&1
lstmeval --model "$OUT/mrz.traineddata" --eval_listfile "$WORK/list.eval" 2>&1 | tail -n 1 >&2
(cd "$OUT" && sha256sum mrz.traineddata > SHA256SUMS)
say "wrote $OUT/mrz.traineddata ($(wc -c < "$OUT/mrz.traineddata") bytes): $(cat "$OUT/SHA256SUMS")"
