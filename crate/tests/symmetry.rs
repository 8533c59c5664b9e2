//! The symmetry reduction (`check::symmetry`) changes how many states a search counts, never
//! what it finds: on every tiny configuration, plain Paxos and each broken variant, the
//! verdict (safe, or which property breaks), the shortest counterexample length and the
//! shortest path to a chosen value agree with and without it, and every counterexample found
//! with it replays in the simulator as a real run. With two or more acceptor-only nodes it
//! visits strictly fewer states. Without it (the library's default) the pinned state counts
//! of `tests/checker.rs` and `tests/engine.rs` stand.

use paxoscope::check::{check_paxos, Bounds, Strategy};
use paxoscope::paxos::{Bug, PaxosConfig};
use paxoscope::protocol::bit;
use paxoscope::protocols;
use paxoscope::scenario;
use paxoscope::sim::ClusterConfig;

fn cfg(nodes: usize, proposers: &[u8], rounds: u32, bug: Option<Bug>) -> PaxosConfig {
    let mut c = PaxosConfig::new(nodes, proposers);
    c.max_round = Some(rounds);
    c.bug = bug;
    c
}

fn cluster(nodes: u32, proposers: u32, rounds: u32, bug: Option<Bug>) -> ClusterConfig {
    ClusterConfig { nodes, proposers: (1..=proposers).collect(), bug, max_round: Some(rounds), ..Default::default() }
}

/// (drops, dups, crashes, proposals each)
const FAULTS: [(bool, bool, u8, u8); 5] = [(false, false, 0, 1), (true, false, 0, 1), (false, true, 0, 1), (true, true, 0, 1), (true, false, 1, 2)];

/// One configuration both ways: the same verdict, lengths and completeness; with symmetry
/// no more states, and fewer when `fewer`.
fn agree(n: usize, proposers: &[u8], rounds: u32, bug: Option<Bug>, (drops, dups, crashes, proposals): (bool, bool, u8, u8), fewer: bool) -> (u64, u64) {
    let c = cfg(n, proposers, rounds, bug);
    let b = Bounds { drops, dups, crashes, proposals, max_states: 2_000_000, ..Bounds::new() };
    let what = format!("{n} nodes, proposers {proposers:?}, {rounds} rounds, {bug:?}, drops {drops} dups {dups} crashes {crashes}");
    let plain = check_paxos(&c, b);
    let sym = check_paxos(&c, Bounds { symmetry: true, ..b });
    assert!(plain.complete && sym.complete, "{what}");
    assert_eq!(sym.violation.as_ref().map(|(p, path)| (*p, path.len())), plain.violation.as_ref().map(|(p, path)| (*p, path.len())), "{what}");
    if plain.violation.is_none() {
        assert_eq!(sym.chosen.as_ref().map(Vec::len), plain.chosen.as_ref().map(Vec::len), "{what}");
        assert_eq!(sym.max_depth, plain.max_depth, "{what}");
        if fewer {
            assert!(sym.states < plain.states, "{what}: {} with symmetry, {} without", sym.states, plain.states);
        }
    }
    assert!(sym.states <= plain.states, "{what}: {} with symmetry, {} without", sym.states, plain.states);
    (plain.states, sym.states)
}

#[test]
fn plain_paxos_agrees_with_and_without_symmetry_on_tiny_configurations() {
    let (mut plain, mut sym) = (0, 0);
    for (n, proposers, rounds) in [(3, &[1u8][..], 1), (3, &[1], 2), (3, &[1, 2], 1), (4, &[1], 1), (4, &[1], 2), (4, &[1, 2], 1), (5, &[1], 1)] {
        let fewer = n - proposers.len() >= 2;
        for faults in FAULTS {
            // The largest ones (over 500,000 states without symmetry) take a while and add
            // nothing new.
            let (drops, crashes) = (faults.0, faults.2);
            if (crashes > 0 && matches!((n, proposers.len(), rounds), (3, 2, _) | (4, 1, 2) | (4, 2, _))) || (drops && (n, proposers.len()) == (4, 2)) {
                continue;
            }
            let (p, s) = agree(n, proposers, rounds, None, faults, fewer);
            plain += p;
            sym += s;
        }
    }
    assert!(sym * 2 < plain, "{sym} states with symmetry, {plain} without");
}

#[test]
fn every_broken_variant_has_the_same_shortest_counterexample_with_symmetry() {
    for bug in Bug::ALL {
        // The story's bounds (a crash for the variants about a crash; a second proposal and
        // duplicates for `proposer-forgets-round`), and duplicates on top.
        // `acceptor-forgets` needs a crash to undo a promise inside every quorum: one crash
        // suffices on 3 nodes (node 1 proposes; nodes 2 and 3 are interchangeable), not on 4.
        let b = scenario::bug_bounds(bug);
        // (Four nodes with two proposers: `counterexamples_found_with_symmetry_replay`.)
        let clusters: &[(usize, &[u8])] = if bug == Bug::AcceptorForgets { &[(3, &[1]), (3, &[1, 2])] } else { &[(4, &[1])] };
        for &(n, proposers) in clusters {
            for dups in [b.dups, true] {
                agree(n, proposers, 1, Some(bug), (b.drops, dups, b.crashes, b.proposals), false);
            }
        }
    }
}

/// What the CLI reports: a counterexample found with symmetry replays in the simulator as
/// the same violation, of the same length.
#[test]
fn counterexamples_found_with_symmetry_replay() {
    // `acceptor-forgets` is safe on 4 nodes with one crash (see above).
    for bug in Bug::ALL.into_iter().filter(|&b| b != Bug::AcceptorForgets) {
        let c = ClusterConfig { nodes: 4, ..scenario::bug_cluster(bug) };
        let b = scenario::bug_bounds(bug);
        let plain = protocols::check(&c, b).expect("a Paxos cluster");
        let sym = protocols::check(&c, Bounds { symmetry: true, ..b }).expect("a Paxos cluster");
        let (p, len, session) = sym.violation.unwrap_or_else(|| panic!("{bug:?} is unsafe on 4 nodes"));
        let (q, want, _) = plain.violation.expect("unsafe without symmetry too");
        assert_eq!((p, len), (q, want), "{bug:?}");
        assert!(session.violations().iter().any(|v| v.property == p.name()), "{bug:?}: the replay shows the violation");
        assert!(sym.states < plain.states, "{bug:?}");
    }
}

#[test]
fn depth_first_and_parallel_searches_agree_with_symmetry() {
    for bug in [None, Some(Bug::MinorityQuorum), Some(Bug::ProposerIgnoresPromises)] {
        let c = cfg(4, &[1, 2], 1, bug);
        let b = Bounds { dups: true, ..bug.map_or(Bounds::new(), scenario::bug_bounds) };
        let bfs = check_paxos(&c, Bounds { symmetry: true, ..b });
        let dfs = check_paxos(&c, Bounds { symmetry: true, strategy: Strategy::Dfs, ..b });
        let par = check_paxos(&c, Bounds { symmetry: true, threads: 2, ..b });
        assert_eq!(dfs.violation.as_ref().map(|v| v.0), bfs.violation.as_ref().map(|v| v.0), "{bug:?}");
        assert_eq!(par.violation.as_ref().map(|v| (v.0, v.1.len())), bfs.violation.as_ref().map(|v| (v.0, v.1.len())), "{bug:?}");
        if bfs.violation.is_none() {
            // A complete search counts every orbit once, whatever the order.
            assert_eq!((dfs.states, par.states), (bfs.states, bfs.states), "{bug:?}");
        }
    }
}

/// The configuration: five nodes, two proposers, drops and duplicates. Nodes 3 to 5
/// are interchangeable; the state counts are pinned both ways.
#[test]
fn five_nodes_two_proposers_pinned() {
    let c = cluster(5, 2, 1, None);
    assert_eq!(protocols::symmetric_nodes(&c).unwrap(), vec![bit(3) | bit(4) | bit(5)]);
    let b = Bounds { drops: true, dups: true, threads: 2, ..Bounds::new() };
    let plain = protocols::check(&c, b).unwrap();
    let sym = protocols::check(&c, Bounds { symmetry: true, ..b }).unwrap();
    assert!(plain.complete && sym.complete && plain.violation.is_none() && sym.violation.is_none());
    assert_eq!((plain.states, sym.states), (205_269, 47_555));
    assert_eq!(plain.chosen, sym.chosen);
}

/// Symmetry needs interchangeable nodes: with at most one acceptor-only node, or with
/// every node a proposer, the search is the plain one.
#[test]
fn without_interchangeable_nodes_nothing_changes() {
    for (n, proposers) in [(3, &[1u8, 2][..]), (3, &[1, 2, 3]), (2, &[1])] {
        let c = cfg(n, proposers, 1, None);
        let b = Bounds { dups: true, ..Bounds::new() };
        assert_eq!(check_paxos(&c, Bounds { symmetry: true, ..b }).states, check_paxos(&c, b).states, "{n} {proposers:?}");
    }
    assert!(protocols::symmetric_nodes(&cluster(3, 2, 1, None)).unwrap().is_empty());
}
