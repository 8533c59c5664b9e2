//! Safety: the invariants shared by the simulator and the exhaustive explorer.

pub mod invariants;
