//! Memory, counted by this test binary's own allocator: a run's history grows linearly with
//! its length, and the most expensive share link within the limits opens in bounded memory.
//! (Times are in the benchmarks: `cargo bench`, `paxoscope bench`.)
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Mutex;

use paxoscope::paxos::Value;
use paxoscope::sim::{share, workload, Action, ClusterConfig, Session};

#[path = "support/counting.rs"]
mod counting;
use counting::measure;

/// The tests here measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());


/// The run: node 1 proposes with both its links cut, so it retries forever.
fn cut_off_proposer(steps: usize) -> Session {
    let mut s = Session::new(ClusterConfig::default()).unwrap();
    s.act(Action::Propose(1, Value::new("Green").unwrap())).unwrap();
    s.act(Action::Cut(1, 2)).unwrap();
    s.act(Action::Cut(1, 3)).unwrap();
    assert_eq!(s.run(steps - 3), steps - 3, "it never runs dry");
    s
}

#[test]
fn a_runs_history_costs_memory_linear_in_its_length() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let per_step = |n: usize| {
        let (s, held, _) = measure(|| cut_off_proposer(n));
        assert_eq!(s.step(), n);
        held as f64 / n as f64
    };
    let (short, long) = (per_step(10_000), per_step(40_000));
    println!("history: {short:.0} bytes per step at 10^4 steps, {long:.0} at 4x10^4");
    // Quadratic growth (every checkpoint copying the past) made this 4; linear keeps it 1.
    assert!(long / short < 1.5, "memory grows faster than the run: {short:.0} -> {long:.0} bytes per step");
    assert!(long < 1_000.0, "{long:.0} bytes per step");
}

#[test]
fn the_worst_link_within_the_limits_opens_in_bounded_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let link = workload::worst_link();
    let (s, held, peak) = measure(|| share::decode(&link).unwrap());
    assert_eq!(s.step(), paxoscope::sim::session::MAX_TRACE_ACTIONS);
    assert!(s.world().pending.len() > 100_000, "the link keeps many messages in flight");
    println!("worst link: {} characters, {held} bytes held, peak {peak} bytes", link.len());
    assert!(peak < 256 << 20, "opening it peaked at {} MB", peak >> 20);
}

/// What every session pays per event and per message in flight: the registry's message type
/// is as small as its smallest-payload protocol allows (the large payloads, Multi-Paxos's
/// `Promise` and the single-proposer commit's `Report`, live on the heap).
#[test]
fn messages_and_events_stay_small() {
    use paxoscope::protocols::AnyMsg;
    use paxoscope::sim::world::Pending;
    use paxoscope::sim::SimEvent;
    use std::mem::size_of;
    let sizes = [
        ("paxos::Msg", size_of::<paxoscope::paxos::Msg>()),
        ("multipaxos::Msg", size_of::<paxoscope::multipaxos::Msg>()),
        ("spc::Msg", size_of::<paxoscope::spc::Msg>()),
        ("AnyMsg", size_of::<AnyMsg>()),
        ("Pending<AnyMsg>", size_of::<Pending<AnyMsg>>()),
        ("SimEvent", size_of::<SimEvent>()),
    ];
    println!("sizes: {sizes:?}");
    assert!(size_of::<AnyMsg>() <= 48, "AnyMsg is {} bytes", size_of::<AnyMsg>());
    assert!(size_of::<SimEvent>() <= 112, "SimEvent is {} bytes", size_of::<SimEvent>());
}
