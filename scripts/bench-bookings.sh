#!/usr/bin/env bash
# Booking throughput (issue 19, point 6) — a benchmark, not a test. In one
# run, on this machine, the same load against:
#   sqlite      one portal instance on an SQLite file (the embedded default);
#   postgres×3  three instances on PostgreSQL behind nginx (production shape).
# Two loads each, driven by wrk (Debian) through the same form post a
# browser sends (scripts/bench/bookings.lua):
#   launch day  many signed-in people booking different free slots of many
#               services, each with a new prescription;
#   one slot    everybody chasing the same earliest slot (one wins).
# Release build in its own target folder. Loopback only; stops by itself.
# Output: one RESULT line per backend and load (bookings/s, p50/p95/p99).
set -euo pipefail
PORTALE_SETUP_FOR=cluster
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" >/dev/null
cd "$ROOT"
export CARGO_TARGET_DIR="${PORTALE_BENCH_TARGET_DIR:-$CACHE/target-bench}"
step "Release build of the server"
cargo build --release --locked -p server
binary="$CARGO_TARGET_DIR/release/server"
# The browser side, built here so that the hash.txt next to this binary
# (where Leptos reads it) names the files served.
step "Browser side"
build_site > "$CACHE/bench-site.log" 2>&1 || { cat "$CACHE/bench-site.log"; exit 1; }
command -v wrk >/dev/null || { as_root apt-get update -qq && as_root apt-get install -y -qq wrk; }
source "$ROOT/scripts/postgres.sh"

seconds="${PORTALE_BENCH_SECONDS:-15}"
connections="${PORTALE_BENCH_CONNECTIONS:-64}"
people="${PORTALE_BENCH_PEOPLE:-100}"
bookings="${PORTALE_BENCH_BOOKINGS:-30000}"
work="$(mktemp -d)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; postgres_stop "$work/postgres"; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ready() { # url pid log
  for _ in $(seq 1 600); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.5
  done
  echo "not ready: $1"; exit 1
}

# Starts `count` instances on `database_url` (and nginx when more than
# one), the identity provider, and prepares the loads; sets portal_url.
start_portal() { # label database_url count
  local label="$1" database_url="$2" count="$3" folder="$work/$1" idp_port number instance_ports=()
  mkdir -p "$folder"
  idp_port="$(free_port)"
  portal_url="http://127.0.0.1:$(free_port)"
  for number in $(seq 1 "$count"); do
    local port; port="$(free_port)"; instance_ports+=("$port")
    [ "$count" = 1 ] && port="${portal_url##*:}" && instance_ports=("$port")
    PORTALE_PORT="$port" PORTALE_DATABASE_URL="$database_url" PORTALE_LOG=warn PORTALE_DEMO_FEEDS=false \
      PORTALE_SITE_ROOT="$ROOT/target/site" PORTALE_OIDC_ISSUER="http://127.0.0.1:$idp_port" \
      PORTALE_PUBLIC_URL="$portal_url" PORTALE_TRUSTED_PROXIES=127.0.0.1 \
      "$binary" serve > "$folder/instance-$number.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$port/readyz" "$!" "$folder/instance-$number.log"
  done
  if [ "$count" -gt 1 ]; then
    "$ROOT/scripts/load-balancer.sh" "$folder/nginx" "${portal_url##*:}" "${instance_ports[@]}" &
    pids+=($!)
    wait_ready "$portal_url/readyz" "$!" "$folder/nginx/error.log"
  fi
  PORTALE_DATABASE_URL="$database_url" "$binary" idp-accounts > "$folder/accounts.json"
  IDP_PORT="$idp_port" PORTALE_URL="$portal_url" IDP_ACCOUNTS="$folder/accounts.json" \
    node "$ROOT/end2end/idp/server.mjs" > "$folder/idp.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$idp_port/.well-known/openid-configuration" "$!" "$folder/idp.log"
  python3 "$ROOT/scripts/bench/prepare_bookings.py" "$portal_url" "$database_url" "$folder/accounts.json" \
    "$people" "$bookings" "$folder"
}

run_load() { # label load file
  local result
  result="$(BOOKINGS="$3" WRK_THREADS=2 ORIGIN="$portal_url" \
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$ROOT/scripts/bench/bookings.lua" "$portal_url" | grep '^RESULT')"
  echo "$1 | $2 | ${result#RESULT }"
}

stop_portal() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}

echo "backend | load | figures  (wrk -t2 -c$connections -d${seconds}s, $(nproc) cores, people=$people)"
step "One instance on SQLite"
start_portal sqlite "sqlite:$work/sqlite/portale.db" 1
run_load "sqlite" "launch day" "$work/sqlite/spread.tsv"
run_load "sqlite" "one slot" "$work/sqlite/one-slot.tsv"
stop_portal

step "Three instances on PostgreSQL behind nginx"
postgres_start "$work/postgres"
start_portal postgres "$POSTGRES_URL" 3
run_load "postgres×3" "launch day" "$work/postgres/spread.tsv"
run_load "postgres×3" "one slot" "$work/postgres/one-slot.tsv"
stop_portal
