//! A two-phase-commit node: the coordinator or a participant.

use super::config::TwoPcConfig;
use super::msg::Msg;
use crate::paxos::Value;
use crate::protocol::{bit, members, MsgView, NodeId, NodeSet, NodeView, Observation, Protocol, Row, Waiting};

pub type Out = crate::protocol::Outbox<Msg, Timer>;

/// A node's timers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Timer {
    /// The coordinator has waited long enough for votes: it aborts.
    Votes,
    /// The coordinator resends its decision to the participants that have not acknowledged it.
    Resend,
    /// A participant has waited long enough: before voting it aborts alone; after a yes vote
    /// it asks the coordinator for the outcome (`Query`).
    Timeout,
}

impl Timer {
    /// The timers' names, as shown to people and written in traces.
    pub const NAMES: [&'static str; 3] = ["vote-timeout", "resend", "timeout"];
}

/// A node's roles, in the order a node lists them.
pub const ROLES: [&str; 2] = ["coordinator", "participant"];

/// Two-phase commit has no proposer phases.
pub const PHASES: [&str; 0] = [];

/// What survives a crash: the transaction, the vote (participant), the decision.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Durable {
    pub txn: Option<Value>,
    pub vote: Option<bool>,
    pub decision: Option<bool>,
}

/// What `why` says when a participant that voted yes waits for the coordinator.
pub const WHY: &str = "voted yes; only the coordinator knows the outcome";

/// One node of the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TwoPcNode {
    pub id: NodeId,
    pub coordinator: bool,
    /// The transaction (the coordinator's client's value); on disk.
    pub txn: Option<Value>,
    /// Participant: its vote; on disk.
    pub vote: Option<bool>,
    /// The outcome it decided (`true`: commit); on disk.
    pub decision: Option<bool>,
    /// Coordinator: the participants that voted yes, and that acknowledged the decision.
    pub yes: NodeSet,
    pub acks: NodeSet,
    /// Coordinator: how often it sent its decision; participant: how often it asked.
    pub sends: u32,
}

impl TwoPcNode {
    fn blank(cfg: &TwoPcConfig, id: NodeId, d: Durable) -> TwoPcNode {
        TwoPcNode { id, coordinator: id == cfg.coordinator, txn: d.txn, vote: d.vote, decision: d.decision, yes: 0, acks: 0, sends: 0 }
    }

    fn may_send(cfg: &TwoPcConfig, sends: u32) -> bool {
        cfg.max_sends.map_or(true, |m| sends < m)
    }

    fn arm_timeout(cfg: &TwoPcConfig, out: &mut Out) {
        let (lo, hi) = cfg.timing.leader_timeout;
        out.set_timer(Timer::Timeout, 2 * lo, 2 * hi);
    }

    fn arm_retry(cfg: &TwoPcConfig, timer: Timer, out: &mut Out) {
        let (lo, hi) = cfg.timing.retry;
        out.set_timer(timer, lo, hi);
    }

    /// Decide, write the decision to disk (before anything is sent) and tell the ghost.
    fn decide(&mut self, cfg: &TwoPcConfig, commit: bool, out: &mut Out) {
        self.decision = Some(commit);
        out.persisted = true;
        out.observe(Observation::Decided { commit, participants: cfg.participants });
    }

    fn decision_msg(commit: bool) -> Msg {
        if commit {
            Msg::Commit
        } else {
            Msg::Abort
        }
    }

    // ----- coordinator ----------------------------------------------------------------------

    /// The coordinator decides and sends its decision to every participant.
    fn coordinator_decides(&mut self, cfg: &TwoPcConfig, commit: bool, out: &mut Out) {
        self.decide(cfg, commit, out);
        out.cancel_timer(Timer::Votes);
        self.announce(cfg, out);
    }

    /// Send the decision to every participant that has not acknowledged it.
    fn announce(&mut self, cfg: &TwoPcConfig, out: &mut Out) {
        let Some(commit) = self.decision else { return };
        self.sends += 1;
        for to in members(cfg.participants & !self.acks) {
            out.send(to, Self::decision_msg(commit));
        }
        if Self::may_send(cfg, self.sends) {
            Self::arm_retry(cfg, Timer::Resend, out);
        } else {
            out.cancel_timer(Timer::Resend);
        }
    }

    fn on_vote(&mut self, cfg: &TwoPcConfig, from: NodeId, yes: bool, out: &mut Out) {
        if !self.coordinator || self.decision.is_some() || self.txn.is_none() || !cfg.is_participant(from) {
            return;
        }
        if !yes {
            self.coordinator_decides(cfg, false, out);
            return;
        }
        self.yes |= bit(from);
        if self.yes & cfg.participants == cfg.participants {
            self.coordinator_decides(cfg, true, out);
        }
    }

    // ----- participant ----------------------------------------------------------------------

    fn on_prepare(&mut self, cfg: &TwoPcConfig, from: NodeId, txn: Value, out: &mut Out) {
        if self.coordinator || from != cfg.coordinator {
            return;
        }
        if self.txn.is_none() {
            self.txn = Some(txn);
            out.persisted = true;
        }
        let yes = match (self.vote, self.decision) {
            (Some(v), _) => v,
            // It aborted alone before voting: it votes no.
            (None, Some(false)) => false,
            (None, _) => true,
        };
        if self.vote.is_none() {
            self.vote = Some(yes);
            out.persisted = true;
            out.observe(Observation::Voted { yes });
        }
        out.send(from, Msg::Vote { yes });
        if yes && self.decision.is_none() {
            Self::arm_timeout(cfg, out);
        }
    }

    fn on_decision(&mut self, cfg: &TwoPcConfig, from: NodeId, commit: bool, out: &mut Out) {
        if self.coordinator || from != cfg.coordinator {
            return;
        }
        match self.decision {
            None => {
                self.decide(cfg, commit, out);
                out.cancel_timer(Timer::Timeout);
            }
            Some(d) if d != commit => return,
            Some(_) => {}
        }
        out.send(from, Msg::Ack);
    }

    fn participant_timeout(&mut self, cfg: &TwoPcConfig, out: &mut Out) {
        if self.decision.is_some() {
            return;
        }
        match self.vote {
            // Not voted yet: it may abort alone (it will vote no if asked).
            None => self.decide(cfg, false, out),
            Some(false) => {}
            // Voted yes: only the coordinator knows; ask it.
            Some(true) => {
                if Self::may_send(cfg, self.sends) {
                    self.sends += 1;
                    out.send(cfg.coordinator, Msg::Query);
                    if Self::may_send(cfg, self.sends) {
                        Self::arm_timeout(cfg, out);
                    }
                }
            }
        }
    }

    fn word(decision: Option<bool>) -> &'static str {
        match decision {
            Some(true) => "committed",
            Some(false) => "aborted",
            None => "—",
        }
    }

    fn status(&self, cfg: &TwoPcConfig) -> String {
        if let Some(d) = self.decision {
            return Self::word(Some(d)).to_string();
        }
        if self.coordinator {
            return match self.txn {
                None => "waiting for a transaction".into(),
                Some(_) => format!("collecting votes: {} of {} yes", (self.yes & cfg.participants).count_ones(), cfg.participants.count_ones()),
            };
        }
        match self.vote {
            None => "working; has not voted".into(),
            Some(true) => "voted yes; waiting for the decision".into(),
            Some(false) => "voted no".into(),
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

impl Protocol for TwoPcNode {
    type Config = TwoPcConfig;
    type Msg = Msg;
    type Timer = Timer;
    type Durable = Durable;
    const KINDS: &'static [&'static str] = &Msg::KINDS;
    const TIMERS: &'static [&'static str] = &Timer::NAMES;
    const ROLES: &'static [&'static str] = &ROLES;
    const PHASES: &'static [&'static str] = &PHASES;
    const PROPERTIES: &'static [crate::check::invariants::Property] = &crate::check::invariants::Property::COMMIT;

    fn cluster_size(cfg: &TwoPcConfig) -> usize {
        cfg.nodes
    }

    /// No acceptors: every node is counted, so "a majority up" means a majority of nodes.
    fn acceptors(cfg: &TwoPcConfig) -> NodeSet {
        cfg.participants | bit(cfg.coordinator)
    }

    /// A participant arms its timeout: if no vote request comes, it aborts alone.
    fn init(cfg: &TwoPcConfig, id: NodeId, out: &mut Out) -> TwoPcNode {
        let n = TwoPcNode::blank(cfg, id, Durable::default());
        if !n.coordinator {
            Self::arm_timeout(cfg, out);
        }
        n
    }

    /// The coordinator: with a decision on disk it sends it again; with a transaction but no
    /// decision it decides abort (presumed abort) and tells everyone. A participant that voted
    /// yes and knows no outcome arms its timeout (it will ask); one that has not voted too.
    fn restart(cfg: &TwoPcConfig, id: NodeId, disk: &Durable, out: &mut Out) -> TwoPcNode {
        let mut n = TwoPcNode::blank(cfg, id, *disk);
        if n.coordinator {
            match (n.txn, n.decision) {
                (Some(_), None) => n.coordinator_decides(cfg, false, out),
                (_, Some(_)) => n.announce(cfg, out),
                (None, None) => {}
            }
        } else if n.decision.is_none() && n.vote != Some(false) {
            Self::arm_timeout(cfg, out);
        }
        n
    }

    fn durable(&self) -> Durable {
        Durable { txn: self.txn, vote: self.vote, decision: self.decision }
    }

    fn on_message(&mut self, cfg: &TwoPcConfig, from: NodeId, msg: Msg, out: &mut Out) {
        match msg {
            Msg::Prepare { txn } => self.on_prepare(cfg, from, txn, out),
            Msg::Vote { yes } => self.on_vote(cfg, from, yes, out),
            Msg::Commit => self.on_decision(cfg, from, true, out),
            Msg::Abort => self.on_decision(cfg, from, false, out),
            Msg::Ack => {
                if self.coordinator && cfg.is_participant(from) && self.decision.is_some() {
                    self.acks |= bit(from);
                    if self.acks & cfg.participants == cfg.participants {
                        out.cancel_timer(Timer::Resend);
                    }
                }
            }
            Msg::Query => {
                // Still collecting votes: the decision will be sent when it is made.
                if let (true, Some(commit)) = (self.coordinator, self.decision) {
                    out.send(from, Self::decision_msg(commit));
                }
            }
        }
    }

    fn on_timer(&mut self, cfg: &TwoPcConfig, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Votes => {
                if self.coordinator && self.txn.is_some() && self.decision.is_none() {
                    self.coordinator_decides(cfg, false, out);
                }
            }
            Timer::Resend => {
                if self.coordinator && Self::may_send(cfg, self.sends) {
                    self.announce(cfg, out);
                }
            }
            Timer::Timeout => {
                if !self.coordinator {
                    self.participant_timeout(cfg, out);
                }
            }
        }
    }

    /// At the coordinator: start the transaction (`value` is its name): write it to disk,
    /// send `Prepare` to every participant. At a participant: its client aborts its part;
    /// before voting, the participant aborts alone (and will vote no).
    fn on_propose(&mut self, cfg: &TwoPcConfig, value: Value, out: &mut Out) {
        if self.refuses_proposal(cfg).is_some() {
            return;
        }
        if self.coordinator {
            out.observe(Observation::Proposed(value));
            self.txn = Some(value);
            out.persisted = true;
            for to in cfg.participant_ids() {
                out.send(to, Msg::Prepare { txn: value });
            }
            Self::arm_retry(cfg, Timer::Votes, out);
        } else {
            self.decide(cfg, false, out);
            out.cancel_timer(Timer::Timeout);
        }
    }

    fn can_propose(&self) -> bool {
        true
    }

    fn refuses_proposal(&self, _cfg: &TwoPcConfig) -> Option<String> {
        if self.coordinator {
            return self.txn.map(|t| format!("the transaction {t} has begun; this run has one transaction"));
        }
        match (self.vote, self.decision) {
            (Some(true), _) => Some("voted yes: it can no longer abort alone".into()),
            (_, Some(false)) | (Some(false), _) => Some("it has aborted already".into()),
            (_, Some(true)) => Some("it has committed".into()),
            (None, None) => None,
        }
    }

    fn is_learner(&self) -> bool {
        true
    }

    fn has_learned(&self) -> bool {
        self.decision.is_some()
    }

    fn waits_for(&self, cfg: &TwoPcConfig) -> Option<Waiting> {
        (!self.coordinator && self.vote == Some(true) && self.decision.is_none()).then_some(Waiting { on: bit(cfg.coordinator), need: 1, why: WHY })
    }

    fn view(&self, cfg: &TwoPcConfig) -> NodeView {
        let role = if self.coordinator { ROLES[0] } else { ROLES[1] };
        let mut rows = vec![Row::new("transaction", "transaction", "t", self.txn.map_or("—".to_string(), |t| t.to_string()))];
        if self.coordinator {
            rows.push(Row::new("votes", "yes votes", "y", list(self.yes & cfg.participants)));
            if self.decision.is_some() {
                rows.push(Row::new("acks", "acknowledged", "k", list(self.acks & cfg.participants)));
            }
        } else {
            let vote = match self.vote {
                Some(true) => "yes",
                Some(false) => "no",
                None => "—",
            };
            rows.push(Row::new("vote", "vote", "v", vote));
        }
        rows.push(Row::new("decision", "decision", "d", Self::word(self.decision)));
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
        match timer {
            Timer::Votes => Timer::NAMES[0],
            Timer::Resend => Timer::NAMES[1],
            Timer::Timeout => Timer::NAMES[2],
        }
    }

    /// Not used: nobody learns from acceptances.
    fn learn_quorum(cfg: &TwoPcConfig) -> usize {
        cfg.nodes
    }

    /// `Ack` only stops the coordinator resending.
    fn only_informs(msg: &Msg) -> bool {
        matches!(msg, Msg::Ack)
    }
}
