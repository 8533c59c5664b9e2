//! A Paxos Commit node: the coordinator or a participant, and (by default) an acceptor.

use super::config::PcConfig;
use super::msg::{list, Accepted, Msg, Vote};
use crate::check::invariants::Property;
use crate::paxos::quorum::is_quorum;
use crate::paxos::{Ballot, Value};
use crate::protocol::{bit, members, MsgView, NodeId, NodeSet, NodeView, Observation, Protocol, Row, SlotView, Waiting, MAX_NODES};

pub type Out = crate::protocol::Outbox<Msg, Timer>;

/// A node's timers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Timer {
    /// A node that voted yes (or a restarted coordinator) has not learned the decision in
    /// time: it recovers every instance with a higher ballot.
    Recover,
}

impl Timer {
    pub const NAMES: [&'static str; 1] = ["recover"];
}

/// A node's roles, in the order a node lists them.
pub const ROLES: [&str; 3] = ["coordinator", "participant", "acceptor"];

/// What survives a crash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Durable {
    /// Acceptor: the highest ballot promised in phase 1 (for every instance at once).
    pub promised: Option<Ballot>,
    /// Acceptor: what it accepted, per instance.
    pub accepted: Accepted,
    /// Participant: its vote (written before it is sent).
    pub vote: Option<Vote>,
    /// The outcome it decided (`true`: commit).
    pub decision: Option<bool>,
    /// The highest recovery round it started (so a restarted node never reuses a ballot).
    pub round: u32,
    /// Coordinator: the transaction it began.
    pub began: Option<Value>,
}

/// What a leader (the coordinator, or a recovering node) is doing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Lead {
    /// Not recovering.
    Idle,
    /// Phase 1 of `ballot`: promises from `promises`, and the highest-ballot accepted value
    /// they reported per instance.
    Phase1 { ballot: Ballot, promises: NodeSet, seen: Accepted },
    /// Phase 2 of `ballot`: it proposed a value in every instance.
    Phase2 { ballot: Ballot },
}

/// The phase 2b messages a node heard for one instance: the highest ballot, its value, and
/// the acceptors that accepted it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Tally {
    pub ballot: Ballot,
    pub vote: Vote,
    pub by: NodeSet,
}

/// One node of the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PcNode {
    pub id: NodeId,
    pub disk: Durable,
    pub lead: Lead,
    /// Per instance, the phase 2b messages it heard.
    pub tally: [Option<Tally>; MAX_NODES],
    /// Per instance, the value it knows is chosen (a majority accepted one ballot).
    pub chosen: [Option<Vote>; MAX_NODES],
}

fn at<T: Copy>(a: &[Option<T>; MAX_NODES], inst: NodeId) -> Option<T> {
    a.get(inst as usize - 1).copied().flatten()
}

impl PcNode {
    fn blank(id: NodeId, disk: Durable) -> PcNode {
        PcNode { id, disk, lead: Lead::Idle, tally: [None; MAX_NODES], chosen: [None; MAX_NODES] }
    }

    pub fn is_coordinator(&self, cfg: &PcConfig) -> bool {
        self.id == cfg.coordinator
    }

    /// It leads `ballot` now (phase 1 or 2).
    fn leads(&self, ballot: Ballot) -> bool {
        matches!(self.lead, Lead::Phase1 { ballot: b, .. } | Lead::Phase2 { ballot: b } if b == ballot)
    }

    pub fn decision(&self) -> Option<bool> {
        self.disk.decision
    }

    /// In the transaction and undecided: the coordinator once it began, a participant once
    /// it voted.
    fn waiting(&self, cfg: &PcConfig) -> bool {
        let involved = if self.is_coordinator(cfg) { self.disk.began.is_some() } else { self.disk.vote.is_some() };
        involved && self.disk.decision.is_none()
    }

    fn arm(cfg: &PcConfig, out: &mut Out) {
        let (lo, hi) = cfg.timing.leader_timeout;
        out.set_timer(Timer::Recover, lo, hi);
    }

    /// The promise that binds an acceptor in `inst`: its phase 1 promise or, higher, the
    /// ballot it accepted there (accepting a ballot promises it for that instance).
    fn bound(&self, inst: NodeId) -> Option<Ballot> {
        let acc = at(&self.disk.accepted, inst).map(|(b, _)| b);
        self.disk.promised.max(acc)
    }

    fn decide(&mut self, cfg: &PcConfig, commit: bool, tell: bool, out: &mut Out) {
        if self.disk.decision.is_some() {
            return;
        }
        self.disk.decision = Some(commit);
        self.lead = Lead::Idle;
        out.persisted = true;
        out.observe(Observation::Decided { commit, participants: cfg.participants });
        out.cancel_timer(Timer::Recover);
        if tell {
            for to in (1..=cfg.nodes as NodeId).filter(|&i| i != self.id) {
                out.send(to, Msg::Outcome { commit });
            }
        }
    }

    // ----- participant ------------------------------------------------------------------------

    /// Vote: write it, then send it as ballot 0 of its own instance to every acceptor.
    fn vote(&mut self, cfg: &PcConfig, vote: Vote, out: &mut Out) {
        if self.disk.vote.is_some() || self.disk.decision.is_some() || !cfg.is_participant(self.id) {
            return;
        }
        self.disk.vote = Some(vote);
        out.persisted = true;
        out.observe(Observation::Voted { yes: vote == Vote::Prepared });
        out.observe(Observation::Proposed(vote.value()));
        let ballot = Ballot::new(0, self.id);
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Accept { inst: self.id, ballot, vote });
        }
        match vote {
            Vote::Prepared => Self::arm(cfg, out),
            // Its instance can only ever choose Aborted: it may abort at once.
            Vote::Aborted => self.decide(cfg, false, false, out),
        }
    }

    // ----- acceptor ---------------------------------------------------------------------------

    fn on_accept(&mut self, cfg: &PcConfig, inst: NodeId, ballot: Ballot, vote: Vote, out: &mut Out) {
        if !cfg.is_acceptor(self.id) || !cfg.is_participant(inst) {
            return;
        }
        let bound = self.bound(inst);
        if bound.is_some_and(|b| ballot < b) {
            return;
        }
        if at(&self.disk.accepted, inst) != Some((ballot, vote)) {
            self.disk.accepted[inst as usize - 1] = Some((ballot, vote));
            out.persisted = true;
        }
        out.observe(Observation::Accepted { slot: inst as u32, ballot, value: vote.value(), promised: bound });
        let leader = if ballot.round == 0 { cfg.coordinator } else { ballot.node };
        out.send(leader, Msg::Accepted { inst, ballot, vote });
    }

    fn on_prepare(&mut self, cfg: &PcConfig, from: NodeId, ballot: Ballot, out: &mut Out) {
        // A node that decided answers a recovering leader with the decision itself.
        if let Some(commit) = self.disk.decision {
            out.send(from, Msg::Outcome { commit });
            return;
        }
        if !cfg.is_acceptor(self.id) || self.disk.promised.is_some_and(|p| ballot < p) {
            return;
        }
        if self.disk.promised != Some(ballot) {
            self.disk.promised = Some(ballot);
            out.persisted = true;
        }
        out.send(from, Msg::Promise { ballot, accepted: Box::new(self.disk.accepted) });
    }

    // ----- leader -----------------------------------------------------------------------------

    /// The recovery timer fired: lead a higher ballot, phase 1 for every instance.
    fn recover(&mut self, cfg: &PcConfig, out: &mut Out) {
        if !self.waiting(cfg) {
            return;
        }
        let round = self.disk.round.max(self.disk.promised.map_or(0, |p| p.round)) + 1;
        if !cfg.may_start(round) {
            return;
        }
        self.disk.round = round;
        out.persisted = true;
        let ballot = Ballot::new(round, self.id);
        self.lead = Lead::Phase1 { ballot, promises: 0, seen: [None; MAX_NODES] };
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Prepare { ballot });
        }
        if cfg.may_start(round + 1) {
            Self::arm(cfg, out);
        }
    }

    fn on_promise(&mut self, cfg: &PcConfig, from: NodeId, ballot: Ballot, accepted: &Accepted, out: &mut Out) {
        let Lead::Phase1 { ballot: mine, promises, seen } = &mut self.lead else { return };
        if *mine != ballot || !cfg.is_acceptor(from) || *promises & bit(from) != 0 {
            return;
        }
        *promises |= bit(from);
        for (s, a) in seen.iter_mut().zip(accepted) {
            if a.map(|x| x.0) > s.map(|x| x.0) {
                *s = *a;
            }
        }
        if !is_quorum(*promises, cfg.acceptors, cfg.majority()) {
            return;
        }
        let seen = *seen;
        self.lead = Lead::Phase2 { ballot };
        for inst in members(cfg.participants) {
            let vote = match at(&seen, inst) {
                Some((_, v)) => v,
                None => {
                    // Nothing accepted in a majority: the participant's vote can never have
                    // been chosen, so the leader may propose Aborted.
                    out.observe(Observation::Proposed(Vote::Aborted.value()));
                    Vote::Aborted
                }
            };
            for to in members(cfg.acceptors) {
                out.send(to, Msg::Accept { inst, ballot, vote });
            }
        }
    }

    /// Phase 2b: count it; once an instance's value is chosen, decide if the outcome is
    /// known (commit: every instance chose Prepared; abort: one chose Aborted).
    fn on_accepted(&mut self, cfg: &PcConfig, from: NodeId, inst: NodeId, ballot: Ballot, vote: Vote, out: &mut Out) {
        if self.disk.decision.is_some() || !cfg.is_acceptor(from) || !cfg.is_participant(inst) || at(&self.chosen, inst).is_some() {
            return;
        }
        // A recovery ballot counts only while its leader is in phase 2 of it.
        if ballot.round > 0 && self.lead != (Lead::Phase2 { ballot }) {
            return;
        }
        let t = &mut self.tally[inst as usize - 1];
        match t {
            Some(t) if t.ballot == ballot && t.vote == vote => t.by |= bit(from),
            Some(t) if t.ballot > ballot => return,
            _ => *t = Some(Tally { ballot, vote, by: bit(from) }),
        }
        let Some(t) = *t else { return };
        if !is_quorum(t.by, cfg.acceptors, cfg.majority()) {
            return;
        }
        self.chosen[inst as usize - 1] = Some(vote);
        out.observe(Observation::Learned { slot: inst as u32, value: vote.value() });
        if vote == Vote::Aborted {
            self.decide(cfg, false, true, out);
        } else if members(cfg.participants).all(|p| at(&self.chosen, p) == Some(Vote::Prepared)) {
            self.decide(cfg, true, true, out);
        }
    }

    fn status(&self, cfg: &PcConfig) -> String {
        match self.disk.decision {
            Some(true) => return "committed".into(),
            Some(false) => return "aborted".into(),
            None => {}
        }
        let q = cfg.majority();
        match self.lead {
            Lead::Phase1 { ballot, promises, .. } => return format!("recovering with ballot {ballot}: {} of {q} promises", (promises & cfg.acceptors).count_ones()),
            Lead::Phase2 { ballot } => return format!("recovering with ballot {ballot}: proposed every instance, waiting for acceptances"),
            Lead::Idle => {}
        }
        if self.is_coordinator(cfg) {
            match self.disk.began {
                Some(tx) => format!("began {tx}; waiting for the instances to choose"),
                None => "no transaction yet".into(),
            }
        } else {
            match self.disk.vote {
                Some(Vote::Prepared) => "voted yes; waiting for the decision".into(),
                Some(Vote::Aborted) => "voted no".into(),
                None => "not voted yet".into(),
            }
        }
    }
}

impl Protocol for PcNode {
    type Config = PcConfig;
    type Msg = Msg;
    type Timer = Timer;
    type Durable = Durable;
    const KINDS: &'static [&'static str] = &Msg::KINDS;
    const TIMERS: &'static [&'static str] = &Timer::NAMES;
    const ROLES: &'static [&'static str] = &ROLES;
    const PHASES: &'static [&'static str] = &[];
    const PROPERTIES: &'static [Property] = &[Property::Agreement, Property::CommitValidity, Property::Irrevocable, Property::AtMostOne, Property::AcceptBelowPromise];

    fn cluster_size(cfg: &PcConfig) -> usize {
        cfg.nodes
    }

    fn acceptors(cfg: &PcConfig) -> NodeSet {
        cfg.acceptors
    }

    fn init(_cfg: &PcConfig, id: NodeId, _out: &mut Out) -> PcNode {
        PcNode::blank(id, Durable::default())
    }

    /// Back with its disk: an undecided node in the transaction (a coordinator that began, a
    /// participant that voted yes) arms its recovery timer. What it had heard is gone.
    fn restart(cfg: &PcConfig, id: NodeId, disk: &Durable, out: &mut Out) -> PcNode {
        let n = PcNode::blank(id, *disk);
        if n.waiting(cfg) {
            Self::arm(cfg, out);
        }
        n
    }

    fn durable(&self) -> Durable {
        self.disk
    }

    fn on_message(&mut self, cfg: &PcConfig, from: NodeId, msg: Msg, out: &mut Out) {
        match msg {
            Msg::BeginCommit { .. } => {
                if from == cfg.coordinator {
                    self.vote(cfg, Vote::Prepared, out);
                }
            }
            Msg::Accept { inst, ballot, vote } => self.on_accept(cfg, inst, ballot, vote, out),
            Msg::Accepted { inst, ballot, vote } => self.on_accepted(cfg, from, inst, ballot, vote, out),
            Msg::Outcome { commit } => self.decide(cfg, commit, false, out),
            Msg::Prepare { ballot } => self.on_prepare(cfg, from, ballot, out),
            Msg::Promise { ballot, accepted } => {
                if self.disk.decision.is_none() {
                    self.on_promise(cfg, from, ballot, &accepted, out);
                }
            }
        }
    }

    fn on_timer(&mut self, cfg: &PcConfig, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Recover => self.recover(cfg, out),
        }
    }

    /// At the coordinator: begin the transaction (its name is the value). At a participant
    /// that has not voted: its client aborts its part, so it votes no.
    fn on_propose(&mut self, cfg: &PcConfig, value: Value, out: &mut Out) {
        if self.refuses_proposal(cfg).is_some() {
            return;
        }
        if self.is_coordinator(cfg) {
            self.disk.began = Some(value);
            out.persisted = true;
            out.observe(Observation::Proposed(value));
            for to in members(cfg.participants) {
                out.send(to, Msg::BeginCommit { tx: value });
            }
        } else {
            self.vote(cfg, Vote::Aborted, out);
        }
    }

    fn can_propose(&self) -> bool {
        true
    }

    fn refuses_proposal(&self, cfg: &PcConfig) -> Option<String> {
        if self.is_coordinator(cfg) {
            return self.disk.began.map(|tx| format!("it began {tx} already; a run has one transaction"));
        }
        match (self.disk.vote, self.disk.decision) {
            (Some(Vote::Prepared), _) => Some("voted yes: it can no longer abort alone".into()),
            (Some(Vote::Aborted), _) => Some("voted no already: the transaction aborts".into()),
            (None, Some(_)) => Some("the transaction is decided".into()),
            (None, None) => None,
        }
    }

    fn is_learner(&self) -> bool {
        true
    }

    fn has_learned(&self) -> bool {
        self.disk.decision.is_some()
    }

    /// An undecided node in the transaction needs a majority of the acceptors: with them, it
    /// (or any other node) can finish the transaction by recovering the instances.
    fn waits_for(&self, cfg: &PcConfig) -> Option<Waiting> {
        self.waiting(cfg).then(|| Waiting { on: cfg.acceptors, need: cfg.majority() as u8, why: "needs a majority of acceptors to finish" })
    }

    fn view(&self, cfg: &PcConfig) -> NodeView {
        let mut roles = Vec::new();
        if self.is_coordinator(cfg) {
            roles.push(ROLES[0]);
        }
        if cfg.is_participant(self.id) {
            roles.push(ROLES[1]);
        }
        if cfg.is_acceptor(self.id) {
            roles.push(ROLES[2]);
        }
        let mut rows = Vec::new();
        if self.is_coordinator(cfg) {
            rows.push(Row::new("transaction", "transaction", "T", self.disk.began.map_or("—".to_string(), |v| v.to_string())));
        } else {
            let vote = match self.disk.vote {
                Some(Vote::Prepared) => "yes (Prepared)",
                Some(Vote::Aborted) => "no (Aborted)",
                None => "—",
            };
            rows.push(Row::new("vote", "vote", "v", vote));
        }
        if cfg.is_acceptor(self.id) {
            rows.push(Row::new("promised", "promised", "p", self.disk.promised.map_or("—".to_string(), |b| b.to_string())));
            let acc = list(&self.disk.accepted);
            rows.push(Row::new("accepted", "accepted", "a", if acc == "nothing accepted" { "—".to_string() } else { acc }));
        }
        let decision = match self.disk.decision {
            Some(true) => "commit",
            Some(false) => "abort",
            None => "—",
        };
        rows.push(Row::new("decision", "decision", "d", decision));
        let slots = members(cfg.participants)
            .filter_map(|i| {
                let acc = at(&self.disk.accepted, i);
                let chosen = at(&self.chosen, i);
                let value = acc.map(|a| a.1).or(chosen)?;
                Some(SlotView { slot: i as u32, ballot: acc.map(|a| a.0.to_string()), value: Some(value.name().to_string()), chosen: chosen.is_some(), applied: false })
            })
            .collect();
        let leader = !matches!(self.lead, Lead::Idle) || (self.is_coordinator(cfg) && self.waiting(cfg));
        NodeView { roles, promised: None, accepted: None, learned: None, leader, proposer: None, rows, slots, status: Some(self.status(cfg)) }
    }

    fn describe(msg: &Msg) -> MsgView {
        msg.view()
    }

    fn timer_name(timer: &Timer) -> &'static str {
        match timer {
            Timer::Recover => Timer::NAMES[0],
        }
    }

    fn learn_quorum(cfg: &PcConfig) -> usize {
        cfg.majority()
    }

    /// Decided nodes ignore every report and decision (the decision is on disk); a leader
    /// ignores reports of a ballot it no longer leads; a node that voted ignores the request
    /// to vote; an acceptor ignores an Accept below the ballot
    /// binding it (promises and acceptances only grow, and are on disk).
    fn ignores_forever(&self, cfg: &PcConfig, msg: &Msg) -> bool {
        match *msg {
            Msg::Outcome { .. } => self.disk.decision.is_some(),
            // A leader never returns to a ballot it left: a new recovery, after a restart
            // too, takes a round above every round it started (on disk).
            Msg::Accepted { ballot, .. } => self.disk.decision.is_some() || (ballot.round > 0 && !self.leads(ballot)),
            Msg::Promise { ballot, .. } => self.disk.decision.is_some() || !matches!(self.lead, Lead::Phase1 { ballot: b, .. } if b == ballot),
            Msg::BeginCommit { .. } => self.disk.vote.is_some() || self.disk.decision.is_some() || !cfg.is_participant(self.id),
            Msg::Accept { inst, ballot, .. } => !cfg.is_acceptor(self.id) || self.bound(inst).is_some_and(|b| ballot < b),
            // A node that decides later answers any Prepare with the decision.
            Msg::Prepare { .. } => false,
        }
    }
}
