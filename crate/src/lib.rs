//! Paxoscope: Paxos you can hold in your hands.
//!
//! Single-decree Paxos as in Lamport's *Paxos Made Simple*, written as sans-IO state
//! machines ([`paxos`]) behind a protocol-neutral interface ([`protocol::Protocol`]), driven
//! by a deterministic simulator ([`sim`]) in which every message in flight can be delivered,
//! dropped, duplicated, held or reordered by hand, and checked by an exhaustive explorer
//! ([`check`]) that proves small clusters safe and finds the shortest counterexample for
//! each deliberately broken variant. [`scenario`] has the guided stories; `wasm` (on
//! wasm32) is the thin binding the web page uses. Every format (traces, configurations,
//! policies, actions, snapshots, frames) is defined once by serde's derives and read strictly
//! ([`format`]); [`vocabulary`] is what the core knows, stated once for the page.
//!
//! ```
//! use paxoscope::paxos::Value;
//! use paxoscope::sim::{Action, ClusterConfig, Session};
//!
//! // Three nodes, node 1 proposes; ballots start at round 42 as in the story.
//! let mut s = Session::new(ClusterConfig { start_round: 42, ..ClusterConfig::default() })?;
//! s.act(Action::Propose(1, Value::new("Green").unwrap()))?;
//! assert_eq!(s.snapshot().messages[0].label, "Prepare 42.1");
//! s.run(1000); // the automatic policy: deliver everything, in time order
//! let snap = s.snapshot();
//! assert_eq!(snap.chosen.as_deref(), Some("Green"));
//! assert!(snap.violations.is_empty());
//! // The same configuration and actions reproduce the same state: a trace replays exactly.
//! let again = Session::from_trace(&s.trace())?;
//! assert_eq!(again.hash(), s.hash());
//! # Ok::<(), paxoscope::sim::SimError>(())
//! ```

pub mod check;
pub mod format;
pub mod itf;
pub mod multipaxos;
pub mod paxos;
pub mod protocol;
pub mod protocols;
pub mod scenario;
pub mod sim;
pub mod spc;
pub mod threepc;
pub mod twopc;
pub mod paxoscommit;
pub mod vocabulary;
pub mod why;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
