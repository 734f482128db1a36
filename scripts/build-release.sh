#!/bin/sh
# Builds the `strata` binary as released: the Swift runtime and Foundation linked in
# statically, so the process maps only the code it uses (peak RSS of `strata --version`:
# 13.7 MiB dynamically linked, 10.0 MiB this way; see the README's Performance section).
#
#   scripts/build-release.sh        → .build-static/release/strata
#
# lld, which ships with the toolchain: gold warns that the static Foundation calls `mktemp`,
# which it does safely (O_CREAT|O_EXCL, retried, as its source explains); lld does not print
# glibc's link-time nags. `pack-relative-relocs` stores the binary's relocations as RELR
# (glibc 2.36 or later), which the loader reads in a fraction of the pages.
set -eu
cd "$(dirname "$0")/.."
exec swift build -c release --product strata --scratch-path .build-static --static-swift-stdlib \
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs "$@"
