# Sourced by the online benchmark scripts: where the throwaway server and the work dir are.
ONLINE_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
export ONLINE_PG_ROOT=${ONLINE_PG_ROOT:-/tmp/strata-online-pg}
export ONLINE_PG_PORT=${ONLINE_PG_PORT:-55434}
export ONLINE_WORK=${ONLINE_WORK:-/tmp/strata-online-work}
export ONLINE_VENV=${ONLINE_VENV:-/tmp/online-venv}
# Mode strata runs the project's own release build unless STRATA_BIN names another binary
# (swift build -c release --product strata first).
export STRATA_BIN=${STRATA_BIN:-$(cd "$ONLINE_HERE/../.." && pwd)/.build/release/strata}
# libpq environment for psql / pgbench / psycopg (unix socket, trust auth)
export PGHOST="$ONLINE_PG_ROOT/sock" PGPORT="$ONLINE_PG_PORT" PGUSER=postgres
unset PGOPTIONS PGDATABASE
