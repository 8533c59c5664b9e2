//! Memory, counted by this test binary's own allocator: a run's history grows linearly with
//! its length, and the most expensive share link within the limits opens in bounded memory.
//! (Times are in the benchmarks: `cargo bench`, `paxoscope bench`.)
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

use paxoscope::paxos::Value;
use paxoscope::sim::{share, workload, Action, ClusterConfig, Session};

/// Counts the bytes allocated and not yet freed, and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, size: usize) -> *mut u8 {
        if size > l.size() {
            grew(size - l.size());
        } else {
            LIVE.fetch_sub(l.size() - size, Relaxed);
        }
        System.realloc(p, l, size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The tests here measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Bytes still held, and the peak, while `f` runs and its result lives.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, LIVE.load(Relaxed).saturating_sub(base), PEAK.load(Relaxed) - base)
}

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
