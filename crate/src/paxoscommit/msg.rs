//! Paxos Commit's messages.

use crate::paxos::{Ballot, Value};
use crate::protocol::{members, MsgView, NodeId, MAX_NODES};

/// The two values an instance can choose: the participant is prepared (it voted yes) or the
/// transaction is aborted for it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Vote {
    Prepared,
    Aborted,
}

impl Vote {
    pub fn name(self) -> &'static str {
        match self {
            Vote::Prepared => "Prepared",
            Vote::Aborted => "Aborted",
        }
    }

    /// The value the safety checks see.
    pub fn value(self) -> Value {
        Value::new(self.name()).ok().expect("vote names are valid values")
    }
}

/// What an acceptor accepted, per instance (index `p - 1` is participant `p`'s instance).
pub type Accepted = [Option<(Ballot, Vote)>; MAX_NODES];

/// A message between nodes.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Msg {
    /// The coordinator asks a participant to prepare (vote on) transaction `tx`.
    BeginCommit { tx: Value },
    /// Phase 2a in instance `inst`: a participant's vote (ballot `0.p`), or a leader's
    /// proposal after phase 1.
    Accept { inst: NodeId, ballot: Ballot, vote: Vote },
    /// Phase 2b: an acceptor accepted it; sent to the leader (for ballot 0, the coordinator).
    Accepted { inst: NodeId, ballot: Ballot, vote: Vote },
    /// The decision, sent by the node that learned it from the acceptors.
    Outcome { commit: bool },
    /// Phase 1a, for every instance at once: a recovering node leads `ballot`.
    Prepare { ballot: Ballot },
    /// Phase 1b: the acceptor promised `ballot` and reports what it accepted in each
    /// instance (on the heap, so the other messages stay small).
    Promise { ballot: Ballot, accepted: Box<Accepted> },
}

impl Msg {
    /// The kinds of message, in the protocol's order.
    pub const KINDS: [&'static str; 7] = ["BeginCommit", "Accept", "Accepted", "Commit", "Abort", "Prepare", "Promise"];

    pub fn kind(&self) -> &'static str {
        Msg::KINDS[match self {
            Msg::BeginCommit { .. } => 0,
            Msg::Accept { .. } => 1,
            Msg::Accepted { .. } => 2,
            Msg::Outcome { commit: true } => 3,
            Msg::Outcome { commit: false } => 4,
            Msg::Prepare { .. } => 5,
            Msg::Promise { .. } => 6,
        }]
    }

    /// How the message looks on an envelope: `Accept [2] 0.2 Prepared`, `Promise 1.2 (…)`.
    pub fn view(&self) -> MsgView {
        let kind = self.kind();
        let (slot, ballot, value, label) = match *self {
            Msg::BeginCommit { tx } => (None, None, Some(tx.to_string()), format!("{kind} {tx}")),
            Msg::Accept { inst, ballot, vote } | Msg::Accepted { inst, ballot, vote } => {
                (Some(inst as u32), Some(ballot.to_string()), Some(vote.name().to_string()), format!("{kind} [{inst}] {ballot} {}", vote.name()))
            }
            Msg::Outcome { .. } => (None, None, None, kind.to_string()),
            Msg::Prepare { ballot } => (None, Some(ballot.to_string()), None, format!("{kind} {ballot}")),
            Msg::Promise { ballot, ref accepted } => (None, Some(ballot.to_string()), None, format!("{kind} {ballot} ({})", list(accepted))),
        };
        MsgView { kind, slot, ballot, value, prior: None, label }
    }
}

/// `[2] 0.2 Prepared, [3] —`-like text for what an acceptor accepted ("nothing accepted").
pub fn list(accepted: &Accepted) -> String {
    let all = (1..=MAX_NODES as NodeId).fold(0, |s, i| s | crate::protocol::bit(i));
    let got: Vec<String> = members(all).filter_map(|i| accepted[i as usize - 1].map(|(b, v)| format!("[{i}] {b} {}", v.name()))).collect();
    if got.is_empty() {
        "nothing accepted".into()
    } else {
        got.join(", ")
    }
}
