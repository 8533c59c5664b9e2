#!/usr/bin/env bash
# Assembles dist/: what an author copies into a static site to embed Paxoscope, and nothing else:
#   paxoscope.js and the modules it imports (every www/*.js but the demo page's page.js; the
#   embedding guide's scripts live in www/guide/), pkg/paxoscope.js + pkg/paxoscope_bg.wasm (the core), frame.html (the iframe page, with
#   frame.js), paxos-scope.d.ts (TypeScript declarations of the element).
# Not shipped: the demo page (index.html, page.css), the guide (embed.html, docs.css, guide/),
# tests, wasm-bindgen's .d.ts of the wasm internals and package.json.
# Cheap (a few copies). `--if-stale` does nothing when dist/ is newer than www/. Safe to run
# from several processes at once (flock), e.g. parallel test files.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f www/pkg/paxoscope_bg.wasm ] && [ -f www/pkg/paxoscope.js ] ||
  { echo "dist: www/pkg is not built (run scripts/build-wasm.sh)" >&2; exit 1; }

mkdir -p target
exec 9>target/dist.lock
flock -w 120 9

stamp=target/dist.stamp
if [ "${1:-}" = --if-stale ] && [ -f "$stamp" ] && [ -d dist ] &&
   [ -z "$(find www scripts/dist.sh scripts/strip-js.mjs -newer "$stamp" -print -quit)" ]; then
  exit 0
fi

tmp=dist.tmp
rm -rf "$tmp"
mkdir -p "$tmp/pkg"
cp www/*.js www/frame.html www/paxos-scope.d.ts "$tmp/"
rm -f "$tmp/page.js"   # the demo page's (index.html) own script
cp www/pkg/paxoscope.js www/pkg/paxoscope_bg.wasm "$tmp/pkg/"
# Comments, indentation and blank lines out of the shipped JS (no renaming; checked, and a
# file that fails a check ships as it is): about a fifth smaller, gzipped too. STRIP=0: don't.
if [ "${STRIP:-1}" != 0 ] && command -v node >/dev/null 2>&1; then
  node scripts/strip-js.mjs "$tmp"/*.js "$tmp"/pkg/*.js | sed 's/^/dist: /'
fi
rm -rf dist
mv "$tmp" dist
touch "$stamp"
echo "dist: $(find dist -type f | wc -l) files, $(du -sb dist | cut -f1) bytes; gzipped: $(
  find dist -type f -exec gzip -9c {} \; | wc -c) bytes (sum of the files, each gzipped separately)"
