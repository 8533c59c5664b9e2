//! The benchmark workload, one function for every platform, so the native and the browser
//! figures measure the same thing: 5 nodes, proposers 1 and 2 (Green, Blue), 10% loss, 10%
//! duplication, 5% delay, latency 5..50, the automatic policy until quiet or `max_steps`.
//! (`tests/bench.mjs` writes the same run through the wasm's public API.)

use super::{Action, ClusterConfig, Event, Policy, Session};
use crate::check::explorer::colour;

/// One run with `seed`: returns (steps, deliveries).
pub fn random_run(seed: u32, max_steps: usize) -> (u64, u64) {
    let policy = Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 };
    let config = ClusterConfig { nodes: 5, proposers: vec![1, 2], seed, policy, ..ClusterConfig::default() };
    let Ok(mut s) = Session::new(config) else { return (0, 0) };
    for p in [1, 2] {
        let _ = s.act(Action::Propose(p, colour(p)));
    }
    run_counting(&mut s, max_steps)
}

/// Run `s` under the automatic policy for at most `max_steps`: (steps, deliveries).
fn run_counting(s: &mut Session, max_steps: usize) -> (u64, u64) {
    let steps = s.run(max_steps) as u64;
    // A delivery: a step that handed a message to its receiver (not lost on arrival).
    let delivered = (1..=s.step())
        .map(|k| s.events(k))
        .filter(|ev| ev.first().is_some_and(Event::is_delivery) && !ev.iter().any(|e| matches!(e, Event::Unreceived { .. })))
        .count() as u64;
    (steps, delivered)
}

/// Multi-Paxos's workload, under the same random policy: 5 replicas (all acceptors and
/// learners, nodes 1 and 2 leader candidates) and 2 clients (nodes 6 and 7), each client
/// sending 4 commands into an 8-slot log, the automatic policy until quiet or `max_steps`.
/// Returns (steps, deliveries).
pub fn random_multi_run(seed: u32, max_steps: usize) -> (u64, u64) {
    let policy = Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 };
    let config = ClusterConfig {
        protocol: crate::protocols::ProtocolKind::MultiPaxos,
        nodes: 7,
        proposers: vec![1, 2],
        acceptors: Some(vec![1, 2, 3, 4, 5]),
        learners: Some(vec![1, 2, 3, 4, 5]),
        clients: Some(vec![6, 7]),
        slots: Some(8),
        seed,
        policy,
        ..ClusterConfig::default()
    };
    let Ok(mut s) = Session::new(config) else { return (0, 0) };
    for k in 0..4u8 {
        for c in [6, 7] {
            let _ = s.act(Action::Propose(c, colour(c + k)));
        }
    }
    run_counting(&mut s, max_steps)
}

/// [`measure`] for Multi-Paxos's workload ([`random_multi_run`]).
pub fn measure_multi(seconds: f64, elapsed: impl FnMut() -> f64) -> String {
    measure_runs("Multi-Paxos, 5 replicas and 2 clients (8 commands), random policy", random_multi_run, seconds, elapsed)
}

/// Runs [`random_run`] with seeds 1, 2, … until `elapsed()` (seconds, from the caller's
/// clock: the library reads none) reaches `seconds`; returns the report lines the CLI and
/// `cargo bench` print.
pub fn measure(seconds: f64, elapsed: impl FnMut() -> f64) -> String {
    measure_runs("5 nodes, random policy", random_run, seconds, elapsed)
}

/// `run` with seeds 1, 2, … (20,000 steps at most each) until `elapsed()` reaches `seconds`.
fn measure_runs(what: &str, run: fn(u32, usize) -> (u64, u64), seconds: f64, mut elapsed: impl FnMut() -> f64) -> String {
    let (mut steps, mut delivered, mut runs) = (0u64, 0u64, 0u32);
    while elapsed() < seconds {
        let (s, d) = run(runs + 1, 20_000);
        steps += s;
        delivered += d;
        runs += 1;
    }
    let secs = elapsed().max(1e-9);
    format!(
        "sim: {what}: {runs} runs, {steps} steps, {delivered} deliveries in {secs:.2} s\nsim: {:.0} steps/s, {:.0} deliveries/s",
        steps as f64 / secs,
        delivered as f64 / secs
    )
}

/// The most expensive share link within the limits we know of (`tests/bench.mjs` writes the
/// same through the wasm's API): nine nodes, all proposing; the network duplicates every
/// message and delays it 1 to 1,000,000 ticks, so messages pile up in flight (~190,000);
/// [`MAX_TRACE_CHOICES`](super::session::MAX_TRACE_CHOICES) proposals of distinct values,
/// smallest last (each new value goes to the front of the safety checks' sorted list, and
/// each proposal sends a Prepare to every node), then automatic steps up to
/// [`MAX_TRACE_ACTIONS`](super::session::MAX_TRACE_ACTIONS).
pub fn worst_link() -> String {
    use super::session::{MAX_TRACE_ACTIONS, MAX_TRACE_CHOICES};
    let policy = Policy { dup_ppm: 1_000_000, min_latency: 1, max_latency: 1_000_000, ..Policy::default() };
    let config = ClusterConfig { nodes: 9, proposers: (1..=9).collect(), policy, ..ClusterConfig::default() };
    let mut s = Session::new(config).expect("a valid cluster");
    for i in 0..MAX_TRACE_CHOICES {
        let value = crate::paxos::Value::new(&format!("{:023}", MAX_TRACE_CHOICES - i)).expect("23 digits");
        s.act(Action::Propose((i % 9) as u8 + 1, value)).expect("every node proposes");
    }
    s.run(MAX_TRACE_ACTIONS - MAX_TRACE_CHOICES);
    s.share()
}

/// Opens [`worst_link`] `runs` times; returns the report line (best time, from the caller's
/// clock, as in [`measure`]).
pub fn open_worst_link(runs: usize, mut elapsed: impl FnMut() -> f64) -> String {
    let link = worst_link();
    let mut best = f64::INFINITY;
    let mut opened = None;
    for _ in 0..runs {
        let t0 = elapsed();
        let s = super::share::decode(&link);
        best = best.min(elapsed() - t0);
        opened = Some(s.map(|s| (s.step(), s.world().pending.len())));
    }
    match opened {
        Some(Ok((steps, in_flight))) => {
            format!("worst link within the limits: {} characters, {steps} steps, {in_flight} messages in flight: opened in {best:.3} s (best of {runs})", link.len())
        }
        Some(Err(e)) => format!("worst link within the limits: refused: {e}"),
        None => String::new(),
    }
}
