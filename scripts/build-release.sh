#!/bin/sh
# Builds the `strata` binary as released, the one the README's memory numbers are for:
#
#   scripts/build-release.sh        → .build-static/release/strata
#
# Three things keep its peak RSS low (see the README's Memory section):
#
# - The Swift runtime and Foundation are linked in statically, so the process maps only the
#   code it uses instead of whole shared libraries.
# - `pack-relative-relocs` stores the binary's relocations as RELR (glibc 2.36 or later), which
#   the loader reads in a fraction of the pages.
# - The functions that `migrate`, `info` and `status` run are laid out next to each other: the
#   kernel maps code in 64 KiB blocks around each page touched, and 11 MB of code with the used
#   functions scattered over it costs several MiB more. The list is made here, from this very
#   build: a first link, a training run of those commands on a few migrations under valgrind's
#   callgrind (which names every function executed), then a second link with that list as lld's
#   symbol ordering file. The list never goes stale, and without valgrind the build still
#   succeeds, unordered, saying so.
#
# lld ships with the toolchain; gold warns that the static Foundation calls `mktemp`, which it
# does safely (O_CREAT|O_EXCL, retried, as its source explains); lld does not print glibc's
# link-time nags.
set -eu
cd "$(dirname "$0")/.."
scratch=.build-static
order="$scratch/strata.order"
mkdir -p "$scratch"
[ -f "$order" ] || : >"$order"

build() {
    swift build -c release --product strata --scratch-path "$scratch" --static-swift-stdlib \
        -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
        -Xlinker --symbol-ordering-file="$order" -Xlinker --no-warn-symbol-ordering "$@"
}

build "$@"
binary="$scratch/release/strata"
if ! command -v valgrind >/dev/null; then
    echo "build-release.sh: valgrind is not installed, so the code is not ordered (peak RSS 1-2 MiB higher); apt-get install valgrind" >&2
    exit 0
fi

training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
mkdir "$training/migrations"
printf 'CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL);\nCREATE INDEX books_title ON books (title);\n' \
    >"$training/migrations/V1__create_books.sql"
printf "ALTER TABLE books ADD COLUMN isbn TEXT;\nINSERT INTO books (title, isbn) VALUES ('Dune', '0441013597');\n" \
    >"$training/migrations/V2__add_isbn.sql"
printf 'CREATE VIEW titles AS SELECT title FROM books;\n' >"$training/migrations/V3__titles.sql"
# valgrind 3.19 cannot read the DWARF 5 debug information; the symbol table is all it needs.
objcopy --strip-debug "$binary" "$training/strata"
train() {
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$training/profile.%p" \
        "$training/strata" "$@" --locations "$training/migrations" --url "sqlite:$training/training.db" >/dev/null 2>&1
}
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$training/profile.%p" "$training/strata" --version >/dev/null 2>&1
train migrate
train migrate
train info
train status
train validate
# Every function name the runs executed, each once, in the order first seen.
sed -n 's/^c\{0,1\}fn=([0-9]*) //p' "$training"/profile.* | awk '!seen[$0]++' >"$order.new"
mv "$order.new" "$order"
rm -f "$binary"
build "$@"
