//! The deterministic world: nodes, the network, timers and a logical clock.
//!
//! The world owns every source of nondeterminism — the clock, one seeded [`Rng`], the order
//! of the messages in flight — and applies one [`Action`] at a time. An action either fails
//! with a [`SimError`] and changes nothing, or succeeds and writes what happened as
//! [`Event`]s (told in plain words by [`super::event::line`]). Replaying the same actions on a
//! world built from the same configuration gives the same states, natively and in wasm (see
//! [`World::state_hash`]).
//!
//! The world is only the state that decides the future: what happened before (messages sent
//! and their fates, outages, explanations) lives in the session's journal
//! ([`super::journal::Journal`]), built from the events, so a checkpoint (a clone of the world)
//! does not grow with the run's past.

use std::hash::{Hash, Hasher};

use super::error::SimError;
use super::event::{Envelope, Event, Unreceived};
use super::hash::StableHasher;
use super::network::Network;
use super::rng::Rng;
use crate::check::invariants::Ghost;
use serde::{Deserialize, Serialize};
use crate::paxos::Value;
use crate::protocol::{NodeId, Observation, Outbox, Protocol, TimerCmd};

/// The automatic policy used by [`Action::Step`]: rates in parts per million, latencies in ticks.
/// Read with every field optional (defaults: [`Policy::default`]) and unknown ones refused;
/// the ranges are checked by [`Policy::validate`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    pub loss_ppm: u32,
    pub dup_ppm: u32,
    pub delay_ppm: u32,
    pub min_latency: u64,
    pub max_latency: u64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy { loss_ppm: 0, dup_ppm: 0, delay_ppm: 0, min_latency: 10, max_latency: 30 }
    }
}

impl Policy {
    pub fn validate(&self) -> Result<(), SimError> {
        let bad = |m: String| Err(SimError::BadConfig(m));
        for (name, v) in [("loss_ppm", self.loss_ppm), ("dup_ppm", self.dup_ppm), ("delay_ppm", self.delay_ppm)] {
            if v > 1_000_000 {
                return bad(format!("policy.{name} is {v}; a rate is in parts per million, 0 to 1000000"));
            }
        }
        if self.loss_ppm as u64 + self.dup_ppm as u64 + self.delay_ppm as u64 > 1_000_000 {
            return bad("policy: loss, duplication and delay rates add up to more than 1000000 ppm".into());
        }
        if self.min_latency == 0 || self.min_latency > self.max_latency || self.max_latency > 1_000_000 {
            return bad(format!(
                "policy latency {}..{} is invalid: need 1 <= min_latency <= max_latency <= 1000000",
                self.min_latency, self.max_latency
            ));
        }
        Ok(())
    }
}

/// One choice, made by a person or by the automatic policy. Traces are lists of these,
/// written `"step"` or as an object with one field named after the action: `{"deliver":3}`,
/// `{"move-before":[3,4]}`, `{"propose":[1,"Green"]}`, `{"set-policy":{…}}` (serde's
/// externally tagged enum; `{"step":null}` reads as `"step"` too).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Deliver(u32),
    Drop(u32),
    Duplicate(u32),
    Hold(u32),
    Release(u32),
    MoveBefore(u32, u32),
    Crash(NodeId),
    Restart(NodeId),
    Propose(NodeId, Value),
    /// Fire the node's earliest timer now.
    Timeout(NodeId),
    /// Fire the node's timer of this name (`"retry"`, `"leader"`, `"heartbeat"`) now.
    Fire(NodeId, String),
    Cut(NodeId, NodeId),
    Heal(NodeId, NodeId),
    SetPolicy(Policy),
    /// The next event under the automatic policy.
    Step,
}

/// A message in flight.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Pending<M> {
    pub id: u32,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: M,
    pub sent_at: u64,
    /// When the automatic policy delivers it. The pending list is sorted by `due`.
    pub due: u64,
    pub held: bool,
    /// The step whose event sent it (0: the initial state).
    pub cause: u32,
}

/// An armed timer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Armed<T> {
    pub at: u64,
    pub node: NodeId,
    pub timer: T,
    /// When it was armed: for drawing its countdown. It does not decide the future, so the
    /// state hash leaves it out.
    pub since: u64,
}

/// What the derived `Hash` hashed before `since` existed (field by field, in order), so state
/// hashes, and every link and trace that records one, stay as they were.
impl<T: std::hash::Hash> std::hash::Hash for Armed<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.at.hash(h);
        self.node.hash(h);
        self.timer.hash(h);
    }
}

/// A node, up or crashed (keeping only its durable state).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Slot<P: Protocol> {
    Up(P),
    Down(P::Durable),
}

/// A property broken in this run, and the step that broke it (at most one per property).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Broken {
    pub property: &'static str,
    pub step: u32,
}

/// A broken property, in words a student can follow.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Violation {
    #[serde(deserialize_with = "crate::format::names::property")]
    pub property: crate::protocol::Name,
    #[serde(deserialize_with = "crate::format::names::title")]
    pub title: crate::protocol::Name,
    pub explanation: String,
    pub steps: Vec<u32>,
}

/// What became of a message: for the space-time diagram (not part of the state).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MsgRecord {
    pub id: u32,
    pub from: NodeId,
    pub to: NodeId,
    #[serde(deserialize_with = "crate::format::names::kind")]
    pub kind: crate::protocol::Name,
    pub label: String,
    pub sent_step: u32,
    pub end_step: Option<u32>,
    /// `pending`, `delivered`, `dropped` (by a person) or `lost` (by the network, a crash or a cut).
    #[serde(deserialize_with = "crate::format::names::fate")]
    pub fate: crate::protocol::Name,
}

/// A period in which a node was down: for the space-time diagram (not part of the state).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    pub node: NodeId,
    pub from_step: u32,
    /// The restart step; `None` while still down.
    pub to_step: Option<u32>,
}

/// The whole simulated world.
#[derive(Clone, Debug)]
pub struct World<P: Protocol> {
    pub cfg: P::Config,
    pub policy: Policy,
    pub time: u64,
    pub rng: Rng,
    pub slots: Vec<Slot<P>>,
    /// The messages in flight, in delivery order.
    pub pending: Network<P::Msg>,
    pub next_id: u32,
    /// Sorted by (at, node, timer).
    pub timers: Vec<Armed<P::Timer>>,
    /// Cut links, as sorted pairs (a < b).
    pub cut: Vec<(NodeId, NodeId)>,
    pub ghost: Ghost,
    pub step: u32,
    /// The properties broken so far (not part of the state hash; the explanations are in
    /// the journal).
    pub violations: Vec<Broken>,
    out: Outbox<P::Msg, P::Timer>,
}

/// The events a world writes.
pub type Events<P> = Vec<Event<<P as Protocol>::Msg, <P as Protocol>::Timer>>;

impl<P: Protocol> World<P> {
    /// A fresh world: every node initialised, nothing in flight.
    pub fn new(cfg: P::Config, seed: u64, policy: Policy) -> Result<World<P>, SimError> {
        Ok(World::start(cfg, seed, policy)?.0)
    }

    /// [`World::new`], with the events of the start (messages the nodes send as they start).
    pub fn start(cfg: P::Config, seed: u64, policy: Policy) -> Result<(World<P>, Events<P>), SimError> {
        policy.validate()?;
        let n = P::cluster_size(&cfg);
        if n == 0 || n > crate::protocol::MAX_NODES {
            return Err(SimError::BadConfig(format!("a cluster has 1 to {} nodes, not {n}", crate::protocol::MAX_NODES)));
        }
        let mut w = World {
            cfg,
            policy,
            time: 0,
            rng: Rng::new(seed),
            slots: Vec::with_capacity(n),
            pending: Network::default(),
            next_id: 1,
            timers: Vec::new(),
            cut: Vec::new(),
            ghost: Ghost::default(),
            step: 0,
            violations: Vec::new(),
            out: Outbox::default(),
        };
        let mut ev = Vec::new();
        for id in 1..=n as NodeId {
            let mut out = std::mem::take(&mut w.out);
            out.clear();
            let node = P::init(&w.cfg, id, &mut out);
            w.slots.push(Slot::Up(node));
            w.effects(id, &mut out, &mut ev);
            w.out = out;
        }
        Ok((w, ev))
    }

    pub fn cluster_size(&self) -> usize {
        self.slots.len()
    }

    /// A hash of everything that determines the future: equal hashes, equal worlds.
    pub fn state_hash(&self) -> u64 {
        let mut h = StableHasher::default();
        self.policy.hash(&mut h);
        self.time.hash(&mut h);
        self.rng.hash(&mut h);
        self.slots.hash(&mut h);
        self.pending.hash(&mut h);
        self.next_id.hash(&mut h);
        self.timers.hash(&mut h);
        self.cut.hash(&mut h);
        self.ghost.hash(&mut h);
        self.step.hash(&mut h);
        h.finish()
    }

    pub fn node(&self, id: NodeId) -> Option<&Slot<P>> {
        self.slots.get((id as usize).wrapping_sub(1))
    }

    pub fn is_up(&self, id: NodeId) -> bool {
        matches!(self.node(id), Some(Slot::Up(_)))
    }

    pub fn is_cut(&self, a: NodeId, b: NodeId) -> bool {
        self.cut.contains(&(a.min(b), a.max(b)))
    }

    fn check_node(&self, id: NodeId) -> Result<(), SimError> {
        if self.node(id).is_none() {
            return Err(SimError::UnknownNode { node: id, nodes: self.slots.len() });
        }
        Ok(())
    }

    /// Message `id`, in flight.
    fn in_flight(&self, id: u32) -> Result<&Pending<P::Msg>, SimError> {
        self.pending.find(id).ok_or(SimError::UnknownMessage(id))
    }

    /// Take message `id` (known to be in flight) out of the network.
    fn take(&mut self, id: u32) -> Pending<P::Msg> {
        self.pending.remove(id).expect("the message is in flight")
    }

    /// Roughly how many bytes a clone of this world takes (what a checkpoint costs): what
    /// grows with the state (messages in flight, with the network's index; the ghost's lists),
    /// but not what the nodes themselves keep on the heap, which only their protocol knows
    /// (the session adds it for Paxos nodes).
    pub fn footprint(&self) -> usize {
        use std::mem::size_of_val;
        let g = &self.ghost;
        std::mem::size_of::<Self>()
            + size_of_val(&self.slots[..])
            + self.pending.footprint()
            + size_of_val(&self.timers[..])
            + size_of_val(&self.cut[..])
            + size_of_val(&g.proposed[..])
            + size_of_val(&g.acceptances[..])
            + size_of_val(&g.chosen[..])
    }

    /// Apply one action and append what happened to `ev`, the step's first event saying what
    /// the step did. On error nothing has changed and nothing is appended.
    pub fn apply(&mut self, action: &Action, ev: &mut Events<P>) -> Result<(), SimError> {
        match *action {
            Action::Deliver(id) => {
                let &Pending { from, to, .. } = self.in_flight(id)?;
                if !self.is_up(to) {
                    return Err(SimError::NodeDown { node: to, what: "receive a message".into() });
                }
                if self.is_cut(from, to) {
                    return Err(SimError::LinkCut(from.min(to), from.max(to)));
                }
                self.step += 1;
                let p = self.take(id);
                ev.push(Event::Delivered(envelope(&p)));
                self.deliver(p, ev);
            }
            Action::Drop(id) => {
                self.in_flight(id)?;
                self.step += 1;
                let p = self.take(id);
                ev.push(Event::Dropped(into_envelope(p)));
            }
            Action::Duplicate(id) => {
                let mut copy = self.in_flight(id)?.clone();
                self.step += 1;
                copy.id = self.next_id;
                copy.held = false;
                self.next_id += 1;
                ev.push(Event::Duplicated { copy: envelope(&copy) });
                self.pending.insert_after(id, copy);
            }
            Action::Hold(id) => {
                let p = self.in_flight(id)?;
                if p.held {
                    return Err(SimError::Invalid(format!("message {id} is already held")));
                }
                let e = envelope(p);
                self.step += 1;
                self.pending.set_held(id, true);
                ev.push(Event::Held(e));
            }
            Action::Release(id) => {
                if !self.in_flight(id)?.held {
                    return Err(SimError::Invalid(format!("message {id} is not held")));
                }
                self.step += 1;
                let mut p = self.take(id);
                p.held = false;
                p.due = p.due.max(self.time);
                ev.push(Event::Released(envelope(&p)));
                self.insert_sorted(p);
            }
            Action::MoveBefore(id, other) => {
                self.in_flight(id)?;
                let before = self.in_flight(other)?;
                if id == other {
                    return Err(SimError::Invalid(format!("cannot move message {id} before itself")));
                }
                let (due, before) = (before.due, envelope(before));
                self.step += 1;
                let mut p = self.take(id);
                p.due = due;
                ev.push(Event::Moved { msg: envelope(&p), before: Box::new(before) });
                self.pending.insert_before(other, p);
            }
            Action::Crash(node) => {
                self.check_node(node)?;
                let Slot::Up(n) = &self.slots[node as usize - 1] else {
                    return Err(SimError::Invalid(format!("node {node} is already down")));
                };
                self.step += 1;
                let disk = n.durable();
                self.slots[node as usize - 1] = Slot::Down(disk);
                self.timers.retain(|t| t.node != node);
                ev.push(Event::Crashed(node));
            }
            Action::Restart(node) => {
                self.check_node(node)?;
                let Slot::Down(disk) = &self.slots[node as usize - 1] else {
                    return Err(SimError::Invalid(format!("node {node} is up; only a crashed node can restart")));
                };
                let disk = disk.clone();
                self.step += 1;
                ev.push(Event::Restarted(node));
                let mut out = self.take_out();
                let n = P::restart(&self.cfg, node, &disk, &mut out);
                self.slots[node as usize - 1] = Slot::Up(n);
                self.effects(node, &mut out, ev);
                self.out = out;
            }
            Action::Propose(node, value) => {
                self.check_node(node)?;
                let Slot::Up(n) = &self.slots[node as usize - 1] else {
                    return Err(SimError::NodeDown { node, what: "propose".into() });
                };
                if !n.can_propose() {
                    return Err(SimError::Invalid(format!("node {node} is not a proposer")));
                }
                if let Some(why) = n.refuses_proposal(&self.cfg) {
                    return Err(SimError::Invalid(format!("node {node} cannot take a proposal now: {why}")));
                }
                self.step += 1;
                ev.push(Event::Proposed { node, value });
                self.input(node, ev, |n, cfg, out| n.on_propose(cfg, value, out));
            }
            Action::Timeout(node) => {
                self.check_node(node)?;
                if !self.is_up(node) {
                    return Err(SimError::NodeDown { node, what: "time out".into() });
                }
                let Some(i) = self.timers.iter().position(|t| t.node == node) else {
                    return Err(SimError::Invalid(format!("node {node} has no timer running")));
                };
                self.step += 1;
                let t = self.timers.remove(i);
                self.fire(t, ev);
            }
            Action::Fire(node, ref name) => {
                self.check_node(node)?;
                if !self.is_up(node) {
                    return Err(SimError::NodeDown { node, what: "time out".into() });
                }
                let Some(i) = self.timers.iter().position(|t| t.node == node && P::timer_name(&t.timer) == name) else {
                    let armed: Vec<&str> = self.timers.iter().filter(|t| t.node == node).map(|t| P::timer_name(&t.timer)).collect();
                    return Err(SimError::Invalid(if armed.is_empty() {
                        format!("node {node} has no timer running")
                    } else {
                        format!("node {node} has no \"{name}\" timer running; running: {}", armed.join(", "))
                    }));
                };
                self.step += 1;
                let t = self.timers.remove(i);
                self.fire(t, ev);
            }
            Action::Cut(a, b) | Action::Heal(a, b) => {
                self.check_node(a)?;
                self.check_node(b)?;
                if a == b {
                    return Err(SimError::Invalid(format!("a link joins two different nodes, not node {a} to itself")));
                }
                let key = (a.min(b), a.max(b));
                let cutting = matches!(action, Action::Cut(..));
                match (cutting, self.cut.binary_search(&key)) {
                    (true, Ok(_)) => return Err(SimError::Invalid(format!("the link {}–{} is already cut", key.0, key.1))),
                    (false, Err(_)) => return Err(SimError::Invalid(format!("the link {}–{} is not cut", key.0, key.1))),
                    (true, Err(i)) => self.cut.insert(i, key),
                    (false, Ok(i)) => {
                        self.cut.remove(i);
                    }
                }
                self.step += 1;
                ev.push(if cutting { Event::Cut(key.0, key.1) } else { Event::Healed(key.0, key.1) });
            }
            Action::SetPolicy(policy) => {
                policy.validate()?;
                self.step += 1;
                self.policy = policy;
                ev.push(Event::PolicySet(policy));
            }
            Action::Step => self.auto_step(ev)?,
        }
        Ok(())
    }

    /// When the automatic policy's next event is due: the first message not held, or the
    /// earliest timer, whichever is sooner. `None` when nothing is left to do.
    pub fn next_event_time(&self) -> Option<u64> {
        let msg = self.pending.first_unheld().map(|p| p.due);
        let timer = self.timers.first().map(|t| t.at);
        match (msg, timer) {
            (Some(m), Some(t)) => Some(m.min(t)),
            (m, t) => m.or(t),
        }
    }

    /// The automatic policy: the earliest event, message or timer, happens next.
    fn auto_step(&mut self, ev: &mut Events<P>) -> Result<(), SimError> {
        let timer_at = self.timers.first().map(|t| t.at);
        // The first message not held, if no timer is due before it.
        let msg = self.pending.pop_first_unheld_if(|p| timer_at.map_or(true, |at| p.due <= at));
        match (msg, timer_at) {
            (Some(p), _) => {
                self.step += 1;
                self.time = self.time.max(p.due);
                let pol = self.policy;
                let roll = self.rng.below(1_000_000) as u32;
                if roll < pol.loss_ppm {
                    ev.push(Event::LostByNetwork(into_envelope(p)));
                } else if roll < pol.loss_ppm + pol.dup_ppm {
                    let mut copy = p.clone();
                    copy.id = self.next_id;
                    self.next_id += 1;
                    copy.due = self.time + self.latency();
                    ev.push(Event::DuplicatedByNetwork { msg: envelope(&p), copy: copy.id });
                    self.insert_sorted(copy);
                    self.deliver(p, ev);
                } else if roll < pol.loss_ppm + pol.dup_ppm + pol.delay_ppm {
                    let mut later = p;
                    later.due = self.time + self.latency();
                    ev.push(Event::Delayed { msg: envelope(&later), until: later.due });
                    self.insert_sorted(later);
                } else {
                    ev.push(Event::Delivered(envelope(&p)));
                    self.deliver(p, ev);
                }
                Ok(())
            }
            (_, Some(_)) => {
                self.step += 1;
                let t = self.timers.remove(0);
                self.time = self.time.max(t.at);
                self.fire(t, ev);
                Ok(())
            }
            (None, None) => Err(SimError::NothingToDo),
        }
    }

    fn latency(&mut self) -> u64 {
        self.rng.range(self.policy.min_latency, self.policy.max_latency)
    }

    /// Hand a message (already removed from the pending list) to its receiver.
    fn deliver(&mut self, p: Pending<P::Msg>, ev: &mut Events<P>) {
        if !self.is_up(p.to) {
            ev.push(Event::Unreceived { id: p.id, why: Unreceived::Down(p.to) });
            return;
        }
        if self.is_cut(p.from, p.to) {
            ev.push(Event::Unreceived { id: p.id, why: Unreceived::Cut });
            return;
        }
        self.input(p.to, ev, |n, cfg, out| n.on_message(cfg, p.from, p.msg, out));
    }

    fn fire(&mut self, t: Armed<P::Timer>, ev: &mut Events<P>) {
        ev.push(Event::TimerFired { node: t.node, timer: t.timer });
        self.input(t.node, ev, |n, cfg, out| n.on_timer(cfg, t.timer, out));
    }

    fn take_out(&mut self) -> Outbox<P::Msg, P::Timer> {
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        out
    }

    /// Run one input on an up node and carry out its effects.
    fn input(&mut self, id: NodeId, ev: &mut Events<P>, f: impl FnOnce(&mut P, &P::Config, &mut Outbox<P::Msg, P::Timer>)) {
        let mut out = self.take_out();
        let Slot::Up(node) = &mut self.slots[id as usize - 1] else { unreachable!("callers check the node is up") };
        // The persist-before-send contract, checked in debug builds only (a copy of the
        // durable state per input is not free: Multi-Paxos's is its whole accepted log).
        #[cfg(debug_assertions)]
        let before = node.durable();
        f(node, &self.cfg, &mut out);
        #[cfg(debug_assertions)]
        assert!(out.persisted || node.durable() == before, "durable state changed without being persisted");
        self.effects(id, &mut out, ev);
        self.out = out;
    }

    /// Persist (implicit: a crash keeps `durable()`), arm timers, record observations, send.
    fn effects(&mut self, id: NodeId, out: &mut Outbox<P::Msg, P::Timer>, ev: &mut Events<P>) {
        for cmd in out.timers.drain(..) {
            match cmd {
                TimerCmd::Set { timer, min, max } => {
                    self.timers.retain(|t| !(t.node == id && t.timer == timer));
                    let at = self.time + self.rng.range(min, max);
                    let armed = Armed { at, node: id, timer, since: self.time };
                    let i = self.timers.partition_point(|t| (t.at, t.node, t.timer) <= (at, id, timer));
                    self.timers.insert(i, armed);
                }
                TimerCmd::Cancel { timer } => self.timers.retain(|t| !(t.node == id && t.timer == timer)),
            }
        }
        for o in out.observations.drain(..) {
            self.observe(id, o, ev);
        }
        for (to, msg) in out.sends.drain(..) {
            let p = Pending { id: self.next_id, from: id, to, msg, sent_at: self.time, due: self.time + self.latency(), held: false, cause: self.step };
            self.next_id += 1;
            ev.push(Event::Sent(envelope(&p)));
            self.insert_sorted(p);
        }
    }

    fn insert_sorted(&mut self, p: Pending<P::Msg>) {
        self.pending.insert_sorted(p);
    }

    fn observe(&mut self, id: NodeId, o: Observation, ev: &mut Events<P>) {
        match o {
            Observation::Proposed(_) => {}
            Observation::Accepted { slot, ballot, value, .. } => ev.push(Event::Accepted { node: id, slot, ballot, value }),
            Observation::Learned { slot, value } => ev.push(Event::Learned { node: id, slot, value }),
            Observation::Applied { slot, value, effect, .. } => ev.push(Event::Applied { node: id, slot, value, effect }),
            Observation::Leader { ballot } => ev.push(Event::Leader { node: id, ballot }),
            Observation::Deviated(what) => ev.push(Event::Deviated { node: id, what }),
            Observation::Voted { yes } => ev.push(Event::Voted { node: id, yes }),
            Observation::Decided { commit, .. } => ev.push(Event::Decided { node: id, commit }),
        }
        let chosen_before = self.ghost.chosen.len();
        let breach = self.ghost.observe(id, &o, P::acceptors(&self.cfg));
        for c in &self.ghost.chosen[chosen_before..] {
            // A proposal becomes chosen once: the ghost lists it once.
            ev.push(Event::Chosen { slot: c.slot, ballot: c.ballot, value: c.value, by: self.ghost.accepted_by(c.slot, c.ballot, c.value) });
        }
        if let Some(b) = breach {
            let property = b.property().name();
            if !self.violations.iter().any(|v| v.property == property) {
                self.violations.push(Broken { property, step: self.step });
                ev.push(Event::Violation(b));
            }
        }
    }

}

fn envelope<M: Clone>(p: &Pending<M>) -> Envelope<M> {
    Envelope { id: p.id, from: p.from, to: p.to, msg: p.msg.clone() }
}

fn into_envelope<M>(p: Pending<M>) -> Envelope<M> {
    Envelope { id: p.id, from: p.from, to: p.to, msg: p.msg }
}
