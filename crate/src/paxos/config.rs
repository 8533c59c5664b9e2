//! Cluster configuration and the deliberately broken variants.

use serde::{Deserialize, Serialize};

use super::{Ballot, Value};
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
    /// Multi-Paxos: a node taking over as leader starts phase 2 without phase 1.
    NewLeaderSkipsPhase1,
    /// Multi-Paxos: a new leader fills a slot with a no-op although a promise reported a value.
    NoopOverwrites,
    /// Multi-Paxos: a replica applies a slot as soon as it learns it, before the ones below.
    ApplyOutOfOrder,
}

impl Bug {
    /// Single-decree Paxos's broken variants (the ones [`crate::paxos::PaxosNode`] runs).
    pub const ALL: [Bug; 5] = [Bug::AcceptorForgets, Bug::ProposerIgnoresPromises, Bug::MinorityQuorum, Bug::AcceptBelowPromise, Bug::ProposerForgetsRound];
    /// Multi-Paxos's broken variants ([`crate::multipaxos::MultiNode`]).
    pub const MULTI: [Bug; 3] = [Bug::NewLeaderSkipsPhase1, Bug::NoopOverwrites, Bug::ApplyOutOfOrder];
    /// Every broken variant of every protocol.
    pub const EVERY: [Bug; 8] = [
        Bug::AcceptorForgets,
        Bug::ProposerIgnoresPromises,
        Bug::MinorityQuorum,
        Bug::AcceptBelowPromise,
        Bug::ProposerForgetsRound,
        Bug::NewLeaderSkipsPhase1,
        Bug::NoopOverwrites,
        Bug::ApplyOutOfOrder,
    ];


    pub fn name(self) -> &'static str {
        match self {
            Bug::AcceptorForgets => "acceptor-forgets",
            Bug::ProposerIgnoresPromises => "proposer-ignores-promises",
            Bug::MinorityQuorum => "minority-quorum",
            Bug::AcceptBelowPromise => "accept-below-promise",
            Bug::ProposerForgetsRound => "proposer-forgets-round",
            Bug::NewLeaderSkipsPhase1 => "new-leader-skips-phase1",
            Bug::NoopOverwrites => "noop-overwrites",
            Bug::ApplyOutOfOrder => "apply-out-of-order",
        }
    }

    /// The protocol this variant breaks: a configuration of another protocol refuses it.
    pub fn protocol(self) -> crate::protocols::ProtocolKind {
        match self {
            Bug::NewLeaderSkipsPhase1 | Bug::NoopOverwrites | Bug::ApplyOutOfOrder => crate::protocols::ProtocolKind::MultiPaxos,
            _ => crate::protocols::ProtocolKind::Paxos,
        }
    }

    pub fn from_name(name: &str) -> Result<Bug, String> {
        Bug::EVERY.into_iter().find(|b| b.name() == name).ok_or_else(|| {
            let names: Vec<_> = Bug::EVERY.iter().map(|b| b.name()).collect();
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
            Bug::NewLeaderSkipsPhase1 => "UNSAFE: a node taking over as leader starts phase 2 without phase 1, so it never learns the values already accepted",
            Bug::NoopOverwrites => "UNSAFE: a new leader fills a slot with a no-op although a promise reported a value accepted there",
            Bug::ApplyOutOfOrder => "UNSAFE: a replica applies a slot as soon as it learns it, before the slots below it",
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
            Bug::NewLeaderSkipsPhase1 => "a new leader skips phase 1 and proposes without learning what was accepted",
            Bug::NoopOverwrites => "a new leader writes no-ops over values the promises reported",
            Bug::ApplyOutOfOrder => "replicas apply slots as soon as they learn them, out of order",
        }
    }
}

/// What a broken variant did differently from Paxos at one input: recorded as it happens
/// (an observation), so the log, a story's caption and a violation's explanation can point at
/// the cause, not only at the symptom. Only deviations that change what the node does are
/// recorded.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Deviation {
    /// `acceptor-forgets`: the node restarted without the promise and the accepted proposal
    /// it had written to disk.
    ForgotAcceptorState { promised: Option<Ballot>, accepted: Option<(Ballot, Value)> },
    /// `proposer-forgets-round`: the node restarted without its highest round.
    ForgotRound { max_round: u32 },
    /// `proposer-ignores-promises`: a promise reported `prior`, yet the proposer sends its own
    /// value.
    IgnoredPrior { ballot: Ballot, prior: (Ballot, Value), own: Value },
    /// `minority-quorum`: the node acted on `count` replies, fewer than a majority of `of`.
    Minority { step: QuorumUse, ballot: Ballot, count: u8, of: u8 },
    /// `accept-below-promise`: the node accepted `ballot` although it had promised `promised`.
    AcceptedBelow { ballot: Ballot, promised: Ballot },
    /// `new-leader-skips-phase1`: the node took over with `ballot` and went straight to
    /// phase 2 from `slot`.
    SkippedPhase1 { ballot: Ballot, slot: u32 },
    /// `noop-overwrites`: leading `ballot`, the node proposed a no-op in `slot` although a
    /// promise reported `reported` accepted there.
    NoopOverwrote { ballot: Ballot, slot: u32, reported: (Ballot, Value) },
    /// `apply-out-of-order`: the replica applied `slot` while `missing` (below it) was not
    /// yet applied.
    AppliedOutOfOrder { slot: u32, missing: u32 },
}

/// What a minority quorum was used for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum QuorumUse {
    /// A proposer went to phase 2 with too few promises.
    Promises,
    /// A proposer believed its value chosen with too few acceptances.
    Accepts,
    /// A learner learned from too few acceptors.
    Learned,
}

impl Deviation {
    /// The broken variant that behaves this way.
    pub fn bug(self) -> Bug {
        match self {
            Deviation::ForgotAcceptorState { .. } => Bug::AcceptorForgets,
            Deviation::ForgotRound { .. } => Bug::ProposerForgetsRound,
            Deviation::IgnoredPrior { .. } => Bug::ProposerIgnoresPromises,
            Deviation::Minority { .. } => Bug::MinorityQuorum,
            Deviation::AcceptedBelow { .. } => Bug::AcceptBelowPromise,
            Deviation::SkippedPhase1 { .. } => Bug::NewLeaderSkipsPhase1,
            Deviation::NoopOverwrote { .. } => Bug::NoopOverwrites,
            Deviation::AppliedOutOfOrder { .. } => Bug::ApplyOutOfOrder,
        }
    }

    /// What Paxos requires instead, in a sentence.
    pub fn rule(self) -> &'static str {
        match self {
            Deviation::ForgotAcceptorState { .. } => "A correct acceptor keeps its promise and its accepted proposal on stable storage across a crash.",
            Deviation::ForgotRound { .. } => "A correct proposer keeps its highest round on stable storage, so it never uses a ballot twice.",
            Deviation::IgnoredPrior { .. } => "A correct proposer proposes the value of the highest-ballot proposal the promises report.",
            Deviation::Minority { .. } => "A correct quorum is a majority, so any two quorums share an acceptor.",
            Deviation::AcceptedBelow { .. } => "A correct acceptor ignores every ballot below its promise.",
            Deviation::SkippedPhase1 { .. } => "A correct new leader runs phase 1 first, to learn every value a quorum may have accepted in the open slots.",
            Deviation::NoopOverwrote { .. } => "A correct new leader re-proposes the highest-ballot value the promises report in a slot, and fills only empty slots with a no-op.",
            Deviation::AppliedOutOfOrder { .. } => "A correct replica applies the log in slot order, waiting for every slot below.",
        }
    }

    /// What node `node` did, in words, as a clause after "node N": "restarts with an empty
    /// disk: it has forgotten …".
    pub fn words(self) -> String {
        match self {
            Deviation::ForgotAcceptorState { promised, accepted } => {
                let mut lost = Vec::new();
                if let Some(p) = promised {
                    lost.push(format!("its promise {p}"));
                }
                if let Some((b, v)) = accepted {
                    lost.push(format!("that it accepted {b}: {v}"));
                }
                format!("restarts with an empty disk: it has forgotten {}", lost.join(" and "))
            }
            Deviation::ForgotRound { max_round } => {
                format!("restarts without its highest round ({max_round}): it will number its next ballot from the start again")
            }
            Deviation::IgnoredPrior { ballot, prior: (b, v), own } => {
                format!("ignores the accepted proposal {b}: {v} reported in a promise and sends Accept {ballot} with its own value {own}, where Paxos requires {v}")
            }
            Deviation::Minority { step, ballot, count, of } => {
                let what = match step {
                    QuorumUse::Promises => "goes to phase 2 of ballot",
                    QuorumUse::Accepts => "takes as chosen its ballot",
                    QuorumUse::Learned => "learns the value of ballot",
                };
                format!("{what} {ballot} on {count} of {of} acceptors, fewer than a majority")
            }
            Deviation::AcceptedBelow { ballot, promised } => {
                format!("accepts ballot {ballot} although it promised {promised}")
            }
            Deviation::SkippedPhase1 { ballot, slot } => {
                format!("takes over with ballot {ballot} and skips phase 1: it proposes from slot {slot} without asking what the acceptors accepted")
            }
            Deviation::NoopOverwrote { ballot, slot, reported: (b, v) } => {
                format!("leading {ballot}, proposes a no-op in slot {slot} although a promise reported {b}: {v} accepted there")
            }
            Deviation::AppliedOutOfOrder { slot, missing } => {
                format!("applies slot {slot} as soon as it learns it, although slot {missing} below it is not applied yet")
            }
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
    /// A majority of the acceptors (whatever the variant).
    pub fn majority(&self) -> usize {
        super::quorum::majority(self.acceptors.count_ones() as usize)
    }

    pub fn quorum(&self) -> usize {
        let m = super::quorum::majority(self.acceptors.count_ones() as usize);
        if self.is_bug(Bug::MinorityQuorum) {
            (m - 1).max(1)
        } else {
            m
        }
    }
}
