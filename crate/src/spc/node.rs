//! A single-proposer-commit node: any mix of candidate (a proposer that may become the
//! distinguished proposer), acceptor and learner.
//!
//! Nothing is durable ([`Durable`] is empty): the seed says "we have not had to worry about
//! reliable store". A restarted node comes back blank: it has accepted nothing, knows nothing
//! chosen, and knows no coordinator, so as an acceptor it refuses every proposal until it
//! hears an announcement (`Elect`); a restarted candidate arms its election timer.

use super::config::{SpcConfig, MAX_SEQ};
use super::msg::{Entries, Msg};
use crate::paxos::quorum::is_quorum;
use crate::paxos::{Ballot, Value};
use crate::protocol::{bit, members, MsgView, NodeId, NodeSet, NodeView, Observation, Protocol, ProposerView, Row, SlotNo, SlotView};

pub type Out = crate::protocol::Outbox<Msg, Timer>;

/// A node's timers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Timer {
    /// The coordinator resends what has not been answered by a majority yet.
    Retry,
    /// A candidate has heard no heartbeat from its coordinator for too long: it stands.
    Election,
    /// The coordinator's heartbeat period.
    Heartbeat,
}

impl Timer {
    /// The timers' names, as shown to people and written in traces (`{"fire": [2, "election"]}`).
    pub const NAMES: [&'static str; 3] = ["retry", "election", "heartbeat"];
}

/// A candidate's phases, as shown to people ([`ProposerView::phase`]).
pub const PHASES: [&str; 4] = ["following", "collecting", "proposing", "done"];

/// A node's roles, in the order a node lists them (a candidate is a proposer).
pub const ROLES: [&str; 3] = crate::paxos::ROLES;

/// What survives a crash: nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Durable;

/// What a candidate is doing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Coord {
    /// It is not the coordinator.
    Following,
    /// It has declared itself the coordinator and waits for a majority of acceptors to report
    /// what they accepted; `copied` is, per sequence number, the first value reported.
    Collecting { reports: NodeSet, copied: Entries, sends: u32 },
    /// It is the coordinator and proposes.
    Leading,
}

/// One of the coordinator's proposals.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Proposal {
    /// The proposal's name for the safety checks: (elections won, this node).
    pub id: Ballot,
    pub value: Value,
    /// The acceptors that said they accepted it.
    pub accepts: NodeSet,
    /// How many times it was sent.
    pub sends: u32,
    /// A majority accepted it.
    pub chosen: bool,
}

const CANDIDATE: u8 = 1;
const ACCEPTOR: u8 = 2;
const LEARNER: u8 = 4;

/// One node of the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SpcNode {
    pub id: NodeId,
    roles: u8,
    /// The node it believes is the distinguished proposer: the one of the latest announcement
    /// it received (itself when it coordinates). `None` after a restart.
    pub coordinator: Option<NodeId>,
    /// How many elections it has won since it started (the initial coordinator starts at 1).
    pub elections: u32,
    pub coord: Coord,
    /// Its proposals while it coordinates, by sequence number (index 0 is number 1).
    pub proposals: [Option<Proposal>; MAX_SEQ],
    /// Values clients asked it to propose that have no sequence number yet.
    pub queue: Vec<Value>,
    /// Acceptor: what it accepted, by sequence number.
    pub accepted: Entries,
    /// What it was told is chosen, by sequence number (a learner learned it).
    pub chosen: Entries,
}

impl SpcNode {
    fn blank(cfg: &SpcConfig, id: NodeId) -> SpcNode {
        let has = |set: NodeSet, role| if set & bit(id) != 0 { role } else { 0 };
        SpcNode {
            id,
            roles: has(cfg.candidates, CANDIDATE) | has(cfg.acceptors, ACCEPTOR) | has(cfg.learners, LEARNER),
            coordinator: None,
            elections: 0,
            coord: Coord::Following,
            proposals: [None; MAX_SEQ],
            queue: Vec::new(),
            accepted: [None; MAX_SEQ],
            chosen: [None; MAX_SEQ],
        }
    }

    pub fn is_candidate(&self) -> bool {
        self.roles & CANDIDATE != 0
    }
    pub fn is_acceptor(&self) -> bool {
        self.roles & ACCEPTOR != 0
    }
    pub fn is_learner(&self) -> bool {
        self.roles & LEARNER != 0
    }
    /// It believes itself the distinguished proposer (collecting reports or proposing).
    pub fn is_coordinator(&self) -> bool {
        !matches!(self.coord, Coord::Following)
    }

    fn may_send(cfg: &SpcConfig, sends: u32) -> bool {
        cfg.max_sends.map_or(true, |m| sends < m)
    }

    fn arm_election(&self, cfg: &SpcConfig, out: &mut Out) {
        if self.is_candidate() {
            let (lo, hi) = cfg.timing.leader_timeout;
            out.set_timer(Timer::Election, lo, hi);
        }
    }

    fn arm_retry(cfg: &SpcConfig, out: &mut Out) {
        let (lo, hi) = cfg.timing.retry;
        out.set_timer(Timer::Retry, lo, hi);
    }

    // ----- acceptor -------------------------------------------------------------------------

    /// Accept (overwriting) only a proposal from the node it believes is the distinguished
    /// proposer, and tell that node.
    fn on_propose_msg(&mut self, cfg: &SpcConfig, from: NodeId, seq: SlotNo, id: Ballot, value: Value, out: &mut Out) {
        if !self.is_acceptor() || self.coordinator != Some(from) || seq == 0 || seq > cfg.slots {
            return;
        }
        self.accepted[seq as usize - 1] = Some(value);
        out.observe(Observation::Accepted { slot: seq, ballot: id, value, promised: None });
        out.send(from, Msg::Accepted { seq, id, value });
    }

    /// An announcement: believe it, stop coordinating if it is another's, and report what it
    /// accepted.
    fn on_elect(&mut self, cfg: &SpcConfig, from: NodeId, out: &mut Out) {
        if from != self.id {
            // A coordinator's own announcement reaches it as a query only (it may have
            // followed another since).
            if self.is_coordinator() {
                self.step_down(out);
            }
            self.coordinator = Some(from);
            self.arm_election(cfg, out);
        }
        if self.is_acceptor() {
            out.send(from, Msg::Report { entries: Box::new(self.accepted) });
        }
    }

    fn step_down(&mut self, out: &mut Out) {
        self.coord = Coord::Following;
        self.proposals = [None; MAX_SEQ];
        out.cancel_timer(Timer::Retry);
        out.cancel_timer(Timer::Heartbeat);
    }

    // ----- coordinator ----------------------------------------------------------------------

    /// The election timer fired: declare itself the distinguished proposer.
    fn stand(&mut self, cfg: &SpcConfig, out: &mut Out) {
        if cfg.max_term.is_some_and(|m| self.elections >= m) {
            return;
        }
        self.elections += 1;
        self.coordinator = Some(self.id);
        self.proposals = [None; MAX_SEQ];
        self.coord = Coord::Collecting { reports: 0, copied: [None; MAX_SEQ], sends: 1 };
        for to in 1..=cfg.nodes as NodeId {
            out.send(to, Msg::Elect);
        }
        if Self::may_send(cfg, 1) {
            Self::arm_retry(cfg, out);
        }
        let (lo, hi) = cfg.timing.heartbeat;
        out.set_timer(Timer::Heartbeat, lo, hi);
    }

    /// A report: copy, per sequence number, the first value any acceptor reports; with a
    /// majority of reports, re-propose the copied values and otherwise start from a blank
    /// slate.
    fn on_report(&mut self, cfg: &SpcConfig, from: NodeId, entries: Entries, out: &mut Out) {
        let Coord::Collecting { reports, copied, .. } = &mut self.coord else { return };
        if cfg.acceptors & bit(from) == 0 || *reports & bit(from) != 0 {
            return;
        }
        *reports |= bit(from);
        for (c, e) in copied.iter_mut().zip(entries) {
            // The seed: "there cannot be two different accepted values"; should two differ,
            // the first reported stays.
            *c = c.or(e);
        }
        if !is_quorum(*reports, cfg.acceptors, cfg.majority()) {
            return;
        }
        let copied = *copied;
        self.coord = Coord::Leading;
        let id = self.proposal_id();
        for (i, v) in copied.iter().enumerate().take(cfg.slots as usize) {
            if let Some(value) = *v {
                self.propose(cfg, i as SlotNo + 1, id, value, out);
            }
        }
        self.assign_queued(cfg, out);
        if !self.outstanding(cfg) {
            out.cancel_timer(Timer::Retry);
        }
    }

    fn proposal_id(&self) -> Ballot {
        Ballot::new(self.elections, self.id)
    }

    fn propose(&mut self, cfg: &SpcConfig, seq: SlotNo, id: Ballot, value: Value, out: &mut Out) {
        self.proposals[seq as usize - 1] = Some(Proposal { id, value, accepts: 0, sends: 1, chosen: false });
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Propose { seq, id, value });
        }
        if Self::may_send(cfg, 1) {
            Self::arm_retry(cfg, out);
        }
    }

    /// The next sequence number: one past the highest it has proposed.
    fn next_seq(&self) -> SlotNo {
        self.proposals.iter().rposition(Option::is_some).map_or(1, |i| i as SlotNo + 2)
    }

    /// Give the clients' waiting values the next sequence numbers, while there are any.
    fn assign_queued(&mut self, cfg: &SpcConfig, out: &mut Out) {
        if !matches!(self.coord, Coord::Leading) {
            return;
        }
        while !self.queue.is_empty() && self.next_seq() <= cfg.slots {
            let value = self.queue.remove(0);
            let (seq, id) = (self.next_seq(), self.proposal_id());
            self.propose(cfg, seq, id, value, out);
        }
    }

    /// Whether a retry could still resend something.
    fn outstanding(&self, cfg: &SpcConfig) -> bool {
        match self.coord {
            Coord::Following => false,
            Coord::Collecting { sends, .. } => Self::may_send(cfg, sends),
            Coord::Leading => self.proposals.iter().flatten().any(|p| !p.chosen && Self::may_send(cfg, p.sends)),
        }
    }

    fn on_accepted(&mut self, cfg: &SpcConfig, from: NodeId, seq: SlotNo, id: Ballot, value: Value, out: &mut Out) {
        if !matches!(self.coord, Coord::Leading) || cfg.acceptors & bit(from) == 0 || seq == 0 || seq as usize > MAX_SEQ {
            return;
        }
        let Some(p) = &mut self.proposals[seq as usize - 1] else { return };
        if p.id != id || p.value != value || p.chosen {
            return;
        }
        p.accepts |= bit(from);
        if is_quorum(p.accepts, cfg.acceptors, cfg.majority()) {
            p.chosen = true;
            for to in members(cfg.learners | cfg.acceptors) {
                out.send(to, Msg::Chosen { seq, value });
            }
            if !self.outstanding(cfg) {
                out.cancel_timer(Timer::Retry);
            }
        }
    }

    /// Resend what a majority has not answered yet: the announcement, or the proposals.
    fn retry(&mut self, cfg: &SpcConfig, out: &mut Out) {
        match &mut self.coord {
            Coord::Following => return,
            Coord::Collecting { reports, sends, .. } => {
                if !Self::may_send(cfg, *sends) {
                    return;
                }
                *sends += 1;
                for to in members(cfg.acceptors & !*reports) {
                    out.send(to, Msg::Elect);
                }
            }
            Coord::Leading => {
                for (i, p) in self.proposals.iter_mut().enumerate() {
                    let Some(p) = p else { continue };
                    if p.chosen || !Self::may_send(cfg, p.sends) {
                        continue;
                    }
                    p.sends += 1;
                    for to in members(cfg.acceptors & !p.accepts) {
                        out.send(to, Msg::Propose { seq: i as SlotNo + 1, id: p.id, value: p.value });
                    }
                }
            }
        }
        if self.outstanding(cfg) {
            Self::arm_retry(cfg, out);
        }
    }

    // ----- learner --------------------------------------------------------------------------

    fn on_chosen(&mut self, seq: SlotNo, value: Value, out: &mut Out) {
        if seq == 0 || seq as usize > MAX_SEQ || self.chosen[seq as usize - 1].is_some() {
            return;
        }
        if !self.is_learner() && !self.is_acceptor() {
            return;
        }
        self.chosen[seq as usize - 1] = Some(value);
        if self.is_learner() {
            out.observe(Observation::Learned { slot: seq, value });
        }
    }

    /// The latest proposal (highest sequence number), if any.
    fn latest(&self) -> Option<(SlotNo, Proposal)> {
        self.proposals.iter().enumerate().rev().find_map(|(i, p)| p.map(|p| (i as SlotNo + 1, p)))
    }

    fn status(&self, cfg: &SpcConfig) -> String {
        let times = match self.elections {
            1 => "once".to_string(),
            k => format!("{k} times"),
        };
        match (self.coord, self.coordinator) {
            (Coord::Collecting { reports, .. }, _) => {
                format!("coordinator (elected {times}), collecting reports: {} of {}", (reports & cfg.acceptors).count_ones(), cfg.majority())
            }
            (Coord::Leading, _) if !self.queue.is_empty() => format!("coordinator (elected {times}), sequence full"),
            (Coord::Leading, _) => format!("coordinator (elected {times})"),
            (Coord::Following, Some(d)) => format!("follows node {d}"),
            (Coord::Following, None) => "knows no coordinator".to_string(),
        }
    }
}

fn list(entries: impl Iterator<Item = (SlotNo, String)>) -> String {
    let items: Vec<String> = entries.map(|(s, t)| format!("s{s} {t}")).collect();
    if items.is_empty() {
        "—".into()
    } else {
        items.join(", ")
    }
}

impl Protocol for SpcNode {
    type Config = SpcConfig;
    type Msg = Msg;
    type Timer = Timer;
    type Durable = Durable;
    const KINDS: &'static [&'static str] = &Msg::KINDS;
    const TIMERS: &'static [&'static str] = &Timer::NAMES;
    const ROLES: &'static [&'static str] = &ROLES;
    const PHASES: &'static [&'static str] = &PHASES;
    const PROPERTIES: &'static [crate::check::invariants::Property] = &crate::check::invariants::Property::SAFETY;

    fn cluster_size(cfg: &SpcConfig) -> usize {
        cfg.nodes
    }

    fn acceptors(cfg: &SpcConfig) -> NodeSet {
        cfg.acceptors
    }

    /// Every node believes the initial distinguished proposer; it starts coordinating (its
    /// first term, with nothing to copy), the other candidates wait for its heartbeats.
    fn init(cfg: &SpcConfig, id: NodeId, out: &mut Out) -> SpcNode {
        let mut n = SpcNode::blank(cfg, id);
        n.coordinator = Some(cfg.initial);
        if id == cfg.initial && n.is_candidate() {
            n.elections = 1;
            n.coord = Coord::Leading;
            let (lo, hi) = cfg.timing.heartbeat;
            out.set_timer(Timer::Heartbeat, lo, hi);
        } else {
            n.arm_election(cfg, out);
        }
        n
    }

    /// Blank: no reliable store, so nothing accepted, nothing chosen, no coordinator known.
    fn restart(cfg: &SpcConfig, id: NodeId, _disk: &Durable, out: &mut Out) -> SpcNode {
        let n = SpcNode::blank(cfg, id);
        n.arm_election(cfg, out);
        n
    }

    fn durable(&self) -> Durable {
        Durable
    }

    fn on_message(&mut self, cfg: &SpcConfig, from: NodeId, msg: Msg, out: &mut Out) {
        match msg {
            Msg::Propose { seq, id, value } => self.on_propose_msg(cfg, from, seq, id, value, out),
            Msg::Accepted { seq, id, value } => self.on_accepted(cfg, from, seq, id, value, out),
            Msg::Chosen { seq, value } => self.on_chosen(seq, value, out),
            Msg::Heartbeat => {
                if !self.is_coordinator() && self.coordinator == Some(from) {
                    self.arm_election(cfg, out);
                }
            }
            Msg::Elect => self.on_elect(cfg, from, out),
            Msg::Report { entries } => self.on_report(cfg, from, *entries, out),
        }
    }

    fn on_timer(&mut self, cfg: &SpcConfig, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Retry => self.retry(cfg, out),
            Timer::Election => {
                if self.is_candidate() && !self.is_coordinator() {
                    self.stand(cfg, out);
                }
            }
            Timer::Heartbeat => {
                if self.is_coordinator() {
                    for to in members(cfg.candidates & !bit(self.id)) {
                        out.send(to, Msg::Heartbeat);
                    }
                    let (lo, hi) = cfg.timing.heartbeat;
                    out.set_timer(Timer::Heartbeat, lo, hi);
                }
            }
        }
    }

    /// A client's value: the coordinator gives it the next sequence number; a candidate that
    /// does not coordinate (yet) keeps it until it does.
    fn on_propose(&mut self, cfg: &SpcConfig, value: Value, out: &mut Out) {
        out.observe(Observation::Proposed(value));
        self.queue.push(value);
        self.assign_queued(cfg, out);
    }

    fn can_propose(&self) -> bool {
        self.is_candidate()
    }

    fn is_learner(&self) -> bool {
        SpcNode::is_learner(self)
    }

    /// A learner has learned once it was told a value for the first sequence number.
    fn has_learned(&self) -> bool {
        self.chosen[0].is_some()
    }

    fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&self.queue[..])
    }

    fn view(&self, cfg: &SpcConfig) -> NodeView {
        let mut roles = Vec::new();
        for (b, name) in [CANDIDATE, ACCEPTOR, LEARNER].into_iter().zip(ROLES) {
            if self.roles & b != 0 {
                roles.push(name);
            }
        }
        let q = cfg.majority() as u32;
        let proposer = self.is_candidate().then(|| {
            let latest = self.latest();
            let (phase, promises) = match self.coord {
                Coord::Following => (PHASES[0], 0),
                Coord::Collecting { reports, .. } => (PHASES[1], (reports & cfg.acceptors).count_ones()),
                Coord::Leading if self.proposals.iter().flatten().any(|p| !p.chosen) => (PHASES[2], q),
                Coord::Leading => (PHASES[3], q),
            };
            ProposerView {
                phase,
                ballot: None,
                value: latest.map(|(_, p)| p.value).or(self.queue.first().copied()).map(|v| v.to_string()),
                promises,
                accepts: latest.map_or(0, |(_, p)| (p.accepts & cfg.acceptors).count_ones()),
                quorum: q,
            }
        });
        let seqs = 1..=cfg.slots.min(MAX_SEQ as u32);
        let at = |e: &Entries, s: SlotNo| e[s as usize - 1];
        let coordinator = match self.coordinator {
            Some(d) if d == self.id => "this node".to_string(),
            Some(d) => format!("node {d}"),
            None => "—".into(),
        };
        let mut rows = vec![Row::new("coordinator", "coordinator", "D", coordinator)];
        if self.is_candidate() {
            let text = list(seqs.clone().filter_map(|s| {
                self.proposals[s as usize - 1].map(|p| {
                    let state = if p.chosen { "chosen".to_string() } else { format!("{}/{q}", (p.accepts & cfg.acceptors).count_ones()) };
                    (s, format!("{} ({state})", p.value))
                })
            }));
            rows.push(Row::new("proposing", "proposing", "p", text));
        }
        if self.is_acceptor() {
            rows.push(Row::new("accepted", "accepted", "a", list(seqs.clone().filter_map(|s| at(&self.accepted, s).map(|v| (s, v.to_string()))))));
        }
        rows.push(Row::new("chosen", if self.is_learner() { "learned" } else { "told chosen" }, "c", list(seqs.clone().filter_map(|s| at(&self.chosen, s).map(|v| (s, v.to_string()))))));
        let slots = seqs
            .filter_map(|s| {
                let p = self.proposals[s as usize - 1];
                let value = at(&self.accepted, s).or(at(&self.chosen, s)).or(p.map(|p| p.value))?;
                let chosen = at(&self.chosen, s).is_some() || p.is_some_and(|p| p.chosen);
                Some(SlotView { slot: s, ballot: None, value: Some(value.to_string()), chosen, applied: false })
            })
            .collect();
        NodeView {
            roles,
            promised: None,
            accepted: None,
            learned: None,
            leader: self.is_coordinator(),
            proposer,
            rows,
            slots,
            status: Some(self.status(cfg)),
        }
    }

    fn describe(msg: &Msg) -> MsgView {
        msg.view()
    }

    fn timer_name(timer: &Timer) -> &'static str {
        match timer {
            Timer::Retry => Timer::NAMES[0],
            Timer::Election => Timer::NAMES[1],
            Timer::Heartbeat => Timer::NAMES[2],
        }
    }

    fn learn_quorum(cfg: &SpcConfig) -> usize {
        cfg.majority()
    }

    /// `Accepted` only tells the coordinator to stop resending (and to send `Chosen`);
    /// `Chosen` only updates what a learner or an acceptor knows (nothing any node does
    /// depends on it); `Heartbeat` only re-arms an election timer that is already armed.
    fn only_informs(msg: &Msg) -> bool {
        matches!(msg, Msg::Accepted { .. } | Msg::Chosen { .. } | Msg::Heartbeat)
    }
}
