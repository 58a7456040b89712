#!/usr/bin/env bash
# Sets everything up and runs the portal with the embedded defaults: SQLite
# file in data/, the demo region, the development identity provider
# (end2end/idp, on port 3100), http://127.0.0.1:3000.
set -euo pipefail
PORTALE_SETUP_FOR=run
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

step "Build the server and the browser side (at the same time)"
start_build site build_site
build_server
wait_build site
print_step_times

cd "$ROOT"
export PORTALE_SITE_ROOT="${PORTALE_SITE_ROOT:-$ROOT/target/site}"
portal_url="http://${PORTALE_HOST:-127.0.0.1}:${PORTALE_PORT:-3000}"
idp_port="${PORTALE_IDP_PORT:-3100}"
export PORTALE_OIDC_ISSUER="${PORTALE_OIDC_ISSUER:-http://127.0.0.1:$idp_port}"

printf '\n==> %s\n' "Development identity provider on $PORTALE_OIDC_ISSUER (demo accounts of the region)"
mkdir -p "$ROOT/data"
"$SERVER_BIN" idp-accounts > "$ROOT/data/idp-accounts.json"
IDP_PORT="$idp_port" PORTALE_URL="$portal_url" IDP_ACCOUNTS="$ROOT/data/idp-accounts.json" \
  node "$ROOT/end2end/idp/server.mjs" &
idp_pid=$!
trap 'kill "$idp_pid" 2>/dev/null || true' EXIT

printf '\n==> %s\n' "Portale Salute on $portal_url (Ctrl-C to stop)"
"$SERVER_BIN" serve
