//! Continuing a recorded run: what `paxoscope check --from TRACE` and the page's explorer
//! explore from. The run is replayed as a plain run (no story, captions or log: its state
//! hash still proves it the same run) with a bound on the rounds its proposers may reach.

use crate::protocol::Protocol;
use crate::sim::world::Slot;
use crate::sim::{ClusterConfig, Session, Trace};

/// A recorded run ready to explore from.
pub struct Continued {
    /// The run, replayed to its end, its configuration's round bound set.
    pub session: Session,
    /// The run's configuration with `max_round` set (what the explorer runs).
    pub cluster: ClusterConfig,
    /// The highest round a proposer may reach.
    pub max_round: u32,
    /// The highest round any up node has reached in the run.
    pub highest: u32,
}

/// The highest round any up node of `s` has reached (0: none).
pub fn highest_round(s: &Session) -> u32 {
    s.world().slots.iter().filter_map(|s| match s { Slot::Up(n) => Some(n.highest_round()), _ => None }).max().unwrap_or(0)
}

/// `trace` replayed to its end, with rounds bounded by `max_round`, or, when `None`, by
/// `extra` rounds past the highest the run reached (and at least the configuration's first
/// round; for a protocol whose bound counts something else, the lowest bound from there
/// under which the run replays). Errors name what is wrong, for a person.
pub fn continue_trace(trace: &Trace, max_round: Option<u32>, extra: u32) -> Result<Continued, String> {
    let run = Session::from_trace(trace).map_err(|e| e.to_string())?;
    let highest = highest_round(&run);
    let start_round = trace.config.start_round.max(1);
    let first = match max_round {
        Some(m) => m,
        None => highest.max(start_round - 1).saturating_add(extra),
    };
    if first < highest {
        return Err(format!("a round bound of {first} is below round {highest}, which the run already reached"));
    }
    let mut t = trace.clone().plain();
    // The commit protocols and the single-proposer commit count resends and terms against
    // the same bound, which `highest_round` does not report: without an explicit bound, the
    // lowest one from `first` on under which the run replays as recorded.
    let tries = if max_round.is_some() { 1 } else { 64 };
    let mut last = None;
    for limit in first..first.saturating_add(tries) {
        t.config.max_round = Some(limit);
        match Session::from_trace(&t) {
            Ok(session) => return Ok(Continued { session, cluster: t.config, max_round: limit, highest }),
            Err(e) => last = Some(e),
        }
    }
    let e = last.map(|e| e.to_string()).unwrap_or_default();
    Err(format!("with rounds up to {first} the run does not replay as recorded ({e}); allow more rounds"))
}
