#!/usr/bin/env bash
# Runs the crate's tests compiled to wasm32 under node (wasm-bindgen-test-runner):
# the library's unit tests and every integration test in crate/tests/. Not the CLI binary
# (native-only), not doc tests (they do not build for wasm here; `make test-native` runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

targets=(--lib)
if compgen -G 'crate/tests/*.rs' >/dev/null; then targets+=(--test '*'); fi
command -v wasm-bindgen-test-runner >/dev/null ||
  { echo "test-wasm: wasm-bindgen-test-runner not found (run scripts/install.sh)" >&2; exit 1; }

CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  wasm_cargo test -p paxoscope "${targets[@]}" "$@"
