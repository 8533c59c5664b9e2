//! Two-phase commit's static configuration.

use crate::paxos::Timing;
use crate::protocol::{bit, members, NodeId, NodeSet};
use crate::sim::{ClusterConfig, SimError};

/// The static configuration of a two-phase-commit cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TwoPcConfig {
    pub nodes: usize,
    /// The coordinator (transaction manager): the cluster's first proposer.
    pub coordinator: NodeId,
    /// The participants (resource managers): every other node.
    pub participants: NodeSet,
    /// A bound for the explorer: the coordinator sends its decision, and a participant its
    /// query, at most this many times (the first send included). `None`: for ever.
    pub max_sends: Option<u32>,
    /// `retry`: the coordinator's vote timeout and its resend period; `leader_timeout`
    /// (doubled): how long a participant waits before it acts alone or asks.
    pub timing: Timing,
}

impl TwoPcConfig {
    /// `n` nodes, node `coordinator` coordinating, every other node a participant; no bounds.
    pub fn new(n: usize, coordinator: NodeId) -> TwoPcConfig {
        let all = (1..=n as NodeId).fold(0, |s, i| s | bit(i));
        TwoPcConfig { nodes: n, coordinator, participants: all & !bit(coordinator), max_sends: None, timing: Timing::default() }
    }

    /// Build from the user's cluster configuration: `nodes`, `proposers` (the first is the
    /// coordinator; any others are participants like every other node) and `max_round` (bounds
    /// how often a decision or a query is sent). Refused: a bug, `slots`, `clients`, `leases`, a
    /// `start_round` other than 1, fewer than 2 nodes, no proposer, `max_round` 0.
    pub fn from_cluster(c: &ClusterConfig) -> Result<TwoPcConfig, SimError> {
        from_cluster(c, "two-phase commit").map(|(nodes, coordinator, max)| TwoPcConfig { max_sends: max, ..TwoPcConfig::new(nodes, coordinator) })
    }

    pub fn is_participant(&self, id: NodeId) -> bool {
        self.participants & bit(id) != 0
    }

    pub fn participant_ids(&self) -> impl Iterator<Item = NodeId> {
        members(self.participants)
    }
}

/// The checks the commit protocols share: (nodes, coordinator, max_round).
pub(crate) fn from_cluster(c: &ClusterConfig, name: &str) -> Result<(usize, NodeId, Option<u32>), SimError> {
    let bad = |m: String| Err(SimError::BadConfig(m));
    if let Some(bug) = c.bug {
        return bad(format!("{name} has no broken variants; \"{}\" is a bug of {}", bug.name(), bug.protocol().name()));
    }
    if c.start_round != 1 {
        return bad(format!("start_round is {}; {name} has no rounds, so it takes none", c.start_round));
    }
    for (set, field) in [(c.slots.is_some(), "slots"), (c.clients.is_some(), "clients"), (c.leases, "leases")] {
        if set {
            return bad(format!("{field} is an option of protocols with a log; {name} decides one transaction"));
        }
    }
    if c.proposers.is_empty() {
        return bad(format!("{name} needs a proposer: the first one is the coordinator"));
    }
    let r = c.roles()?;
    if r.nodes < 2 {
        return bad(format!("{name} needs at least 2 nodes: a coordinator and a participant"));
    }
    if c.max_round == Some(0) {
        return bad("max_round is 0; every message must be sent at least once".into());
    }
    Ok((r.nodes, c.proposers[0] as NodeId, c.max_round))
}
