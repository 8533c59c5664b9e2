//! The deterministic simulator: one seeded PRNG, a logical clock, every message in flight,
//! and a history of recorded choices.

pub mod config;
pub mod error;
pub mod event;
pub mod hash;
pub mod journal;
pub mod network;
pub mod rng;
pub mod session;
pub mod share;
pub mod workload;
pub mod world;

pub use config::ClusterConfig;
pub use error::SimError;
pub use event::Event;
pub use session::{Frame, LogLine, Session, SimEvent, SimWorld, Snapshot, Trace};
pub use world::{Action, Policy, Violation, World};
