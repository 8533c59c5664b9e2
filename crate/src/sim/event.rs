//! What happened in a step, as data: [`World::apply`](super::World::apply) writes a step's
//! events, the journal keeps them, and [`line`] (a pure function) tells them in plain words
//! for the event log. Counting or searching runs goes through these, never through the prose.

use std::fmt::Write as _;

use super::world::Policy;
use crate::check::invariants::Breach;
use crate::paxos::{Ballot, Deviation, Value};
use crate::protocol::{NodeId, NodeSet, Protocol, SlotNo};

/// A message and its addresses.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Envelope<M> {
    pub id: u32,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: M,
}

/// Why a delivered message never reached its receiver's code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unreceived {
    /// The receiver is down.
    Down(NodeId),
    /// The link between sender and receiver is cut.
    Cut,
}

/// One thing that happened. Every step starts with exactly one event that says what the
/// step did (the first group below); the rest of the step follows from it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Event<M, T> {
    /// A message arrived (by hand or by the automatic policy).
    Delivered(Envelope<M>),
    /// The network duplicated a message as message `copy`, which arrives later, and
    /// delivered this one.
    DuplicatedByNetwork { msg: Envelope<M>, copy: u32 },
    /// The network delayed a message until time `until`.
    Delayed { msg: Envelope<M>, until: u64 },
    /// The network lost a message.
    LostByNetwork(Envelope<M>),
    /// A person dropped a message.
    Dropped(Envelope<M>),
    /// A person duplicated a message: `copy` is the new one.
    Duplicated { copy: Envelope<M> },
    Held(Envelope<M>),
    Released(Envelope<M>),
    /// A person moved a message before message `before` in the delivery order. (`before`
    /// is boxed: the only event with two messages would make every event twice as large.)
    Moved { msg: Envelope<M>, before: Box<Envelope<M>> },
    TimerFired { node: NodeId, timer: T },
    Crashed(NodeId),
    Restarted(NodeId),
    /// A client asked a node to propose a value.
    Proposed { node: NodeId, value: Value },
    /// The link between nodes `a < b` was cut.
    Cut(NodeId, NodeId),
    Healed(NodeId, NodeId),
    PolicySet(Policy),

    /// The message just delivered (message `id`) is lost after all.
    Unreceived { id: u32, why: Unreceived },
    /// An acceptor accepted a proposal (in `slot`: 0 for single-decree protocols).
    Accepted { node: NodeId, slot: SlotNo, ballot: Ballot, value: Value },
    /// A learner learned a value.
    Learned { node: NodeId, slot: SlotNo, value: Value },
    /// A majority of the acceptors (`by`) accepted `ballot` in `slot`: its value is chosen.
    Chosen { slot: SlotNo, ballot: Ballot, value: Value, by: NodeSet },
    /// A replica applied `slot` to its state machine (`effect`: false for a no-op or a
    /// command it had applied before).
    Applied { node: NodeId, slot: SlotNo, value: Value, effect: bool },
    /// A node became the leader of `ballot`.
    Leader { node: NodeId, ballot: Ballot },
    /// A safety property broke for the first time in this run.
    Violation(Breach),
    /// A node of a broken variant did something Paxos forbids.
    Deviated { node: NodeId, what: Deviation },
    /// A participant voted on the transaction (commit protocols).
    Voted { node: NodeId, yes: bool },
    /// A node decided the transaction's outcome (commit protocols).
    Decided { node: NodeId, commit: bool },
    /// A node sent a message.
    Sent(Envelope<M>),
}

impl<M, T> Event<M, T> {
    /// The message a step handed to its receiver, if it did: a delivery that was not lost.
    pub fn is_delivery(&self) -> bool {
        matches!(self, Event::Delivered(_) | Event::DuplicatedByNetwork { .. })
    }
}

/// Parts per million as a percentage, without floating point: 125000 -> "12.5%".
fn percent(ppm: u32) -> String {
    let (whole, mut frac) = (ppm / 10_000, ppm % 10_000);
    if frac == 0 {
        return format!("{whole}%");
    }
    // Four decimals, without their trailing zeros (no char pattern: its searcher brings
    // panicking conversions into the WebAssembly).
    let mut width = 4;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    format!("{whole}.{frac:0width$}%")
}

/// "node 1", "nodes 1, 2, 3" (in the order given).
pub(crate) fn node_list(set: &[NodeId]) -> String {
    match set {
        [] => String::new(),
        [one] => format!("node {one}"),
        many => {
            let names: Vec<String> = many.iter().map(|n| n.to_string()).collect();
            format!("nodes {}", names.join(", "))
        }
    }
}

/// " in slot 3" for a log's slot; nothing for single-decree protocols (slot 0).
pub(crate) fn in_slot(slot: SlotNo) -> String {
    if slot == 0 {
        String::new()
    } else {
        format!(" in slot {slot}")
    }
}

/// "Green is chosen: a majority (nodes 1, 2) accepted ballot 42.1" ("Green is chosen in
/// slot 2: …" for a log).
pub(crate) fn chosen(slot: SlotNo, value: Value, ballot: Ballot, by: NodeSet) -> String {
    let by: Vec<NodeId> = crate::protocol::members(by).collect();
    format!("{value} is chosen{}: a majority ({}) accepted ballot {ballot}", in_slot(slot), node_list(&by))
}

fn label<P: Protocol>(e: &Envelope<P::Msg>) -> String {
    format!("{} from node {} to node {}", P::describe(&e.msg).label, e.from, e.to)
}

/// One step's events as one line of the event log, in plain words: "Prepare 42.1 from node 1
/// to node 2 delivered; node 2 sends Promise 42.1 to node 1". A pure function of the events.
pub fn line<P: Protocol>(events: &[Event<P::Msg, P::Timer>]) -> String {
    let mut t = String::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Delivered(e) => {
                let _ = write!(t, "{} delivered", label::<P>(e));
            }
            Event::DuplicatedByNetwork { msg, copy } => {
                let _ = copy;
                let _ = write!(t, "{} duplicated by the network (the copy arrives later) and delivered", label::<P>(msg));
            }
            Event::Delayed { msg, until } => {
                let _ = write!(t, "{} delayed by the network until time {until}", label::<P>(msg));
            }
            Event::LostByNetwork(e) => {
                let _ = write!(t, "{} lost by the network", label::<P>(e));
            }
            Event::Dropped(e) => {
                let _ = write!(t, "{} dropped", label::<P>(e));
            }
            Event::Duplicated { copy } => {
                let _ = write!(t, "{} duplicated: a second copy is in flight", label::<P>(copy));
            }
            Event::Held(e) => {
                let _ = write!(t, "{} held back", label::<P>(e));
            }
            Event::Released(e) => {
                let _ = write!(t, "{} released", label::<P>(e));
            }
            Event::Moved { msg, before } => {
                let _ = write!(t, "{} moved ahead of {}", label::<P>(msg), label::<P>(before));
            }
            Event::TimerFired { node, timer } => {
                let _ = write!(t, "node {node}'s {} timer fires", P::timer_name(timer));
            }
            Event::Crashed(node) => {
                let _ = write!(t, "node {node} crashes: it keeps only what it wrote to stable storage");
            }
            Event::Restarted(node) => {
                let _ = write!(t, "node {node} restarts from stable storage");
            }
            Event::Proposed { node, value } => {
                let _ = write!(t, "a client asks node {node} to propose {value}");
            }
            Event::Cut(a, b) => {
                let _ = write!(t, "the link between nodes {a} and {b} is cut: messages between them are lost");
            }
            Event::Healed(a, b) => {
                let _ = write!(t, "the link between nodes {a} and {b} is healed");
            }
            Event::PolicySet(p) => {
                let _ = write!(
                    t,
                    "network policy: {} loss, {} duplication, {} delay, latency {}–{}",
                    percent(p.loss_ppm),
                    percent(p.dup_ppm),
                    percent(p.delay_ppm),
                    p.min_latency,
                    p.max_latency
                );
            }
            Event::Unreceived { why: Unreceived::Down(node), .. } => {
                let _ = write!(t, ", but node {node} is down: the message is lost");
            }
            Event::Unreceived { why: Unreceived::Cut, .. } => t.push_str(", but the link is cut: the message is lost"),
            Event::Accepted { node, slot, ballot, value } => {
                let _ = write!(t, "; node {node} accepts {ballot}: {value}{}", in_slot(*slot));
            }
            Event::Learned { node, slot, value } => {
                let _ = write!(t, "; node {node} learns {value}{}", in_slot(*slot));
            }
            Event::Chosen { slot, ballot, value, by } => {
                let _ = write!(t, "; {}", chosen(*slot, *value, *ballot, *by));
            }
            Event::Applied { node, slot, value, effect } => {
                let what = if *effect { "" } else { " (no effect: a no-op, or a command it already applied)" };
                let _ = write!(t, "; node {node} applies slot {slot}: {value}{what}");
            }
            Event::Leader { node, ballot } => {
                let _ = write!(t, "; node {node} becomes the leader of ballot {ballot}");
            }
            Event::Deviated { node, what } => {
                let _ = write!(t, "; BROKEN RULE ({}): node {node} {}", what.bug().name(), what.words());
            }
            Event::Voted { node, yes: true } => {
                let _ = write!(t, "; node {node} votes yes (written to stable storage: it can no longer abort alone)");
            }
            Event::Voted { node, yes: false } => {
                let _ = write!(t, "; node {node} votes no");
            }
            Event::Decided { node, commit } => {
                let _ = write!(t, "; node {node} decides {}", if *commit { "COMMIT" } else { "ABORT" });
            }
            Event::Violation(b) => {
                let _ = write!(t, "; SAFETY VIOLATION: {}", b.property().title());
            }
            Event::Sent(first) => {
                // Identical messages sent one after another are told together:
                // "node 1 sends Prepare 42.1 to nodes 1, 2, 3".
                let mut to = vec![first.to];
                while let Some(Event::Sent(e)) = events.get(i + 1) {
                    if e.msg != first.msg || e.from != first.from {
                        break;
                    }
                    to.push(e.to);
                    i += 1;
                }
                let _ = write!(t, "; node {} sends {} to {}", first.from, P::describe(&first.msg).label, node_list(&to));
            }
        }
        i += 1;
    }
    if let Some(first) = t.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages_drop_trailing_zeros() {
        let p: Vec<String> = [0, 1, 10, 125_000, 100_000, 1_000_000, 333_333, 5].into_iter().map(super::percent).collect();
        assert_eq!(p, ["0%", "0.0001%", "0.001%", "12.5%", "10%", "100%", "33.3333%", "0.0005%"]);
    }
}
