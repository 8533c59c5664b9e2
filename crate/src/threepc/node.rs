//! A three-phase-commit node: the coordinator or a participant.

use super::msg::Msg;
use crate::paxos::{Timing, Value};
use crate::protocol::{bit, members, MsgView, NodeId, NodeSet, NodeView, Observation, Protocol, Row};
use crate::sim::{ClusterConfig, SimError};

pub type Out = crate::protocol::Outbox<Msg, Timer>;

/// The static configuration of a three-phase-commit cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ThreePcConfig {
    pub nodes: usize,
    /// The coordinator: the cluster's first proposer.
    pub coordinator: NodeId,
    /// Every other node.
    pub participants: NodeSet,
    pub timing: Timing,
}

impl ThreePcConfig {
    /// `n` nodes, node `coordinator` coordinating, every other node a participant.
    pub fn new(n: usize, coordinator: NodeId) -> ThreePcConfig {
        let all = (1..=n as NodeId).fold(0, |s, i| s | bit(i));
        ThreePcConfig { nodes: n, coordinator, participants: all & !bit(coordinator), timing: Timing::default() }
    }

    /// Build from the user's cluster configuration, with the same checks as two-phase
    /// commit's ([`crate::twopc::TwoPcConfig::from_cluster`]); `max_round` is accepted and
    /// unused (nothing is resent: the synchronous model delivers every message in time).
    pub fn from_cluster(c: &ClusterConfig) -> Result<ThreePcConfig, SimError> {
        crate::twopc::config::from_cluster(c, "three-phase commit").map(|(nodes, coordinator, _)| ThreePcConfig::new(nodes, coordinator))
    }

    pub fn is_participant(&self, id: NodeId) -> bool {
        self.participants & bit(id) != 0
    }

    fn all(&self) -> NodeSet {
        self.participants | bit(self.coordinator)
    }
}

/// A node's state in the transaction (Skeen's q, w, p, c, a).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub enum Phase {
    /// Not voted yet (the coordinator: no transaction yet).
    #[default]
    Initial,
    /// Voted yes, outcome unknown (the coordinator: collecting votes).
    Uncertain,
    /// Pre-committed: every participant voted yes.
    PreCommitted,
    Committed,
    Aborted,
}

impl Phase {
    pub fn word(self) -> &'static str {
        match self {
            Phase::Initial => "not voted",
            Phase::Uncertain => "uncertain",
            Phase::PreCommitted => "pre-committed",
            Phase::Committed => "committed",
            Phase::Aborted => "aborted",
        }
    }
    fn decided(self) -> bool {
        matches!(self, Phase::Committed | Phase::Aborted)
    }
}

/// A node's timers. Each waits for some nodes ([`Protocol::timer_suspects`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Timer {
    /// The coordinator waits for votes: on timeout it aborts.
    Votes,
    /// The coordinator waits for acks of its pre-commit: on timeout it commits.
    Acks,
    /// A participant waits for the coordinator: before voting it aborts; after, it starts
    /// the termination protocol.
    Timeout,
    /// The termination protocol waits for the other participants' states: on timeout it
    /// decides from those it has.
    Decide,
}

impl Timer {
    pub const NAMES: [&'static str; 4] = ["vote-timeout", "ack-timeout", "timeout", "decide"];
}

/// A node's roles, in the order a node lists them.
pub const ROLES: [&str; 2] = crate::twopc::ROLES;

/// Three-phase commit has no proposer phases.
pub const PHASES: [&str; 0] = [];

/// What survives a crash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Durable {
    pub txn: Option<Value>,
    pub vote: Option<bool>,
    pub phase: Phase,
}

/// One node of the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ThreePcNode {
    pub id: NodeId,
    pub coordinator: bool,
    /// On disk: the transaction, the vote (participant), the phase.
    pub txn: Option<Value>,
    pub vote: Option<bool>,
    pub phase: Phase,
    /// Coordinator: the yes votes and the acks it has.
    pub votes: NodeSet,
    pub acks: NodeSet,
    /// It answered a `StateReq` or runs the termination protocol: it no longer moves to
    /// pre-committed, nor (the coordinator) sends `PreCommit`.
    pub frozen: bool,
    /// Running the termination protocol: whom it asked, who answered, and whether any
    /// answer was "pre-committed".
    pub terminating: bool,
    pub asked: NodeSet,
    pub replies: NodeSet,
    pub heard_pre: bool,
    /// Whether its own pre-commit counts in the rule (not for a restarted coordinator).
    pub own_counts: bool,
}

impl ThreePcNode {
    fn blank(cfg: &ThreePcConfig, id: NodeId, d: Durable) -> ThreePcNode {
        ThreePcNode {
            id,
            coordinator: id == cfg.coordinator,
            txn: d.txn,
            vote: d.vote,
            phase: d.phase,
            votes: 0,
            acks: 0,
            frozen: false,
            terminating: false,
            asked: 0,
            replies: 0,
            heard_pre: false,
            own_counts: true,
        }
    }

    fn arm(cfg: &ThreePcConfig, timer: Timer, out: &mut Out) {
        let (lo, hi) = match timer {
            Timer::Timeout => (2 * cfg.timing.leader_timeout.0, 2 * cfg.timing.leader_timeout.1),
            _ => cfg.timing.retry,
        };
        out.set_timer(timer, lo, hi);
    }

    fn set_phase(&mut self, phase: Phase, out: &mut Out) {
        self.phase = phase;
        out.persisted = true;
    }

    /// Decide, write it to disk, tell the ghost, stop every timer.
    fn decide(&mut self, cfg: &ThreePcConfig, commit: bool, out: &mut Out) {
        if self.phase.decided() {
            return;
        }
        self.set_phase(if commit { Phase::Committed } else { Phase::Aborted }, out);
        out.observe(Observation::Decided { commit, participants: cfg.participants });
        for t in [Timer::Votes, Timer::Acks, Timer::Timeout, Timer::Decide] {
            out.cancel_timer(t);
        }
    }

    /// Decide and tell every other node.
    fn decide_and_tell(&mut self, cfg: &ThreePcConfig, commit: bool, out: &mut Out) {
        self.decide(cfg, commit, out);
        for to in members(cfg.all() & !bit(self.id)) {
            out.send(to, if commit { Msg::DoCommit } else { Msg::Abort });
        }
    }

    /// Start the termination protocol: ask `whom` for their states.
    fn terminate(&mut self, cfg: &ThreePcConfig, whom: NodeSet, out: &mut Out) {
        self.frozen = true;
        self.terminating = true;
        self.asked = whom;
        self.replies = 0;
        self.heard_pre = false;
        out.cancel_timer(Timer::Timeout);
        for to in members(whom) {
            out.send(to, Msg::StateReq);
        }
        if whom == 0 {
            self.apply_rule(cfg, out);
        } else {
            Self::arm(cfg, Timer::Decide, out);
        }
    }

    /// Skeen's rule on the states collected (a decided answer was adopted on arrival): any
    /// pre-committed → commit; all uncertain → abort.
    fn apply_rule(&mut self, cfg: &ThreePcConfig, out: &mut Out) {
        let commit = self.heard_pre || (self.own_counts && self.phase == Phase::PreCommitted);
        self.terminating = false;
        self.decide_and_tell(cfg, commit, out);
    }

    fn on_state_reply(&mut self, cfg: &ThreePcConfig, from: NodeId, state: Phase, out: &mut Out) {
        if !self.terminating || self.phase.decided() || self.asked & bit(from) == 0 {
            return;
        }
        match state {
            Phase::Committed => return self.decide_and_tell(cfg, true, out),
            Phase::Aborted => return self.decide_and_tell(cfg, false, out),
            Phase::PreCommitted => self.heard_pre = true,
            Phase::Initial | Phase::Uncertain => {}
        }
        self.replies |= bit(from);
        if self.asked & !self.replies == 0 {
            self.apply_rule(cfg, out);
        }
    }

    // ----- coordinator ----------------------------------------------------------------------

    fn on_yes(&mut self, cfg: &ThreePcConfig, from: NodeId, out: &mut Out) {
        if !self.coordinator || self.phase != Phase::Uncertain || !cfg.is_participant(from) {
            return;
        }
        self.votes |= bit(from);
        if self.votes & cfg.participants == cfg.participants && !self.frozen {
            self.set_phase(Phase::PreCommitted, out);
            out.cancel_timer(Timer::Votes);
            for to in members(cfg.participants) {
                out.send(to, Msg::PreCommit);
            }
            Self::arm(cfg, Timer::Acks, out);
        }
    }

    fn on_ack(&mut self, cfg: &ThreePcConfig, from: NodeId, out: &mut Out) {
        if !self.coordinator || self.phase != Phase::PreCommitted || self.terminating || !cfg.is_participant(from) {
            return;
        }
        self.acks |= bit(from);
        if self.acks & cfg.participants == cfg.participants {
            self.decide_and_tell(cfg, true, out);
        }
    }

    // ----- participant ----------------------------------------------------------------------

    fn on_can_commit(&mut self, cfg: &ThreePcConfig, from: NodeId, txn: Value, out: &mut Out) {
        if self.coordinator || from != cfg.coordinator {
            return;
        }
        if self.txn.is_none() {
            self.txn = Some(txn);
            out.persisted = true;
        }
        let yes = match self.vote {
            Some(v) => v,
            None => self.phase == Phase::Initial,
        };
        if self.vote.is_none() {
            self.vote = Some(yes);
            out.persisted = true;
            out.observe(Observation::Voted { yes });
            if yes {
                self.set_phase(Phase::Uncertain, out);
                Self::arm(cfg, Timer::Timeout, out);
            }
        }
        out.send(from, if yes { Msg::Yes } else { Msg::No });
    }

    fn on_pre_commit(&mut self, cfg: &ThreePcConfig, from: NodeId, out: &mut Out) {
        if self.coordinator || from != cfg.coordinator || self.phase != Phase::Uncertain || self.frozen {
            return;
        }
        self.set_phase(Phase::PreCommitted, out);
        out.send(from, Msg::Ack);
        Self::arm(cfg, Timer::Timeout, out);
    }

    fn status(&self, cfg: &ThreePcConfig) -> String {
        if self.phase.decided() {
            return self.phase.word().to_string();
        }
        if self.terminating {
            return format!("{}; termination: {} of {} states", self.phase.word(), (self.replies & self.asked).count_ones(), self.asked.count_ones());
        }
        if self.coordinator {
            return match self.phase {
                Phase::Initial => "waiting for a transaction".into(),
                Phase::Uncertain => format!("collecting votes: {} of {} yes", (self.votes & cfg.participants).count_ones(), cfg.participants.count_ones()),
                _ => format!("pre-committed; acks: {} of {}", (self.acks & cfg.participants).count_ones(), cfg.participants.count_ones()),
            };
        }
        match self.phase {
            Phase::Initial => "working; has not voted".into(),
            Phase::Uncertain => "voted yes; uncertain".into(),
            _ => "pre-committed; waiting for DoCommit".into(),
        }
    }
}

fn list(set: NodeSet) -> String {
    let ids: Vec<String> = members(set).map(|i| i.to_string()).collect();
    if ids.is_empty() {
        "—".into()
    } else {
        ids.join(", ")
    }
}

impl Protocol for ThreePcNode {
    type Config = ThreePcConfig;
    type Msg = Msg;
    type Timer = Timer;
    type Durable = Durable;
    const KINDS: &'static [&'static str] = &Msg::KINDS;
    const TIMERS: &'static [&'static str] = &Timer::NAMES;
    const ROLES: &'static [&'static str] = &ROLES;
    const PHASES: &'static [&'static str] = &PHASES;
    const PROPERTIES: &'static [crate::check::invariants::Property] = &crate::check::invariants::Property::COMMIT;

    fn cluster_size(cfg: &ThreePcConfig) -> usize {
        cfg.nodes
    }

    fn acceptors(cfg: &ThreePcConfig) -> NodeSet {
        cfg.all()
    }

    fn init(cfg: &ThreePcConfig, id: NodeId, out: &mut Out) -> ThreePcNode {
        let n = ThreePcNode::blank(cfg, id, Durable::default());
        if !n.coordinator {
            Self::arm(cfg, Timer::Timeout, out);
        }
        n
    }

    fn restart(cfg: &ThreePcConfig, id: NodeId, disk: &Durable, out: &mut Out) -> ThreePcNode {
        let mut n = ThreePcNode::blank(cfg, id, *disk);
        match (n.coordinator, n.phase) {
            (_, Phase::Committed) | (_, Phase::Aborted) => {
                if n.coordinator {
                    for to in members(cfg.participants) {
                        out.send(to, if n.phase == Phase::Committed { Msg::DoCommit } else { Msg::Abort });
                    }
                }
            }
            (true, Phase::Initial) => {}
            // No pre-commit was ever sent: nobody can have committed.
            (true, Phase::Uncertain) => n.decide_and_tell(cfg, false, out),
            (true, _) => {
                n.own_counts = false;
                n.terminate(cfg, cfg.participants, out);
            }
            // Its work is lost: it aborts, and says so.
            (false, Phase::Initial) => {
                n.decide(cfg, false, out);
                if n.vote.is_none() {
                    n.vote = Some(false);
                    out.observe(Observation::Voted { yes: false });
                }
                out.send(cfg.coordinator, Msg::No);
            }
            (false, _) => n.terminate(cfg, cfg.all() & !bit(id), out),
        }
        n
    }

    fn durable(&self) -> Durable {
        Durable { txn: self.txn, vote: self.vote, phase: self.phase }
    }

    fn on_message(&mut self, cfg: &ThreePcConfig, from: NodeId, msg: Msg, out: &mut Out) {
        match msg {
            Msg::CanCommit { txn } => self.on_can_commit(cfg, from, txn, out),
            Msg::Yes => self.on_yes(cfg, from, out),
            Msg::No => {
                if self.coordinator && self.phase == Phase::Uncertain && cfg.is_participant(from) {
                    self.decide_and_tell(cfg, false, out);
                }
            }
            Msg::PreCommit => self.on_pre_commit(cfg, from, out),
            Msg::Ack => self.on_ack(cfg, from, out),
            Msg::DoCommit => {
                if !self.phase.decided() {
                    self.terminating = false;
                    self.decide(cfg, true, out);
                }
            }
            Msg::Abort => {
                if !self.phase.decided() {
                    self.terminating = false;
                    self.decide(cfg, false, out);
                }
            }
            Msg::StateReq => {
                if !self.phase.decided() {
                    self.frozen = true;
                }
                out.send(from, Msg::StateReply { state: self.phase });
            }
            Msg::StateReply { state } => self.on_state_reply(cfg, from, state, out),
        }
    }

    fn on_timer(&mut self, cfg: &ThreePcConfig, timer: Timer, out: &mut Out) {
        if self.phase.decided() {
            return;
        }
        match timer {
            Timer::Votes if self.coordinator && self.phase == Phase::Uncertain => self.decide_and_tell(cfg, false, out),
            Timer::Acks if self.coordinator && self.phase == Phase::PreCommitted && !self.terminating => self.decide_and_tell(cfg, true, out),
            Timer::Timeout if !self.coordinator && !self.terminating => match self.phase {
                Phase::Initial => self.decide(cfg, false, out),
                _ => self.terminate(cfg, cfg.participants & !bit(self.id), out),
            },
            Timer::Decide if self.terminating => self.apply_rule(cfg, out),
            _ => {}
        }
    }

    fn on_propose(&mut self, cfg: &ThreePcConfig, value: Value, out: &mut Out) {
        if self.refuses_proposal(cfg).is_some() {
            return;
        }
        if self.coordinator {
            out.observe(Observation::Proposed(value));
            self.txn = Some(value);
            self.set_phase(Phase::Uncertain, out);
            for to in members(cfg.participants) {
                out.send(to, Msg::CanCommit { txn: value });
            }
            Self::arm(cfg, Timer::Votes, out);
        } else {
            self.decide(cfg, false, out);
        }
    }

    fn can_propose(&self) -> bool {
        true
    }

    fn refuses_proposal(&self, _cfg: &ThreePcConfig) -> Option<String> {
        if self.coordinator {
            return self.txn.map(|t| format!("the transaction {t} has begun; this run has one transaction"));
        }
        match (self.vote, self.phase) {
            (Some(true), Phase::Committed) => Some("it has committed".into()),
            (Some(true), Phase::Aborted) => Some("it has aborted already".into()),
            (Some(true), _) => Some("voted yes: it can no longer abort alone".into()),
            (_, Phase::Initial) => None,
            _ => Some("it has aborted already".into()),
        }
    }

    fn is_learner(&self) -> bool {
        true
    }

    fn has_learned(&self) -> bool {
        self.phase.decided()
    }

    fn timer_suspects(&self, cfg: &ThreePcConfig, timer: &Timer) -> Option<NodeSet> {
        Some(match timer {
            Timer::Votes => cfg.participants & !self.votes,
            Timer::Acks => cfg.participants & !self.acks,
            Timer::Timeout => bit(cfg.coordinator),
            Timer::Decide => self.asked & !self.replies,
        })
    }

    fn view(&self, cfg: &ThreePcConfig) -> NodeView {
        let role = if self.coordinator { ROLES[0] } else { ROLES[1] };
        let mut rows = vec![Row::new("transaction", "transaction", "t", self.txn.map_or("—".to_string(), |t| t.to_string()))];
        if self.coordinator {
            rows.push(Row::new("votes", "yes votes", "y", list(self.votes & cfg.participants)));
            rows.push(Row::new("acks", "acks", "k", list(self.acks & cfg.participants)));
        } else {
            let vote = match self.vote {
                Some(true) => "yes",
                Some(false) => "no",
                None => "—",
            };
            rows.push(Row::new("vote", "vote", "v", vote));
        }
        rows.push(Row::new("state", "state", "s", self.phase.word()));
        NodeView {
            roles: vec![role],
            promised: None,
            accepted: None,
            learned: None,
            leader: self.coordinator,
            proposer: None,
            rows,
            slots: Vec::new(),
            status: Some(self.status(cfg)),
        }
    }

    fn describe(msg: &Msg) -> MsgView {
        msg.view()
    }

    fn timer_name(timer: &Timer) -> &'static str {
        Timer::NAMES[*timer as usize]
    }

    fn learn_quorum(cfg: &ThreePcConfig) -> usize {
        cfg.nodes
    }
}
