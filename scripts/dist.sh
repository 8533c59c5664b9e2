#!/usr/bin/env bash
# Assembles dist/: what an author copies into a static site to embed Paxoscope, and nothing else:
#   paxoscope.js       www/paxoscope.js and every module it imports, wasm-bindgen's loader
#                      (www/pkg/paxoscope.js) included, as one minified ES module (esbuild),
#                      the CSS of its stylesheets minified too (scripts/build-js.mjs)
#   paxoscope-*.js     what the element loads on first use with import() (the space-time
#                      diagram and its styles; the file and clipboard helpers), and the code
#                      they share with paxoscope.js: chunks, fetched by the module from beside
#                      itself (esbuild --splitting)
#   paxoscope_bg.wasm  the core, next to the module: the loader finds it at
#                      new URL('paxoscope_bg.wasm', import.meta.url), the one asset URL in the bundle
#   frame.html, frame.js   the iframe page (frame.js minified, still importing ./paxoscope.js)
#   explore-worker.js, paxoscope_explore_bg.wasm   the explorer ("Can it still break from
#                      here?", Export ITF): the worker with the explorer module's loader bundled
#                      in, and its wasm, which the loader finds beside it. The explorer's panel
#                      (a chunk) starts the worker at new URL('./explore-worker.js',
#                      import.meta.url) when it is first used: none of it is on the critical path
# Not shipped: the demo page (index.html, page.js, page.css), the guide (embed.html, docs.css,
# guide/), tests, the TypeScript declarations (www/paxos-scope.d.ts: not needed to embed; the
# page serves it at /paxos-scope.d.ts and the guide links it), wasm-bindgen's .d.ts of the wasm
# internals and package.json.
# esbuild (a devDependency pinned in package.json, installed by scripts/install.sh) adds zero
# bytes of its own to what is shipped, and took the kit's JS from 41.6 to 32.3 KB gzipped
# (12 files with comments and indentation stripped -> 2 minified files; gzip -9, summed).
# scripts/build-js.mjs runs it through its JS API so that the CSS kept in template literals
# (styles.js, styles-views.js) is minified as CSS as well: paxoscope.js 32681 -> 31921 bytes
# gzipped (CSS 23.3 -> 19.6 KB raw).
# Code splitting (issue 10): the budget is what a page fetches before its first widget is
# interactive, so the diagram, time travel's file and clipboard helpers load on first use.
# setView() shows the diagram's pane at once and draws it when its chunk has arrived.
# Cheap (two esbuild runs of ~20 ms, plus node starting). `--if-stale` does nothing when dist/
# is newer than www/, scripts/build-js.mjs and package-lock.json. Safe to run from several processes at once (flock), e.g. parallel
# test files.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f www/pkg/paxoscope_bg.wasm ] && [ -f www/pkg/paxoscope.js ] && [ -f www/pkg/paxoscope_explore_bg.wasm ] ||
  { echo "dist: www/pkg is not built (run scripts/build-wasm.sh)" >&2; exit 1; }
esbuild=node_modules/.bin/esbuild
[ -x "$esbuild" ] || { echo "dist: esbuild is not installed (run scripts/install.sh, or npm ci)" >&2; exit 1; }

mkdir -p target
exec 9>target/dist.lock
flock -w 120 9

stamp=target/dist.stamp
if [ "${1:-}" = --if-stale ] && [ -f "$stamp" ] && [ -d dist ] &&
   [ -z "$(find www scripts/dist.sh scripts/build-js.mjs package-lock.json -newer "$stamp" -print -quit)" ]; then
  exit 0
fi

tmp=dist.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
# The esbuild options (ESM, minified, es2021) are in scripts/build-js.mjs, shared with site.sh.
node scripts/build-js.mjs --bundle --splitting --outdir="$tmp" www/paxoscope.js
# Not bundled: its `import ... from './paxoscope.js'` stays, so the frame shares the one module.
node scripts/build-js.mjs --outfile="$tmp/frame.js" www/frame.js
node scripts/build-js.mjs --bundle --outfile="$tmp/explore-worker.js" www/explore-worker.js
cp www/pkg/paxoscope_bg.wasm www/pkg/paxoscope_explore_bg.wasm www/frame.html "$tmp/"
rm -rf dist
mv "$tmp" dist
touch "$stamp"
echo "dist: $(find dist -type f | wc -l) files, $(du -sb dist | cut -f1) bytes; gzipped: $(
  find dist -type f -exec gzip -9c {} \; | wc -c) bytes (sum of the files, each gzipped separately)"
