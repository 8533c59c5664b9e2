# Paxoscope: `make run` builds the page and serves it, `make test` runs every test.
# Each target first runs scripts/install.sh, which installs only what is missing.
# The rustup-or-Debian choice for wasm32 lives in scripts/wasm-env.sh (see TOOLCHAIN notes there).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# wasm-bindgen and wasm-bindgen-test-runner come from `cargo install`.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
PORT ?= 8000
export PORT

.PHONY: run test build wasm install test-native test-wasm test-types test-browser bench bench-checkers clean

## run: install what is missing, build the wasm, serve the page on http://127.0.0.1:$(PORT)/
## (target/site/: www/ with its JS minified by esbuild, see scripts/site.sh)
run: wasm
	scripts/site.sh
	python3 scripts/serve.py target/site

## test: native tests (unit, integration, doc), wasm tests under node, the JS type check,
## browser tests (and the JS unit tests in tests/unit/, which node --test tests/ runs too)
test: test-native test-wasm test-types test-browser

## build: the wasm, www/pkg and dist/, plus the native CLI (release)
build: wasm
	cargo build --workspace --release

install:
	scripts/install.sh

# Rebuilds only when crate sources or Cargo.lock changed; always re-assembles dist/.
wasm: install
	scripts/build-wasm.sh

# `cargo test --workspace` runs the doc tests too (the "Doc-tests paxoscope" section).
test-native: install
	cargo test --workspace

# wasm-bindgen-test under node: the library's unit tests and crate/tests/*.rs.
test-wasm: install
	scripts/test-wasm.sh

# The front end's JS against www/paxos-scope.d.ts and its JSDoc types (tsconfig.json).
test-types: wasm
	npx tsc -p .

test-browser: wasm
	node --test tests/
	scripts/site.sh
	PAXOSCOPE_WWW=target/site node --test tests/smoke.test.mjs tests/page.test.mjs

## bench: cargo benchmarks, then tests/bench.mjs in Chromium if it exists, then the embedding
## numbers (dist/ size raw and gzipped, navigation to first widget interactive: tests/bench-embed.mjs),
## then the explorer in the page against the native CLI (tests/bench-explore.mjs: states/s ratio,
## time to the first progress update, the main thread's frames while it searches),
## then the checkers side by side (bench-checkers, below)
bench: wasm
	cargo bench --workspace
	if [ -f tests/bench.mjs ]; then node tests/bench.mjs; else echo "bench: no tests/bench.mjs"; fi
	node tests/bench-embed.mjs
	node tests/bench-explore.mjs
	$(MAKE) bench-checkers

## bench-checkers: Paxoscope's checker side by side with Stateright's Paxos example and TLC on
## Lamport's Paxos.tla, in one run (scripts/bench-checkers.sh: installs Stateright and TLC into
## target/bench-tools/ itself; ~5-10 minutes on 2 cores). Not part of `make test`.
bench-checkers:
	scripts/bench-checkers.sh

clean:
	cargo clean
	rm -rf www/pkg dist
