#!/usr/bin/env bash
# Sets everything up and runs every test: format and lint checks, Rust unit
# and integration tests, then the Playwright suite against the server on a
# random loopback port with a fresh database.
set -euo pipefail
PORTALE_SETUP_FOR=test
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

step "Format"
cargo fmt --all --check

# One build serves the lint, the Rust tests and the end-to-end server: clippy
# runs inside it (RUSTC_WORKSPACE_WRAPPER, scripts/setup.sh), over every
# target of our crates (benchmarks included, compiled in test mode), and the
# browser side builds at the same time in its own target folder.
step "Build and lint: tests, server, browser side"
start_build site build_site
cargo test -p app -p server --all-targets --no-run --locked
wait_build site

step "Rust unit and integration tests (SQLite)"
cargo_log="$(mktemp)"
# The tests of several instances on one database and of a lost database
# connection are PostgreSQL's (the production shape); they run in the next
# step.
cargo test -p app -p server --locked --no-fail-fast -- --skip several_instances --skip postgres_outage 2>&1 | tee "$cargo_log"

step "Rust integration tests (PostgreSQL)"
# A throwaway server from Debian's package (scripts/postgres.sh); each test
# creates its own database on it. Removed when the step ends. The same
# packages as the step before (`-p app -p server`), so that cargo reuses its
# build instead of building both crates again with other features.
source "$ROOT/scripts/postgres.sh"
postgres_folder="$(mktemp -d)/postgres"
trap 'postgres_stop "$postgres_folder"' EXIT
POSTGRES_FSYNC=off postgres_start "$postgres_folder"
PORTALE_TEST_POSTGRES="$POSTGRES_ADMIN_URL" cargo test -p app -p server --test '*' --locked --no-fail-fast 2>&1 | tee -a "$cargo_log"
postgres_stop "$postgres_folder"
trap - EXIT

step "End-to-end tests (Playwright, Debian chromium)"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
idp_port="$(free_port)"
export PORTALE_DATABASE_URL="sqlite:$work/portale.db"
# The identity provider's demo accounts come from the test region's registry.
"$SERVER_BIN" idp-accounts > "$work/idp-accounts.json"
IDP_PORT="$idp_port" PORTALE_URL="http://127.0.0.1:$port" IDP_ACCOUNTS="$work/idp-accounts.json" \
  node end2end/idp/server.mjs > "$work/idp.log" 2>&1 &
idp_pid=$!
PORTALE_DEMO_FEEDS=false PORTALE_PORT="$port" PORTALE_SITE_ROOT="$ROOT/target/site" PORTALE_OIDC_ISSUER="http://127.0.0.1:$idp_port" \
  PORTALE_LOG="warn" "$SERVER_BIN" serve > "$work/server.log" 2>&1 &
server_pid=$!
# The same portal as production runs it — HTTPS, an https identity provider
# (never contacted here) — behind nginx terminating TLS, for the security
# headers' score (end2end/tests/observatory.spec.ts).
tls_port="$(free_port)"
tls_https_port="$(free_port)"
tls_http_port="$(free_port)"
PORTALE_DATABASE_URL="sqlite:$work/tls.db" PORTALE_DEMO_FEEDS=false PORTALE_PORT="$tls_port" PORTALE_HTTPS=true PORTALE_TRUSTED_PROXIES=127.0.0.1 \
  PORTALE_PUBLIC_URL="https://localhost:$tls_https_port" PORTALE_OIDC_ISSUER="https://localhost:$tls_https_port/idp" \
  PORTALE_SITE_ROOT="$ROOT/target/site" PORTALE_LOG="warn" "$SERVER_BIN" serve > "$work/tls-server.log" 2>&1 &
tls_server_pid=$!
"$ROOT/scripts/tls-proxy.sh" "$work/tls" "$tls_port" "$tls_https_port" "$tls_http_port" > "$work/nginx.log" 2>&1 &
nginx_pid=$!
pids=("$server_pid" "$idp_pid" "$tls_server_pid" "$nginx_pid")
trap 'kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true' EXIT
wait_ready() { # url pid log
  for _ in $(seq 1 120); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.5
  done
  echo "not ready: $1"; cat "$3"; exit 1
}
wait_ready "http://127.0.0.1:$port/readyz" "$server_pid" "$work/server.log"
wait_ready "http://127.0.0.1:$idp_port/.well-known/openid-configuration" "$idp_pid" "$work/idp.log"
wait_ready "http://127.0.0.1:$tls_port/readyz" "$tls_server_pid" "$work/tls-server.log"
for _ in $(seq 1 40); do [ -f "$work/tls/nginx.pid" ] && break; kill -0 "$nginx_pid" || { cat "$work/nginx.log"; exit 1; }; sleep 0.25; done
export PORTALE_E2E_TLS="localhost:$tls_https_port:$tls_http_port" NODE_EXTRA_CA_CERTS="$work/tls/cert.pem"
export PORTALE_E2E_IDP="http://127.0.0.1:$idp_port" PORTALE_E2E_ACCOUNTS="$work/idp-accounts.json" PORTALE_E2E_DATABASE="$work/portale.db"
e2e_log="$(mktemp)"
set +e
(cd end2end && PORTALE_E2E_URL="http://127.0.0.1:$port" npx playwright test) 2>&1 | tee "$e2e_log"
e2e_status=${PIPESTATUS[0]}
set -e
if [ "$e2e_status" -ne 0 ]; then
  echo "--- server log ---"; tail -50 "$work/server.log"
  echo "--- identity provider log ---"; tail -20 "$work/idp.log"
fi

print_step_times

# One closing line over both runners (their own summaries are above).
count() { # pattern file -> sum of the numbers the pattern finds
  { grep -oE "$1" "$2" || true; } | { grep -oE '[0-9]+' || true; } | awk '{s+=$1} END {print s+0}'
}
rust_passed=$(count '[0-9]+ passed;' "$cargo_log")
rust_failed=$(count '[0-9]+ failed;' "$cargo_log")
e2e_passed=$(count '^ +[0-9]+ passed' "$e2e_log")
e2e_failed=$(count '^ +[0-9]+ failed' "$e2e_log")
echo
echo "cargo test: $rust_passed passed, $rust_failed failed"
echo "playwright: $e2e_passed passed, $e2e_failed failed"
echo "all: $((rust_passed + e2e_passed)) passed, $((rust_failed + e2e_failed)) failed"
exit "$e2e_status"
