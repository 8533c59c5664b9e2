//! The Paxoscope command line: exhaustive checks, scenario runs, trace replays.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Instant;

use paxoscope::check::explorer::{colour, proposal_value};
use paxoscope::check::{Bounds, Reductions, Stop, Strategy};
use paxoscope::paxos::Bug;
use paxoscope::protocols::{AnyConfig, ProtocolKind};
use paxoscope::protocol::NodeId;
use paxoscope::scenario;
use paxoscope::sim::session::{check_actions, MAX_TRACE_BYTES};
use paxoscope::sim::{Action, ClusterConfig, Policy, Session, Trace};

const HELP: &str = "\
paxoscope: Paxos you can hold in your hands

USAGE:
  paxoscope check [--protocol NAME] --nodes N --proposers K --max-round R [--slots S] [--drops]
                  [--dups] [--crashes C] [--partitions [N]] [--proposals P] [--bug NAME]
                  [--blocking] [--max-states M] [--no-reduce LIST] [--export FILE]
                  [--threads N] [--strategy bfs|dfs|random-walk] [--walks W] [--max-memory SIZE]
                  [--no-symmetry]
      Explore every schedule of a small cluster: at any moment, before or after a crash, a
      client may ask each of nodes 1..K to propose, at most P times each (default 1, or 2
      with --crashes), each time a new value (3 nodes: node 1 Green then Amber, node 2 Blue
      then Violet); a proposer retries up to round R. --max-states (default 50,000,000, about
      11 GB) stops the search, which is then no proof (exit 2). --no-reduce informs,learners,
      ignored (or all) switches the explorer's reductions off (same verdict, more states).
      --partitions [N]: the network may split into two sides up to N times (1 when N is left
      out), and heal; while
      split, messages between the sides cannot be delivered but may be lost.
      --threads N: search on N threads (default: every core). --strategy: bfs (the default:
      level by level, so the counterexample found is a shortest one), dfs (depth first: the
      least memory, a counterexample that need not be shortest), random-walk (W seeded random
      walks of up to 64 moves first, default 100,000, the quickest to find a bug; a violation
      found is shortened, then searched breadth first over the walk's own moves: short, but
      not known to be shortest; none found: a full breadth-first search). --max-memory SIZE (like 300M or 2G) stops the
      search cleanly (exit 2, no proof) once its tables hold that much. Long searches print a
      progress line to stderr every 2 s (states, depth, states/s, memory, the level's ETA).
      Fingerprints are 64-bit: with n states the odds of any collision are about n^2/2^65.
      Symmetry: nodes that are interchangeable (in Paxos, the nodes without the proposer
      role, K+1..N) are put in a canonical order before a state is counted, so states that
      differ only by renaming them count once: the same verdict and the same shortest
      counterexample length from fewer states (a line names the nodes). --no-symmetry counts
      every state; --blocking ignores symmetry.
      Commit protocols (and any protocol with --blocking) also report blocking, before the
      last line: how many reachable states leave an up node that has not decided unable ever
      to decide (crashed nodes staying down, no further faults), how many of those have a
      majority of acceptors up, and the shortest path to one.
      Safe: exit 0, a line saying whether a value can be chosen at all, and last line
      `states=<unique> violations=0`. Unsafe: exit 1 and the shortest counterexample as a
      replayable trace. --protocol: paxos (single decree, the default), multi-paxos,
      single-proposer-commit, or the commit protocols 2pc, 3pc and paxos-commit (node 1
      coordinates one transaction, the others participate); --slots bounds the log of
      multi-paxos and single-proposer-commit.
  paxoscope check --from TRACE [--max-round R] [--drops] [--dups] [--crashes C]
                  [--partitions [N]] [--proposals P] [the search options above]
      What can still happen after a recorded run: every schedule continuing from the
      trace's last state (its cluster, protocol and bug; nodes up or down, messages in
      flight, timers). The bounds count what may follow: more crashes, drops, duplicates,
      partitions, P more proposals per proposer (default 0; single-decree Paxos), rounds up
      to R (default one above the run's highest). A counterexample is the run continued.
      Without one, a line says whether a value can still be chosen from here (and the
      shortest path's length), or that the run has already chosen one; --export-chosen FILE
      writes that shortest path as a trace (the run continued; also without --from).
  paxoscope check --livelock [--from TRACE | --nodes N --proposers K] [--max-round R]
                  [--proposals P] [--drops] [--crashes C] [--export FILE]
      Single-decree Paxos: can the proposers duel forever (Paxos Made Simple 2.4)? Searches
      depth first, from the start or the trace's last state, for a cycle of moves that ends
      in the state it began from with every round k >= 0 higher, no value chosen on the way
      (the way into the cycle then shortened breadth first).
      States count once up to a shift of every round (the lowest moved to the first round),
      and R bounds the rounds after that shift: their spread (default: the first round + 2).
      A timer fires only once every message from or to its node has arrived (a timeout
      longer than a round trip). Found: exit 1, `livelock possible: after N moves, these M
      moves repeat forever, each time k rounds higher`, the moves in words, and with
      --export FILE the run with two turns of the cycle. None: exit 0 (`no livelock within
      these bounds`), or 2 when stopped at --max-states.
  paxoscope run --scenario NAME [--export FILE] [--itf FILE]
  paxoscope run [--protocol NAME] [--nodes N] [--proposers 1,2] [--seed S] [--steps N] [--loss PPM] [--dup PPM]
                [--delay PPM] [--distinguished] [--bug NAME] [--export FILE] [--itf FILE]
      Run a built-in scenario, or a random schedule under the automatic policy.
      --itf FILE writes a single-decree Paxos run as a behaviour of Lamport's Paxos.tla in
      the Informal Trace Format (maxBal, maxVBal, maxVal, msgs; ballot r.n is 10r+n), for
      TLC, Apalache or Quint to check (see the README).
  paxoscope replay FILE [--itf FILE]
      Replay a trace (from `run --export`, `check` or the page) and verify its state hash.
  paxoscope why TRACE (--node N [--learned] | --chosen | --msg ID) [--step K]
      Why is this value safe? (single-decree Paxos) For the value node N accepted (or, with
      --learned, learned), the chosen value, or the value message ID carries (a Promise
      reporting an accepted proposal, an Accept, an Accepted; the ids of the page's history),
      at the trace's last step or step K: who proposed it, which promise made each higher
      ballot carry it, who accepted it, the majority that chose it, how later phase-1 quorums
      overlap that majority, and, in a broken variant, the link where the chain is cut.
  paxoscope scenarios
      List the built-in scenarios.
  paxoscope bench [--seconds S]
      The simulator benchmark workloads (Paxos: 5 nodes; Multi-Paxos: 5 replicas and 2 clients;
      random policy): steps and deliveries per second; and the time to open the most expensive
      share link within the limits.

Broken variants (UNSAFE, for teaching): of paxos, acceptor-forgets, proposer-ignores-promises,
minority-quorum, accept-below-promise, proposer-forgets-round; of multi-paxos,
new-leader-skips-phase1, noop-overwrites, apply-out-of-order.
";

/// Standard output, locked and buffered. Once its reader has gone (`paxoscope run | head
/// -1`), the rest of the output is dropped and the command ends as it would have, quietly.
struct Out {
    w: io::BufWriter<io::StdoutLock<'static>>,
    closed: bool,
}

impl Out {
    fn gone(&mut self, e: io::Error) -> io::Result<()> {
        if e.kind() == io::ErrorKind::BrokenPipe {
            self.closed = true;
            return Ok(());
        }
        Err(e)
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.closed {
            if let Err(e) = self.w.write_all(buf) {
                self.gone(e)?;
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        if !self.closed {
            if let Err(e) = self.w.flush() {
                self.gone(e)?;
            }
        }
        Ok(())
    }
}

/// `writeln!` to the output; an error other than a closed output ends the command.
macro_rules! say {
    ($o:expr, $($arg:tt)*) => {
        writeln!($o, $($arg)*).map_err(|e| format!("cannot write the output: {e}"))?
    };
}

struct Args(Vec<String>);

impl Args {
    fn flag(&mut self, name: &str) -> bool {
        match self.0.iter().position(|a| a == name) {
            Some(i) => {
                self.0.remove(i);
                true
            }
            None => false,
        }
    }
    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.0.iter().position(|a| a == name) {
            Some(i) if i + 1 < self.0.len() => {
                let v = self.0.remove(i + 1);
                self.0.remove(i);
                Ok(Some(v))
            }
            Some(_) => Err(format!("{name} needs a value")),
            None => Ok(None),
        }
    }
    fn num<T: std::str::FromStr>(&mut self, name: &str, default: T) -> Result<T, String> {
        match self.value(name)? {
            Some(v) => v.parse().map_err(|_| format!("{name}: {v:?} is not a valid number")),
            None => Ok(default),
        }
    }
    /// A number that may be left out after the flag: `--partitions` alone means `bare`.
    fn num_or<T: std::str::FromStr>(&mut self, name: &str, absent: T, bare: T) -> Result<T, String> {
        match self.0.iter().position(|a| a == name) {
            Some(i) if self.0.get(i + 1).map_or(true, |v| v.starts_with("--")) => {
                self.0.remove(i);
                Ok(bare)
            }
            _ => self.num(name, absent),
        }
    }
    fn done(&self) -> Result<(), String> {
        match self.0.first() {
            Some(a) => Err(format!("unexpected argument {a:?}; see `paxoscope help`")),
            None => Ok(()),
        }
    }
}

fn write_trace(o: &mut Out, trace: &Trace, file: Option<String>) -> Result<(), String> {
    let json = trace.to_text();
    match file {
        Some(f) => std::fs::write(&f, json).map_err(|e| format!("cannot write {f}: {e}")),
        None => {
            write!(o, "{json}").map_err(|e| format!("cannot write the output: {e}"))?;
            Ok(())
        }
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let d = n.to_string();
    let mut s = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    s
}

fn check(o: &mut Out, mut a: Args) -> Result<ExitCode, String> {
    let from = a.value("--from")?;
    if from.is_some() {
        for name in ["--nodes", "--proposers", "--protocol", "--bug", "--slots", "--blocking"] {
            if a.0.iter().any(|x| x == name) {
                return Err(format!("{name}: a search --from a trace takes the cluster from the trace; leave {name} out"));
            }
        }
    }
    let nodes: usize = a.num("--nodes", 3)?;
    let proposers: usize = a.num("--proposers", 2)?;
    let max_round_arg: Option<u32> = a.value("--max-round")?.map(|v| v.parse().map_err(|_| format!("--max-round: {v:?} is not a valid number"))).transpose()?;
    let max_round: u32 = max_round_arg.unwrap_or(2);
    let crashes: u8 = a.num("--crashes", 0)?;
    let partitions: u8 = a.num_or("--partitions", 0, 1)?;
    let max_states: u64 = a.num("--max-states", 50_000_000)?;
    let proposals: u8 = a.num("--proposals", if from.is_some() { 0 } else { 1 + crashes.min(1) })?;
    let reductions = match a.value("--no-reduce")? {
        Some(list) => Reductions::without(&list)?,
        None => Reductions::ALL,
    };
    let drops = a.flag("--drops");
    let dups = a.flag("--dups");
    let blocking = a.flag("--blocking");
    let livelock = a.flag("--livelock");
    let symmetry = !a.flag("--no-symmetry");
    let bug = a.value("--bug")?.map(|b| Bug::from_name(&b)).transpose()?;
    let protocol = match a.value("--protocol")? {
        Some(p) => ProtocolKind::from_name(&p)?,
        None => ProtocolKind::Paxos,
    };
    let slots: Option<u32> = a.value("--slots")?.map(|v| v.parse().map_err(|_| format!("--slots: {v:?} is not a valid number"))).transpose()?;
    let export = a.value("--export")?;
    let chosen_export = a.value("--export-chosen")?;
    let threads: usize = a.num("--threads", 0)?;
    let strategy = match a.value("--strategy")? {
        Some(s) => Strategy::from_name(&s)?,
        None => Strategy::Bfs,
    };
    let walks: u64 = a.num("--walks", 100_000)?;
    let max_memory = match a.value("--max-memory")? {
        Some(v) => parse_size(&v).ok_or_else(|| format!("--max-memory: {v:?} is not a size like 300M or 2G"))?,
        None => 0,
    };
    a.done()?;
    if threads > paxoscope::check::engine::MAX_THREADS {
        return Err(format!("--threads is at most {}", paxoscope::check::engine::MAX_THREADS));
    }
    if !(1..=9).contains(&nodes) || proposers == 0 || proposers > nodes {
        return Err(format!("need 1 to 9 nodes and 1 to {nodes} proposers"));
    }
    if max_round == 0 {
        return Err("--max-round must be at least 1".into());
    }
    let ids: Vec<NodeId> = (1..=proposers as NodeId).collect();
    if proposals > paxoscope::check::explorer::MAX_PROPOSALS {
        return Err(format!("--proposals is at most {}", paxoscope::check::explorer::MAX_PROPOSALS));
    }
    let bounds = Bounds { drops, dups, crashes, proposals, max_states, reductions, partitions, blocking, threads, strategy, walks, max_memory, progress: Some(progress), symmetry, ..Bounds::new() };
    if livelock {
        if blocking || dups || chosen_export.is_some() {
            return Err("--livelock: leave out --blocking, --dups and --export-chosen".into());
        }
        let (session, cluster, name) = match &from {
            Some(file) => {
                let trace = read_trace(file)?;
                let session = Session::from_trace(&trace).map_err(|e| format!("{file}: {e}"))?;
                (session, trace.config, format!("what can follow {file}"))
            }
            None => {
                let cluster = ClusterConfig { protocol, nodes: nodes as u32, proposers: ids.iter().map(|&i| i as u32).collect(), bug, slots, ..ClusterConfig::default() };
                (Session::new(cluster.clone()).map_err(|e| e.to_string())?, cluster, "the start".to_string())
            }
        };
        return check_livelock(o, session, cluster, &name, max_round_arg, bounds, export);
    }
    if let Some(file) = from {
        return check_from(o, &file, max_round_arg, bounds, export, chosen_export);
    }
    let cluster = ClusterConfig {
        protocol,
        nodes: nodes as u32,
        proposers: ids.iter().map(|&i| i as u32).collect(),
        bug,
        max_round: Some(max_round),
        slots,
        ..ClusterConfig::default()
    };
    // Checked now, so a bad option is reported before the search.
    AnyConfig::build(&cluster).map_err(|e| e.to_string())?;
    // Commit protocols run one transaction: node 1 coordinates, a client may ask it to start
    // and each participant's client may abort, once each.
    let commit = protocol.properties().contains(&paxoscope::check::invariants::Property::Agreement);
    let names: Vec<String> = if commit { vec![format!("one transaction (node 1 coordinates; nodes 2 to {nodes} participate and may abort)")] } else { ids
        .iter()
        .map(|&p| {
            let vs: Vec<String> = (0..proposals).map(|k| proposal_value(nodes, p, k).to_string()).collect();
            format!("{p}: {}", if vs.is_empty() { "nothing".to_string() } else { vs.join(" then ") })
        })
        .collect() };
    say!(
        o,
        "checking {}{}{}: {nodes} nodes, {}{}, rounds <= {max_round}, {}{}, {crashes} crash(es){}{}",
        protocol_name(protocol),
        slots.map(|k| format!(" with {k} slot(s)")).unwrap_or_default(),
        bug.map(|b| format!(" with bug {}", b.name())).unwrap_or_default(),
        if commit { "" } else { "proposals " },
        names.join("; "),
        if drops { "drops" } else { "no drops" },
        if dups { ", duplicates" } else { "" },
        if partitions > 0 { format!(", {partitions} partition(s)") } else { String::new() },
        reductions_off(bounds.reductions),
    );
    if !blocking {
        say_symmetry(o, &cluster, bounds)?;
    }
    // Seen before the search, which may take a while.
    o.flush().map_err(|e| format!("cannot write the output: {e}"))?;
    let t0 = *START.get_or_init(Instant::now);
    let report = paxoscope::protocols::check(&cluster, bounds).map_err(|e| format!("internal error: {e}"))?;
    report_check(o, protocol, report, t0, export, chosen_export, None, None)
}

/// What a search found, as `check` prints it. `from`: the search continued a run of that
/// many steps (its counterexample's first steps are the run's).
///
/// `already`: the run searched from has already decided (its value, or outcome).
/// `chosen_export`: where to write the shortest path to a decision, if the search found one.
#[allow(clippy::too_many_arguments)]
fn report_check(o: &mut Out, protocol: ProtocolKind, report: paxoscope::protocols::Checked, t0: Instant, export: Option<String>, chosen_export: Option<String>, from: Option<usize>, already: Option<String>) -> Result<ExitCode, String> {
    let secs = t0.elapsed().as_secs_f64();
    say!(
        o,
        "explored {} states and {} transitions to depth {} in {secs:.2} s ({:.0} states/s, {:.0} transitions/s){}",
        report.states,
        report.transitions,
        report.max_depth,
        report.states as f64 / secs.max(1e-9),
        report.transitions as f64 / secs.max(1e-9),
        match report.stop {
            None => "",
            Some(Stop::States) => " -- STOPPED at --max-states: not a proof",
            Some(Stop::Memory) => " -- STOPPED at --max-memory: not a proof",
            Some(Stop::Cancelled) => " -- STOPPED: not a proof",
        }
    );
    if report.blocking.is_none() {
        say!(
            o,
            "engine: {}, {} thread{}; tables {:.1} MB ({:.1} bytes/state){}",
            report.strategy.name(),
            report.threads,
            if report.threads == 1 { "" } else { "s" },
            report.bytes as f64 / 1e6,
            report.bytes as f64 / report.states.max(1) as f64,
            peak_rss().map(|b| format!("; peak RSS {:.1} MB", b as f64 / 1e6)).unwrap_or_default()
        );
    }
    let Some((property, moves, session)) = report.violation else {
        // Commit protocols decide an outcome rather than choose a value.
        let commit = protocol.properties().contains(&paxoscope::check::invariants::Property::Agreement);
        let (what, never, none) = if commit {
            ("an outcome can be decided", "NO outcome can ever be decided", "nothing was decided")
        } else {
            ("a value can be chosen", "NO value can ever be chosen", "no value was chosen")
        };
        match (report.chosen, from) {
            _ if already.is_some() => say!(o, "sometimes: the run has already decided ({}): nothing more to choose", already.as_deref().unwrap_or("")),
            (Some(len), Some(_)) => say!(o, "sometimes: {} can still be {} from here: shortest path {len} move{}", if commit { "an outcome" } else { "a value" }, if commit { "decided" } else { "chosen" }, if len == 1 { "" } else { "s" }),
            (Some(len), None) => say!(o, "sometimes: {what} (shortest path: {len} moves)"),
            (None, Some(_)) if report.complete => say!(o, "sometimes: {} can be {} from here within these bounds", if commit { "NO outcome" } else { "NO value" }, if commit { "decided" } else { "chosen" }),
            (None, None) if report.complete => say!(o, "sometimes: {never} in this configuration, so its safety proves nothing"),
            (None, _) => say!(o, "sometimes: {none} in the states explored"),
        }
        if let (Some(run), Some(file)) = (&report.chosen_run, &chosen_export) {
            write_trace(o, &run.trace(), Some(file.clone()))?;
            say!(o, "the shortest path to {} ({} simulator steps) written to {file}", if commit { "a decision" } else { "a chosen value" }, run.step());
        }
        if let Some(b) = &report.blocking {
            say!(
                o,
                "blocked: {} of {} states leave an up node blocked forever ({} with a majority of acceptors up){}",
                thousands(b.blocked),
                thousands(report.states),
                thousands(b.blocked_majority_up),
                b.shortest.as_ref().map(|s| format!("; shortest: {} move{}", s.0, if s.0 == 1 { "" } else { "s" })).unwrap_or_default()
            );
            if let Some((_, session, node, why)) = &b.shortest {
                say!(o, "shortest path to a blocked state ({} simulator steps); then node {node} can never decide: {why}", session.step());
                for l in session.log() {
                    say!(o, "  {:>3}. {}", l.step, l.text);
                }
            }
        }
        say!(o, "states={} violations=0", report.states);
        return Ok(if report.complete { ExitCode::SUCCESS } else { ExitCode::from(2) });
    };
    let v = session.violations().into_iter().find(|v| v.property == property.name()).expect("replay checked it");
    say!(o, "VIOLATION: {}", v.title);
    let run = from.unwrap_or(0);
    let more = if from.is_some() { format!(" after the run's {run} steps") } else { String::new() };
    if report.shortest {
        say!(o, "shortest counterexample, {moves} explored moves ({} simulator steps){more}:", session.step() - run);
    } else {
        say!(o, "counterexample ({}: not known to be a shortest one), {moves} explored moves ({} simulator steps){more}:", report.strategy.name(), session.step() - run);
    }
    for l in session.log() {
        if from.is_some() && l.step as usize == run + 1 {
            say!(o, "  ---- the run ends here; what can follow it:");
        }
        say!(o, "  {:>3}. {}", l.step, l.text);
    }
    say!(o, "why: {}", v.explanation);
    if export.is_some() {
        say!(o, "trace written to {}", export.as_deref().unwrap_or(""));
    } else {
        say!(o, "trace (replay it with `paxoscope replay FILE` or open it in the page):");
    }
    write_trace(o, &session.trace(), export)?;
    say!(o, "states={} violations=1", report.states);
    Ok(ExitCode::from(1))
}

/// How the check's first line names a protocol.
fn protocol_name(p: ProtocolKind) -> &'static str {
    if p == ProtocolKind::Paxos { "single-decree Paxos" } else { p.name() }
}

/// The reductions switched off, for the check's first line ("" when none is).
fn reductions_off(r: Reductions) -> String {
    let off: Vec<&str> = [("informs", r.informs), ("learners", r.learners), ("ignored", r.ignored)].iter().filter(|r| !r.1).map(|r| r.0).collect();
    if off.is_empty() { String::new() } else { format!(", reductions off: {}", off.join(", ")) }
}

/// With symmetry on, a line naming the interchangeable nodes, if any are.
fn say_symmetry(o: &mut Out, cluster: &ClusterConfig, bounds: Bounds) -> Result<(), String> {
    if bounds.symmetry {
        let groups = paxoscope::protocols::symmetric_nodes(cluster).map_err(|e| e.to_string())?;
        if !groups.is_empty() {
            say!(o, "symmetry: {} are interchangeable (acceptor-only); --no-symmetry to count every state", paxoscope::check::symmetry::describe(&groups));
        }
    }
    Ok(())
}

/// `check --from TRACE`: every schedule that continues the trace's run, within the bounds.
/// Rounds are bounded by `--max-round` (default: one more than the highest round in the run).
fn check_from(o: &mut Out, file: &str, max_round: Option<u32>, bounds: Bounds, export: Option<String>, chosen_export: Option<String>) -> Result<ExitCode, String> {
    if bounds.blocking {
        return Err("--blocking is not available with --from".into());
    }
    let trace = read_trace(file)?;
    let c = paxoscope::check::from::continue_trace(&trace, max_round, 1).map_err(|e| format!("{file}: {e}"))?;
    let (session, limit) = (c.session, c.max_round);
    let cluster = c.cluster;
    let protocol = cluster.protocol;
    say!(
        o,
        "checking what can follow {file} ({}, {} nodes{}, {} steps): rounds <= {limit}, {} more proposal(s) per proposer, {}{}, {} more crash(es){}{}",
        protocol_name(protocol),
        cluster.nodes,
        cluster.bug.map(|b| format!(", bug {}", b.name())).unwrap_or_default(),
        session.step(),
        bounds.proposals,
        if bounds.drops { "drops" } else { "no drops" },
        if bounds.dups { ", duplicates" } else { "" },
        bounds.crashes,
        if bounds.partitions > 0 { format!(", {} partition(s)", bounds.partitions) } else { String::new() },
        reductions_off(bounds.reductions),
    );
    say_symmetry(o, &cluster, bounds)?;
    o.flush().map_err(|e| format!("cannot write the output: {e}"))?;
    let t0 = *START.get_or_init(Instant::now);
    let report = paxoscope::protocols::check_from(&session, &cluster, bounds).map_err(|e| format!("{file}: {e}"))?;
    let already = decided(&session);
    report_check(o, protocol, report, t0, export, chosen_export, Some(session.step()), already)
}

/// `check --livelock`: can the run (or the cluster from its start) go on forever, a cycle
/// of moves repeating with every round higher each time, without a value being chosen?
/// `--max-round R` bounds the rounds once shifted so that the lowest is the first round
/// (default: the first round + 2, a spread of 3 rounds).
fn check_livelock(o: &mut Out, session: Session, mut cluster: ClusterConfig, name: &str, max_round: Option<u32>, bounds: Bounds, export: Option<String>) -> Result<ExitCode, String> {
    let first = cluster.start_round.max(1);
    let limit = max_round.unwrap_or(first + 2);
    if limit < first {
        return Err(format!("--max-round {limit}: below the first round ({first})"));
    }
    cluster.max_round = Some(limit);
    let run = session.step();
    say!(
        o,
        "searching for a livelock from {name} ({}, {} nodes, {} steps): rounds shifted so that the lowest is {first}, then <= {limit}; {} proposal(s) per proposer, {}, {} crash(es){}; a timer fires only once every message from or to its node has arrived",
        protocol_name(cluster.protocol),
        cluster.nodes,
        run,
        bounds.proposals,
        if bounds.drops { "drops" } else { "no drops" },
        bounds.crashes,
        if bounds.partitions > 0 { format!(", {} partition(s)", bounds.partitions) } else { String::new() },
    );
    o.flush().map_err(|e| format!("cannot write the output: {e}"))?;
    let t0 = Instant::now();
    let r = paxoscope::protocols::livelock_from(&session, &cluster, bounds).map_err(|e| e.to_string())?;
    let secs = t0.elapsed().as_secs_f64();
    if r.decided {
        say!(o, "no livelock: the run has already decided ({})", decided(&session).unwrap_or_default());
        say!(o, "states={} livelock=0", r.states);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(lasso) = r.found else {
        if r.complete {
            say!(o, "no livelock within these bounds ({} states, {secs:.2} s)", thousands(r.states));
        } else {
            say!(o, "no livelock found in the {} states explored ({secs:.2} s) -- STOPPED at --max-states: not a proof", thousands(r.states));
        }
        say!(o, "states={} livelock=0", r.states);
        return Ok(if r.complete { ExitCode::SUCCESS } else { ExitCode::from(2) });
    };
    let higher = match lasso.shift_rounds {
        0 => String::new(),
        1 => ", each time 1 round higher".to_string(),
        k => format!(", each time {k} rounds higher"),
    };
    say!(
        o,
        "livelock possible: after {} move{}, these {} moves repeat forever{higher}, and no value is ever chosen ({} states, {secs:.2} s)",
        lasso.prefix,
        if lasso.prefix == 1 { "" } else { "s" },
        lasso.cycle,
        thousands(r.states)
    );
    let (cycle, second) = (lasso.prefix_steps + 1, lasso.prefix_steps + lasso.cycle_steps + 1);
    for l in lasso.run.log() {
        let step = l.step as usize;
        if step <= run {
            continue;
        }
        if step == cycle {
            say!(o, "  ---- the cycle ({} simulator steps):", lasso.cycle_steps);
        } else if step == second {
            say!(o, "  ---- and again{}, and so on forever:", if lasso.shift_rounds == 0 { String::new() } else { format!(", every round {} higher", lasso.shift_rounds) });
        } else if step == run + 1 {
            say!(o, "  ---- {}:", if run > 0 { "the run ends here; then" } else { "first" });
        }
        say!(o, "  {:>3}. {}", l.step, l.text);
    }
    if let Some(file) = &export {
        write_trace(o, &lasso.run.trace(), Some(file.clone()))?;
        say!(o, "trace written to {file} (the run, the moves before the cycle and two turns of it)");
    }
    say!(o, "states={} livelock=1", r.states);
    Ok(ExitCode::from(1))
}

/// What the run has already decided, if anything: the chosen value (or, in a log, the first
/// chosen slot's), or a commit protocol's outcome.
fn decided(s: &Session) -> Option<String> {
    let g = &s.world().ghost;
    if let Some(c) = g.chosen.first() {
        return Some(if c.slot == 0 { format!("{} is chosen", c.value) } else { format!("{} is chosen in slot {}", c.value, c.slot) });
    }
    if g.committed != 0 {
        return Some("the transaction commits".into());
    }
    if g.aborted != 0 {
        return Some("the transaction aborts".into());
    }
    None
}

/// When the check began (for the progress line).
static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
/// Seconds since START at the last progress line.
static LAST: std::sync::Mutex<f64> = std::sync::Mutex::new(0.0);

/// The progress line, on stderr every 2 s once a search has run for 2 s (as TLC prints one).
fn progress(p: &paxoscope::check::Progress) -> bool {
    let secs = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if secs < 2.0 || secs - *last < 2.0 {
        return true;
    }
    *last = secs;
    let level = if p.level_size > 0 {
        let done = p.level_done.min(p.level_size);
        format!(", level {} of {} ({:.0}%)", thousands(done), thousands(p.level_size), 100.0 * done as f64 / p.level_size as f64)
    } else {
        String::new()
    };
    // Not eprintln!, which panics when standard error is closed.
    let _ = writeln!(
        io::stderr(),
        "progress: {secs:.0} s, {} states, depth {}{level}, {:.0} states/s, tables {:.0} MB{}",
        thousands(p.states),
        p.depth,
        p.states as f64 / secs,
        p.bytes as f64 / 1e6,
        peak_rss().map(|b| format!(", RSS {:.0} MB", b as f64 / 1e6)).unwrap_or_default()
    );
    true
}

/// The process's peak resident memory, where the system tells (Linux's VmHWM).
fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A size: a number of bytes with an optional K, M or G (powers of 1000), like `300M`.
fn parse_size(v: &str) -> Option<u64> {
    let v = v.trim();
    let (num, mul) = match v.char_indices().last()? {
        (i, 'K' | 'k') => (&v[..i], 1_000),
        (i, 'M' | 'm') => (&v[..i], 1_000_000),
        (i, 'G' | 'g') => (&v[..i], 1_000_000_000),
        _ => (v, 1),
    };
    let n: u64 = num.trim().parse().ok()?;
    n.checked_mul(mul).filter(|&b| b > 0)
}

fn run(o: &mut Out, mut a: Args) -> Result<ExitCode, String> {
    let export = a.value("--export")?;
    let itf = a.value("--itf")?;
    let quiet = a.flag("--quiet");
    let session = if let Some(name) = a.value("--scenario")? {
        a.done()?;
        scenario::load(&name).map_err(|e| e.to_string())?
    } else {
        let nodes: u32 = a.num("--nodes", 5)?;
        let proposers = match a.value("--proposers")? {
            Some(p) => p.split(',').map(|x| x.trim().parse().map_err(|_| format!("--proposers: {x:?} is not a node id"))).collect::<Result<Vec<u32>, _>>()?,
            None => vec![1],
        };
        let policy = Policy {
            loss_ppm: a.num("--loss", 0)?,
            dup_ppm: a.num("--dup", 0)?,
            delay_ppm: a.num("--delay", 0)?,
            ..Policy::default()
        };
        let protocol = match a.value("--protocol")? {
            Some(p) => ProtocolKind::from_name(&p)?,
            None => ProtocolKind::Paxos,
        };
        let config = ClusterConfig {
            protocol,
            nodes,
            proposers,
            seed: a.num("--seed", 1)?,
            distinguished: a.flag("--distinguished"),
            bug: a.value("--bug")?.map(|b| Bug::from_name(&b)).transpose()?,
            policy,
            ..ClusterConfig::default()
        };
        let steps: usize = a.num("--steps", 10_000)?;
        a.done()?;
        let mut s = Session::new(config.clone()).map_err(|e| e.to_string())?;
        for &p in &config.proposers {
            s.act(Action::Propose(p as NodeId, colour(p as NodeId))).map_err(|e| e.to_string())?;
        }
        s.run(steps);
        s
    };
    let snap = session.snapshot();
    // A story's captions, each above the step it tells.
    let captions = session.trace().captions;
    if !quiet {
        for step in 1..=session.step() {
            if o.closed {
                break;
            }
            if let Some(c) = captions.get(step - 1).filter(|c| !c.is_empty()) {
                say!(o, "       > {c}");
            }
            let l = session.line(step).expect("a step of the run");
            say!(o, "{:>5}. [t={}] {}", l.step, l.time, l.text);
        }
    }
    for v in &snap.violations {
        say!(o, "VIOLATION: {}: {}", v.title, v.explanation);
    }
    say!(o, "chosen={} steps={} time={} hash={}", snap.chosen.as_deref().unwrap_or("none"), snap.step, snap.time, snap.hash);
    if let Some(f) = export {
        check_actions(session.actions()).map_err(|e| format!("cannot export {f}: the run holds {e}"))?;
        write_trace(o, &session.trace(), Some(f))?;
    }
    if let Some(f) = itf {
        write_itf(&session, &f)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The run as a behaviour of Lamport's Paxos.tla in the Informal Trace Format (`itf`).
fn write_itf(session: &Session, file: &str) -> Result<(), String> {
    let t = paxoscope::itf::trace(session).map_err(|e| format!("cannot write {file}: {e}"))?;
    let text = serde_json::to_string(&t).map_err(|e| format!("cannot write {file}: {e}"))?;
    std::fs::write(file, text + "\n").map_err(|e| format!("cannot write {file}: {e}"))
}

/// A trace file, read and parsed (not yet replayed).
fn read_trace(file: &str) -> Result<Trace, String> {
    let size = std::fs::metadata(file).map_err(|e| format!("cannot read {file}: {e}"))?.len();
    if size > MAX_TRACE_BYTES as u64 {
        return Err(format!("{file}: {size} bytes is more than the {MAX_TRACE_BYTES} a trace may have"));
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    Trace::parse(&text).map_err(|e| format!("{file}: {e}"))
}

fn replay(o: &mut Out, mut a: Args) -> Result<ExitCode, String> {
    let itf = a.value("--itf")?;
    let Some(file) = a.0.first().cloned() else { return Err("replay needs a trace file".into()) };
    a.0.remove(0);
    a.done()?;
    let trace = read_trace(&file)?;
    let s = Session::from_trace(&trace).map_err(|e| format!("{file}: {e}"))?;
    for step in 1..=s.step() {
        if o.closed {
            break;
        }
        let l = s.line(step).expect("a step of the trace");
        say!(o, "{:>5}. [t={}] {}", l.step, l.time, l.text);
    }
    let snap = s.snapshot();
    for v in &snap.violations {
        say!(o, "VIOLATION: {}: {}", v.title, v.explanation);
    }
    say!(o, "replayed {} steps: hash={} (matches the trace) chosen={}", snap.step, snap.hash, snap.chosen.as_deref().unwrap_or("none"));
    if let Some(f) = itf {
        write_itf(&s, &f)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `why`: the chain that keeps a value, in words.
fn why(o: &mut Out, mut a: Args) -> Result<ExitCode, String> {
    use paxoscope::why::Target;
    let node: Option<NodeId> = a.value("--node")?.map(|v| v.parse().map_err(|_| format!("--node: {v:?} is not a node number"))).transpose()?;
    let msg: Option<u32> = a.value("--msg")?.map(|v| v.parse().map_err(|_| format!("--msg: {v:?} is not a message id"))).transpose()?;
    let step: Option<usize> = a.value("--step")?.map(|v| v.parse().map_err(|_| format!("--step: {v:?} is not a step number"))).transpose()?;
    let learned = a.flag("--learned");
    let chosen = a.flag("--chosen");
    let Some(file) = a.0.first().cloned() else { return Err("why needs a trace file".into()) };
    a.0.remove(0);
    a.done()?;
    let target = match (node, chosen, msg) {
        (Some(node), false, None) if learned => Target::Learned { node },
        (Some(node), false, None) => Target::Accepted { node },
        (None, true, None) if !learned => Target::Chosen,
        (None, false, Some(id)) if !learned => Target::Message { id },
        _ => return Err("why needs one of --node N (with --learned: what it learned), --chosen or --msg ID".into()),
    };
    let trace = read_trace(&file)?;
    let mut s = Session::from_trace(&trace).map_err(|e| format!("{file}: {e}"))?;
    if let Some(k) = step {
        s.seek(k).map_err(|e| format!("--step: {e}"))?;
    }
    let r = paxoscope::why::why(&s, target)?;
    say!(o, "{} (ballot {}) at step {}", r.value, r.ballot, s.step());
    say!(o, "{}", r.summary);
    say!(o, "");
    say!(o, "The chain:");
    for l in &r.chain {
        let msg = l.msg.map_or(String::new(), |id| format!(" [message {id}]"));
        say!(o, "{:>5}. {:<9} {}{msg}", l.step, l.kind, l.text);
    }
    let quorum: Vec<String> = r.quorum.iter().map(|n| n.to_string()).collect();
    say!(o, "");
    let noun = if quorum.len() == 1 { "node" } else { "nodes" };
    let what = if r.chain.iter().any(|l| l.kind == "chosen") { "the majority that chose it" } else { "the acceptors of its ballot (not chosen)" };
    say!(o, "Quorum ({what}): {noun} {}", quorum.join(", "));
    for ov in &r.overlap {
        say!(o, "Overlap, ballot {}: {}", ov.ballot, ov.text);
    }
    say!(o, "{}", r.rule);
    if let Some(c) = &r.cut {
        say!(o, "");
        say!(o, "CUT at step {}: {}", c.step, c.text);
    }
    Ok(ExitCode::SUCCESS)
}

/// The simulator workload of `sim::workload` for a few seconds: the native side of the
/// browser benchmark's ratio.
fn bench(o: &mut Out, mut a: Args) -> Result<ExitCode, String> {
    let secs: f64 = a.num("--seconds", 3.0)?;
    a.done()?;
    let t = Instant::now();
    say!(o, "{}", paxoscope::sim::workload::measure(secs, || t.elapsed().as_secs_f64()));
    o.flush().map_err(|e| format!("cannot write the output: {e}"))?;
    let t = Instant::now();
    say!(o, "{}", paxoscope::sim::workload::measure_multi(secs, || t.elapsed().as_secs_f64()));
    o.flush().map_err(|e| format!("cannot write the output: {e}"))?;
    say!(o, "{}", paxoscope::sim::workload::open_worst_link(3, || t.elapsed().as_secs_f64()));
    Ok(ExitCode::SUCCESS)
}

fn command(o: &mut Out, cmd: &str, args: Vec<String>) -> Result<ExitCode, String> {
    match cmd {
        "check" => check(o, Args(args)),
        "run" => run(o, Args(args)),
        "replay" => replay(o, Args(args)),
        "bench" => bench(o, Args(args)),
        "why" => why(o, Args(args)),
        "scenarios" => {
            for s in scenario::SCENARIOS {
                say!(o, "{:<32} {}", s.name, s.title);
            }
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            write!(o, "{HELP}").map_err(|e| format!("cannot write the output: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other:?}; see `paxoscope help`")),
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = if args.is_empty() { "help".to_string() } else { args.remove(0) };
    let mut o = Out { w: io::BufWriter::new(io::stdout().lock()), closed: false };
    let result = command(&mut o, &cmd, args);
    let flushed = o.flush().map_err(|e| format!("cannot write the output: {e}"));
    match result.and_then(|code| flushed.map(|_| code)) {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!, which panics when standard error is closed too.
            let _ = writeln!(io::stderr(), "paxoscope: {e}");
            ExitCode::from(2)
        }
    }
}
