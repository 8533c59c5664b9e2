//! Small single-decree configurations for the checker's tests (`checker.rs`, `engine.rs`).

use paxoscope::check::Bounds;
use paxoscope::paxos::{Bug, PaxosConfig};
use paxoscope::sim::ClusterConfig;

/// `nodes` nodes, these proposers, rounds up to `rounds`, maybe a bug.
pub fn cfg(nodes: usize, proposers: &[u8], rounds: u32, bug: Option<Bug>) -> PaxosConfig {
    let mut c = PaxosConfig::new(nodes, proposers);
    c.max_round = Some(rounds);
    c.bug = bug;
    c
}

/// These faults; one proposal each, two when a crash may make a proposer forget its own.
pub fn bounds(drops: bool, dups: bool, crashes: u8) -> Bounds {
    Bounds { drops, dups, crashes, proposals: 1 + crashes.min(1), ..Bounds::new() }
}

/// The simulator's configuration of the same cluster (to replay a counterexample).
pub fn cluster_of(c: &PaxosConfig) -> ClusterConfig {
    ClusterConfig {
        nodes: c.nodes as u32,
        proposers: (1..=c.nodes as u32).filter(|&i| c.proposers & (1 << i) != 0).collect(),
        bug: c.bug,
        max_round: c.max_round,
        ..Default::default()
    }
}
