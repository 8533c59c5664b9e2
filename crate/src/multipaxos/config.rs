//! A Multi-Paxos cluster's static configuration.

use super::msg::MAX_SLOTS;
use crate::paxos::{Bug, Timing};
use crate::protocol::{bit, members, NodeId, NodeSet};
use crate::sim::{ClusterConfig, SimError};

/// The static configuration of a Multi-Paxos cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MultiConfig {
    pub nodes: usize,
    /// Leader candidates; the lowest-numbered one leads at the start.
    pub proposers: NodeSet,
    pub acceptors: NodeSet,
    /// Replicas: they learn each slot and apply the log.
    pub learners: NodeSet,
    /// Nodes with only the client role.
    pub clients: NodeSet,
    pub bug: Option<Bug>,
    pub start_round: u32,
    /// A bound for the explorer: no node starts a round above it.
    pub max_round: Option<u32>,
    /// How many log slots (1 to [`MAX_SLOTS`]).
    pub slots: u32,
    /// Master leases (accepted, not implemented yet).
    pub leases: bool,
    pub timing: Timing,
}

impl MultiConfig {
    /// `n` nodes, every one an acceptor and a replica, with the given proposers; no clients,
    /// [`MAX_SLOTS`] slots.
    pub fn new(n: usize, proposers: &[NodeId]) -> MultiConfig {
        let all = (1..=n as NodeId).fold(0, |s, i| s | bit(i));
        MultiConfig {
            nodes: n,
            proposers: proposers.iter().fold(0, |s, &i| s | bit(i)),
            acceptors: all,
            learners: all,
            clients: 0,
            bug: None,
            start_round: 1,
            max_round: None,
            slots: MAX_SLOTS as u32,
            leases: false,
            timing: Timing::default(),
        }
    }

    /// The same with `slots` slots, a round bound and a bug (the checker's configurations).
    pub fn small(n: usize, proposers: &[NodeId], slots: u32, max_round: Option<u32>, bug: Option<Bug>) -> MultiConfig {
        MultiConfig { slots, max_round, bug, ..MultiConfig::new(n, proposers) }
    }

    pub fn is_bug(&self, bug: Bug) -> bool {
        self.bug == Some(bug)
    }

    /// A majority of the acceptors.
    pub fn quorum(&self) -> usize {
        crate::paxos::quorum::majority(self.acceptors.count_ones() as usize)
    }

    /// The proposer that leads at the start.
    pub fn first_proposer(&self) -> Option<NodeId> {
        members(self.proposers).next()
    }

    /// Check a user's configuration and build this protocol's.
    pub fn from_cluster(c: &ClusterConfig) -> Result<MultiConfig, SimError> {
        fn bad<T>(m: String) -> Result<T, SimError> {
            Err(SimError::BadConfig(m))
        }
        if let Some(m) = c.max_round.filter(|&m| m < c.start_round) {
            return bad(format!("max_round is {m}, below start_round {}: no ballot could ever be used", c.start_round));
        }
        if c.distinguished {
            return bad("distinguished is an option of paxos; multi-paxos always runs a leader".into());
        }
        if let Some(b) = c.bug.filter(|b| b.protocol() != crate::protocols::ProtocolKind::MultiPaxos) {
            return bad(format!("bug \"{}\" is a broken variant of {}, not of multi-paxos", b.name(), b.protocol().name()));
        }
        let crate::sim::config::Roles { proposers, acceptors, learners, clients, .. } = c.roles()?;
        if proposers == 0 {
            return bad("multi-paxos needs at least one proposer to lead".into());
        }
        if c.leases {
            // Refused rather than ignored: a reader who asks for leases must not watch a run
            // without them believing it has them.
            return bad("leases (Paxos Made Live's master leases) are not implemented yet; leave the option off".into());
        }
        let slots = c.slots.unwrap_or(MAX_SLOTS as u32);
        if slots == 0 || slots as usize > MAX_SLOTS {
            return bad(format!("slots is {slots}; a log has 1 to {MAX_SLOTS} slots"));
        }
        Ok(MultiConfig {
            nodes: c.nodes as usize,
            proposers,
            acceptors,
            learners,
            clients,
            bug: c.bug,
            start_round: c.start_round,
            max_round: c.max_round,
            slots,
            leases: c.leases,
            timing: Timing::default(),
        })
    }
}
