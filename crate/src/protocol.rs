//! The interface between a protocol and the machinery that drives it.
//!
//! A protocol node is a plain value (`Clone + Eq + Hash + Debug`): no queues, clocks,
//! randomness or I/O. The simulator, the explorer and the page feed it one input at a time
//! and read its effects from an [`Outbox`] they own. Call order, per input:
//!
//! 1. call exactly one of [`Protocol::init`], [`Protocol::restart`], [`Protocol::on_message`],
//!    [`Protocol::on_timer`] or [`Protocol::on_propose`] with a cleared outbox;
//! 2. if [`Outbox::persisted`] is set, the node's [`Protocol::durable`] state must reach stable
//!    storage **before** any message in [`Outbox::sends`] leaves the node (persist-before-send);
//! 3. apply the timer commands, record the observations, then send the messages.
//!
//! The simulator performs a whole input atomically, so a crash can only fall between inputs
//! and the contract holds by construction. Single-decree Paxos, Multi-Paxos and the
//! single-proposer commit implement [`Protocol`], each registered in one line of
//! [`crate::protocols`]; nothing in `sim` or `check` names any protocol's messages.

use serde::{Deserialize, Serialize};
use crate::check::invariants::Property;
use crate::paxos::{Ballot, Deviation, Value};
use std::fmt::Debug;
use std::hash::Hash;

/// A name the core writes (a message kind, a phase, …): spelt as an alias so that serde's
/// derive does not take a `&'static str` field for one borrowed from the input (the readers
/// in [`crate::format::names`] look the text up among the core's own names).
pub type Name = &'static str;

/// A node's id: 1 to 9.
pub type NodeId = u8;

/// The largest cluster the simulator accepts.
pub const MAX_NODES: usize = 9;

/// A bit set of node ids (bit `id` is node `id`).
pub type NodeSet = u16;

/// The bit for one node in a [`NodeSet`].
pub const fn bit(id: NodeId) -> NodeSet {
    1 << id
}

/// The ids in a [`NodeSet`], ascending.
pub fn members(set: NodeSet) -> impl Iterator<Item = NodeId> {
    (1..=MAX_NODES as NodeId).filter(move |&i| set & bit(i) != 0)
}

/// A map of node ids to node ids, for the checker's symmetry reduction
/// (`check::symmetry`): a permutation of interchangeable nodes when it renames a state, or a
/// map that sends every node of a group to one id (not one-to-one) when it computes what a
/// node looks like without its name. Id 0 (no node) maps to itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Renaming(pub [NodeId; MAX_NODES + 1]);

impl Renaming {
    /// Every id to itself.
    pub const IDENTITY: Renaming = Renaming([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    /// The new id of `id`.
    #[inline]
    pub fn id(&self, id: NodeId) -> NodeId {
        self.0.get(id as usize).copied().unwrap_or(id)
    }
    /// The set of the new ids of `set`'s members (bit 0, never a node, is kept as it is).
    #[inline]
    pub fn set(&self, set: NodeSet) -> NodeSet {
        let mut out = set & 1;
        let mut rest = set & !1;
        while rest != 0 {
            let i = rest.trailing_zeros() as NodeId;
            out |= bit(self.id(i));
            rest &= rest - 1;
        }
        out
    }
    /// `a` and `b` exchanged, every other id kept.
    pub fn swap(a: NodeId, b: NodeId) -> Renaming {
        let mut r = Renaming::IDENTITY;
        r.0.swap(a as usize, b as usize);
        r
    }
    /// The inverse of a permutation.
    pub fn inverse(&self) -> Renaming {
        let mut r = Renaming::IDENTITY;
        for (i, &j) in self.0.iter().enumerate() {
            r.0[j as usize] = i as NodeId;
        }
        r
    }
    /// First `self`, then `then`.
    pub fn then(&self, then: &Renaming) -> Renaming {
        let mut r = Renaming::IDENTITY;
        for (i, &j) in self.0.iter().enumerate() {
            r.0[i] = then.id(j);
        }
        r
    }
    pub fn is_identity(&self) -> bool {
        *self == Renaming::IDENTITY
    }
}

/// A timer command written by a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerCmd<T> {
    /// (Re)arm `timer` to fire after a delay the environment picks from `min..=max` ticks.
    Set { timer: T, min: u64, max: u64 },
    /// Disarm `timer` if armed.
    Cancel { timer: T },
}

/// A log position. Single-decree protocols decide one value, in slot 0; protocols with a
/// log (Multi-Paxos, the single-proposer commit's sequence) number their slots from 1.
pub type SlotNo = u32;

/// A client command's identity: the client and its sequence number. A client that retries
/// sends the same id again, so a replica can apply each command at most once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandId {
    pub client: NodeId,
    pub seq: u16,
}

/// Something a node did that the safety checks need to see (the "ghost" history). The
/// vocabulary of consensus on a log of values: every protocol reports in these terms, and
/// declares which of the [`Property`]s it promises ([`Protocol::PROPERTIES`]); the ghost
/// ([`crate::check::invariants::Ghost`]) judges each slot as one instance of consensus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Observation {
    /// A client asked this node to propose `value` (a leader filling a gap with a no-op
    /// proposes the no-op).
    Proposed(Value),
    /// This node, as an acceptor, accepted `(ballot, value)` in `slot`; `promised` is what it
    /// had promised just before (an acceptor must never accept below it; `None` for
    /// protocols without promises). A protocol without ballots reports a ballot that names
    /// the proposal (its coordinator and term), so acceptances of different proposals do not
    /// add up.
    Accepted { slot: SlotNo, ballot: Ballot, value: Value, promised: Option<Ballot> },
    /// This node, as a learner, learned that `value` was chosen in `slot`.
    Learned { slot: SlotNo, value: Value },
    /// This node, as a replica, applied `slot` to its state machine; `prev` is the slot it
    /// applied just before (0: none since it started). `command` is the client command the
    /// slot holds (`None`: a no-op); `effect` is false when the replica skipped it because it
    /// had applied the same command before (a client's retry that reached the log twice).
    Applied { slot: SlotNo, prev: SlotNo, value: Value, command: Option<CommandId>, effect: bool },
    /// This node became the leader of `ballot` (for "one leader per ballot").
    Leader { ballot: Ballot },
    /// This node, of a deliberately broken variant, did something the protocol forbids (for
    /// narration: the safety checks judge the other observations).
    Deviated(Deviation),
    /// Commit protocols: this participant voted on the transaction (`yes`: it is prepared to
    /// commit). A yes vote is written to stable storage before it is sent.
    Voted { yes: bool },
    /// Commit protocols: this node decided the transaction's outcome (`commit`, else abort).
    /// `participants` are the transaction's participants, every one of whose yes votes a
    /// commit needs.
    Decided { commit: bool, participants: NodeSet },
}

/// What an undecided node of a commit protocol needs ([`Protocol::waits_for`]): `need` of
/// the nodes in `on` up and reachable. 2PC: the coordinator (`need` 1), "voted yes; only the
/// coordinator knows the outcome"; Paxos Commit: a majority of the acceptors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub on: NodeSet,
    pub need: u8,
    pub why: &'static str,
}

/// Where a node writes its effects. Owned by the caller and reused between inputs.
#[derive(Clone, Debug)]
pub struct Outbox<M, T> {
    /// Messages to send, in order, as (receiver, message).
    pub sends: Vec<(NodeId, M)>,
    /// Timer commands, in order.
    pub timers: Vec<TimerCmd<T>>,
    /// What the ghost history must record.
    pub observations: Vec<Observation>,
    /// The durable state changed and must be persisted before the sends leave.
    pub persisted: bool,
}

impl<M, T> Default for Outbox<M, T> {
    fn default() -> Self {
        Outbox { sends: Vec::new(), timers: Vec::new(), observations: Vec::new(), persisted: false }
    }
}

impl<M, T> Outbox<M, T> {
    /// Empty the outbox for the next input.
    pub fn clear(&mut self) {
        self.sends.clear();
        self.timers.clear();
        self.observations.clear();
        self.persisted = false;
    }
    /// Queue a message.
    pub fn send(&mut self, to: NodeId, msg: M) {
        self.sends.push((to, msg));
    }
    /// Arm a timer with a jitter range.
    pub fn set_timer(&mut self, timer: T, min: u64, max: u64) {
        self.timers.push(TimerCmd::Set { timer, min, max });
    }
    /// Disarm a timer.
    pub fn cancel_timer(&mut self, timer: T) {
        self.timers.push(TimerCmd::Cancel { timer });
    }
    /// Record an observation for the safety checks.
    pub fn observe(&mut self, o: Observation) {
        self.observations.push(o);
    }
}

/// How a node looks from outside: what the page and the CLI show. The page draws a node's
/// card from `rows`, its log strip from `slots` and its one-line state from `status`, so a
/// protocol describes itself completely here and the page needs no protocol logic.
/// `promised`, `accepted` and `learned` are single-decree Paxos's own fields (kept for the
/// traces and tests that read them; `None` for other protocols).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeView {
    #[serde(deserialize_with = "crate::format::names::roles")]
    pub roles: Vec<Name>,
    pub promised: Option<String>,
    pub accepted: Option<BallotValue>,
    pub learned: Option<String>,
    pub leader: bool,
    pub proposer: Option<ProposerView>,
    /// The card's rows, in order.
    pub rows: Vec<Row>,
    /// The node's log strip, one entry per slot it knows anything about (empty: no log).
    pub slots: Vec<SlotView>,
    /// A one-line state, when the protocol has one to tell ("leader of ballot 3.1",
    /// "follows node 2").
    pub status: Option<String>,
}

/// One row of a node's card: `key` for styling and tests, `label` and `short` (for small
/// cards) for people, `text` the value shown ("—" for nothing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub short: String,
    pub text: String,
}

impl Row {
    pub fn new(key: &str, label: &str, short: &str, text: impl Into<String>) -> Row {
        Row { key: key.into(), label: label.into(), short: short.into(), text: text.into() }
    }
}

/// One slot of a node's log strip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotView {
    pub slot: SlotNo,
    /// The ballot of the proposal this node accepted in the slot, if any.
    pub ballot: Option<String>,
    /// The value it accepted, or learned.
    pub value: Option<String>,
    /// The node knows the slot's value is chosen.
    pub chosen: bool,
    /// The node's state machine has applied the slot.
    pub applied: bool,
}

/// A `(ballot, value)` pair as shown to people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotValue {
    pub ballot: String,
    pub value: String,
}

/// A proposer's progress as shown to people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposerView {
    #[serde(deserialize_with = "crate::format::names::phase")]
    pub phase: Name,
    pub ballot: Option<String>,
    pub value: Option<String>,
    /// Promises counted for its ballot (once in phase 2: the quorum it went on with; later
    /// promises are not needed and not counted).
    pub promises: u32,
    /// Acceptances counted for its ballot.
    pub accepts: u32,
    /// How many promises, or acceptances, make a quorum.
    pub quorum: u32,
}

/// A message as shown to people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgView {
    pub kind: &'static str,
    /// The log slot the message is about, for protocols with a log.
    pub slot: Option<SlotNo>,
    pub ballot: Option<String>,
    pub value: Option<String>,
    pub prior: Option<BallotValue>,
    pub label: String,
}

/// A protocol the simulator and the explorer can drive.
pub trait Protocol: Clone + Eq + Hash + Debug + Sized + Send + Sync {
    /// Static, cluster-wide configuration (roles, variant, timeouts). Never changes in a run.
    type Config: Clone + Debug + Send + Sync;
    /// A message between nodes. `Ord` so networks can be kept sorted for stable hashing.
    /// `Clone`, not `Copy`: a message may keep a large payload on the heap (Multi-Paxos's
    /// `Promise`), so that every protocol's messages, and the events that carry them, stay small.
    type Msg: Clone + Eq + Ord + Hash + Debug + Send + Sync;
    /// A node's timers.
    type Timer: Copy + Eq + Ord + Hash + Debug + Send + Sync;
    /// What survives a crash.
    type Durable: Clone + Eq + Hash + Debug + Send + Sync;
    /// The kinds of message ([`MsgView::kind`]), in the protocol's order.
    const KINDS: &'static [&'static str];
    /// The timers' names ([`Protocol::timer_name`]).
    const TIMERS: &'static [&'static str];
    /// The roles a node can have ([`NodeView::roles`]), in the order a node lists them.
    const ROLES: &'static [&'static str];
    /// The phases a proposer can be in ([`ProposerView::phase`]).
    const PHASES: &'static [&'static str];
    /// The safety properties this protocol promises, in the order the safety panel lists
    /// them. The ghost checks only these (and the internal sanity checks the explorer asks
    /// for).
    const PROPERTIES: &'static [Property];

    /// Number of nodes in the cluster.
    fn cluster_size(cfg: &Self::Config) -> usize;
    /// The acceptors: a value is chosen when a majority of them accept the same ballot.
    fn acceptors(cfg: &Self::Config) -> NodeSet;
    /// A fresh node at the start of a run.
    fn init(cfg: &Self::Config, id: NodeId, out: &mut Outbox<Self::Msg, Self::Timer>) -> Self;
    /// A node coming back from a crash with what it had persisted.
    fn restart(cfg: &Self::Config, id: NodeId, disk: &Self::Durable, out: &mut Outbox<Self::Msg, Self::Timer>) -> Self;
    /// The state that must be on stable storage.
    fn durable(&self) -> Self::Durable;
    /// A message arrived.
    fn on_message(&mut self, cfg: &Self::Config, from: NodeId, msg: Self::Msg, out: &mut Outbox<Self::Msg, Self::Timer>);
    /// A timer fired.
    fn on_timer(&mut self, cfg: &Self::Config, timer: Self::Timer, out: &mut Outbox<Self::Msg, Self::Timer>);
    /// A client asks this node to propose `value`. Only called when [`Protocol::can_propose`].
    fn on_propose(&mut self, cfg: &Self::Config, value: Value, out: &mut Outbox<Self::Msg, Self::Timer>);
    /// Whether this node takes client proposals.
    fn can_propose(&self) -> bool;
    /// The highest ballot round this node has used, promised, accepted or heard of (0: none,
    /// or a protocol without rounds). A search from a run's end bounds rounds above it.
    fn highest_round(&self) -> u32 {
        0
    }
    /// Why this node, which takes proposals, cannot take one now ("the log is full"), if so.
    fn refuses_proposal(&self, _cfg: &Self::Config) -> Option<String> {
        None
    }
    /// Whether this node is a learner (or a replica).
    fn is_learner(&self) -> bool {
        false
    }
    /// Whether this learner has learned what there is to learn (single decree: a value);
    /// stories run "until every learner has learned" by it.
    fn has_learned(&self) -> bool {
        true
    }
    /// Commit protocols: whom this undecided node needs to learn the outcome ([`Waiting`]).
    /// `None`: it has decided, or need not wait for anyone in particular. While fewer than
    /// `need` of them are up and reachable, the node is **blocked**: the page says so on its
    /// card; the checker's blocking report judges "blocked forever" exactly (see
    /// `check::explorer`).
    fn waits_for(&self, _cfg: &Self::Config) -> Option<Waiting> {
        None
    }
    /// How the checker models this timer (see `check::explorer`). `None` (the default): it
    /// may fire at any moment, as in an asynchronous system, so safety never rests on timing.
    /// `Some(on)`: the timeout stands for a perfect failure detector (three-phase commit's
    /// synchronous assumption): the explorer fires it only while some node of `on` is down
    /// or cut off from this node by a partition. The simulator fires timers by its clock
    /// either way.
    fn timer_suspects(&self, _cfg: &Self::Config, _timer: &Self::Timer) -> Option<NodeSet> {
        None
    }
    /// Roughly how many bytes the node keeps on the heap (what a checkpoint of it costs
    /// beyond its size).
    fn heap_bytes(&self) -> usize {
        0
    }
    /// How the node looks.
    fn view(&self, cfg: &Self::Config) -> NodeView;
    /// How a message looks.
    fn describe(msg: &Self::Msg) -> MsgView;
    /// A timer's name, as shown to people.
    fn timer_name(timer: &Self::Timer) -> &'static str;

    /// How many acceptors' reports a learner needs to learn a value.
    fn learn_quorum(cfg: &Self::Config) -> usize;

    /// Whether `msg` only informs its receiver: receiving it can only make the receiver do
    /// less later (stop retrying, skip rounds it could also reach by retrying) or update
    /// passive learner state. The explorer leaves such messages undelivered — a behaviour
    /// the network allows anyway, since messages may be lost or delayed — and judges
    /// learning from the acceptances instead (see `check::explorer`).
    fn only_informs(_msg: &Self::Msg) -> bool {
        false
    }

    /// Whether a second copy of `msg` in flight on the same link adds nothing: its delivery
    /// depends only on the receiver's state and the sender, and leaves the same state
    /// however often it is repeated (a heartbeat). The explorer keeps one copy of such a
    /// message per link: a sender that would add another while one is in flight changes
    /// nothing, and the schedules of the copies are those of the one. Without this, a
    /// leader's heartbeat timer would fill the network without end and no search from a run
    /// with a leader would finish.
    fn idempotent(_msg: &Self::Msg) -> bool {
        false
    }

    /// Groups of interchangeable nodes (each a [`NodeSet`] of at least two), for the
    /// checker's symmetry reduction (`check::symmetry`): renaming the members of a group
    /// among themselves must be an automorphism of the protocol, which holds when the
    /// configuration treats them alike (same roles, same options; `Config` itself is not
    /// renamed) and nothing in the protocol orders or tells them apart by id (ballots order
    /// proposers by id, so proposers never are). A protocol that returns a group must
    /// implement [`Protocol::rename`], [`Protocol::rename_durable`], [`Protocol::rename_msg`]
    /// and [`Protocol::rename_timer`] so that they apply the map to every node id its state,
    /// messages and timers hold. The default: none (no symmetry).
    fn symmetric(_cfg: &Self::Config) -> Vec<NodeSet> {
        Vec::new()
    }
    /// This node with every node id it holds (its own included) renamed by `map`. Only
    /// called when [`Protocol::symmetric`] returns a group; the default changes nothing.
    fn rename(&self, _map: &Renaming) -> Self {
        self.clone()
    }
    /// What survives a crash, with every node id renamed by `map` (see [`Protocol::rename`]).
    fn rename_durable(disk: &Self::Durable, _map: &Renaming) -> Self::Durable {
        disk.clone()
    }
    /// A message with every node id it holds renamed by `map` (see [`Protocol::rename`]).
    fn rename_msg(msg: &Self::Msg, _map: &Renaming) -> Self::Msg {
        msg.clone()
    }
    /// A timer with every node id it holds renamed by `map` (see [`Protocol::rename`]).
    fn rename_timer(timer: &Self::Timer, _map: &Renaming) -> Self::Timer {
        *timer
    }

    /// The livelock search's round shift (`check::livelock`): this node with every round
    /// number it holds moved by `by` (down, when negative), and `room` lowered to how far
    /// down its rounds could still move: for each round `r` it holds, `r - start`, where
    /// `start` is the first round a ballot can have. A round that a shift must not move (a
    /// proposer that has not numbered a ballot yet, whose next ballot is the first round
    /// whatever the others hold) makes `room` 0. Shifting every round of a state by the same
    /// amount must commute with every transition: in Paxos ballots are `(round, node)`,
    /// every decision compares them, and a shift by one amount preserves every comparison.
    /// Timers must hold no rounds. `None` (the default): the protocol has no round shift.
    fn shift_rounds(&self, _cfg: &Self::Config, _by: i64, _room: &mut u32) -> Option<Self> {
        None
    }
    /// What survives a crash, shifted as [`Protocol::shift_rounds`] shifts a node.
    fn shift_rounds_durable(_cfg: &Self::Config, _disk: &Self::Durable, _by: i64, _room: &mut u32) -> Option<Self::Durable> {
        None
    }
    /// A message, shifted as [`Protocol::shift_rounds`] shifts a node.
    fn shift_rounds_msg(_cfg: &Self::Config, _msg: &Self::Msg, _by: i64, _room: &mut u32) -> Option<Self::Msg> {
        None
    }

    /// Whether this (up) node ignores `msg` now and in every future state, crashes included,
    /// given that the explorer sends no [`Protocol::only_informs`] messages: delivering it
    /// would change nothing. The explorer removes such messages to merge equal states.
    fn ignores_forever(&self, _cfg: &Self::Config, _msg: &Self::Msg) -> bool {
        false
    }
}
