//! What the core knows, stated once for the page: proposal values, broken variants, safety
//! properties, message kinds, timers, roles, scenarios and limits (`vocabulary()` in the
//! wasm API). The page restates none of these lists.

use serde::Serialize;

use crate::check::invariants::Property;
use crate::paxos::{Bug, PaxosNode, MAX_VALUE_LEN, VALUES};
use crate::protocol::{Protocol, MAX_NODES};
use crate::protocols::ProtocolKind;
use crate::scenario::SCENARIOS;
use crate::sim::session::{MAX_TRACE_ACTIONS, MAX_TRACE_BYTES, MAX_TRACE_CHOICES};
use crate::sim::share::MAX_SHARE_LEN;

/// A name and a title (`{ name, title }`).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Named {
    pub name: &'static str,
    pub title: &'static str,
}

/// A built-in scenario: its name, title and the protocol it runs (`{ name, title, protocol }`).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub protocol: &'static str,
}

/// A broken variant: its name, its title (starting with UNSAFE) and a short lower-case clause.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BugInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub note: &'static str,
}

/// The limits of what the core accepts.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Limits {
    pub max_nodes: usize,
    pub max_trace_bytes: usize,
    pub max_fragment_chars: usize,
    pub max_trace_actions: usize,
    pub max_trace_choices: usize,
    pub max_value_len: usize,
}

/// A protocol the page can run: what it names and what it promises. The top-level lists of
/// [`Vocabulary`] are single-decree Paxos's; each protocol's own are here.
#[derive(Clone, Debug, Serialize)]
pub struct ProtocolInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub kinds: &'static [&'static str],
    pub timers: &'static [&'static str],
    pub roles: &'static [&'static str],
    pub phases: &'static [&'static str],
    /// The safety properties it promises, in the order the safety panel lists them.
    pub properties: Vec<Named>,
    /// Its broken variants' names.
    pub bugs: Vec<&'static str>,
    /// The configuration options it reads beyond nodes and roles (`slots`, `clients`,
    /// `leases`, `distinguished`).
    pub options: &'static [&'static str],
}

/// Everything in one object (field names snake_case, like the snapshot's).
#[derive(Clone, Debug, Serialize)]
pub struct Vocabulary {
    /// Node `n`'s default value is `values[(n - 1) % values.len()]`.
    pub values: &'static [&'static str],
    pub bugs: Vec<BugInfo>,
    /// The safety properties, in the order the safety panel lists them.
    pub properties: Vec<Named>,
    pub kinds: &'static [&'static str],
    pub timers: &'static [&'static str],
    pub roles: &'static [&'static str],
    pub scenarios: Vec<ScenarioInfo>,
    pub limits: Limits,
    pub protocols: Vec<ProtocolInfo>,
}

pub fn protocols() -> Vec<ProtocolInfo> {
    ProtocolKind::ALL
        .iter()
        .map(|&p| {
            let log = p.properties().contains(&Property::SameSequence);
            ProtocolInfo {
                name: p.name(),
                title: p.title(),
                kinds: p.kinds(),
                timers: p.timers(),
                roles: p.roles(),
                phases: p.phases(),
                properties: p.properties().iter().map(|q| Named { name: q.name(), title: if log { q.title_for_log() } else { q.title() } }).collect(),
                bugs: Bug::EVERY.iter().filter(|b| b.protocol() == p).map(|b| b.name()).collect(),
                options: p.options(),
            }
        })
        .collect()
}

pub fn scenarios() -> Vec<ScenarioInfo> {
    SCENARIOS.iter().map(|s| ScenarioInfo { name: s.name, title: s.title, protocol: s.protocol.name() }).collect()
}

pub fn bugs() -> Vec<BugInfo> {
    Bug::EVERY.iter().map(|b| BugInfo { name: b.name(), title: b.describe(), note: b.note() }).collect()
}

pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        values: &VALUES,
        bugs: bugs(),
        properties: Property::SAFETY.iter().map(|p| Named { name: p.name(), title: p.title() }).collect(),
        kinds: PaxosNode::KINDS,
        timers: PaxosNode::TIMERS,
        roles: PaxosNode::ROLES,
        scenarios: scenarios(),
        protocols: protocols(),
        limits: Limits {
            max_nodes: MAX_NODES,
            max_trace_bytes: MAX_TRACE_BYTES,
            max_fragment_chars: MAX_SHARE_LEN,
            max_trace_actions: MAX_TRACE_ACTIONS,
            max_trace_choices: MAX_TRACE_CHOICES,
            max_value_len: MAX_VALUE_LEN,
        },
    }
}
