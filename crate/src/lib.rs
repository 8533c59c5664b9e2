//! Paxoscope: Paxos you can hold in your hands.
pub mod check;
pub mod paxos;
pub mod protocol;
pub mod sim;
pub mod scenario;
