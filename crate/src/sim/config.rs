//! The user-facing cluster configuration, as the page, the CLI and traces write it.


use super::error::SimError;
use super::world::Policy;
use serde::{Deserialize, Serialize};
use crate::paxos::{Bug, PaxosConfig};
use crate::protocol::{bit, NodeId, NodeSet, MAX_NODES};
use crate::protocols::ProtocolKind;

/// A cluster to simulate. Every field has a default: `{}` is three nodes of single-decree
/// Paxos, node 1 proposing. Unknown fields are refused; `protocol` (when Paxos), `acceptors`,
/// `learners`, `max_round`, `slots`, `clients` and `leases` (when false) are left out when
/// unset, so a single-decree trace reads and writes as it did before other protocols existed.
/// [`crate::protocols::AnyConfig::build`] checks the ranges, for the protocol named.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    pub nodes: u32,
    pub proposers: Vec<u32>,
    /// Default: every node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptors: Option<Vec<u32>>,
    /// Default: every node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learners: Option<Vec<u32>>,
    pub seed: u32,
    pub distinguished: bool,
    pub bug: Option<Bug>,
    pub start_round: u32,
    /// A bound (used by the explorer's counterexamples): proposers never start a round above it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_round: Option<u32>,
    pub policy: Policy,
    /// Protocols with a log: how many slots it holds (the single-proposer commit: how many
    /// sequence numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slots: Option<u32>,
    /// Protocols with clients: the nodes that are clients (and nothing else).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clients: Option<Vec<u32>>,
    /// Multi-Paxos: the leader holds a lease (Paxos Made Live's master leases).
    #[serde(skip_serializing_if = "is_false")]
    pub leases: bool,
    /// The protocol the cluster runs (last, so the fields a single-decree configuration
    /// names come first, in errors too).
    #[serde(skip_serializing_if = "is_paxos")]
    pub protocol: ProtocolKind,
}

fn is_paxos(p: &ProtocolKind) -> bool {
    *p == ProtocolKind::Paxos
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            protocol: ProtocolKind::Paxos,
            nodes: 3,
            proposers: vec![1],
            acceptors: None,
            learners: None,
            seed: 1,
            distinguished: false,
            bug: None,
            start_round: 1,
            max_round: None,
            policy: Policy::default(),
            slots: None,
            clients: None,
            leases: false,
        }
    }
}

impl ClusterConfig {
    fn node_set(&self, what: &str, ids: &[u32]) -> Result<NodeSet, SimError> {
        let mut set = 0;
        for &id in ids {
            if id == 0 || id > self.nodes {
                return Err(SimError::BadConfig(format!("{what} lists node {id}, but the cluster has nodes 1 to {}", self.nodes)));
            }
            if set & bit(id as NodeId) != 0 {
                return Err(SimError::BadConfig(format!("{what} lists node {id} twice")));
            }
            set |= bit(id as NodeId);
        }
        Ok(set)
    }

    /// The checks every protocol shares, made once: the node count, `start_round`, the
    /// policy, and the role lists (each node at most once and within the cluster; a client
    /// has no other role; acceptors and learners default to every node that is not a
    /// client; at least one acceptor).
    pub fn roles(&self) -> Result<Roles, SimError> {
        let bad = |m: String| Err(SimError::BadConfig(m));
        if self.nodes == 0 || self.nodes as usize > MAX_NODES {
            return bad(format!("a cluster has 1 to {MAX_NODES} nodes, not {}", self.nodes));
        }
        if self.start_round == 0 || self.start_round > 1_000_000 {
            return bad(format!("start_round is {}; it must be 1 to 1000000", self.start_round));
        }
        self.policy.validate()?;
        let clients = self.node_set("clients", self.clients.as_deref().unwrap_or(&[]))?;
        let servers: Vec<u32> = (1..=self.nodes).filter(|&i| clients & bit(i as NodeId) == 0).collect();
        let proposers = self.node_set("proposers", &self.proposers)?;
        let acceptors = self.node_set("acceptors", self.acceptors.as_deref().unwrap_or(&servers))?;
        let learners = self.node_set("learners", self.learners.as_deref().unwrap_or(&servers))?;
        for (what, s) in [("proposers", proposers), ("acceptors", acceptors), ("learners", learners)] {
            if let Some(id) = crate::protocol::members(s & clients).next() {
                return bad(format!("node {id} is a client, so it cannot also be one of the {what}: a client has only the client role"));
            }
        }
        if acceptors == 0 {
            return bad("a cluster needs at least one acceptor".into());
        }
        Ok(Roles { nodes: self.nodes as usize, proposers, acceptors, learners, clients })
    }

    /// Check everything and build single-decree Paxos's configuration.
    pub fn paxos(&self) -> Result<PaxosConfig, SimError> {
        for (set, field) in [(self.slots.is_some(), "slots"), (self.clients.is_some(), "clients"), (self.leases, "leases")] {
            if set {
                return Err(SimError::BadConfig(format!("{field} is an option of protocols with a log; single-decree Paxos has none")));
            }
        }
        if let Some(bug) = self.bug.filter(|b| b.protocol() != ProtocolKind::Paxos) {
            return Err(SimError::BadConfig(format!("the broken variant {} is one of {}, not of single-decree Paxos", bug.name(), bug.protocol().name())));
        }
        let r = self.roles()?;
        let mut cfg = PaxosConfig::new(r.nodes, &[]);
        cfg.proposers = r.proposers;
        cfg.acceptors = r.acceptors;
        cfg.learners = r.learners;
        cfg.bug = self.bug;
        cfg.distinguished = self.distinguished;
        cfg.start_round = self.start_round;
        cfg.max_round = self.max_round;
        Ok(cfg)
    }
}

/// The role sets of a checked configuration ([`ClusterConfig::roles`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roles {
    pub nodes: usize,
    pub proposers: NodeSet,
    pub acceptors: NodeSet,
    pub learners: NodeSet,
    pub clients: NodeSet,
}

impl ClusterConfig {
    /// Read a configuration from JSON text (`{}` is the default cluster).
    pub fn parse(text: &str) -> Result<ClusterConfig, SimError> {
        crate::format::from_json(text, "config").map_err(SimError::BadConfig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_configs_say_what_is_wrong() {
        let bad = |c: ClusterConfig| c.paxos().unwrap_err().to_string();
        assert!(bad(ClusterConfig { nodes: 0, ..Default::default() }).contains("1 to 9 nodes, not 0"));
        assert!(bad(ClusterConfig { nodes: 100, ..Default::default() }).contains("not 100"));
        assert!(bad(ClusterConfig { proposers: vec![4], ..Default::default() }).contains("node 4"));
        assert!(bad(ClusterConfig { proposers: vec![1, 1], ..Default::default() }).contains("twice"));
        assert!(bad(ClusterConfig { acceptors: Some(vec![]), ..Default::default() }).contains("at least one acceptor"));
        let p = Policy { loss_ppm: 2_000_000, ..Default::default() };
        assert!(bad(ClusterConfig { policy: p, ..Default::default() }).contains("parts per million"));
        let p = Policy { min_latency: 5, max_latency: 2, ..Default::default() };
        assert!(bad(ClusterConfig { policy: p, ..Default::default() }).contains("latency"));
        let c = ClusterConfig::default().paxos().unwrap();
        assert_eq!((c.nodes, c.proposers, c.acceptors.count_ones()), (3, bit(1), 3));
    }
}
