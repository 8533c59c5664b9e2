#!/usr/bin/env bash
# Runs the crate's wasm-bindgen tests compiled to wasm32, under node (wasm-bindgen-test-runner):
# the library's unit tests and those integration tests in crate/tests/ that use
# wasm_bindgen_test. The runner runs only #[wasm_bindgen_test] functions, so native-only
# integration tests are not compiled for wasm. Doc tests do not build for wasm here
# (`make test-native` runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

targets=(--lib)
for f in crate/tests/*.rs; do
  if [ -f "$f" ] && grep -q 'wasm_bindgen_test' "$f"; then targets+=(--test "$(basename "$f" .rs)"); fi
done
command -v wasm-bindgen-test-runner >/dev/null ||
  { echo "test-wasm: wasm-bindgen-test-runner not found (run scripts/install.sh)" >&2; exit 1; }

CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  wasm_cargo test -p paxoscope "${targets[@]}" "$@"
