#!/usr/bin/env bash
# Load benchmark on loopback only: starts a server binary with a fresh demo
# database, then runs wrk (Debian) against the home page (server rendering +
# brotli) and /healthz, bounded to 10 s each, and reports throughput,
# latency and the server's memory. The binary: the release build
# (`cargo build --release -p server`, the default) or, with
# `PORTALE_BENCH_PROFILE=debug`, the dev build that run.sh and test.sh use.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" >/dev/null
binary="$CARGO_TARGET_DIR/${PORTALE_BENCH_PROFILE:-release}/server"
[ -x "$binary" ] || { echo "build it first: $binary"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PORTALE_PORT="$port" PORTALE_LOG=warn PORTALE_DATABASE_URL="sqlite:$work/portale.db" \
  PORTALE_SITE_ROOT="$ROOT/target/site" "$binary" serve > "$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$port/readyz" 2>/dev/null; do sleep 0.3; done
echo "server RSS at rest: $(grep VmRSS /proc/$server_pid/status | awk '{print $2, $3}')"
echo "--- GET / (server-rendered home, brotli), 2 threads, 32 connections, 10 s"
wrk -t2 -c32 -d10s --latency -H 'accept-encoding: br' "http://127.0.0.1:$port/" | grep -E 'Requests/sec|  (50|90|99)%|Non-2xx'
echo "--- GET /healthz, 2 threads, 32 connections, 10 s"
wrk -t2 -c32 -d10s "http://127.0.0.1:$port/healthz" | grep -E 'Requests/sec'
echo "server peak RSS: $(grep VmHWM /proc/$server_pid/status | awk '{print $2, $3}')"
