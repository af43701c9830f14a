#!/usr/bin/env bash
# Benchmark: `hookbridge convert` against the floor (examples/floor.rs: the same
# loader and emitter, parse + write, no conversion). See bench/README.md.
#
# Usage: bench/run.sh [--all] [INPUT...]
#   INPUT   documents to benchmark (default: GitHub's api.github.com.json, 4.8 MB)
#   --all   also run the extra scenarios in ALL_SCENARIOS below
# Environment:
#   BENCH_RUNS=5                 timed runs per command, format and input (plus one untimed warm-up)
#   HOOKBRIDGE_NPM_CORPUS=target/npm-corpus   where fetch-npm-corpus.sh puts the npm corpus
#   BENCH_CALLGRIND=1            also count instructions (valgrind --tool=callgrind, one run per
#                                cell): a load-independent ratio; profiles kept in target/bench/callgrind/
#   CARGO_TARGET_DIR             honoured when locating the binaries
#   BENCH_NICE=-10               run in a session of its own whose scheduling group has this nice
#                                value (root for a negative one; as bench/batch.sh): on a machine
#                                shared by other sessions it keeps their load out of the timings
# Output: a table on stdout, PASS/FAIL per target, and target/bench/results.json.
# Exit status: 0 whether or not the targets are met; non-zero only if the build,
# the corpus fetch or a benchmarked command fails.
set -euo pipefail
if [ -n "${BENCH_NICE:-}" ] && [ -z "${BENCH_NICED:-}" ]; then
  exec env BENCH_NICED=1 setsid bash -c 'echo "$BENCH_NICE" > /proc/$$/autogroup && exec "$0" "$@"' "$0" "$@"
fi

# Resolve INPUT paths against the caller's directory before moving to the repo root.
all=0
inputs=()
for arg in "$@"; do
  case $arg in
    --all) all=1 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench/run.sh: unknown option $arg" >&2; exit 2 ;;
    *) [ -f "$arg" ] || { echo "bench/run.sh: no such file: $arg" >&2; exit 2; }
       inputs+=("$(realpath "$arg")") ;;
  esac
done

cd "$(dirname "$0")/.."
corpus=${HOOKBRIDGE_NPM_CORPUS:-target/npm-corpus}
target_dir=${CARGO_TARGET_DIR:-target}
runs=${BENCH_RUNS:-5}
case $runs in '' | *[!0-9]* | 0) echo "bench/run.sh: BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac

default_input="$corpus/octokit-openapi-webhooks/api.github.com.json"
# Extra scenarios for --all; add lines here as the corpus grows (see bench/README.md).
ALL_SCENARIOS=(
  "$corpus/octokit-openapi-webhooks/ghec.json"       # 4.9 MB JSON, 282 webhooks (GitHub Enterprise Cloud)
  "../shared/corpus/lithic-openapi/lithic-openapi.yml" # 1.1 MB YAML, the largest YAML in the corpus
)

if [ ${#inputs[@]} -eq 0 ]; then
  inputs=("$default_input")
fi
if [ $all -eq 1 ]; then
  inputs+=("${ALL_SCENARIOS[@]}")
fi

# Fetch the npm corpus if a scenario needs it and it is missing.
for f in "${inputs[@]}"; do
  if [ ! -f "$f" ] && [[ $f == "$corpus"/* ]]; then
    echo "== fetching the npm corpus into $corpus" >&2
    ../shared/corpus/fetch-npm-corpus.sh "$corpus" >&2
    break
  fi
done
for f in "${inputs[@]}"; do
  [ -f "$f" ] || { echo "bench/run.sh: input missing: $f" >&2; exit 2; }
done

echo "== cargo build --release --bin hookbridge --example floor" >&2
cargo build --release --bin hookbridge --example floor >&2

if [ "${BENCH_CALLGRIND:-0}" = 1 ] && ! command -v valgrind >/dev/null; then
  echo "bench/run.sh: BENCH_CALLGRIND=1 needs valgrind" >&2; exit 2
fi

mkdir -p target/bench
export BENCH_RUNS=$runs
exec python3 - "$target_dir/release/hookbridge" "$target_dir/release/examples/floor" "${inputs[@]}" <<'PY'
import datetime, json, os, platform, statistics, subprocess, sys, time

TIME_TARGET = 1.25  # convert median wall time <= 1.25 x floor median
RSS_TARGET = 2.0    # convert max peak RSS      <= 2 x floor max peak RSS

hookbridge, floor, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = int(os.environ["BENCH_RUNS"])
callgrind = os.environ.get("BENCH_CALLGRIND", "0") == "1"
cgdir = os.path.join("target", "bench", "callgrind")
outdir = os.path.join("target", "bench", "out")
os.makedirs(outdir, exist_ok=True)


sys.path.insert(0, "bench")
from measure import measure  # noqa: E402


def instructions(argv, out_file):
    """Instructions executed (callgrind's Ir total) by one run of argv."""
    os.makedirs(cgdir, exist_ok=True)
    cg = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
    r = subprocess.run(cg + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: callgrind of {' '.join(argv)} exited {r.returncode}\n{r.stderr[-2000:]}")
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    sys.exit(f"bench: no instruction count in callgrind's output for {' '.join(argv)}")


def summary(samples):
    walls = [w for w, _, _ in samples]
    return {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "median_cpu_s": statistics.median(c for _, c, _ in samples),
        "max_rss_kib": max(r for _, _, r in samples),
        "runs": [{"wall_s": round(w, 6), "cpu_s": round(c, 6), "rss_kib": r} for w, c, r in samples],
    }


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_rev():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except OSError:
        return "unknown"


results = {
    "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    "git": git_rev(),
    "host": {"cpus": os.cpu_count(), "cpu": cpu_model(), "kernel": platform.release(), "loadavg_start": os.getloadavg()},
    "runs": runs,
    "targets": {"time_ratio_max": TIME_TARGET, "rss_ratio_max": RSS_TARGET},
    "callgrind": callgrind,
    "scenarios": [],
}

for path in inputs:
    name = os.path.basename(path)
    size = os.path.getsize(path)
    for fmt in ("json", "yaml"):
        out_c = os.path.join(outdir, f"{name}.convert.{fmt}")
        out_f = os.path.join(outdir, f"{name}.floor.{fmt}")
        cmd_c = [hookbridge, "convert", path, "-o", out_c, "--format", fmt]
        cmd_f = [floor, path, out_f, "--format", fmt]
        print(f"== {name} ({size / 1e6:.1f} MB) -> {fmt}: 1 warm-up + {runs} runs each", file=sys.stderr)
        measure(cmd_c), measure(cmd_f)  # warm the page cache and the binaries
        conv, flr = [], []
        for i in range(runs):  # alternate, and swap the order every round
            pair = [(cmd_c, conv), (cmd_f, flr)]
            for cmd, acc in (pair if i % 2 == 0 else pair[::-1]):
                acc.append(measure(cmd))
        c, f = summary(conv), summary(flr)
        c["output_bytes"], f["output_bytes"] = os.path.getsize(out_c), os.path.getsize(out_f)
        if callgrind:
            print(f"== {name} -> {fmt}: counting instructions under callgrind", file=sys.stderr)
            c["instructions"] = instructions(cmd_c, os.path.join(cgdir, f"{name}.{fmt}.convert.cg"))
            f["instructions"] = instructions(cmd_f, os.path.join(cgdir, f"{name}.{fmt}.floor.cg"))
        t_ratio = c["median_s"] / f["median_s"]
        m_ratio = c["max_rss_kib"] / f["max_rss_kib"]
        results["scenarios"].append({
            "input": path, "input_bytes": size, "format": fmt,
            "convert": c, "floor": f,
            "time_ratio": round(t_ratio, 3), "rss_ratio": round(m_ratio, 3),
            "cpu_ratio": round(c["median_cpu_s"] / f["median_cpu_s"], 3),
            "instructions_ratio": round(c["instructions"] / f["instructions"], 3) if callgrind else None,
            "time_pass": t_ratio <= TIME_TARGET, "rss_pass": m_ratio <= RSS_TARGET,
        })
results["host"]["loadavg_end"] = os.getloadavg()

with open(os.path.join("target", "bench", "results.json"), "w") as fh:
    json.dump(results, fh, indent=2)
    fh.write("\n")

h = results["host"]
print(f"hookbridge bench  {results['date']}  git {results['git']}  {h['cpus']} CPUs ({h['cpu']})")
print(f"{runs} runs per cell; load average {h['loadavg_start'][0]:.2f} at start, {h['loadavg_end'][0]:.2f} at end")
if max(h["loadavg_start"][0], h["loadavg_end"][0]) > h["cpus"]:
    print("WARNING: the machine was busy (load average above the CPU count): wall times are noisy;"
          " the cpu column (user + system) is steadier")
print()
hdr = (f"{'input':<26} {'fmt':<4} {'command':<8} {'median s':>9} {'min s':>8} {'cpu s':>7}"
       f" {'max RSS MiB':>12} {'output MB':>10}")
print(hdr)
print("-" * len(hdr))
for s in results["scenarios"]:
    for label in ("convert", "floor"):
        r = s[label]
        print(f"{os.path.basename(s['input'])[:26]:<26} {s['format']:<4} {label:<8} {r['median_s']:>9.3f} {r['min_s']:>8.3f}"
              f" {r['median_cpu_s']:>7.3f} {r['max_rss_kib'] / 1024:>12.1f} {r['output_bytes'] / 1e6:>10.2f}")
print()
print(f"targets: convert/floor median time <= {TIME_TARGET}x, max peak RSS <= {RSS_TARGET}x")
hdr = f"{'input':<26} {'fmt':<4} {'time ratio':>10} {'':<4} {'RSS ratio':>10} {'':<4} {'(cpu ratio)':>11}"
if callgrind:
    hdr += f" {'(Ir ratio)':>10} {'convert Ir':>14} {'floor Ir':>14}"
print(hdr)
print("-" * len(hdr))
failed = 0
for s in results["scenarios"]:
    tp = "PASS" if s["time_pass"] else "FAIL"
    mp = "PASS" if s["rss_pass"] else "FAIL"
    failed += (not s["time_pass"]) + (not s["rss_pass"])
    line = (f"{os.path.basename(s['input'])[:26]:<26} {s['format']:<4} {s['time_ratio']:>9.2f}x {tp:<4}"
            f" {s['rss_ratio']:>9.2f}x {mp:<4} {s['cpu_ratio']:>10.2f}x")
    if callgrind:
        line += (f" {s['instructions_ratio']:>9.2f}x {s['convert']['instructions']:>14,}"
                 f" {s['floor']['instructions']:>14,}")
    print(line)
print()
print("OVERALL:", "PASS" if failed == 0 else f"FAIL ({failed} target(s) missed)")
print("results: target/bench/results.json" + (f"; profiles: {cgdir}/ (callgrind_annotate --inclusive=yes FILE)" if callgrind else ""))
PY
