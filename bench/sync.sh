#!/usr/bin/env bash
# Benchmark: what the durable write of `convert -o FILE` costs (a temporary file beside FILE,
# `fsync`, rename): the same conversion to standard output, to a file on the disk and to a file
# on a tmpfs (where `fsync` costs nothing). See bench/README.md, "The durable write".
#
# Usage: bench/sync.sh [INPUT]
#   INPUT  default: GitHub's api.github.com.json from the npm corpus
# Environment:
#   BENCH_RUNS=15   timed runs per variant (after one untimed warm-up each), interleaved
#   BENCH_DISK=target/bench/sync-out   folder on the disk; BENCH_TMPFS=/dev/shm/hb-sync
# Output: a table on stdout (median and minimum wall, median CPU, each variant's median minus
# standard output's). Exit status 0 unless the build or a run fails.
set -euo pipefail
[ "${1:-}" = -h ] || [ "${1:-}" = --help ] && { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
input=${1:-${HOOKBRIDGE_NPM_CORPUS:-target/npm-corpus}/octokit-openapi-webhooks/api.github.com.json}
input=$(realpath -m "$input")
cd "$(dirname "$0")/.."
[ -f "$input" ] || { echo "bench/sync.sh: no input at $input" >&2; exit 2; }
target_dir=${CARGO_TARGET_DIR:-target}
echo "== cargo build --release --bin hookbridge" >&2
cargo build --release --bin hookbridge >&2
disk=${BENCH_DISK:-target/bench/sync-out}
tmpfs=${BENCH_TMPFS:-/dev/shm/hb-sync}
mkdir -p "$disk" "$tmpfs"

exec python3 - "$target_dir/release/hookbridge" "$input" "$disk" "$tmpfs" <<'PY'
import os, statistics, sys
sys.path.insert(0, "bench")
from measure import measure

binary, src, disk, tmpfs = sys.argv[1:5]
runs = int(os.environ.get("BENCH_RUNS", "15"))
variants = {
    "stdout": [binary, "convert", src],
    "-o disk": [binary, "convert", src, "-o", os.path.join(disk, "out.json")],
    "-o tmpfs": [binary, "convert", src, "-o", os.path.join(tmpfs, "out.json")],
}
for argv in variants.values():
    measure(argv)  # warm-up
got = {k: [] for k in variants}
for i in range(runs):
    order = list(variants) if i % 2 == 0 else list(reversed(variants))
    for k in order:
        got[k].append(measure(variants[k]))
print(f"input: {src}; {runs} runs each; load average {os.getloadavg()[0]:.1f}")
print(f"{'variant':10} {'median s':>9} {'min s':>7} {'cpu s':>7} {'+ wall vs stdout':>17}")
base = statistics.median(w for w, _, _ in got["stdout"])
for k, rs in got.items():
    wall = statistics.median(w for w, _, _ in rs)
    print(f"{k:10} {wall:9.3f} {min(w for w, _, _ in rs):7.3f} "
          f"{statistics.median(c for _, c, _ in rs):7.3f} {wall - base:+17.3f}")
PY
