//! The single-proposer commit: the second algorithm of *Making Paxos face facts* (seed 004),
//! exactly as written, sans-IO — and the checker's answer to the question it leaves open.
//!
//! The seed: "if there is a single proposer, we can skip phase one ... the proposer sends a
//! proposal message until it gets a majority acceptance or times out." "Suppose that there is
//! a distinguished proposer process D. Suppose that process sends value to all Acceptors and
//! marks the value as 'chosen' if it receives an accept response from a majority of
//! Acceptors. Acceptors only send accept messages to the distinguished proposer if they
//! receive a proposal from the distinguished proposer. ... the distinguished proposer can
//! notify Acceptors that the value has been chosen". On failure: "If the distinguished
//! proposer fails before informing any Learners of the successful proposal, no harm no foul.
//! If after, if any survives it will inform the others during election of a new
//! coordinator. ... we can just copy an accepted value if any of the Acceptors has one, or
//! start from a blank slate otherwise. Timeouts can prevent problems in case of temporary
//! partition." "we have not had to worry about reliable store. All we need is the absence of
//! spurious or corrupted messages and the survival of at least 1/2 of the Acceptors. If we
//! need a sequence of values, the distinguished proposer can just rerun the same process as
//! needed and incorporate a sequence number in the values. ... an election mechanism can
//! select new proposers."
//!
//! What is built, and nothing more (no ballots, no promises, no stable storage):
//! - The candidates are the cluster's proposers; the first is the distinguished proposer D
//!   at the start, and every node knows it.
//! - D gives each client value the next sequence number and sends `Propose{seq, value}` to
//!   every acceptor, resending on its retry timer until a majority answers `Accepted`; then
//!   it marks the value chosen and sends `Chosen{seq, value}` to the learners and the
//!   acceptors. Learners learn from `Chosen`.
//! - An acceptor accepts (overwriting) only a proposal from the node it currently believes
//!   is D, and answers only D.
//! - Election by timeout: D sends heartbeats to the other candidates; a candidate that hears
//!   none before its election timer fires declares itself D with `Elect` to every node.
//!   Every node believes the latest announcement it receives (a coordinator that hears
//!   another's steps down). `Elect` is also the query: each acceptor answers with a
//!   `Report` of everything it has accepted. The new D waits for reports from a majority of
//!   the acceptors ("the survival of at least 1/2 of the Acceptors"), then, per sequence
//!   number, copies an accepted value if one was reported and re-proposes it; otherwise that
//!   number starts from a blank slate. Should two reports differ ("there cannot be two
//!   different accepted values", says the seed), it keeps the **first one it received**.
//! - Nothing is durable: a restarted node is blank (it knows no coordinator until the next
//!   announcement).
//!
//! For the safety checks only, each proposal is named by a ballot `k.D`: `D` the
//! coordinator, `k` the elections it has won (1 for the initial D). No node compares two of
//! them. The properties are the seed's three, per sequence number.
//!
//! # Can two coordinators decide different values? Yes.
//!
//! The explorer ([`check`]) answers the question the seed leaves open. With one candidate
//! no election can happen and the commit is safe (also with drops, or one crash: see
//! `tests/spc.rs`). With two candidates on three nodes (all acceptors and learners), a
//! sequence of one value and at most two elections won per candidate, the shortest
//! schedule that chooses two values is [`COUNTEREXAMPLE_LEN`] = 12 moves. Node 1 (the
//! initial D) is asked for Green, node 2 for Blue:
//!
//! ```text
//!  1. a client asks node 1 (D) for Green: Propose [s1] Green (named 1.1) to nodes 1, 2, 3
//!  2. a client asks node 2 for Blue: not the coordinator, it keeps Blue
//!  3. node 2 receives Propose [s1] Green from node 1, its coordinator: accepts Green
//!  4. node 2's election timer fires (a heartbeat was late): it declares itself D → Elect to all
//!  5. node 1 receives node 2's Elect: steps down, follows node 2, reports "nothing accepted"
//!  6. node 2 receives node 1's report
//!  7. node 3 receives node 2's Elect: follows node 2, reports "nothing accepted"
//!  8. node 2 receives node 3's report: a majority (1 and 3) reported nothing, so it starts
//!     from a blank slate — its own acceptor's Green, a minority, is not among the reports —
//!     and proposes Blue: Propose [s1] Blue (named 1.2)
//!  9. node 1 accepts Blue (it follows node 2)
//! 10. node 2 accepts Blue, overwriting Green: Blue is chosen (nodes 1 and 2)
//! 11. node 1's election timer fires: it declares itself D again (its second term)
//! 12. node 1 receives Propose [s1] Green — sent in step 1 by node 1 in its *first* term,
//!     delayed in the network — from the node it now believes is D, itself: it accepts Green.
//!     Proposal 1.1 Green has now been accepted by nodes 2 (step 3) and 1: a majority, so
//!     Green is chosen too.
//! ```
//!
//! "Chosen" is the seed's own definition (quoted from *Paxos Made Simple*): "a single
//! proposal with that value has been accepted by a majority of the acceptors" — node 2
//! overwrote Green in step 10, so no instant saw both acceptances at once, and nobody has
//! learned Green yet. The run goes on to real harm without any further fault:
//! node 1's election collects its own report (Green) and node 3's (nothing), copies Green
//! and proposes it again; nodes 1 and 3 accept it and node 1 marks Green chosen, while
//! node 2 marks Blue chosen from the acceptances of steps 9 and 10: two coordinators each
//! receive accept responses from a majority, for different values, and tell the learners
//! (`tests/spc.rs`, `two_coordinators_tell_learners_different_values`).
//!
//! What the seed's algorithm lacks is a way to tell an old proposal from a new one. A stale
//! proposal (step 12) and a stale report or announcement look exactly like fresh ones, and
//! "believe the latest announcement received" orders coordinators by arrival, which the
//! network decides. Multi-Paxos's ballots close exactly this gap: a report is a *promise*
//! carrying a ballot, and an acceptor refuses anything below the highest ballot it has
//! promised — node 1, having promised node 2's ballot in step 5, refuses the stale proposal
//! of step 12; and a new leader re-proposes the value of the highest ballot reported, so
//! node 1's second term would re-propose Blue, not Green.

pub mod config;
pub mod msg;
pub mod node;

pub use config::{SpcConfig, MAX_SEQ};
pub use msg::{Entries, Msg};
pub use node::{Coord, Durable, Proposal, SpcNode, Timer, PHASES, ROLES};

use crate::check::explorer::{explore, proposal_value, Proposals, Report};
use crate::check::Bounds;
use crate::protocol::NodeId;

/// The length of the checker's shortest counterexample on 3 nodes, 2 candidates, 1 sequence
/// number, at most 2 elections won each (see the module's documentation).
pub const COUNTEREXAMPLE_LEN: usize = 12;

/// The values the explorer's clients propose: candidate `id` its own colours
/// ([`proposal_value`]), up to `k` each; other nodes none.
pub fn proposals(cfg: &SpcConfig, k: u8) -> Proposals {
    (1..=cfg.nodes as NodeId)
        .map(|id| if cfg.is_candidate(id) { (0..k).map(|j| proposal_value(cfg.nodes, id, j)).collect() } else { Vec::new() })
        .collect()
}

/// Check the single-proposer commit on `cfg`: clients may ask each candidate up to
/// `bounds.proposals` times, each time for a new value. Elections are bounded by
/// `cfg.max_term` (without a bound the search does not end).
///
/// The explorer's coordinator sends each proposal and each announcement once
/// (`max_sends = 1`, whatever `cfg` says): a resend is the same message again, which the
/// network could deliver late anyway, and which the duplicating network (`bounds.dups`: any
/// number of copies) covers when a copy must arrive after the original.
pub fn check(cfg: &SpcConfig, bounds: Bounds) -> Report<SpcNode> {
    let cfg = SpcConfig { max_sends: Some(1), ..cfg.clone() };
    explore::<SpcNode>(&cfg, &proposals(&cfg, bounds.proposals), bounds, false)
}
