//! A Multi-Paxos cluster's static configuration.

use super::msg::MAX_SLOTS;
use crate::paxos::{Bug, Timing};
use crate::protocol::{bit, members, NodeId, NodeSet, MAX_NODES};
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
        if c.nodes == 0 || c.nodes as usize > MAX_NODES {
            return bad(format!("a cluster has 1 to {MAX_NODES} nodes, not {}", c.nodes));
        }
        if c.start_round == 0 || c.start_round > 1_000_000 {
            return bad(format!("start_round is {}; it must be 1 to 1000000", c.start_round));
        }
        if let Some(m) = c.max_round.filter(|&m| m < c.start_round) {
            return bad(format!("max_round is {m}, below start_round {}: no ballot could ever be used", c.start_round));
        }
        c.policy.validate()?;
        if c.distinguished {
            return bad("distinguished is an option of paxos; multi-paxos always runs a leader".into());
        }
        if let Some(b) = c.bug.filter(|b| b.protocol() != crate::protocols::ProtocolKind::MultiPaxos) {
            return bad(format!("bug \"{}\" is a broken variant of {}, not of multi-paxos", b.name(), b.protocol().name()));
        }
        let set = |what: &str, ids: &[u32]| -> Result<NodeSet, SimError> {
            let mut s: NodeSet = 0;
            for &id in ids {
                if id == 0 || id > c.nodes {
                    return bad(format!("{what} lists node {id}, but the cluster has nodes 1 to {}", c.nodes));
                }
                if s & bit(id as NodeId) != 0 {
                    return bad(format!("{what} lists node {id} twice"));
                }
                s |= bit(id as NodeId);
            }
            Ok(s)
        };
        let clients = set("clients", c.clients.as_deref().unwrap_or(&[]))?;
        let servers: Vec<u32> = (1..=c.nodes).filter(|&i| clients & bit(i as NodeId) == 0).collect();
        let proposers = set("proposers", &c.proposers)?;
        let acceptors = set("acceptors", c.acceptors.as_deref().unwrap_or(&servers))?;
        let learners = set("learners", c.learners.as_deref().unwrap_or(&servers))?;
        for (what, s) in [("proposers", proposers), ("acceptors", acceptors), ("learners", learners)] {
            if let Some(id) = members(s & clients).next() {
                return bad(format!("node {id} is a client, so it cannot also be one of the {what}: a client has only the client role"));
            }
        }
        if proposers == 0 {
            return bad("multi-paxos needs at least one proposer to lead".into());
        }
        if acceptors == 0 {
            return bad("a cluster needs at least one acceptor".into());
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
