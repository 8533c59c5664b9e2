//! Random schedules for the commit protocols' property tests (`twopc.rs`, `paxoscommit.rs`):
//! any mix of automatic steps, deliveries, drops, duplicates, crashes and restarts of any
//! node, timeouts, link cuts and heals, and proposals, as simulator actions.

use paxoscope::paxos::Value;
use paxoscope::protocol::NodeId;
use paxoscope::sim::Action;
use proptest::prelude::*;

/// One user action, with its node or message chosen later, against the run's state.
#[derive(Clone, Debug)]
pub enum Choice {
    Step,
    Deliver(usize),
    Drop(usize),
    Duplicate(usize),
    Crash(u8),
    Restart(u8),
    Timeout(u8),
    Propose(u8),
    Cut(u8, u8),
    Heal(u8, u8),
}

pub fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![
        6 => Just(Choice::Step),
        6 => any::<usize>().prop_map(Choice::Deliver),
        1 => any::<usize>().prop_map(Choice::Drop),
        1 => any::<usize>().prop_map(Choice::Duplicate),
        1 => (1u8..=5).prop_map(Choice::Crash),
        2 => (1u8..=5).prop_map(Choice::Restart),
        2 => (1u8..=5).prop_map(Choice::Timeout),
        2 => (1u8..=5).prop_map(Choice::Propose),
        1 => (1u8..=5, 1u8..=5).prop_map(|(a, b)| Choice::Cut(a, b)),
        1 => (1u8..=5, 1u8..=5).prop_map(|(a, b)| Choice::Heal(a, b)),
    ]
}

/// The action `c` stands for in an `n`-node run whose messages in flight are `pending` (ids),
/// with `value(node)` what a client asks that node to propose.
pub fn action(c: &Choice, n: u8, pending: &[u32], value: impl Fn(NodeId) -> Value) -> Action {
    let pick = |i: usize| if pending.is_empty() { 0 } else { pending[i % pending.len()] };
    let node = |k: u8| (k - 1) % n + 1;
    match *c {
        Choice::Step => Action::Step,
        Choice::Deliver(i) => Action::Deliver(pick(i)),
        Choice::Drop(i) => Action::Drop(pick(i)),
        Choice::Duplicate(i) => Action::Duplicate(pick(i)),
        Choice::Crash(k) => Action::Crash(node(k)),
        Choice::Restart(k) => Action::Restart(node(k)),
        Choice::Timeout(k) => Action::Timeout(node(k)),
        Choice::Propose(k) => Action::Propose(node(k), value(node(k))),
        Choice::Cut(a, b) => Action::Cut(node(a), node(b)),
        Choice::Heal(a, b) => Action::Heal(node(a), node(b)),
    }
}
