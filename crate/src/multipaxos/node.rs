//! A Multi-Paxos node: any mix of proposer (leader candidate), acceptor and learner
//! (replica), or a client.
//!
//! Durable state (persisted before any message that depends on it): the acceptor's promise
//! and accepted entries, the highest round the node has used, and the last command sequence
//! number it issued. Everything else is volatile. Every change to a durable field sets
//! [`Outbox::persisted`](crate::protocol::Outbox).

use super::config::MultiConfig;
use super::msg::{Cmd, Entries, Msg, MAX_SLOTS};
use crate::paxos::quorum::is_quorum;
use crate::paxos::{Ballot, Bug, Deviation, Value};
use crate::protocol::{bit, members, MsgView, NodeId, NodeSet, NodeView, Observation, Protocol, ProposerView, Row, SlotNo, SlotView};

pub type Out = crate::protocol::Outbox<Msg, Timer>;

/// A Multi-Paxos node's timers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Timer {
    /// A client's request got no reply: send it to the next proposer.
    Retry,
    /// A follower has not heard from a leader (or a candidate's phase 1 has not succeeded):
    /// take over with a higher ballot.
    Leader,
    /// The leader's heartbeat period.
    Heartbeat,
}

impl Timer {
    pub const NAMES: [&'static str; 3] = ["retry", "leader", "heartbeat"];
}

/// A proposer's phases, as shown to people.
pub const PHASES: [&str; 3] = ["following", "preparing", "leading"];

/// A node's roles, in the order a node lists them.
pub const ROLES: [&str; 4] = ["proposer", "acceptor", "learner", "client"];

const PROPOSER: u8 = 1;
const ACCEPTOR: u8 = 2;
const LEARNER: u8 = 4;
const CLIENT: u8 = 8;

/// What survives a crash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Durable {
    pub promised: Option<Ballot>,
    pub accepted: Entries,
    pub max_round: u32,
    pub seq: u16,
}

/// A proposer's standing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Lead {
    Following,
    /// Phase 1 for every slot from `from`: promises so far, and per slot the highest-ballot
    /// entry they reported.
    Preparing { ballot: Ballot, from: SlotNo, promises: NodeSet, reported: Entries },
    /// Phase 2: `log[slot - 1]` is what this leader proposed there and who accepted it;
    /// `next` is the next free slot.
    Leading { ballot: Ballot, log: [Option<(Cmd, NodeSet)>; MAX_SLOTS], next: SlotNo },
}

/// One node of the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MultiNode {
    pub id: NodeId,
    roles: u8,
    // Acceptor (durable).
    pub promised: Option<Ballot>,
    pub accepted: Entries,
    // Proposer and client: `max_round` and `seq` durable.
    pub max_round: u32,
    pub seq: u16,
    pub lead: Lead,
    /// The highest leader ballot this node has heard of, and so whom it believes leads.
    pub heard: Option<Ballot>,
    /// Commands waiting for this node to lead (or for a free slot).
    pub queue: Vec<Cmd>,
    // Replica (volatile).
    /// What this node knows is chosen, per slot.
    pub chosen: [Option<Cmd>; MAX_SLOTS],
    /// Slots applied (bit `slot`), and the slot applied last.
    pub applied: u16,
    pub last_applied: SlotNo,
    /// The state machine: the ops applied, in order, and each client's last sequence applied.
    pub ledger: Vec<Value>,
    pub table: Vec<(NodeId, u16)>,
    // Client (volatile).
    pub outstanding: Vec<Cmd>,
    pub target: NodeId,
    /// What the client's status line says besides its waiting commands.
    pub note: ClientNote,
}

/// A client's status beyond its waiting commands: whether its retry timer has fired since
/// nothing was waiting, and whether every command sent since it (re)started was answered.
/// Presentation only: it never changes what the node does, so it is no part of the node's
/// identity (equal and hashed alike whatever it holds), and the hashes in traces and share
/// links made before it existed still match.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientNote {
    pub retrying: bool,
    pub answered: bool,
}

impl PartialEq for ClientNote {
    fn eq(&self, _: &ClientNote) -> bool {
        true
    }
}

impl Eq for ClientNote {}

impl std::hash::Hash for ClientNote {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl MultiNode {
    fn blank(cfg: &MultiConfig, id: NodeId, disk: Durable) -> MultiNode {
        let has = |set: NodeSet, role| if set & bit(id) != 0 { role } else { 0 };
        let first = cfg.first_proposer().unwrap_or(id);
        MultiNode {
            id,
            roles: has(cfg.proposers, PROPOSER) | has(cfg.acceptors, ACCEPTOR) | has(cfg.learners, LEARNER) | has(cfg.clients, CLIENT),
            promised: disk.promised,
            accepted: disk.accepted,
            max_round: disk.max_round,
            seq: disk.seq,
            lead: Lead::Following,
            heard: None,
            queue: Vec::new(),
            chosen: [None; MAX_SLOTS],
            applied: 0,
            last_applied: 0,
            ledger: Vec::new(),
            table: Vec::new(),
            outstanding: Vec::new(),
            target: first,
            note: ClientNote::default(),
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
    pub fn is_client(&self) -> bool {
        self.roles & CLIENT != 0
    }
    pub fn is_leader(&self) -> bool {
        matches!(self.lead, Lead::Leading { .. })
    }

    /// The node this one believes leads.
    pub fn leader_hint(&self, cfg: &MultiConfig) -> Option<NodeId> {
        match self.lead {
            Lead::Leading { .. } => Some(self.id),
            _ => self.heard.map(|b| b.node).or(cfg.first_proposer()),
        }
    }

    /// The first slot this node does not know chosen (`slots + 1` when all are).
    pub fn first_unknown(&self, cfg: &MultiConfig) -> SlotNo {
        (1..=cfg.slots).find(|&s| self.chosen[s as usize - 1].is_none()).unwrap_or(cfg.slots + 1)
    }

    /// Every slot up to this one is known chosen.
    pub fn commit_index(&self, cfg: &MultiConfig) -> SlotNo {
        self.first_unknown(cfg) - 1
    }

    fn own_ballot(&self) -> Option<Ballot> {
        match self.lead {
            Lead::Following => None,
            Lead::Preparing { ballot, .. } | Lead::Leading { ballot, .. } => Some(ballot),
        }
    }

    // ----- acceptor -------------------------------------------------------------------------

    /// Phase 1b: promise only a ballot above every promise (as in single-decree Paxos), and
    /// report what was accepted from `from` on.
    fn on_prepare(&mut self, cfg: &MultiConfig, from_node: NodeId, ballot: Ballot, from: SlotNo, out: &mut Out) {
        if self.promised.is_some_and(|p| ballot <= p) {
            return;
        }
        self.promised = Some(ballot);
        out.persisted = true;
        let mut entries = self.accepted;
        for (i, e) in entries.iter_mut().enumerate() {
            if (i as SlotNo) + 1 < from {
                *e = None;
            }
        }
        self.saw_ballot(cfg, ballot, out);
        out.send(from_node, Msg::Promise { ballot, entries: Box::new(entries) });
    }

    /// Phase 2b: accept unless a higher ballot was promised; tell the leader (which tells the
    /// replicas once a majority accepted).
    fn on_accept(&mut self, cfg: &MultiConfig, ballot: Ballot, slot: SlotNo, cmd: Cmd, out: &mut Out) {
        if slot == 0 || slot > cfg.slots {
            return;
        }
        let before = self.promised;
        if before.is_some_and(|p| ballot < p) {
            return;
        }
        self.promised = Some(ballot);
        self.accepted[slot as usize - 1] = Some((ballot, cmd));
        out.persisted = true;
        out.observe(Observation::Accepted { slot, ballot, value: cmd.ghost(), promised: before });
        self.saw_ballot(cfg, ballot, out);
        out.send(ballot.node, Msg::Accepted { ballot, slot, cmd });
    }

    /// A leader's or candidate's ballot `b` is about: someone of a lower ballot steps down.
    fn saw_ballot(&mut self, cfg: &MultiConfig, b: Ballot, out: &mut Out) {
        if self.heard.map_or(true, |h| b > h) {
            self.heard = Some(b);
        }
        if self.own_ballot().is_some_and(|own| own < b) {
            self.step_down(cfg, out);
        }
    }

    fn step_down(&mut self, cfg: &MultiConfig, out: &mut Out) {
        if let Lead::Leading { log, .. } = self.lead {
            out.cancel_timer(Timer::Heartbeat);
            // Own commands not yet chosen wait for this node to lead again.
            for (cmd, _) in log.iter().flatten() {
                if cmd.id.is_some_and(|c| c.client == self.id) && !self.knows_chosen(cmd) && !self.queue.contains(cmd) {
                    self.queue.push(*cmd);
                }
            }
        }
        self.lead = Lead::Following;
        self.arm_leader_timer(cfg, out);
    }

    fn arm_leader_timer(&self, cfg: &MultiConfig, out: &mut Out) {
        if self.is_proposer() {
            let (lo, hi) = cfg.timing.leader_timeout;
            out.set_timer(Timer::Leader, lo, hi);
        }
    }

    // ----- proposer -------------------------------------------------------------------------

    /// Take over: a ballot above every one this node has used or heard of; phase 1 for every
    /// slot from the first it does not know chosen (or, `new-leader-skips-phase1`, straight
    /// to phase 2).
    fn take_over(&mut self, cfg: &MultiConfig, out: &mut Out) {
        let seen = self.max_round.max(self.promised.map_or(0, |p| p.round)).max(self.heard.map_or(0, |h| h.round));
        let round = (seen + 1).max(cfg.start_round);
        if cfg.max_round.is_some_and(|m| round > m) {
            self.lead = Lead::Following;
            return;
        }
        self.max_round = round;
        out.persisted = true;
        let ballot = Ballot::new(round, self.id);
        let from = self.first_unknown(cfg);
        if cfg.is_bug(Bug::NewLeaderSkipsPhase1) && self.heard.is_some_and(|h| h.node != self.id) {
            out.observe(Observation::Deviated(Deviation::SkippedPhase1 { ballot, slot: from }));
            self.become_leader(cfg, ballot, from, [None; MAX_SLOTS], out);
            return;
        }
        self.lead = Lead::Preparing { ballot, from, promises: 0, reported: [None; MAX_SLOTS] };
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Prepare { ballot, from });
        }
        self.arm_leader_timer(cfg, out);
    }

    fn on_promise(&mut self, cfg: &MultiConfig, from_node: NodeId, ballot: Ballot, entries: Entries, out: &mut Out) {
        let Lead::Preparing { ballot: b, from, promises, reported } = &mut self.lead else { return };
        if *b != ballot || cfg.acceptors & bit(from_node) == 0 {
            return;
        }
        *promises |= bit(from_node);
        for (r, e) in reported.iter_mut().zip(entries) {
            if e > *r {
                *r = e;
            }
        }
        if is_quorum(*promises, cfg.acceptors, cfg.quorum()) {
            let (from, reported) = (*from, *reported);
            out.cancel_timer(Timer::Leader);
            self.become_leader(cfg, ballot, from, reported, out);
        }
    }

    /// Phase 1 is won (or skipped): re-propose in every open slot up to the highest reported
    /// the highest-ballot command reported there, fill the gaps with a no-op, then propose
    /// the waiting commands.
    fn become_leader(&mut self, cfg: &MultiConfig, ballot: Ballot, from: SlotNo, reported: Entries, out: &mut Out) {
        out.observe(Observation::Leader { ballot });
        self.heard = Some(ballot);
        let top = (1..=cfg.slots).rev().find(|&s| reported[s as usize - 1].is_some() || self.chosen[s as usize - 1].is_some()).unwrap_or(0);
        self.lead = Lead::Leading { ballot, log: [None; MAX_SLOTS], next: from.max(1) };
        for slot in from..=top {
            let i = slot as usize - 1;
            if let Some(c) = self.chosen[i] {
                self.set_log(slot, c, true);
                continue;
            }
            let cmd = match reported[i] {
                Some((b, c)) if cfg.is_bug(Bug::NoopOverwrites) && !c.is_noop() => {
                    out.observe(Observation::Deviated(Deviation::NoopOverwrote { ballot, slot, reported: (b, c.ghost()) }));
                    Cmd::noop()
                }
                Some((_, c)) => c,
                None => Cmd::noop(),
            };
            if cmd.is_noop() {
                out.observe(Observation::Proposed(cmd.ghost()));
            }
            self.send_accept(cfg, ballot, slot, cmd, out);
        }
        if let Lead::Leading { next, .. } = &mut self.lead {
            *next = (*next).max(top + 1);
        }
        self.send_heartbeats(cfg, out);
        let queue = std::mem::take(&mut self.queue);
        for cmd in queue {
            self.lead_propose(cfg, cmd, out);
        }
    }

    fn set_log(&mut self, slot: SlotNo, cmd: Cmd, done: bool) {
        if let Lead::Leading { log, .. } = &mut self.lead {
            log[slot as usize - 1] = Some((cmd, if done { NodeSet::MAX } else { 0 }));
        }
    }

    fn send_accept(&mut self, cfg: &MultiConfig, ballot: Ballot, slot: SlotNo, cmd: Cmd, out: &mut Out) {
        self.set_log(slot, cmd, false);
        for to in members(cfg.acceptors) {
            out.send(to, Msg::Accept { ballot, slot, cmd });
        }
    }

    fn knows_chosen(&self, cmd: &Cmd) -> bool {
        self.chosen.iter().flatten().any(|c| c.id == cmd.id)
    }

    /// The leader puts a command in the next free slot, unless the log already holds it (a
    /// client's retry) or is full (the command waits).
    fn lead_propose(&mut self, cfg: &MultiConfig, cmd: Cmd, out: &mut Out) {
        let Lead::Leading { ballot, log, next } = self.lead else { return };
        if self.knows_chosen(&cmd) {
            self.reply(cmd, out);
            return;
        }
        if log.iter().flatten().any(|(c, _)| c.id == cmd.id) {
            return;
        }
        if next > cfg.slots {
            if !self.queue.contains(&cmd) {
                self.queue.push(cmd);
            }
            return;
        }
        if let Lead::Leading { next, .. } = &mut self.lead {
            *next += 1;
        }
        self.send_accept(cfg, ballot, next, cmd, out);
    }

    fn reply(&self, cmd: Cmd, out: &mut Out) {
        if let Some(id) = cmd.id.filter(|c| c.client != self.id) {
            out.send(id.client, Msg::Reply { seq: id.seq });
        }
    }

    fn on_accepted_as_leader(&mut self, cfg: &MultiConfig, from: NodeId, ballot: Ballot, slot: SlotNo, cmd: Cmd, out: &mut Out) {
        let Lead::Leading { ballot: b, log, .. } = &mut self.lead else { return };
        if *b != ballot || cfg.acceptors & bit(from) == 0 || slot == 0 || slot > cfg.slots {
            return;
        }
        let Some((c, accepts)) = &mut log[slot as usize - 1] else { return };
        if *c != cmd || *accepts == NodeSet::MAX {
            return;
        }
        *accepts |= bit(from);
        if is_quorum(*accepts, cfg.acceptors, cfg.quorum()) {
            *accepts = NodeSet::MAX;
            self.learn(cfg, slot, cmd, out);
            for to in members(cfg.learners & !bit(self.id)) {
                out.send(to, Msg::Chosen { slot, cmd });
            }
            self.reply(cmd, out);
        }
    }

    fn send_heartbeats(&mut self, cfg: &MultiConfig, out: &mut Out) {
        let Lead::Leading { ballot, .. } = self.lead else { return };
        let commit = self.commit_index(cfg);
        for to in members((cfg.proposers | cfg.learners) & !bit(self.id)) {
            out.send(to, Msg::Heartbeat { ballot, commit });
        }
        let (lo, hi) = cfg.timing.heartbeat;
        out.set_timer(Timer::Heartbeat, lo, hi);
    }

    fn on_heartbeat(&mut self, cfg: &MultiConfig, from: NodeId, ballot: Ballot, commit: SlotNo, out: &mut Out) {
        if self.heard.is_some_and(|h| ballot < h) {
            return;
        }
        self.saw_ballot(cfg, ballot, out);
        if !self.is_leader() && matches!(self.lead, Lead::Following) {
            self.arm_leader_timer(cfg, out);
        }
        let first = self.first_unknown(cfg);
        if self.is_learner() && commit >= first {
            out.send(from, Msg::CatchUp { from: first });
        }
    }

    fn on_catch_up(&mut self, cfg: &MultiConfig, from_node: NodeId, from: SlotNo, out: &mut Out) {
        if !self.is_leader() {
            return;
        }
        for slot in from.max(1)..=cfg.slots {
            if let Some(cmd) = self.chosen[slot as usize - 1] {
                out.send(from_node, Msg::Chosen { slot, cmd });
            }
        }
    }

    fn on_request(&mut self, cfg: &MultiConfig, from: NodeId, cmd: Cmd, out: &mut Out) {
        match self.lead {
            Lead::Leading { .. } => self.lead_propose(cfg, cmd, out),
            Lead::Preparing { .. } => {
                if !self.queue.contains(&cmd) {
                    self.queue.push(cmd);
                }
            }
            Lead::Following => {
                // One hop: a client's request goes on to the leader this node believes in.
                let hint = self.leader_hint(cfg);
                if let Some(h) = hint.filter(|&h| cmd.id.is_some_and(|c| c.client == from) && h != self.id && h != from) {
                    out.send(h, Msg::Request { cmd });
                }
            }
        }
    }

    // ----- learner / replica ----------------------------------------------------------------

    /// `cmd` is chosen in `slot`: a replica learns it and applies what it can.
    fn learn(&mut self, cfg: &MultiConfig, slot: SlotNo, cmd: Cmd, out: &mut Out) {
        let i = slot as usize - 1;
        if self.chosen[i].is_some() {
            return;
        }
        self.chosen[i] = Some(cmd);
        self.queue.retain(|c| c.id != cmd.id);
        if !self.is_learner() {
            return;
        }
        out.observe(Observation::Learned { slot, value: cmd.ghost() });
        if cfg.is_bug(Bug::ApplyOutOfOrder) {
            let missing = (1..slot).find(|&s| self.applied & (1 << s) == 0);
            if let Some(missing) = missing {
                out.observe(Observation::Deviated(Deviation::AppliedOutOfOrder { slot, missing }));
            }
            self.apply(slot, cmd, out);
            return;
        }
        while let Some(c) = self.chosen.get(self.last_applied as usize).copied().flatten() {
            self.apply(self.last_applied + 1, c, out);
        }
    }

    fn apply(&mut self, slot: SlotNo, cmd: Cmd, out: &mut Out) {
        if self.applied & (1 << slot) != 0 {
            return;
        }
        let effect = match cmd.id {
            None => false,
            Some(id) => match self.table.iter_mut().find(|e| e.0 == id.client) {
                Some(e) if e.1 >= id.seq => false,
                Some(e) => {
                    e.1 = id.seq;
                    true
                }
                None => {
                    self.table.push((id.client, id.seq));
                    self.table.sort_unstable();
                    true
                }
            },
        };
        if effect {
            self.ledger.push(cmd.op);
        }
        out.observe(Observation::Applied { slot, prev: self.last_applied, value: cmd.ghost(), command: cmd.id, effect });
        self.applied |= 1 << slot;
        self.last_applied = slot;
    }

    fn on_chosen(&mut self, cfg: &MultiConfig, slot: SlotNo, cmd: Cmd, out: &mut Out) {
        if self.is_learner() && slot >= 1 && slot <= cfg.slots {
            self.learn(cfg, slot, cmd, out);
        }
    }

    // ----- client ---------------------------------------------------------------------------

    fn send_requests(&mut self, cfg: &MultiConfig, out: &mut Out) {
        for &cmd in &self.outstanding {
            out.send(self.target, Msg::Request { cmd });
        }
        if !self.outstanding.is_empty() {
            let (lo, hi) = cfg.timing.retry;
            out.set_timer(Timer::Retry, lo, hi);
        }
    }

    fn on_reply(&mut self, seq: u16, out: &mut Out) {
        self.outstanding.retain(|c| c.id.map_or(true, |id| id.seq != seq));
        if self.outstanding.is_empty() {
            self.note = ClientNote { retrying: false, answered: self.is_client() };
            out.cancel_timer(Timer::Retry);
        }
    }

    fn start(&mut self, cfg: &MultiConfig, out: &mut Out) {
        self.arm_leader_timer(cfg, out);
    }

    /// A client's line: "waiting for command 2 (retrying to node 2)", "all commands answered".
    fn client_status(&self) -> String {
        let seqs: Vec<String> = self.outstanding.iter().filter_map(|c| c.id).map(|id| id.seq.to_string()).collect();
        let how = if self.note.retrying { "retrying to" } else { "sent to" };
        match seqs.len() {
            0 if self.note.answered => "all commands answered".to_string(),
            0 => "no command waiting".to_string(),
            1 => format!("waiting for command {} ({how} node {})", seqs[0], self.target),
            _ => format!("waiting for commands {} ({how} node {})", seqs.join(", "), self.target),
        }
    }

    fn slot_view(&self, slot: SlotNo) -> Option<SlotView> {
        let i = slot as usize - 1;
        let acc = self.accepted[i];
        let chosen = self.chosen[i];
        let proposed = match self.lead {
            Lead::Leading { log, .. } => log[i].map(|(c, _)| c),
            _ => None,
        };
        let applied = self.applied & (1 << slot) != 0;
        if acc.is_none() && chosen.is_none() && proposed.is_none() {
            return None;
        }
        let value = chosen.or(acc.map(|a| a.1)).or(proposed);
        Some(SlotView { slot, ballot: acc.map(|a| a.0.to_string()), value: value.map(|c| c.to_string()), chosen: chosen.is_some(), applied })
    }
}

fn dash(s: String) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        s
    }
}

impl Protocol for MultiNode {
    type Config = MultiConfig;
    type Msg = Msg;
    type Timer = Timer;
    type Durable = Durable;
    const KINDS: &'static [&'static str] = &Msg::KINDS;
    const TIMERS: &'static [&'static str] = &Timer::NAMES;
    const ROLES: &'static [&'static str] = &ROLES;
    const PHASES: &'static [&'static str] = &PHASES;
    const PROPERTIES: &'static [crate::check::invariants::Property] = {
        use crate::check::invariants::Property::*;
        &[OnlyProposed, AtMostOne, LearnedChosen, SameSequence, AppliedOnce, OneLeader]
    };

    fn cluster_size(cfg: &MultiConfig) -> usize {
        cfg.nodes
    }

    fn acceptors(cfg: &MultiConfig) -> NodeSet {
        cfg.acceptors
    }

    fn init(cfg: &MultiConfig, id: NodeId, out: &mut Out) -> MultiNode {
        let mut node = MultiNode::blank(cfg, id, Durable::default());
        if node.is_proposer() && cfg.first_proposer() == Some(id) {
            node.take_over(cfg, out);
        } else {
            node.start(cfg, out);
        }
        node
    }

    fn restart(cfg: &MultiConfig, id: NodeId, disk: &Durable, out: &mut Out) -> MultiNode {
        let mut node = MultiNode::blank(cfg, id, *disk);
        node.start(cfg, out);
        node
    }

    fn durable(&self) -> Durable {
        Durable { promised: self.promised, accepted: self.accepted, max_round: self.max_round, seq: self.seq }
    }

    fn on_message(&mut self, cfg: &MultiConfig, from: NodeId, msg: Msg, out: &mut Out) {
        match msg {
            Msg::Prepare { ballot, from: slot } if self.is_acceptor() => self.on_prepare(cfg, from, ballot, slot, out),
            Msg::Accept { ballot, slot, cmd } if self.is_acceptor() => self.on_accept(cfg, ballot, slot, cmd, out),
            Msg::Promise { ballot, entries } if self.is_proposer() => self.on_promise(cfg, from, ballot, *entries, out),
            Msg::Accepted { ballot, slot, cmd } if self.is_proposer() => self.on_accepted_as_leader(cfg, from, ballot, slot, cmd, out),
            Msg::Heartbeat { ballot, commit } if !self.is_client() => self.on_heartbeat(cfg, from, ballot, commit, out),
            Msg::CatchUp { from: slot } if self.is_proposer() => self.on_catch_up(cfg, from, slot, out),
            Msg::Chosen { slot, cmd } => self.on_chosen(cfg, slot, cmd, out),
            Msg::Request { cmd } if self.is_proposer() => self.on_request(cfg, from, cmd, out),
            Msg::Reply { seq } if self.is_client() || self.is_proposer() => self.on_reply(seq, out),
            _ => {}
        }
    }

    fn on_timer(&mut self, cfg: &MultiConfig, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Retry => {
                if self.is_client() && !self.outstanding.is_empty() {
                    let next = members(cfg.proposers).find(|&p| p > self.target).or(cfg.first_proposer());
                    self.target = next.unwrap_or(self.target);
                    self.note.retrying = true;
                    self.send_requests(cfg, out);
                }
            }
            Timer::Leader => {
                if self.is_proposer() && !self.is_leader() {
                    self.take_over(cfg, out);
                }
            }
            Timer::Heartbeat => self.send_heartbeats(cfg, out),
        }
    }

    fn on_propose(&mut self, cfg: &MultiConfig, op: Value, out: &mut Out) {
        self.seq += 1;
        out.persisted = true;
        let cmd = Cmd::new(self.id, self.seq, op);
        out.observe(Observation::Proposed(cmd.ghost()));
        if self.is_client() {
            self.note.answered = false;
            self.outstanding.push(cmd);
            out.send(self.target, Msg::Request { cmd });
            let (lo, hi) = cfg.timing.retry;
            out.set_timer(Timer::Retry, lo, hi);
            return;
        }
        match self.lead {
            Lead::Leading { .. } => self.lead_propose(cfg, cmd, out),
            _ => {
                self.queue.push(cmd);
                if let Some(h) = self.leader_hint(cfg).filter(|&h| h != self.id) {
                    out.send(h, Msg::Request { cmd });
                }
            }
        }
    }

    fn can_propose(&self) -> bool {
        self.is_proposer() || self.is_client()
    }

    fn highest_round(&self) -> u32 {
        [self.promised, self.heard].into_iter().flatten().map(|b| b.round).fold(self.max_round, u32::max)
    }

    fn view(&self, cfg: &MultiConfig) -> NodeView {
        let roles = [PROPOSER, ACCEPTOR, LEARNER, CLIENT].into_iter().zip(ROLES).filter(|(b, _)| self.roles & b != 0).map(|(_, n)| n).collect();
        let q = cfg.quorum() as u32;
        let proposer = self.is_proposer().then(|| {
            let (phase, ballot, promises, accepts, value) = match self.lead {
                Lead::Following => (PHASES[0], None, 0, 0, None),
                Lead::Preparing { ballot, promises, .. } => (PHASES[1], Some(ballot), promises.count_ones(), 0, None),
                Lead::Leading { ballot, log, next } => {
                    let last = (next > 1).then(|| log[next as usize - 2]).flatten();
                    let accepts = last.map_or(0, |(_, a)| if a == NodeSet::MAX { q } else { a.count_ones() });
                    (PHASES[2], Some(ballot), q, accepts, last.map(|(c, _)| c.to_string()))
                }
            };
            ProposerView { phase, ballot: ballot.map(|b| b.to_string()), value, promises, accepts, quorum: q }
        });
        let mut rows = Vec::new();
        if self.is_client() {
            let waiting: Vec<String> = self.outstanding.iter().map(|c| format!("{c:?}")).collect();
            rows.push(Row::new("seq", "last command", "seq", self.seq.to_string()));
            rows.push(Row::new("waiting", "waiting for replies", "w", dash(waiting.join(", "))));
            rows.push(Row::new("target", "sends to", "to", format!("node {}", self.target)));
        } else {
            rows.push(Row::new("promised", "promised", "p", self.promised.map_or_else(|| "—".into(), |b| b.to_string())));
            rows.push(Row::new("leader", "leader", "L", self.leader_hint(cfg).map_or_else(|| "—".into(), |n| format!("node {n}"))));
            rows.push(Row::new("commit", "commit index", "c", self.commit_index(cfg).to_string()));
            if self.is_learner() {
                rows.push(Row::new("applied", "applied up to", "ap", self.last_applied.to_string()));
                let ledger: Vec<String> = self.ledger.iter().map(|v| v.to_string()).collect();
                rows.push(Row::new("ledger", "ledger", "ops", dash(ledger.join(", "))));
                let table: Vec<String> = self.table.iter().map(|(c, s)| format!("{c}:{s}")).collect();
                rows.push(Row::new("clients", "last seq per client", "seq", dash(table.join(", "))));
            }
            if !self.queue.is_empty() {
                let q: Vec<String> = self.queue.iter().map(|c| format!("{c:?}")).collect();
                rows.push(Row::new("queue", "waiting commands", "q", q.join(", ")));
            }
        }
        let slots = if self.is_client() { Vec::new() } else { (1..=cfg.slots).filter_map(|s| self.slot_view(s)).collect() };
        let full = matches!(self.lead, Lead::Leading { next, .. } if next > cfg.slots) && !self.queue.is_empty();
        let status = match self.lead {
            _ if self.is_client() => Some(self.client_status()),
            Lead::Leading { ballot, .. } => Some(format!("leader of ballot {ballot}{}", if full { " (log full)" } else { "" })),
            Lead::Preparing { ballot, .. } => Some(format!("candidate: phase 1 of ballot {ballot}")),
            Lead::Following => self.leader_hint(cfg).filter(|&l| l != self.id).map(|l| format!("follows node {l}")),
        };
        NodeView { roles, promised: None, accepted: None, learned: None, leader: self.is_leader(), proposer, rows, slots, status }
    }

    fn describe(msg: &Msg) -> MsgView {
        msg.view()
    }

    fn timer_name(timer: &Timer) -> &'static str {
        match timer {
            Timer::Retry => Timer::NAMES[0],
            Timer::Leader => Timer::NAMES[1],
            Timer::Heartbeat => Timer::NAMES[2],
        }
    }

    fn learn_quorum(cfg: &MultiConfig) -> usize {
        cfg.quorum()
    }

    /// A heartbeat only keeps a follower from taking over (less), points it at the leader
    /// (where it forwards requests: routing only) and lets a lagging replica catch up
    /// (passive replica state: a replica can also learn from the acceptances); a reply only
    /// stops a client's retries.
    fn only_informs(msg: &Msg) -> bool {
        matches!(msg, Msg::Heartbeat { .. } | Msg::Reply { .. })
    }

    /// Sound because promises and accepted entries are durable in every variant, a node's
    /// rounds only grow (durable, persisted before its Prepare or Accept leaves) and roles
    /// never change: a Prepare at or below the promise, an Accept below it, a Promise for a
    /// ballot the node is not preparing, and an Accepted at a node that does not lead that
    /// ballot with the slot open (it never leads that ballot again), change nothing now or after a crash.
    fn ignores_forever(&self, _cfg: &MultiConfig, msg: &Msg) -> bool {
        match *msg {
            Msg::Prepare { ballot, .. } => !self.is_acceptor() || self.promised.is_some_and(|p| ballot <= p),
            Msg::Accept { ballot, .. } => !self.is_acceptor() || self.promised.is_some_and(|p| ballot < p),
            Msg::Promise { ballot, .. } => !matches!(self.lead, Lead::Preparing { ballot: b, .. } if b == ballot),
            Msg::Accepted { ballot, slot, .. } => {
                !matches!(self.lead, Lead::Leading { ballot: b, log, .. }
                        if b == ballot && slot >= 1 && (slot as usize) <= MAX_SLOTS && log[slot as usize - 1].is_some_and(|(_, a)| a != NodeSet::MAX))
            }
            _ => false,
        }
    }
}
