//! Two-phase commit (Gray, *Notes on Data Base Operating Systems*, 1978), sans-IO: the
//! protocol the *Paxos Made Simple* slides say "works, but can get stuck" — it "blocks on
//! single node failures".
//!
//! - The coordinator (transaction manager) is the cluster's first proposer (node 1 by
//!   default); every other node is a participant (resource manager).
//! - A client's proposal at the coordinator starts the transaction (its name is the value):
//!   the coordinator writes it to disk and sends `Prepare` to every participant. Each votes
//!   (`Vote yes`, written to disk before it is sent, or `Vote no`). The coordinator decides
//!   commit iff every vote is yes, abort on a no or when its vote timeout fires; it **writes
//!   its decision to disk** before sending `Commit`/`Abort`, and resends it (timer, bounded by
//!   `max_round` sends) to the participants that have not sent `Ack`.
//! - A proposal at a participant is its client aborting its part: before it has voted it
//!   aborts alone (and votes no when asked). A participant that has not voted may also abort
//!   alone when its timeout fires. One that voted yes may not: it can only ask the coordinator
//!   (`Query`) and wait — **blocked** while the coordinator is down
//!   ([`Protocol::waits_for`](crate::protocol::Protocol::waits_for)).
//! - Presumed abort: a coordinator restarting with the transaction on disk but no decision
//!   decides abort and tells everyone; with a decision on disk it sends it again.

pub mod config;
pub mod msg;
pub mod node;

pub use config::TwoPcConfig;
pub use msg::Msg;
pub use node::{Durable, Timer, TwoPcNode, PHASES, ROLES, WHY};

use crate::check::explorer::{explore, proposal_value, Proposals, Report};
use crate::check::Bounds;
use crate::paxos::Value;
use crate::protocol::NodeId;

/// What a participant's client proposes: it aborts its part.
pub fn abort_value() -> Value {
    Value::new("abort").ok().expect("a valid value")
}

/// The explorer's proposals for a commit protocol: the coordinator's client starts the
/// transaction (up to `k` names, [`proposal_value`]); every participant's client may abort
/// its part once.
pub fn proposals(nodes: usize, coordinator: NodeId, k: u8) -> Proposals {
    (1..=nodes as NodeId)
        .map(|id| if id == coordinator { (0..k).map(|j| proposal_value(nodes, id, j)).collect() } else { vec![abort_value()] })
        .collect()
}

/// Check two-phase commit on `cfg`: the coordinator may be asked to start the transaction,
/// every participant's client may abort. Sends are bounded by `cfg.max_sends` (1 when
/// unset: a resend is the same message again, and a restarted node sends again anyway).
/// One transaction: each node is asked once (`bounds.proposals` is ignored: a second request
/// changes nothing but the count). Asks for the blocking report.
pub fn check(cfg: &TwoPcConfig, bounds: Bounds) -> Report<TwoPcNode> {
    let cfg = TwoPcConfig { max_sends: Some(cfg.max_sends.unwrap_or(1)), ..cfg.clone() };
    explore::<TwoPcNode>(&cfg, &proposals(cfg.nodes, cfg.coordinator, bounds.proposals), Bounds { blocking: true, proposals: 1, ..bounds }, false)
}
