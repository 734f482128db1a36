# Sourced by the online benchmark scripts: where the throwaway server and the work dir are.
ONLINE_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
export ONLINE_PG_ROOT=${ONLINE_PG_ROOT:-/tmp/strata-online-pg}
export ONLINE_PG_PORT=${ONLINE_PG_PORT:-55434}
export ONLINE_WORK=${ONLINE_WORK:-/tmp/strata-online-work}
export ONLINE_VENV=${ONLINE_VENV:-/tmp/online-venv}
# Mode strata runs STRATA_BIN when set, else the project's own release build: scripts/build-release.sh's
# .build-static/release/strata when present, else .build/release/strata (swift build -c release
# --product strata). Exported under its own name, not as STRATA_BIN: a shell that sourced this file
# would otherwise hand that binary to the end-to-end tests.
ONLINE_ROOT=$(cd "$ONLINE_HERE/../.." && pwd)
if [ -n "${STRATA_BIN:-}" ]; then ONLINE_STRATA_BIN=$STRATA_BIN
elif [ -x "$ONLINE_ROOT/.build-static/release/strata" ]; then ONLINE_STRATA_BIN=$ONLINE_ROOT/.build-static/release/strata
else ONLINE_STRATA_BIN=$ONLINE_ROOT/.build/release/strata
fi
export ONLINE_STRATA_BIN
# libpq environment for psql / pgbench / psycopg (unix socket, trust auth)
export PGHOST="$ONLINE_PG_ROOT/sock" PGPORT="$ONLINE_PG_PORT" PGUSER=postgres
unset PGOPTIONS PGDATABASE
