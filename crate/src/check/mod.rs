//! Safety: the invariants shared by the simulator and the exhaustive explorer, and the
//! explorer itself.

pub mod counterexample;
pub mod engine;
pub mod explorer;
pub mod from;
pub mod invariants;
pub mod livelock;
pub mod symmetry;

pub use explorer::{check_paxos, explore, Bounds, Progress, ProgressFn, Reductions, Report, Stop, Strategy};
