#!/usr/bin/env bash
# Benchmark of the pages people open at once (issue 25), on loopback only.
# Starts the release server pinned to CPU 0 on a fresh demo database, with
# the development identity provider and the demo feeders posting ER reports
# through the ingest API; signs a demo citizen in; drives every public page
# (the ER board with filters and in English too) and two signed-in pages with
# wrk pinned to CPU 1 (1 thread, 32 connections, 15 s, brotli accepted,
# `BENCH_SECONDS` to change), then Lighthouse 12 (mobile preset, Debian's
# chromium) on each of them. Prints one table and saves each page in
# target/bench-pages/ for `cargo bench -p server --bench compression`.
#
# The binary: `cargo build --release -p server` (the default), or any other
# with `PORTALE_BENCH_SERVER=path`. The browser side is built here, so that
# its file names match the binary's hash.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" >/dev/null
binary="${PORTALE_BENCH_SERVER:-$CARGO_TARGET_DIR/release/server}"
[ -x "$binary" ] || { echo "build it first: cargo build --release -p server ($binary)"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
build_site > "$CACHE/bench-site.log" 2>&1 || { cat "$CACHE/bench-site.log"; exit 1; }
npm_install "$ROOT/scripts/lighthouse" lighthouse > /dev/null
seconds="${BENCH_SECONDS:-15}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
idp_port="$(free_port)"
portal="http://127.0.0.1:$port"
export PORTALE_OIDC_ISSUER="http://127.0.0.1:$idp_port"

# The hash file Leptos reads sits next to the binary.
[ "$(dirname "$binary")" -ef "$CARGO_TARGET_DIR/release" ] || cp "$CARGO_TARGET_DIR/release/hash.txt" "$(dirname "$binary")/"
"$binary" idp-accounts > "$work/accounts.json"
IDP_PORT="$idp_port" PORTALE_URL="$portal" IDP_ACCOUNTS="$work/accounts.json" \
  taskset -c 1 node "$ROOT/end2end/idp/server.mjs" > "$work/idp.log" 2>&1 &
idp_pid=$!
PORTALE_PORT="$port" PORTALE_LOG=warn PORTALE_DATABASE_URL="sqlite:$work/portale.db" \
  PORTALE_SITE_ROOT="$ROOT/target/site" PORTALE_DEMO_FEEDS=true \
  taskset -c 0 "$binary" serve > "$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" "$idp_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$portal/readyz" 2>/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.3
done

# Signs the first adult citizen of the demo accounts in, through the
# identity provider's own login page; prints the portal's session cookie.
session_cookie() {
  python3 - "$portal" "$work/accounts.json" <<'PY'
import http.cookiejar, json, re, sys, urllib.parse, urllib.request
portal, accounts = sys.argv[1], json.load(open(sys.argv[2]))
account = next(a for a in accounts if a.get("role") == "citizen")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(portal + "/auth/login?return_to=/", timeout=10)
login = re.search(r'action="(/interaction/[^"]+/login)"', page.read().decode()).group(1)
issuer = urllib.parse.urlsplit(page.geturl())
form = urllib.parse.urlencode({"account": account["sub"]}).encode()
opener.open(f"{issuer.scheme}://{issuer.netloc}{login}", data=form, timeout=10).read()
print("; ".join(f"{c.name}={c.value}" for c in jar if c.name.startswith("portale_") or c.name.startswith("__Host-portale_")))
PY
}
cookie="$(session_cookie)"
[ -n "$cookie" ] || { echo "sign-in failed"; exit 1; }

mkdir -p "$ROOT/target/bench-pages"
printf '\n%-44s %10s %9s %9s %9s\n' "page" "req/s" "p50" "p99" "bytes(br)"
bench() { # label path [cookie]
  local label="$1" path="$2" cookie="${3:-}" headers=(-H 'accept-encoding: br') bytes out
  [ -n "$cookie" ] && headers+=(-H "cookie: $cookie")
  bytes="$(curl -s -o /dev/null -w '%{size_download}' "${headers[@]}" "$portal$path")"
  curl -s ${cookie:+-H "cookie: $cookie"} "$portal$path" > "$ROOT/target/bench-pages/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-').html"
  out="$(taskset -c 1 wrk -t1 -c32 -d"${seconds}s" --latency "${headers[@]}" "$portal$path")"
  printf '%-44s %10s %9s %9s %9s\n' "$label" \
    "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
    "$(awk '$1 == "50%" {print $2}' <<< "$out")" \
    "$(awk '$1 == "99%" {print $2}' <<< "$out")" "$bytes"
  grep -q 'Non-2xx' <<< "$out" && echo "  (non-2xx answers: $(awk '/Non-2xx/ {print $NF}' <<< "$out"))" || true
}
pages=(
  "/ (home)|/|"
  "/pronto-soccorso|/pronto-soccorso|"
  "/pronto-soccorso?asl=ASL3|/pronto-soccorso?asl=ASL3|"
  "/pronto-soccorso?vicino=Chiavari|/pronto-soccorso?vicino=Chiavari|"
  "/pronto-soccorso (English)|/pronto-soccorso|lang=en"
  "/privacy|/privacy|"
  "/accessibilita|/accessibilita|"
  "/dove-andare|/dove-andare|"
  "/dove-andare?vicino=Chiavari|/dove-andare?vicino=Chiavari|"
  "/ signed in|/|$cookie"
  "/fascicolo signed in|/fascicolo|$cookie"
)
for entry in "${pages[@]}"; do IFS='|' read -r label path with <<< "$entry"; bench "$label" "$path" "$with"; done

# Lighthouse 12, mobile preset (simulated slow 4G, 4× CPU slowdown).
printf '\n%-44s %6s %6s %7s %8s %8s %10s\n' "page (Lighthouse, mobile)" "perf" "a11y" "CLS" "TBT" "LCP" "first load"
lighthouse_row() { # label path [cookie]
  local label="$1" path="$2" cookie="${3:-}" headers='{}'
  [ -n "$cookie" ] && headers="{\"Cookie\": \"$cookie\"}"
  run_lighthouse() {
    CHROME_PATH="$(command -v chromium)" "$ROOT/scripts/lighthouse/node_modules/.bin/lighthouse" "$portal$path" \
      --quiet --only-categories=performance,accessibility --output=json --output-path="$work/lighthouse.json" \
      --extra-headers="$headers" --chrome-flags="--headless=new --no-sandbox" > "$work/lighthouse.log" 2>&1
  }
  # A run now and then dies starting chromium: one more try, then say so.
  run_lighthouse || run_lighthouse || { echo "$label: Lighthouse failed ($(tail -1 "$work/lighthouse.log"))"; return; }
  python3 - "$label" "$work/lighthouse.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[2]))
score = lambda name: round(report["categories"][name]["score"] * 100)
audit = lambda name: report["audits"][name]
print(f'{sys.argv[1]:<44} {score("performance"):>6} {score("accessibility"):>6} '
      f'{audit("cumulative-layout-shift")["numericValue"]:>7.3f} '
      f'{audit("total-blocking-time")["numericValue"]:>6.0f}ms {audit("largest-contentful-paint")["numericValue"] / 1000:>6.2f}s '
      f'{audit("total-byte-weight")["numericValue"] / 1024:>8.1f}KB')
PY
}
for entry in "${pages[@]}"; do IFS='|' read -r label path with <<< "$entry"; lighthouse_row "$label" "$path" "$with"; done
echo
echo "server peak RSS: $(grep VmHWM /proc/$server_pid/status | awk '{print $2, $3}'); ER reports stored: $(python3 - "$work/portale.db" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM er_status_reports").fetchone()[0])
PY
)"
