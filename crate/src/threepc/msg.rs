//! Three-phase commit's messages.

use super::node::Phase;
use crate::paxos::Value;
use crate::protocol::MsgView;

/// A message between the nodes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Msg {
    /// Phase 1: the coordinator asks whether a participant can commit transaction `txn`.
    CanCommit { txn: Value },
    /// A participant's votes (a yes is written to disk before it is sent).
    Yes,
    No,
    /// Phase 2: every vote was yes; the participant moves to "pre-committed".
    PreCommit,
    /// A participant acknowledges the pre-commit.
    Ack,
    /// Phase 3: commit (from the coordinator, or from a participant that decided by the
    /// termination rule).
    DoCommit,
    /// Abort (from the coordinator, or from a participant that decided by the termination
    /// rule).
    Abort,
    /// The termination protocol: a participant asks another for its state.
    StateReq,
    /// The answer: the sender's state.
    StateReply { state: Phase },
}

impl Msg {
    /// The kinds of message, in the protocol's order.
    pub const KINDS: [&'static str; 9] = ["CanCommit", "Yes", "No", "PreCommit", "Ack", "DoCommit", "Abort", "StateReq", "StateReply"];

    pub fn kind(&self) -> &'static str {
        Msg::KINDS[match self {
            Msg::CanCommit { .. } => 0,
            Msg::Yes => 1,
            Msg::No => 2,
            Msg::PreCommit => 3,
            Msg::Ack => 4,
            Msg::DoCommit => 5,
            Msg::Abort => 6,
            Msg::StateReq => 7,
            Msg::StateReply { .. } => 8,
        }]
    }

    /// How the message looks on an envelope: `CanCommit Green`, `StateReply (uncertain)`.
    pub fn view(&self) -> MsgView {
        let (value, label) = match *self {
            Msg::CanCommit { txn } => (Some(txn.to_string()), format!("CanCommit {txn}")),
            Msg::StateReply { state } => (None, format!("StateReply ({})", state.word())),
            _ => (None, self.kind().to_string()),
        };
        MsgView { kind: self.kind(), slot: None, ballot: None, value, prior: None, label }
    }
}
