#!/usr/bin/env bash
# Soak of `docscan serve --workers 2` at 64 concurrent loopback clients
# (issue 7's memory figure): clients post photos from ../shared/data in a
# loop (1 s pause after a 429), RSS and peak RSS are sampled every 10 s.
# The load stops once after a 60 s warm-up and again at the end; the idle
# RSS at those two points is the growth figure (samples under load depend
# on what is in flight at that instant).
# Usage: scripts/soak.sh [seconds]   (default 600)
# Env: BIN (default bin/docscan), PORT (18080), OUT (out/soak), SHARED (../shared).
set -u
cd "$(dirname "$0")/.."
DUR=${1:-600}
BIN=${BIN:-bin/docscan}
PORT=${PORT:-18080}
OUT=${OUT:-out/soak}
SHARED=${SHARED:-../shared}
mkdir -p "$OUT"
rm -f "$OUT"/codes.*
ls "$SHARED"/data/plates/*.jpg "$SHARED"/data/mrz/*.jpg 2>/dev/null | head -80 > "$OUT/files"
n=$(wc -l < "$OUT/files")
[ "$n" -gt 0 ] || { echo "soak: no photos under $SHARED/data" >&2; exit 2; }
"$BIN" serve --addr 127.0.0.1:$PORT --workers 2 2> "$OUT/serve.log" &
SP=$!
trap 'kill $SP 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -sf http://127.0.0.1:$PORT/readyz > /dev/null && break; sleep 0.5; done
rss() { awk '/VmRSS/{r=$2}/VmHWM/{h=$2}END{printf "%.0f %.0f", r/1024, h/1024}' /proc/$SP/status; }
client() {
  while [ "$(date +%s)" -lt "$END" ]; do
    f=$(sed -n "$(( (RANDOM % n) + 1 ))p" "$OUT/files")
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Content-Type: image/jpeg' \
      --data-binary @"$f" http://127.0.0.1:$PORT/v1/scan)
    echo "$code" >> "$OUT/codes.$1"
    [ "$code" = 429 ] && sleep 1
  done
}
# phase: run 64 clients for $1 seconds, sampling RSS every 10 s, then wait
# for them and sample the idle server.
T0=$(date +%s)
phase() {
  END=$(( $(date +%s) + $1 ))
  pids=()
  for c in $(seq 1 64); do client $c & pids+=($!); done
  while [ "$(date +%s)" -lt "$END" ]; do
    echo "$(( $(date +%s) - T0 )) $(rss) load" >> "$OUT/rss.txt"
    sleep 10
  done
  wait "${pids[@]}" 2>/dev/null
  sleep 3
  echo "$(( $(date +%s) - T0 )) $(rss) idle" >> "$OUT/rss.txt"
}
echo "t_s rss_mib hwm_mib state" > "$OUT/rss.txt"
echo "0 $(rss) idle" >> "$OUT/rss.txt"
WARM=$(( DUR < 120 ? DUR / 2 : 60 ))
phase $WARM           # warm-up: every engine has seen large inputs
phase $(( DUR - WARM ))
# per minute of load: min / median / max RSS
for m in $(awk '$4=="load"{print int($1/60)}' "$OUT/rss.txt" | sort -un); do
  awk -v m=$m '$4=="load" && int($1/60)==m{print $2}' "$OUT/rss.txt" | sort -n |
    awk -v m=$m '{a[NR]=$1} END{printf "minute %d: rss min %d median %d max %d MiB\n", m+1, a[1], a[int((NR+1)/2)], a[NR]}'
done > "$OUT/minutes.txt"
kill -TERM $SP; wait $SP
cat "$OUT"/codes.* | sort | uniq -c > "$OUT/codes.txt"
grep -v load "$OUT/rss.txt"
cat "$OUT/minutes.txt" "$OUT/codes.txt"
