# shellcheck shell=bash
# Sourced (not run) by scripts/install.sh, scripts/build-wasm.sh and the Makefile.
# The one place that decides how to compile for wasm32-unknown-unknown:
#   - rustup route: rustup has the wasm32-unknown-unknown target installed -> plain cargo;
#   - Debian route (default on these machines, see /work/shared/TOOLCHAIN.md): Debian's
#     rustc-web 1.96 + rust-web-src, std built from source with -Zbuild-std, linked by wasm-ld-22.
# Either way the wasm build has its own target dir (target/wasm), so the native build
# (rustup's cargo, target/) and the wasm build never invalidate each other.

PAXO_ROOT=${PAXO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
WASM_TARGET_DIR=${WASM_TARGET_DIR:-$PAXO_ROOT/target/wasm}

# `cargo install` puts wasm-bindgen and wasm-bindgen-test-runner here.
case ":$PATH:" in
  *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
  *) PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"; export PATH ;;
esac

# Prints "rustup" or "debian".
wasm_route() {
  if command -v rustup >/dev/null 2>&1 &&
     rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
    echo rustup
  else
    echo debian
  fi
}

# Emit only the wasm features Debian's binaryen 108 is told about (the four --enable flags in
# build-wasm.sh). rustc's default reference-types makes wasm-bindgen export an externref
# table, and binaryen 108 rewrites that export to point at the function table: the page then
# dies in __wbindgen_init_externref_table ("WebAssembly.Table.set(): Argument 1 is invalid").
# Without reference-types wasm-bindgen keeps JS values in a JS-side heap instead.
# (rustup's prebuilt std is compiled with reference-types, so on the rustup route this may not
# be enough; the browser tests would show it.)
# Passed with --config so it adds to, not replaces, any rustflags in a .cargo/config.toml.
WASM_RUSTFLAGS_CONFIG="target.wasm32-unknown-unknown.rustflags=['-Ctarget-feature=-reference-types,-multivalue']"

# wasm_cargo SUBCOMMAND [ARGS...]: run cargo for wasm32-unknown-unknown on the chosen route,
# e.g. `wasm_cargo build --release -p paxoscope`. Extra environment (a RUNNER) passes through.
wasm_cargo() {
  local sub=$1; shift
  # Size over speed for the page (native release builds keep opt-level 3 for the explorer):
  # measured 224 KB -> 220 KB raw, 95 -> 93 KB gzipped after wasm-opt.
  export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}
  if [ "$(wasm_route)" = rustup ]; then
    echo "wasm: using rustup's wasm32 target" >&2
    CARGO_TARGET_DIR=$WASM_TARGET_DIR \
      cargo "$sub" --config "$WASM_RUSTFLAGS_CONFIG" --target wasm32-unknown-unknown "$@"
  else
    echo "wasm: using Debian's rustc-web with -Zbuild-std (rustup has no wasm32 target)" >&2
    # Building std ourselves, we build it for size (std's own `optimize_for_size` feature:
    # smaller sorts and formatting): 2.7 KB gzipped less. rustup's prebuilt std is built for
    # speed, so that route's module is somewhat larger.
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
    CARGO_TARGET_DIR=$WASM_TARGET_DIR \
      /usr/bin/cargo "$sub" --config "$WASM_RUSTFLAGS_CONFIG" --target wasm32-unknown-unknown \
        -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
  fi
}
