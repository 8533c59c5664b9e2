//! Paxos Commit's static configuration.

use crate::paxos::quorum::majority;
use crate::paxos::Timing;
use crate::protocol::{bit, NodeId, NodeSet};
use crate::sim::{ClusterConfig, SimError};

/// The static configuration of a Paxos Commit cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PcConfig {
    pub nodes: usize,
    /// The coordinator (the transaction manager, the initial leader): the cluster's first
    /// proposer.
    pub coordinator: NodeId,
    /// The participants (resource managers): every other node. Participant `p`'s vote is
    /// chosen by Paxos instance `p`.
    pub participants: NodeSet,
    /// The acceptors (2F+1 of them tolerate F failures): a value is chosen in an instance
    /// when a majority of them accepted the same ballot.
    pub acceptors: NodeSet,
    /// A bound for the explorer: no node starts a recovery round above it. `None`: no bound.
    pub max_round: Option<u32>,
    /// `leader_timeout`: how long a node that voted yes (or a restarted coordinator) waits
    /// for the decision before it recovers the instances itself.
    pub timing: Timing,
}

impl PcConfig {
    /// `n` nodes, node `coordinator` coordinates, every node an acceptor, no bound.
    pub fn new(n: usize, coordinator: NodeId) -> PcConfig {
        let all = (1..=n as NodeId).fold(0, |s, i| s | bit(i));
        PcConfig { nodes: n, coordinator, participants: all & !bit(coordinator), acceptors: all, max_round: None, timing: Timing::default() }
    }

    /// Build from the user's cluster configuration: `nodes`, `proposers` (the first is the
    /// coordinator; the others are participants like every other node), `acceptors` (default
    /// every node) and `max_round` (bounds the recovery rounds a node starts). Refused: a bug
    /// (the broken variants are Paxos's and Multi-Paxos's), `slots`, `clients`, `leases`,
    /// `distinguished`, fewer than 2 nodes, a `start_round` other than 1, no proposer.
    pub fn from_cluster(c: &ClusterConfig) -> Result<PcConfig, SimError> {
        let bad = |m: String| Err(SimError::BadConfig(m));
        if let Some(bug) = c.bug {
            return bad(format!("paxos-commit has no broken variants; \"{}\" is one of {}", bug.name(), bug.protocol().name()));
        }
        for (set, field) in [(c.slots.is_some(), "slots"), (c.clients.is_some(), "clients"), (c.leases, "leases"), (c.distinguished, "distinguished")] {
            if set {
                return bad(format!("{field} is not an option of paxos-commit (one transaction, a coordinator and participants)"));
            }
        }
        if c.start_round != 1 {
            return bad(format!("start_round is {}; paxos-commit numbers its recovery rounds from 1 (ballot 0 is each participant's own vote)", c.start_round));
        }
        if c.max_round == Some(0) {
            return bad("max_round is 0; it bounds the recovery rounds, so it must be at least 1".into());
        }
        let r = c.roles()?;
        if r.nodes < 2 {
            return bad(format!("paxos-commit needs at least 2 nodes (a coordinator and a participant), not {}", r.nodes));
        }
        let Some(&first) = c.proposers.first() else {
            return bad("paxos-commit needs a proposer: the first one is the coordinator".into());
        };
        let all = (1..=r.nodes as NodeId).fold(0, |s, i| s | bit(i));
        let coordinator = first as NodeId;
        Ok(PcConfig { nodes: r.nodes, coordinator, participants: all & !bit(coordinator), acceptors: r.acceptors, max_round: c.max_round, timing: Timing::default() })
    }

    /// How many acceptors make a majority.
    pub fn majority(&self) -> usize {
        majority(self.acceptors.count_ones() as usize)
    }

    pub fn is_participant(&self, id: NodeId) -> bool {
        self.participants & bit(id) != 0
    }

    pub fn is_acceptor(&self, id: NodeId) -> bool {
        self.acceptors & bit(id) != 0
    }

    /// Whether a node may start recovery round `round`.
    pub fn may_start(&self, round: u32) -> bool {
        self.max_round.map_or(true, |m| round <= m)
    }
}
