#!/usr/bin/env bash
# Benchmark: does conversion grow linearly with the document? Converts 1x, 2x, 4x and 8x
# copies of a generated document both ways (OpenAPI -> AsyncAPI with --include-paths, then
# that AsyncAPI back to OpenAPI) and checks that 8x costs at most 9x the time and the peak
# memory of 1x. See bench/README.md ("Scaling").
#
# Usage: bench/scale.sh [SAMPLE]
#   SAMPLE  OpenAPI document copied (default samples/openapi/callbacks-31.yaml: paths,
#           webhooks, callbacks and components; YAML samples need PyYAML)
# Environment:
#   BENCH_COPIES=200   copies of SAMPLE in the 1x document (8x has 8 times as many)
#   BENCH_RUNS=3       timed runs per direction and size (the median is reported)
#   BENCH_BIN=PATH     the hookbridge binary to time (default: build target/release/hookbridge)
# Output: a table on stdout, PASS/FAIL per ratio, and target/bench/scale/results.json.
# Exit status: 0 whether or not the targets are met; non-zero if a command fails.
set -euo pipefail

sample=${1:-samples/openapi/callbacks-31.yaml}
[ -f "$sample" ] || { echo "bench/scale.sh: no such file: $sample" >&2; exit 2; }
sample=$(realpath "$sample")
cd "$(dirname "$0")/.."
if [ -z "${BENCH_BIN:-}" ]; then
  cargo build --release --bin hookbridge >&2
  BENCH_BIN=${CARGO_TARGET_DIR:-target}/release/hookbridge
fi

SAMPLE=$sample BENCH_BIN=$BENCH_BIN python3 - <<'PY'
import copy, json, os, statistics, subprocess, sys, time

sample = os.environ["SAMPLE"]
binary = os.environ["BENCH_BIN"]
copies = int(os.environ.get("BENCH_COPIES", "200"))
runs = int(os.environ.get("BENCH_RUNS", "3"))
outdir = os.path.join("target", "bench", "scale")
os.makedirs(outdir, exist_ok=True)

with open(sample) as f:
    if sample.endswith(".json"):
        base = json.load(f)
    else:
        import yaml  # PyYAML, for YAML samples only
        base = yaml.safe_load(f)

# Named by `$ref` (so renamed per copy); security schemes are named by requirements, so shared.
RENAMED = {k for k in base.get("components", {}) if k != "securitySchemes"}


def renamed(v, i):
    """A copy of v whose component references and operationIds carry the copy's suffix."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == "$ref" and isinstance(x, str) and x.startswith("#/components/"):
                parts = x.split("/")
                if len(parts) >= 4 and parts[2] in RENAMED:
                    parts[3] = f"{parts[3]}-c{i}"
                out[k] = "/".join(parts)
            elif k == "operationId" and isinstance(x, str):
                out[k] = f"{x}-c{i}"
            else:
                out[k] = renamed(x, i)
        return out
    if isinstance(v, list):
        return [renamed(x, i) for x in v]
    return v


def multiplied(n):
    doc = {k: copy.deepcopy(v) for k, v in base.items() if k not in ("paths", "webhooks", "components")}
    paths, hooks, comps = {}, {}, {}
    for i in range(n):
        for p, item in base.get("paths", {}).items():
            paths[f"/c{i}{p}"] = renamed(item, i)
        for name, item in base.get("webhooks", {}).items():
            hooks[f"{name}-c{i}"] = renamed(item, i)
        for section, entries in base.get("components", {}).items():
            slot = comps.setdefault(section, {})
            for name, v in entries.items():
                if section in RENAMED:
                    slot[f"{name}-c{i}"] = renamed(v, i)
                elif i == 0:
                    slot[name] = v
    for key, value in (("paths", paths), ("webhooks", hooks), ("components", comps)):
        if key in base:
            doc[key] = value
    return doc


sys.path.insert(0, "bench")
from measure import measure  # noqa: E402


# Generous limits: the 8x AsyncAPI output may pass the default node limit.
LIMITS = ["--max-bytes", str(1 << 31), "--max-nodes", str(10**9)]
results = []
for m in (1, 2, 4, 8):
    src = os.path.join(outdir, f"openapi-{m}x.json")
    mid = os.path.join(outdir, f"asyncapi-{m}x.json")
    back = os.path.join(outdir, f"back-{m}x.json")
    doc = multiplied(copies * m)
    with open(src, "w") as f:
        json.dump(doc, f, indent=2)
    cells = {
        "forward": [binary, "convert", "--include-paths", src, "-o", mid] + LIMITS,
        "reverse": [binary, "convert", mid, "-o", back] + LIMITS,
    }
    for direction, argv in cells.items():
        samples = [measure(argv) for _ in range(runs)]
        results.append({
            "size": m,
            "direction": direction,
            "input_bytes": os.path.getsize(src if direction == "forward" else mid),
            "wall_s": statistics.median(s[0] for s in samples),
            "cpu_s": statistics.median(s[1] for s in samples),
            "rss_kib": max(s[2] for s in samples),
            "runs": samples,
        })
    with open(back) as f:
        exact = json.load(f) == doc
    results[-1]["back_equals_input"] = exact
    if not exact:
        print(f"WARNING: {m}x: the reverse output differs from the generated input", file=sys.stderr)

print(f"{'direction':9} {'size':>4} {'input MB':>9} {'wall s':>8} {'cpu s':>8} {'max RSS MiB':>12}")
for r in results:
    print(f"{r['direction']:9} {r['size']:>3}x {r['input_bytes'] / 1e6:9.2f} {r['wall_s']:8.3f} "
          f"{r['cpu_s']:8.3f} {r['rss_kib'] / 1024:12.1f}")
failed = 0
checks = []
for direction in ("forward", "reverse"):
    one = next(r for r in results if r["direction"] == direction and r["size"] == 1)
    eight = next(r for r in results if r["direction"] == direction and r["size"] == 8)
    for what, key in (("cpu time", "cpu_s"), ("peak RSS", "rss_kib"), ("wall time", "wall_s")):
        ratio = eight[key] / one[key]
        checked = key != "wall_s"  # wall time follows the machine's load: shown, not checked
        ok = ratio <= 9
        failed += checked and not ok
        verdict = ("PASS" if ok else "FAIL") if checked else "(info)"
        print(f"{direction:9} 8x/1x {what:9} {ratio:6.2f}x {verdict}")
        checks.append({"direction": direction, "what": what, "ratio": ratio, "checked": checked, "pass": ok})
print("OVERALL: PASS" if failed == 0 else f"OVERALL: FAIL ({failed} ratio(s) over 9)")
rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
with open(os.path.join(outdir, "results.json"), "w") as f:
    json.dump({"sample": sample, "copies": copies, "binary": binary, "git": rev,
               "load_average": os.getloadavg(), "results": results, "checks": checks}, f, indent=2)
PY
