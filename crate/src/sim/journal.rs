//! A run's past, in one append-only journal beside the world: every step's events, every
//! message sent and what became of it, outages, violations with their explanations, and the
//! step notes the explanations cite. Everything here is built from the events
//! [`World::apply`] writes and carries its step, so a view at an earlier step is a filter and
//! starting a new future from step `k` is a truncation to `k`.
//!
//! Memory is linear in the run's length: checkpoints (clones of the world) no longer carry
//! the past, which made it quadratic.

use super::event::{in_slot, line, node_list, Envelope, Event};
use super::session::LogLine;
use super::world::{Events, MsgRecord, Outage, Violation, World};
use crate::check::invariants::{Breach, Ghost};
use crate::paxos::{Ballot, Deviation, Value};
use crate::protocol::{members, NodeId, Protocol, SlotNo};

/// What became of a message.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Pending,
    Delivered,
    /// By a person.
    Dropped,
    /// By the network, a crash or a cut.
    Lost,
}

/// The fates' names, as a message record writes them.
pub const FATES: [&str; 4] = ["pending", "delivered", "dropped", "lost"];

impl Fate {
    fn name(self) -> &'static str {
        FATES[self as usize]
    }
}

/// A message's life: sent at step `sent`, ended at step `end` (0: not yet). The message
/// itself is in the event that sent it, `events[event]` (kept as long as this record is:
/// both are cut at the same step), rather than a copy of it here.
#[derive(Clone, Copy, Debug)]
struct Life {
    from: NodeId,
    to: NodeId,
    fate: Fate,
    sent: u32,
    end: u32,
    event: u32,
}

/// The steps a new journal has room for before its lists grow.
const SHORT_RUN: usize = 256;

/// The past of a run (see the module's documentation).
#[derive(Clone, Debug)]
pub struct Journal<P: Protocol> {
    /// `steps[k]`: the time after step `k`, the index of its first event (`steps[0]`: the
    /// start, whose events are the messages the nodes send as they start) and of the first
    /// id in `ended` it wrote.
    steps: Vec<(u64, u32, u32)>,
    events: Events<P>,
    /// The ids of the messages that ended (delivered, dropped, lost), step by step: what a
    /// frame needs to find the records that changed between two steps without a scan.
    ended: Vec<u32>,
    /// Every message sent, indexed by `id - 1` (so also by the step that sent it).
    msgs: Vec<Life>,
    /// Every crash, with its restart.
    outages: Vec<Outage>,
    /// Each broken property with the step that broke it, in the order they broke.
    violations: Vec<(u32, Violation)>,
    /// When each acceptor first accepted each proposal, sorted by proposal and acceptor.
    accepted_at: Vec<((SlotNo, Ballot, Value, NodeId), u32)>,
    /// When each proposal became chosen.
    chosen_at: Vec<((SlotNo, Ballot, Value), u32)>,
    /// Every rule a broken variant broke, with its step, in order.
    deviations: Vec<(u32, NodeId, Deviation)>,
}

impl<P: Protocol> Journal<P> {
    /// A journal for a world that has just started and sent `start`.
    pub fn new(world: &World<P>, mut start: Events<P>) -> Journal<P> {
        // Room for a short run (a few hundred steps), so it does not grow its lists by
        // copying them again and again while they are small.
        let mut j = Journal {
            steps: Vec::with_capacity(SHORT_RUN),
            events: Vec::with_capacity(SHORT_RUN * 2),
            ended: Vec::with_capacity(SHORT_RUN),
            msgs: Vec::with_capacity(SHORT_RUN),
            outages: Vec::new(),
            violations: Vec::new(),
            accepted_at: Vec::new(),
            chosen_at: Vec::new(),
            deviations: Vec::new(),
        };
        j.record(world, &mut start);
        j
    }

    /// The last step recorded.
    pub fn len(&self) -> usize {
        self.steps.len() - 1
    }

    /// Record the step `world` has just taken, whose events are `events` (moved into the
    /// journal: `events` is left empty).
    pub fn record(&mut self, world: &World<P>, events: &mut Events<P>) {
        let first = self.events.len();
        self.events.append(events);
        self.recorded(world, first);
    }

    /// Where a step's events go when they are written straight into the journal: push them
    /// here, then call [`Journal::recorded`] with the length this had before.
    pub fn events_mut(&mut self) -> &mut Events<P> {
        &mut self.events
    }

    /// Record the step `world` has just taken, whose events are those from `first` on.
    pub fn recorded(&mut self, world: &World<P>, first: usize) {
        let step = world.step;
        debug_assert_eq!(step as usize, self.steps.len(), "steps are recorded in order, one each");
        self.steps.push((world.time, first as u32, self.ended.len() as u32));
        for at in first..self.events.len() {
            let event = at as u32;
            match self.events[at] {
                Event::Sent(Envelope { id, from, to, .. }) | Event::Duplicated { copy: Envelope { id, from, to, .. } } => self.sent(from, to, id, step, event),
                Event::DuplicatedByNetwork { msg: Envelope { id, from, to, .. }, copy } => {
                    self.sent(from, to, copy, step, event);
                    self.end(id, Fate::Delivered, step);
                }
                Event::Delivered(Envelope { id, .. }) => self.end(id, Fate::Delivered, step),
                Event::Unreceived { id, .. } => self.end(id, Fate::Lost, step),
                Event::LostByNetwork(Envelope { id, .. }) => self.end(id, Fate::Lost, step),
                Event::Dropped(Envelope { id, .. }) => self.end(id, Fate::Dropped, step),
                Event::Crashed(node) => self.outages.push(Outage { node, from_step: step, to_step: None }),
                Event::Restarted(node) => {
                    if let Some(o) = self.outages.iter_mut().rev().find(|o| o.node == node) {
                        o.to_step = Some(step);
                    }
                }
                Event::Accepted { node, slot, ballot, value } => {
                    let key = (slot, ballot, value, node);
                    if let Err(i) = self.accepted_at.binary_search_by(|(k, _)| k.cmp(&key)) {
                        self.accepted_at.insert(i, (key, step));
                    }
                }
                Event::Chosen { slot, ballot, value, .. } => self.chosen_at.push(((slot, ballot, value), step)),
                Event::Deviated { node, what } => self.deviations.push((step, node, what)),
                Event::Violation(b) => {
                    let v = self.explain(b, &world.ghost, step);
                    self.violations.push((step, v));
                }
                _ => {}
            }
        }
    }

    /// Message `id` (`from` → `to`) was sent, as event number `event`.
    fn sent(&mut self, from: NodeId, to: NodeId, id: u32, step: u32, event: u32) {
        debug_assert_eq!(self.msgs.len() + 1, id as usize, "message ids are handed out in order");
        self.msgs.push(Life { from, to, fate: Fate::Pending, sent: step, end: 0, event });
    }

    /// The message a record is about, from the event that sent it.
    fn msg_of(&self, m: &Life) -> &P::Msg {
        match &self.events[m.event as usize] {
            Event::Sent(e) | Event::Duplicated { copy: e } | Event::DuplicatedByNetwork { msg: e, .. } => &e.msg,
            _ => unreachable!("a message's record points at the event that sent it"),
        }
    }

    fn end(&mut self, id: u32, fate: Fate, step: u32) {
        if let Some(m) = self.msgs.get_mut((id as usize).wrapping_sub(1)) {
            m.end = step;
            m.fate = fate;
            self.ended.push(id);
        }
    }

    /// Forget everything after step `step`: a new future starts there.
    pub fn truncate(&mut self, step: usize) {
        if step >= self.len() {
            return;
        }
        let s = step as u32;
        self.events.truncate(self.steps[step + 1].1 as usize);
        self.ended.truncate(self.steps[step + 1].2 as usize);
        self.steps.truncate(step + 1);
        let sent = self.msgs.partition_point(|m| m.sent <= s);
        self.msgs.truncate(sent);
        for m in self.msgs.iter_mut().filter(|m| m.end > s) {
            m.end = 0;
            m.fate = Fate::Pending;
        }
        // Outages, violations and choices are listed in the order of their steps.
        self.outages.truncate(self.outages.partition_point(|o| o.from_step <= s));
        for o in &mut self.outages {
            o.to_step = o.to_step.filter(|&t| t <= s);
        }
        self.violations.truncate(self.violations.partition_point(|v| v.0 <= s));
        self.accepted_at.retain(|a| a.1 <= s);
        self.chosen_at.truncate(self.chosen_at.partition_point(|c| c.1 <= s));
        self.deviations.truncate(self.deviations.partition_point(|d| d.0 <= s));
    }

    /// Step `step`'s events (step 0: the start).
    pub fn events(&self, step: usize) -> &[Event<P::Msg, P::Timer>] {
        let Some(&(_, from, _)) = self.steps.get(step) else { return &[] };
        let to = self.steps.get(step + 1).map_or(self.events.len(), |s| s.1 as usize);
        &self.events[from as usize..to]
    }

    /// Step `step`'s line of the event log (1 ..= [`Journal::len`]).
    pub fn line(&self, step: usize) -> LogLine {
        LogLine { step: step as u32, time: self.steps.get(step).map_or(0, |s| s.0), text: line::<P>(self.events(step)) }
    }

    /// The event log of steps 1 ..= `upto`.
    pub fn lines(&self, upto: usize) -> Vec<LogLine> {
        (1..=upto.min(self.len())).map(|k| self.line(k)).collect()
    }

    /// How many messages were sent by step `at` (the length of [`Journal::history`]).
    pub fn history_len(&self, at: usize) -> usize {
        self.msgs.partition_point(|m| m.sent <= at as u32)
    }

    /// Message `id`'s record as of step `at`. `last` describes a message once for all the
    /// nodes it was sent to (consecutive ids).
    fn msg_record(&self, id: u32, at: u32, last: &mut Option<(P::Msg, &'static str, String)>) -> MsgRecord {
        let m = &self.msgs[id as usize - 1];
        let msg = self.msg_of(m);
        let ended = m.end != 0 && m.end <= at;
        let (kind, label) = match last {
            Some((last, kind, label)) if last == msg => (*kind, label.clone()),
            _ => {
                let v = P::describe(msg);
                *last = Some((msg.clone(), v.kind, v.label.clone()));
                (v.kind, v.label)
            }
        };
        MsgRecord {
            id,
            from: m.from,
            to: m.to,
            kind,
            label,
            sent_step: m.sent,
            end_step: ended.then_some(m.end),
            fate: if ended { m.fate.name() } else { Fate::Pending.name() },
        }
    }

    /// Every message sent by step `at`, and what had become of it then.
    pub fn history(&self, at: usize) -> Vec<MsgRecord> {
        let mut last = None;
        (1..=self.history_len(at) as u32).map(|id| self.msg_record(id, at as u32, &mut last)).collect()
    }

    /// The records, as of step `to`, of the messages whose record differs between steps
    /// `from` and `to` (either may be the later): sent or ended between them, and sent by
    /// `to`. Each once, in no particular order. Costs what changed: the messages sent
    /// between the steps have consecutive ids, and `ended` lists the others step by step.
    pub fn history_changes(&self, from: usize, to: usize) -> Vec<MsgRecord> {
        let (lo, hi) = (from.min(to), from.max(to).min(self.len()));
        if lo >= hi {
            return Vec::new();
        }
        let sent = self.history_len(lo) as u32 + 1..=self.history_len(to) as u32;
        let ended_at = |k: usize| self.steps.get(k).map_or(self.ended.len(), |s| s.2 as usize);
        let mut last = None;
        let mut out: Vec<MsgRecord> = self.ended[ended_at(lo + 1)..ended_at(hi + 1)]
            .iter()
            .filter(|&&id| id < *sent.start() && self.msgs[id as usize - 1].sent <= to as u32)
            .map(|&id| self.msg_record(id, to as u32, &mut last))
            .collect();
        out.extend(sent.map(|id| self.msg_record(id, to as u32, &mut last)));
        out
    }

    /// Every crash by step `at`, with its restart if it came by then.
    pub fn outages(&self, at: usize) -> Vec<Outage> {
        let at = at as u32;
        self.outages
            .iter()
            .filter(|o| o.from_step <= at)
            .map(|o| Outage { to_step: o.to_step.filter(|&t| t <= at), ..*o })
            .collect()
    }

    /// The properties broken by step `at`, in the order they broke.
    pub fn violations(&self, at: usize) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(move |v| v.0 as usize <= at).map(|v| &v.1)
    }

    /// The step at which `(ballot, value)` became chosen in `slot`.
    pub fn chosen_step(&self, c: (SlotNo, Ballot, Value)) -> Option<u32> {
        self.chosen_at.iter().find(|(k, _)| *k == c).map(|&(_, s)| s)
    }

    fn chosen_words(&self, ghost: &Ghost, step: u32, slot: SlotNo, b: Ballot, v: Value) -> (String, u32) {
        let by: Vec<NodeId> = members(ghost.accepted_by(slot, b, v)).collect();
        let step = self.chosen_step((slot, b, v)).unwrap_or(step);
        (format!("{v} was chosen{} at step {step}: ballot {b} was accepted by a majority ({})", in_slot(slot), node_list(&by)), step)
    }

    /// A breach at `step`, in words, with the steps involved.
    fn explain(&self, b: Breach, ghost: &Ghost, step: u32) -> Violation {
        let p = b.property();
        let (explanation, raw_steps) = match b {
            Breach::AtMostOne { slot, first, second } => {
                let (a, s1) = self.chosen_words(ghost, step, slot, first.0, first.1);
                let (c, s2) = self.chosen_words(ghost, step, slot, second.0, second.1);
                (format!("{a}. Then {c}. Two different values are chosen, so the nodes no longer agree."), vec![s1, s2])
            }
            Breach::OnlyProposed { slot, ballot, value } => {
                let (a, s) = self.chosen_words(ghost, step, slot, ballot, value);
                (format!("{a}, but no client ever proposed {value}."), vec![s])
            }
            Breach::LearnedUnchosen { node, slot, value } => {
                let accepted: Vec<u32> = self.accepted_at.iter().filter(|(k, _)| k.0 == slot && k.2 == value).map(|&(_, s)| s).collect();
                let by: Vec<NodeId> = ghost.acceptances.iter().filter(|a| a.slot == slot && a.value == value).flat_map(|a| members(a.by)).collect();
                let mut steps = accepted;
                steps.push(step);
                (
                    format!(
                        "At step {step} node {node} learned {value}{}, but {value} was not chosen{}: no ballot carrying it was accepted by a majority of the acceptors (only {} accepted it). A learner needs a majority, because only a majority must overlap every other majority.",
                        in_slot(slot),
                        if slot == 0 { "" } else { " there" },
                        if by.is_empty() { "no acceptor".to_string() } else { node_list(&by) }
                    ),
                    steps,
                )
            }
            Breach::OutOfSequence { node, slot, prev, value, chosen } => {
                let why = if prev + 1 != slot {
                    if prev == 0 {
                        format!("it had applied nothing yet, so slot 1 comes first")
                    } else {
                        format!("the slot it applied before was {prev}, so slot {} comes first", prev + 1)
                    }
                } else {
                    match chosen {
                        Some(c) => format!("the value chosen in slot {slot} is {c}"),
                        None => format!("no value is chosen in slot {slot} yet"),
                    }
                };
                let steps: Vec<u32> = self.chosen_at.iter().filter(|(k, _)| k.0 == slot).map(|&(_, s)| s).chain([step]).collect();
                (
                    format!("At step {step} node {node} applied slot {slot} ({value}), but {why}. Replicas stay identical only if each applies the chosen values in slot order."),
                    steps,
                )
            }
            Breach::AppliedTwice { node, command, first, slot } => (
                format!(
                    "At step {step} node {node} applied command {} of client {} from slot {slot}, but it had already taken effect from slot {first}: a retried command must be applied at most once.",
                    command.seq, command.client
                ),
                vec![step],
            ),
            Breach::TwoLeaders { ballot, first, second } => (
                format!("At step {step} node {second} became the leader of ballot {ballot}, which node {first} already leads."),
                vec![step],
            ),
            Breach::Disagree { node, commit, other } => (
                format!(
                    "At step {step} node {node} decided {} although node {other} had decided {}: the nodes no longer agree on the transaction's outcome.",
                    if commit { "commit" } else { "abort" },
                    if commit { "abort" } else { "commit" }
                ),
                vec![step],
            ),
            Breach::CommitWithoutYes { node, missing } => {
                let who: Vec<NodeId> = members(missing).collect();
                (
                    format!("At step {step} node {node} decided commit, but {} had not voted yes: a transaction commits only if every participant is prepared to.", node_list(&who)),
                    vec![step],
                )
            }
            Breach::Revoked { node, commit } => (
                format!(
                    "At step {step} node {node} decided {} after it had decided {}: a decision, once made, is never revoked.",
                    if commit { "commit" } else { "abort" },
                    if commit { "abort" } else { "commit" }
                ),
                vec![step],
            ),
            Breach::AcceptBelowPromise { node, ballot, promised } => (
                format!("At step {step} node {node} accepted ballot {ballot} although it had promised {promised}: a promise means ignoring every lower ballot."),
                vec![step],
            ),
        };
        // The cause, when a broken variant broke a rule first: the steps where it did.
        let (mut explanation, mut raw_steps) = (explanation, raw_steps);
        let causes: Vec<&(u32, NodeId, Deviation)> = self.deviations.iter().filter(|d| d.0 <= step).take(3).collect();
        if !causes.is_empty() {
            let told: Vec<String> = causes.iter().map(|(s, n, d)| format!("at step {s} node {n} {}", d.words())).collect();
            explanation.push_str(&format!(" The cause, where the broken variant left Paxos: {}.", told.join("; ")));
            raw_steps.extend(causes.iter().map(|d| d.0));
        }
        // Sorted and without repeats. A handful of steps: inserting each in place keeps std's
        // sorting code (a few KB in the browser) out of the module.
        let mut steps: Vec<u32> = Vec::with_capacity(raw_steps.len());
        for s in raw_steps {
            if let Err(i) = steps.binary_search(&s) {
                steps.insert(i, s);
            }
        }
        let title = if b.slot() > 0 { p.title_for_log() } else { p.title() };
        Violation { property: p.name(), title, explanation, steps }
    }
}
