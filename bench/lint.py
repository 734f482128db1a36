#!/usr/bin/env python3
"""`strata lint` beside squawk (PyPI squawk-cli) on the rule corpus and on 10,000 statements.
Prints two markdown tables: which corpus statements each tool flags, and the wall time of one
run of each over the same 10,000-statement file.

    bench/lint.py [--statements N]        (default N=10000)

The corpus is Tests/Fixtures/lint/<rule>/{bad,good}.sql, each file linted on its own by both
tools (no before.sql, so neither knows the column types an earlier migration set). Strata runs
a migration in a transaction unless its header says `-- strata:transaction=false`, so squawk is
given `--assume-in-transaction` for the others; both lint for PostgreSQL 15.

A statement counts as dangerous when squawk flags it with a rule about locks, rewrites, scans
or breaking clients; its rules about process and style (timeouts set in the file, IF NOT EXISTS,
int rather than bigint in any column, serial rather than identity, enum value order, explicit
BEGIN/COMMIT) are listed but not counted, since Strata covers them elsewhere (`migrate` sets
lock_timeout and retries) or not at all. The script exits 1 when Strata misses a dangerous one.

squawk is found as $SQUAWK_BIN, /tmp/peers-venv/bin/squawk (../shared/bench/setup-peers.sh) or
on PATH; strata as $STRATA_BIN or the release build, which is made when missing.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from sqlite import strata_binary  # noqa: E402

CORPUS = os.path.join(ROOT, "Tests", "Fixtures", "lint")
NOT_COUNTED = {
    "require-lock-timeout", "require-statement-timeout", "require-timeout-settings", "prefer-robust-stmts",
    "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity", "require-enum-value-ordering",
    "transaction-nesting",
}

# Statements squawk flags that are not dangerous, each with the reason; shown, not counted as missed.
NOT_DANGEROUS = {
    "alter-column-type/good.sql:2": "varchar to text is binary-coercible: no rewrite (measured by `lint --measure`)",
    "drop-column/good.sql:2": "the table is created earlier in the same migration: no client uses it yet",
    "drop-table/good.sql:2": "the table is created earlier in the same migration: no client uses it yet",
    "rename-table/good.sql:2": "the table is created earlier in the same migration: no client uses it yet",
    "set-not-null/good.sql:5": "drops the helper CHECK after SET NOT NULL, the last step of the safe rewrite",
    "unused-ignore/good.sql:2": "Strata flags it (drop-table); the file's `-- strata:lint-ignore drop-table` accepts it",
}


def squawk_binary():
    for candidate in (os.environ.get("SQUAWK_BIN"), "/tmp/peers-venv/bin/squawk", shutil.which("squawk")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("squawk not found: run ../shared/bench/setup-peers.sh or set SQUAWK_BIN")


def statement_lines(path):
    """The 1-based first line of each statement: a statement ends at a line ending in `;`."""
    starts, open_statement = [], False
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            text = line.strip()
            if not open_statement and text and not text.startswith("--"):
                starts.append(number)
                open_statement = True
            if open_statement and text.endswith(";"):
                open_statement = False
    return starts


def statement_at(starts, line):
    return max((start for start in starts if start <= line), default=line)


def transactional(path):
    with open(path, encoding="utf-8") as file:
        return "strata:transaction=false" not in file.read()


def squawk_findings(squawk, paths):
    """{(path, statement line): {rules}}, squawk told which files run in a transaction."""
    found = {}
    for in_transaction in (True, False):
        group = [path for path in paths if transactional(path) == in_transaction]
        if not group:
            continue
        flags = ["--reporter", "json", "--pg-version", "15"] + (["--assume-in-transaction"] if in_transaction else [])
        run = subprocess.run([squawk, *flags, *group], capture_output=True, text=True)
        for item in json.loads(run.stdout or "[]"):
            path = item["file"]
            line = statement_at(statement_lines(path), item["line"] + 1)
            found.setdefault((path, line), set()).add(item["rule_name"])
    return found


def strata_findings(strata, paths, work):
    """{(path, statement line): {rules}}, each file linted on its own."""
    found = {}
    for path in paths:
        run = subprocess.run([strata, "lint", "--json", path], capture_output=True, text=True, cwd=work)
        if run.returncode not in (0, 1):
            sys.exit(f"strata lint {path} failed: {run.stderr}")
        starts = statement_lines(path)
        for finding in json.loads(run.stdout)["findings"]:
            found.setdefault((path, statement_at(starts, finding["line"])), set()).add(finding["rule"])
    return found


def corpus_table(squawk, strata, work):
    paths = sorted(glob.glob(os.path.join(CORPUS, "*", "bad.sql")) + glob.glob(os.path.join(CORPUS, "*", "good.sql")))
    by_squawk, by_strata = squawk_findings(squawk, paths), strata_findings(strata, paths, work)
    rows, missed, counts = [], [], {"squawk": 0, "strata": 0, "both": 0}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            lines = file.read().split("\n")
        for start in statement_lines(path):
            key = (path, start)
            squawk_rules, strata_rules = by_squawk.get(key, set()), by_strata.get(key, set())
            dangerous = squawk_rules - NOT_COUNTED
            if not squawk_rules and not strata_rules:
                continue
            name = f"{os.path.relpath(path, CORPUS)}:{start}"
            reason = NOT_DANGEROUS.get(name) if dangerous and not strata_rules else None
            dangerous = set() if reason else dangerous
            counts["squawk"] += bool(dangerous)
            counts["strata"] += bool(strata_rules)
            counts["both"] += bool(dangerous) and bool(strata_rules)
            if dangerous and not strata_rules:
                missed.append(name)
            shown = ", ".join(sorted(dangerous) + [f"({rule})" for rule in sorted(squawk_rules & NOT_COUNTED)])
            if reason:
                shown = ", ".join(sorted(squawk_rules - NOT_COUNTED)) + f" — not dangerous: {reason}"
            text = lines[start - 1].strip()
            rows.append(f"| `{name}` | `{text[:60]}{'…' if len(text) > 60 else ''}` "
                        f"| {shown or '—'} | {', '.join(sorted(strata_rules)) or '—'} |")
    print("| statement | SQL | squawk (not counted in brackets) | strata |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(f"Statements squawk flags as dangerous: {counts['squawk']}; Strata flags: {counts['strata']}; "
          f"dangerous ones Strata also flags: {counts['both']}; missed by Strata: {len(missed)} {missed or ''}")
    return missed


def speed_file(count, work):
    """`count` statements: the corpus's bad.sql statements over and over, in one file."""
    pool = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*", "bad.sql"))):
        if "syntax-error" in path:
            continue
        with open(path, encoding="utf-8") as file:
            text = "\n".join(line for line in file.read().split("\n") if not line.strip().startswith("--"))
        pool += [statement.strip() + ";" for statement in text.split(";") if statement.strip()]
    statements = [pool[index % len(pool)] for index in range(count)]
    out = os.path.join(work, f"statements-{count}.sql")
    with open(out, "w", encoding="utf-8") as file:
        file.write("\n".join(statements) + "\n")
    return out


def timed(command, work):
    start = time.perf_counter()
    subprocess.run(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    args = sys.argv[1:]
    count = int(args[args.index("--statements") + 1]) if "--statements" in args else 10_000
    squawk, strata = squawk_binary(), strata_binary()
    work = tempfile.mkdtemp(prefix="strata-lint-bench-")
    try:
        version = subprocess.run([squawk, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{version}; strata {strata}\n")
        missed = corpus_table(squawk, strata, work)
        path = speed_file(count, work)
        squawk_seconds = timed([squawk, "--reporter", "json", "--pg-version", "15", path], work)
        strata_seconds = timed([strata, "lint", "--json", path], work)
        print()
        print(f"| {count:,} statements, one run, wall time | seconds |")
        print("|---|---|")
        print(f"| squawk --reporter json | {squawk_seconds:.2f} |")
        print(f"| strata lint --json | {strata_seconds:.2f} |")
        return 1 if missed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
