#!/usr/bin/env bash
# Sets everything up and runs the portal with the embedded defaults: SQLite
# file in data/, the demo region, http://127.0.0.1:3000.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
build_release
step "Portale Salute on http://${PORTALE_HOST:-127.0.0.1}:${PORTALE_PORT:-3000} (Ctrl-C to stop)"
cd "$ROOT"
export PORTALE_SITE_ROOT="${PORTALE_SITE_ROOT:-$ROOT/target/site}"
exec "$CARGO_TARGET_DIR/release/server" serve
