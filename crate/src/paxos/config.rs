//! Cluster configuration and the deliberately broken variants.

use serde::{Deserialize, Serialize};

use crate::protocol::{bit, NodeId, NodeSet};

/// A deliberately broken variant, for watching why each rule of Paxos matters.
/// Every one of them is **unsafe**: the explorer finds a counterexample for each.
/// Written by its name (`"acceptor-forgets"`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bug {
    /// Acceptors lose their promised and accepted state on a crash.
    AcceptorForgets,
    /// A proposer always proposes its own value, ignoring the proposals in the promises.
    ProposerIgnoresPromises,
    /// Quorums are one smaller than a majority, so two quorums need not intersect.
    MinorityQuorum,
    /// An acceptor accepts a ballot lower than one it promised.
    AcceptBelowPromise,
    /// A proposer's highest round is not durable: after a restart it reuses ballots.
    ProposerForgetsRound,
}

impl Bug {
    pub const ALL: [Bug; 5] = [Bug::AcceptorForgets, Bug::ProposerIgnoresPromises, Bug::MinorityQuorum, Bug::AcceptBelowPromise, Bug::ProposerForgetsRound];

    pub fn name(self) -> &'static str {
        match self {
            Bug::AcceptorForgets => "acceptor-forgets",
            Bug::ProposerIgnoresPromises => "proposer-ignores-promises",
            Bug::MinorityQuorum => "minority-quorum",
            Bug::AcceptBelowPromise => "accept-below-promise",
            Bug::ProposerForgetsRound => "proposer-forgets-round",
        }
    }

    pub fn from_name(name: &str) -> Result<Bug, String> {
        Bug::ALL.into_iter().find(|b| b.name() == name).ok_or_else(|| {
            let names: Vec<_> = Bug::ALL.iter().map(|b| b.name()).collect();
            format!("unknown bug \"{name}\"; the broken variants are: {}", names.join(", "))
        })
    }

    /// The rule of Paxos this variant breaks, in a sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Bug::AcceptorForgets => "UNSAFE: acceptors forget what they promised and accepted when they crash (no stable storage)",
            Bug::ProposerIgnoresPromises => "UNSAFE: a proposer proposes its own value even when a promise reports an accepted one",
            Bug::MinorityQuorum => "UNSAFE: a quorum is one acceptor short of a majority, so two quorums may not overlap",
            Bug::AcceptBelowPromise => "UNSAFE: an acceptor accepts a ballot lower than one it has promised",
            Bug::ProposerForgetsRound => "UNSAFE: a proposer forgets its highest round when it crashes, so it can reuse a ballot with another value",
        }
    }

    /// What the variant does, as a short lower-case clause for a sentence ("UNSAFE: a
    /// deliberately broken variant (…)").
    pub fn note(self) -> &'static str {
        match self {
            Bug::AcceptorForgets => "acceptors forget what they promised and accepted when they restart",
            Bug::ProposerIgnoresPromises => "proposers ignore the values reported in promises",
            Bug::MinorityQuorum => "a minority of acceptors counts as a quorum",
            Bug::AcceptBelowPromise => "acceptors accept ballots below their promise",
            Bug::ProposerForgetsRound => "a restarted proposer forgets its highest round and reuses a ballot",
        }
    }
}


/// Timer ranges, in logical ticks; the environment picks a delay in each range.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Timing {
    /// A proposer retries with a higher round when its round has not succeeded by then.
    pub retry: (u64, u64),
    /// The leader's heartbeat period (distinguished-proposer mode).
    pub heartbeat: (u64, u64),
    /// A proposer takes over when the leader is silent this long.
    pub leader_timeout: (u64, u64),
}

impl Default for Timing {
    fn default() -> Timing {
        Timing { retry: (200, 300), heartbeat: (40, 40), leader_timeout: (150, 200) }
    }
}

/// The static configuration of a Paxos cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PaxosConfig {
    pub nodes: usize,
    pub proposers: NodeSet,
    pub acceptors: NodeSet,
    pub learners: NodeSet,
    pub bug: Option<Bug>,
    /// Only the leader proposes; another proposer takes over when it falls silent.
    pub distinguished: bool,
    /// The first round a proposer uses (the stories use 42).
    pub start_round: u32,
    /// A bound for the explorer: proposers never start a round above it.
    pub max_round: Option<u32>,
    pub timing: Timing,
}

impl PaxosConfig {
    /// `n` nodes, all acceptors and learners, with the given proposers.
    pub fn new(n: usize, proposers: &[NodeId]) -> PaxosConfig {
        let all = (1..=n as NodeId).fold(0, |s, i| s | bit(i));
        PaxosConfig {
            nodes: n,
            proposers: proposers.iter().fold(0, |s, &i| s | bit(i)),
            acceptors: all,
            learners: all,
            bug: None,
            distinguished: false,
            start_round: 1,
            max_round: None,
            timing: Timing::default(),
        }
    }

    pub fn is_bug(&self, bug: Bug) -> bool {
        self.bug == Some(bug)
    }

    /// How many acceptors make a quorum (a majority, unless the `minority-quorum` bug).
    pub fn quorum(&self) -> usize {
        let m = super::quorum::majority(self.acceptors.count_ones() as usize);
        if self.is_bug(Bug::MinorityQuorum) {
            (m - 1).max(1)
        } else {
            m
        }
    }
}
