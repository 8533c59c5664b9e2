//! Single-decree Paxos as in Lamport's *Paxos Made Simple*, sans-IO.

mod ballot;
pub mod config;
pub mod msg;
pub mod node;
pub mod quorum;

pub use ballot::{Ballot, Value, MAX_VALUE_LEN, VALUES};
pub use config::{Bug, Deviation, PaxosConfig, QuorumUse, Timing};
pub use msg::Msg;
pub use node::{Durable, PaxosNode, Phase, Timer, PHASES, ROLES};
