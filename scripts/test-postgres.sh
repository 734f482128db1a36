#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suites.
#   test-postgres.sh start ROOT   initdb + start under ROOT; prints KEY=VALUE lines (see below)
#   test-postgres.sh stop ROOT    stops that server (and its replica) and removes ROOT
#   test-postgres.sh replica ROOT a streaming replica of that server (pg_basebackup), under
#                                 ROOT/replica; prints PGREPLICA_SOCKET and PGREPLICA_PORT
# Unix socket with trust for the superuser `postgres`; TCP on 127.0.0.1 with TLS (a CA and a
# certificate for localhost made here) and scram-sha-256 passwords, for the role `strata_pw`;
# `strata_md5` and `strata_clear` log in over TCP with MD5 and cleartext passwords.
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user.
# Tests run with fsync off; PGTEST_DURABLE=1 keeps PostgreSQL's defaults (for benchmarks).
set -euo pipefail

command=${1:?usage: test-postgres.sh start|stop ROOT}
root=${2:?usage: test-postgres.sh start|stop ROOT}
bindir=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || true)}
[[ -x $bindir/initdb ]] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
runas=postgres

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u "$runas" -- "$@"); else "$@"; fi
}

case $command in
start)
    [[ -x $bindir/initdb ]] || { echo "PostgreSQL server binaries not found (pg_config --bindir: $bindir)" >&2; exit 3; }
    mkdir -p "$root"
    if [[ $(id -u) -eq 0 ]]; then chown "$runas" "$root"; fi
    as_owner "$bindir/initdb" -D "$root/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
    # Two roles that authenticate with the older methods, for Strata's own protocol client:
    # MD5 (its password stored as MD5) and a cleartext password. First lines match first.
    as_owner sed -i '/^# TYPE/a host all strata_md5 127.0.0.1/32 md5\nhost all strata_clear 127.0.0.1/32 password' "$root/data/pg_hba.conf"
    certs=$root/certs
    as_owner mkdir -p "$certs" "$root/sock"
    (
        cd "$certs"
        as_owner openssl req -new -x509 -days 2 -nodes -subj "/CN=strata-test-ca" -keyout "$certs/ca.key" -out "$certs/ca.crt" 2>/dev/null
        as_owner openssl req -new -nodes -subj "/CN=localhost" -keyout "$certs/server.key" -out "$certs/server.csr" 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' | as_owner tee "$certs/san.ext" >/dev/null
        as_owner openssl x509 -req -in "$certs/server.csr" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" -CAcreateserial \
            -days 2 -out "$certs/server.crt" -extfile "$certs/san.ext" 2>/dev/null
        as_owner chmod 600 "$certs/server.key"
        chmod 755 "$certs" && chmod 644 "$certs/ca.crt"
    )
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    speed="-c fsync=off -c full_page_writes=off"
    [[ ${PGTEST_DURABLE:-} == 1 ]] && speed=""
    as_owner "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 -o "-p $port -k $root/sock \
        -c listen_addresses=127.0.0.1 -c max_connections=200 -c ssl=on \
        -c ssl_cert_file=$certs/server.crt -c ssl_key_file=$certs/server.key $speed" start >/dev/null \
        || { cat "$root/server.log" >&2; exit 1; }
    "$bindir/psql" -h "$root/sock" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE strata_pw LOGIN SUPERUSER PASSWORD 'Sw0rdfish-Secret'" -c "CREATE ROLE strata_clear LOGIN SUPERUSER PASSWORD 'Sw0rdfish-Secret'" \
        -c "SET password_encryption = 'md5'" -c "CREATE ROLE strata_md5 LOGIN SUPERUSER PASSWORD 'Sw0rdfish-Secret'" >/dev/null
    echo "PGTEST_SOCKET=$root/sock"
    echo "PGTEST_PORT=$port"
    echo "PGTEST_CA=$certs/ca.crt"
    echo "PGTEST_PASSWORD_ROLE=strata_pw"
    echo "PGTEST_PASSWORD=Sw0rdfish-Secret"
    ;;
replica)
    # The primary's port and socket directory are lines 4 and 5 of its postmaster.pid.
    primary_port=$(sed -n 4p "$root/data/postmaster.pid")
    primary_socket=$(sed -n 5p "$root/data/postmaster.pid")
    as_owner mkdir -p "$root/replica/sock"
    # `-c fast`: a spread checkpoint waits up to 4.5 minutes on a server the suites have filled.
    as_owner "$bindir/pg_basebackup" -D "$root/replica/data" -h "$primary_socket" -p "$primary_port" -U postgres -R -X stream -c fast \
        >"$root/replica/basebackup.log" 2>&1 || { cat "$root/replica/basebackup.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/pg_ctl" -D "$root/replica/data" -l "$root/replica/server.log" -w -t 60 \
        -o "-p $port -k $root/replica/sock -c listen_addresses= -c max_connections=200 -c ssl=off" start >/dev/null \
        || { cat "$root/replica/server.log" >&2; exit 1; }
    echo "PGREPLICA_SOCKET=$root/replica/sock"
    echo "PGREPLICA_PORT=$port"
    ;;
stop)
    if [[ -d $root/replica/data ]]; then as_owner "$bindir/pg_ctl" -D "$root/replica/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
    if [[ -d $root/data ]]; then as_owner "$bindir/pg_ctl" -D "$root/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
    rm -rf "$root"
    ;;
*)
    echo "usage: test-postgres.sh start|stop|replica ROOT" >&2
    exit 2
    ;;
esac
