//! The messages of single-decree Paxos.

use super::{Ballot, Value};
use crate::protocol::{BallotValue, MsgView};

/// A message between Paxos nodes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Msg {
    /// Phase 1a: a proposer asks acceptors to promise `ballot`.
    Prepare { ballot: Ballot },
    /// Phase 1b: an acceptor promises `ballot` and reports the highest-ballot proposal it has
    /// accepted, if any.
    Promise { ballot: Ballot, prior: Option<(Ballot, Value)> },
    /// Phase 2a: a proposer asks acceptors to accept `(ballot, value)`.
    Accept { ballot: Ballot, value: Value },
    /// Phase 2b: an acceptor accepted `(ballot, value)`; sent to the proposer and every learner.
    Accepted { ballot: Ballot, value: Value },
    /// A rejection of `ballot`: the acceptor has promised the higher `promised`.
    Nack { ballot: Ballot, promised: Ballot },
    /// Distinguished-proposer mode: the leader is alive.
    Heartbeat,
}

impl Msg {
    /// The kinds of message, in the order of the protocol.
    pub const KINDS: [&'static str; 6] = ["Prepare", "Promise", "Accept", "Accepted", "Nack", "Heartbeat"];

    /// The message with every ballot in it replaced by `f(ballot)`, in field order (the
    /// checker renames nodes and shifts rounds with it).
    pub fn map_ballots(&self, mut f: impl FnMut(Ballot) -> Ballot) -> Msg {
        match *self {
            Msg::Prepare { ballot } => Msg::Prepare { ballot: f(ballot) },
            Msg::Promise { ballot, prior } => Msg::Promise { ballot: f(ballot), prior: prior.map(|(x, v)| (f(x), v)) },
            Msg::Accept { ballot, value } => Msg::Accept { ballot: f(ballot), value },
            Msg::Accepted { ballot, value } => Msg::Accepted { ballot: f(ballot), value },
            Msg::Nack { ballot, promised } => Msg::Nack { ballot: f(ballot), promised: f(promised) },
            Msg::Heartbeat => Msg::Heartbeat,
        }
    }

    pub fn kind(&self) -> &'static str {
        Msg::KINDS[match self {
            Msg::Prepare { .. } => 0,
            Msg::Promise { .. } => 1,
            Msg::Accept { .. } => 2,
            Msg::Accepted { .. } => 3,
            Msg::Nack { .. } => 4,
            Msg::Heartbeat => 5,
        }]
    }

    pub fn ballot(&self) -> Option<Ballot> {
        match *self {
            Msg::Prepare { ballot }
            | Msg::Promise { ballot, .. }
            | Msg::Accept { ballot, .. }
            | Msg::Accepted { ballot, .. }
            | Msg::Nack { ballot, .. } => Some(ballot),
            Msg::Heartbeat => None,
        }
    }

    pub fn value(&self) -> Option<Value> {
        match *self {
            Msg::Accept { value, .. } | Msg::Accepted { value, .. } => Some(value),
            _ => None,
        }
    }

    /// How the message looks on an envelope: `Promise 42.1 (41.3: Green)`.
    pub fn view(&self) -> MsgView {
        let label = match *self {
            Msg::Prepare { ballot } => format!("Prepare {ballot}"),
            Msg::Promise { ballot, prior: None } => format!("Promise {ballot}"),
            Msg::Promise { ballot, prior: Some((b, v)) } => format!("Promise {ballot} ({b}: {v})"),
            Msg::Accept { ballot, value } => format!("Accept {ballot} {value}"),
            Msg::Accepted { ballot, value } => format!("Accepted {ballot} {value}"),
            Msg::Nack { ballot, promised } => format!("Nack {ballot} (promised {promised})"),
            Msg::Heartbeat => "Heartbeat".to_string(),
        };
        let prior = match *self {
            Msg::Promise { prior: Some((b, v)), .. } => Some(BallotValue { ballot: b.to_string(), value: v.to_string() }),
            _ => None,
        };
        MsgView {
            kind: self.kind(),
            slot: None,
            ballot: self.ballot().map(|b| b.to_string()),
            value: self.value().map(|v| v.to_string()),
            prior,
            label,
        }
    }
}
