#!/usr/bin/env bash
# Sets up everything Portale Salute needs to build, run and test, on a fresh
# machine or a warm one (every step is skipped when already done). Sourced by
# scripts/run.sh and scripts/test.sh; see docs/BUILD.md for the why of each pin.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.11"
# Must equal the `wasm-bindgen` pin in Cargo.toml.
WASM_BINDGEN_VERSION="0.2.130"

# Build output lives outside the clone so repeated runs and fresh clones on
# one machine share it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/portale-salute/target}"
# A CI clone is built once: incremental caches would only fill the disk.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step() { printf '\n==> %s\n' "$*"; }

step "Rust targets and tools"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  # cargo-leptos' lockfile needs a newer rustc than stable here: build it with
  # nightly; no_downloads makes it fail instead of fetching tools from GitHub.
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  cargo +nightly install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  # Its lockfile pins webpki-roots 1.0.11, which the registry here lacks:
  # fall back to a fresh resolution of the same CLI version.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked ||
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

step "System packages (chromium for browser tests, brotli for precompressed assets)"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v brotli >/dev/null || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y --no-install-recommends "${missing[@]}"
fi

step "npm packages (Tailwind, binaryen's wasm-opt, fonts, Playwright)"
# `npm install`, not `npm ci`: the registry here lacks the other platforms'
# optional packages (e.g. @tailwindcss/oxide-darwin-arm64), which `npm ci`
# insists on finding; `npm install` installs the locked versions it can use.
npm_install() {
  (cd "$1" && { [ -x "node_modules/.bin/$2" ] && [ node_modules/.package-lock.json -nt package-lock.json ]; } ||
    npm install --no-audit --no-fund)
}
npm_install "$ROOT" tailwindcss
npm_install "$ROOT/end2end" playwright

step "Fonts (Titillium Web from npm, served by the portal itself)"
mkdir -p "$ROOT/public/fonts"
for weight in 400 600 700; do
  cp -u "$ROOT/node_modules/@fontsource/titillium-web/files/titillium-web-latin-$weight-normal.woff2" "$ROOT/public/fonts/"
done

# Builds the release site (server binary + wasm + CSS) and precompresses the
# static files so the server can send .br/.gz without compressing per request.
build_release() {
  step "Release build (cargo leptos build --release)"
  (cd "$ROOT" && cargo leptos build --release)
  for file in "$ROOT"/target/site/pkg/*.{wasm,js,css}; do
    [ -f "$file" ] || continue
    brotli -f -q 11 -k "$file"
    gzip -f -9 -k "$file"
  done
}
