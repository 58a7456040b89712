# A throwaway PostgreSQL from Debian's package, for the tests and the local
# cluster (sourced by scripts/test.sh and scripts/cluster.sh).
#
#   postgres_start FOLDER   initdb in FOLDER as the `postgres` user, start
#                           it on a free loopback port (and a socket in
#                           FOLDER), create the role and database `portale`;
#                           sets POSTGRES_URL and POSTGRES_ADMIN_URL.
#   postgres_stop FOLDER    stops it (fast) and removes FOLDER.
#
# Nothing listens beyond 127.0.0.1; the role needs no password because only
# this machine's loopback and socket reach it (trust, as in a CI sandbox).

POSTGRES_BIN="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"

# Runs a command as the `postgres` user (we are root in CI) or as ourselves.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_start() { # folder
  local folder="$1" port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$folder"
  if [ "$(id -u)" = 0 ]; then
    # The postgres user must reach FOLDER through its parent (often a
    # private mktemp folder of ours).
    chmod a+x "$(dirname "$folder")"
    chown postgres:postgres "$folder"
  fi
  # C.UTF-8: stored instants and codes compare byte by byte, as on SQLite.
  as_postgres "$POSTGRES_BIN/initdb" -D "$folder/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
    || { cat "$folder/initdb.log"; return 1; }
  as_postgres "$POSTGRES_BIN/pg_ctl" -D "$folder/data" -l "$folder/postgres.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$folder -c max_connections=400 -c fsync=${POSTGRES_FSYNC:-on} -c shared_buffers=256MB" >/dev/null \
    || { cat "$folder/postgres.log"; return 1; }
  as_postgres "$POSTGRES_BIN/psql" -h "$folder" -p "$port" -U postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE portale LOGIN CREATEDB" -c "CREATE DATABASE portale OWNER portale" >/dev/null
  POSTGRES_URL="postgres://portale@127.0.0.1:$port/portale"
  POSTGRES_ADMIN_URL="postgres://portale@127.0.0.1:$port/postgres"
  export POSTGRES_URL POSTGRES_ADMIN_URL
}

postgres_stop() { # folder
  local folder="$1"
  [ -d "$folder/data" ] && as_postgres "$POSTGRES_BIN/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
