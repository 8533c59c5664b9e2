#!/usr/bin/env bash
# Check a run exported as ITF (`paxoscope run --itf FILE`, `replay TRACE --itf FILE`, the
# page's "Export ITF") against Lamport's Paxos.tla with TLC: is it a behaviour of the spec?
#
#   scripts/itf-tlc.sh run.itf.json
#
# The trace becomes a TLA+ sequence of its states, and a spec that walks it: i = 1 and Init
# at the start, then each step moves i to i + 1, sets the four variables to the next state's
# and must be a [Next]_vars step of Paxos.tla (a Phase1a, Phase1b, Phase2a or Phase2b, or a
# stutter). TLC reports a deadlock at the first state it cannot leave: that step is not one
# of the spec's. Ballot r.n is the number 10r + n, values are strings, None is "None".
# Needs java and python3; TLC (tla2tools.jar) is fetched into target/bench-tools/ on first
# use; Paxos.tla is read from ../shared/reference/ or $PAXOS_TLA.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/tlc.sh"
[ $# -eq 1 ] || { echo "usage: scripts/itf-tlc.sh TRACE.itf.json" >&2; exit 2; }
ITF=$(realpath "$1")
command -v java >/dev/null || { echo "itf-tlc: java is needed (Java 17 runs TLC 2.15)" >&2; exit 2; }
JAR=$(tlc_jar "$ROOT/target/bench-tools") || exit 2
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
paxos_spec "$DIR" || exit 2
LEN=$(python3 - "$ITF" "$DIR" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
out = sys.argv[2]
def num(v):
    return int(v["#bigint"]) if isinstance(v, dict) else int(v)
def val(v):
    if isinstance(v, dict) and "#bigint" in v: return str(num(v))
    if isinstance(v, dict) and "#set" in v: return "{" + ", ".join(val(x) for x in v["#set"]) + "}"
    if isinstance(v, dict) and "#map" in v:
        return "(" + " @@ ".join(f"{val(k)} :> {val(x)}" for k, x in v["#map"]) + ")" if v["#map"] else "<<>>"
    if isinstance(v, dict): return "[" + ", ".join(f"{k} |-> {val(x)}" for k, x in sorted(v.items())) + "]"
    if isinstance(v, bool): return "TRUE" if v else "FALSE"
    if isinstance(v, int): return str(v)
    return json.dumps(v)
states = t["states"]
accs = [k for k, _ in states[0]["maxBal"]["#map"]]
values, top = set(), 0
for s in states:
    values |= {v for _, v in s["maxVal"]["#map"] if v != "None"}
    for m in s["msgs"]["#set"]:
        top = max(top, num(m["bal"]))
        values |= {m[k] for k in ("val", "mval") if k in m and m[k] != "None"}
seq = ",\n  ".join("[" + ", ".join(f"{v} |-> {val(s[v])}" for v in ("maxBal", "maxVBal", "maxVal", "msgs")) + "]" for s in states)
open(f"{out}/PaxosTrace.tla", "w").write(f"""---- MODULE PaxosTrace ----
EXTENDS Paxos, Sequences, FiniteSets, TLC
MCAcceptor == {{{", ".join(json.dumps(a) for a in accs)}}}
MCValue == {{{", ".join(json.dumps(v) for v in sorted(values)) or '"none-proposed"'}}}
MCNone == "None"
MCQuorum == {{Q \\in SUBSET Acceptor : 2 * Cardinality(Q) > Cardinality(Acceptor)}}
MCBallot == 0..{top}
Trace == <<
  {seq}
  >>
VARIABLE i
TraceVars == <<i, vars>>
TraceInit == /\\ i = 1
             /\\ Init
             /\\ maxBal = Trace[1].maxBal /\\ maxVBal = Trace[1].maxVBal
             /\\ maxVal = Trace[1].maxVal /\\ msgs = Trace[1].msgs
TraceNext == \\/ /\\ i < Len(Trace)
                /\\ i' = i + 1
                /\\ maxBal' = Trace[i + 1].maxBal /\\ maxVBal' = Trace[i + 1].maxVBal
                /\\ maxVal' = Trace[i + 1].maxVal /\\ msgs' = Trace[i + 1].msgs
                /\\ [Next]_vars
             \\/ /\\ i = Len(Trace)
                /\\ UNCHANGED TraceVars
====
""")
open(f"{out}/PaxosTrace.cfg", "w").write("""CONSTANTS
  Acceptor <- MCAcceptor
  Value <- MCValue
  Quorum <- MCQuorum
  None <- MCNone
  Ballot <- MCBallot
INIT TraceInit
NEXT TraceNext
""")
print(len(states))
PY
)
set +e
LOG=$(cd "$DIR" && java -XX:+UseParallelGC -Djava.io.tmpdir="$DIR" -cp "$JAR" tlc2.TLC -workers 1 -config PaxosTrace.cfg PaxosTrace.tla 2>&1)
set -e
DISTINCT=$(sed -n 's/.* \([0-9]*\) distinct states found.*/\1/p' <<< "$LOG" | tail -n 1)
if grep -q "Deadlock reached" <<< "$LOG"; then
  AT=$(grep -o '/\\ i = [0-9]*' <<< "$LOG" | tail -n 1 | grep -o '[0-9]*$')
  echo "NOT a behaviour of Paxos.tla: TLC finds no Next step from state $((AT - 1)) (the ITF index) to state $AT."
  exit 1
elif grep -q "No error has been found" <<< "$LOG" && [ "$DISTINCT" = "$LEN" ]; then
  echo "a behaviour of Paxos.tla: TLC walked all $LEN states (the start and $((LEN - 1)) steps), each step a Next step or a stutter"
elif grep -q "No error has been found" <<< "$LOG" && [ "${DISTINCT:-0}" = 0 ]; then
  echo "NOT a behaviour of Paxos.tla: its first state is not Init"
  exit 1
else
  echo "$LOG" >&2
  echo "itf-tlc: TLC did not give a verdict (above)" >&2
  exit 2
fi
