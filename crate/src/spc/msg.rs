//! The single-proposer commit's messages.

use super::config::MAX_SEQ;
use crate::paxos::{Ballot, Value};
use crate::protocol::{MsgView, SlotNo};

/// What an acceptor reports it has accepted: one entry per sequence number (index 0 is
/// sequence number 1).
pub type Entries = [Option<Value>; MAX_SEQ];

/// A message between nodes. `id` names a proposal for the safety checks only (the
/// coordinator and how many elections it has won, written as a ballot): no node ever
/// compares two of them, and it is not shown.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Msg {
    /// The coordinator asks every acceptor to accept `value` as number `seq` of the sequence.
    Propose { seq: SlotNo, id: Ballot, value: Value },
    /// An acceptor accepted it; sent to the coordinator only (the seed: "acceptors only send
    /// accept messages to the distinguished proposer").
    Accepted { seq: SlotNo, id: Ballot, value: Value },
    /// The coordinator heard a majority accept: `value` is chosen as number `seq`. Sent to the
    /// learners and the acceptors.
    Chosen { seq: SlotNo, value: Value },
    /// The coordinator is alive: candidates that hear it do not stand for election.
    Heartbeat,
    /// The sender declares itself the distinguished proposer, and asks every acceptor what it
    /// has accepted (the announcement and the query are one message).
    Elect,
    /// An acceptor's answer to `Elect`: every value it has accepted, by sequence number (on
    /// the heap, so the other messages stay small).
    Report { entries: Box<Entries> },
}

impl Msg {
    /// The kinds of message, in the protocol's order.
    pub const KINDS: [&'static str; 6] = ["Propose", "Accepted", "Chosen", "Heartbeat", "Elect", "Report"];

    pub fn kind(&self) -> &'static str {
        Msg::KINDS[match self {
            Msg::Propose { .. } => 0,
            Msg::Accepted { .. } => 1,
            Msg::Chosen { .. } => 2,
            Msg::Heartbeat => 3,
            Msg::Elect => 4,
            Msg::Report { .. } => 5,
        }]
    }

    /// How the message looks on an envelope: `Propose [s1] Green`, `Report (s1 Green)`.
    pub fn view(&self) -> MsgView {
        let (slot, value) = match *self {
            Msg::Propose { seq, value, .. } | Msg::Accepted { seq, value, .. } | Msg::Chosen { seq, value } => (Some(seq), Some(value)),
            _ => (None, None),
        };
        let label = match *self {
            Msg::Report { ref entries } => {
                let got: Vec<String> = entries.iter().enumerate().filter_map(|(i, e)| e.map(|v| format!("s{} {v}", i + 1))).collect();
                if got.is_empty() {
                    "Report (nothing accepted)".to_string()
                } else {
                    format!("Report ({})", got.join(", "))
                }
            }
            _ => match (slot, value) {
                (Some(s), Some(v)) => format!("{} [s{s}] {v}", self.kind()),
                _ => self.kind().to_string(),
            },
        };
        MsgView { kind: self.kind(), slot, ballot: None, value: value.map(|v| v.to_string()), prior: None, label }
    }
}
