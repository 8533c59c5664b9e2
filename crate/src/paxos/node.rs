//! A Paxos node: any mix of proposer, acceptor and learner, as in *Paxos Made Simple*.
//!
//! Durable state (persisted before any reply that depends on it, kept across a crash): the
//! acceptor's promised ballot and accepted proposal, and the highest round the proposer has
//! used (the paper's §2.2: "a proposer … must remember the highest-numbered proposal it has
//! tried to issue"). Everything else is volatile. Every change to a durable field sets
//! [`Outbox::persisted`].

use super::config::{Bug, Deviation, PaxosConfig, QuorumUse};
use super::msg::Msg;
use super::quorum::is_quorum;
use super::{Ballot, Value};
use crate::protocol::{bit, members, BallotValue, MsgView, NodeId, NodeSet, NodeView, Observation, Protocol, ProposerView, Renaming, Row};

pub type Out = crate::protocol::Outbox<Msg, Timer>;

/// A Paxos node's timers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Timer {
    /// The proposer's round has not succeeded: try a higher one.
    Retry,
    /// Distinguished mode: the leader has been silent too long; take over.
    Leader,
    /// Distinguished mode: the leader's heartbeat period.
    Heartbeat,
}

impl Timer {
    /// The timers' names, as shown to people and written in traces (`{"fire": [1, "retry"]}`).
    pub const NAMES: [&'static str; 3] = ["retry", "leader", "heartbeat"];
}

/// A proposer's phases, as shown to people (`ProposerView::phase`).
pub const PHASES: [&str; 4] = ["idle", "preparing", "accepting", "done"];

/// A node's roles, in the order a node lists them.
pub const ROLES: [&str; 3] = ["proposer", "acceptor", "learner"];

/// What survives a crash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Durable {
    pub promised: Option<Ballot>,
    pub accepted: Option<(Ballot, Value)>,
    pub max_round: u32,
}

/// A proposer's progress through its current ballot.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Phase {
    Idle,
    /// Phase 1: waiting for promises; `prior` is the highest-ballot proposal they reported.
    Preparing { ballot: Ballot, promises: NodeSet, prior: Option<(Ballot, Value)> },
    /// Phase 2: waiting for acceptances of `(ballot, value)`.
    Accepting { ballot: Ballot, value: Value, accepts: NodeSet },
    /// A quorum accepted `(ballot, value)`: the value is chosen.
    Done { ballot: Ballot, value: Value },
}

/// Votes a learner has heard for one proposal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Tally {
    pub ballot: Ballot,
    pub value: Value,
    pub from: NodeSet,
}

const PROPOSER: u8 = 1;
const ACCEPTOR: u8 = 2;
const LEARNER: u8 = 4;

/// One node of the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PaxosNode {
    pub id: NodeId,
    roles: u8,
    // Acceptor (durable).
    pub promised: Option<Ballot>,
    pub accepted: Option<(Ballot, Value)>,
    // Proposer: `max_round` is durable, the rest volatile.
    pub max_round: u32,
    pub value: Option<Value>,
    pub phase: Phase,
    pub leader: bool,
    // Learner (volatile).
    pub tallies: Vec<Tally>,
    pub learned: Option<Value>,
}

impl PaxosNode {
    fn blank(cfg: &PaxosConfig, id: NodeId, disk: Durable) -> PaxosNode {
        let has = |set: NodeSet, role| if set & bit(id) != 0 { role } else { 0 };
        PaxosNode {
            id,
            roles: has(cfg.proposers, PROPOSER) | has(cfg.acceptors, ACCEPTOR) | has(cfg.learners, LEARNER),
            promised: disk.promised,
            accepted: disk.accepted,
            max_round: disk.max_round,
            value: None,
            phase: Phase::Idle,
            leader: false,
            tallies: Vec::new(),
            learned: None,
        }
    }

    pub fn is_proposer(&self) -> bool {
        self.roles & PROPOSER != 0
    }
    pub fn is_acceptor(&self) -> bool {
        self.roles & ACCEPTOR != 0
    }
    pub fn is_learner(&self) -> bool {
        self.roles & LEARNER != 0
    }

    // ----- acceptor -------------------------------------------------------------------------

    /// Phase 1b. Promise only a ballot higher than any promised before (*Paxos Made Simple*:
    /// a prepare "with number n greater than that of any prepare request to which it has
    /// already responded"; `Paxos.tla`'s Phase1b needs `m.bal > maxBal[a]`). A Prepare for
    /// the ballot already promised (a duplicate, or one delayed past the Accept of its own
    /// ballot) gets nothing: the first answer stands. A lower one gets a Nack.
    fn on_prepare(&mut self, from: NodeId, ballot: Ballot, out: &mut Out) {
        match self.promised {
            Some(p) if ballot < p => out.send(from, Msg::Nack { ballot, promised: p }),
            Some(p) if ballot == p => {}
            _ => {
                self.promised = Some(ballot);
                out.persisted = true;
                out.send(from, Msg::Promise { ballot, prior: self.accepted });
            }
        }
    }

    /// Phase 2b. Accept unless a higher ballot was promised; tell the proposer and every learner.
    fn on_accept(&mut self, cfg: &PaxosConfig, from: NodeId, ballot: Ballot, value: Value, out: &mut Out) {
        let before = self.promised;
        let allowed = cfg.is_bug(Bug::AcceptBelowPromise) || before.map_or(true, |p| ballot >= p);
        if !allowed {
            if let Some(p) = before {
                out.send(from, Msg::Nack { ballot, promised: p });
            }
            return;
        }
        if let Some(promised) = before.filter(|&p| ballot < p) {
            out.observe(Observation::Deviated(Deviation::AcceptedBelow { ballot, promised }));
        }
        self.promised = before.max(Some(ballot));
        self.accepted = Some((ballot, value));
        out.persisted = true;
        out.observe(Observation::Accepted { slot: 0, ballot, value, promised: before });
        for to in members(cfg.learners | bit(ballot.node)) {
            out.send(to, Msg::Accepted { ballot, value });
        }
    }

    // ----- proposer -------------------------------------------------------------------------

    /// Phase 1a: a new ballot, higher than any this proposer has used or seen.
    fn start_round(&mut self, cfg: &PaxosConfig, out: &mut Out) {
        if self.value.is_none() {
            return;
        }
        let round = (self.max_round + 1).max(cfg.start_round);
        if cfg.max_round.is_some_and(|m| round > m) {
            self.phase = Phase::Idle;
            return;
        }
        self.max_round = round;
        out.persisted = true;
        let ballot = Ballot::new(round, self.id);
        self.phase = Phase::Preparing { ballot, promises: 0, prior: None };
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Prepare { ballot });
        }
        let (lo, hi) = cfg.timing.retry;
        out.set_timer(Timer::Retry, lo, hi);
    }

    fn on_promise(&mut self, cfg: &PaxosConfig, from: NodeId, ballot: Ballot, reported: Option<(Ballot, Value)>, out: &mut Out) {
        let Phase::Preparing { ballot: b, promises, prior } = &mut self.phase else { return };
        if *b != ballot || cfg.acceptors & bit(from) == 0 {
            return;
        }
        *promises |= bit(from);
        if reported > *prior {
            *prior = reported;
        }
        if !is_quorum(*promises, cfg.acceptors, cfg.quorum()) {
            return;
        }
        let own = self.value.expect("a preparing proposer has a value");
        note_minority(cfg, *promises, QuorumUse::Promises, ballot, out);
        // The rule that makes Paxos safe: the highest-ballot accepted value wins.
        let value = match *prior {
            Some((_, v)) if !cfg.is_bug(Bug::ProposerIgnoresPromises) => v,
            Some(p) if p.1 != own => {
                out.observe(Observation::Deviated(Deviation::IgnoredPrior { ballot, prior: p, own }));
                own
            }
            _ => own,
        };
        self.phase = Phase::Accepting { ballot, value, accepts: 0 };
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Accept { ballot, value });
        }
    }

    fn on_accepted_as_proposer(&mut self, cfg: &PaxosConfig, from: NodeId, ballot: Ballot, out: &mut Out) {
        let Phase::Accepting { ballot: b, value, accepts } = &mut self.phase else { return };
        if *b != ballot || cfg.acceptors & bit(from) == 0 {
            return;
        }
        *accepts |= bit(from);
        if is_quorum(*accepts, cfg.acceptors, cfg.quorum()) {
            note_minority(cfg, *accepts, QuorumUse::Accepts, ballot, out);
            self.phase = Phase::Done { ballot, value: *value };
            out.cancel_timer(Timer::Retry);
        }
    }

    fn on_nack(&mut self, promised: Ballot, out: &mut Out) {
        if promised.round > self.max_round {
            self.max_round = promised.round;
            out.persisted = true;
        }
    }

    fn may_propose(&self, cfg: &PaxosConfig) -> bool {
        !cfg.distinguished || self.leader
    }

    fn become_leader(&mut self, cfg: &PaxosConfig, out: &mut Out) {
        self.leader = true;
        self.send_heartbeats(cfg, out);
        if !matches!(self.phase, Phase::Done { .. }) {
            self.start_round(cfg, out);
        }
    }

    fn send_heartbeats(&mut self, cfg: &PaxosConfig, out: &mut Out) {
        for to in members(cfg.proposers & !bit(self.id)) {
            out.send(to, Msg::Heartbeat);
        }
        let (lo, hi) = cfg.timing.heartbeat;
        out.set_timer(Timer::Heartbeat, lo, hi);
    }

    fn on_heartbeat(&mut self, cfg: &PaxosConfig, from: NodeId, out: &mut Out) {
        if !cfg.distinguished || !self.is_proposer() {
            return;
        }
        if self.leader {
            if from > self.id {
                return; // it will step down when it hears from us
            }
            self.leader = false;
            out.cancel_timer(Timer::Heartbeat);
        }
        let (lo, hi) = cfg.timing.leader_timeout;
        out.set_timer(Timer::Leader, lo, hi);
    }

    // ----- learner --------------------------------------------------------------------------

    fn on_accepted_as_learner(&mut self, cfg: &PaxosConfig, from: NodeId, ballot: Ballot, value: Value, out: &mut Out) {
        if self.learned.is_some() || cfg.acceptors & bit(from) == 0 {
            return;
        }
        let at = match self.tallies.binary_search_by(|t| (t.ballot, t.value).cmp(&(ballot, value))) {
            Ok(i) => i,
            Err(i) => {
                self.tallies.insert(i, Tally { ballot, value, from: 0 });
                i
            }
        };
        self.tallies[at].from |= bit(from);
        if is_quorum(self.tallies[at].from, cfg.acceptors, cfg.quorum()) {
            note_minority(cfg, self.tallies[at].from, QuorumUse::Learned, ballot, out);
            self.learned = Some(value);
            self.tallies.clear();
            out.observe(Observation::Learned { slot: 0, value });
        }
    }

    fn start_timers(&mut self, cfg: &PaxosConfig, out: &mut Out) {
        if cfg.distinguished && self.is_proposer() {
            if self.leader {
                let (lo, hi) = cfg.timing.heartbeat;
                out.set_timer(Timer::Heartbeat, lo, hi);
            } else {
                let (lo, hi) = cfg.timing.leader_timeout;
                out.set_timer(Timer::Leader, lo, hi);
            }
        }
    }
}

/// A quorum of `votes` was just reached: under `minority-quorum` it may be fewer than a
/// majority of the acceptors, which is the broken rule, recorded for the story.
fn note_minority(cfg: &PaxosConfig, votes: NodeSet, step: QuorumUse, ballot: Ballot, out: &mut Out) {
    let count = (votes & cfg.acceptors).count_ones();
    if (count as usize) < cfg.majority() {
        let of = cfg.acceptors.count_ones() as u8;
        out.observe(Observation::Deviated(Deviation::Minority { step, ballot, count: count as u8, of }));
    }
}

/// A ballot with its round moved by `by` (see [`Protocol::shift_rounds`]), lowering `room`
/// to how far below it the first round is.
fn shift_ballot(cfg: &PaxosConfig, b: Ballot, by: i64, room: &mut u32) -> Ballot {
    let round = (i64::from(b.round) + by).clamp(0, i64::from(u32::MAX)) as u32;
    *room = (*room).min(round.saturating_sub(cfg.start_round));
    Ballot::new(round, b.node)
}

/// A proposer's highest round moved by `by`, unless it has numbered no ballot yet (below
/// `start_round`): then it stays, and leaves no room.
fn shift_max_round(cfg: &PaxosConfig, max_round: u32, by: i64, room: &mut u32) -> u32 {
    if max_round < cfg.start_round {
        *room = 0;
        return max_round;
    }
    let round = (i64::from(max_round) + by).clamp(0, i64::from(u32::MAX)) as u32;
    *room = (*room).min(round.saturating_sub(cfg.start_round));
    round
}

fn ballot_value(bv: Option<(Ballot, Value)>) -> Option<BallotValue> {
    bv.map(|(b, v)| BallotValue { ballot: b.to_string(), value: v.to_string() })
}

impl Protocol for PaxosNode {
    type Config = PaxosConfig;
    type Msg = Msg;
    type Timer = Timer;
    type Durable = Durable;
    const KINDS: &'static [&'static str] = &Msg::KINDS;
    const TIMERS: &'static [&'static str] = &Timer::NAMES;
    const ROLES: &'static [&'static str] = &ROLES;
    const PHASES: &'static [&'static str] = &PHASES;
    const PROPERTIES: &'static [crate::check::invariants::Property] = &crate::check::invariants::Property::SAFETY;

    fn cluster_size(cfg: &PaxosConfig) -> usize {
        cfg.nodes
    }

    fn acceptors(cfg: &PaxosConfig) -> NodeSet {
        cfg.acceptors
    }

    fn init(cfg: &PaxosConfig, id: NodeId, out: &mut Out) -> PaxosNode {
        let mut node = PaxosNode::blank(cfg, id, Durable::default());
        // At the start the lowest-numbered proposer is the distinguished one.
        node.leader = cfg.distinguished && node.is_proposer() && cfg.proposers.trailing_zeros() == id as u32;
        node.start_timers(cfg, out);
        node
    }

    fn restart(cfg: &PaxosConfig, id: NodeId, disk: &Durable, out: &mut Out) -> PaxosNode {
        let mut disk = *disk;
        if cfg.is_bug(Bug::AcceptorForgets) && (disk.promised.is_some() || disk.accepted.is_some()) {
            out.observe(Observation::Deviated(Deviation::ForgotAcceptorState { promised: disk.promised, accepted: disk.accepted }));
            disk.promised = None;
            disk.accepted = None;
        }
        if cfg.is_bug(Bug::ProposerForgetsRound) && disk.max_round > 0 {
            out.observe(Observation::Deviated(Deviation::ForgotRound { max_round: disk.max_round }));
            disk.max_round = 0;
        }
        // A restarted proposer follows until the current leader falls silent.
        let mut node = PaxosNode::blank(cfg, id, disk);
        node.start_timers(cfg, out);
        node
    }

    fn durable(&self) -> Durable {
        Durable { promised: self.promised, accepted: self.accepted, max_round: self.max_round }
    }

    fn on_message(&mut self, cfg: &PaxosConfig, from: NodeId, msg: Msg, out: &mut Out) {
        match msg {
            Msg::Prepare { ballot } if self.is_acceptor() => self.on_prepare(from, ballot, out),
            Msg::Accept { ballot, value } if self.is_acceptor() => self.on_accept(cfg, from, ballot, value, out),
            Msg::Promise { ballot, prior } if self.is_proposer() => self.on_promise(cfg, from, ballot, prior, out),
            Msg::Nack { promised, .. } if self.is_proposer() => self.on_nack(promised, out),
            Msg::Accepted { ballot, value } => {
                if self.is_proposer() {
                    self.on_accepted_as_proposer(cfg, from, ballot, out);
                }
                if self.is_learner() {
                    self.on_accepted_as_learner(cfg, from, ballot, value, out);
                }
            }
            Msg::Heartbeat => self.on_heartbeat(cfg, from, out),
            _ => {} // not for this node's roles: ignored
        }
    }

    fn on_timer(&mut self, cfg: &PaxosConfig, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Retry => {
                if !matches!(self.phase, Phase::Done { .. }) && self.may_propose(cfg) {
                    self.start_round(cfg, out);
                }
            }
            Timer::Leader => {
                if !self.leader {
                    self.become_leader(cfg, out);
                }
            }
            Timer::Heartbeat => {
                if self.leader {
                    self.send_heartbeats(cfg, out);
                }
            }
        }
    }

    fn on_propose(&mut self, cfg: &PaxosConfig, value: Value, out: &mut Out) {
        self.value = Some(value);
        out.observe(Observation::Proposed(value));
        if self.may_propose(cfg) {
            self.start_round(cfg, out);
        }
    }

    fn is_learner(&self) -> bool {
        PaxosNode::is_learner(self)
    }

    fn has_learned(&self) -> bool {
        self.learned.is_some()
    }

    fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&self.tallies[..])
    }

    fn can_propose(&self) -> bool {
        self.is_proposer()
    }

    fn highest_round(&self) -> u32 {
        let accepted = self.accepted.map(|a| a.0);
        [self.promised, accepted].into_iter().flatten().map(|b| b.round).fold(self.max_round, u32::max)
    }

    fn view(&self, cfg: &PaxosConfig) -> NodeView {
        let mut roles = Vec::new();
        for (bit, name) in [PROPOSER, ACCEPTOR, LEARNER].into_iter().zip(ROLES) {
            if self.roles & bit != 0 {
                roles.push(name);
            }
        }
        let proposer = self.is_proposer().then(|| {
            // A proposer moves on the moment its count reaches a quorum and counts no more:
            // past a phase, its count for that phase was exactly a quorum.
            let q = cfg.quorum() as u32;
            let (phase, ballot, value, promises, accepts) = match self.phase {
                Phase::Idle => (PHASES[0], None, self.value, 0, 0),
                Phase::Preparing { ballot, promises, .. } => (PHASES[1], Some(ballot), self.value, promises.count_ones(), 0),
                Phase::Accepting { ballot, value, accepts } => (PHASES[2], Some(ballot), Some(value), q, accepts.count_ones()),
                Phase::Done { ballot, value } => (PHASES[3], Some(ballot), Some(value), q, q),
            };
            ProposerView {
                phase,
                ballot: ballot.map(|b| b.to_string()),
                value: value.map(|v| v.to_string()),
                promises,
                accepts,
                quorum: q,
            }
        });
        let promised = self.promised.map(|b| b.to_string());
        let accepted = ballot_value(self.accepted);
        let learned = self.learned.map(|v| v.to_string());
        let dash = |s: Option<&String>| s.cloned().unwrap_or_else(|| "—".into());
        let rows = vec![
            Row::new("promised", "promised", "p", dash(promised.as_ref())),
            Row::new("accepted", "accepted", "a", accepted.as_ref().map_or_else(|| "—".into(), |a| format!("{}: {}", a.ballot, a.value))),
            Row::new("learned", "learned", "l", dash(learned.as_ref())),
        ];
        NodeView { roles, promised, accepted, learned, leader: self.leader, proposer, rows, slots: Vec::new(), status: None }
    }

    fn describe(msg: &Msg) -> MsgView {
        msg.view()
    }

    fn learn_quorum(cfg: &PaxosConfig) -> usize {
        cfg.quorum()
    }

    /// Accepted only tells a proposer to stop retrying (and feeds learners); Nack only lets it
    /// skip rounds.
    fn only_informs(msg: &Msg) -> bool {
        matches!(msg, Msg::Accepted { .. } | Msg::Nack { .. })
    }

    /// A heartbeat carries nothing but its sender: the receiver steps down or re-arms its
    /// leader timer, the same however many arrive.
    fn idempotent(msg: &Msg) -> bool {
        matches!(msg, Msg::Heartbeat)
    }

    /// A Promise for a ballot its proposer has moved past (every Promise answers a Prepare
    /// the proposer sent, so its round is at most the proposer's highest round, which only
    /// grows and is durable; later ballots are higher), a Prepare at or below a promise and
    /// an Accept below one (promises only grow and are durable) change nothing, now or
    /// after a crash: the Nack a low Prepare or Accept causes only informs, and is not sent
    /// in explored runs. Not so for the broken variants that break these premises:
    /// `proposer-forgets-round` (ballots can repeat after a restart), `acceptor-forgets`
    /// (promises vanish), `accept-below-promise`.
    fn ignores_forever(&self, cfg: &PaxosConfig, msg: &Msg) -> bool {
        let durable_promise = !cfg.is_bug(Bug::AcceptorForgets);
        let promised = |b: Ballot, or_equal: bool| durable_promise && self.promised.is_some_and(|p| b < p || (or_equal && b == p));
        match *msg {
            Msg::Promise { ballot, .. } => {
                !cfg.is_bug(Bug::ProposerForgetsRound) && !matches!(self.phase, Phase::Preparing { ballot: b, .. } if b == ballot)
            }
            Msg::Prepare { ballot } => self.is_acceptor() && promised(ballot, true),
            Msg::Accept { ballot, .. } => self.is_acceptor() && promised(ballot, false) && !cfg.is_bug(Bug::AcceptBelowPromise),
            _ => false,
        }
    }

    /// The nodes without the proposer role, grouped by their role mix: renaming them among
    /// themselves is an automorphism (see `check::symmetry`). Proposers are never
    /// interchangeable: a ballot is `round.node`, so ballots order proposers by id, and in
    /// distinguished mode the lowest proposer leads first. A node's acceptor and learner
    /// roles are read from the configuration's sets, which renaming within a group leaves
    /// unchanged, and neither role compares node ids.
    fn symmetric(cfg: &PaxosConfig) -> Vec<NodeSet> {
        let mut groups: Vec<NodeSet> = Vec::new();
        for roles in [ACCEPTOR | LEARNER, ACCEPTOR, LEARNER, 0] {
            let has = |set: NodeSet, id: NodeId, role: u8| if set & bit(id) != 0 { role } else { 0 };
            let group = (1..=cfg.nodes as NodeId)
                .filter(|&id| cfg.proposers & bit(id) == 0 && (has(cfg.acceptors, id, ACCEPTOR) | has(cfg.learners, id, LEARNER)) == roles)
                .fold(0, |g, id| g | bit(id));
            if group.count_ones() >= 2 {
                groups.push(group);
            }
        }
        groups
    }

    /// Every node id a Paxos node holds: its own, the proposer of every ballot it knows (a
    /// proposer, which a renaming of [`Protocol::symmetric`] groups never moves), and the
    /// acceptors in its proposer's promise and acceptance sets and its learner's tallies.
    fn rename(&self, map: &Renaming) -> PaxosNode {
        let b = |x: Ballot| Ballot::new(x.round, map.id(x.node));
        let bv = |x: Option<(Ballot, Value)>| x.map(|(x, v)| (b(x), v));
        let phase = match self.phase {
            Phase::Idle => Phase::Idle,
            Phase::Preparing { ballot, promises, prior } => Phase::Preparing { ballot: b(ballot), promises: map.set(promises), prior: bv(prior) },
            Phase::Accepting { ballot, value, accepts } => Phase::Accepting { ballot: b(ballot), value, accepts: map.set(accepts) },
            Phase::Done { ballot, value } => Phase::Done { ballot: b(ballot), value },
        };
        let mut tallies: Vec<Tally> = self.tallies.iter().map(|t| Tally { ballot: b(t.ballot), value: t.value, from: map.set(t.from) }).collect();
        tallies.sort_by(|x, y| (x.ballot, x.value).cmp(&(y.ballot, y.value)));
        PaxosNode {
            id: map.id(self.id),
            roles: self.roles,
            promised: self.promised.map(b),
            accepted: bv(self.accepted),
            max_round: self.max_round,
            value: self.value,
            phase,
            leader: self.leader,
            tallies,
            learned: self.learned,
        }
    }

    fn rename_durable(disk: &Durable, map: &Renaming) -> Durable {
        let b = |x: Ballot| Ballot::new(x.round, map.id(x.node));
        Durable { promised: disk.promised.map(b), accepted: disk.accepted.map(|(x, v)| (b(x), v)), max_round: disk.max_round }
    }

    fn rename_msg(msg: &Msg, map: &Renaming) -> Msg {
        msg.map_ballots(|x| Ballot::new(x.round, map.id(x.node)))
    }

    // Timers hold no node id: the default `rename_timer` is right.

    /// Every ballot's round and the proposer's highest round moved by `by`. A proposer that
    /// has not numbered a ballot yet (its highest round below `start_round`) keeps it, and
    /// leaves no room: its next ballot is `start_round` wherever the others are.
    fn shift_rounds(&self, cfg: &PaxosConfig, by: i64, room: &mut u32) -> Option<PaxosNode> {
        let b = |x: Ballot, room: &mut u32| shift_ballot(cfg, x, by, room);
        let bv = |x: Option<(Ballot, Value)>, room: &mut u32| x.map(|(x, v)| (b(x, room), v));
        let phase = match self.phase {
            Phase::Idle => Phase::Idle,
            Phase::Preparing { ballot, promises, prior } => Phase::Preparing { ballot: b(ballot, room), promises, prior: bv(prior, room) },
            Phase::Accepting { ballot, value, accepts } => Phase::Accepting { ballot: b(ballot, room), value, accepts },
            Phase::Done { ballot, value } => Phase::Done { ballot: b(ballot, room), value },
        };
        let tallies = self.tallies.iter().map(|t| Tally { ballot: b(t.ballot, room), ..*t }).collect();
        let max_round = if self.is_proposer() { shift_max_round(cfg, self.max_round, by, room) } else { self.max_round };
        Some(PaxosNode {
            promised: self.promised.map(|x| b(x, room)),
            accepted: bv(self.accepted, room),
            max_round,
            phase,
            tallies,
            ..self.clone()
        })
    }

    /// As a node's: a crashed proposer's highest round too (a crashed node that never
    /// numbered a ballot, or is no proposer, leaves no room).
    fn shift_rounds_durable(cfg: &PaxosConfig, disk: &Durable, by: i64, room: &mut u32) -> Option<Durable> {
        Some(Durable {
            promised: disk.promised.map(|x| shift_ballot(cfg, x, by, room)),
            accepted: disk.accepted.map(|(x, v)| (shift_ballot(cfg, x, by, room), v)),
            max_round: shift_max_round(cfg, disk.max_round, by, room),
        })
    }

    fn shift_rounds_msg(cfg: &PaxosConfig, msg: &Msg, by: i64, room: &mut u32) -> Option<Msg> {
        Some(msg.map_ballots(|x| shift_ballot(cfg, x, by, room)))
    }

    fn timer_name(timer: &Timer) -> &'static str {
        match timer {
            Timer::Retry => Timer::NAMES[0],
            Timer::Leader => Timer::NAMES[1],
            Timer::Heartbeat => Timer::NAMES[2],
        }
    }
}
