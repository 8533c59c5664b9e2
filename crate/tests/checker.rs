//! The exhaustive explorer proves plain Paxos safe on small clusters and finds a
//! counterexample for every broken variant — which is how we know it can fail. State counts
//! are pinned (as Stateright does), so an accidental change to the model shows up here.

use paxoscope::check::counterexample;
use paxoscope::check::invariants::Property;
use paxoscope::check::{check_paxos, Bounds};
use paxoscope::paxos::{Bug, PaxosConfig};
use paxoscope::sim::{ClusterConfig, Session};

fn cfg(nodes: usize, proposers: &[u8], rounds: u32, bug: Option<Bug>) -> PaxosConfig {
    let mut c = PaxosConfig::new(nodes, proposers);
    c.max_round = Some(rounds);
    c.bug = bug;
    c
}

fn bounds(drops: bool, dups: bool, crashes: u8) -> Bounds {
    Bounds { drops, dups, crashes, max_states: 50_000_000 }
}

#[test]
fn small_clusters_are_safe_with_pinned_state_counts() {
    // (nodes, proposers, rounds, drops, dups, crashes, unique states)
    let table: &[(usize, &[u8], u32, bool, bool, u8, u64)] = &[
        (1, &[1], 2, false, false, 0, 24),
        (3, &[1], 2, true, false, 1, 88561),
        (3, &[1, 2], 1, false, false, 0, 4600),
        (3, &[1, 2], 1, true, true, 1, 26417),
        (3, &[1, 2], 2, false, false, 0, 766314),
    ];
    for &(n, p, r, drops, dups, crashes, want) in table {
        let report = check_paxos(&cfg(n, p, r, None), bounds(drops, dups, crashes));
        assert!(report.complete);
        assert!(report.violation.is_none(), "{n} nodes {p:?}: {:?}", report.violation);
        assert_eq!(report.states, want, "{n} nodes, proposers {p:?}, {r} rounds, drops {drops} dups {dups} crashes {crashes}");
    }
}

/// The configuration the issue names: 3 nodes, 2 proposers, 2 rounds, drops, duplicates,
/// one crash. About a minute on one core.
#[test]
fn plain_paxos_is_safe_for_three_nodes_two_proposers_two_rounds_drops_dups_one_crash() {
    let report = check_paxos(&cfg(3, &[1, 2], 2, None), bounds(true, true, 1));
    assert!(report.complete);
    assert!(report.violation.is_none(), "{:?}", report.violation);
    assert_eq!(report.states, 8_864_568);
}

#[test]
fn every_broken_variant_has_a_replayable_counterexample() {
    for bug in Bug::ALL {
        let crashes = u8::from(bug == Bug::AcceptorForgets);
        let report = check_paxos(&cfg(3, &[1, 2], 1, Some(bug)), bounds(false, false, crashes));
        let (property, path) = report.violation.unwrap_or_else(|| panic!("{} must be unsafe", bug.name()));
        let want = if bug == Bug::MinorityQuorum { Property::LearnedChosen } else { Property::AtMostOne };
        assert_eq!(property, want, "{}", bug.name());
        let cluster = ClusterConfig { nodes: 3, proposers: vec![1, 2], bug: Some(bug), max_round: Some(1), ..Default::default() };
        let session = counterexample::replay(&cluster, &path, false, property).unwrap();
        // The trace the CLI prints replays to the same state, violation included.
        let again = Session::from_trace(&session.trace()).unwrap();
        assert_eq!(again.hash(), session.hash());
        assert!(again.world().violations.iter().any(|v| v.property == property.name()));
    }
}

#[test]
fn acceptor_forgets_is_safe_without_crashes_and_unsafe_with_one() {
    let c = cfg(3, &[1, 2], 1, Some(Bug::AcceptorForgets));
    assert!(check_paxos(&c, bounds(false, false, 0)).violation.is_none());
    assert!(check_paxos(&c, bounds(false, false, 1)).violation.is_some());
}

#[test]
fn counterexamples_are_shortest_and_found_with_duplicates_too() {
    // Breadth first: no shorter path breaks the property.
    let c = cfg(3, &[1, 2], 1, Some(Bug::ProposerIgnoresPromises));
    let (_, path) = check_paxos(&c, bounds(false, false, 0)).violation.unwrap();
    assert_eq!(path.len(), 12);
    let (p, path_dups) = check_paxos(&c, bounds(true, true, 0)).violation.unwrap();
    assert_eq!(path_dups.len(), 12);
    let cluster = ClusterConfig { nodes: 3, proposers: vec![1, 2], bug: Some(Bug::ProposerIgnoresPromises), max_round: Some(1), ..Default::default() };
    counterexample::replay(&cluster, &path_dups, true, p).unwrap();
}

#[test]
fn a_state_budget_stops_the_search_without_claiming_a_proof() {
    let mut b = bounds(false, false, 0);
    b.max_states = 100;
    let report = check_paxos(&cfg(3, &[1, 2], 2, None), b);
    assert!(!report.complete);
    assert_eq!(report.states, 100);
}
