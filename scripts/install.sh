#!/usr/bin/env bash
# Installs what building and testing Paxoscope needs, skipping whatever is already there.
# Safe to run again and again; safe as root in CI (no prompts, no stdin needed).
#   1. Debian packages: binaryen (wasm-opt), chromium (+ driver), python3, and for the
#      Debian wasm route rustc-web cargo-web rust-web-src lld-22 (see /work/shared/TOOLCHAIN.md)
#   2. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#   3. node_modules (npm ci) when missing or older than package-lock.json: playwright-core (the
#      browser tests), esbuild (scripts/dist.sh, scripts/site.sh; its platform binary comes
#      as an optional dependency, so it works even where npm runs no install scripts) and
#      typescript (`make test-types`: tsc type-checks www/*.js, emitting nothing)
#   4. mdbook (pinned, from crates.io) for the example documentation site the tests build
# Assumed present: rustup's cargo/rustc and a C compiler, Node >= 20 with npm.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages ---------------------------------------------------------------------
pkgs=(binaryen chromium chromium-driver python3)
if [ "$(wasm_route)" = debian ]; then
  pkgs+=(rustc-web cargo-web rust-web-src lld-22)
fi
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt packages present: ${pkgs[*]}"
else
  say "apt packages missing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
    [ -t 0 ] || as_root=(sudo -n)   # no terminal: fail rather than wait for a password
  else
    die "not root and no sudo; as root run:
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
  fi
  say "running: ${as_root[*]:+${as_root[*]} }apt-get update"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  say "running: ${as_root[*]:+${as_root[*]} }apt-get install -y ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null
fi

# --- 2. wasm-bindgen-cli ----------------------------------------------------------------------
want=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = /         { name = $3 }
  /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
[ -n "$want" ] || die "no wasm-bindgen package in Cargo.lock"
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "wasm-bindgen-cli $want present"
else
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup first"
  say "installing wasm-bindgen-cli $want (was: ${have:-none}); takes ~3 min once"
  # Not --locked: a locked transitive version was missing from the registry (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$want" --force </dev/null
fi

# --- 3. node_modules -------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node not found: install Node.js 20 or newer"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: need 20 or newer"
if [ ! -f node_modules/.package-lock.json ] || [ ! -x node_modules/.bin/esbuild ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "running: npm ci (playwright-core, esbuild, typescript; no browser is downloaded)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund </dev/null
  touch node_modules/.package-lock.json
else
  say "node_modules up to date"
fi

# --- 4. mdbook -------------------------------------------------------------------------------
# The example documentation site (docs/book, tests/book.test.mjs). Pinned; no default features
# (no `mdbook serve`/`watch`/search: only `mdbook build` is used, and it builds twice as fast).
mdbook_want=0.5.4
if [ "$(mdbook --version 2>/dev/null)" = "mdbook v$mdbook_want" ]; then
  say "mdbook $mdbook_want present"
else
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup first"
  say "installing mdbook $mdbook_want (was: $(mdbook --version 2>/dev/null || echo none)); takes ~3 min once"
  cargo install mdbook --version "$mdbook_want" --no-default-features --locked --force </dev/null ||
    cargo install mdbook --version "$mdbook_want" --no-default-features --force </dev/null
fi
