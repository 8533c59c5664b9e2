//! Paxos Commit: Gray and Lamport, *Consensus on Transaction Commit* (2004/2006), the
//! algorithm of its section 4 ("Paxos Commit") — not the co-located "Faster Paxos Commit"
//! optimisation — sans-IO, behind the one [`crate::protocol::Protocol`] interface.
//!
//! Two-phase commit blocks when its coordinator dies after the votes: only the coordinator
//! knows the outcome. Paxos Commit makes the outcome fault-tolerant by choosing each
//! participant's vote by consensus: one Paxos instance per participant, on a shared set of
//! 2F+1 acceptors, with the values `Prepared` and `Aborted`. The transaction commits iff
//! every instance chose `Prepared`. Any node can learn what the instances chose from a
//! majority of the acceptors, so any node can finish the transaction.
//!
//! - **Roles.** The coordinator (the paper's transaction manager and initial leader) is the
//!   cluster's first proposer (node 1 by default); every other node is a participant (a
//!   resource manager), and instance `p` is participant `p`'s (reported as the `slot` of
//!   its acceptances). The acceptors are the cluster's (default: every node, 2F+1 = 3 on
//!   three nodes).
//! - **Normal case.** A client's proposal at the coordinator begins the transaction (the
//!   value is its name): `BeginCommit` to every participant. A participant votes by sending
//!   phase 2a for its own instance with ballot 0 (`Accept [p] 0.p Prepared`, written to
//!   disk first) to every acceptor; no phase 1 is needed for ballot 0, which only `p` uses.
//!   An acceptor accepts unless it promised higher, writes it, and sends phase 2b
//!   (`Accepted`) to the leader (for ballot 0 the coordinator). A leader that hears a
//!   majority accept one ballot in an instance knows its value is chosen; once every
//!   instance chose `Prepared` it decides commit, and once one chose `Aborted` it decides
//!   abort; it writes the decision and sends it (`Commit`/`Abort`) to every other node.
//! - **Abort.** A proposal at a participant that has not voted means its client aborts its
//!   part: it votes `Aborted` (its instance can then choose nothing else, so it decides abort
//!   at once). After a yes vote it can no longer abort alone.
//! - **Recovery.** A participant that voted yes (or a restarted coordinator that began)
//!   arms a recovery timer; when it fires before the decision, the node leads a higher
//!   ballot `round.id` (rounds bounded by `max_round`): phase 1 for every instance at once
//!   (`Prepare` → `Promise` carrying what the acceptor accepted per instance), then in each
//!   instance it proposes the highest-ballot value reported by the majority or, if none
//!   was, `Aborted` (that participant's vote cannot have been chosen), and decides as above.
//!   An acceptor's phase 1 promise covers every instance; in each instance it never accepts
//!   below that promise or below a ballot it accepted there. A node that has decided answers
//!   a `Prepare` with the decision instead (a restarted node that missed the decision learns
//!   it without having to win a ballot). There is no Nack: a recovery below a higher promise
//!   fails silently, and the next timer tries a higher round.
//! - **Storage.** Acceptors persist their promise and acceptances, participants their vote,
//!   everyone the decision, a leader its highest round, the coordinator the transaction.
//!
//! Safety does not rest on timing ([`Protocol::timer_suspects`] is `None`): the checker fires
//! recovery timers at any moment, so two recovering leaders may duel, and the properties
//! (agreement, commit only if every participant voted yes, irrevocable decisions, at most
//! one value per instance, no acceptance below a promise) still hold. With a majority of
//! acceptors up, an undecided node can always finish by recovering.

pub mod config;
pub mod msg;
pub mod node;

pub use config::PcConfig;
pub use msg::{Accepted, Msg, Vote};
pub use node::{Durable, Lead, PcNode, Tally, Timer, ROLES};

use crate::check::explorer::{explore, proposal_value, Proposals, Report};
use crate::check::Bounds;
use crate::protocol::NodeId;

/// The explorer's proposals: one per node. At the coordinator it begins the transaction; at
/// a participant it is its client aborting its part (a no vote), so the checker covers no
/// votes too.
pub fn proposals(cfg: &PcConfig) -> Proposals {
    (1..=cfg.nodes as NodeId).map(|id| vec![proposal_value(cfg.nodes, id, 0)]).collect()
}

/// Check Paxos Commit on `cfg`: every schedule within `bounds`, one proposal per node (see
/// [`proposals`]), recovery rounds bounded by `cfg.max_round` (1 if unset). Asks for the
/// blocking report (`bounds.blocking`).
pub fn check(cfg: &PcConfig, bounds: Bounds) -> Report<PcNode> {
    let cfg = PcConfig { max_round: Some(cfg.max_round.unwrap_or(1)), ..cfg.clone() };
    let bounds = Bounds { proposals: bounds.proposals.max(1), blocking: true, ..bounds };
    explore::<PcNode>(&cfg, &proposals(&cfg), bounds, true)
}
