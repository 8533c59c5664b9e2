//! Two-phase commit's messages.

use crate::paxos::Value;
use crate::protocol::MsgView;

/// A message between the coordinator and a participant.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Msg {
    /// The coordinator asks a participant to vote on transaction `txn` (phase 1).
    Prepare { txn: Value },
    /// A participant's vote (`yes`: prepared to commit; written to disk before it is sent).
    Vote { yes: bool },
    /// The coordinator's decision (phase 2).
    Commit,
    Abort,
    /// A participant acknowledges the decision: the coordinator stops resending it.
    Ack,
    /// A participant that voted yes asks the coordinator for the outcome.
    Query,
}

impl Msg {
    /// The kinds of message, in the protocol's order.
    pub const KINDS: [&'static str; 6] = ["Prepare", "Vote", "Commit", "Abort", "Ack", "Query"];

    pub fn kind(&self) -> &'static str {
        Msg::KINDS[match self {
            Msg::Prepare { .. } => 0,
            Msg::Vote { .. } => 1,
            Msg::Commit => 2,
            Msg::Abort => 3,
            Msg::Ack => 4,
            Msg::Query => 5,
        }]
    }

    /// How the message looks on an envelope: `Prepare Green`, `Vote yes`.
    pub fn view(&self) -> MsgView {
        let (value, label) = match *self {
            Msg::Prepare { txn } => (Some(txn.to_string()), format!("Prepare {txn}")),
            Msg::Vote { yes } => (None, format!("Vote {}", if yes { "yes" } else { "no" })),
            _ => (None, self.kind().to_string()),
        };
        MsgView { kind: self.kind(), slot: None, ballot: None, value, prior: None, label }
    }
}
