//! The search engine (`check::engine`): the compact breadth-first search agrees with the exact
//! single-threaded search it replaced, move for move; 1 and 2 threads find counterexamples
//! of the same (shortest) length; depth first and random walks reach the same verdicts; a
//! memory limit and a cancelling progress hook stop a search cleanly.

use std::sync::atomic::{AtomicU64, Ordering};

use paxoscope::check::counterexample;
use paxoscope::check::explorer::{explore_visiting, paxos_proposals};
use paxoscope::check::{check_paxos, Bounds, Progress, Stop, Strategy};
use paxoscope::paxos::{Bug, PaxosConfig, PaxosNode};

#[path = "support/paxos_configs.rs"]
mod paxos_configs;
use paxos_configs::{bounds, cfg, cluster_of};

/// Small configurations, plain and with every bug of single-decree Paxos.
fn small() -> Vec<(PaxosConfig, Bounds)> {
    let mut all = Vec::new();
    for bug in std::iter::once(None).chain(Bug::ALL.map(Some)) {
        for proposers in [&[1u8][..], &[1, 2]] {
            for (drops, dups, crashes) in [(false, false, 0), (true, false, 0), (false, true, 1), (true, true, 1)] {
                all.push((cfg(3, proposers, 1, bug), bounds(drops, dups, crashes)));
            }
        }
    }
    all
}

/// With one thread the engine's levels are the old queue's order: the same states,
/// transitions, depth, violation and paths, move for move, as the exact search (which keeps
/// whole states and still serves the blocking report and the visitors).
#[test]
fn the_compact_search_is_the_exact_search_move_for_move() {
    for (c, b) in small() {
        let sanity = c.bug != Some(Bug::AcceptBelowPromise);
        let exact = explore_visiting::<PaxosNode>(&c, &paxos_proposals(&c, b.proposals), b, sanity, |_| {});
        let compact = check_paxos(&c, b);
        assert!(exact.complete && compact.complete, "{c:?}");
        assert_eq!((compact.states, compact.transitions, compact.max_depth), (exact.states, exact.transitions, exact.max_depth), "{c:?} {b:?}");
        assert_eq!(compact.violation, exact.violation, "{c:?} {b:?}");
        assert_eq!(compact.chosen, exact.chosen, "{c:?} {b:?}");
        assert!(compact.shortest);
    }
}

/// Two threads: the same unique states, and counterexamples of the same length (a shortest
/// one: levels are finished before the next begins), each of which replays.
#[test]
fn one_and_two_threads_find_the_same_states_and_shortest_lengths() {
    let mut unsafe_seen = 0;
    for (c, b) in small().into_iter().chain([(cfg(3, &[1, 2], 2, None), bounds(false, true, 0)), (cfg(3, &[1, 2], 2, Some(Bug::ProposerIgnoresPromises)), bounds(true, true, 0))]) {
        let one = check_paxos(&c, b);
        let two = check_paxos(&c, Bounds { threads: 2, ..b });
        assert_eq!(two.threads, 2);
        let len = |r: &paxoscope::check::Report<PaxosNode>| r.violation.as_ref().map(|(p, path)| (*p, path.len()));
        assert_eq!(len(&two), len(&one), "{c:?} {b:?}");
        assert_eq!(two.chosen.as_ref().map(Vec::len), one.chosen.as_ref().map(Vec::len), "{c:?} {b:?}");
        match &two.violation {
            None => assert_eq!(two.states, one.states, "{c:?} {b:?}"),
            Some((p, path)) => {
                unsafe_seen += 1;
                counterexample::replay(&cluster_of(&c), path, b.dups, *p).unwrap();
            }
        }
    }
    assert!(unsafe_seen >= 20, "{unsafe_seen}");
}

/// Depth first: the same unique states when safe; when unsafe, a violation of the same
/// property, no shorter than the shortest, that replays.
#[test]
fn depth_first_reaches_the_same_verdicts() {
    for threads in [1, 2] {
        for (c, b) in small() {
            let bfs = check_paxos(&c, b);
            let dfs = check_paxos(&c, Bounds { strategy: Strategy::Dfs, threads, ..b });
            assert_eq!(dfs.strategy, Strategy::Dfs);
            match (&bfs.violation, &dfs.violation) {
                (None, None) => {
                    assert!(dfs.complete);
                    assert_eq!(dfs.states, bfs.states, "{c:?} {b:?}");
                    assert_eq!(dfs.chosen.is_some(), bfs.chosen.is_some());
                }
                (Some((p, short)), Some((q, path))) => {
                    assert_eq!(p, q, "{c:?} {b:?}");
                    assert!(path.len() >= short.len());
                    counterexample::replay(&cluster_of(&c), path, b.dups, *q).unwrap();
                }
                (a, d) => panic!("bfs {a:?} but dfs {d:?} on {c:?} {b:?}"),
            }
        }
    }
}

/// Random walks find each broken variant of the tiny configurations, and the bounded
/// breadth-first search after them makes the counterexample a shortest one.
#[test]
fn random_walks_find_what_breadth_first_finds_and_shorten_it() {
    let mut found_by_walks = 0;
    for (c, b) in small() {
        let bfs = check_paxos(&c, b);
        let rw = check_paxos(&c, Bounds { strategy: Strategy::RandomWalk, walks: 2_000, threads: 2, ..b });
        // A violation exactly when there is one; none: the full breadth-first search ran.
        assert_eq!(rw.violation.is_some(), bfs.violation.is_some(), "{c:?} {b:?}");
        if let Some((p, path)) = &rw.violation {
            let shortest = bfs.violation.as_ref().unwrap().1.len();
            counterexample::replay(&cluster_of(&c), path, b.dups, *p).unwrap();
            if rw.shortest {
                // The walks missed it: the full breadth-first search found it.
                assert_eq!(path.len(), shortest);
                continue;
            }
            assert!(path.len() >= shortest, "{c:?} {b:?}: {} < {shortest}", path.len());
            // Walks and a search over their own moves need far fewer states.
            found_by_walks += usize::from(rw.states * 4 < bfs.states);
            // Shortened: no longer than twice the shortest on these small configurations.
            assert!(path.len() <= 2 * shortest, "{c:?} {b:?}: {} moves, the shortest {shortest}", path.len());
        } else {
            assert_eq!(rw.states, bfs.states);
            assert!(rw.shortest && rw.complete);
        }
    }
    assert!(found_by_walks > 0);
}

#[test]
fn a_memory_limit_stops_the_search_cleanly() {
    let c = cfg(3, &[1, 2], 2, None);
    for strategy in [Strategy::Bfs, Strategy::Dfs] {
        let r = check_paxos(&c, Bounds { max_memory: 2_000_000, strategy, ..bounds(false, false, 0) });
        assert!(!r.complete, "{strategy:?}");
        assert_eq!(r.stop, Some(Stop::Memory));
        assert!(r.violation.is_none());
        assert!(r.states < 514_507, "{}", r.states);
    }
}

static CALLS: AtomicU64 = AtomicU64::new(0);
fn cancel_at_second_call(p: &Progress) -> bool {
    assert!(p.states > 0 && p.transitions > 0);
    CALLS.fetch_add(1, Ordering::Relaxed) < 1
}

#[test]
fn the_progress_hook_is_called_and_can_cancel() {
    let c = cfg(3, &[1, 2], 2, None);
    let r = check_paxos(&c, Bounds { progress: Some(cancel_at_second_call), ..bounds(false, false, 0) });
    assert_eq!(r.stop, Some(Stop::Cancelled));
    assert!(!r.complete);
    assert_eq!(CALLS.load(Ordering::Relaxed), 2);
}

/// The engine's own accounting (fingerprints, the two levels, parent links and parts) on a
/// configuration with half a million states: under 36 bytes a state (the parts tables weigh
/// more on a small space; the standard configuration's 18.8 M states take about 25 bytes
/// each, see `cargo bench`).
#[test]
fn a_state_costs_a_few_dozen_bytes() {
    let r = check_paxos(&cfg(3, &[1, 2], 2, None), Bounds { threads: 2, ..bounds(false, true, 0) });
    assert_eq!(r.states, 514_507);
    let per = r.bytes as f64 / r.states as f64;
    assert!(per <= 36.0, "{per:.1} bytes/state");
}
