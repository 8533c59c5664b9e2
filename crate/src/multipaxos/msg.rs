//! Multi-Paxos's commands and messages. A `Promise` keeps its entries on the heap (one
//! fixed-size array, boxed), so every other message stays as small as single-decree Paxos's
//! and the registry's message type (every event, every message in flight) does not grow with
//! the log; `Box` hashes, compares and prints as what it holds, so nothing else changes.

use crate::paxos::{Ballot, Value, MAX_VALUE_LEN};
use crate::protocol::{CommandId, MsgView, SlotNo};
use std::fmt;

/// The most log slots a node keeps (a `Promise` carries one entry per slot).
pub const MAX_SLOTS: usize = 8;

/// The no-op's text: what a new leader writes into a gap.
pub const NOOP: &str = "no-op";

/// A command in the log: a client's `op` with its identity, or the no-op (`id: None`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cmd {
    pub id: Option<CommandId>,
    pub op: Value,
}

impl Cmd {
    pub fn new(client: u8, seq: u16, op: Value) -> Cmd {
        Cmd { id: Some(CommandId { client, seq }), op }
    }

    pub fn noop() -> Cmd {
        Cmd { id: None, op: Value::new(NOOP).ok().expect("no-op is a valid value") }
    }

    pub fn is_noop(&self) -> bool {
        self.id.is_none()
    }

    /// The value the safety checks see: `op#client.seq` (the op cut short so it fits a
    /// [`Value`]), or `no-op`.
    pub fn ghost(&self) -> Value {
        let Some(id) = self.id else { return self.op };
        let suffix = format!("#{}.{}", id.client, id.seq);
        let room = MAX_VALUE_LEN - suffix.len();
        let op = self.op.as_str();
        let mut end = op.len().min(room);
        while !op.is_char_boundary(end) {
            end -= 1;
        }
        let text = format!("{}{suffix}", op[..end].trim_end());
        Value::new(&text).ok().expect("a command's ghost value fits")
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.op.as_str())
    }
}

impl fmt::Debug for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "{}#{}.{}", self.op, id.client, id.seq),
            None => f.write_str(NOOP),
        }
    }
}

/// What an acceptor accepted, per slot (index `slot - 1`).
pub type Entries = [Option<(Ballot, Cmd)>; MAX_SLOTS];

/// A message between Multi-Paxos nodes.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Msg {
    /// Phase 1a, once for every slot from `from` on.
    Prepare { ballot: Ballot, from: SlotNo },
    /// Phase 1b: the acceptor promises `ballot` and reports what it accepted in every slot
    /// from the Prepare's `from` on.
    Promise { ballot: Ballot, entries: Box<Entries> },
    /// Phase 2a, for one slot.
    Accept { ballot: Ballot, slot: SlotNo, cmd: Cmd },
    /// Phase 2b: sent to the leader and to every learner.
    Accepted { ballot: Ballot, slot: SlotNo, cmd: Cmd },
    /// The leader is alive; it knows every slot up to `commit` chosen.
    Heartbeat { ballot: Ballot, commit: SlotNo },
    /// A lagging replica asks the leader for the chosen entries from `from` on.
    CatchUp { from: SlotNo },
    /// The leader tells a replica what was chosen in `slot`.
    Chosen { slot: SlotNo, cmd: Cmd },
    /// A client's command, to the node it believes leads.
    Request { cmd: Cmd },
    /// The command `seq` of the receiving client is chosen.
    Reply { seq: u16 },
}

impl Msg {
    /// The kinds of message, in the order of the protocol.
    pub const KINDS: [&'static str; 9] = ["Prepare", "Promise", "Accept", "Accepted", "Heartbeat", "CatchUp", "Chosen", "Request", "Reply"];

    pub fn kind(&self) -> &'static str {
        Msg::KINDS[match self {
            Msg::Prepare { .. } => 0,
            Msg::Promise { .. } => 1,
            Msg::Accept { .. } => 2,
            Msg::Accepted { .. } => 3,
            Msg::Heartbeat { .. } => 4,
            Msg::CatchUp { .. } => 5,
            Msg::Chosen { .. } => 6,
            Msg::Request { .. } => 7,
            Msg::Reply { .. } => 8,
        }]
    }

    /// How the message looks on an envelope: `Accept 3.1 [s2] Blue`.
    pub fn view(&self) -> MsgView {
        let (slot, ballot, value, label) = match *self {
            Msg::Prepare { ballot, from } => (None, Some(ballot), None, format!("Prepare {ballot} [s{from}+]")),
            Msg::Promise { ballot, ref entries } => {
                let reported: Vec<String> =
                    entries.iter().enumerate().filter_map(|(i, e)| e.map(|(b, c)| format!("s{}: {b} {c}", i + 1))).collect();
                let label = if reported.is_empty() { format!("Promise {ballot}") } else { format!("Promise {ballot} ({})", reported.join(", ")) };
                (None, Some(ballot), None, label)
            }
            Msg::Accept { ballot, slot, cmd } => (Some(slot), Some(ballot), Some(cmd), format!("Accept {ballot} [s{slot}] {cmd}")),
            Msg::Accepted { ballot, slot, cmd } => (Some(slot), Some(ballot), Some(cmd), format!("Accepted {ballot} [s{slot}] {cmd}")),
            Msg::Heartbeat { ballot, commit } => (None, Some(ballot), None, format!("Heartbeat {ballot} (commit {commit})")),
            Msg::CatchUp { from } => (Some(from), None, None, format!("CatchUp [s{from}+]")),
            Msg::Chosen { slot, cmd } => (Some(slot), None, Some(cmd), format!("Chosen [s{slot}] {cmd}")),
            Msg::Request { cmd } => (None, None, Some(cmd), format!("Request {cmd:?}")),
            Msg::Reply { seq } => (None, None, None, format!("Reply #{seq}")),
        };
        MsgView {
            kind: self.kind(),
            slot,
            ballot: ballot.map(|b| b.to_string()),
            value: value.map(|c| c.to_string()),
            prior: None,
            label,
        }
    }
}
