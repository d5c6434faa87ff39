#!/usr/bin/env bash
# Soak of `docscan serve --workers 2` at 64 concurrent loopback clients
# (issue 7's memory figure): clients post photos from ../shared/data in a
# loop (1 s pause after a 429), RSS and peak RSS are sampled every 30 s.
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
END=$(( $(date +%s) + DUR ))
client() {
  while [ "$(date +%s)" -lt "$END" ]; do
    f=$(sed -n "$(( (RANDOM % n) + 1 ))p" "$OUT/files")
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Content-Type: image/jpeg' \
      --data-binary @"$f" http://127.0.0.1:$PORT/v1/scan)
    echo "$code" >> "$OUT/codes.$1"
    [ "$code" = 429 ] && sleep 1
  done
}
for c in $(seq 1 64); do client $c & done
echo "t_s rss_mib hwm_mib" > "$OUT/rss.txt"
T0=$(date +%s)
while [ "$(date +%s)" -lt "$END" ]; do
  awk -v t=$(( $(date +%s) - T0 )) '/VmRSS/{r=$2}/VmHWM/{h=$2}END{printf "%d %.0f %.0f\n", t, r/1024, h/1024}' /proc/$SP/status >> "$OUT/rss.txt"
  sleep 30
done
wait $(jobs -p | grep -v "^$SP$") 2>/dev/null
awk '/VmRSS/{r=$2}/VmHWM/{h=$2}END{printf "end %.0f %.0f\n", r/1024, h/1024}' /proc/$SP/status >> "$OUT/rss.txt"
kill -TERM $SP; wait $SP
cat "$OUT"/codes.* | sort | uniq -c > "$OUT/codes.txt"
cat "$OUT/rss.txt" "$OUT/codes.txt"
