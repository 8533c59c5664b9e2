//! Benchmarks that print numbers (run with `cargo bench` or `make bench`):
//! - simulator deliveries per second, 5 nodes, two proposers, under the random policy;
//! - the explorer's unique states and states per second on the configuration.
//! No assertions on speed: the figures go into notes and the README.

use std::hint::black_box;
use std::time::Instant;

use paxoscope::check::{check_paxos, Bounds};
use paxoscope::paxos::PaxosConfig;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo bench -- --list
    }
    let t = Instant::now();
    println!("{}", black_box(paxoscope::sim::workload::measure(3.0, || t.elapsed().as_secs_f64())));

    let mut cfg = PaxosConfig::new(3, &[1, 2]);
    cfg.max_round = Some(2);
    let bounds = Bounds { drops: true, dups: true, crashes: 1, max_states: u64::MAX };
    let t = Instant::now();
    let r = check_paxos(&cfg, bounds);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "check: 3 nodes, 2 proposers, 2 rounds, drops, dups, 1 crash: states={} transitions={} violations={} in {secs:.1} s: {:.0} states/s, {:.0} transitions/s",
        r.states,
        r.transitions,
        u8::from(r.violation.is_some()),
        r.states as f64 / secs,
        r.transitions as f64 / secs
    );
}
