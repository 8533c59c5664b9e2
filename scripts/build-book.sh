#!/usr/bin/env bash
# Builds the example documentation site (docs/book, mdBook) into target/book/ and copies the
# embedding kit (dist/) into it as target/book/paxoscope/, the way an author would.
# Needs mdbook (scripts/install.sh installs it) and a built www/pkg (scripts/build-wasm.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v mdbook >/dev/null 2>&1 || { echo "book: mdbook not found (run scripts/install.sh)" >&2; exit 1; }
scripts/dist.sh --if-stale
mdbook build docs/book 2>&1 | sed 's/^/book: /'
rm -rf target/book/paxoscope
cp -a dist target/book/paxoscope
echo "book: target/book/ ($(find target/book -name '*.html' | wc -l) pages) with dist/ as paxoscope/"
