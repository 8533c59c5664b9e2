//! The exhaustive explorer: every schedule of a small configuration, breadth first, so the
//! first violation found has a shortest counterexample.
//!
//! A state is the nodes, the network, the armed timers, the crash budget used, the client
//! proposals made so far and the ghost history. Moves are: a client asks an up proposer to
//! propose (at any moment, before or after a crash; at most `proposals` times per proposer,
//! each time a value never proposed before, so "only a proposed value is chosen" means
//! something), deliver any message in flight (in any order: reordering is free),
//! drop one (`drops`), fire any armed timer (time is abstracted away: a timer may fire at any
//! moment), crash an up node (at most `crashes` times) and restart a crashed one, split the
//! network or heal it (at most `partitions` splits, see below). With
//! `dups` the network is a set and delivering a message leaves it there, which models any
//! number of duplicates (as in Stateright's unordered duplicating network); a drop then adds
//! nothing (it is the same as never delivering), so drops are folded in.
//!
//! Three reductions keep the space small, each of which can be switched off
//! ([`Reductions`]; `tests/checker.rs` checks that every tiny configuration gets the same
//! verdict and the same shortest counterexample length either way). The first two rest on
//! the network's freedom to lose or delay any message:
//! - Messages that only inform ([`Protocol::only_informs`]: Paxos's Accepted and Nack) are
//!   never delivered. Receiving one can only make a node do *less* later (a proposer stops
//!   retrying, or skips rounds it could also reach by retrying), so every behaviour of the
//!   acceptors and proposers with them delivered is also a behaviour without them.
//! - Learners only listen, so learning is judged from the acceptances: every acceptance is
//!   reported to every learner, so a learner can learn `(ballot, value)` exactly when
//!   [`Protocol::learn_quorum`] acceptors have accepted it (hold their reports, then deliver
//!   them together). The third property breaks iff that happens before the value is chosen.
//! - Messages their receiver ignores now and forever ([`Protocol::ignores_forever`]) are
//!   removed, merging states that differ only by them. `tests/checker.rs` checks the claim
//!   against the protocol's own transitions in every reachable state of small clusters.
//!
//! Partitions ([`Bounds::partitions`]): up to that many times the network splits into two
//! sides ([`Move::Cut`], the side holding node 1) and heals ([`Move::Heal`]). While split, a
//! message between the sides stays in flight undeliverable, and may be dropped even without
//! `drops`. Timers the protocol ties to a perfect failure detector
//! ([`Protocol::timer_suspects`]) fire only while a node they watch is down or on the other
//! side; other timers fire at any moment. Without partitions nothing of this is hashed, so
//! the search is exactly what it was.
//!
//! Blocking ([`Bounds::blocking`], [`Blocking`]): a reachable state is *blocked forever* when
//! an up learner that has not decided can never decide in any fault-free continuation, the
//! crashed nodes staying down and the partition staying as it is. The explorer then keeps an
//! index per fingerprint and the edges of the moves that are not faults ([`Move::is_fault`]),
//! and after a complete search without violation walks them backwards, per node, from the
//! states where it has decided. "Never" is within the bounds: a node that would decide only
//! after more retries than the configuration's round bound allows counts as blocked. The
//! informs and learners reductions are turned off for it (learners must really hear).
//!
//! Visited states
//! are kept as 64-bit fingerprints of a stable hash (as TLC does); a collision could only
//! hide states, with odds about n²/2⁶⁵ for n states.
//!
//! Symmetry ([`Bounds::symmetry`], off by default in the library, on in the CLI): nodes a
//! protocol declares interchangeable ([`Protocol::symmetric`]: in Paxos, the nodes without
//! the proposer role that share a role mix) are renamed to a canonical order before a state
//! is fingerprinted, so a state and every renaming of it count once. Proposers are never
//! interchangeable (ballots order them by id). [`super::symmetry`] has the canonical form and
//! the argument why verdicts and shortest counterexample lengths do not change;
//! `tests/symmetry.rs` checks it on every tiny configuration. The exact search behind
//! [`Bounds::blocking`] ([`explore_visiting`]) ignores symmetry: its per-node analysis names
//! nodes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;

pub use super::engine::{Progress, ProgressFn, Stop, Strategy};
use super::engine;
use super::invariants::{Breach, Ghost, Property};
use crate::paxos::{PaxosConfig, PaxosNode, Value};
use crate::protocol::{bit, members, NodeId, NodeSet, Outbox, Protocol, TimerCmd};
use crate::sim::hash::stable_hash;
use crate::sim::world::Slot;

/// Which reductions the explorer applies (all by default). Switching one off explores more
/// states for the same verdict; the tests use that to validate them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reductions {
    /// Messages that only inform ([`Protocol::only_informs`]) are never sent.
    pub informs: bool,
    /// Learning is judged from the acceptances ([`Protocol::learn_quorum`]) instead of from
    /// learners receiving reports. Off, the reports must be delivered, so `informs` is
    /// treated as off too.
    pub learners: bool,
    /// Messages their receiver ignores forever ([`Protocol::ignores_forever`]) are removed.
    pub ignored: bool,
}

impl Reductions {
    pub const ALL: Reductions = Reductions { informs: true, learners: true, ignored: true };
    pub const NONE: Reductions = Reductions { informs: false, learners: false, ignored: false };

    /// Read `--no-reduce` names: `informs`, `learners`, `ignored`, `all`, comma-separated.
    pub fn without(names: &str) -> Result<Reductions, String> {
        let mut r = Reductions::ALL;
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "informs" => r.informs = false,
                "learners" => r.learners = false,
                "ignored" => r.ignored = false,
                "all" => r = Reductions::NONE,
                other => return Err(format!("unknown reduction \"{other}\"; the reductions are: informs, learners, ignored, all")),
            }
        }
        Ok(r)
    }

    fn informs_applied(&self) -> bool {
        self.informs && self.learners
    }
}

impl Default for Reductions {
    fn default() -> Reductions {
        Reductions::ALL
    }
}

/// What to explore.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub drops: bool,
    pub dups: bool,
    pub crashes: u8,
    /// How many times a client may ask each proposer to propose (each time a new value).
    pub proposals: u8,
    /// Stop (unfinished) after this many unique states.
    pub max_states: u64,
    pub reductions: Reductions,
    /// How many times the network may split into two sides (messages between the sides
    /// cannot be delivered while it is split; they can be lost). 0: never.
    pub partitions: u8,
    /// Also report blocking: the reachable states in which an up node that has not decided
    /// ([`Protocol::is_learner`] and not [`Protocol::has_learned`]) can never decide in any
    /// fault-free continuation with the crashed nodes staying down (see [`Report::blocking`]).
    pub blocking: bool,
    /// How many threads search (0: every core). The default is 1, so a library caller's
    /// search is exactly reproducible; the CLI uses every core.
    pub threads: usize,
    /// Breadth first (the default), depth first, or random walks then breadth first.
    pub strategy: Strategy,
    /// Stop (unfinished, [`Stop::Memory`]) once the engine's tables hold this many bytes
    /// (0: no limit).
    pub max_memory: u64,
    /// With [`Strategy::RandomWalk`]: how many walks, of at most [`WALK_LEN`] moves each.
    pub walks: u64,
    /// Called now and then with how far the search has gone; returning false stops it.
    pub progress: Option<ProgressFn>,
    /// Count states that differ only by a renaming of interchangeable nodes
    /// ([`Protocol::symmetric`]) once ([`super::symmetry`]): the same verdict and the same
    /// shortest counterexample length from fewer states. Off by default, so a library
    /// caller's state counts are those of the plain search; ignored with `blocking`.
    pub symmetry: bool,
    /// How many states expanded between two calls of [`Bounds::progress`] (0: the engine's
    /// [`super::engine::PROGRESS_EVERY`]). The page asks for more often, so its progress bar
    /// moves within moments of a start.
    pub progress_every: u64,
}

/// The longest random walk ([`Strategy::RandomWalk`]).
pub const WALK_LEN: u32 = 64;

impl Bounds {
    /// No faults, one proposal per proposer, every reduction, a budget of 50 M states, one
    /// thread, breadth first.
    pub fn new() -> Bounds {
        Bounds {
            drops: false,
            dups: false,
            crashes: 0,
            proposals: 1,
            max_states: 50_000_000,
            reductions: Reductions::ALL,
            partitions: 0,
            blocking: false,
            threads: 1,
            strategy: Strategy::Bfs,
            max_memory: 0,
            walks: 100_000,
            progress: None,
            symmetry: false,
            progress_every: 0,
        }
    }
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds::new()
    }
}

/// The most proposals per proposer the explorer takes (counts are kept in 4 bits a node).
pub const MAX_PROPOSALS: u8 = 15;

/// A message in the explored network.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Envelope<M> {
    pub from: NodeId,
    pub to: NodeId,
    pub msg: M,
}

/// One transition.
#[derive(PartialEq, Eq, Debug)]
pub enum Move<P: Protocol> {
    /// A client asks this proposer to propose this value.
    Propose(NodeId, Value),
    Deliver(Envelope<P::Msg>),
    Drop(Envelope<P::Msg>),
    Fire(NodeId, P::Timer),
    Crash(NodeId),
    Restart(NodeId),
    /// The network splits into this side (it contains node 1; a nonempty proper subset)
    /// and the rest: messages between the sides cannot be delivered until [`Move::Heal`].
    Cut(NodeSet),
    /// The network joins again.
    Heal,
}

impl<P: Protocol> Move<P> {
    /// A fault the environment inflicts (crash, restart, loss, partition, heal), as opposed
    /// to a move the system makes on its own (a delivery, a timer, a client's proposal).
    /// Blocking is judged over the latter only.
    pub fn is_fault(&self) -> bool {
        matches!(self, Move::Crash(_) | Move::Restart(_) | Move::Drop(_) | Move::Cut(_) | Move::Heal)
    }
}

// A manual impl: a derive would demand `P: Clone` of the node type, but only the message and
// timer types must be.
impl<P: Protocol> Clone for Move<P> {
    fn clone(&self) -> Self {
        match *self {
            Move::Propose(id, v) => Move::Propose(id, v),
            Move::Deliver(ref e) => Move::Deliver(e.clone()),
            Move::Drop(ref e) => Move::Drop(e.clone()),
            Move::Fire(id, t) => Move::Fire(id, t),
            Move::Crash(id) => Move::Crash(id),
            Move::Restart(id) => Move::Restart(id),
            Move::Cut(side) => Move::Cut(side),
            Move::Heal => Move::Heal,
        }
    }
}

/// An explored state. Its fingerprint is built from cached parts so that a transition
/// rehashes only what it touched: one node's hash, the network's hash as a sum over its
/// messages (a multiset hash, updated per message), the ghost's hash when something was
/// observed.
#[derive(Clone, Debug)]
pub(crate) struct State<P: Protocol> {
    pub(crate) slots: Vec<Slot<P>>,
    /// Sorted. A multiset without `dups`, a set with.
    pub(crate) net: Vec<Envelope<P::Msg>>,
    /// Armed timers, sorted.
    pub(crate) timers: Vec<(NodeId, P::Timer)>,
    pub(crate) crashes: u8,
    /// Proposals made so far, 4 bits per node (node `id` at bits `4(id-1)..4id`).
    pub(crate) proposals: u64,
    /// While the network is split: the side holding node 1 (0: not split).
    pub(crate) split: NodeSet,
    /// How many times the network has split.
    pub(crate) cuts: u8,
    pub(crate) ghost: Ghost,
    pub(crate) slot_h: Vec<u64>,
    pub(crate) net_h: u64,
    pub(crate) ghost_h: u64,
    /// What changed since the last [`State::copy_from`] or [`State::restore_from`]: the
    /// `NET`, `TIMERS`, `GHOST` and `MISC` bits, and bit `SLOT0 + i` for slot `i`.
    pub(crate) dirty: u32,
}

const NET: u32 = 1;
const TIMERS: u32 = 2;
const GHOST: u32 = 4;
const MISC: u32 = 8;
const SLOT0: u32 = 16;

impl<P: Protocol> State<P> {
    pub(crate) fn fingerprint(&self) -> u64 {
        fingerprint_of::<P>(&self.slot_h, self.net_h, self.ghost_h, &self.timers, self.crashes, self.proposals, self.split, self.cuts)
    }
    /// Whether the partition separates `a` from `b` now.
    pub(crate) fn apart(&self, a: NodeId, b: NodeId) -> bool {
        self.split != 0 && (self.split & bit(a) != 0) != (self.split & bit(b) != 0)
    }
    fn is_up(&self, id: NodeId) -> bool {
        matches!(self.slots[id as usize - 1], Slot::Up(_))
    }
    pub(crate) fn proposals_of(&self, id: NodeId) -> u8 {
        (self.proposals >> (4 * (id as u64 - 1)) & 15) as u8
    }
    pub(crate) fn rehash_slot(&mut self, id: NodeId) {
        self.slot_h[id as usize - 1] = stable_hash(&self.slots[id as usize - 1]);
        self.dirty |= SLOT0 << (id - 1);
    }
    fn net_insert(&mut self, i: usize, e: Envelope<P::Msg>) {
        self.net_h = self.net_h.wrapping_add(stable_hash(&e));
        self.net.insert(i, e);
        self.dirty |= NET;
    }
    /// Put a sent message in flight, unless the bounds' reductions never keep it (an
    /// informing message, or one its receiver will always ignore: see `ignores_forever`);
    /// with `dups` the network is a set.
    fn send(&mut self, cfg: &P::Config, bounds: Bounds, e: Envelope<P::Msg>) {
        let r = bounds.reductions;
        if r.informs_applied() && P::only_informs(&e.msg) {
            return;
        }
        // (`get`: at the start, a node may send to one not yet created.)
        if r.ignored && matches!(self.slots.get(e.to as usize - 1), Some(Slot::Up(n)) if e.to != e.from && n.ignores_forever(cfg, &e.msg)) {
            return;
        }
        match self.net.binary_search(&e) {
            Ok(_) if bounds.dups || P::idempotent(&e.msg) => {}
            Ok(i) | Err(i) => self.net_insert(i, e),
        }
    }
    fn net_remove(&mut self, i: usize) {
        let e = self.net.remove(i);
        self.net_h = self.net_h.wrapping_sub(stable_hash(&e));
        self.dirty |= NET;
    }
}

/// A state's fingerprint from its parts (what [`State::fingerprint`] hashes; the symmetry
/// reduction hashes renamed parts the same way).
#[allow(clippy::too_many_arguments)]
pub(crate) fn fingerprint_of<P: Protocol>(slot_h: &[u64], net_h: u64, ghost_h: u64, timers: &[(NodeId, P::Timer)], crashes: u8, proposals: u64, split: NodeSet, cuts: u8) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::sim::hash::StableHasher::default();
    for &x in slot_h {
        h.write_u64(x);
    }
    h.write_u64(net_h);
    h.write_u64(ghost_h);
    timers.hash(&mut h);
    h.write_u8(crashes);
    h.write_u64(proposals);
    // Hashed only once used, so that a search without partitions keeps its fingerprints.
    if cuts != 0 {
        h.write_u16(split);
        h.write_u8(cuts);
    }
    h.finish()
}

impl<P: Protocol> State<P> {
    /// `clone_from`, field by field, so the vectors' allocations are reused.
    pub(crate) fn copy_from(&mut self, o: &Self) {
        self.slots.clone_from(&o.slots);
        self.slot_h.clone_from(&o.slot_h);
        self.dirty = NET | TIMERS | GHOST | MISC;
        self.restore_from(o);
    }

    /// Make this state `o` again, copying only what changed since it last was (its
    /// [`State::dirty`] bits): this must have been `o` (by `copy_from` or `restore_from`)
    /// before the changes.
    pub(crate) fn restore_from(&mut self, o: &Self) {
        let d = self.dirty;
        if d & NET != 0 {
            self.net.clone_from(&o.net);
            self.net_h = o.net_h;
        }
        if d & TIMERS != 0 {
            self.timers.clone_from(&o.timers);
        }
        if d & GHOST != 0 {
            self.ghost.proposed.clone_from(&o.ghost.proposed);
            self.ghost.acceptances.clone_from(&o.ghost.acceptances);
            self.ghost.chosen.clone_from(&o.ghost.chosen);
            self.ghost.effects.clone_from(&o.ghost.effects);
            self.ghost.leaders.clone_from(&o.ghost.leaders);
            self.ghost.yes = o.ghost.yes;
            self.ghost.no = o.ghost.no;
            self.ghost.committed = o.ghost.committed;
            self.ghost.aborted = o.ghost.aborted;
            self.ghost_h = o.ghost_h;
        }
        if d & MISC != 0 {
            self.crashes = o.crashes;
            self.proposals = o.proposals;
            self.split = o.split;
            self.cuts = o.cuts;
        }
        let mut slots = d >> 4;
        while slots != 0 {
            let i = slots.trailing_zeros() as usize;
            self.slots[i].clone_from(&o.slots[i]);
            self.slot_h[i] = o.slot_h[i];
            slots &= slots - 1;
        }
        self.dirty = 0;
    }
}

/// Fingerprints and stable hashes are already well mixed: sets and maps keyed by them (the
/// exact search's visited set, the engine's part tables) use them as they are.
#[derive(Default)]
pub(crate) struct Identity(u64);
impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed")
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

/// The result of an exploration.
#[derive(Clone, Debug)]
pub struct Report<P: Protocol> {
    pub states: u64,
    pub transitions: u64,
    pub max_depth: u32,
    pub complete: bool,
    /// The first property broken and the shortest path to it (from the initial state).
    pub violation: Option<(Property, Vec<Move<P>>)>,
    /// A "sometimes" property, as in Stateright: the shortest path to a state where a value
    /// is chosen (or, in a commit protocol, some node has decided), if any was reached. `None` after a complete search means that no value can
    /// ever be chosen in this configuration, so its safety proves nothing.
    pub chosen: Option<Vec<Move<P>>>,
    /// With [`Bounds::blocking`], after a complete search without violation: which reachable
    /// states leave a node blocked forever. `None` otherwise.
    pub blocking: Option<Blocking<P>>,
    /// Why the search stopped early, if it did (then `complete` is false).
    pub stop: Option<Stop>,
    /// Whether the counterexample, if any, is known to be a shortest one (breadth first; not
    /// depth first, nor random walks that found one).
    pub shortest: bool,
    /// The most bytes the engine's tables held (fingerprints, frontier, parent links, parts).
    pub bytes: u64,
    /// How the search went ([`Bounds::strategy`]), and with how many threads.
    pub strategy: Strategy,
    pub threads: usize,
}

/// The blocking report ([`Bounds::blocking`]). A reachable state is **blocked** when some
/// node is up, is a learner ([`Protocol::is_learner`]), has not decided
/// ([`Protocol::has_learned`]), and no fault-free continuation lets it decide: no sequence of
/// deliveries, timers and client proposals — the crashed nodes staying down, the partition
/// staying as it is, no message lost — reaches a state where it has decided. Only the
/// explored moves count: with a bounded number of retries (`max_round`) a node that would
/// decide after more retries than the bound allows counts as blocked too.
#[derive(Clone, Debug)]
pub struct Blocking<P: Protocol> {
    /// Reachable states that leave some up node blocked forever.
    pub blocked: u64,
    /// Reachable states with a majority of the acceptors ([`Protocol::acceptors`]) up.
    pub majority_up: u64,
    /// Of the blocked states, those with a majority of the acceptors up.
    pub blocked_majority_up: u64,
    /// The blocked state with the shortest path (the first found, breadth first): the
    /// moves to it, the lowest blocked node in it, and why it waits
    /// ([`Protocol::waits_for`], with whom it waits for that is down or cut off).
    pub shortest: Option<(Vec<Move<P>>, NodeId, String)>,
}

/// A state as a visitor sees it (see [`explore_visiting`]).
pub struct Visit<'a, P: Protocol> {
    pub slots: &'a [Slot<P>],
    /// Sorted; with `dups` a set.
    pub net: &'a [Envelope<P::Msg>],
    /// Armed timers, sorted.
    pub timers: &'a [(NodeId, P::Timer)],
    /// The value each proposer would be asked to propose next, if it may be asked again.
    pub next_proposal: &'a [Option<Value>],
}

/// The values the explorer's clients propose: `values[id - 1][k]` is what proposer `id` is
/// asked to propose the `k`-th time. Every value must be distinct.
pub type Proposals = Vec<Vec<Value>>;

pub(crate) struct Explorer<'a, P: Protocol> {
    pub(crate) cfg: &'a P::Config,
    pub(crate) bounds: Bounds,
    pub(crate) values: &'a Proposals,
    pub(crate) out: Outbox<P::Msg, P::Timer>,
    /// Whether the internal sanity checks count as violations.
    pub(crate) check_sanity: bool,
    /// Where the search starts, if not from the protocol's initial state ([`explore_from`]).
    pub(crate) start: Option<&'a State<P>>,
    /// Only these moves, when given: the breadth-first search that shortens a random walk's
    /// counterexample searches the reorderings and subsets of the walk's own moves.
    pub(crate) only: Option<&'a [Move<P>]>,
}

impl<'a, P: Protocol> Explorer<'a, P> {
    /// Another explorer of the same search (each thread has its own outbox).
    pub(crate) fn fork(&self) -> Explorer<'a, P> {
        Explorer { cfg: self.cfg, bounds: self.bounds, values: self.values, out: Outbox::default(), check_sanity: self.check_sanity, start: self.start, only: self.only }
    }

    fn effects(&mut self, s: &mut State<P>, id: NodeId) -> Option<Breach> {
        let r = self.bounds.reductions;
        let mut breach = None;
        if !self.out.timers.is_empty() {
            s.dirty |= TIMERS;
        }
        for cmd in self.out.timers.drain(..) {
            match cmd {
                TimerCmd::Set { timer, .. } => {
                    if let Err(i) = s.timers.binary_search(&(id, timer)) {
                        s.timers.insert(i, (id, timer));
                    }
                }
                TimerCmd::Cancel { timer } => s.timers.retain(|t| *t != (id, timer)),
            }
        }
        if !self.out.observations.is_empty() {
            s.dirty |= GHOST;
            let learn = r.learners.then(|| P::learn_quorum(self.cfg));
            for o in self.out.observations.drain(..) {
                let b = s.ghost.observe_with(id, &o, P::acceptors(self.cfg), learn);
                breach = breach.or(b);
            }
            s.ghost_h = stable_hash(&s.ghost);
        }
        // Messages its receiver will always ignore are never added (see `ignores_forever`).
        for (to, msg) in self.out.sends.drain(..) {
            s.send(self.cfg, self.bounds, Envelope { from: id, to, msg });
        }
        self.out.persisted = false;
        // Merge states that differ only by messages their receivers will always ignore. Only
        // node `id` changed, so only messages to it can have become ignorable.
        if let (true, Slot::Up(node)) = (r.ignored, &s.slots[id as usize - 1]) {
            let cfg = self.cfg;
            let mut removed = 0u64;
            let before = s.net.len();
            s.net.retain(|e| {
                let keep = e.to != id || !node.ignores_forever(cfg, &e.msg);
                if !keep {
                    removed = removed.wrapping_add(stable_hash(e));
                }
                keep
            });
            s.net_h = s.net_h.wrapping_sub(removed);
            if s.net.len() != before {
                s.dirty |= NET;
            }
        }
        s.rehash_slot(id);
        breach
    }

    pub(crate) fn initial(&mut self) -> (State<P>, Option<Breach>) {
        if let Some(start) = self.start {
            return (start.clone(), None);
        }
        let n = P::cluster_size(self.cfg);
        let mut s = State {
            slots: Vec::with_capacity(n),
            net: Vec::new(),
            timers: Vec::new(),
            crashes: 0,
            proposals: 0,
            split: 0,
            cuts: 0,
            ghost: Ghost::default(),
            slot_h: vec![0; n],
            net_h: 0,
            ghost_h: stable_hash(&Ghost::default()),
            dirty: 0,
        };
        let mut breach = None;
        for id in 1..=n as NodeId {
            let node = P::init(self.cfg, id, &mut self.out);
            s.slots.push(Slot::Up(node));
            breach = breach.or(self.effects(&mut s, id));
        }
        (s, breach)
    }

    /// The value proposer `id` would be asked to propose next, if it may be asked again.
    pub(crate) fn next_proposal(&self, s: &State<P>, id: NodeId) -> Option<Value> {
        let k = s.proposals_of(id);
        if k >= self.bounds.proposals {
            return None;
        }
        self.values.get(id as usize - 1).and_then(|v| v.get(k as usize)).copied()
    }

    pub(crate) fn moves(&self, s: &State<P>, into: &mut Vec<Move<P>>) {
        into.clear();
        for (i, slot) in s.slots.iter().enumerate() {
            let id = i as NodeId + 1;
            if let Slot::Up(node) = slot {
                if node.can_propose() {
                    if let Some(v) = self.next_proposal(s, id) {
                        into.push(Move::Propose(id, v));
                    }
                }
            }
        }
        let mut last = None;
        for e in &s.net {
            if last == Some(e) {
                continue;
            }
            last = Some(e);
            // A message across the partition cannot be delivered; it may be lost (with a set
            // network, losing it is the same as never delivering it).
            if s.apart(e.from, e.to) {
                if !self.bounds.dups {
                    into.push(Move::Drop(e.clone()));
                }
                continue;
            }
            // Delivering to a crashed node loses the message; with a set network that changes nothing.
            let down = !matches!(s.slots[e.to as usize - 1], Slot::Up(_));
            if !(down && self.bounds.dups) {
                into.push(Move::Deliver(e.clone()));
            }
            // With a duplicating network a drop is the same as never delivering: no new behaviour.
            if self.bounds.drops && !self.bounds.dups && !down {
                into.push(Move::Drop(e.clone()));
            }
        }
        for &(id, t) in &s.timers {
            // A timer standing for a perfect failure detector fires only while a node it
            // watches is down or cut off (see `Protocol::timer_suspects`).
            if let Slot::Up(node) = &s.slots[id as usize - 1] {
                if let Some(on) = node.timer_suspects(self.cfg, &t) {
                    if !members(on).any(|j| (j as usize) <= s.slots.len() && (!s.is_up(j) || s.apart(id, j))) {
                        continue;
                    }
                }
            }
            into.push(Move::Fire(id, t));
        }
        for (i, slot) in s.slots.iter().enumerate() {
            let id = i as NodeId + 1;
            match slot {
                Slot::Up(_) if s.crashes < self.bounds.crashes => into.push(Move::Crash(id)),
                Slot::Down(_) => into.push(Move::Restart(id)),
                _ => {}
            }
        }
        if s.split != 0 {
            into.push(Move::Heal);
        } else if s.cuts < self.bounds.partitions {
            // Every side holding node 1 other than the whole cluster.
            let n = s.slots.len();
            for rest in 0..(1u32 << (n - 1)) - 1 {
                into.push(Move::Cut(bit(1) | (rest as NodeSet) << 2));
            }
        }
        if let Some(only) = self.only {
            into.retain(|m| only.contains(m));
        }
    }

    pub(crate) fn apply(&mut self, s: &mut State<P>, m: &Move<P>) -> Option<Breach> {
        match *m {
            Move::Propose(id, v) => {
                s.proposals += 1 << (4 * (id as u64 - 1));
                s.dirty |= MISC;
                let Slot::Up(node) = &mut s.slots[id as usize - 1] else { return None };
                node.on_propose(self.cfg, v, &mut self.out);
                self.effects(s, id)
            }
            Move::Deliver(ref e) => {
                if !self.bounds.dups {
                    let i = s.net.binary_search(e).expect("delivered message is in flight");
                    s.net_remove(i);
                }
                let Slot::Up(node) = &mut s.slots[e.to as usize - 1] else { return None };
                node.on_message(self.cfg, e.from, e.msg.clone(), &mut self.out);
                self.effects(s, e.to)
            }
            Move::Drop(ref e) => {
                let i = s.net.binary_search(e).expect("dropped message is in flight");
                s.net_remove(i);
                None
            }
            Move::Fire(id, t) => {
                let i = s.timers.binary_search(&(id, t)).expect("fired timer is armed");
                s.timers.remove(i);
                s.dirty |= TIMERS;
                let Slot::Up(node) = &mut s.slots[id as usize - 1] else { return None };
                node.on_timer(self.cfg, t, &mut self.out);
                self.effects(s, id)
            }
            Move::Crash(id) => {
                let Slot::Up(node) = &s.slots[id as usize - 1] else { return None };
                s.slots[id as usize - 1] = Slot::Down(node.durable());
                s.rehash_slot(id);
                s.timers.retain(|t| t.0 != id);
                s.crashes += 1;
                s.dirty |= TIMERS | MISC;
                None
            }
            Move::Restart(id) => {
                let Slot::Down(disk) = &s.slots[id as usize - 1] else { return None };
                let node = P::restart(self.cfg, id, disk, &mut self.out);
                s.slots[id as usize - 1] = Slot::Up(node);
                self.effects(s, id)
            }
            Move::Cut(side) => {
                s.split = side;
                s.cuts += 1;
                s.dirty |= MISC;
                None
            }
            Move::Heal => {
                s.split = 0;
                s.dirty |= MISC;
                None
            }
        }
    }
}

fn path_to<P: Protocol>(parents: &[(u32, Move<P>)], mut at: u32, last: Move<P>) -> Vec<Move<P>> {
    let mut path = vec![last];
    while at != u32::MAX {
        let (parent, ref pm) = parents[at as usize];
        path.push(pm.clone());
        at = parent;
    }
    path.reverse();
    path
}

/// A state to start a search from: the world at the end of a run ([`Start::of_world`]).
pub struct Start<P: Protocol>(pub(crate) State<P>);

impl<P: crate::protocols::Registered> Start<P> {
    /// The explorer's state for the simulator's world `w`: its nodes (up, or down with their
    /// durable state), the messages in flight (held and delayed ones included: the explorer
    /// has no clock), the armed timers, the partition and the history (the ghost). No crash,
    /// proposal or partition of the bounds is used yet: they count what the search may add.
    /// Messages the bounds' reductions would never have kept (see [`Reductions`]) are left
    /// out, as the explorer would have; with `dups` the network is a set.
    pub fn of_world(cfg: &P::Config, bounds: Bounds, w: &crate::sim::SimWorld) -> Result<Start<P>, String> {
        let n = P::cluster_size(cfg);
        if w.slots.len() != n {
            return Err(format!("the run has {} nodes, the configuration {n}", w.slots.len()));
        }
        let other = || "the run is of another protocol".to_string();
        let mut slots = Vec::with_capacity(n);
        for slot in &w.slots {
            slots.push(match slot {
                Slot::Up(a) => Slot::Up(P::of_node(a).ok_or_else(other)?),
                Slot::Down(d) => Slot::Down(P::of_durable(d).ok_or_else(other)?),
            });
        }
        // A partition: the cut links must be every link between two sides.
        let mut split: NodeSet = 0;
        if !w.cut.is_empty() {
            split = bit(1);
            // The side of node 1: every node it is not cut from.
            for j in 2..=n as NodeId {
                if !w.is_cut(1, j) {
                    split |= bit(j);
                }
            }
            let all: NodeSet = (1..=n as NodeId).fold(0, |a, j| a | bit(j));
            let bipartition = (1..=n as NodeId).all(|a| (1..=n as NodeId).all(|b| a == b || w.is_cut(a, b) == ((split & bit(a) != 0) != (split & bit(b) != 0))));
            if split == all || !bipartition {
                return Err("the run ends with links cut that do not split the cluster in two: the explorer's partitions are splits into two sides; heal or cut links until they are".into());
            }
        }
        let mut s = State {
            slots,
            net: Vec::new(),
            timers: Vec::new(),
            crashes: 0,
            proposals: 0,
            split,
            cuts: 0,
            ghost: w.ghost.clone(),
            slot_h: vec![0; n],
            net_h: 0,
            ghost_h: stable_hash(&w.ghost),
            dirty: 0,
        };
        for p in w.pending.iter() {
            s.send(cfg, bounds, Envelope { from: p.from, to: p.to, msg: P::of_msg(&p.msg).ok_or_else(other)? });
        }
        for t in &w.timers {
            let t = (t.node, P::of_timer(&t.timer).ok_or_else(other)?);
            if let Err(i) = s.timers.binary_search(&t) {
                s.timers.insert(i, t);
            }
        }
        for id in 1..=n as NodeId {
            s.rehash_slot(id);
        }
        s.dirty = 0;
        Ok(Start(s))
    }
}

/// Explore every schedule in which proposer `id` may be asked to propose `values[id - 1][k]`
/// as its `k`-th proposal (at most `bounds.proposals` of them).
///
/// With [`Bounds::blocking`] the search is the exact single-threaded one of
/// [`explore_visiting`] (it keeps every state's index and the fault-free edges); otherwise it
/// is the engine's ([`super::engine`]): compact, on [`Bounds::threads`] threads, by
/// [`Bounds::strategy`].
pub fn explore<P: Protocol>(cfg: &P::Config, values: &Proposals, bounds: Bounds, check_sanity: bool) -> Report<P> {
    explore_from(cfg, values, bounds, check_sanity, None)
}

/// As [`explore`], from `start` instead of the initial state when given ([`Start`]).
pub fn explore_from<P: Protocol>(cfg: &P::Config, values: &Proposals, bounds: Bounds, check_sanity: bool, start: Option<&Start<P>>) -> Report<P> {
    let start = start.map(|s| &s.0);
    if bounds.blocking {
        return visiting(cfg, values, bounds, check_sanity, start, |_| {});
    }
    let bounds = Bounds { proposals: bounds.proposals.min(MAX_PROPOSALS), ..bounds };
    let ex = Explorer::<P> { cfg, bounds, values, out: Outbox::default(), check_sanity, start, only: None };
    let sym = if bounds.symmetry { super::symmetry::Symmetry::new::<P>(cfg, values) } else { None };
    let fp_of = |s: &State<P>| match &sym {
        Some(sym) => sym.fingerprint(s),
        None => s.fingerprint(),
    };
    let threads = engine::threads(bounds.threads);
    let walked: Vec<Move<P>>;
    let only: Explorer<P>;
    // The explorer whose moves a found path indexes.
    let mut by = &ex;
    let found = match bounds.strategy {
        Strategy::Bfs => engine::bfs(&ex, bounds, u32::MAX, &fp_of),
        Strategy::Dfs => engine::dfs(&ex, bounds, &fp_of),
        Strategy::RandomWalk => match engine::random_walks(&ex, bounds.threads, bounds.walks, WALK_LEN, 1) {
            None => engine::bfs(&ex, bounds, u32::MAX, &fp_of),
            Some(path) => {
                // A breadth-first search over the walk's own moves, reordered and left out:
                // the shortest counterexample made of them (no longer than the walk's, and
                // found in moments). It is not known to be a shortest one overall: that is
                // what `Strategy::Bfs` is for.
                walked = path;
                only = Explorer { only: Some(&walked[..]), ..ex.fork() };
                by = &only;
                let mut r = engine::bfs(by, bounds, u32::MAX, &fp_of);
                r.chosen = None;
                r
            }
        },
    };
    let shortest = bounds.strategy == Strategy::Bfs || (bounds.strategy == Strategy::RandomWalk && by.only.is_none());
    Report {
        states: found.states,
        transitions: found.transitions,
        max_depth: found.max_depth,
        complete: found.stop.is_none(),
        violation: found.violation.map(|(p, path)| (p, engine::replay_positions(by, &path))),
        chosen: found.chosen.map(|p| engine::replay_positions(by, &p)),
        blocking: None,
        stop: found.stop,
        shortest,
        bytes: found.bytes,
        strategy: bounds.strategy,
        threads,
    }
}

/// As [`explore`], calling `visit` on every unique state reached (once each, breadth first).
pub fn explore_visiting<P: Protocol>(cfg: &P::Config, values: &Proposals, bounds: Bounds, check_sanity: bool, visit: impl FnMut(&Visit<P>)) -> Report<P> {
    visiting(cfg, values, bounds, check_sanity, None, visit)
}

fn visiting<P: Protocol>(cfg: &P::Config, values: &Proposals, bounds: Bounds, check_sanity: bool, start: Option<&State<P>>, mut visit: impl FnMut(&Visit<P>)) -> Report<P> {
    let mut bounds = Bounds { proposals: bounds.proposals.min(MAX_PROPOSALS), ..bounds };
    if bounds.blocking {
        // Learners must really hear the outcome: no judging learning from acceptances, and
        // no skipping the reports.
        bounds.reductions.learners = false;
        bounds.reductions.informs = false;
    }
    let mut ex = Explorer::<P> { cfg, bounds, values, out: Outbox::default(), check_sanity, start, only: None };
    let relevant = |b: &Breach| check_sanity || b.property() != Property::AcceptBelowPromise;
    let (init, breach) = ex.initial();
    let mut report = Report { states: 1, transitions: 0, max_depth: 0, complete: true, violation: None, chosen: None, blocking: None, stop: None, shortest: true, bytes: 0, strategy: Strategy::Bfs, threads: 1 };
    if let Some(b) = breach.filter(relevant) {
        report.violation = Some((b.property(), Vec::new()));
        return report;
    }
    let mut visited = if bounds.blocking { Seen::Map(HashMap::with_capacity_and_hasher(1 << 16, Default::default())) } else { Seen::Set(HashSet::with_capacity_and_hasher(1 << 16, Default::default())) };
    visited.insert(init.fingerprint(), 0);
    // With `blocking`: per state (by index: the root 0, then `parents[i]` is state i + 1) its
    // nodes' summary, and the edges of the moves that are not faults.
    let mut info: Vec<Summary> = Vec::new();
    let mut edges: Vec<(u32, u32)> = Vec::new();
    if bounds.blocking {
        info.push(summary(cfg, &init));
    }
    // parents[i] = (parent index, move); the root has no entry.
    let mut parents: Vec<(u32, Move<P>)> = Vec::new();
    let mut queue: VecDeque<(State<P>, u32, u32)> = VecDeque::new(); // (state, index, depth)
    let mut next = init.clone();
    queue.push_back((init, u32::MAX, 0));
    let mut moves = Vec::new();
    let n = P::cluster_size(cfg);
    let mut upcoming: Vec<Option<Value>> = vec![None; n];
    while let Some((s, idx, depth)) = queue.pop_front() {
        report.max_depth = report.max_depth.max(depth);
        for (i, u) in upcoming.iter_mut().enumerate() {
            *u = ex.next_proposal(&s, i as NodeId + 1);
        }
        visit(&Visit { slots: &s.slots, net: &s.net, timers: &s.timers, next_proposal: &upcoming });
        ex.moves(&s, &mut moves);
        for m in &moves {
            next.copy_from(&s);
            report.transitions += 1;
            let breach = ex.apply(&mut next, m);
            if let Some(b) = breach.filter(relevant) {
                report.violation = Some((b.property(), path_to(&parents, idx, m.clone())));
                report.states = visited.len() as u64;
                return report;
            }
            if report.chosen.is_none() && !reached(&s.ghost) && reached(&next.ghost) {
                report.chosen = Some(path_to(&parents, idx, m.clone()));
            }
            let (new, to) = visited.insert(next.fingerprint(), parents.len() as u32 + 1);
            if bounds.blocking && !m.is_fault() {
                let from = idx.wrapping_add(1);
                if from != to {
                    edges.push((from, to));
                }
            }
            if new {
                if visited.len() as u64 >= bounds.max_states {
                    report.complete = false;
                    report.stop = Some(Stop::States);
                    report.states = visited.len() as u64;
                    return report;
                }
                if bounds.blocking {
                    info.push(summary(cfg, &next));
                }
                parents.push((idx, m.clone()));
                queue.push_back((next.clone(), parents.len() as u32 - 1, depth + 1));
            }
        }
    }
    report.states = visited.len() as u64;
    drop(visited);
    if bounds.blocking {
        report.blocking = Some(blocking_report(&mut ex, &info, edges, &parents));
    }
    report
}

/// Whether something is decided in this history: a value chosen, or (commit protocols) a
/// node's decision.
pub(crate) fn reached(g: &Ghost) -> bool {
    !g.chosen.is_empty() || g.committed | g.aborted != 0
}

/// The visited fingerprints; with `blocking`, each with its state's index.
enum Seen {
    Set(HashSet<u64, std::hash::BuildHasherDefault<Identity>>),
    Map(HashMap<u64, u32, std::hash::BuildHasherDefault<Identity>>),
}

impl Seen {
    /// Record `fp` as state `index` unless seen: whether it is new, and its index (with a
    /// set, 0).
    fn insert(&mut self, fp: u64, index: u32) -> (bool, u32) {
        match self {
            Seen::Set(s) => (s.insert(fp), 0),
            Seen::Map(m) => match m.entry(fp) {
                std::collections::hash_map::Entry::Occupied(e) => (false, *e.get()),
                std::collections::hash_map::Entry::Vacant(e) => (true, *e.insert(index)),
            },
        }
    }
    fn len(&self) -> usize {
        match self {
            Seen::Set(s) => s.len(),
            Seen::Map(m) => m.len(),
        }
    }
}

/// What the blocking analysis keeps of a state: which nodes are up, which up learners have
/// not decided, which have.
#[derive(Clone, Copy)]
struct Summary {
    up: NodeSet,
    waiting: NodeSet,
    decided: NodeSet,
}

fn summary<P: Protocol>(_cfg: &P::Config, s: &State<P>) -> Summary {
    let mut r = Summary { up: 0, waiting: 0, decided: 0 };
    for (i, slot) in s.slots.iter().enumerate() {
        let b = bit(i as NodeId + 1);
        if let Slot::Up(node) = slot {
            r.up |= b;
            if node.is_learner() {
                if node.has_learned() {
                    r.decided |= b;
                } else {
                    r.waiting |= b;
                }
            }
        }
    }
    r
}

/// For each node, the states from which it can reach a state where it is up and has decided
/// by moves that are not faults (a breadth-first search backwards over those edges); a
/// state is blocked if a waiting node of it cannot.
fn blocking_report<P: Protocol>(ex: &mut Explorer<P>, info: &[Summary], edges: Vec<(u32, u32)>, parents: &[(u32, Move<P>)]) -> Blocking<P> {
    let states = info.len();
    // The edges backwards, grouped by their target (compressed rows).
    let mut start = vec![0u32; states + 1];
    for &(_, to) in &edges {
        start[to as usize + 1] += 1;
    }
    for i in 0..states {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut from = vec![0u32; edges.len()];
    for &(f, to) in &edges {
        from[fill[to as usize] as usize] = f;
        fill[to as usize] += 1;
    }
    drop(edges);
    drop(fill);
    let mut blocked: Vec<NodeSet> = vec![0; states];
    let mut can = vec![false; states];
    let mut queue: VecDeque<u32> = VecDeque::new();
    let n = P::cluster_size(ex.cfg);
    for id in 1..=n as NodeId {
        let b = bit(id);
        if !info.iter().any(|s| s.waiting & b != 0) {
            continue;
        }
        can.iter_mut().for_each(|c| *c = false);
        for (i, s) in info.iter().enumerate() {
            if s.decided & b != 0 {
                can[i] = true;
                queue.push_back(i as u32);
            }
        }
        while let Some(t) = queue.pop_front() {
            for &f in &from[start[t as usize] as usize..start[t as usize + 1] as usize] {
                if !can[f as usize] {
                    can[f as usize] = true;
                    queue.push_back(f);
                }
            }
        }
        for (i, s) in info.iter().enumerate() {
            if s.waiting & b != 0 && !can[i] {
                blocked[i] |= b;
            }
        }
    }
    let acceptors = P::acceptors(ex.cfg);
    let majority = |up: NodeSet| 2 * (up & acceptors).count_ones() > acceptors.count_ones();
    let mut report = Blocking { blocked: 0, majority_up: 0, blocked_majority_up: 0, shortest: None };
    for (i, s) in info.iter().enumerate() {
        let maj = majority(s.up);
        report.majority_up += maj as u64;
        if blocked[i] != 0 {
            report.blocked += 1;
            report.blocked_majority_up += maj as u64;
        }
    }
    if let Some(first) = blocked.iter().position(|&b| b != 0) {
        let path = if first == 0 { Vec::new() } else { path_to(parents, parents[first - 1].0, parents[first - 1].1.clone()) };
        let node = members(blocked[first]).next().expect("a blocked node");
        // Rebuild the state to say why the node waits.
        let (mut s, _) = ex.initial();
        for m in &path {
            ex.apply(&mut s, m);
        }
        let why = why_blocked(ex.cfg, &s, node);
        report.shortest = Some((path, node, why));
    }
    report
}

/// Why `id` waits in `s`: its [`Protocol::waits_for`], and who of those it waits for is down
/// or cut off.
fn why_blocked<P: Protocol>(cfg: &P::Config, s: &State<P>, id: NodeId) -> String {
    let Slot::Up(node) = &s.slots[id as usize - 1] else { return "down".into() };
    let Some(w) = node.waits_for(cfg) else { return "no fault-free continuation lets it decide".into() };
    let gone: Vec<String> = members(w.on)
        .filter(|&j| (j as usize) <= s.slots.len())
        .filter_map(|j| {
            if !s.is_up(j) {
                Some(format!("node {j} is down"))
            } else if s.apart(id, j) {
                Some(format!("node {j} is cut off"))
            } else {
                None
            }
        })
        .collect();
    if gone.is_empty() {
        w.why.to_string()
    } else {
        format!("{} ({})", w.why, gone.join(", "))
    }
}

/// The values proposers propose in explored runs and in scenarios: node 1 Green, node 2 Blue…
/// The proposal values, in the order proposers take them: the core's one list
/// ([`crate::paxos::VALUES`]), which the page reads through the vocabulary.
pub const COLOURS: [&str; 9] = crate::paxos::VALUES;

/// The value node `id` proposes first.
pub fn colour(id: NodeId) -> Value {
    // `ok()`: the error's Debug (and the Unicode tables it needs) would otherwise reach the wasm.
    Value::new(COLOURS[(id as usize - 1) % COLOURS.len()]).ok().expect("colour names are valid values")
}

/// What a client asks proposer `id` of an `n`-node cluster to propose the `k`-th time
/// (from 0): distinct values, colours while they last (3 nodes: node 1 Green then Amber,
/// node 2 Blue then Violet), then the node's colour numbered (`Green4`).
pub fn proposal_value(n: usize, id: NodeId, k: u8) -> Value {
    let i = id as usize - 1 + k as usize * n;
    match COLOURS.get(i) {
        Some(c) => Value::new(c).ok().expect("colour names are valid values"),
        None => Value::new(&format!("{}{}", COLOURS[(id as usize - 1) % COLOURS.len()], k as u32 + 1)).ok().expect("numbered colours are valid values"),
    }
}

/// The values of [`proposal_value`] for every proposer of `cfg`, up to `k` each.
pub fn paxos_proposals(cfg: &PaxosConfig, k: u8) -> Proposals {
    (1..=cfg.nodes as NodeId)
        .map(|id| if cfg.proposers & crate::protocol::bit(id) != 0 { (0..k.min(MAX_PROPOSALS)).map(|j| proposal_value(cfg.nodes, id, j)).collect() } else { Vec::new() })
        .collect()
}

/// Check single-decree Paxos on `cfg`: clients may ask each proposer up to
/// `bounds.proposals` times, each time for a new value ([`proposal_value`]).
pub fn check_paxos(cfg: &PaxosConfig, bounds: Bounds) -> Report<PaxosNode> {
    let sanity = cfg.bug != Some(crate::paxos::Bug::AcceptBelowPromise);
    explore::<PaxosNode>(cfg, &paxos_proposals(cfg, bounds.proposals), bounds, sanity)
}
