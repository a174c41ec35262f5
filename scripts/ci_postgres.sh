#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, on 127.0.0.1 only.
#
#   eval "$(scripts/ci_postgres.sh start)"   # installs if needed, starts, exports
#                                            # REHAB_COACH_TEST_PG_URL and REHAB_COACH_TEST_PG_DIR
#   scripts/ci_postgres.sh stop "$REHAB_COACH_TEST_PG_DIR"
#
# stdout carries only the `export` lines (for eval); progress goes to stderr.
# As root it installs Debian's postgresql package when missing and runs the server as
# the `postgres` user; as another user it needs the package already installed.
set -euo pipefail

log() { echo "ci_postgres: $*" >&2; }

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_if_missing() {
    if pg_bin >/dev/null; then return; fi
    if [ "$(id -u)" != 0 ]; then log "postgresql is not installed and we are not root"; exit 1; fi
    log "installing postgresql (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # The package's own default cluster is not used (we start our own), so do not create it.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/no-main-cluster.conf
    apt-get install -y -qq postgresql >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    install_if_missing
    local bin dir port password
    bin=$(pg_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/rehab-pg.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(free_port)
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/pwfile"
    chmod 600 "$dir/pwfile"
    log "initdb in $dir/data"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/pwfile" \
        --encoding=UTF8 --locale=C.UTF-8 >&2
    rm -f "$dir/pwfile"
    # Loopback TCP only; the Unix socket lives in our own folder, not /var/run.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=60" start >&2
    PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE rehab_test" >&2
    log "running on 127.0.0.1:$port"
    echo "export REHAB_COACH_TEST_PG_URL='postgresql+psycopg://postgres:$password@127.0.0.1:$port/rehab_test'"
    echo "export REHAB_COACH_TEST_PG_DIR='$dir'"
}

stop() {
    local dir=${1:-${REHAB_COACH_TEST_PG_DIR:-}}
    if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then log "nothing to stop"; return; fi
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-start}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 [start|stop DIR]" >&2; exit 2 ;;
esac
