#!/usr/bin/env bash
# Builds the crate for the browser and assembles the static site:
#   cargo (wasm32, route chosen in scripts/wasm-env.sh) -> wasm-bindgen --target web -> www/pkg/
#   -> wasm-opt -Oz (in place) -> dist/ (the embedding kit: the module, the wasm, frame.html).
# Skips cargo/bind/opt when www/pkg is newer than every crate source, Cargo.toml and
# Cargo.lock (FORCE=1 rebuilds anyway). dist/ is re-assembled every time (cheap).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

# One build at a time: concurrent runs (make targets, several shells) share the scratch dir.
mkdir -p target
exec 9>target/.build-wasm.lock
flock 9

crate=paxoscope
pkg=www/pkg
out=$pkg/${crate}_bg.wasm
t0=$SECONDS

stale() {
  [ "${FORCE:-0}" = 1 ] && return 0
  [ -f "$out" ] && [ -f "$pkg/$crate.js" ] || return 0
  [ -n "$(find crate Cargo.toml Cargo.lock scripts/build-wasm.sh scripts/wasm-env.sh \
            -newer "$out" -print -quit)" ]
}

if stale; then
  wasm_cargo build --release -p "$crate" --lib   # --lib: the CLI bin would collide with the cdylib
  wasm="$WASM_TARGET_DIR/wasm32-unknown-unknown/release/$crate.wasm"
  # Bind and shrink in a scratch dir, then swap it in: a failed step never leaves a
  # half-made www/pkg that looks up to date.
  tmp=$pkg.tmp
  rm -rf "$tmp"
  echo "wasm: wasm-bindgen --target web --out-dir $pkg"
  wasm-bindgen --target web --out-dir "$tmp" "$wasm"
  echo "wasm: wasm-opt -Oz $out"
  # Debian's binaryen 108 needs these features enabled for what current rustc emits.
  # --converge repeats -Oz while it still shrinks; --low-memory-unused is true of Rust's layout
  # (the stack's far end, then data from 1 MB): together 1.4 KB gzipped less.
  wasm-opt -Oz --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals -o "$tmp/opt.wasm" "$tmp/${crate}_bg.wasm"
  mv "$tmp/opt.wasm" "$tmp/${crate}_bg.wasm"
  rm -rf "$pkg"
  mv "$tmp" "$pkg"
  echo "wasm: $out $(wc -c <"$out") bytes ($((SECONDS - t0)) s)"
else
  echo "wasm: $out is up to date"
fi

# dist/: the embedding kit an author copies into a static site (see scripts/dist.sh).
scripts/dist.sh
