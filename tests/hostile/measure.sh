#!/bin/sh
# Time and peak memory of every hostile case (tests/hostile.rs) through the release binary.
#
#   tests/hostile/measure.sh [TABLE.md]     (default: target/hostile-table.md)
#
# Each case runs once more under /usr/bin/time (wall time, max RSS of the hookbridge
# process); the Markdown table is printed and kept. The budget per case is 5 s and 256 MiB
# (docs/limits.md). The test itself asserts no timings: CI machines are too noisy for that.
set -eu
cd "$(dirname "$0")/../.."
table=${1:-target/hostile-table.md}
case $table in /*) ;; *) table="$PWD/$table" ;; esac
mkdir -p "$(dirname "$table")"
HOOKBRIDGE_HOSTILE_TABLE="$table" cargo test --release --test hostile -- --test-threads=1
cat "$table"
awk -F'|' 'NR > 2 && ($4 + 0 > 5 || $5 + 0 > 256) { bad = 1; print "OVER BUDGET:" $0 }
           END { exit bad }' "$table"
