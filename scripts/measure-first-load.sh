#!/usr/bin/env bash
# Size report: what a phone downloads on the first visit of a page (wasm +
# JS + CSS + fonts), raw / gzip / brotli, for the shipped islands build and,
# for comparison, the same app fully hydrated. Run after scripts/run.sh or
# scripts/test.sh has built the site. Output: a Markdown table.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" >/dev/null
cd "$ROOT"
SITE="$ROOT/target/site"
BUDGET=$((150 * 1024))

sizes() { # file -> "raw gzip brotli"
  local raw gz br
  raw=$(stat -c %s "$1")
  gz=$(gzip -9 -c "$1" | wc -c)
  br=$(brotli -q 11 -c "$1" | wc -c)
  echo "$raw $gz $br"
}
row() { # label file
  read -r raw gz br < <(sizes "$2")
  printf '| %s | %s | %s | %s |\n' "$1" "$raw" "$gz" "$br"
  total_br=$((total_br + br)); total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
}

report() { # title wasm js
  total_br=0; total_raw=0; total_gz=0
  echo "### $1"
  echo
  echo "| file | raw bytes | gzip -9 | brotli -q 11 |"
  echo "|---|---:|---:|---:|"
  row "wasm" "$2"
  row "JS glue" "$3"
  row "CSS" "$(ls "$SITE"/pkg/portale*.css | grep -v -E '\.(br|gz)$' | head -1)"
  for weight in 400 600 700; do
    row "font Titillium Web $weight (woff2)" "$SITE/fonts/titillium-web-latin-$weight-normal.woff2"
  done
  printf '| **first load** | %s | %s | **%s** |\n' "$total_raw" "$total_gz" "$total_br"
  echo
  if [ "$total_br" -le "$BUDGET" ]; then
    echo "Within the 150 KB (153600 bytes) brotli budget: $((BUDGET - total_br)) bytes to spare."
  else
    echo "Over the 150 KB (153600 bytes) brotli budget by $((total_br - BUDGET)) bytes."
  fi
  echo
}

shipped_wasm=$(ls "$SITE"/pkg/portale*.wasm | grep -v -E '\.(br|gz)$' | head -1)
shipped_js=$(ls "$SITE"/pkg/portale*.js | grep -v -E '\.(br|gz)$' | head -1)
report "Islands (shipped build)" "$shipped_wasm" "$shipped_js"

# The same app fully hydrated: same profile, same wasm-bindgen and wasm-opt.
full="$(mktemp -d)"
full_target="$WASM_TARGET_DIR-full-hydration"
CARGO_TARGET_DIR="$full_target" cargo build -p portale-salute --lib --target wasm32-unknown-unknown \
  --profile wasm-release --no-default-features --quiet
"$WASM_TARGET_DIR/debug/site-builder" "$full_target/wasm32-unknown-unknown/wasm-release/portale_salute.wasm" "$full" portale
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$full/portale.wasm" -o "$full/portale.opt.wasm"
report "Full hydration (measured for comparison, not shipped)" "$full/portale.opt.wasm" "$full/portale.js"
