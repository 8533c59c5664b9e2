//! Multi-Paxos: a replicated log of slots, a leader, elections and a replicated state
//! machine, sans-IO, behind the one [`crate::protocol::Protocol`] interface.
//!
//! *Paxos Made Simple* (quoted in seed 3, *Making Paxos face facts*): "In normal operation, a
//! single server is elected to be the leader, which acts as the distinguished proposer (the
//! only one that tries to issue proposals) in all instances of the consensus algorithm."
//!
//! - **Leader.** The first proposer starts leading at init: phase 1 once for every slot from
//!   its first unchosen one (`Prepare{ballot, from}`; each `Promise` carries every accepted
//!   `(slot, ballot, command)` at or above `from`), then phase 2 per slot (`Accept` →
//!   `Accepted` to the leader, which tells every replica `Chosen{slot, cmd}` once a majority
//!   accepted: *Paxos Made Simple* §2.3's distinguished learner. Sending every acceptance to
//!   every replica instead multiplies the interleavings the checker must explore: with one
//!   leader and two slots it had not finished after a million states). A new leader re-proposes, in every
//!   open slot up to the highest reported, the highest-ballot accepted command, and fills the
//!   gaps with a no-op. Heartbeats carry the leader's commit index; a follower whose leader
//!   timer fires takes over with a higher ballot. A node observes `Leader{ballot}` when it wins
//!   phase 1.
//! - **Replicas.** A learner is a replica: it learns each slot from the leader's `Chosen`
//!   (a leader that is a replica learns when a majority accepted) and applies the log in slot order to the
//!   shirt-colour ledger (the ops applied) and a per-client table of the last sequence number
//!   applied, so a retried command takes effect at most once. A replica that sees a heartbeat's
//!   commit index ahead of what it knows asks the leader (`CatchUp{from}`), which answers with
//!   `Chosen{slot, cmd}`.
//! - **Clients.** A node with only the client role sends `Request{cmd}` to the proposer it
//!   believes leads (at first the first proposer) and, on its retry timer, to the next one,
//!   until a `Reply{seq}` arrives. A proposer may be asked directly (a command whose client is
//!   that proposer): the leader proposes it; a follower keeps it for when it leads and forwards
//!   it once to the leader it believes in.
//! - **Storage.** As in Paxos, the acceptor's promise and accepted entries are durable, and so
//!   are a proposer's highest round and a node's last command sequence number. Replica state
//!   is volatile: a restarted replica re-learns and re-applies from slot 1.
//! - **Log size.** At most `slots` entries ([`MAX_SLOTS`]); a command beyond waits at the
//!   leader, whose status says "log full".
//! - **Leases** (*Paxos Made Live*'s master leases, the `leases` option) are not implemented
//!   yet: the option is accepted and ignored; see the issue.

pub mod config;
pub mod msg;
pub mod node;

pub use config::MultiConfig;
pub use msg::{Cmd, Entries, Msg, MAX_SLOTS};
pub use node::{Durable, Lead, MultiNode, Timer, PHASES, ROLES};

use crate::check::explorer::{explore, proposal_value, Proposals, Report, MAX_PROPOSALS};
use crate::check::Bounds;
use crate::protocol::{bit, NodeId};

/// The explorer's proposals: `k` commands per proposer, asked directly at the proposers (no
/// client nodes in the checker), with the values of [`proposal_value`].
pub fn proposals(cfg: &MultiConfig, k: u8) -> Proposals {
    (1..=cfg.nodes as NodeId)
        .map(|id| if cfg.proposers & bit(id) != 0 { (0..k.min(MAX_PROPOSALS)).map(|j| proposal_value(cfg.nodes, id, j)).collect() } else { Vec::new() })
        .collect()
}

/// Check Multi-Paxos on `cfg`: every schedule within `bounds`, against every property the
/// protocol promises (per slot: only proposed, at most one, learned only if chosen; every
/// replica applies the same sequence; a command takes effect once; one leader per ballot).
pub fn check(cfg: &MultiConfig, bounds: Bounds) -> Report<MultiNode> {
    explore::<MultiNode>(cfg, &proposals(cfg, bounds.proposals), bounds, true)
}
