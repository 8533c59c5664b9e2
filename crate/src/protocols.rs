//! The registry of protocols: one line per protocol in [`registry!`] makes it a
//! [`ProtocolKind`] the configuration, traces, links, the CLI and the page can name, and a
//! variant of [`AnyNode`], the one [`Protocol`] the session drives. Nothing outside a
//! protocol's own module and this line knows its messages, timers or state: the simulator,
//! the journal and the page work from [`Protocol`]'s neutral views and observations.
//!
//! Hashes: a single-decree Paxos world hashes exactly as before the registry existed (its
//! variant adds nothing to the hash), so every recorded trace and link keeps its state hash.
//! Other protocols hash their variant's name first; one world never mixes protocols.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::check::invariants::Property;
use crate::paxos::Value;
use crate::protocol::{MsgView, NodeId, NodeSet, NodeView, Outbox, Protocol, Renaming, TimerCmd};
use crate::check::explorer::Report;
use crate::check::Bounds;
use crate::sim::Session;
use crate::sim::{ClusterConfig, SimError};

/// Run `f` on a node of one protocol with an outbox of its own types (the protocol's scratch
/// outbox, reused between inputs so that a step allocates nothing), then move its effects
/// into the registry's outbox.
fn forward<P: Scratch, AM, AT>(out: &mut Outbox<AM, AT>, wrap_m: fn(P::Msg) -> AM, wrap_t: fn(P::Timer) -> AT, f: impl FnOnce(&mut Outbox<P::Msg, P::Timer>)) {
    P::with_scratch(|inner| {
        inner.clear();
        f(inner);
        out.sends.extend(inner.sends.drain(..).map(|(to, m)| (to, wrap_m(m))));
        out.timers.extend(inner.timers.drain(..).map(|c| match c {
            TimerCmd::Set { timer, min, max } => TimerCmd::Set { timer: wrap_t(timer), min, max },
            TimerCmd::Cancel { timer } => TimerCmd::Cancel { timer: wrap_t(timer) },
        }));
        out.observations.append(&mut inner.observations);
        out.persisted |= inner.persisted;
    })
}

/// A protocol's scratch outbox (one per protocol and thread): the registry's inputs write
/// into it and move its contents on, so it holds nothing between inputs.
trait Scratch: Protocol {
    fn with_scratch<R>(f: impl FnOnce(&mut Outbox<Self::Msg, Self::Timer>) -> R) -> R;
}

macro_rules! registry {
    ($( $v:ident : $name:literal, $title:literal, $node:ty, $cfg:ty, $build:path, $check:path, $options:expr ; )*) => {
        $(impl Scratch for $node {
            fn with_scratch<R>(f: impl FnOnce(&mut Outbox<Self::Msg, Self::Timer>) -> R) -> R {
                thread_local!(static SCRATCH: std::cell::RefCell<Outbox<<$node as Protocol>::Msg, <$node as Protocol>::Timer>> = std::cell::RefCell::new(Outbox::default()));
                SCRATCH.with(|s| f(&mut s.borrow_mut()))
            }
        })*

        $(impl Registered for $node {
            fn wrap_msg(m: Self::Msg) -> AnyMsg {
                AnyMsg::$v(m)
            }
            fn of_node(n: &AnyNode) -> Option<Self> {
                match n { AnyNode::$v(n) => Some(n.clone()), #[allow(unreachable_patterns)] _ => None }
            }
            fn of_durable(d: &AnyDurable) -> Option<Self::Durable> {
                match d { AnyDurable::$v(d) => Some(d.clone()), #[allow(unreachable_patterns)] _ => None }
            }
            fn of_msg(m: &AnyMsg) -> Option<Self::Msg> {
                match m { AnyMsg::$v(m) => Some(m.clone()), #[allow(unreachable_patterns)] _ => None }
            }
            fn of_timer(t: &AnyTimer) -> Option<Self::Timer> {
                match t { AnyTimer::$v(t) => Some(*t), #[allow(unreachable_patterns)] _ => None }
            }
        })*

        /// Explore every schedule of `cluster` within `bounds` ([`crate::check::explorer`]),
        /// for whichever protocol it runs; a counterexample comes back replayed as a session.
        pub fn check(cluster: &ClusterConfig, bounds: Bounds) -> Result<Checked, SimError> {
            match AnyConfig::build(cluster)? {
                $(AnyConfig::$v(c) => summarize::<$node>(cluster, $check(&c, bounds), bounds.dups, None),)*
            }
        }
        /// Explore every schedule that continues the run of `session` (at its current step)
        /// within `bounds`, on `cluster` (the run's configuration, its round bound set):
        /// what can still happen from here. `bounds.proposals` counts further client
        /// proposals per proposer (single-decree Paxos only: each a value the run has not
        /// used). A counterexample comes back as the run continued.
        pub fn check_from(session: &Session, cluster: &ClusterConfig, bounds: Bounds) -> Result<Checked, SimError> {
            match AnyConfig::build(cluster)? {
                $(AnyConfig::$v(c) => check_from_run::<$node>(session, cluster, &c, bounds),)*
            }
        }

        /// Search for a livelock ([`crate::check::livelock`]) in the schedules that
        /// continue the run of `session` within `bounds`, on `cluster` (the run's
        /// configuration; its `max_round` bounds the rounds once shifted so that the lowest
        /// is the first: their spread). `bounds.proposals` counts further client proposals
        /// per proposer, as in [`check_from`]. Single-decree Paxos only (the protocol needs
        /// a round shift, [`Protocol::shift_rounds`]); not with a duplicating network (a
        /// timer fires only while no message from or to its node is in flight, and a set
        /// network keeps every message) nor the `proposer-forgets-round` bug (a restart
        /// numbers ballots from the start again, which no shift preserves).
        pub fn livelock_from(session: &Session, cluster: &ClusterConfig, bounds: Bounds) -> Result<Livelock, SimError> {
            let mut real = cluster.clone();
            real.max_round = None;
            match (AnyConfig::build(cluster)?, AnyConfig::build(&real)?) {
                $((AnyConfig::$v(c), AnyConfig::$v(r)) => livelock_run::<$node>(session, cluster, &c, &r, bounds),)*
                #[allow(unreachable_patterns)]
                _ => unreachable!("one cluster, one protocol"),
            }
        }

        /// Which protocol a cluster runs. Written by its name (`"multi-paxos"`).
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
        pub enum ProtocolKind {
            #[default]
            $( #[serde(rename = $name)] $v, )*
        }

        impl ProtocolKind {
            pub const ALL: &'static [ProtocolKind] = &[$(ProtocolKind::$v),*];

            pub fn name(self) -> &'static str {
                match self { $(ProtocolKind::$v => $name),* }
            }

            pub fn title(self) -> &'static str {
                match self { $(ProtocolKind::$v => $title),* }
            }

            pub fn from_name(name: &str) -> Result<ProtocolKind, String> {
                ProtocolKind::ALL.iter().copied().find(|p| p.name() == name).ok_or_else(|| {
                    let names: Vec<&str> = ProtocolKind::ALL.iter().map(|p| p.name()).collect();
                    format!("unknown protocol \"{name}\"; the protocols are: {}", names.join(", "))
                })
            }

            /// What the protocol's page describes: its message kinds, timers, roles, phases
            /// and safety properties.
            pub fn kinds(self) -> &'static [&'static str] {
                match self { $(ProtocolKind::$v => <$node as Protocol>::KINDS),* }
            }
            pub fn timers(self) -> &'static [&'static str] {
                match self { $(ProtocolKind::$v => <$node as Protocol>::TIMERS),* }
            }
            pub fn roles(self) -> &'static [&'static str] {
                match self { $(ProtocolKind::$v => <$node as Protocol>::ROLES),* }
            }
            pub fn phases(self) -> &'static [&'static str] {
                match self { $(ProtocolKind::$v => <$node as Protocol>::PHASES),* }
            }
            pub fn properties(self) -> &'static [Property] {
                match self { $(ProtocolKind::$v => <$node as Protocol>::PROPERTIES),* }
            }
            /// The configuration options it reads beyond nodes and roles.
            pub fn options(self) -> &'static [&'static str] {
                match self { $(ProtocolKind::$v => $options),* }
            }
        }

        /// A cluster's configuration, for whichever protocol it runs.
        #[derive(Clone, Debug)]
        pub enum AnyConfig { $( $v($cfg), )* }

        impl AnyConfig {
            /// Check `c` and build its protocol's configuration.
            pub fn build(c: &ClusterConfig) -> Result<AnyConfig, SimError> {
                Ok(match c.protocol { $(ProtocolKind::$v => AnyConfig::$v($build(c)?)),* })
            }
            pub fn kind(&self) -> ProtocolKind {
                match self { $(AnyConfig::$v(_) => ProtocolKind::$v),* }
            }
        }

        /// A node of any registered protocol.
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub enum AnyNode { $( $v($node), )* }

        /// A message of any registered protocol.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
        pub enum AnyMsg { $( $v(<$node as Protocol>::Msg), )* }

        /// A timer of any registered protocol.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
        pub enum AnyTimer { $( $v(<$node as Protocol>::Timer), )* }

        /// The durable state of a node of any registered protocol.
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub enum AnyDurable { $( $v(<$node as Protocol>::Durable), )* }

        registry!(@hash AnyNode; $($v),*);
        registry!(@hash AnyMsg; $($v),*);
        registry!(@hash AnyTimer; $($v),*);
        registry!(@hash AnyDurable; $($v),*);

        impl Protocol for AnyNode {
            type Config = AnyConfig;
            type Msg = AnyMsg;
            type Timer = AnyTimer;
            type Durable = AnyDurable;
            /// Every protocol's names, for reading snapshots back (each protocol's own lists are
            /// in [`ProtocolKind`]).
            const KINDS: &'static [&'static str] = &[];
            const TIMERS: &'static [&'static str] = &[];
            const ROLES: &'static [&'static str] = &[];
            const PHASES: &'static [&'static str] = &[];
            const PROPERTIES: &'static [Property] = &[];

            fn cluster_size(cfg: &AnyConfig) -> usize {
                match cfg { $(AnyConfig::$v(c) => <$node>::cluster_size(c)),* }
            }
            fn acceptors(cfg: &AnyConfig) -> NodeSet {
                match cfg { $(AnyConfig::$v(c) => <$node>::acceptors(c)),* }
            }
            fn init(cfg: &AnyConfig, id: NodeId, out: &mut Outbox<AnyMsg, AnyTimer>) -> AnyNode {
                match cfg {
                    $(AnyConfig::$v(c) => {
                        let mut n = None;
                        forward::<$node, _, _>(out, AnyMsg::$v, AnyTimer::$v, |o| n = Some(<$node>::init(c, id, o)));
                        AnyNode::$v(n.expect("init returns a node"))
                    })*
                }
            }
            fn restart(cfg: &AnyConfig, id: NodeId, disk: &AnyDurable, out: &mut Outbox<AnyMsg, AnyTimer>) -> AnyNode {
                #[allow(unreachable_patterns)]
                match (cfg, disk) {
                    $((AnyConfig::$v(c), AnyDurable::$v(d)) => {
                        let mut n = None;
                        forward::<$node, _, _>(out, AnyMsg::$v, AnyTimer::$v, |o| n = Some(<$node>::restart(c, id, d, o)));
                        AnyNode::$v(n.expect("restart returns a node"))
                    })*
                    // A disk of another protocol cannot be in this world (one world, one
                    // protocol); start fresh rather than panic.
                    _ => AnyNode::init(cfg, id, out),
                }
            }
            fn durable(&self) -> AnyDurable {
                match self { $(AnyNode::$v(n) => AnyDurable::$v(n.durable())),* }
            }
            fn on_message(&mut self, cfg: &AnyConfig, from: NodeId, msg: AnyMsg, out: &mut Outbox<AnyMsg, AnyTimer>) {
                #[allow(unreachable_patterns)]
                match (self, cfg, msg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c), AnyMsg::$v(m)) => forward::<$node, _, _>(out, AnyMsg::$v, AnyTimer::$v, |o| n.on_message(c, from, m, o)),)*
                    _ => {}
                }
            }
            fn on_timer(&mut self, cfg: &AnyConfig, timer: AnyTimer, out: &mut Outbox<AnyMsg, AnyTimer>) {
                #[allow(unreachable_patterns)]
                match (self, cfg, timer) {
                    $((AnyNode::$v(n), AnyConfig::$v(c), AnyTimer::$v(t)) => forward::<$node, _, _>(out, AnyMsg::$v, AnyTimer::$v, |o| n.on_timer(c, t, o)),)*
                    _ => {}
                }
            }
            fn on_propose(&mut self, cfg: &AnyConfig, value: Value, out: &mut Outbox<AnyMsg, AnyTimer>) {
                #[allow(unreachable_patterns)]
                match (self, cfg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c)) => forward::<$node, _, _>(out, AnyMsg::$v, AnyTimer::$v, |o| n.on_propose(c, value, o)),)*
                    _ => {}
                }
            }
            fn can_propose(&self) -> bool {
                match self { $(AnyNode::$v(n) => n.can_propose()),* }
            }
            fn highest_round(&self) -> u32 {
                match self { $(AnyNode::$v(n) => n.highest_round()),* }
            }
            fn refuses_proposal(&self, cfg: &AnyConfig) -> Option<String> {
                #[allow(unreachable_patterns)]
                match (self, cfg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c)) => n.refuses_proposal(c),)*
                    _ => None,
                }
            }
            fn view(&self, cfg: &AnyConfig) -> NodeView {
                #[allow(unreachable_patterns)]
                match (self, cfg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c)) => n.view(c),)*
                    _ => unreachable!("one world, one protocol"),
                }
            }
            fn describe(msg: &AnyMsg) -> MsgView {
                match msg { $(AnyMsg::$v(m) => <$node>::describe(m)),* }
            }
            fn timer_name(timer: &AnyTimer) -> &'static str {
                match timer { $(AnyTimer::$v(t) => <$node>::timer_name(t)),* }
            }
            fn learn_quorum(cfg: &AnyConfig) -> usize {
                match cfg { $(AnyConfig::$v(c) => <$node>::learn_quorum(c)),* }
            }
            fn only_informs(msg: &AnyMsg) -> bool {
                match msg { $(AnyMsg::$v(m) => <$node>::only_informs(m)),* }
            }
            fn idempotent(msg: &AnyMsg) -> bool {
                match msg { $(AnyMsg::$v(m) => <$node>::idempotent(m)),* }
            }
            fn ignores_forever(&self, cfg: &AnyConfig, msg: &AnyMsg) -> bool {
                #[allow(unreachable_patterns)]
                match (self, cfg, msg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c), AnyMsg::$v(m)) => n.ignores_forever(c, m),)*
                    _ => false,
                }
            }
            fn heap_bytes(&self) -> usize {
                match self { $(AnyNode::$v(n) => n.heap_bytes()),* }
            }
            fn timer_suspects(&self, cfg: &AnyConfig, timer: &AnyTimer) -> Option<NodeSet> {
                #[allow(unreachable_patterns)]
                match (self, cfg, timer) {
                    $((AnyNode::$v(n), AnyConfig::$v(c), AnyTimer::$v(t)) => n.timer_suspects(c, t),)*
                    _ => None,
                }
            }
            fn waits_for(&self, cfg: &AnyConfig) -> Option<crate::protocol::Waiting> {
                #[allow(unreachable_patterns)]
                match (self, cfg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c)) => n.waits_for(c),)*
                    _ => None,
                }
            }
            fn symmetric(cfg: &AnyConfig) -> Vec<NodeSet> {
                match cfg { $(AnyConfig::$v(c) => <$node>::symmetric(c)),* }
            }
            fn rename(&self, map: &Renaming) -> AnyNode {
                match self { $(AnyNode::$v(n) => AnyNode::$v(n.rename(map))),* }
            }
            fn rename_durable(disk: &AnyDurable, map: &Renaming) -> AnyDurable {
                match disk { $(AnyDurable::$v(d) => AnyDurable::$v(<$node>::rename_durable(d, map))),* }
            }
            fn rename_msg(msg: &AnyMsg, map: &Renaming) -> AnyMsg {
                match msg { $(AnyMsg::$v(m) => AnyMsg::$v(<$node>::rename_msg(m, map))),* }
            }
            fn rename_timer(timer: &AnyTimer, map: &Renaming) -> AnyTimer {
                match timer { $(AnyTimer::$v(t) => AnyTimer::$v(<$node>::rename_timer(t, map))),* }
            }
            fn shift_rounds(&self, cfg: &AnyConfig, by: i64, room: &mut u32) -> Option<AnyNode> {
                #[allow(unreachable_patterns)]
                match (self, cfg) {
                    $((AnyNode::$v(n), AnyConfig::$v(c)) => n.shift_rounds(c, by, room).map(AnyNode::$v),)*
                    _ => None,
                }
            }
            fn shift_rounds_durable(cfg: &AnyConfig, disk: &AnyDurable, by: i64, room: &mut u32) -> Option<AnyDurable> {
                #[allow(unreachable_patterns)]
                match (cfg, disk) {
                    $((AnyConfig::$v(c), AnyDurable::$v(d)) => <$node>::shift_rounds_durable(c, d, by, room).map(AnyDurable::$v),)*
                    _ => None,
                }
            }
            fn shift_rounds_msg(cfg: &AnyConfig, msg: &AnyMsg, by: i64, room: &mut u32) -> Option<AnyMsg> {
                #[allow(unreachable_patterns)]
                match (cfg, msg) {
                    $((AnyConfig::$v(c), AnyMsg::$v(m)) => <$node>::shift_rounds_msg(c, m, by, room).map(AnyMsg::$v),)*
                    _ => None,
                }
            }
            fn is_learner(&self) -> bool {
                match self { $(AnyNode::$v(n) => n.is_learner()),* }
            }
            fn has_learned(&self) -> bool {
                match self { $(AnyNode::$v(n) => n.has_learned()),* }
            }
        }
    };
    (@hash $ty:ident; $first:ident $(, $v:ident)*) => {
        impl Hash for $ty {
            fn hash<H: Hasher>(&self, h: &mut H) {
                #[allow(unreachable_patterns)]
                match self {
                    // The first protocol (single-decree Paxos) hashes as it did alone.
                    $ty::$first(x) => x.hash(h),
                    $($ty::$v(x) => {
                        stringify!($v).hash(h);
                        x.hash(h)
                    })*
                }
            }
        }
    };
}

registry! {
    Paxos: "paxos", "Paxos (single decree)", crate::paxos::PaxosNode, crate::paxos::PaxosConfig, ClusterConfig::paxos, crate::check::check_paxos, &["distinguished"];
    MultiPaxos: "multi-paxos", "Multi-Paxos (a replicated log)", crate::multipaxos::MultiNode, crate::multipaxos::MultiConfig, crate::multipaxos::MultiConfig::from_cluster, crate::multipaxos::check, &["slots", "clients"];
    SingleProposerCommit: "single-proposer-commit", "Single-proposer commit (phase 2 only)", crate::spc::SpcNode, crate::spc::SpcConfig, crate::spc::SpcConfig::from_cluster, crate::spc::check, &["slots"];
    TwoPhaseCommit: "2pc", "Two-phase commit", crate::twopc::TwoPcNode, crate::twopc::TwoPcConfig, crate::twopc::TwoPcConfig::from_cluster, crate::twopc::check, &[];
    ThreePhaseCommit: "3pc", "Three-phase commit", crate::threepc::ThreePcNode, crate::threepc::ThreePcConfig, crate::threepc::ThreePcConfig::from_cluster, crate::threepc::check, &[];
    PaxosCommit: "paxos-commit", "Paxos Commit", crate::paxoscommit::PcNode, crate::paxoscommit::PcConfig, crate::paxoscommit::PcConfig::from_cluster, crate::paxoscommit::check, &[];
}

/// The groups of interchangeable nodes the checker's symmetry reduction would use for
/// `cluster` (see `check::symmetry`; empty: none, or the protocol does not support it).
pub fn symmetric_nodes(cluster: &ClusterConfig) -> Result<Vec<NodeSet>, SimError> {
    Ok(AnyNode::symmetric(&AnyConfig::build(cluster)?))
}

impl AnyNode {
    /// The single-decree Paxos node inside, if this is one.
    pub fn as_paxos(&self) -> Option<&crate::paxos::PaxosNode> {
        match self {
            AnyNode::Paxos(n) => Some(n),
            _ => None,
        }
    }
}

impl AnyMsg {
    /// The message's kind ("Prepare", …).
    pub fn kind(&self) -> &'static str {
        AnyNode::describe(self).kind
    }
}

/// A protocol in the registry: its messages can be told apart from other protocols'.
pub trait Registered: Protocol {
    fn wrap_msg(m: Self::Msg) -> AnyMsg;
    /// This protocol's node, durable state, message or timer inside the registry's, if it is one.
    fn of_node(n: &AnyNode) -> Option<Self>;
    fn of_durable(d: &AnyDurable) -> Option<Self::Durable>;
    fn of_msg(m: &AnyMsg) -> Option<Self::Msg>;
    fn of_timer(t: &AnyTimer) -> Option<Self::Timer>;
}

/// What [`check`] found, for any protocol.
pub struct Checked {
    pub states: u64,
    pub transitions: u64,
    pub max_depth: u32,
    /// The whole space was explored (not stopped at the state budget).
    pub complete: bool,
    /// The length of the shortest path to a state where a value is chosen (a commit
    /// protocol: a node decided), if any, in explored moves.
    pub chosen: Option<usize>,
    /// That path replayed in the simulator: from the start of the cluster, or the run
    /// continued ([`check_from`]); its last step chooses the value. `None` with `chosen`.
    pub chosen_run: Option<crate::sim::Session>,
    /// The first property broken, the length of its shortest counterexample in explored
    /// moves, and the counterexample replayed in the simulator.
    pub violation: Option<(Property, usize, crate::sim::Session)>,
    /// With [`Bounds::blocking`], after a complete search without violation: which reachable
    /// states leave an up node blocked forever ([`crate::check::explorer::Blocking`]).
    pub blocking: Option<BlockingSummary>,
    /// Why the search stopped early, if it did.
    pub stop: Option<crate::check::Stop>,
    /// Whether the counterexample is known to be a shortest one.
    pub shortest: bool,
    /// The most bytes the search engine's tables held.
    pub bytes: u64,
    /// How it searched, and on how many threads.
    pub strategy: crate::check::Strategy,
    pub threads: usize,
}

/// The blocking report of [`Checked`], for any protocol.
pub struct BlockingSummary {
    /// Reachable states that leave some up node (a learner that has not decided) unable to
    /// decide in any fault-free continuation, the crashed nodes staying down.
    pub blocked: u64,
    /// Reachable states with a majority of the acceptors up.
    pub majority_up: u64,
    /// Of the blocked states, those with a majority of the acceptors up.
    pub blocked_majority_up: u64,
    /// The blocked state with the shortest path: its length in explored moves, the path
    /// replayed in the simulator, the blocked node and why it waits.
    pub shortest: Option<(usize, crate::sim::Session, NodeId, String)>,
}

/// A report for any protocol, its paths replayed in the simulator: from the start of
/// `cluster`, or continuing the run `from` ([`check_from`]).
fn summarize<P: Registered>(cluster: &ClusterConfig, r: Report<P>, dups: bool, from: Option<&Session>) -> Result<Checked, SimError> {
    let start = match from {
        Some(s) => s.clone(),
        None => Session::new(cluster.clone())?,
    };
    let chosen_run = match &r.chosen {
        Some(path) => Some(crate::check::counterexample::replay_moves_on::<P>(start.clone(), path, dups)?),
        None => None,
    };
    let violation = match r.violation {
        Some((property, path)) => Some((property, path.len(), crate::check::counterexample::replay_on::<P>(start, &path, dups, property)?)),
        None => None,
    };
    let blocking = match r.blocking {
        Some(b) => Some(BlockingSummary {
            blocked: b.blocked,
            majority_up: b.majority_up,
            blocked_majority_up: b.blocked_majority_up,
            shortest: match b.shortest {
                Some((path, node, why)) => Some((path.len(), crate::check::counterexample::replay_moves::<P>(cluster, &path, dups)?, node, why)),
                None => None,
            },
        }),
        None => None,
    };
    Ok(Checked {
        states: r.states,
        transitions: r.transitions,
        max_depth: r.max_depth,
        complete: r.complete,
        chosen: r.chosen.map(|p| p.len()),
        chosen_run,
        violation,
        blocking,
        stop: r.stop,
        shortest: r.shortest,
        bytes: r.bytes,
        strategy: r.strategy,
        threads: r.threads,
    })
}

fn check_from_run<P: Registered>(session: &Session, cluster: &ClusterConfig, cfg: &P::Config, bounds: Bounds) -> Result<Checked, SimError> {
    let start = crate::check::explorer::Start::<P>::of_world(cfg, bounds, session.world()).map_err(SimError::Invalid)?;
    let values = values_after(session, cluster, bounds)?;
    let sanity = cluster.bug != Some(crate::paxos::Bug::AcceptBelowPromise);
    let r = crate::check::explorer::explore_from::<P>(cfg, &values, bounds, sanity, Some(&start));
    summarize(cluster, r, bounds.dups, Some(session))
}

/// What a search from the run of `session` has its clients propose: `bounds.proposals`
/// more values per proposer, each one the run has not used (single-decree Paxos only).
fn values_after(session: &Session, cluster: &ClusterConfig, bounds: Bounds) -> Result<crate::check::explorer::Proposals, SimError> {
    let mut values: crate::check::explorer::Proposals = Vec::new();
    if bounds.proposals > 0 {
        if cluster.protocol != ProtocolKind::Paxos {
            return Err(SimError::Invalid(format!("further proposals from a run's end are for single-decree Paxos; {} takes none here", cluster.protocol.title())));
        }
        // Each proposer's next values: those it has not been asked to propose in the run.
        let n = session.world().slots.len();
        let mut asked = vec![0u8; n];
        for step in 1..=session.step() {
            for e in session.events(step) {
                if let crate::sim::event::Event::Proposed { node, .. } = e {
                    let i = usize::from(*node) - 1;
                    asked[i] = asked[i].saturating_add(1);
                }
            }
        }
        values = (1..=n as NodeId)
            .map(|id| (0..bounds.proposals).map(|k| crate::check::explorer::proposal_value(n, id, asked[id as usize - 1].saturating_add(k))).collect())
            .collect();
    }
    Ok(values)
}

/// What [`livelock_from`] found.
#[derive(Debug)]
pub struct Livelock {
    /// Unique states visited (normalized: states equal up to a round shift count once).
    pub states: u64,
    /// Every normalized state reachable within the bounds was visited (and no lasso found).
    pub complete: bool,
    /// The run had already chosen a value (or decided) where the search would start.
    pub decided: bool,
    /// A livelock, if one was found.
    pub found: Option<Lasso>,
}

/// A livelock: after `prefix` moves, `cycle` moves end in the state they started from with
/// every round `shift_rounds` higher, and no value is chosen; repeating them (each time
/// `shift_rounds` higher) goes on forever. `run` is the run continued by the prefix and
/// then the cycle twice (the second time shifted), in the simulator: steps
/// `..prefix_steps` the run and the prefix, then two turns of `cycle_steps` steps each.
#[derive(Debug)]
pub struct Lasso {
    pub prefix: usize,
    pub cycle: usize,
    pub shift_rounds: u32,
    pub prefix_steps: usize,
    pub cycle_steps: usize,
    pub run: Session,
}

fn livelock_run<P: Registered>(session: &Session, cluster: &ClusterConfig, cfg: &P::Config, real: &P::Config, bounds: Bounds) -> Result<Livelock, SimError> {
    let bad = |m: &str| Err(SimError::Invalid(m.to_string()));
    if cluster.protocol != ProtocolKind::Paxos {
        return Err(SimError::Invalid(format!("livelock search is for single-decree Paxos; {} has no round shift", cluster.protocol.title())));
    }
    if bounds.dups {
        return bad("livelock search: a duplicating network keeps every message in flight, so no timer would ever fire; leave duplicates out");
    }
    if cluster.bug == Some(crate::paxos::Bug::ProposerForgetsRound) {
        return bad("livelock search: with proposer-forgets-round a restarted proposer numbers its ballots from the start again, which no round shift preserves");
    }
    let Some(cap) = cluster.max_round else {
        return bad("livelock search needs a round bound (max_round): it bounds the rounds' spread");
    };
    let start = crate::check::explorer::Start::<P>::of_world(cfg, bounds, session.world()).map_err(SimError::Invalid)?;
    let values = values_after(session, cluster, bounds)?;
    let first = cluster.start_round.max(1);
    let highest = crate::check::from::highest_round(session);
    let spread = cap.max(highest).saturating_sub(first) + 1;
    let found = crate::check::livelock::search::<P>(cfg, real, &values, bounds, spread, Some(&start.0)).map_err(SimError::Invalid)?;
    let Some(lasso) = found.lasso else {
        return Ok(Livelock { states: found.states, complete: found.complete, decided: found.decided, found: None });
    };
    // Replayed on the run without a round bound: the cycle's rounds climb past it.
    let base = if session.config().max_round.is_none() {
        session.clone()
    } else {
        let mut trace = session.trace().plain();
        trace.config.max_round = None;
        Session::from_trace(&trace)?
    };
    let replay = crate::check::counterexample::replay_moves_on::<P>;
    let after_prefix = replay(base, &lasso.prefix, false)?;
    let prefix_steps = after_prefix.step();
    let once = replay(after_prefix, &lasso.cycle, false)?;
    let cycle_steps = once.step() - prefix_steps;
    let again: Vec<crate::check::explorer::Move<P>> = lasso.cycle.iter().map(|m| crate::check::livelock::shift_move(real, m, i64::from(lasso.shift))).collect();
    let run = replay(once, &again, false)?;
    if run.step() != prefix_steps + 2 * cycle_steps || !run.world().ghost.chosen.is_empty() {
        return bad("internal error: the livelock does not replay in the simulator as it was found");
    }
    Ok(Livelock {
        states: found.states,
        complete: false,
        decided: false,
        found: Some(Lasso { prefix: lasso.prefix.len(), cycle: lasso.cycle.len(), shift_rounds: lasso.shift, prefix_steps, cycle_steps, run }),
    })
}

/// [`livelock_from`] the start of `cluster`, its clients proposing `bounds.proposals`
/// values per proposer.
pub fn livelock(cluster: &ClusterConfig, bounds: Bounds) -> Result<Livelock, SimError> {
    livelock_from(&Session::new(cluster.clone())?, cluster, bounds)
}

/// Every protocol's message kinds, timers, roles and phases, for reading names back.
pub fn all_names(list: fn(ProtocolKind) -> &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    ProtocolKind::ALL.iter().flat_map(move |&p| list(p).iter().copied())
}
