//! A run of single-decree Paxos as a behaviour of Lamport's `Paxos.tla`, in the Informal Trace
//! Format (ITF) that Apalache and Quint read and write
//! (<https://apalache-mc.org/docs/adr/015adr-trace.html>).
//!
//! Every state of the run (the start, then one per step) becomes an ITF state over the spec's
//! four variables, named as the spec names them:
//! - `maxBal[a]`: the highest ballot acceptor `a` has promised or accepted (-1: none);
//! - `maxVBal[a]`, `maxVal[a]`: the ballot and value it accepted last (-1 and `"None"`: none);
//! - `msgs`: every Paxos message sent so far, as the spec's records, a set that only grows (the
//!   spec never removes a message: a lost or duplicated one is one that is never, or twice,
//!   received). Prepare is `[type |-> "1a", bal]`, Promise `[type |-> "1b", acc, bal, mbal,
//!   mval]`, Accept `[type |-> "2a", bal, val]`, Accepted `[type |-> "2b", acc, bal, val]`.
//!   Nacks and heartbeats are not in the spec and are left out.
//!
//! Acceptors are the strings `"n1"`, `"n2"`, … (only the nodes with the acceptor role), values
//! their names (`"Green"`), the spec's `None` the string `"None"`, and ballot `r.n` (round `r`
//! of node `n`) the number `10r + n`: 42.1 is 421. Nodes are numbered 1 to 9, so this orders
//! ballots as Paxoscope does. Integers are written as `{"#bigint": "421"}`, sets as
//! `{"#set": [...]}`, functions as `{"#map": [[key, value], ...]}`, records as objects.
//!
//! A correct run is then a behaviour of the spec: every step is a `Next` step (one of Phase1a,
//! Phase1b, Phase2a, Phase2b) or leaves the four variables as they were (a stutter: a delivery
//! to a proposer without a quorum yet, a learner learning, a crash, a timer). A broken variant's
//! run is not, and TLC says at which step. The README shows how to check one with TLC.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::paxos::{Ballot, Msg, Value};
use crate::protocol::{bit, NodeId};
use crate::protocols::{AnyDurable, AnyMsg, AnyNode, ProtocolKind};
use crate::sim::event::Event;
use crate::sim::world::Slot;
use crate::sim::Session;

/// A TLA+ integer, written as ITF's `{"#bigint": "…"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Int(pub i64);

impl Serialize for Int {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("#bigint", &self.0.to_string())?;
        m.end()
    }
}

/// A TLA+ set, written as `{"#set": [...]}` (sorted, without repeats).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Set<T> {
    #[serde(rename = "#set")]
    pub items: Vec<T>,
}

/// A TLA+ function, written as `{"#map": [[key, value], ...]}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Map<K, V> {
    #[serde(rename = "#map")]
    pub entries: Vec<(K, V)>,
}

/// One of the spec's message records. The fields a message type lacks are left out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Record {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acc: Option<String>,
    pub bal: Int,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mbal: Option<Int>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub val: Option<String>,
}

/// One state of the behaviour.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct State {
    #[serde(rename = "#meta")]
    pub meta: StateMeta,
    #[serde(rename = "maxBal")]
    pub max_bal: Map<String, Int>,
    #[serde(rename = "maxVBal")]
    pub max_vbal: Map<String, Int>,
    #[serde(rename = "maxVal")]
    pub max_val: Map<String, String>,
    pub msgs: Set<Record>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StateMeta {
    pub index: usize,
    /// The step that led here, in Paxoscope's words (absent for the start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Meta {
    pub format: &'static str,
    #[serde(rename = "format-description")]
    pub format_description: &'static str,
    pub source: &'static str,
    pub description: String,
}

/// A whole behaviour.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Trace {
    #[serde(rename = "#meta")]
    pub meta: Meta,
    pub vars: [&'static str; 4],
    pub states: Vec<State>,
}

/// The spec's name for `None`.
pub const NONE: &str = "None";

/// Ballot `r.n` as the number `10r + n`.
pub fn ballot(b: Ballot) -> Int {
    Int(b.round as i64 * 10 + b.node as i64)
}

/// Node `id` as an acceptor of the spec.
pub fn acceptor(id: NodeId) -> String {
    format!("n{id}")
}

fn value(v: Value) -> String {
    v.as_str().to_string()
}

/// The spec's record for a message sent by `from`, if the spec has one.
pub fn record(from: NodeId, msg: &Msg) -> Option<Record> {
    let blank = Record { kind: "", acc: None, bal: Int(0), mbal: None, mval: None, val: None };
    Some(match *msg {
        Msg::Prepare { ballot: b } => Record { kind: "1a", bal: ballot(b), ..blank },
        Msg::Promise { ballot: b, prior } => Record {
            kind: "1b",
            acc: Some(acceptor(from)),
            bal: ballot(b),
            mbal: Some(prior.map_or(Int(-1), |p| ballot(p.0))),
            mval: Some(prior.map_or(NONE.to_string(), |p| value(p.1))),
            ..blank
        },
        Msg::Accept { ballot: b, value: v } => Record { kind: "2a", bal: ballot(b), val: Some(value(v)), ..blank },
        Msg::Accepted { ballot: b, value: v } => Record { kind: "2b", acc: Some(acceptor(from)), bal: ballot(b), val: Some(value(v)), ..blank },
        Msg::Nack { .. } | Msg::Heartbeat => return None,
    })
}

/// The acceptor state of node `id` of a single-decree Paxos world: (promised, accepted).
fn acceptor_state(slot: &Slot<AnyNode>) -> Option<(Option<Ballot>, Option<(Ballot, Value)>)> {
    match slot {
        Slot::Up(n) => n.as_paxos().map(|n| (n.promised, n.accepted)),
        Slot::Down(AnyDurable::Paxos(d)) => Some((d.promised, d.accepted)),
        Slot::Down(_) => None,
    }
}

/// The run of `session` (its steps up to the current one) as a behaviour of `Paxos.tla`.
/// Only single-decree Paxos has that spec: any other protocol is refused.
pub fn trace(session: &Session) -> Result<Trace, String> {
    let cfg = session.config();
    if cfg.protocol != ProtocolKind::Paxos {
        return Err(format!(
            "an ITF trace names the state as Lamport's Paxos.tla does, which specifies single-decree Paxos; this run is {}",
            cfg.protocol.title()
        ));
    }
    let roles = cfg.roles().map_err(|e| e.to_string())?;
    let acceptors: Vec<NodeId> = (1..=roles.nodes as NodeId).filter(|&id| roles.acceptors & bit(id) != 0).collect();
    let mut s = session.clone();
    let upto = session.step();
    let mut msgs: Vec<Record> = Vec::new();
    let mut states = Vec::with_capacity(upto + 1);
    for step in 0..=upto {
        s.seek(step).map_err(|e| e.to_string())?;
        for e in s.events(step) {
            if let Event::Sent(env) = e {
                if let AnyMsg::Paxos(m) = &env.msg {
                    if let Some(r) = record(env.from, m) {
                        if let Err(i) = msgs.binary_search(&r) {
                            msgs.insert(i, r);
                        }
                    }
                }
            }
        }
        let w = s.world();
        let mut max_bal = Vec::new();
        let mut max_vbal = Vec::new();
        let mut max_val = Vec::new();
        for &a in &acceptors {
            let (promised, accepted) = w.node(a).and_then(acceptor_state).unwrap_or((None, None));
            let top = promised.max(accepted.map(|x| x.0));
            max_bal.push((acceptor(a), top.map_or(Int(-1), ballot)));
            max_vbal.push((acceptor(a), accepted.map_or(Int(-1), |x| ballot(x.0))));
            max_val.push((acceptor(a), accepted.map_or(NONE.to_string(), |x| value(x.1))));
        }
        let line = (step > 0).then(|| s.line(step).map(|l| l.text)).flatten();
        states.push(State {
            meta: StateMeta { index: step, step: line },
            max_bal: Map { entries: max_bal },
            max_vbal: Map { entries: max_vbal },
            max_val: Map { entries: max_val },
            msgs: Set { items: msgs.clone() },
        });
    }
    let what = match session.scenario() {
        Some(name) => format!("the story {name}"),
        None => format!("a run of {} nodes", cfg.nodes),
    };
    Ok(Trace {
        meta: Meta {
            format: "ITF",
            format_description: "https://apalache-mc.org/docs/adr/015adr-trace.html",
            source: "Paxos.tla",
            description: format!("Paxoscope: {what}, {upto} steps, as a behaviour of Lamport's Paxos.tla (ballot r.n is 10r+n)"),
        },
        vars: ["maxBal", "maxVBal", "maxVal", "msgs"],
        states,
    })
}

/// Whether `trace` is a behaviour of `Paxos.tla` with `Quorum` the majorities of the trace's
/// acceptors: its first state is `Init` and every step a `Next` step or a stutter. This is the
/// spec's own definition of each action (Phase1a, Phase1b, Phase2a, Phase2b), applied to the
/// states as written; a failure names the first step that is not one and why.
pub fn conforms(trace: &Trace) -> Result<(), (usize, String)> {
    let Some(first) = trace.states.first() else { return Err((0, "the trace has no states".into())) };
    let init = first.max_bal.entries.iter().all(|e| e.1 == Int(-1))
        && first.max_vbal.entries.iter().all(|e| e.1 == Int(-1))
        && first.max_val.entries.iter().all(|e| e.1 == NONE)
        && first.msgs.items.is_empty();
    if !init {
        return Err((0, "the first state is not Init: every acceptor starts at -1, -1, None and no message has been sent".into()));
    }
    for (i, w) in trace.states.windows(2).enumerate() {
        if let Some(why) = not_a_step(&w[0], &w[1]) {
            return Err((i + 1, why));
        }
    }
    Ok(())
}

fn get<'a, V>(m: &'a Map<String, V>, a: &str) -> &'a V {
    &m.entries.iter().find(|e| e.0 == a).expect("every acceptor is in every map").1
}

fn same_acceptors(s: &State, t: &State, except: Option<&str>) -> Option<String> {
    for (k, _) in &s.max_bal.entries {
        if Some(k.as_str()) == except {
            continue;
        }
        if get(&s.max_bal, k) != get(&t.max_bal, k) || get(&s.max_vbal, k) != get(&t.max_vbal, k) || get(&s.max_val, k) != get(&t.max_val, k) {
            return Some(format!("acceptor {k}'s state changed too ({}, {}, {} to {}, {}, {})", get(&s.max_bal, k).0, get(&s.max_vbal, k).0, get(&s.max_val, k), get(&t.max_bal, k).0, get(&t.max_vbal, k).0, get(&t.max_val, k)));
        }
    }
    None
}

/// Why `s` to `t` is neither a `Next` step nor a stutter (`None`: it is one).
fn not_a_step(s: &State, t: &State) -> Option<String> {
    if let Some(gone) = s.msgs.items.iter().find(|m| t.msgs.items.binary_search(m).is_err()) {
        return Some(format!("the message {} disappeared: msgs only grows", show(gone)));
    }
    let added: Vec<&Record> = t.msgs.items.iter().filter(|m| s.msgs.items.binary_search(m).is_err()).collect();
    let sent = |kind: &'static str, bal: Int| s.msgs.items.iter().filter(move |m| m.kind == kind && m.bal == bal);
    match added.as_slice() {
        [] => {
            // A stutter (or an action that re-sent a message already sent and changed nothing).
            let changed = |k: &&String| get(&s.max_bal, k) != get(&t.max_bal, k) || get(&s.max_vbal, k) != get(&t.max_vbal, k) || get(&s.max_val, k) != get(&t.max_val, k);
            let a = s.max_bal.entries.iter().map(|e| &e.0).find(changed)?;
            Some(format!(
                "acceptor {a}'s state changed from maxBal {}, maxVBal {}, maxVal {} to {}, {}, {} without a message being sent: no action of the spec does that (only Phase1b and Phase2b change an acceptor's state, and each sends a message)",
                get(&s.max_bal, a).0, get(&s.max_vbal, a).0, get(&s.max_val, a), get(&t.max_bal, a).0, get(&t.max_vbal, a).0, get(&t.max_val, a)
            ))
        }
        [m] => match m.kind {
            "1a" => same_acceptors(s, t, None).map(|w| format!("Phase1a({}) sends a message and changes nothing else, but {w}", m.bal.0)),
            "1b" => {
                let a = m.acc.as_deref().unwrap_or("");
                if sent("1a", m.bal).next().is_none() {
                    return Some(format!("Phase1b({a}) answers a 1a message, and none was sent for ballot {}", m.bal.0));
                }
                if m.bal <= *get(&s.max_bal, a) {
                    return Some(format!("Phase1b({a}) needs m.bal > maxBal[{a}], but {} <= {}", m.bal.0, get(&s.max_bal, a).0));
                }
                if m.mbal != Some(*get(&s.max_vbal, a)) || m.mval.as_deref() != Some(get(&s.max_val, a).as_str()) {
                    return Some(format!("Phase1b({a}) reports maxVBal[{a}] = {} and maxVal[{a}] = {}, but the 1b message says {} and {}", get(&s.max_vbal, a).0, get(&s.max_val, a), m.mbal.map_or(-1, |b| b.0), m.mval.as_deref().unwrap_or("?")));
                }
                if *get(&t.max_bal, a) != m.bal || get(&t.max_vbal, a) != get(&s.max_vbal, a) || get(&t.max_val, a) != get(&s.max_val, a) {
                    return Some(format!("Phase1b({a}) sets maxBal[{a}] to {} and nothing else of {a}'s", m.bal.0));
                }
                same_acceptors(s, t, Some(a)).map(|w| format!("Phase1b({a}): {w}"))
            }
            "2a" => {
                let (b, v) = (m.bal, m.val.as_deref().unwrap_or(""));
                if let Some(other) = sent("2a", b).next() {
                    return Some(format!("Phase2a({}, {v}) needs no 2a message for ballot {} to have been sent, but {} was", b.0, b.0, show(other)));
                }
                let promises: Vec<&Record> = sent("1b", b).collect();
                let acceptors: Vec<&String> = s.max_bal.entries.iter().map(|e| &e.0).collect();
                let majority = acceptors.len() / 2 + 1;
                let mut by: Vec<&str> = promises.iter().filter_map(|p| p.acc.as_deref()).collect();
                by.sort_unstable();
                by.dedup();
                if by.len() < majority {
                    return Some(format!("Phase2a({}, {v}) needs 1b messages for ballot {} from a quorum (a majority, {majority} of {}), but only {} sent one", b.0, b.0, acceptors.len(), if by.is_empty() { "none".to_string() } else { by.join(", ") }));
                }
                // Some quorum Q among the promisers whose highest reported vote is for v (or
                // which reported none). Every subset of at least a majority is a quorum.
                let n = by.len();
                let ok = (1u32..1 << n).filter(|q| q.count_ones() as usize >= majority).any(|q| {
                    let inq = |acc: &str| by.iter().position(|x| *x == acc).is_some_and(|i| q >> i & 1 != 0);
                    let votes: Vec<&&Record> = promises.iter().filter(|p| p.acc.as_deref().is_some_and(inq) && p.mbal.is_some_and(|x| x.0 >= 0)).collect();
                    votes.is_empty() || votes.iter().any(|p| p.mval.as_deref() == Some(v) && votes.iter().all(|mm| p.mbal >= mm.mbal))
                });
                if !ok {
                    let top = promises.iter().filter(|p| p.mbal.is_some_and(|x| x.0 >= 0)).max_by_key(|p| p.mbal);
                    return Some(match top {
                        Some(p) => format!("Phase2a({}, {v}) must propose the value of the highest-ballot vote reported in a quorum's 1b messages, and every quorum of them reports one for another value ({} reported {} from ballot {})", b.0, p.acc.as_deref().unwrap_or("?"), p.mval.as_deref().unwrap_or("?"), p.mbal.map_or(-1, |x| x.0)),
                        None => format!("Phase2a({}, {v}): no quorum of 1b messages allows {v}", b.0),
                    });
                }
                same_acceptors(s, t, None).map(|w| format!("Phase2a({}, {v}) sends a message and changes nothing else, but {w}", b.0))
            }
            "2b" => {
                let a = m.acc.as_deref().unwrap_or("");
                let v = m.val.as_deref().unwrap_or("");
                if !s.msgs.items.iter().any(|x| x.kind == "2a" && x.bal == m.bal && x.val.as_deref() == Some(v)) {
                    return Some(format!("Phase2b({a}) accepts a 2a message, and none was sent for ballot {} and value {v}", m.bal.0));
                }
                if m.bal < *get(&s.max_bal, a) {
                    return Some(format!("Phase2b({a}) needs m.bal >= maxBal[{a}], but {} < {}: {a} accepted below its promise", m.bal.0, get(&s.max_bal, a).0));
                }
                if *get(&t.max_bal, a) != m.bal || *get(&t.max_vbal, a) != m.bal || get(&t.max_val, a) != v {
                    return Some(format!("Phase2b({a}) sets maxBal[{a}] and maxVBal[{a}] to {} and maxVal[{a}] to {v}", m.bal.0));
                }
                same_acceptors(s, t, Some(a)).map(|w| format!("Phase2b({a}): {w}"))
            }
            _ => Some(format!("{} is not a message of the spec", show(m))),
        },
        many => Some(format!("{} messages were sent in one step ({}): every action of the spec sends one", many.len(), many.iter().map(|m| show(m)).collect::<Vec<_>>().join(", "))),
    }
}

/// A record as the spec would print it.
pub fn show(m: &Record) -> String {
    let mut f = vec![format!("type |-> \"{}\"", m.kind)];
    if let Some(a) = &m.acc {
        f.push(format!("acc |-> \"{a}\""));
    }
    f.push(format!("bal |-> {}", m.bal.0));
    if let Some(b) = m.mbal {
        f.push(format!("mbal |-> {}", b.0));
    }
    if let Some(v) = &m.mval {
        f.push(format!("mval |-> \"{v}\""));
    }
    if let Some(v) = &m.val {
        f.push(format!("val |-> \"{v}\""));
    }
    format!("[{}]", f.join(", "))
}
