//! Three-phase commit (`crate::threepc`): the slides' claim "Dale Skeen proposes 3PC in the
//! 1980s, but it produces incorrect results in some situations" — under a partition one side
//! commits and the other aborts — through `World::<ThreePcNode>`; that it does not block on a
//! coordinator crash; a proptest of random runs without partitions, firing a timer only while
//! a node it waits for is down (the synchronous model, `Protocol::timer_suspects`); the
//! configuration's refusals; the checker.
#![cfg(not(target_arch = "wasm32"))]

use paxoscope::check::invariants::Property;
use paxoscope::check::Bounds;
use paxoscope::paxos::Value;
use paxoscope::protocol::{bit, members, NodeId, Protocol};
use paxoscope::protocols::ProtocolKind;
use paxoscope::sim::world::Slot;
use paxoscope::sim::{Action, ClusterConfig, Policy, SimError, World};
use paxoscope::threepc::{check, Phase, ThreePcConfig, ThreePcNode};
use proptest::prelude::*;

type W = World<ThreePcNode>;

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}

fn world(n: usize) -> W {
    World::<ThreePcNode>::new(ThreePcConfig::new(n, 1), 7, Policy::default()).unwrap()
}

fn act(w: &mut W, a: Action) {
    w.apply(&a, &mut Vec::new()).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

fn deliver(w: &mut W, from: NodeId, to: NodeId, kind: &str) {
    let id = w.pending.iter().find(|p| p.from == from && p.to == to && p.msg.kind() == kind).unwrap_or_else(|| panic!("no {kind} {from}→{to}")).id;
    act(w, Action::Deliver(id));
}

fn deliver_all(w: &mut W, kind: &str) {
    while let Some(id) = w.pending.iter().find(|p| p.msg.kind() == kind).map(|p| p.id) {
        act(w, Action::Deliver(id));
    }
}

fn phase(w: &W, id: NodeId) -> Phase {
    match w.node(id) {
        Some(Slot::Up(n)) => n.phase,
        _ => panic!("node {id} is down"),
    }
}

fn fire(w: &mut W, id: NodeId, name: &str) {
    act(w, Action::Fire(id, name.into()));
}

#[test]
fn every_yes_vote_commits_in_three_phases() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    deliver_all(&mut w, "CanCommit");
    assert_eq!((phase(&w, 2), phase(&w, 3)), (Phase::Uncertain, Phase::Uncertain));
    deliver_all(&mut w, "Yes");
    assert_eq!(phase(&w, 1), Phase::PreCommitted);
    deliver_all(&mut w, "PreCommit");
    deliver_all(&mut w, "Ack");
    assert_eq!(phase(&w, 1), Phase::Committed);
    deliver_all(&mut w, "DoCommit");
    for id in 1..=3 {
        assert_eq!(phase(&w, id), Phase::Committed, "node {id}");
    }
    assert!(w.violations.is_empty());
}

/// Unlike 2PC, the participants finish without the coordinator: the termination rule.
#[test]
fn the_participants_terminate_without_a_crashed_coordinator() {
    for pre_committed in [false, true] {
        let mut w = world(3);
        act(&mut w, Action::Propose(1, v("Green")));
        deliver_all(&mut w, "CanCommit");
        deliver_all(&mut w, "Yes");
        if pre_committed {
            deliver(&mut w, 1, 2, "PreCommit");
        }
        act(&mut w, Action::Crash(1));
        fire(&mut w, 2, "timeout");
        fire(&mut w, 3, "timeout");
        deliver_all(&mut w, "StateReq");
        deliver_all(&mut w, "StateReply");
        let want = if pre_committed { Phase::Committed } else { Phase::Aborted };
        assert_eq!((phase(&w, 2), phase(&w, 3)), (want, want), "pre-committed: {pre_committed}");
        let n = match w.node(2) {
            Some(Slot::Up(n)) => n,
            _ => unreachable!(),
        };
        assert_eq!(n.waits_for(&w.cfg), None, "3PC does not block on the coordinator");
        assert!(w.violations.is_empty());
    }
}

/// "3PC ... produces incorrect results in some situations": the coordinator pre-commits
/// node 2, the network splits {1, 2} | {3}; node 3 times out uncertain and aborts, node 1
/// times out on its ack and commits.
#[test]
fn seed_3pc_commits_on_one_side_and_aborts_on_the_other_under_a_partition() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    deliver_all(&mut w, "CanCommit");
    deliver_all(&mut w, "Yes");
    deliver(&mut w, 1, 2, "PreCommit");
    act(&mut w, Action::Cut(1, 3));
    act(&mut w, Action::Cut(2, 3));
    // Each timer fires because a node it waits for is cut off: what timer_suspects allows.
    let n3 = match w.node(3) {
        Some(Slot::Up(n)) => n.clone(),
        _ => unreachable!(),
    };
    assert_eq!(n3.timer_suspects(&w.cfg, &paxoscope::threepc::Timer::Timeout), Some(bit(1)));
    fire(&mut w, 3, "timeout");
    fire(&mut w, 3, "decide");
    assert_eq!(phase(&w, 3), Phase::Aborted);
    fire(&mut w, 1, "ack-timeout");
    assert_eq!(phase(&w, 1), Phase::Committed);
    deliver(&mut w, 1, 2, "DoCommit");
    assert_eq!(phase(&w, 2), Phase::Committed);
    assert_eq!(w.violations.first().map(|b| b.property), Some(Property::Agreement.name()));
}

#[test]
fn configurations_from_the_cluster() {
    let base = ClusterConfig { protocol: ProtocolKind::ThreePhaseCommit, nodes: 3, proposers: vec![1], ..ClusterConfig::default() };
    let cfg = ThreePcConfig::from_cluster(&base).unwrap();
    assert_eq!((cfg.nodes, cfg.coordinator, cfg.participants), (3, 1, bit(2) | bit(3)));
    let refused = |c: ClusterConfig, words: &str| match ThreePcConfig::from_cluster(&c) {
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
}

/// The checker: with timers gated by `timer_suspects` (the explorer's partitions and gating
/// come with the checker's branch), one crash is safe and one partition is not.
#[test]
fn checker_3pc_is_safe_with_one_crash_and_unsafe_with_a_partition() {
    let cfg = ThreePcConfig::new(3, 1);
    let r = check(&cfg, Bounds { crashes: 1, ..Bounds::new() });
    assert!(r.complete && r.violation.is_none(), "{:?}", r.violation.map(|v| v.0));
    let r = check(&cfg, Bounds { partitions: 1, ..Bounds::new() });
    assert_eq!(r.violation.map(|v| v.0), Some(Property::Agreement));
}

#[derive(Clone, Debug)]
enum Choice {
    Deliver(usize),
    Drop(usize),
    Crash(u8),
    Restart(u8),
    Fire(usize),
    Propose(u8),
}

fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![
        8 => any::<usize>().prop_map(Choice::Deliver),
        1 => any::<usize>().prop_map(Choice::Drop),
        1 => (1u8..=5).prop_map(Choice::Crash),
        2 => (1u8..=5).prop_map(Choice::Restart),
        3 => any::<usize>().prop_map(Choice::Fire),
        2 => (1u8..=5).prop_map(Choice::Propose),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// No partitions, at most one crash, and a timer fires only while a node it waits for is
    /// down (a perfect failure detector): any schedule of deliveries, losses, a crash and
    /// restarts, the transaction and participants' aborts keeps the commit properties.
    #[test]
    fn random_runs_without_partitions_keep_the_commit_properties(n in 2u8..=5, seed in any::<u64>(), choices in prop::collection::vec(choice(), 1..200)) {
        let mut w = World::<ThreePcNode>::new(ThreePcConfig::new(n as usize, 1), seed, Policy::default()).unwrap();
        let mut crashed = false;
        for c in &choices {
            let pick = |i: usize| if w.pending.is_empty() { 0 } else { w.pending[i % w.pending.len()].id };
            let node = |k: u8| (k - 1) % n + 1;
            let a = match *c {
                Choice::Deliver(i) => Action::Deliver(pick(i)),
                Choice::Drop(i) => Action::Drop(pick(i)),
                Choice::Crash(k) => {
                    if crashed {
                        continue;
                    }
                    crashed = true;
                    Action::Crash(node(k))
                }
                Choice::Restart(k) => Action::Restart(node(k)),
                Choice::Fire(i) => {
                    let allowed: Vec<(NodeId, &str)> = w
                        .timers
                        .iter()
                        .filter(|t| match w.node(t.node) {
                            Some(Slot::Up(x)) => x.timer_suspects(&w.cfg, &t.timer).is_none_or(|on| members(on).any(|j| !w.is_up(j))),
                            _ => false,
                        })
                        .map(|t| (t.node, ThreePcNode::timer_name(&t.timer)))
                        .collect();
                    if allowed.is_empty() {
                        continue;
                    }
                    let (id, name) = allowed[i % allowed.len()];
                    Action::Fire(id, name.into())
                }
                Choice::Propose(k) => Action::Propose(node(k), if node(k) == 1 { v("Green") } else { v("abort") }),
            };
            let _ = w.apply(&a, &mut Vec::new());
            prop_assert!(w.violations.is_empty(), "{:?} after {:?}", w.violations, a);
        }
    }
}

/// The story `3pc-partition` is the checker's shortest counterexample (`paxoscope check
/// --protocol 3pc --nodes 3 --partitions`), step for step, and then one step more.
#[test]
fn the_partition_story_is_the_checkers_shortest_counterexample() {
    let cluster = ClusterConfig { protocol: paxoscope::protocols::ProtocolKind::ThreePhaseCommit, ..ClusterConfig::default() };
    let found = paxoscope::protocols::check(&cluster, Bounds { partitions: 1, ..Bounds::new() }).unwrap();
    let (property, moves, replayed) = found.violation.expect("the checker finds the partition's inconsistency");
    assert_eq!((property, moves), (Property::Agreement, 9));
    let want: Vec<String> = replayed.log().into_iter().map(|l| l.text).collect();
    let story = paxoscope::scenario::load("3pc-partition").unwrap();
    let got: Vec<String> = story.log().into_iter().map(|l| l.text).collect();
    assert_eq!(want.len(), 10);
    assert_eq!(&got[..want.len()], &want[..]);
    assert_eq!(got.len(), want.len() + 1);
}
