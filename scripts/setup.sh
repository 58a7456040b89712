#!/usr/bin/env bash
# Sets up everything Portale Salute needs to build, run and test, on a fresh
# machine or a warm one (every step is skipped when already done), and
# defines the build steps. Sourced by scripts/run.sh, scripts/test.sh and
# scripts/cluster.sh;
# docs/BUILD.md says the why of each pin and the measured time of each step.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Build output lives outside the clone so repeated runs and fresh clones on
# one machine share it; the wasm has its own folder so that it can build at
# the same time as the server (cargo locks a whole target folder).
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/portale-salute"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
WASM_TARGET_DIR="${PORTALE_WASM_TARGET_DIR:-$CARGO_TARGET_DIR-wasm}"
# Clones share that cache, and cargo takes a crate of ours as built when its
# output is newer than its files: after another clone built it, a file
# edited here before that would look built. So the first build of a clone
# after another one's marks our crates' files as new (a rebuild of our
# crates only, about two minutes).
mkdir -p "$CACHE"
if [ "$(cat "$CACHE/last-clone" 2>/dev/null)" != "$ROOT" ]; then
  find "$ROOT/app" "$ROOT/server" "$ROOT/src" "$ROOT/migrations" "$ROOT/scripts/site-builder" -type f \
    -not -path '*/node_modules/*' -exec touch {} +
  echo "$ROOT" > "$CACHE/last-clone"
fi
# A CI clone is built once: incremental caches would only fill the disk.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# mold links the server and its test binaries in a fraction of GNU ld's time
# (host only: the wasm target links with rust-lld).
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=-fuse-ld=mold"
# Clippy runs inside the builds themselves, on our own crates only (what
# `cargo clippy` does, without a second check build of every dependency):
# docs/decisions/0002-build-without-cargo-leptos.md.
export RUSTC_WORKSPACE_WRAPPER="$HOME/.cargo/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# Every step is timed; print_step_times lists them (docs/BUILD.md).
STEP_NAMES=()
STEP_SECONDS=()
STEP_STARTED=$SECONDS
step_done() {
  if [ ${#STEP_NAMES[@]} -gt ${#STEP_SECONDS[@]} ]; then
    STEP_SECONDS+=($((SECONDS - STEP_STARTED)))
  fi
}
step() {
  step_done
  STEP_NAMES+=("$*")
  STEP_STARTED=$SECONDS
  printf '\n==> %s\n' "$*"
}
print_step_times() {
  step_done
  local total=0 i
  printf '\n%-64s %9s\n' "step" "time"
  for i in "${!STEP_NAMES[@]}"; do
    printf '%-64s %6dm%02ds\n' "${STEP_NAMES[$i]}" $((STEP_SECONDS[i] / 60)) $((STEP_SECONDS[i] % 60))
    total=$((total + STEP_SECONDS[i]))
  done
  printf '%-64s %6dm%02ds\n' "total" $((total / 60)) $((total % 60))
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages, installed once. `run` needs the linker and brotli; `test`
# also the browser, PostgreSQL, nginx and the SMTP sink.
install_debian_packages() { # command...
  local missing=() command package
  for pair in "$@"; do
    command="${pair%%:*}"
    package="${pair#*:}"
    command -v "$command" >/dev/null || [ -x "$command" ] || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

step "Rust target, linker and Debian packages"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt
debian_packages=(mold:mold brotli:brotli openssl:openssl)
case "${PORTALE_SETUP_FOR:-run}" in
  test) debian_packages+=(chromium:chromium /usr/lib/postgresql/15/bin/initdb:postgresql nginx:nginx) ;;
  cluster) debian_packages+=(/usr/lib/postgresql/15/bin/initdb:postgresql nginx:nginx) ;;
esac
install_debian_packages "${debian_packages[@]}"

step "npm packages (build tools, fonts, Playwright, identity provider)"
# `npm install`, not `npm ci`: the registry here lacks the other platforms'
# optional packages (e.g. @tailwindcss/oxide-darwin-arm64), which `npm ci`
# insists on finding; `npm install` installs the locked versions it can use.
npm_install() {
  (cd "$1" && { [ -x "node_modules/.bin/$2" ] && [ node_modules/.package-lock.json -nt package-lock.json ]; } ||
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
}
npm_install "$ROOT" tailwindcss
npm_install "$ROOT/end2end" playwright
mkdir -p "$ROOT/public/fonts"
for weight in 400 600 700; do
  cp -u "$ROOT/node_modules/@fontsource/titillium-web/files/titillium-web-latin-$weight-normal.woff2" "$ROOT/public/fonts/"
done

# The browser side: the wasm of the `portale-salute` crate, its JS glue
# (scripts/site-builder: wasm-bindgen as a library), wasm-opt, esbuild's
# minifier, Tailwind, the
# static files, content hashes in the names (hash.txt next to the server
# binaries, where Leptos reads it) and .br/.gz copies served as they are.
build_site() {
  local site="$ROOT/target/site" pkg="$ROOT/target/site/pkg" stage
  stage="$(mktemp -d)"
  (cd "$ROOT" && CARGO_TARGET_DIR="$WASM_TARGET_DIR" cargo build --locked -p site-builder)
  (cd "$ROOT" && CARGO_TARGET_DIR="$WASM_TARGET_DIR" cargo build --locked -p portale-salute --lib \
    --target wasm32-unknown-unknown --profile wasm-release --no-default-features --features islands)
  "$WASM_TARGET_DIR/debug/site-builder" \
    "$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm-release/portale_salute.wasm" "$stage" portale
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$stage/portale.wasm" -o "$stage/portale.wasm"
  esbuild "$stage/portale.js" --minify --format=esm --log-level=warning --outfile="$stage/portale.min.js"
  mv "$stage/portale.min.js" "$stage/portale.js"
  (cd "$ROOT" && tailwindcss --input style/tailwind.css --output "$stage/portale.css" --minify 2>/dev/null)

  local js wasm css
  hash_of() { openssl md5 -binary "$1" | base64 | tr '+/' '-_' | tr -d '='; }
  js="$(hash_of "$stage/portale.js")"
  wasm="$(hash_of "$stage/portale.wasm")"
  css="$(hash_of "$stage/portale.css")"
  # The glue names its wasm only as a default the hydration script overrides;
  # rename it there too, as cargo-leptos does.
  sed -i "s/portale_bg\.wasm/portale.$wasm.wasm/g; s/portale\.wasm/portale.$wasm.wasm/g" "$stage/portale.js"
  rm -rf "$site"
  mkdir -p "$pkg"
  cp -r "$ROOT/public/." "$site/"
  mv "$stage/portale.js" "$pkg/portale.$js.js"
  mv "$stage/portale.wasm" "$pkg/portale.$wasm.wasm"
  mv "$stage/portale.css" "$pkg/portale.$css.css"
  [ -d "$stage/snippets" ] && mv "$stage/snippets" "$pkg/"
  rm -rf "$stage"
  for file in "$pkg"/*.{wasm,js,css}; do
    brotli -f -q 11 -k "$file"
    gzip -f -9 -k "$file"
  done
  for profile in debug release; do
    mkdir -p "$CARGO_TARGET_DIR/$profile"
    printf 'js: %s\nwasm: %s\ncss: %s\n' "$js" "$wasm" "$css" > "$CARGO_TARGET_DIR/$profile/hash.txt"
  done
}

# The server as `scripts/run.sh` and the end-to-end tests run it: the `dev`
# build that `cargo test` also makes (Cargo.toml, [profile.dev]).
build_server() {
  (cd "$ROOT" && cargo build --locked -p server --bin server)
}
SERVER_BIN="$CARGO_TARGET_DIR/debug/server"

# Runs a build in the background with its output in a file; wait_build
# prints that output and fails when the build did.
start_build() { # name function
  local log="$CACHE/$1.log"
  mkdir -p "$CACHE"
  "$2" > "$log" 2>&1 &
  eval "BUILD_PID_$1=$!"
}
wait_build() { # name
  local pid_var="BUILD_PID_$1" status=0
  wait "${!pid_var}" || status=$?
  cat "$CACHE/$1.log"
  if [ "$status" -ne 0 ]; then echo "build '$1' failed (exit $status)"; exit "$status"; fi
}
