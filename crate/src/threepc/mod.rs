//! Three-phase commit (Skeen, *Nonblocking commit protocols*, 1981), sans-IO: the protocol
//! the *Paxos Made Simple* slides say "produces incorrect results in some situations".
//!
//! - Roles as in two-phase commit: the coordinator is the cluster's first proposer, every
//!   other node a participant. A proposal at the coordinator starts the transaction; one at a
//!   participant is its client aborting its part (before it votes).
//! - Phase 1: `CanCommit` → `Yes` (written to disk first: the participant is *uncertain*) or
//!   `No`. Phase 2: every vote yes → the coordinator writes "pre-committed" and sends
//!   `PreCommit`; a participant writes "pre-committed" and sends `Ack`. Phase 3: with every
//!   ack the coordinator commits and sends `DoCommit`. Every state is written to disk before
//!   anything is sent.
//! - Timeouts: the coordinator timing out on votes aborts; timing out on acks (after the
//!   pre-commit) commits. A participant timing out before voting aborts alone; one timing out
//!   uncertain or pre-committed runs the **termination protocol**: it asks the other
//!   participants for their state (`StateReq`/`StateReply`) and, once every one of them
//!   answered or when its decide timeout fires, applies Skeen's rule to the states it
//!   collected plus its own: any aborted → abort; any committed → commit; any pre-committed
//!   → commit; all uncertain → abort. It tells every other node (`DoCommit`/`Abort`).
//! - Every timer waits for some nodes, and [`Protocol::timer_suspects`] names them: the
//!   checker fires it only while one of them is down or cut off. That is the synchronous
//!   model (a perfect failure detector) in which 3PC is correct; a partition breaks it: one
//!   side commits, the other aborts.
//!
//! Design details (ours, where Skeen leaves a choice or assumes bounded message delays):
//! an undecided node that has answered a `StateReq`, or started the termination protocol,
//! is *frozen*: it no longer moves from uncertain to pre-committed (a late `PreCommit` from a
//! coordinator it gave up on would otherwise contradict the state it reported). A restarted
//! participant that had not voted aborts (its work is lost) and tells the coordinator `No`;
//! one that had voted asks every other node and applies the same rule; a restarted
//! coordinator that had not pre-committed aborts; one that had asks the participants and
//! applies the rule without counting its own pre-commit (the participants may have ended the
//! transaction without it).
//!
//! [`Protocol::timer_suspects`]: crate::protocol::Protocol::timer_suspects

pub mod msg;
pub mod node;

pub use msg::Msg;
pub use node::{Durable, Phase, ThreePcConfig, ThreePcNode, Timer, PHASES, ROLES};

use crate::check::explorer::{explore, Report};
use crate::check::Bounds;

/// Check three-phase commit on `cfg`: the coordinator may be asked to start the transaction,
/// every participant's client may abort. One transaction: each node is asked once
/// (`bounds.proposals` is ignored: a second request changes nothing but the count). Asks for
/// the blocking report.
pub fn check(cfg: &ThreePcConfig, bounds: Bounds) -> Report<ThreePcNode> {
    explore::<ThreePcNode>(cfg, &crate::twopc::proposals(cfg.nodes, cfg.coordinator, bounds.proposals), Bounds { blocking: true, proposals: 1, ..bounds }, false)
}
