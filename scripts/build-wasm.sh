#!/usr/bin/env bash
# Builds the crate for the browser and assembles the static site:
#   cargo (wasm32, route chosen in scripts/wasm-env.sh) -> wasm-bindgen --target web -> www/pkg/
#   -> wasm-opt -Oz (in place) -> dist/ (the embedding kit: the module, the wasm, frame.html).
# Then the explorer's module (cargo feature `explore`, crate/src/wasm/explore.rs): the same
# crate built for speed (opt-level 3, wasm-opt -O3) in its own target dir (target/wasm-explore,
# so the two profiles never rebuild each other), bound as www/pkg/paxoscope_explore.js +
# paxoscope_explore_bg.wasm. The page loads it on first use, in a Web Worker: it is not on
# the critical path.
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
  [ -f "$out" ] && [ -f "$pkg/$crate.js" ] && [ -f "$pkg/${crate}_explore_bg.wasm" ] || return 0
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

  echo "wasm: the explorer's module (--features explore, opt-level 3)"
  WASM_TARGET_DIR=$WASM_TARGET_DIR-explore CARGO_PROFILE_RELEASE_OPT_LEVEL=3 \
    wasm_cargo build --release -p "$crate" --lib --features explore
  wasm-bindgen --target web --out-dir "$tmp" --out-name "${crate}_explore" \
    "$WASM_TARGET_DIR-explore/wasm32-unknown-unknown/release/$crate.wasm"
  wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals -o "$tmp/opt.wasm" "$tmp/${crate}_explore_bg.wasm"
  mv "$tmp/opt.wasm" "$tmp/${crate}_explore_bg.wasm"
  rm -rf "$pkg"
  mv "$tmp" "$pkg"
  echo "wasm: $out $(wc -c <"$out") bytes, $pkg/${crate}_explore_bg.wasm $(wc -c <"$pkg/${crate}_explore_bg.wasm") bytes ($((SECONDS - t0)) s)"
else
  echo "wasm: $out is up to date"
fi

# dist/: the embedding kit an author copies into a static site (see scripts/dist.sh).
scripts/dist.sh
