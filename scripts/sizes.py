#!/usr/bin/env python3
"""Layout limits (issue 15): source files over MAX_FILE lines and functions over MAX_FN lines.

    python3 scripts/sizes.py          # lists offenders, exit 1 if any
Relies on rustfmt layout: a function's closing brace sits at the indentation of its `fn` line.
Test modules (`mod tests`) count toward the file but their functions are not checked.
"""
import pathlib, re, sys

MAX_FILE, MAX_FN = 800, 150
FN = re.compile(r'^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)')
root = pathlib.Path(__file__).resolve().parent.parent / "src"
bad = []
for path in sorted(root.rglob("*.rs")):
    lines = path.read_text().splitlines()
    code = len(lines)
    total = len(lines)
    for i, l in enumerate(lines):
        if re.match(r'^(#\[cfg\(test\)\]|mod tests)', l):
            code = i
            break
    if total > MAX_FILE:
        bad.append(f"{path.relative_to(root.parent)}: {total} lines > {MAX_FILE} (tests included: move big test modules to a tests.rs beside)")
    for i, l in enumerate(lines[:code]):
        m = FN.match(l)
        if not m or l.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for j in range(i + 1, code):
            if lines[j] == indent + "}":
                if j - i + 1 > MAX_FN:
                    bad.append(f"{path.relative_to(root.parent)}:{i+1}: fn {m.group(6)} {j-i+1} lines > {MAX_FN}")
                break
print("\n".join(bad) if bad else f"all files <= {MAX_FILE} lines, all functions <= {MAX_FN} lines")
sys.exit(1 if bad else 0)
