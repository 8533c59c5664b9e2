//! Two-phase commit (`crate::twopc`): the slides' claim "2PC works, but can get stuck" — it
//! "blocks on single node failures" — through `World::<TwoPcNode>`; a proptest of random runs
//! keeping the commit properties; the configuration's refusals; the checker.
#![cfg(not(target_arch = "wasm32"))]

use paxoscope::check::Bounds;
use paxoscope::paxos::Value;
use paxoscope::protocol::{bit, NodeId, Protocol};
use paxoscope::protocols::ProtocolKind;
use paxoscope::sim::world::Slot;
use paxoscope::sim::{Action, ClusterConfig, Policy, SimError, World};
use paxoscope::twopc::{check, Msg, TwoPcConfig, TwoPcNode, WHY};
use proptest::prelude::*;

#[path = "support/random_runs.rs"]
mod random_runs;
use random_runs::{action, choice};

type W = World<TwoPcNode>;

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}

fn world(n: usize) -> W {
    World::<TwoPcNode>::new(TwoPcConfig::new(n, 1), 7, Policy::default()).unwrap()
}

fn act(w: &mut W, a: Action) {
    w.apply(&a, &mut Vec::new()).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

fn deliver(w: &mut W, from: NodeId, to: NodeId, kind: &str) {
    let id = w.pending.iter().find(|p| p.from == from && p.to == to && p.msg.kind() == kind).unwrap_or_else(|| panic!("no {kind} {from}→{to}")).id;
    act(w, Action::Deliver(id));
}

fn node(w: &W, id: NodeId) -> &TwoPcNode {
    match w.node(id) {
        Some(Slot::Up(n)) => n,
        _ => panic!("node {id} is down"),
    }
}

/// Run the automatic policy (deliveries and timers) for `n` steps.
fn run(w: &mut W, n: u32) {
    for _ in 0..n {
        if w.pending.is_empty() && w.timers.is_empty() {
            return;
        }
        act(w, Action::Step);
    }
}

#[test]
fn every_yes_vote_commits_and_every_node_decides() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    run(&mut w, 50);
    for id in 1..=3 {
        assert_eq!(node(&w, id).decision, Some(true), "node {id}");
        assert_eq!(node(&w, id).view(&w.cfg).status.as_deref(), Some("committed"));
    }
    assert!(w.violations.is_empty());
    assert!(w.ghost.committed == bit(1) | bit(2) | bit(3));
}

#[test]
fn a_participant_that_aborts_its_part_votes_no_and_the_transaction_aborts() {
    let mut w = world(3);
    act(&mut w, Action::Propose(3, v("abort")));
    assert_eq!(node(&w, 3).decision, Some(false), "it may abort alone before voting");
    act(&mut w, Action::Propose(1, v("Green")));
    deliver(&mut w, 1, 3, "Prepare");
    assert_eq!(w.pending.iter().find(|p| p.from == 3).map(|p| p.msg), Some(Msg::Vote { yes: false }));
    run(&mut w, 50);
    for id in 1..=3 {
        assert_eq!(node(&w, id).decision, Some(false), "node {id}");
    }
    assert!(w.violations.is_empty());
}

#[test]
fn after_a_yes_vote_a_participant_can_no_longer_abort_alone() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    deliver(&mut w, 1, 2, "Prepare");
    assert!(!w.pending.is_empty());
    let e = w.apply(&Action::Propose(2, v("abort")), &mut Vec::new()).unwrap_err();
    assert!(e.to_string().contains("voted yes: it can no longer abort alone"), "{e}");
}

/// The slides: "Jim Gray proposes 2PC in the 1970s, but it blocks on single node failures".
/// Everyone votes yes; the coordinator crashes before its decision leaves; the participants
/// ask, and wait, for as long as it stays down — whatever the network and the timers do.
#[test]
fn seed_2pc_blocks_on_a_single_coordinator_failure() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    deliver(&mut w, 1, 2, "Prepare");
    deliver(&mut w, 1, 3, "Prepare");
    deliver(&mut w, 2, 1, "Vote");
    act(&mut w, Action::Crash(1));
    run(&mut w, 500);
    for id in 2..=3 {
        let n = node(&w, id);
        assert_eq!(n.vote, Some(true));
        assert_eq!(n.decision, None, "node {id} decided without the coordinator");
        let waits = n.waits_for(&w.cfg).expect("an undecided participant that voted yes waits");
        assert_eq!((waits.on, waits.need, waits.why), (bit(1), 1, WHY));
    }
    assert!(w.violations.is_empty());
    // Presumed abort: the restarted coordinator has no decision on disk, so it aborts.
    act(&mut w, Action::Restart(1));
    run(&mut w, 100);
    for id in 1..=3 {
        assert_eq!(node(&w, id).decision, Some(false), "node {id}");
    }
}

#[test]
fn the_coordinator_writes_its_decision_before_sending_it_and_resends_it_after_a_restart() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    deliver(&mut w, 1, 2, "Prepare");
    deliver(&mut w, 1, 3, "Prepare");
    deliver(&mut w, 2, 1, "Vote");
    deliver(&mut w, 3, 1, "Vote");
    assert_eq!(node(&w, 1).durable().decision, Some(true));
    act(&mut w, Action::Crash(1));
    let lost: Vec<u32> = w.pending.iter().map(|p| p.id).collect();
    for id in lost {
        act(&mut w, Action::Drop(id));
    }
    act(&mut w, Action::Restart(1));
    run(&mut w, 100);
    for id in 1..=3 {
        assert_eq!(node(&w, id).decision, Some(true), "node {id}");
    }
}

#[test]
fn configurations_from_the_cluster() {
    let base = ClusterConfig { protocol: ProtocolKind::TwoPhaseCommit, nodes: 3, proposers: vec![1], ..ClusterConfig::default() };
    let cfg = TwoPcConfig::from_cluster(&base).unwrap();
    assert_eq!((cfg.nodes, cfg.coordinator, cfg.participants), (3, 1, bit(2) | bit(3)));
    let refused = |c: ClusterConfig, words: &str| match TwoPcConfig::from_cluster(&c) {
        Err(SimError::BadConfig(m)) => assert!(m.contains(words), "{m:?} should say {words:?}"),
        other => panic!("{c:?} should be refused, got {other:?}"),
    };
    refused(ClusterConfig { bug: Some(paxoscope::paxos::Bug::ALL[0]), ..base.clone() }, "no broken variants");
    refused(ClusterConfig { slots: Some(2), ..base.clone() }, "slots");
    refused(ClusterConfig { clients: Some(vec![3]), ..base.clone() }, "clients");
    refused(ClusterConfig { leases: true, ..base.clone() }, "leases");
    refused(ClusterConfig { nodes: 1, ..base.clone() }, "at least 2 nodes");
    refused(ClusterConfig { start_round: 42, ..base.clone() }, "start_round");
    refused(ClusterConfig { proposers: vec![], ..base.clone() }, "proposer");
    refused(ClusterConfig { max_round: Some(0), ..base.clone() }, "max_round");
}

/// The checker: safe with no faults and with one crash (the blocking report is Helper C's:
/// `bounds.blocking` is set by the check function).
#[test]
fn checker_2pc_is_safe_with_one_crash() {
    for crashes in [0, 1] {
        let r = check(&TwoPcConfig::new(3, 1), Bounds { crashes, ..Bounds::new() });
        assert!(r.complete && r.violation.is_none(), "crashes {crashes}: {:?}", r.violation.map(|v| v.0));
    }
    let r = check(&TwoPcConfig::new(3, 1), Bounds { crashes: 1, drops: true, ..Bounds::new() });
    assert!(r.complete && r.violation.is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any schedule of deliveries, drops, duplicates, crashes and restarts (the coordinator's
    /// too), timeouts, partitions, the transaction and participants' aborts keeps agreement,
    /// commit validity and irrevocability: 2PC is safe in an asynchronous network; it blocks.
    #[test]
    fn random_runs_keep_the_commit_properties(n in 2u8..=5, seed in any::<u64>(), choices in prop::collection::vec(choice(), 1..150)) {
        let mut w = World::<TwoPcNode>::new(TwoPcConfig::new(n as usize, 1), seed, Policy::default()).unwrap();
        for c in &choices {
            let ids: Vec<u32> = w.pending.iter().map(|p| p.id).collect();
            let a = action(c, n, &ids, |id| if id == 1 { v("Green") } else { v("abort") });
            let _ = w.apply(&a, &mut Vec::new());
            prop_assert!(w.violations.is_empty(), "{:?} after {:?}", w.violations, a);
        }
    }
}

/// The story's end: both participants' cards say they are blocked, and why.
#[test]
fn the_story_ends_with_both_participants_blocked() {
    let s = paxoscope::scenario::load("2pc-coordinator-dies").unwrap();
    let snap = s.snapshot();
    let blocked: Vec<Option<String>> = snap.nodes.iter().map(|n| n.blocked.clone()).collect();
    assert_eq!(blocked[0], None, "the coordinator is down");
    for b in &blocked[1..] {
        let b = b.as_deref().expect("a participant that voted yes is blocked");
        assert!(b.starts_with(&format!("blocked: {WHY}")) && b.contains("node 1 is down"), "{b}");
    }
}
