#!/usr/bin/env bash
# Assembles target/site/: the demo page as `make run` serves it — all of www/ with the
# comments, indentation and blank lines stripped from its JS by scripts/strip-js.mjs (the same
# checked stripper as dist/; a file that fails a check is served as written). `make test`
# runs the smoke and page tests against it too, so the stripped page is the tested page.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f www/pkg/paxoscope_bg.wasm ] || { echo "site: www/pkg is not built (run scripts/build-wasm.sh)" >&2; exit 1; }
mkdir -p target
exec 9>target/site.lock
flock -w 120 9
rm -rf target/site.tmp
cp -a www target/site.tmp
find target/site.tmp -name '*.js' -print0 | xargs -0 node scripts/strip-js.mjs | sed 's/^/site: /'
rm -rf target/site
mv target/site.tmp target/site
echo "site: target/site/ ($(find target/site -type f | wc -l) files)"
