#!/bin/sh
# Builds the `strata` binary as released, the one the README's memory numbers are for:
#
#   scripts/build-release.sh        → .build-static/release/strata
#
# Six things keep its peak RSS low (see the README's Memory section):
#
# - The Swift runtime and Foundation are linked in statically, so the process maps only the
#   code it uses instead of whole shared libraries. libstdc++ too (the Swift runtime's C++
#   library): as a shared library its loading and static initialisers touched 1.4 MiB of it. The
#   toolchain's arguments for a static Swift runtime ask for `-lstdc++`, so a folder holding only
#   the static archive is put first on the library path.
# - `pack-relative-relocs` stores the binary's relocations as RELR (glibc 2.36 or later), which
#   the loader reads in a fraction of the pages.
# - `--no-export-dynamic`: the toolchain exports every public symbol of the package's modules
#   (7,800 of them) from the executable, and the loader reads their table and hash on every
#   symbol it binds. Nothing looks up a symbol of `strata` by name.
# - Every function is compiled into a section of its own (`-function-sections`, for the package
#   and its dependencies), so that the linker can move it. `-disable-incremental-llvm-codegen`:
#   otherwise the compiler keeps an object whose LLVM IR is unchanged, and the flag does not
#   change the IR, so the objects of an earlier build kept one `.text` each.
# - The functions that `migrate`, `info` and `status` run (on SQLite, then on PostgreSQL where a
#   server can start, and `lint`) are laid out next to each other: the
#   kernel maps code in 64 KiB blocks around each page touched, and 19 MB of code with the
#   used functions scattered over it costs several MiB more. The list is made here, from this
#   very build: a first link, a training run of those commands on about 100 migrations (enough for the
#   sorts' merge paths) under valgrind's callgrind, which names every function executed, then a
#   second link with that list, kept to the names the first link defines, as lld's symbol
#   ordering file. A name defined in several objects (a local helper
#   each emits) goes last: lld moves every section holding it, and one of them can be a library's
#   whole `.text`. The list never goes stale, and without valgrind the build still succeeds,
#   unordered, saying so. The toolchain's own libraries are only partly movable (libswiftCore
#   keeps most of its code in one 1.6 MB section).
# - Functions without a symbol (`.L` closures, destroyers, key path accessors: 24 KB in all)
#   cannot be named in that list, so `unnamed-code.ld` gathers them next to the ordered code.
#
# lld ships with the toolchain; gold warns that the static Foundation calls `mktemp`, which it
# does safely (O_CREAT|O_EXCL, retried, as its source explains); lld does not print glibc's
# link-time nags.
set -eu
cd "$(dirname "$0")/.."
scratch=.build-static
order="$scratch/strata.order"
archives="$PWD/$scratch/static-libstdc++"
mkdir -p "$archives"
libstdcxx=$(clang -print-file-name=libstdc++.a)
case "$libstdcxx" in
/*) ln -sf "$libstdcxx" "$archives/libstdc++.a" ;;
*) echo "build-release.sh: clang finds no libstdc++.a; install libstdc++-dev (the Swift toolchain's own dependency)" >&2; exit 1 ;;
esac
# The first link is not ordered: a list left by an earlier build may name functions gone since.
: >"$order"
unnamed="$PWD/$scratch/unnamed-code.ld"
printf 'SECTIONS { .text.unnamed : { *(.text..L*) } } INSERT BEFORE .text;\n' >"$unnamed"

# `--no-warn-symbol-ordering`: lld still warns about the copies of a function it discarded (one
# specialisation emitted by several objects), though the list names only functions defined.
build() {
    swift build -c release --product strata --scratch-path "$scratch" --static-swift-stdlib \
        -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
        -Xswiftc -Xfrontend -Xswiftc -disable-incremental-llvm-codegen -Xswiftc -L"$archives" \
        -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
        -Xlinker -T -Xlinker "$unnamed" -Xlinker --symbol-ordering-file="$order" \
        -Xlinker --no-warn-symbol-ordering "$@"
}

binary="$scratch/release/strata"
rm -f "$binary"
build "$@"
if ! command -v valgrind >/dev/null; then
    echo "build-release.sh: valgrind is not installed, so the code is not ordered (peak RSS 4-7 MiB higher); apt-get install valgrind" >&2
    exit 0
fi

training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
mkdir "$training/migrations"
printf 'CREATE TABLE books (id INTEGER PRIMARY KEY, title VARCHAR(200) NOT NULL, price NUMERIC(10,2),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);\nCREATE INDEX books_title ON books (title);\n' \
    >"$training/migrations/V1__create_books.sql"
printf "ALTER TABLE books ADD COLUMN isbn TEXT;\nINSERT INTO books (title, isbn, price) VALUES ('Dune', '0441013597', 9.99);\n" \
    >"$training/migrations/V2__add_isbn.sql"
printf 'CREATE VIEW titles AS SELECT title FROM books;\n' >"$training/migrations/V3__titles.sql"
i=4
while [ "$i" -le 100 ]; do
    printf 'CREATE TABLE t%d (id INTEGER PRIMARY KEY);\n' "$i" >"$training/migrations/V${i}__table_$i.sql"
    i=$((i + 1))
done
# An index on a table that an earlier run created: PostgreSQL's runs rewrite it.
printf 'CREATE INDEX books_isbn ON books (isbn);\n' >"$training/migrations/V101__index_isbn.sql"
# valgrind 3.19 cannot read the DWARF 5 debug information; the symbol table is all it needs.
objcopy --strip-debug "$binary" "$training/strata"
# One profile per run, numbered. A run's exit status does not matter (`lint` exits 1 on the
# training's findings): only the functions it executed do.
runs=0
profile() {
    runs=$((runs + 1))
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$training/profile.$runs" "$training/strata" "$@" >/dev/null 2>&1 || true
}
train() {
    profile "$@" --locations "$training/migrations" --url "sqlite:$training/training.db"
}
profile --version
train migrate
train migrate
train info
train status
train validate
# Then PostgreSQL (Strata's protocol client, the lint that `migrate` runs before applying, the
# rewrites) on a throwaway server where one can start, and `lint`: their functions follow the
# SQLite runs' in the order, together instead of scattered.
profile lint --locations "$training/migrations"
chmod 755 "$training"
if server=$(scripts/test-postgres.sh start "$training/postgres" 2>/dev/null); then
    socket=$(printf '%s\n' "$server" | sed -n 's/^PGTEST_SOCKET=//p')
    port=$(printf '%s\n' "$server" | sed -n 's/^PGTEST_PORT=//p')
    url="postgresql://postgres@/postgres?host=$socket&port=$port"
    profile migrate --target 100 --locations "$training/migrations" --url "$url"
    for command in migrate migrate info status validate; do
        profile "$command" --locations "$training/migrations" --url "$url"
    done
    scripts/test-postgres.sh stop "$training/postgres"
else
    echo "build-release.sh: no PostgreSQL server could start here, so its code is not ordered (its runs peak higher)" >&2
fi
# Every function the runs executed, each once, run by run (sorted within a run: callgrind writes
# them in no fixed order), kept to the code this binary defines (callgrind also names the shared
# libraries' functions, and marks a recursive call's frames with a `'2` suffix); names defined
# more than once after the others.
nm --defined-only "$binary" | awk '$2 ~ /^[tTwW]$/ { print $3 }' >"$training/defined"
for run in $(seq "$runs"); do
    sed -n 's/^c\{0,1\}fn=([0-9]*) //p' "$training/profile.$run" | sed "s/'[0-9]*\$//" | LC_ALL=C sort -u
done | awk '!seen[$0]++' >"$training/executed"
awk 'NR == FNR { count[$0]++; next } count[$0] == 1' "$training/defined" "$training/executed" >"$order"
awk 'NR == FNR { count[$0]++; next } count[$0] > 1' "$training/defined" "$training/executed" >>"$order"
rm -f "$binary"
build "$@"
