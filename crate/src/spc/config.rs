//! The single-proposer commit's static configuration.

use crate::paxos::quorum::majority;
use crate::paxos::Timing;
use crate::protocol::{bit, NodeId, NodeSet};
use crate::sim::{ClusterConfig, SimError};

/// The longest sequence of values (sequence numbers 1 to `MAX_SEQ`): reports carry one entry
/// per sequence number in a fixed array.
pub const MAX_SEQ: usize = 4;

/// The static configuration of a single-proposer-commit cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SpcConfig {
    pub nodes: usize,
    /// The nodes that may become the distinguished proposer (the cluster's "proposers").
    pub candidates: NodeSet,
    /// The distinguished proposer at the start (the first candidate listed); every node
    /// knows it.
    pub initial: NodeId,
    pub acceptors: NodeSet,
    pub learners: NodeSet,
    /// How many sequence numbers the log has (1 to [`MAX_SEQ`]).
    pub slots: u32,
    /// A bound for the explorer: a candidate wins at most this many elections (the initial
    /// coordinator's start counts as its first). `None`: no bound.
    pub max_term: Option<u32>,
    /// A bound for the explorer: the coordinator sends each proposal, and each announcement,
    /// at most this many times (the first send included). `None`: it retries for ever.
    pub max_sends: Option<u32>,
    /// `retry`: the coordinator resends; `heartbeat`: its heartbeat period;
    /// `leader_timeout`: how long a candidate waits for a heartbeat before it stands.
    pub timing: Timing,
}

impl SpcConfig {
    /// `n` nodes, all acceptors and learners; `candidates` may coordinate, the first from the
    /// start; a log of `slots` sequence numbers; no bounds.
    pub fn new(n: usize, candidates: &[NodeId], slots: u32) -> SpcConfig {
        let all = (1..=n as NodeId).fold(0, |s, i| s | bit(i));
        SpcConfig {
            nodes: n,
            candidates: candidates.iter().fold(0, |s, &i| s | bit(i)),
            initial: candidates.first().copied().unwrap_or(1),
            acceptors: all,
            learners: all,
            slots,
            max_term: None,
            max_sends: None,
            timing: Timing::default(),
        }
    }

    /// Build from the user's cluster configuration: `nodes`, `proposers` (the candidates,
    /// the first coordinating from the start), `acceptors`, `learners`, `slots` (default
    /// [`MAX_SEQ`]) and `max_round` (bounds the elections a candidate wins and the times a
    /// proposal is sent). `distinguished` is implied (there is always exactly one
    /// distinguished proposer in a node's mind) and ignored. Refused: a bug (the broken
    /// variants are Paxos's), a `start_round` other than 1 (there are no ballots), no
    /// candidate, `slots` outside 1 to [`MAX_SEQ`], and Multi-Paxos's `clients` and `leases`.
    /// The node count, the policy and the role lists are checked as for every protocol
    /// ([`ClusterConfig::roles`]).
    pub fn from_cluster(c: &ClusterConfig) -> Result<SpcConfig, SimError> {
        let bad = |m: String| Err(SimError::BadConfig(m));
        if let Some(bug) = c.bug {
            return bad(format!("the single-proposer commit has no broken variants; \"{}\" is a Paxos bug", bug.name()));
        }
        if c.start_round != 1 {
            return bad(format!("start_round is {}; the single-proposer commit has no ballots, so it takes none", c.start_round));
        }
        if c.proposers.is_empty() {
            return bad("the single-proposer commit needs at least one proposer (the distinguished proposer at the start)".into());
        }
        for (set, field) in [(c.clients.is_some(), "clients"), (c.leases, "leases")] {
            if set {
                return bad(format!("{field} is an option of multi-paxos; the single-proposer commit has none"));
            }
        }
        let p = c.roles()?;
        let slots = c.slots.unwrap_or(MAX_SEQ as u32);
        if slots == 0 || slots as usize > MAX_SEQ {
            return bad(format!("slots is {slots}; the sequence holds 1 to {MAX_SEQ} values"));
        }
        if c.max_round == Some(0) {
            return bad("max_round is 0; a candidate needs at least 1 (the initial coordinator's term)".into());
        }
        Ok(SpcConfig {
            nodes: p.nodes,
            candidates: p.proposers,
            initial: c.proposers[0] as NodeId,
            acceptors: p.acceptors,
            learners: p.learners,
            slots,
            max_term: c.max_round,
            max_sends: c.max_round,
            timing: Timing::default(),
        })
    }

    /// How many acceptors make a majority.
    pub fn majority(&self) -> usize {
        majority(self.acceptors.count_ones() as usize)
    }

    pub fn is_candidate(&self, id: NodeId) -> bool {
        self.candidates & bit(id) != 0
    }
}
