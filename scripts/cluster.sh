#!/usr/bin/env bash
# The production shape on one machine: PostgreSQL (Debian's package; initdb
# in a temporary folder as the `postgres` user, loopback only), three portal
# instances on it, nginx in front of them as the load balancer, and the
# development identity provider. The portal answers on
# http://127.0.0.1:8080 (PORTALE_CLUSTER_PORT); Ctrl-C stops everything this
# script started and removes the database.
set -euo pipefail
PORTALE_SETUP_FOR=cluster
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

step "Build the server and the browser side (at the same time)"
start_build site build_site
build_server
wait_build site
print_step_times

cd "$ROOT"
source "$ROOT/scripts/postgres.sh"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work="$(mktemp -d)"
port="${PORTALE_CLUSTER_PORT:-8080}"
idp_port="${PORTALE_IDP_PORT:-3100}"
portal_url="http://127.0.0.1:$port"
pids=()
stop() {
  trap - EXIT INT TERM
  printf '\n==> %s\n' "Stopping the cluster"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  postgres_stop "$work/postgres"
  rm -rf "$work"
}
trap stop EXIT
trap 'stop; exit 0' INT TERM

printf '\n==> %s\n' "PostgreSQL in $work/postgres"
postgres_start "$work/postgres"
export PORTALE_DATABASE_URL="$POSTGRES_URL"
export PORTALE_SITE_ROOT="${PORTALE_SITE_ROOT:-$ROOT/target/site}"
export PORTALE_OIDC_ISSUER="${PORTALE_OIDC_ISSUER:-http://127.0.0.1:$idp_port}"
export PORTALE_PUBLIC_URL="$portal_url"
export PORTALE_TRUSTED_PROXIES=127.0.0.1

instance_ports=()
for number in 1 2 3; do
  instance_port="$(free_port)"
  instance_ports+=("$instance_port")
  # Every instance may run the demo feeders; one at a time holds each
  # feeder's lease (server/src/jobs.rs) and another takes over if it stops.
  # They post to the ingest API through the load balancer, so every
  # instance receives some.
  feeds="${PORTALE_DEMO_FEEDS:-true}"
  printf '\n==> %s\n' "Portal instance $number on 127.0.0.1:$instance_port (log: $work/instance-$number.log)"
  PORTALE_PORT="$instance_port" PORTALE_DEMO_FEEDS="$feeds" "$SERVER_BIN" serve > "$work/instance-$number.log" 2>&1 &
  pids+=($!)
done
for number in 1 2 3; do
  for _ in $(seq 1 240); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "http://127.0.0.1:${instance_ports[$((number - 1))]}/readyz" >/dev/null 2>&1 && break
    kill -0 "${pids[$((number - 1))]}" 2>/dev/null || { cat "$work/instance-$number.log"; exit 1; }
    sleep 0.5
  done
done

printf '\n==> %s\n' "nginx load balancer on $portal_url"
"$ROOT/scripts/load-balancer.sh" "$work/nginx" "$port" "${instance_ports[@]}" &
pids+=($!)

printf '\n==> %s\n' "Development identity provider on $PORTALE_OIDC_ISSUER (demo accounts of the region)"
"$SERVER_BIN" idp-accounts > "$work/idp-accounts.json"
IDP_PORT="$idp_port" PORTALE_URL="$portal_url" IDP_ACCOUNTS="$work/idp-accounts.json" \
  node "$ROOT/end2end/idp/server.mjs" > "$work/idp.log" 2>&1 &
pids+=($!)

printf '\n==> %s\n' "Portale Salute on $portal_url: three instances on PostgreSQL behind nginx (Ctrl-C to stop)"
wait -n "${pids[@]}" || true
echo "A component of the cluster stopped; the end of its logs:" >&2
tail -n 20 "$work"/instance-*.log "$work/nginx/error.log" "$work/idp.log" >&2 || true
exit 1
