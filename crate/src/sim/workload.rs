//! The benchmark workload, one function for every platform, so the native and the browser
//! figures measure the same thing: 5 nodes, proposers 1 and 2 (Green, Blue), 10% loss, 10%
//! duplication, 5% delay, latency 5..50, the automatic policy until quiet or `max_steps`.

use super::{Action, ClusterConfig, Policy, Session};
use crate::check::explorer::colour;

/// One run with `seed`: returns (steps, deliveries).
pub fn random_run(seed: u32, max_steps: usize) -> (u64, u64) {
    let policy = Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 };
    let config = ClusterConfig { nodes: 5, proposers: vec![1, 2], seed, policy, ..ClusterConfig::default() };
    let Ok(mut s) = Session::new(config) else { return (0, 0) };
    for p in [1, 2] {
        let _ = s.act(Action::Propose(p, colour(p)));
    }
    let steps = s.run(max_steps) as u64;
    let delivered = s.log().iter().filter(|l| l.text.contains(" delivered")).count() as u64;
    (steps, delivered)
}
