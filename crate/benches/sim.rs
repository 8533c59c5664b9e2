//! Benchmarks that print numbers (run with `cargo bench` or `make bench`):
//! - simulator deliveries per second, 5 nodes, two proposers, under the random policy;
//! - the time and peak memory to open the most expensive share link within the limits;
//! - a run's history, in bytes per step, at 10^4 and 10^5 steps;
//! - the cost of a frame (one step's delta) at step 100 and step 5,000 of a long run, and of
//!   the full snapshot for contrast (built, and written as JSON as the page would get it);
//! - the explorer's unique states and states per second on the configuration.
//! No assertions on speed: the figures go into notes and the README.

use std::hint::black_box;
use std::time::Instant;

use paxoscope::check::{check_paxos, Bounds, Strategy};
use paxoscope::paxos::{PaxosConfig, Value};
use paxoscope::sim::{share, workload, Action, ClusterConfig, Session};

#[path = "../tests/support/counting.rs"]
mod counting;
use counting::measure;


fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench -- --list
    }
    let t = Instant::now();
    println!("{}", black_box(paxoscope::sim::workload::measure(3.0, || t.elapsed().as_secs_f64())));
    let t = Instant::now();
    println!("{}", black_box(paxoscope::sim::workload::measure_multi(3.0, || t.elapsed().as_secs_f64())));

    println!("{}", workload::open_worst_link(3, || t.elapsed().as_secs_f64()));
    let link = workload::worst_link();
    let (s, held, peak) = measure(|| share::decode(&link));
    println!("worst link: {} steps; peak {:.1} MB while opening, {:.1} MB held", s.map_or(0, |s| s.step()), peak as f64 / 1e6, held as f64 / 1e6);

    // The run: node 1 proposes, both its links cut, retrying forever.
    for steps in [10_000, 100_000] {
        let (s, held, _) = measure(|| {
            let mut s = Session::new(ClusterConfig::default()).unwrap();
            s.act(Action::Propose(1, Value::new("Green").unwrap())).unwrap();
            s.act(Action::Cut(1, 2)).unwrap();
            s.act(Action::Cut(1, 3)).unwrap();
            s.run(steps - 3);
            s
        });
        println!("history: {} steps, {:.1} MB, {:.0} bytes per step", s.step(), held as f64 / 1e6, held as f64 / s.step() as f64);
    }

    // Frames: the lossy five-node run, one step at a time; at step 100 and 5,000 the mean cost
    // of a delta frame after one step, against a full snapshot.
    let config = ClusterConfig {
        nodes: 5,
        proposers: vec![1, 2],
        policy: paxoscope::sim::Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 },
        ..ClusterConfig::default()
    };
    let mut s = Session::new(config).unwrap();
    s.act(Action::Propose(1, Value::new("Green").unwrap())).unwrap();
    s.act(Action::Cut(1, 2)).unwrap(); // no decision: the run goes on
    s.act(Action::Cut(1, 3)).unwrap();
    s.act(Action::Cut(1, 4)).unwrap();
    for at in [100, 5_000] {
        s.run(at - s.step());
        // The full snapshot at this step, built and written as JSON.
        let t = Instant::now();
        let mut full_bytes = 0;
        for _ in 0..20 {
            full_bytes = paxoscope::format::to_json(&black_box(s.snapshot())).len();
        }
        let snap = t.elapsed().as_secs_f64() / 20.0;
        // Then a delta frame after each of the next 100 steps, built and written as JSON.
        let reps = 100;
        let mut mark = s.frame(None).mark;
        let mut spent = 0.0;
        let mut bytes = 0;
        for _ in 0..reps {
            s.act(Action::Step).unwrap();
            let t = Instant::now();
            let f = s.frame(Some(&mark));
            bytes += paxoscope::format::to_json(&f).len();
            spent += t.elapsed().as_secs_f64();
            mark = f.mark;
        }
        println!(
            "frame at step {at}: {:.1} µs and {} bytes of JSON after one step; the full snapshot {:.1} µs, {full_bytes} bytes",
            spent / reps as f64 * 1e6,
            bytes / reps,
            snap * 1e6
        );
    }

    // The checker on the standard configuration (3 nodes, 2 proposers with 2 proposals each,
    // 2 rounds, drops, duplicates, 1 crash): by strategy and threads, and each broken variant's
    // counterexample on it. Set PAXOSCOPE_BENCH_QUICK to skip the proofs (~1 min each).
    let mut cfg = PaxosConfig::new(3, &[1, 2]);
    cfg.max_round = Some(2);
    let standard = Bounds { drops: true, dups: true, crashes: 1, proposals: 2, max_states: u64::MAX, ..Bounds::new() };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runs: &[(Strategy, usize)] = if std::env::var_os("PAXOSCOPE_BENCH_QUICK").is_some() { &[] } else { &[(Strategy::Bfs, 1), (Strategy::Bfs, cores), (Strategy::Dfs, cores)] };
    for &(strategy, threads) in runs {
        let t = Instant::now();
        let r = check_paxos(&cfg, Bounds { strategy, threads, ..standard });
        let secs = t.elapsed().as_secs_f64();
        println!(
            "check: standard configuration, {} on {threads} thread(s): states={} transitions={} violations={} in {secs:.1} s: {:.0} states/s ({:.0} per thread), {:.0} transitions/s; tables {:.1} MB, {:.1} bytes/state",
            strategy.name(),
            r.states,
            r.transitions,
            u8::from(r.violation.is_some()),
            r.states as f64 / secs,
            r.states as f64 / secs / threads as f64,
            r.transitions as f64 / secs,
            r.bytes as f64 / 1e6,
            r.bytes as f64 / r.states as f64
        );
    }
    for bug in paxoscope::paxos::Bug::ALL {
        for strategy in [Strategy::Bfs, Strategy::Dfs] {
            let mut c = cfg.clone();
            c.bug = Some(bug);
            let t = Instant::now();
            let r = check_paxos(&c, Bounds { strategy, threads: cores, ..standard });
            let secs = t.elapsed().as_secs_f64();
            println!(
                "check: standard configuration with {}, {}: a counterexample of {} moves{} in {secs:.2} s ({} states)",
                bug.name(),
                strategy.name(),
                r.violation.as_ref().map_or(0, |v| v.1.len()),
                if r.shortest { " (shortest)" } else { "" },
                r.states
            );
        }
    }
}
