#!/usr/bin/env python3
"""Driver of the online-migration benchmark: what does application traffic feel while a
schema migration runs, done the naive way, the hand-written safe way, or by strata
(mode `strata`: the naive SQL as one migration file, applied by `$STRATA_BIN migrate`)?

  online.py run SCENARIO MODE [--rep N] [--rate R] ...   one run -> one JSON line
  online.py calibrate [--rates 1000,2000,...]            CPU busy % per pgbench rate
  online.py report RESULTS.jsonl --out results.md        markdown table from JSON lines
  online.py plot RESULTS.jsonl --scenario lock-queue --out lock-queue.png   modes overlaid
  online.py plot RESULTS.jsonl --all --out online-all.png            every scenario

Connection: PGHOST/PGPORT/PGUSER from env.sh (the throwaway server of pg.sh).
Every run clones a fresh database `online` from a template built by setup.sh, so each
run starts from the same table state (no bloat or leftovers from the previous run).
"""
import argparse
import bisect
import datetime
import glob
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
PGBIN = os.environ.get("PGBIN") or subprocess.check_output(["pg_config", "--bindir"], text=True).strip()
WORK = os.environ.get("ONLINE_WORK", "/tmp/strata-online-work")
os.environ.setdefault("PGHOST", os.environ.get("ONLINE_PG_ROOT", "/tmp/strata-online-pg") + "/sock")
os.environ.setdefault("PGPORT", os.environ.get("ONLINE_PG_PORT", "55434"))
os.environ.setdefault("PGUSER", "postgres")
os.environ.pop("PGOPTIONS", None)

DB = "online"
CLIENTS, THREADS = 8, 2
CLIENT_STATEMENT_TIMEOUT_MS = 5000
WARMUP_S = 3.0            # first seconds of the load are not part of the baseline
LOAD_CAP_S = 900          # pgbench -T: an upper bound only; the harness stops it earlier
LOG_FLUSH_MARGIN_S = 2.0  # pgbench loses its unflushed log tail on SIGINT: stop this late

# The hand-written safe way (what Strata is to automate)
LOCK_TIMEOUT = "1s"
BACKOFF_BASE_S, BACKOFF_CAP_S = 0.5, 5.0   # 0.5, 1, 2, 4, 5, 5 ... s, each x U(0.75, 1.25)
RETRY_BUDGET_S = 120.0                      # give up a step after this long
BATCH_ROWS = 5000
MIGRATION_CAP = "10min"                    # harness safety net on the migration session
MIGRATION_CAP_S = 600                      # the same for the strata subprocess
STRATA_DEFAULT_LOCK_TIMEOUT = "200ms"      # strata migrate --lock-timeout default (its --help)


def connect(db=DB, app="online-harness", autocommit=True):
    return psycopg.connect(dbname=db, application_name=app, autocommit=autocommit)


# ---------------------------------------------------------------- machine facts

def cpu_times():
    """(busy, total, steal) jiffies from /proc/stat; busy excludes idle, iowait, steal."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = v
    busy = user + nice + system + irq + softirq
    return busy, busy + idle + iowait + steal, steal


def cpu_pct(a, b):
    total = b[1] - a[1]
    if total <= 0:
        return None, None
    return round(100.0 * (b[0] - a[0]) / total, 1), round(100.0 * (b[2] - a[2]) / total, 1)


# ---------------------------------------------------------------- the migration side

class LockRetryExhausted(Exception):
    pass


def tail_lines(text, n=15):
    return "\n".join((text or "").strip().splitlines()[-n:])


def run_strata(cmd, cwd, log_dir, log_name):
    """Runs one strata command; returns (rc, stdout, stderr) and keeps the output in log_dir."""
    try:  # cwd = the migrations folder: no strata.toml from wherever the harness was started
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace",
                           timeout=MIGRATION_CAP_S)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc = 124
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
    if log_dir:
        with open(os.path.join(log_dir, log_name), "w") as f:
            f.write(f"$ {' '.join(cmd)}\n# rc={rc}\n# stdout\n{out}\n# stderr\n{err}")
    return rc, out, err


def strata_prepare(scenario, url, strata_bin, run_dir, settings=None):
    """Before the load starts (not timed): writes the scenario's naive SQL as the single
    migration V1__<scenario>.sql into a fresh folder under run_dir (a backfill with the
    `-- strata:backfill` line before it, as a user would write it; `settings` as the folder's
    strata.toml), and records a strata
    baseline at version 0 in the freshly cloned database. Strata refuses to migrate a
    database that holds objects but no history table (exit 1, "run `strata baseline`");
    --baseline-on-migrate would baseline at version 1 and so skip V1. The baseline models a
    database that strata already manages; it creates strata_schema_history. Returns
    (folder, baseline record)."""
    folder = tempfile.mkdtemp(prefix="strata-migrations-", dir=run_dir)
    with open(os.path.join(folder, f"V1__{scenario}.sql"), "w") as f:
        f.write(STRATA_DIRECTIVE.get(scenario, "") + NAIVE_SQL[scenario].rstrip().rstrip(";") + ";\n")
    if settings:  # strata.toml beside the migration: strata runs with the folder as its cwd
        with open(os.path.join(folder, "strata.toml"), "w") as f:
            f.writelines(f"{k} = {v}\n" for k, v in settings.items())
    cmd = [strata_bin, "baseline", "--url", url, "--locations", folder, "--version", "0"]
    t0 = time.time()
    rc, out, err = run_strata(cmd, folder, run_dir, "strata-baseline.out")
    rec = dict(cmd=" ".join(cmd), rc=rc, s=round(time.time() - t0, 3), stdout_tail=tail_lines(out),
               stderr_tail=tail_lines(err))
    if rc != 0:
        raise RuntimeError(f"strata baseline rc={rc}: {tail_lines(err) or tail_lines(out)}")
    return folder, rec


class Migrator:
    """Runs migration steps on one autocommit session and records what each step cost."""

    def __init__(self, conn, seed, lock_timeout=LOCK_TIMEOUT):
        self.conn, self.lock_timeout = conn, lock_timeout
        self.rng = random.Random(seed)
        self.steps = []
        self.lock_timeouts = 0
        conn.execute(f"SET statement_timeout = '{MIGRATION_CAP}'")

    def _record(self, name, t0, attempts, **extra):
        self.steps.append(dict(step=name, start=t0, s=round(time.time() - t0, 3), attempts=attempts, **extra))

    def naive(self, name, stmt):
        """One statement as a plain migration tool would send it: no lock_timeout."""
        t0 = time.time()
        self.conn.execute("SET lock_timeout = 0")
        self.last_rowcount = self.conn.execute(stmt).rowcount
        self._record(name, t0, 1)

    def strata(self, name, folder, url, strata_bin, extra_args=(), log_dir=None):
        """`strata migrate --url URL --locations FOLDER [extra args]` as a subprocess (strata's
        own session, its own defaults). Records exit code, duration and the output tail;
        raises on rc != 0. FOLDER comes from strata_prepare()."""
        cmd = [strata_bin, "migrate", "--url", url, "--locations", folder] + list(extra_args)
        t0 = time.time()
        rc, out, err = run_strata(cmd, folder, log_dir, "strata.out")
        # strata's retry lines (lock_timeout expired, rolled back, retried), one per retry
        self.lock_timeouts += ((out or "") + (err or "")).count("rolled back; next lock_timeout")
        self._record(name, t0, 1, rc=rc, cmd=" ".join(cmd), stdout_tail=tail_lines(out),
                     stderr_tail=tail_lines(err))
        if rc != 0:
            raise RuntimeError(f"strata migrate rc={rc}: {tail_lines(err) or tail_lines(out)}")

    def _try_locked(self, stmt, params, in_tx):
        if in_tx:
            with self.conn.transaction():
                self.conn.execute(f"SET LOCAL lock_timeout = '{self.lock_timeout}'")
                cur = self.conn.execute(stmt, params)
        else:  # statements that refuse a transaction block
            self.conn.execute(f"SET lock_timeout = '{self.lock_timeout}'")
            try:
                cur = self.conn.execute(stmt, params)
            finally:
                self.conn.execute("SET lock_timeout = 0")
        return cur.rowcount

    def safe(self, name, stmt, params=None, in_tx=True, record=True):
        """lock_timeout + retry with exponential backoff and jitter until it succeeds
        (SQLSTATE 55P03), one short transaction per attempt. Returns (rowcount, attempts)."""
        t0 = time.time()
        attempts = 0
        while True:
            attempts += 1
            try:
                rows = self._try_locked(stmt, params, in_tx)
                break
            except psycopg.errors.LockNotAvailable:
                self.lock_timeouts += 1
                if time.time() - t0 > RETRY_BUDGET_S:
                    raise LockRetryExhausted(f"{name}: no lock after {attempts} attempts")
                delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempts - 1))
                time.sleep(delay * self.rng.uniform(0.75, 1.25))
        if record:
            self._record(name, t0, attempts)
        return rows, attempts

    def create_index_concurrently(self, name, index, ddl, max_builds=3):
        """CIC outside a transaction; an INVALID leftover is dropped and rebuilt."""
        t0 = time.time()
        for build in range(1, max_builds + 1):
            try:
                self.conn.execute(ddl)
            except psycopg.Error as e:
                print(f"  CIC build {build} failed: {e}", file=sys.stderr)
            valid = self.conn.execute(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", (index,)).fetchone()
            if valid and valid[0]:
                self._record(name, t0, build)
                return
            if valid is not None:
                self.conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")
        raise RuntimeError(f"{name}: index {index} still invalid after {max_builds} builds")

    def keyset_backfill(self, name, update_sql, batch=BATCH_ROWS, sleep_s=0.05, cap_s=600):
        """Batched backfill, keyset-paginated by the primary key (aid): each batch is
        `aid > last AND aid <= last-of-next-batch-keys`, one autocommit UPDATE under
        lock_timeout + retry, then a short sleep. update_sql takes (lo, hi)."""
        t0 = time.time()
        last, rows, batches, busy, slowest, attempts = 0, 0, 0, 0.0, 0.0, 0
        while True:
            hi = self.conn.execute(
                "SELECT aid FROM pgbench_accounts WHERE aid > %s ORDER BY aid OFFSET %s LIMIT 1",
                (last, batch - 1)).fetchone()
            done = hi is None
            hi = 2 ** 31 - 1 if done else hi[0]
            b0 = time.time()
            n, a = self.safe(name, update_sql, (last, hi), record=False)
            dt = time.time() - b0
            rows, batches, busy, attempts = rows + n, batches + 1, busy + dt, attempts + a
            slowest = max(slowest, dt)
            last = hi
            if done:
                break
            if time.time() - t0 > cap_s:
                raise RuntimeError(f"{name}: backfill over its {cap_s} s cap")
            time.sleep(sleep_s)
        total = time.time() - t0
        self._record(name, t0, attempts, rows=rows, batches=batches, rows_per_s=round(rows / total),
                     rows_per_busy_s=round(rows / busy) if busy else None,
                     batch_ms_mean=round(1000 * busy / batches, 1), batch_ms_max=round(1000 * slowest, 1),
                     sleep_s=sleep_s)


class Blocker(threading.Thread):
    """The lock-queue side session: a read transaction that sits on AccessShareLock."""

    def __init__(self, seconds):
        super().__init__(daemon=True)
        self.seconds, self.holding, self.error = seconds, threading.Event(), None
        self.t_start = self.t_end = None

    def run(self):
        try:
            with connect(app="online-blocker", autocommit=False) as c:
                self.t_start = time.time()
                c.execute("SELECT count(*) FROM pgbench_accounts WHERE aid < 10")
                self.holding.set()
                c.execute("SELECT pg_sleep(%s)", (self.seconds,))
                c.commit()
                self.t_end = time.time()
        except Exception as e:  # reported in the JSON line
            self.error = repr(e)
            self.holding.set()


# ---------------------------------------------------------------- scenarios
# Each: template to clone, optional `pre` (side conditions set up at the end of the
# baseline), naive and safe migrations, and a check of the end state.

def lq_pre(args):
    b = Blocker(args.blocker_s)
    b.start()
    if not b.holding.wait(10) or b.error:
        raise RuntimeError(f"blocker did not get its lock: {b.error}")
    return b


# The one statement the naive mode sends; mode `strata` writes it as V1__<scenario>.sql,
# after the directive of STRATA_DIRECTIVE where the scenario has one.
NAIVE_SQL = {
    "lock-queue": "ALTER TABLE pgbench_accounts ADD COLUMN x int",
    "index": "CREATE INDEX acc_abalance_idx ON pgbench_accounts (abalance)",
    "not-null": "ALTER TABLE pgbench_accounts ALTER COLUMN c SET NOT NULL",
    "volatile-default": "ALTER TABLE pgbench_accounts ADD COLUMN created_at timestamptz DEFAULT clock_timestamp()",
    "fk": "ALTER TABLE pgbench_accounts ADD CONSTRAINT acc_bid_fk FOREIGN KEY (bid) REFERENCES pgbench_branches (bid)",
    "backfill": "UPDATE pgbench_accounts SET filler = upper(filler)",
    "replica-lag": "UPDATE pgbench_accounts SET filler = upper(filler)",
}
STRATA_DIRECTIVE = {"backfill": "-- strata:backfill\n", "replica-lag": "-- strata:backfill\n"}
REPLICA_LAG_BOUND_MS = 250    # replica-lag, mode strata: backfill_max_replica_lag_ms in its strata.toml (below
#                               the 0.6 s a single UPDATE caused under load, so the throttle has to act)


def sc_lock_queue(m, mode, args):
    ddl = NAIVE_SQL["lock-queue"]
    m.naive("add column x", ddl) if mode == "naive" else m.safe("add column x", ddl)


def sc_index(m, mode, args):
    if mode == "naive":
        m.naive("create index", NAIVE_SQL["index"])
    else:
        m.create_index_concurrently("create index concurrently", "acc_abalance_idx",
                                    "CREATE INDEX CONCURRENTLY acc_abalance_idx ON pgbench_accounts (abalance)")


def sc_not_null(m, mode, args):
    if mode == "naive":
        m.naive("set not null", NAIVE_SQL["not-null"])
    else:
        m.safe("add check not valid",
               "ALTER TABLE pgbench_accounts ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID")
        m.safe("validate check", "ALTER TABLE pgbench_accounts VALIDATE CONSTRAINT c_nn")
        m.safe("set not null", "ALTER TABLE pgbench_accounts ALTER COLUMN c SET NOT NULL")
        m.safe("drop check", "ALTER TABLE pgbench_accounts DROP CONSTRAINT c_nn")


def sc_volatile_default(m, mode, args):
    if mode == "naive":
        m.naive("add column default clock_timestamp()", NAIVE_SQL["volatile-default"])
    else:
        m.safe("add column", "ALTER TABLE pgbench_accounts ADD COLUMN created_at timestamptz")
        m.safe("set default", "ALTER TABLE pgbench_accounts ALTER COLUMN created_at SET DEFAULT clock_timestamp()")
        m.keyset_backfill("backfill created_at",
                          "UPDATE pgbench_accounts SET created_at = clock_timestamp() "
                          "WHERE aid > %s AND aid <= %s AND created_at IS NULL", sleep_s=args.batch_sleep)


def sc_fk(m, mode, args):
    add = NAIVE_SQL["fk"]
    if mode == "naive":
        m.naive("add foreign key", add)
    else:
        m.safe("add foreign key not valid", add + " NOT VALID")
        m.safe("validate foreign key", "ALTER TABLE pgbench_accounts VALIDATE CONSTRAINT acc_bid_fk")


def sc_backfill(m, mode, args):
    if mode == "naive":
        m.naive("update all rows", NAIVE_SQL[args.scenario])
        n = m.last_rowcount
        m.steps[-1].update(rows=n, rows_per_s=round(n / m.steps[-1]["s"]))
    else:
        m.keyset_backfill("batched update", "UPDATE pgbench_accounts SET filler = upper(filler) "
                          "WHERE aid > %s AND aid <= %s", sleep_s=args.batch_sleep)


def one(conn, q, *p):
    return conn.execute(q, p).fetchone()[0]


def verify_lock_queue(c):
    return {"column x exists": one(c, "SELECT count(*) = 1 FROM pg_attribute WHERE attrelid = "
                                      "'pgbench_accounts'::regclass AND attname = 'x' AND NOT attisdropped")}


def verify_index(c):
    return {"index valid": bool(one(c, "SELECT coalesce(bool_and(indisvalid), false) FROM pg_index "
                                       "WHERE indexrelid = to_regclass('acc_abalance_idx')"))}


def verify_not_null(c):
    return {"c NOT NULL": one(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = "
                                 "'pgbench_accounts'::regclass AND attname = 'c'"),
            "no helper check left": one(c, "SELECT count(*) = 0 FROM pg_constraint WHERE conname = 'c_nn'")}


def verify_volatile_default(c):
    return {"no NULL created_at": one(c, "SELECT count(*) = 0 FROM pgbench_accounts WHERE created_at IS NULL"),
            "default is clock_timestamp()": one(c, "SELECT pg_get_expr(adbin, adrelid) = 'clock_timestamp()' "
                                                   "FROM pg_attrdef WHERE adrelid = 'pgbench_accounts'::regclass "
                                                   "AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = "
                                                   "'pgbench_accounts'::regclass AND attname = 'created_at')")}


def verify_fk(c):
    return {"fk validated": bool(one(c, "SELECT coalesce(bool_and(convalidated), false) FROM pg_constraint "
                                        "WHERE conname = 'acc_bid_fk'"))}


def verify_backfill(c):
    # filler is blank (pgbench -i), so upper() changes no value: the update count is the check
    return {"all rows rewritten": one(c, "SELECT n_tup_upd >= 1000000 FROM pg_stat_user_tables "
                                         "WHERE relname = 'pgbench_accounts'"),
            "no backfill state left": one(c, "SELECT to_regclass('strata_backfill_state') IS NULL")}


SCENARIOS = {
    "lock-queue": dict(template="online_tpl", pre=lq_pre, migrate=sc_lock_queue, verify=verify_lock_queue),
    "index": dict(template="online_tpl", migrate=sc_index, verify=verify_index),
    "not-null": dict(template="online_tpl_nn", migrate=sc_not_null, verify=verify_not_null),
    "volatile-default": dict(template="online_tpl", migrate=sc_volatile_default, verify=verify_volatile_default),
    "fk": dict(template="online_tpl", migrate=sc_fk, verify=verify_fk),
    "backfill": dict(template="online_tpl", migrate=sc_backfill, verify=verify_backfill),
    # the same backfill with a streaming replica of the server attached (pg.sh replica-start)
    "replica-lag": dict(template="online_tpl", migrate=sc_backfill, verify=verify_backfill, replica=True),
}


# ---------------------------------------------------------------- the load side

class Sampler(threading.Thread):
    """Every 100 ms: how many load sessions wait on a heavyweight lock."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop, self.samples = threading.Event(), []

    def run(self):
        with connect(app="online-sampler") as c:
            while not self.stop.wait(0.1):
                n = one(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                           "application_name = 'pgbench' AND wait_event_type = 'Lock'", DB)
                self.samples.append((time.time(), n))


class LagSampler(threading.Thread):
    """Every 100 ms: the primary's WAL position, the replica's replay position, and the
    replay_lag the primary shows in pg_stat_replication (what strata's throttle reads).
    replica_lag() turns the positions into seconds of lag."""

    def __init__(self, replica_url):
        super().__init__(daemon=True)
        self.replica_url, self.stop, self.samples, self.error = replica_url, threading.Event(), [], None

    def run(self):
        try:
            with connect("postgres", app="online-lag-sampler") as p, \
                    psycopg.connect(self.replica_url, application_name="online-lag-sampler", autocommit=True) as r:
                while not self.stop.wait(0.1):
                    t = time.time()
                    lp, shown = p.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), (SELECT max(EXTRACT("
                                          "EPOCH FROM replay_lag)) * 1000 FROM pg_stat_replication)").fetchone()
                    lr = one(r, "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')")
                    self.samples.append((t, float(lp), float(lr) if lr is not None else None,
                                         float(shown) if shown is not None else None))
        except Exception as e:  # reported in the JSON line
            self.error = repr(e)


def replica_lag(samples, lo, hi):
    """Replay lag (s) at each sample in [lo, hi]: how long ago the primary had written the WAL
    position the replica has replayed (interpolated between the primary's 100 ms samples)."""
    ts = [x[0] for x in samples]
    lps = [x[1] for x in samples]
    for i in range(1, len(lps)):  # the primary's position never goes back
        lps[i] = max(lps[i], lps[i - 1])
    lags = []
    for (t, lp, lr, _) in samples:
        if not lo <= t <= hi or lr is None:
            continue
        if lr >= lp:
            lags.append(0.0)
            continue
        j = bisect.bisect_left(lps, lr)
        if j == 0:
            at = ts[0]
        else:
            span = lps[j] - lps[j - 1]
            at = ts[j - 1] + (ts[j] - ts[j - 1]) * ((lr - lps[j - 1]) / span if span else 1.0)
        lags.append(max(0.0, t - at))
    shown = [x[3] for x in samples if lo <= x[0] <= hi and x[3] is not None]
    srt = sorted(lags)
    return dict(samples=len(lags), max_s=round(srt[-1], 3) if srt else None, p99_s=pct(srt, 99), p50_s=pct(srt, 50),
                shown_max_ms=round(max(shown)) if shown else None)


def start_replica():
    """A fresh streaming replica (pg.sh replica-start), streaming before this returns; its URL."""
    url = subprocess.check_output([os.path.join(HERE, "pg.sh"), "replica-start"], text=True).strip().splitlines()[-1]
    deadline = time.time() + 60
    with connect("postgres", app="online-harness") as c:
        while not one(c, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"):
            if time.time() > deadline:
                raise RuntimeError("the replica did not start streaming within 60 s")
            time.sleep(0.2)
    return url


def stop_replica():
    subprocess.run([os.path.join(HERE, "pg.sh"), "replica-stop"], check=False, stdout=subprocess.DEVNULL)


def reset_db(template):
    with connect("postgres") as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {DB} TEMPLATE {template} STRATEGY FILE_COPY")
    with connect() as c:
        c.execute("SELECT pg_prewarm('pgbench_accounts_pkey'), pg_prewarm('pgbench_accounts')")
        c.execute("CHECKPOINT")  # the next timed checkpoint is 5 min away: outside the run


def start_load(run_dir, rate, scale):
    env = dict(os.environ, PGOPTIONS=f"-c statement_timeout={CLIENT_STATEMENT_TIMEOUT_MS}")
    cmd = [f"{PGBIN}/pgbench", "-n", "-f", os.path.join(HERE, "load.sql"), "-s", str(scale),
           "-R", str(rate), "-c", str(CLIENTS), "-j", str(THREADS), "-T", str(LOAD_CAP_S), "-P", "1",
           "-l", "--sampling-rate", "1", "--failures-detailed",
           "--log-prefix", os.path.join(run_dir, "pgbench_log"), DB]
    out = open(os.path.join(run_dir, "pgbench.out"), "w")
    return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT), cmd


def stop_load(p):
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def read_log(run_dir):
    """pgbench -l lines: client tx time script epoch_s epoch_us lag. time is the latency in
    us, measured from the scheduled start under -R (so it includes schedule lag), or the
    failure type. Failed transactions get the lower bound lag + statement_timeout."""
    tx = []  # (end, latency_ms, ok, sched_start)
    bad = 0
    for path in glob.glob(os.path.join(run_dir, "pgbench_log.*")):
        with open(path, errors="replace") as f:
            for line in f:
                p = line.split()
                if len(p) != 7:
                    bad += 1  # the tail cut by SIGINT
                    continue
                try:
                    end = int(p[4]) + int(p[5]) / 1e6
                    lag_ms = int(p[6]) / 1000.0
                except ValueError:
                    bad += 1
                    continue
                if p[2].isdigit():
                    lat, ok = int(p[2]) / 1000.0, True
                else:  # serialization = our converted statement timeout; deadlock = real
                    lat = lag_ms + (CLIENT_STATEMENT_TIMEOUT_MS if p[2] in ("serialization", "failed") else 0)
                    ok = False
                tx.append((end, lat, ok, end - lat / 1000.0))
    tx.sort()
    return tx, bad


def pct(sorted_vals, q):
    if not sorted_vals:
        return None
    i = min(len(sorted_vals) - 1, max(0, int(round(q / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return round(sorted_vals[i], 2)


def lat_stats(rows):
    lats = sorted(r[1] for r in rows)
    return dict(n=len(rows), failed=sum(1 for r in rows if not r[2]), p50=pct(lats, 50), p95=pct(lats, 95),
                p99=pct(lats, 99), p999=pct(lats, 99.9), max=round(lats[-1], 2) if lats else None)


def max_stall(ends, lo, hi):
    """Longest interval without a successful completion that overlaps [lo, hi] (s)."""
    i = bisect.bisect_left(ends, lo)
    j = bisect.bisect_right(ends, hi)
    pts = ([ends[i - 1]] if i > 0 else [lo]) + ends[i:j] + ([ends[j]] if j < len(ends) else [hi])
    best, at = 0.0, lo
    for a, b in zip(pts, pts[1:]):
        if b - a > best:
            best, at = b - a, a
    return round(best, 3), at


def analyse(tx, t):
    ends = [r[0] for r in tx if r[2]]
    b_lo, b_hi = t["load"] + WARMUP_S, t["pre"]
    base = [r for r in tx if r[3] >= b_lo and r[0] <= b_hi]
    win = [r for r in tx if r[3] <= t["mig_end"] and r[0] >= t["mig_start"]]
    after = [r for r in tx if r[3] > t["mig_end"] and r[0] <= t["stop"]]
    out = dict(baseline=lat_stats(base), window=lat_stats(win), after=lat_stats(after))
    out["baseline"]["tps"] = round(sum(1 for r in base if r[2]) / (b_hi - b_lo), 1)
    out["baseline"]["max_stall_s"] = max_stall(ends, b_lo, b_hi)[0]
    stall, at = max_stall(ends, t["mig_start"], t["mig_end"])
    out["window"]["max_stall_s"], out["window"]["max_stall_at_s"] = stall, round(at - t["mig_start"], 3)
    # lowest completed-transactions count in any 1-s bin from migration start to its end
    lo, n_bins = t["mig_start"], max(1, int((t["mig_end"] - t["mig_start"]) + 0.999))
    counts = [0] * n_bins
    for e in ends[bisect.bisect_left(ends, lo):bisect.bisect_left(ends, lo + n_bins)]:
        counts[int(e - lo)] += 1
    out["window"]["min_tps_1s"] = min(counts)
    out["run_failed"] = sum(1 for r in tx if not r[2] and r[0] <= t["stop"])
    return out


def lsn(c):
    return one(c, "SELECT pg_current_wal_lsn()::text")


def wal_mb(c, a, b):
    return round(float(one(c, "SELECT pg_wal_lsn_diff(%s::pg_lsn, %s::pg_lsn)", b, a)) / 2 ** 20, 1)


def strata_url():
    """URL of the online database for strata, from the libpq variables env.sh sets."""
    return (f"postgresql://{os.environ['PGUSER']}@/{DB}?host={os.environ['PGHOST']}"
            f"&port={os.environ['PGPORT']}")


def strata_lock_timeout(extra_args):
    """The lock timeout strata runs with: --lock-timeout MS among the extra args, else its default."""
    for i, a in enumerate(extra_args):
        if a.startswith("--lock-timeout="):
            return a.split("=", 1)[1] + "ms"
        if a == "--lock-timeout" and i + 1 < len(extra_args):
            return extra_args[i + 1] + "ms"
    return STRATA_DEFAULT_LOCK_TIMEOUT


def cmd_run(args):
    sc = SCENARIOS[args.scenario]
    strata_args = args.strata_arg or []
    if args.mode == "strata":
        if not args.strata_bin:
            sys.exit("mode strata needs STRATA_BIN or ONLINE_STRATA_BIN (or --strata-bin): the strata executable")
        args.strata_bin = os.path.abspath(args.strata_bin)
        if not os.access(args.strata_bin, os.X_OK):
            sys.exit(f"not executable: {args.strata_bin}")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_dir = os.path.join(WORK, "runs", f"{args.scenario}-{args.mode}-r{args.rep}-{stamp}")
    os.makedirs(run_dir, exist_ok=True)
    reset_db(sc["template"])
    with connect() as c:
        scale = one(c, "SELECT count(*) FROM pgbench_branches")
    t, cpu, wal, err, blocker, lag = {}, {}, {}, None, None, None
    strata_settings = {"backfill_max_replica_lag_ms": args.replica_lag_bound_ms} if sc.get("replica") else {}
    if args.mode == "strata":
        strata_dir, strata_baseline = strata_prepare(args.scenario, strata_url(), args.strata_bin, run_dir,
                                                     strata_settings)
    if sc.get("replica"):
        lag = LagSampler(start_replica())
    mig = connect(app="online-migration")
    m = Migrator(mig, seed=args.rep, lock_timeout=args.lock_timeout)
    sampler = Sampler()
    load, cmd = start_load(run_dir, args.rate, scale)
    try:
        t["load"] = time.time()
        sampler.start()
        if lag:
            lag.start()
        time.sleep(WARMUP_S)
        cpu["b0"], wal["b0"] = cpu_times(), lsn(mig)
        time.sleep(max(0.0, args.baseline - WARMUP_S))
        if load.poll() is not None:
            raise RuntimeError(f"pgbench exited early, see {run_dir}/pgbench.out")
        cpu["b1"], wal["b1"] = cpu_times(), lsn(mig)
        t["pre"] = time.time()
        if sc.get("pre"):
            blocker = sc["pre"](args)
        t["mig_start"] = time.time()
        try:
            if args.mode == "strata":
                m.strata(f"strata migrate V1__{args.scenario}.sql", strata_dir, strata_url(), args.strata_bin,
                         strata_args, log_dir=run_dir)
                if args.scenario in STRATA_DIRECTIVE:  # the UPDATE changes every row of the table
                    m.steps[-1].update(rows=scale * 100_000, rows_per_s=round(scale * 100_000 / m.steps[-1]["s"]))
            else:
                sc["migrate"](m, args.mode, args)
        except Exception as e:  # keep measuring: the load and the JSON line still matter
            err = f"migration failed: {e!r}"
            print(err, file=sys.stderr)
        t["mig_end"] = time.time()
        cpu["w1"], wal["w1"] = cpu_times(), lsn(mig)
        time.sleep(args.cooldown)
        t["stop"] = time.time()
        time.sleep(LOG_FLUSH_MARGIN_S)
    finally:
        stop_load(load)
        sampler.stop.set()
        sampler.join(5)
        if lag:
            lag.stop.set()
            lag.join(5)
            stop_replica()
    if blocker:
        blocker.join(args.blocker_s + 10)
    with connect() as c:
        verify = sc["verify"](c)
        wal_mb_ = {"window": wal_mb(c, wal["b1"], wal["w1"]), "baseline": wal_mb(c, wal["b0"], wal["b1"])}
    mig.close()
    raw = dict(
        scenario=args.scenario, mode=args.mode, rep=args.rep, started=stamp, run_dir=run_dir, t=t,
        cpu={k: list(v) for k, v in cpu.items()}, wal_mb=wal_mb_, steps=m.steps, lock_timeouts=m.lock_timeouts,
        lock_waiter_samples=sampler.samples, verify=verify, error=err,
        replica=dict(samples=lag.samples, error=lag.error,
                     bound_ms=args.replica_lag_bound_ms if args.mode == "strata" else None) if lag else None,
        blocker=dict(s=args.blocker_s, held_s=round(blocker.t_end - blocker.t_start, 3) if blocker.t_end else None,
                     error=blocker.error) if blocker else None,
        rate=args.rate, clients=CLIENTS, threads=THREADS, scale=scale, baseline_s=args.baseline,
        cooldown_s=args.cooldown,
        lock_timeout=strata_lock_timeout(strata_args) if args.mode == "strata" else args.lock_timeout,
        batch_rows=BATCH_ROWS, batch_sleep_s=args.batch_sleep,
        client_statement_timeout_ms=CLIENT_STATEMENT_TIMEOUT_MS, pgbench_cmd=" ".join(cmd),
        kernel_writeback=kernel_writeback())
    if args.mode == "strata":
        raw.update(strata_bin=args.strata_bin, strata_args=strata_args, strata_baseline=strata_baseline)
    with open(os.path.join(run_dir, "raw.json"), "w") as f:
        json.dump(raw, f)
    return emit(build_record(raw), args.out)


def kernel_writeback():
    """The kernel's dirty-page writeback settings (centiseconds, percent of memory): they decide when
    the pages a migration dirtied reach the disk, all at once by default, 30 s after first dirtied."""
    names = ("dirty_expire_centisecs", "dirty_writeback_centisecs", "dirty_background_ratio", "dirty_ratio")
    values = {}
    for n in names:
        try:
            with open(f"/proc/sys/vm/{n}") as f:
                values[n] = int(f.read())
        except (OSError, ValueError):
            values[n] = None
    return values


def build_record(raw):
    """Everything measured for one run, from raw.json + the pgbench logs of its run dir."""
    t, run_dir = raw["t"], raw["run_dir"]
    tx, bad_lines = read_log(run_dir)
    res = analyse(tx, t)
    with open(os.path.join(run_dir, "pgbench.out")) as f:
        pgb_out = f.read()
    waits = [n for (ts, n) in raw["lock_waiter_samples"] if t["mig_start"] <= ts <= t["mig_end"] + 0.1]
    busy_b, steal_b = cpu_pct(raw["cpu"]["b0"], raw["cpu"]["b1"])
    busy_w, steal_w = cpu_pct(raw["cpu"]["b1"], raw["cpu"]["w1"])
    last_end = max((r[0] for r in tx), default=0)
    keep = ("scenario", "mode", "rep", "started")
    rec = {k: raw[k] for k in keep}
    rec.update(
        migration_s=round(t["mig_end"] - t["mig_start"], 3),
        steps=[dict(s, start=round(s["start"] - t["mig_start"], 3)) for s in raw["steps"]],
        lock_timeouts=raw["lock_timeouts"],
        baseline=res["baseline"], window=res["window"], after=res["after"], run_failed=res["run_failed"],
        peak_lock_waiters=max(waits, default=0),
        wal_mb_window=raw["wal_mb"]["window"],
        wal_mb_per_s_baseline=round(raw["wal_mb"]["baseline"] / (t["pre"] - t["load"] - WARMUP_S), 2),
        cpu_busy_pct_baseline=busy_b, cpu_steal_pct_baseline=steal_b, cpu_busy_pct_window=busy_w,
        cpu_steal_pct_window=steal_w,
        verify=raw["verify"], verified=all(bool(v) for v in raw["verify"].values()), error=raw["error"],
        aborted_clients=pgb_out.count("aborted"),
        log_lines=len(tx), log_lines_cut=bad_lines, log_covers_stop=last_end >= t["stop"],
        blocker=raw["blocker"],
        replica=(dict(replica_lag(raw["replica"]["samples"], t["mig_start"], t["stop"]), error=raw["replica"]["error"],
                      bound_ms=raw["replica"]["bound_ms"],
                      baseline_max_s=replica_lag(raw["replica"]["samples"], t["load"] + WARMUP_S, t["pre"])["max_s"])
                 if raw.get("replica") else None),
        timeline={k: round(v - t["mig_start"], 3) for k, v in t.items()}, mig_start_epoch=t["mig_start"],
    )
    rec.update({k: raw[k] for k in ("rate", "clients", "threads", "scale", "baseline_s", "cooldown_s", "lock_timeout",
                                    "batch_rows", "batch_sleep_s", "client_statement_timeout_ms", "pgbench_cmd",
                                    "run_dir")})
    rec["kernel_writeback"] = raw.get("kernel_writeback")
    rec.update({k: raw[k] for k in ("strata_bin", "strata_args", "strata_baseline") if k in raw})
    return rec


def emit(rec, out):
    with open(os.path.join(rec["run_dir"], "result.json"), "w") as f:
        json.dump(rec, f, indent=1)
    line = json.dumps(rec)
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")
    print(line)
    w, b = rec["window"], rec["baseline"]
    print(f"# {rec['scenario']} {rec['mode']} r{rec['rep']}: migration {rec['migration_s']} s, baseline p99 {b['p99']} ms, "
          f"window p99 {w['p99']} ms max {w['max']} ms, stall {w['max_stall_s']} s, failed {w['failed']}, "
          f"lock timeouts {rec['lock_timeouts']}, cpu {rec['cpu_busy_pct_baseline']}%, verified {rec['verified']}"
          + "".join(f", {s['rows_per_s']:,} rows/s" for s in rec["steps"] if s.get("rows_per_s"))
          + (f", replica lag max {rec['replica']['max_s']} s p99 {rec['replica']['p99_s']} s" if rec.get("replica") else ""),
          file=sys.stderr)
    return 0 if (rec["verified"] and not rec["error"]) else 1


def cmd_reanalyse(args):
    """Rebuild the JSON lines from kept run dirs (after a change to the analysis)."""
    rc = 0
    for d in args.run_dirs:
        with open(os.path.join(d, "raw.json")) as f:
            rc |= emit(build_record(json.load(f)), args.out)
    return rc


# ---------------------------------------------------------------- calibrate

def cmd_calibrate(args):
    reset_db("online_tpl")
    with connect() as c:
        scale = one(c, "SELECT count(*) FROM pgbench_branches")
    a = cpu_times()
    time.sleep(5)
    idle, _ = cpu_pct(a, cpu_times())
    print(f"idle machine: {idle}% busy")
    rows = []
    for rate in [int(r) for r in args.rates.split(",")]:
        d = os.path.join(WORK, "calibrate", str(rate))
        os.makedirs(d, exist_ok=True)
        for f in glob.glob(os.path.join(d, "pgbench_log.*")):
            os.remove(f)
        p, _ = start_load(d, rate, scale)
        time.sleep(3)
        a = cpu_times()
        time.sleep(args.seconds)
        busy, steal = cpu_pct(a, cpu_times())
        stop_load(p)
        rows.append((rate, busy, steal))
        print(f"rate {rate}/s: {busy}% busy, {steal}% steal")
    return 0


# ---------------------------------------------------------------- report

def load_results(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def med(vals):
    vals = sorted(v for v in vals if v is not None)
    if not vals:
        return None
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def fmt(v, nd=1):
    if v is None:
        return "–"
    if isinstance(v, float) and abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.{nd}f}" if isinstance(v, float) else f"{v:,}"


def cell(vals, nd=1):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "–"
    m = med(vals)
    if len(vals) == 1 or min(vals) == max(vals):
        return fmt(float(m) if isinstance(m, float) else m, nd)
    return f"{fmt(float(m), nd)} [{fmt(float(min(vals)), nd)}–{fmt(float(max(vals)), nd)}]"


def mode_label(r):
    if r["mode"] == "safe" and r.get("lock_timeout", LOCK_TIMEOUT) != LOCK_TIMEOUT:
        return f"safe, lock_timeout {r['lock_timeout']}"
    if r["mode"] == "strata" and r.get("strata_args"):
        return "strata " + " ".join(r["strata_args"])
    return r["mode"]


def seconds(setting):
    return float(setting[:-2]) / 1000 if setting.endswith("ms") else float(setting.rstrip("s"))


def passes(r, eps=0.5):
    """§9.7 of the research note: 0 failed, max stall <= lock_timeout + eps, p99 <= 2x baseline."""
    lt = seconds(r.get("lock_timeout", LOCK_TIMEOUT))
    w, b = r["window"], r["baseline"]
    return (w["failed"] == 0 and w["max_stall_s"] <= lt + eps and w["p99"] is not None
            and b["p99"] is not None and w["p99"] <= 2 * b["p99"])


ORDER = list(SCENARIOS)


def notes_for(rs):
    parts = []
    lt = [r["lock_timeouts"] for r in rs]
    if any(lt):
        parts.append(f"lock timeouts retried: {cell(lt, 0)}")
    pw = [r["peak_lock_waiters"] for r in rs]
    if any(pw):
        parts.append(f"peak app sessions waiting on a lock: {cell(pw, 0)}/{rs[0]['clients']}")
    bms = [s.get("batch_ms_max") for r in rs for s in r["steps"] if s.get("batch_ms_max")]
    if bms:
        parts.append(f"slowest batch {cell(bms, 0)} ms")
    ap = [r["after"]["p99"] for r in rs]
    if med(ap) and med(ap) > 2 * med([r["baseline"]["p99"] for r in rs]):
        parts.append(f"p99 in the 15 s after: {cell(ap)} ms (backlog)")
    ok = [passes(r) for r in rs]
    parts.append("§9 pass " + ("yes" if all(ok) else "no" if not any(ok) else f"{sum(ok)}/{len(ok)}"))
    if not all(r["verified"] for r in rs) or any(r.get("error") for r in rs):
        parts.append("**END STATE NOT VERIFIED / ERROR**")
    if any(r["aborted_clients"] for r in rs):
        parts.append("**pgbench clients aborted**")
    return "; ".join(parts)


def cmd_report(args):
    rs = load_results(args.results)
    if not rs:
        print("no results", file=sys.stderr)
        return 1
    reps = max(r["rep"] for r in rs)
    r0 = rs[0]
    with connect("postgres") as c:
        ver = one(c, "SELECT version()")
        settings = c.execute("SELECT name, current_setting(name), '' FROM pg_settings WHERE name IN "
                             "('shared_buffers','max_wal_size','checkpoint_timeout','synchronous_commit',"
                             "'fsync','log_lock_waits','deadlock_timeout','autovacuum','max_connections') "
                             "ORDER BY name").fetchall()
    try:
        with connect("online_tpl") as c:
            sizes = one(c, "SELECT pg_size_pretty(pg_relation_size('pgbench_accounts')) || ' heap + ' || "
                           "pg_size_pretty(pg_relation_size('pgbench_accounts_pkey')) || ' PK'")
    except psycopg.Error:
        sizes = "size unknown"
    cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1)
    L = []
    L.append(f"# Online-migration benchmark — {args.date or r0['started'][:8]}")
    L.append("")
    L.append("What application traffic experiences while a schema migration runs on PostgreSQL, done the")
    L.append("**naive** way, the hand-written **safe** way (lock_timeout + retry, CONCURRENTLY, NOT VALID +")
    L.append("VALIDATE, batched keyset backfill) and by **strata** (`strata migrate` of the naive statement as a")
    L.append("plain migration file). Harness: `bench/online/` (see its README).")
    L.append("")
    L.append(f"- Machine: {os.cpu_count()} vCPU ({cpu_model}), {mem_gib} GiB RAM, {platform.platform()}; shared and noisy.")
    L.append(f"- Server: {ver.split(',')[0]}; defaults except log_lock_waits=on, max_connections=50 "
             f"({', '.join(f'{n}={s}{u}' for n, s, u in settings)}).")
    L.append(f"- Data: `pgbench -i -s {r0['scale']}` ({r0['scale'] * 100_000:,} rows in pgbench_accounts, {sizes}), "
             "VACUUM ANALYZE; every run starts from a fresh clone of that template, prewarmed, after a CHECKPOINT.")
    L.append(f"- Load: open loop `pgbench -R {r0['rate']} -c {r0['clients']} -j {r0['threads']} -P 1 -l --sampling-rate 1` "
             f"running `load.sql` (read one random account by aid, update one random account's abalance), "
             f"client statement_timeout {r0['client_statement_timeout_ms']} ms. Baseline {r0['baseline_s']} s "
             f"(first {WARMUP_S:g} s not counted), migration, then {r0['cooldown_s']} s.")
    L.append(f"- Safe mode: lock_timeout {r0['lock_timeout']} per attempt, retry with backoff "
             f"{BACKOFF_BASE_S:g} s doubling to {BACKOFF_CAP_S:g} s (×0.75–1.25 jitter); backfills in keyset batches of "
             f"{r0['batch_rows']:,} rows with {r0['batch_sleep_s']:g} s sleep between batches.")
    writeback = sorted({json.dumps(r["kernel_writeback"], sort_keys=True) for r in rs if r.get("kernel_writeback")})
    if writeback:
        L.append("- Kernel writeback (`/proc/sys/vm`): " + "; ".join(
            f"dirty pages written back {w['dirty_expire_centisecs'] / 100:g} s after first dirtied, flusher every "
            f"{w['dirty_writeback_centisecs'] / 100:g} s, background {w['dirty_background_ratio']} % / "
            f"blocking {w['dirty_ratio']} % of memory" for w in map(json.loads, writeback)) + ".")
    if args.calibration:
        L.append(f"- Rate choice: {args.calibration}")
    L.append(f"- Repetitions: {reps} per cell{'; cells show median [min–max]' if reps > 1 else ''}." +
             (f" Suite wall time: {args.wall}." if args.wall else ""))
    L.append("")
    busy = [r["cpu_busy_pct_baseline"] for r in rs]
    steal = [r["cpu_steal_pct_baseline"] for r in rs] + [r["cpu_steal_pct_window"] for r in rs]
    L.append(f"- Whole-machine CPU busy during the baselines: median {med(busy)} % (range {min(busy)}–{max(busy)} %); "
             f"steal up to {max(steal)} %.")
    L.append("")
    L.append("| scenario | mode | duration s | baseline p50 / p99 ms | window p50 ms | window p99 ms | window max ms | longest stall s | failed tx | rows/s | replica lag max / p99 s | notes |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for sc in ORDER:
        for mode in sorted({mode_label(r) for r in rs if r["scenario"] == sc}, key=lambda m: (m != "naive", m != "safe", m)):
            g = [r for r in rs if r["scenario"] == sc and mode_label(r) == mode]
            rps = [s.get("rows_per_s") for r in g for s in r["steps"] if s.get("rows_per_s")]
            lag = [r["replica"] for r in g if r.get("replica")]
            L.append(f"| {sc} | {mode} | {cell([r['migration_s'] for r in g], 2)} | "
                     f"{cell([r['baseline']['p50'] for r in g], 2)} / {cell([r['baseline']['p99'] for r in g], 2)} | "
                     f"{cell([r['window']['p50'] for r in g], 2)} | {cell([r['window']['p99'] for r in g], 1)} | "
                     f"{cell([r['window']['max'] for r in g], 0)} | {cell([r['window']['max_stall_s'] for r in g], 2)} | "
                     f"{cell([r['window']['failed'] for r in g], 0)} | {cell(rps, 0) if rps else '–'} | "
                     + (f"{cell([x['max_s'] for x in lag], 2)} / {cell([x['p99_s'] for x in lag], 2)}"
                        + (f" (bound {lag[0]['bound_ms'] / 1000:g} s)" if lag[0].get("bound_ms") else "") if lag else "–")
                     + f" | {notes_for(g)} |")
    L.append("")
    L.append("Columns: **duration** wall time of the migration itself (for lock-queue: from the DDL's first attempt, the")
    L.append("blocker having started just before). **baseline p99**: transactions scheduled and finished in the baseline.")
    L.append("**window**: every transaction whose life (scheduled start → end) overlaps the migration; latency is")
    L.append("measured from the *scheduled* start (pgbench -R), so it includes the time spent queued behind a stall;")
    L.append("a failed transaction counts with the lower bound schedule lag + 5 s. **max stall**: the longest interval")
    L.append("with zero successfully completed transactions that overlaps the migration. **failed tx**: transactions")
    L.append("in the window cancelled by the client's 5 s statement_timeout. §9 pass: failed = 0, max stall ≤ lock_timeout")
    L.append("+ 0.5 s, window p99 ≤ 2 × baseline p99 (criteria of ../../research/zero-downtime.md §9.7). **rows/s**: rows")
    L.append("changed per second of the backfill, pauses included (strata: the table's rows over the `strata migrate` time,")
    L.append("process start included). **replica lag** (replica-lag only): how far behind the streaming replica's replay")
    L.append("was, sampled every 100 ms from the migration's start to the end of the cooldown, in seconds since the primary")
    L.append("wrote the WAL it had replayed; strata's bound is its `backfill_max_replica_lag_ms`.")
    L.append("")
    L.append("## Every run")
    L.append("")
    L.append("| scenario | mode | rep | migration_s | steps: s (×attempts) | base p50/p99 ms | win p50/p99/p99.9/max ms | stall s | failed | after p99 ms | WAL MB | CPU busy base/win % | steal % |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for sc in ORDER:
        for r in sorted((r for r in rs if r["scenario"] == sc), key=lambda r: (mode_label(r) != "naive", mode_label(r), r["rep"])):
            st = "; ".join(f"{s['step']} {s['s']:.2f}" + (f"×{s['attempts']}" if s["attempts"] > 1 else "") for s in r["steps"])
            b, w = r["baseline"], r["window"]
            L.append(f"| {sc} | {mode_label(r)} | {r['rep']} | {r['migration_s']:.2f} | {st} | {b['p50']}/{b['p99']} | "
                     f"{w['p50']}/{w['p99']}/{w['p999']}/{fmt(w['max'], 0)} | {w['max_stall_s']:.2f} | "
                     f"{w['failed']} | {r['after']['p99']} | {r['wal_mb_window']} | {r['cpu_busy_pct_baseline']}/{r['cpu_busy_pct_window']} | "
                     f"{r['cpu_steal_pct_baseline']}/{r['cpu_steal_pct_window']} |")
    L.append("")
    if args.extra:
        with open(args.extra) as f:
            L.append(f.read().rstrip())
            L.append("")
    with open(args.out, "w") as f:
        f.write("\n".join(L) + "\n")
    print(f"wrote {args.out}")
    return 0


# ---------------------------------------------------------------- plot

MODE_COLORS = {"naive": "tab:red", "safe": "tab:blue", "strata": "tab:green"}


def binned(r, width=0.25):
    """Per bin of `width` s, from the load's start to the analysed end, relative to the
    migration's start: bin centres, the p99 and the max latency (ms) of the transactions that
    ended in it (failed ones at their lower bound), and completed tx/s."""
    tl, zero = r["timeline"], r["mig_start_epoch"]
    tx, _ = read_log(r["run_dir"])
    lo, hi = tl["load"] + WARMUP_S, tl["stop"]
    n = max(1, int((hi - lo) / width))
    lats, done = [[] for _ in range(n)], [0] * n
    for (e, lat, good, _) in tx:
        k = int((e - zero - lo) / width)
        if 0 <= k < n:
            lats[k].append(lat)
            done[k] += good
    xs = [lo + width * (k + 0.5) for k in range(n)]
    p99 = [pct(sorted(v), 99) if v else None for v in lats]
    mx = [max(v) if v else None for v in lats]
    return xs, p99, mx, [d / width for d in done]


def first_runs(rs, scenario):
    """The first rep of each mode of a scenario, naive, safe, strata, then any variants."""
    pick = {}
    for r in sorted((r for r in rs if r["scenario"] == scenario), key=lambda r: r["rep"]):
        pick.setdefault(mode_label(r), r)
    return [(m, pick[m]) for m in sorted(pick, key=lambda m: (m != "naive", m != "safe", m != "strata", m))]


def color(mode, i):
    return MODE_COLORS.get(mode, f"C{i + 3}")


def draw_latency(ax, runs, legend=True):
    """p99 per 0.25 s bin of each mode, one line each, the migrations as shaded spans."""
    for i, (mode, r) in enumerate(runs):
        xs, p99, _, _ = binned(r)
        c = color(mode, i)
        ax.axvspan(0, r["migration_s"], color=c, alpha=0.08)
        w = r["window"]
        ax.plot(xs, [v if v is not None else float("nan") for v in p99], color=c, lw=1,
                label=f"{mode}: window p99 {w['p99']:,.1f} ms, max {w['max']:,.0f} ms, stall {w['max_stall_s']:.2f} s, "
                      f"failed {w['failed']}, {r['migration_s']:.1f} s")
    ax.set_yscale("log")
    ax.set_ylim(0.1, 2e4)
    ax.set_ylabel("p99 latency per 0.25 s, ms")
    if legend:
        ax.legend(loc="upper right", fontsize=7, framealpha=0.85)


def cmd_plot(args):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rs = load_results(args.results)
    if args.all:
        scenarios = [sc for sc in ORDER if any(r["scenario"] == sc for r in rs)]
        fig, axes = plt.subplots(len(scenarios), 1, figsize=(11, 2.6 * len(scenarios)), sharex=True)
        axes = [axes] if len(scenarios) == 1 else list(axes)
        for ax, sc in zip(axes, scenarios):
            draw_latency(ax, first_runs(rs, sc))
            ax.set_title(sc, fontsize=9, loc="left")
        axes[-1].set_xlabel("seconds since the migration's first statement (shaded: each mode's migration)")
        r0 = rs[0]
        fig.suptitle(f"Latency while each migration runs: naive, hand-safe and strata; open-loop pgbench -R {r0['rate']} "
                     f"-c {r0['clients']}, PostgreSQL, {os.cpu_count()} vCPUs", fontsize=10)
    else:
        runs = first_runs(rs, args.scenario)
        if not runs:
            sys.exit(f"no runs of {args.scenario} in {args.results}")
        lagged = [(m, r) for m, r in runs if r.get("replica")]
        n = 3 if lagged else 2
        fig, axes = plt.subplots(n, 1, figsize=(11, 3.2 * n), sharex=True)
        draw_latency(axes[0], runs)
        for i, (mode, r) in enumerate(runs):
            xs, _, _, tps = binned(r)
            axes[1].plot(xs, tps, color=color(mode, i), lw=0.9, label=mode)
        axes[1].set_ylabel("completed tx/s")
        axes[1].legend(loc="lower right", fontsize=7)
        if lagged:
            ax = axes[2]
            for i, (mode, r) in enumerate(runs):
                if not r.get("replica"):
                    continue
                with open(os.path.join(r["run_dir"], "raw.json")) as f:
                    raw = json.load(f)
                smp, zero = raw["replica"]["samples"], r["mig_start_epoch"]
                pts = [(x[0] - zero, replica_lag(smp, x[0], x[0])["max_s"]) for x in smp]
                pts = [(x, y) for x, y in pts if y is not None]
                ax.plot([x for x, _ in pts], [y for _, y in pts], color=color(mode, i), lw=1,
                        label=f"{mode}: max {r['replica']['max_s']} s")
                if r["replica"].get("bound_ms"):
                    ax.axhline(r["replica"]["bound_ms"] / 1000, color=color(mode, i), ls="--", lw=0.8,
                               label=f"{mode}'s bound (backfill_max_replica_lag_ms)")
            ax.set_ylabel("replica replay lag, s")
            ax.legend(loc="upper right", fontsize=7)
        axes[-1].set_xlabel("seconds since the migration's first statement (shaded: each mode's migration)")
        r0 = runs[0][1]
        fig.suptitle(f"{args.scenario}: open-loop pgbench -R {r0['rate']} -c {r0['clients']}; "
                     f"PostgreSQL, {os.cpu_count()} vCPUs (first rep of each mode)", fontsize=10)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run")
    p.add_argument("scenario", choices=list(SCENARIOS))
    p.add_argument("mode", choices=["naive", "safe", "strata"])
    p.add_argument("--rep", type=int, default=1)
    p.add_argument("--rate", type=int, default=int(os.environ.get("ONLINE_RATE", 2500)))
    p.add_argument("--baseline", type=float, default=15.0)
    p.add_argument("--cooldown", type=float, default=15.0)
    p.add_argument("--blocker-s", type=float, default=12.0)
    p.add_argument("--batch-sleep", type=float, default=0.05)
    p.add_argument("--replica-lag-bound-ms", type=int, default=REPLICA_LAG_BOUND_MS,
                   help="replica-lag, mode strata: backfill_max_replica_lag_ms in the migration folder's strata.toml")
    p.add_argument("--lock-timeout", default=LOCK_TIMEOUT, help="safe mode's lock_timeout per attempt, e.g. 1s, 200ms")
    p.add_argument("--strata-bin", default=os.environ.get("ONLINE_STRATA_BIN") or os.environ.get("STRATA_BIN"),
                   help="mode strata: the strata executable (default: $ONLINE_STRATA_BIN, which env.sh sets from $STRATA_BIN or the release build)")
    p.add_argument("--strata-arg", action="append", metavar="ARG",
                   help="mode strata: one more argument for `strata migrate` (repeatable), "
                        "e.g. --strata-arg=--lock-timeout --strata-arg=1000; default: none (strata's defaults)")
    p.add_argument("--out", help="append the JSON line to this file")
    p = sub.add_parser("reanalyse")
    p.add_argument("run_dirs", nargs="+")
    p.add_argument("--out", help="append the JSON lines to this file")
    p = sub.add_parser("calibrate")
    p.add_argument("--rates", default="1000,2000,3000,4000")
    p.add_argument("--seconds", type=float, default=15)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("--out", required=True)
    p.add_argument("--date")
    p.add_argument("--wall")
    p.add_argument("--calibration")
    p.add_argument("--extra", help="markdown file appended at the end")
    p = sub.add_parser("plot")
    p.add_argument("results")
    p.add_argument("--scenario", default="lock-queue")
    p.add_argument("--all", action="store_true", help="one panel per scenario in one figure (for the README)")
    p.add_argument("--out", required=True)
    a = ap.parse_args()
    return {"run": cmd_run, "reanalyse": cmd_reanalyse, "calibrate": cmd_calibrate, "report": cmd_report, "plot": cmd_plot}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
