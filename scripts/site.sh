#!/usr/bin/env bash
# Assembles target/site/: the demo page as `make run` serves it — all of www/ with every JS
# file minified by esbuild one by one (no bundling: the same modules and paths as www/, so the
# page, the guide and the tests that import ./pkg/paxoscope.js work unchanged), the CSS kept in
# template literals minified too. `make test` runs the smoke and page tests against it too, so
# the minified page is the tested page.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f www/pkg/paxoscope_bg.wasm ] || { echo "site: www/pkg is not built (run scripts/build-wasm.sh)" >&2; exit 1; }
esbuild=node_modules/.bin/esbuild
[ -x "$esbuild" ] || { echo "site: esbuild is not installed (run scripts/install.sh, or npm ci)" >&2; exit 1; }
mkdir -p target
exec 9>target/site.lock
flock -w 120 9
rm -rf target/site.tmp
cp -a www target/site.tmp
# Same esbuild options as scripts/dist.sh, and the CSS in template literals minified the same
# way (scripts/build-js.mjs).
mapfile -d '' js < <(cd www && find . -name '*.js' -print0)
node scripts/build-js.mjs --outdir=target/site.tmp --outbase=www "${js[@]/#/www/}"
rm -rf target/site
mv target/site.tmp target/site
echo "site: target/site/ ($(find target/site -type f | wc -l) files; JS $(cat "${js[@]/#/www/}" | wc -c) -> $(
  cat "${js[@]/#/target/site/}" | wc -c) bytes)"
