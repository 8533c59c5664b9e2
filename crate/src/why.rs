//! "Why is this value safe?" (issue 15): for single-decree Paxos, the chain of events that
//! brought a value where it is now — who proposed it, which promise forced each higher ballot
//! to carry it, who accepted it, the majority that chose it — with the quorum overlaps that
//! keep it chosen, and, in a broken variant, the link where the chain is cut.
//!
//! A pure function of a [`Session`] at its current step: it reads the journal's events of
//! steps 0 ..= [`Session::step`] and nothing else. Message ids are the ids of the page's
//! message history (the ids of the envelopes that sent them).

use serde::Serialize;

use crate::paxos::{Ballot, Deviation, Msg, QuorumUse, Value};
use crate::protocol::{members, NodeId};
use crate::protocols::{AnyConfig, AnyMsg, ProtocolKind};
use crate::sim::event::{node_list, Event};
use crate::sim::Session;

/// What to explain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// The proposal acceptor `node` has accepted now.
    Accepted { node: NodeId },
    /// The value learner `node` learned.
    Learned { node: NodeId },
    /// The chosen value (the first one chosen).
    Chosen,
    /// A message of the history: a Promise reporting an accepted proposal, an Accept or an
    /// Accepted.
    Message { id: u32 },
}

/// The link kinds of a chain, in the order of the protocol.
pub const KINDS: [&str; 9] = ["proposed", "prepare", "promise", "adopted", "accept", "accepted", "chosen", "learned", "cut"];

/// One event of a chain.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Link {
    pub step: u32,
    /// The message record this link is about (its id in the page's history), if any.
    pub msg: Option<u32>,
    /// One of [`KINDS`].
    pub kind: &'static str,
    /// The node that acted (the proposer, the acceptor, the learner); none for a choice.
    pub node: Option<NodeId>,
    pub from: Option<NodeId>,
    /// `None` for a message sent to every acceptor.
    pub to: Option<NodeId>,
    pub ballot: Option<String>,
    /// The nodes involved as a group: the majority that chose (`chosen`), the acceptors a
    /// minority quorum acted on (`cut`); empty otherwise.
    pub by: Vec<NodeId>,
    pub text: String,
}

/// How a ballot's phase-1 quorum met the acceptors that had accepted the value.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Overlap {
    pub ballot: String,
    /// The acceptors whose promises the ballot's proposer received before its phase 2 (or,
    /// still in phase 1, so far).
    pub promised_by: Vec<NodeId>,
    /// Whether the ballot reached phase 2 (sent its Accept); false: still gathering promises.
    pub phase2: bool,
    /// The acceptors it is compared with: the majority that chose the value, or, for a
    /// ballot that adopted the value, those that had accepted it at the earlier ballot.
    pub accepted_by: Vec<NodeId>,
    pub intersection: Vec<NodeId>,
    /// Whether a promise from the intersection reported the value (Paxos needs it to).
    pub carried: bool,
    pub text: String,
}

/// Why a value is where it is.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Reason {
    pub value: String,
    pub ballot: String,
    pub summary: String,
    /// The events that brought the value there, in step order.
    pub chain: Vec<Link>,
    /// The acceptors whose acceptance chose the value; if it is not chosen, those that
    /// accepted it at its ballot.
    pub quorum: Vec<NodeId>,
    pub overlap: Vec<Overlap>,
    /// "Any majority of 3 acceptors includes at least one of nodes 2, 3: …"
    pub rule: String,
    /// In a broken variant: where the chain is cut, and what that let happen.
    pub cut: Option<Link>,
}

/// Explain `t` in `s` at its current step. Errors (never panics) for a target with no
/// value and for protocols other than single-decree Paxos.
pub fn why(s: &Session, t: Target) -> Result<Reason, String> {
    if s.config().protocol != ProtocolKind::Paxos {
        return Err(format!(
            "the \"why is this value safe?\" view is for single-decree Paxos; this run uses {}",
            s.config().protocol.title()
        ));
    }
    let AnyConfig::Paxos(cfg) = &s.world().cfg else {
        return Err("the \"why is this value safe?\" view is for single-decree Paxos".into());
    };
    let run = Run::read(s);
    let acceptors: Vec<NodeId> = members(cfg.acceptors).collect();
    let n = s.config().nodes as NodeId;
    let check_node = |node: NodeId| {
        if node == 0 || node > n {
            Err(format!("there is no node {node}: the cluster has nodes 1 to {n}"))
        } else {
            Ok(())
        }
    };
    // The value, its ballot, how far to look, and the chain's last links.
    let (b, v, limit, lead, mut tail): (Ballot, Value, u32, String, Vec<Link>) = match t {
        Target::Accepted { node } => {
            check_node(node)?;
            let acc = run.accepted_now(node).ok_or_else(|| match run.forgot(node) {
                Some(k) => format!("node {node} has accepted nothing now: it forgot what it had accepted when it restarted at step {k}"),
                None if !acceptors.contains(&node) => format!("node {node} is not an acceptor"),
                None => format!("node {node} has accepted nothing yet"),
            })?;
            (acc.ballot, acc.value, run.cursor, format!("Node {node} accepted {}: {} at step {}", acc.ballot, acc.value, acc.step), Vec::new())
        }
        Target::Learned { node } => {
            check_node(node)?;
            let l = run.learned.iter().rev().find(|l| l.node == node).ok_or_else(|| format!("node {node} has learned nothing yet"))?;
            let b = l.ballot.or_else(|| run.accepts.iter().filter(|a| a.value == l.value && a.step <= l.step).map(|a| a.ballot).max());
            let b = b.ok_or_else(|| format!("node {node} learned {} but no acceptor accepted it", l.value))?;
            (b, l.value, l.step, format!("Node {node} learned {} at step {}", l.value, l.step), vec![l.link()])
        }
        Target::Chosen => {
            let c = run.chosen.first().ok_or_else(|| "no value is chosen yet".to_string())?;
            (c.ballot, c.value, run.cursor, format!("{} is chosen: ballot {} was accepted by a majority ({}) at step {}", c.value, c.ballot, node_list(&c.by), c.step), Vec::new())
        }
        Target::Message { id } => {
            let m = run.sends.iter().find(|m| m.id == id).ok_or_else(|| format!("there is no message {id} at step {}", run.cursor))?;
            match m.msg {
                Msg::Promise { ballot, prior: Some((pb, pv)) } => {
                    let text = format!("Node {} promises {ballot} to node {}, reporting that it accepted {pb}: {pv}", m.from, m.to);
                    let link = Link { step: m.step, msg: Some(id), kind: "promise", node: Some(m.from), from: Some(m.from), to: Some(m.to), ballot: Some(ballot.to_string()), by: Vec::new(), text };
                    (pb, pv, m.step, format!("Message {id} (Promise {ballot} from node {}) carries {pb}: {pv}", m.from), vec![link])
                }
                Msg::Accept { ballot, value } => (ballot, value, m.step, format!("Message {id} (Accept {ballot} {value} from node {}) carries {value}", m.from), Vec::new()),
                Msg::Accepted { ballot, value } => (ballot, value, m.step, format!("Message {id} (Accepted {ballot} {value} from node {}) carries {value}", m.from), Vec::new()),
                Msg::Promise { ballot, prior: None } => {
                    return Err(format!("message {id} (Promise {ballot} from node {}) carries no value: node {} had accepted nothing", m.from, m.from))
                }
                other => return Err(format!("message {id} ({}) carries no value", other.view().label)),
            }
        }
    };
    let mut chain = Vec::new();
    let mut overlap = Vec::new();
    let mut path = Vec::new();
    run.ballot_chain(b, v, limit, &mut chain, &mut overlap, &mut path);
    if path.is_empty() {
        return Err(format!("no Accept {b} {v} was sent by step {limit}"));
    }
    chain.append(&mut tail);
    // Learners that learned it, for the chosen value.
    if t == Target::Chosen {
        chain.extend(run.learned.iter().filter(|l| l.value == v).map(Learn::link));
    }

    // The choice the value's safety rests on, if it was chosen by `limit` at a ballot of the chain.
    let choice = run.chosen.iter().find(|c| c.value == v && c.step <= limit && path.iter().any(|p| p.ballot == c.ballot));
    let quorum = match choice {
        Some(c) => c.by.clone(),
        None => run.accepts.iter().filter(|a| a.ballot == b && a.value == v && a.step <= limit).map(|a| a.node).collect(),
    };
    if let Some(c) = choice {
        overlap.extend(run.later_ballots(c, limit));
    }
    let rule = rule(&acceptors, &quorum, v, choice.is_some());

    let cut = run.cut(v, &path, limit);
    if let Some(c) = &cut {
        chain.push(c.clone());
    }
    chain.sort_by_key(|l| l.step);
    let mut dedup: Vec<Link> = Vec::with_capacity(chain.len());
    for l in chain {
        if !dedup.contains(&l) {
            dedup.push(l);
        }
    }

    // The summary: the origin, then each ballot that carried it forward.
    let origin = path.first().expect("checked above");
    let mut summary = format!("{lead}. ");
    match origin.proposed {
        Some(k) => summary.push_str(&format!("Node {} proposed {v} (a client's request at step {k}) with ballot {}", origin.ballot.node, origin.ballot)),
        None => summary.push_str(&format!("Node {} proposed {v} with ballot {}", origin.ballot.node, origin.ballot)),
    }
    for p in &path[1..] {
        if let Some((from, hb)) = p.adopted {
            summary.push_str(&format!("; node {from}'s promise reported {hb}: {v}, so ballot {} had to carry it", p.ballot));
        }
    }
    summary.push('.');
    if let Some(c) = &cut {
        summary.push_str(&format!(" Broken rule at step {}: the chain is cut there.", c.step));
    }
    Ok(Reason { value: v.to_string(), ballot: b.to_string(), summary, chain: dedup, quorum, overlap, rule, cut })
}

/// "Any majority of 3 acceptors includes at least one of nodes 2, 3: …"
fn rule(acceptors: &[NodeId], quorum: &[NodeId], v: Value, chosen: bool) -> String {
    let n = acceptors.len();
    let m = n / 2 + 1;
    let set = if quorum.is_empty() { "them".to_string() } else { node_list(quorum) };
    if quorum.len() + m > n {
        let then = if chosen {
            format!("every later ballot's phase 1 hears from one of them, whose promise reports {v}, so the ballot must carry {v}")
        } else {
            format!("once they form a majority, every later ballot's phase 1 will hear of {v}")
        };
        format!("Any majority of {n} acceptors includes at least one of {set}: {then}.")
    } else {
        let few = match quorum.len() {
            1 => "one acceptor is".to_string(),
            k => format!("{k} acceptors are"),
        };
        format!("A majority of {n} acceptors need not include {set}: {few} fewer than a majority ({m}), so a later ballot may never hear of {v}.")
    }
}

/// A message sent (or a copy made), at `step`.
#[derive(Clone, Copy, Debug)]
struct Sent {
    id: u32,
    step: u32,
    from: NodeId,
    to: NodeId,
    msg: Msg,
}

#[derive(Clone, Copy, Debug)]
struct Acceptance {
    step: u32,
    node: NodeId,
    ballot: Ballot,
    value: Value,
    /// The Accept message delivered in that step.
    msg: Option<Sent>,
}

#[derive(Clone, Debug)]
struct Choice {
    step: u32,
    ballot: Ballot,
    value: Value,
    by: Vec<NodeId>,
}

#[derive(Clone, Copy, Debug)]
struct Learn {
    step: u32,
    node: NodeId,
    value: Value,
    ballot: Option<Ballot>,
    /// The Accepted message that completed its majority.
    msg: Option<Sent>,
}

impl Learn {
    fn link(&self) -> Link {
        let from = self.msg.map(|m| m.from);
        let text = match (self.msg, self.ballot) {
            (Some(m), Some(b)) => format!("Node {} learns {}: node {}'s Accepted {b} completes a majority of acceptors that told it they accepted {b}", self.node, self.value, m.from),
            _ => format!("Node {} learns {}", self.node, self.value),
        };
        Link { step: self.step, msg: self.msg.map(|m| m.id), kind: "learned", node: Some(self.node), from, to: Some(self.node), ballot: self.ballot.map(|b| b.to_string()), by: Vec::new(), text }
    }
}

/// One ballot of a chain: where it came from.
#[derive(Clone, Copy, Debug)]
struct Hop {
    ballot: Ballot,
    /// The step of the client request for the value, when the ballot proposed its own value.
    proposed: Option<u32>,
    /// The acceptor whose promise reported the value and the ballot it reported.
    adopted: Option<(NodeId, Ballot)>,
}

/// A ballot's phase 1, as its proposer saw it when it sent its Accepts.
struct Phase1 {
    accept: Sent,
    prepare: Option<Sent>,
    /// The promises received, one per acceptor (the first), in order.
    promises: Vec<Sent>,
    /// Their receipt steps.
    received: Vec<u32>,
}

impl Phase1 {
    fn promised_by(&self) -> Vec<NodeId> {
        let mut v: Vec<NodeId> = self.promises.iter().map(|p| p.from).collect();
        v.sort_unstable();
        v
    }

    /// The promise reporting the highest-ballot accepted proposal.
    fn highest(&self) -> Option<(Sent, Ballot, Value)> {
        self.promises
            .iter()
            .filter_map(|p| match p.msg {
                Msg::Promise { prior: Some((b, v)), .. } => Some((*p, b, v)),
                _ => None,
            })
            .max_by_key(|x| x.1)
    }
}

/// The run's events up to the session's step, indexed.
struct Run {
    cursor: u32,
    sends: Vec<Sent>,
    /// Messages handed to their receiver's code, with the step.
    received: Vec<(u32, Sent)>,
    accepts: Vec<Acceptance>,
    chosen: Vec<Choice>,
    learned: Vec<Learn>,
    proposed: Vec<(u32, NodeId, Value)>,
    deviations: Vec<(u32, NodeId, Deviation)>,
}

fn paxos(m: &AnyMsg) -> Option<Msg> {
    match m {
        AnyMsg::Paxos(m) => Some(*m),
        _ => None,
    }
}

impl Run {
    fn read(s: &Session) -> Run {
        let mut r = Run {
            cursor: s.step() as u32,
            sends: Vec::new(),
            received: Vec::new(),
            accepts: Vec::new(),
            chosen: Vec::new(),
            learned: Vec::new(),
            proposed: Vec::new(),
            deviations: Vec::new(),
        };
        for k in 0..=s.step() {
            let step = k as u32;
            let events = s.events(k);
            // The message this step handed to its receiver, if it did.
            let lost = |id: u32| events.iter().any(|e| matches!(e, Event::Unreceived { id: x, .. } if *x == id));
            let mut delivered: Option<Sent> = None;
            for e in events {
                match e {
                    Event::Sent(m) | Event::Duplicated { copy: m } => {
                        if let Some(msg) = paxos(&m.msg) {
                            r.sends.push(Sent { id: m.id, step, from: m.from, to: m.to, msg });
                        }
                    }
                    Event::DuplicatedByNetwork { msg: m, copy } => {
                        if let Some(msg) = paxos(&m.msg) {
                            r.sends.push(Sent { id: *copy, step, from: m.from, to: m.to, msg });
                            let d = Sent { id: m.id, step, from: m.from, to: m.to, msg };
                            if !lost(m.id) {
                                delivered = Some(d);
                                r.received.push((step, d));
                            }
                        }
                    }
                    Event::Delivered(m) => {
                        if let Some(msg) = paxos(&m.msg) {
                            let d = Sent { id: m.id, step, from: m.from, to: m.to, msg };
                            if !lost(m.id) {
                                delivered = Some(d);
                                r.received.push((step, d));
                            }
                        }
                    }
                    Event::Accepted { node, ballot, value, .. } => {
                        let msg = delivered.filter(|d| matches!(d.msg, Msg::Accept { .. }));
                        r.accepts.push(Acceptance { step, node: *node, ballot: *ballot, value: *value, msg });
                    }
                    Event::Chosen { ballot, value, by, .. } => r.chosen.push(Choice { step, ballot: *ballot, value: *value, by: members(*by).collect() }),
                    Event::Learned { node, value, .. } => {
                        let msg = delivered.filter(|d| matches!(d.msg, Msg::Accepted { value: v, .. } if v == *value));
                        let ballot = msg.and_then(|m| m.msg.ballot());
                        r.learned.push(Learn { step, node: *node, value: *value, ballot, msg });
                    }
                    Event::Proposed { node, value } => r.proposed.push((step, *node, *value)),
                    Event::Deviated { node, what } => r.deviations.push((step, *node, *what)),
                    _ => {}
                }
            }
        }
        r
    }

    /// What `node` has accepted now: its last acceptance, unless it forgot it since.
    fn accepted_now(&self, node: NodeId) -> Option<Acceptance> {
        let a = self.accepts.iter().rev().find(|a| a.node == node)?;
        let forgot = self.forgot(node).is_some_and(|k| k >= a.step);
        (!forgot).then_some(*a)
    }

    /// The last step at which `node` restarted having forgotten an accepted proposal.
    fn forgot(&self, node: NodeId) -> Option<u32> {
        self.deviations.iter().rev().find(|d| d.1 == node && matches!(d.2, Deviation::ForgotAcceptorState { accepted: Some(_), .. })).map(|d| d.0)
    }

    /// Ballot `b`'s phase 1 when its proposer sent `Accept b v` (the first such, by `limit`).
    fn phase1(&self, b: Ballot, v: Value, limit: u32) -> Option<Phase1> {
        let p = b.node;
        let accept = *self.sends.iter().find(|m| m.step <= limit && m.from == p && matches!(m.msg, Msg::Accept { ballot, value } if ballot == b && value == v))?;
        // The last Prepare of `b` before it (its first copy, to the first acceptor).
        let is_prepare = |m: &&Sent| m.from == p && m.msg == Msg::Prepare { ballot: b };
        let last = self.sends.iter().rev().filter(|m| m.step <= accept.step).find(is_prepare).map(|m| m.step);
        let prepare = last.and_then(|k| self.sends.iter().filter(|m| m.step == k).find(is_prepare)).copied();
        let since = prepare.map_or(0, |m| m.step);
        let mut promises: Vec<Sent> = Vec::new();
        let mut received = Vec::new();
        for &(k, m) in &self.received {
            if k < since || k > accept.step || m.to != p || !matches!(m.msg, Msg::Promise { ballot, .. } if ballot == b) {
                continue;
            }
            // Before its own Prepare in the same step (a restart's), a promise is an old one.
            if prepare.is_some_and(|pr| k == pr.step && m.id < pr.id) {
                continue;
            }
            if !promises.iter().any(|q| q.from == m.from) {
                promises.push(m);
                received.push(k);
            }
        }
        Some(Phase1 { accept, prepare, promises, received })
    }

    /// The links of ballot `b` carrying `v` (and, first, of the ballots it took `v` from),
    /// looking no further than step `limit`.
    fn ballot_chain(&self, b: Ballot, v: Value, limit: u32, out: &mut Vec<Link>, overlap: &mut Vec<Overlap>, path: &mut Vec<Hop>) {
        let Some(ph) = self.phase1(b, v, limit) else { return };
        let p = b.node;
        let k_a = ph.accept.step;
        let own = self.proposed.iter().rev().find(|x| x.1 == p && x.0 <= k_a).map(|x| x.2);
        let ignored = self.deviations.iter().any(|d| d.0 == k_a && d.1 == p && matches!(d.2, Deviation::IgnoredPrior { ballot, .. } if ballot == b));
        let highest = ph.highest();
        let mut hop = Hop { ballot: b, proposed: None, adopted: None };
        // Told after the promises.
        let mut adopted = None;
        match highest {
            Some((promise, hb, hv)) if hv == v && !ignored && hb < b => {
                // The value came from an earlier ballot: explain that one first.
                self.ballot_chain(hb, v, k_a.saturating_sub(1), out, overlap, path);
                hop.adopted = Some((promise.from, hb));
                let instead = match own {
                    Some(o) if o != v => format!(", not its own {o}"),
                    _ => String::new(),
                };
                adopted = Some(Link {
                    step: k_a,
                    msg: Some(promise.id),
                    kind: "adopted",
                    node: Some(p),
                    from: Some(promise.from),
                    to: Some(p),
                    ballot: Some(b.to_string()),
                    by: Vec::new(),
                    text: format!("Node {}'s promise for {b} carried {hb}: {v}, the highest-ballot proposal any promise reported, so node {p} had to propose {v}{instead}", promise.from),
                });
                let before: Vec<NodeId> = {
                    let mut a: Vec<NodeId> = self.accepts.iter().filter(|a| a.ballot == hb && a.value == v && a.step < k_a).map(|a| a.node).collect();
                    a.sort_unstable();
                    a.dedup();
                    a
                };
                let promised_by = ph.promised_by();
                let inter: Vec<NodeId> = promised_by.iter().copied().filter(|x| before.contains(x)).collect();
                overlap.push(Overlap {
                    text: format!(
                        "Ballot {b}'s promises came from {}; {} had accepted {hb}: {v}; {} in both, and node {}'s promise carried {v} into ballot {b}.",
                        node_list(&promised_by),
                        node_list(&before),
                        node_list(&inter),
                        promise.from
                    ),
                    ballot: b.to_string(),
                    phase2: true,
                    promised_by,
                    accepted_by: before,
                    intersection: inter,
                    carried: true,
                });
            }
            _ => {
                let at = self.proposed.iter().rev().find(|x| x.1 == p && x.2 == v && x.0 <= k_a);
                if let Some(&(k, _, _)) = at {
                    hop.proposed = Some(k);
                    out.push(Link {
                        step: k,
                        msg: None,
                        kind: "proposed",
                        node: Some(p),
                        from: None,
                        to: Some(p),
                        ballot: None,
                        by: Vec::new(),
                        text: format!("A client asks node {p} to propose {v}"),
                    });
                }
            }
        }
        path.push(hop);
        if let Some(pr) = ph.prepare {
            out.push(Link {
                step: pr.step,
                msg: Some(pr.id),
                kind: "prepare",
                node: Some(p),
                from: Some(p),
                to: None,
                ballot: Some(b.to_string()),
                by: Vec::new(),
                text: format!("Node {p} sends Prepare {b}: phase 1, asking the acceptors to promise {b} and report what they accepted"),
            });
        }
        for (m, &k) in ph.promises.iter().zip(&ph.received) {
            let what = match m.msg {
                Msg::Promise { prior: Some((pb, pv)), .. } => format!("reporting that it accepted {pb}: {pv}"),
                _ => "having accepted nothing".to_string(),
            };
            out.push(Link {
                step: k,
                msg: Some(m.id),
                kind: "promise",
                node: Some(m.from),
                from: Some(m.from),
                to: Some(p),
                ballot: Some(b.to_string()),
                by: Vec::new(),
                text: format!("Node {p} receives node {}'s promise for {b}, {what}", m.from),
            });
        }
        out.extend(adopted);
        let why = if hop.adopted.is_some() {
            String::new()
        } else if ignored {
            " (ignoring the proposal a promise reported)".to_string()
        } else {
            format!(" ({}: no promise reported an accepted proposal, so it may propose its own value)", node_list(&ph.promised_by()))
        };
        out.push(Link {
            step: k_a,
            msg: Some(ph.accept.id),
            kind: "accept",
            node: Some(p),
            from: Some(p),
            to: None,
            ballot: Some(b.to_string()),
            by: Vec::new(),
            text: format!("Node {p} sends Accept {b} {v}{why}"),
        });
        for a in self.accepts.iter().filter(|a| a.ballot == b && a.value == v && a.step <= limit) {
            out.push(Link {
                step: a.step,
                msg: a.msg.map(|m| m.id),
                kind: "accepted",
                node: Some(a.node),
                from: a.msg.map(|m| m.from),
                to: Some(a.node),
                ballot: Some(b.to_string()),
                by: Vec::new(),
                text: format!("Node {} accepts {b}: {v}", a.node),
            });
        }
        for c in self.chosen.iter().filter(|c| c.ballot == b && c.value == v && c.step <= limit) {
            out.push(Link {
                step: c.step,
                msg: None,
                kind: "chosen",
                node: None,
                from: None,
                to: None,
                ballot: Some(b.to_string()),
                by: c.by.clone(),
                text: format!("{v} is chosen: a majority ({}) accepted ballot {b}", node_list(&c.by)),
            });
        }
    }

    /// For each ballot above the choice's that went to phase 2 by `limit`: how its phase-1
    /// quorum met the choosing majority.
    fn later_ballots(&self, c: &Choice, limit: u32) -> Vec<Overlap> {
        let mut seen: Vec<Ballot> = Vec::new();
        let mut out = Vec::new();
        for m in &self.sends {
            let Msg::Accept { ballot, value } = m.msg else { continue };
            if m.step > limit || ballot <= c.ballot || seen.contains(&ballot) {
                continue;
            }
            seen.push(ballot);
            let Some(ph) = self.phase1(ballot, value, limit) else { continue };
            let promised_by = ph.promised_by();
            let inter: Vec<NodeId> = promised_by.iter().copied().filter(|x| c.by.contains(x)).collect();
            let carrier = ph.promises.iter().find(|p| inter.contains(&p.from) && matches!(p.msg, Msg::Promise { prior: Some((_, pv)), .. } if pv == c.value));
            let v = c.value;
            let head = format!("Ballot {ballot}'s promises came from {}", node_list(&promised_by));
            let text = match (inter.is_empty(), carrier) {
                (true, _) => format!("{head}: none of them is in the majority that chose {v} ({}). The two quorums do not overlap, so ballot {ballot} could not hear of {v}.", node_list(&c.by)),
                (false, Some(p)) if value == v => format!("{head}; {} also in the majority that chose {v}, and node {}'s promise reported {v}, so ballot {ballot} carries {v} too.", node_list(&inter), p.from),
                (false, Some(p)) => format!("{head}; {} also in the majority that chose {v}, and node {}'s promise reported {v}, yet node {} proposed {value}: the rule to adopt the reported value was broken.", node_list(&inter), p.from, ballot.node),
                (false, None) => format!("{head}; {} also in the majority that chose {v}, but no promise from {} reported {v}: ballot {ballot} was free to propose {value}.", node_list(&inter), if inter.len() == 1 { "it" } else { "them" }),
            };
            out.push(Overlap { ballot: ballot.to_string(), promised_by, phase2: true, accepted_by: c.by.clone(), intersection: inter, carried: carrier.is_some(), text });
        }
        // Higher ballots still in phase 1 (no Accept yet): the promises their proposers have
        // received so far, since each one's last Prepare.
        for m in &self.sends {
            let Msg::Prepare { ballot } = m.msg else { continue };
            if m.step > limit || ballot <= c.ballot || seen.contains(&ballot) {
                continue;
            }
            seen.push(ballot);
            let p = ballot.node;
            let since = self.sends.iter().rev().find(|x| x.step <= limit && x.from == p && x.msg == Msg::Prepare { ballot }).map_or(0, |x| x.step);
            let mut promises: Vec<Sent> = Vec::new();
            for &(k, r) in &self.received {
                if k >= since && k <= limit && r.to == p && matches!(r.msg, Msg::Promise { ballot: b, .. } if b == ballot) && !promises.iter().any(|q| q.from == r.from) {
                    promises.push(r);
                }
            }
            if promises.is_empty() {
                continue;
            }
            let mut promised_by: Vec<NodeId> = promises.iter().map(|q| q.from).collect();
            promised_by.sort_unstable();
            let inter: Vec<NodeId> = promised_by.iter().copied().filter(|x| c.by.contains(x)).collect();
            let carrier = promises.iter().find(|q| inter.contains(&q.from) && matches!(q.msg, Msg::Promise { prior: Some((_, pv)), .. } if pv == c.value));
            let v = c.value;
            let head = format!("Ballot {ballot} is still in phase 1, with promises from {} so far", node_list(&promised_by));
            let text = match carrier {
                Some(q) => format!("{head}; node {}'s promise reported {v}, so whatever else arrives, node {p} must propose {v}.", q.from),
                None => format!("{head}; any majority it gathers includes one of {} (who chose {v}), and that promise will report {v}.", node_list(&c.by)),
            };
            out.push(Overlap { ballot: ballot.to_string(), promised_by, phase2: false, accepted_by: c.by.clone(), intersection: inter, carried: carrier.is_some(), text });
        }
        out
    }

    /// Where a broken variant cut the chain of `v` (ballots `path`) by step `limit`: the
    /// first deviation about `v` or the chain's ballots, else the first deviation.
    fn cut(&self, v: Value, path: &[Hop], limit: u32) -> Option<Link> {
        let devs: Vec<&(u32, NodeId, Deviation)> = self.deviations.iter().filter(|d| d.0 <= limit).collect();
        let in_chain = |b: Ballot| path.iter().any(|h| h.ballot == b);
        let about = |d: &Deviation, node: NodeId, step: u32| match *d {
            Deviation::IgnoredPrior { ballot, prior, own } => prior.1 == v || own == v || in_chain(ballot),
            Deviation::ForgotAcceptorState { accepted, .. } => accepted.is_some_and(|a| a.1 == v),
            Deviation::Minority { ballot, .. } => in_chain(ballot),
            Deviation::AcceptedBelow { ballot, .. } => self.accepts.iter().any(|a| a.step == step && a.node == node && a.ballot == ballot && a.value == v),
            Deviation::ForgotRound { .. } => true,
            _ => false,
        };
        let d = devs.iter().find(|d| about(&d.2, d.1, d.0)).or(devs.first())?;
        Some(self.cut_link(d.0, d.1, d.2, limit))
    }

    fn cut_link(&self, step: u32, node: NodeId, d: Deviation, limit: u32) -> Link {
        let mut l = Link { step, msg: None, kind: "cut", node: Some(node), from: None, to: None, ballot: None, by: Vec::new(), text: String::new() };
        let rule = d.rule();
        match d {
            Deviation::IgnoredPrior { ballot, prior: (pb, pv), own } => {
                let promise = self.received.iter().find(|(k, m)| *k <= step && m.to == node && m.msg == Msg::Promise { ballot, prior: Some((pb, pv)) });
                let who = promise.map_or("a".to_string(), |(_, m)| if m.from == node { "its own acceptor's".to_string() } else { format!("node {}'s", m.from) });
                if let Some((_, m)) = promise {
                    l.msg = Some(m.id);
                    l.from = Some(m.from);
                }
                l.to = Some(node);
                l.ballot = Some(ballot.to_string());
                l.text = format!(
                    "Node {node} ignored {who} promise carrying {pb}: {pv} and proposed its own {own} with ballot {ballot}: the chain that keeps {pv} is cut here, and {own} can be chosen beside it. {rule}"
                );
            }
            Deviation::ForgotAcceptorState { accepted, .. } => {
                let promise = self.sends.iter().find(|m| m.step >= step && m.step <= limit && m.from == node && matches!(m.msg, Msg::Promise { .. }));
                let lost = accepted.map_or("what it had promised".to_string(), |(b, v)| format!("that it accepted {b}: {v}"));
                let then = match promise {
                    Some(m) => {
                        // The chain breaks where the promise leaves the proposal out.
                        l.step = m.step;
                        l.msg = Some(m.id);
                        l.to = Some(m.to);
                        l.ballot = m.msg.ballot().map(|b| b.to_string());
                        let v = accepted.map_or(String::new(), |(_, v)| format!(", so node {} never heard of {v} and was free to propose another value", m.to));
                        format!(" At step {} it promised {} to node {} without reporting it{v}.", m.step, m.msg.ballot().map_or(String::new(), |b| b.to_string()), m.to)
                    }
                    None => " Its next promise will not report it.".to_string(),
                };
                l.text = format!("Node {node} restarted at step {step} with an empty disk: it forgot {lost}.{then} The chain is cut here. {rule}");
            }
            Deviation::Minority { step: what, ballot, count, of } => {
                l.ballot = Some(ballot.to_string());
                let on: Vec<NodeId> = match what {
                    QuorumUse::Promises => {
                        let mut v: Vec<NodeId> = self.received.iter().filter(|(k, m)| *k <= step && m.to == node && matches!(m.msg, Msg::Promise { ballot: b, .. } if b == ballot)).map(|(_, m)| m.from).collect();
                        v.sort_unstable();
                        v.dedup();
                        v
                    }
                    _ => {
                        let mut v: Vec<NodeId> = self.received.iter().filter(|(k, m)| *k <= step && m.to == node && matches!(m.msg, Msg::Accepted { ballot: b, .. } if b == ballot)).map(|(_, m)| m.from).collect();
                        v.sort_unstable();
                        v.dedup();
                        v
                    }
                };
                if let Some((_, m)) = self.received.iter().find(|(k, _)| *k == step) {
                    l.msg = Some(m.id);
                    l.from = Some(m.from);
                    l.to = Some(m.to);
                }
                let did = match what {
                    QuorumUse::Promises => format!("went to phase 2 of ballot {ballot}"),
                    QuorumUse::Accepts => format!("took its ballot {ballot} as chosen"),
                    QuorumUse::Learned => format!("learned the value of ballot {ballot}"),
                };
                let from = if on.is_empty() { String::new() } else { format!(" ({})", node_list(&on)) };
                l.text = format!(
                    "Node {node} {did} on {count} of {of} acceptors{from}, fewer than a majority: a quorum this small need not overlap any other, so no later ballot is sure to hear of it. The chain is cut here. {rule}"
                );
                l.by = on;
            }
            Deviation::AcceptedBelow { ballot, promised } => {
                if let Some((_, m)) = self.received.iter().find(|(k, m)| *k == step && m.to == node && matches!(m.msg, Msg::Accept { .. })) {
                    l.msg = Some(m.id);
                    l.from = Some(m.from);
                }
                l.to = Some(node);
                l.ballot = Some(ballot.to_string());
                let value = self.accepts.iter().find(|a| a.step == step && a.node == node).map_or(String::new(), |a| format!(": {}", a.value));
                l.text = format!(
                    "Node {node} accepted {ballot}{value} although it had promised {promised}: its promise told ballot {promised} that it had accepted nothing, and it stays silent about this acceptance, so ballot {promised} cannot hear of it. The chain is cut here. {rule}"
                );
            }
            Deviation::ForgotRound { max_round } => {
                let reuse = self.sends.iter().find(|m| m.step >= step && m.step <= limit && m.from == node && matches!(m.msg, Msg::Prepare { ballot } if ballot.round <= max_round));
                let then = match reuse {
                    Some(m) => {
                        l.msg = Some(m.id);
                        l.step = m.step;
                        let b = m.msg.ballot().expect("a Prepare has a ballot");
                        l.ballot = Some(b.to_string());
                        format!(
                            " At step {} it sent Prepare {b} again, a ballot it had already used: acceptances of {b} no longer tell one value apart from the other, so two values can be chosen with the same ballot.",
                            m.step
                        )
                    }
                    None => String::new(),
                };
                l.text = format!("Node {node} restarted at step {step} without its highest round ({max_round}).{then} The chain is cut here. {rule}");
            }
            other => {
                l.text = format!("Node {node} {}. {rule}", other.words());
            }
        }
        l
    }
}
