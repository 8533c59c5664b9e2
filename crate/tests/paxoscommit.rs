//! Paxos Commit (`crate::paxoscommit`): Gray and Lamport's section 4 algorithm. The seed's
//! claim (a Paxos-based commit decides with a majority up when the coordinator dies), a no
//! vote aborts, the checker's verdicts, random runs keep the properties, config refusals.
#![cfg(not(target_arch = "wasm32"))]

use paxoscope::check::Bounds;
use paxoscope::paxos::{Ballot, Value};
use paxoscope::paxoscommit::{check, Msg, PcConfig, PcNode, Timer, Vote};
use paxoscope::protocol::{bit, NodeId, Observation, Outbox, Protocol};
use paxoscope::sim::world::Slot;
use paxoscope::sim::{Action, ClusterConfig, Policy, World};
use proptest::prelude::*;

#[path = "support/random_runs.rs"]
mod random_runs;
use random_runs::{action, choice};

type Out = Outbox<Msg, Timer>;
type W = World<PcNode>;

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}

fn world(n: usize) -> W {
    World::<PcNode>::new(PcConfig::new(n, 1), 7, Policy::default()).unwrap()
}

fn act(w: &mut W, a: Action) {
    w.apply(&a, &mut Vec::new()).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

fn deliver_all(w: &mut W, pick: impl Fn(&Msg) -> bool) {
    loop {
        let Some(p) = w.pending.iter().find(|p| pick(&p.msg)) else { return };
        let (id, to) = (p.id, p.to);
        let up = matches!(w.node(to), Some(Slot::Up(_)));
        act(w, if up { Action::Deliver(id) } else { Action::Drop(id) });
    }
}

fn settle(w: &mut W, n: u32) {
    for _ in 0..n {
        if w.pending.is_empty() {
            return;
        }
        act(w, Action::Step);
    }
}

fn decision(w: &W, id: NodeId) -> Option<bool> {
    match w.node(id) {
        Some(Slot::Up(n)) => n.decision(),
        _ => panic!("node {id} is down"),
    }
}

// ----- the node, driven directly ------------------------------------------------------------

#[test]
fn a_participant_votes_with_ballot_zero_to_every_acceptor_and_cannot_abort_after_yes() {
    let cfg = PcConfig::new(3, 1);
    let mut out = Out::default();
    let mut p = PcNode::init(&cfg, 2, &mut out);
    assert_eq!(p.refuses_proposal(&cfg), None, "before voting its client may abort");
    p.on_message(&cfg, 1, Msg::BeginCommit { tx: v("Green") }, &mut out);
    assert!(out.persisted, "the vote is written before it is sent");
    assert!(out.observations.contains(&Observation::Voted { yes: true }));
    let accept = Msg::Accept { inst: 2, ballot: Ballot::new(0, 2), vote: Vote::Prepared };
    assert_eq!(out.sends, (1..=3).map(|i| (i, accept.clone())).collect::<Vec<_>>());
    assert_eq!(PcNode::describe(&accept).label, "Accept [2] 0.2 Prepared");
    assert_eq!(p.refuses_proposal(&cfg).as_deref(), Some("voted yes: it can no longer abort alone"));
    let w = p.waits_for(&cfg).expect("an undecided participant that voted yes waits");
    assert_eq!((w.on, w.need, w.why), (bit(1) | bit(2) | bit(3), 2, "needs a majority of acceptors to finish"));
    assert_eq!(p.view(&cfg).status.as_deref(), Some("voted yes; waiting for the decision"));
    // An acceptor refuses a vote below a higher promise.
    let mut a = PcNode::init(&cfg, 3, &mut Out::default());
    out.clear();
    a.on_message(&cfg, 2, Msg::Prepare { ballot: Ballot::new(1, 2) }, &mut out);
    assert!(matches!(out.sends[..], [(2, Msg::Promise { .. })]));
    out.clear();
    a.on_message(&cfg, 2, accept, &mut out);
    assert!(out.sends.is_empty() && out.observations.is_empty());
    assert!(PcNode::ignores_forever(&a, &cfg, &Msg::Accept { inst: 2, ballot: Ballot::new(0, 2), vote: Vote::Prepared }));
}

#[test]
fn a_participant_whose_client_aborts_votes_no_and_aborts_at_once() {
    let cfg = PcConfig::new(3, 1);
    let mut out = Out::default();
    let mut p = PcNode::init(&cfg, 3, &mut out);
    p.on_propose(&cfg, v("Red"), &mut out);
    assert!(out.observations.contains(&Observation::Voted { yes: false }));
    assert!(out.observations.contains(&Observation::Decided { commit: false, participants: bit(2) | bit(3) }));
    assert_eq!(p.decision(), Some(false));
    assert_eq!(p.waits_for(&cfg), None);
}

// ----- the seed's claim, through the world ---------------------------------------------------

/// "2PC ... blocks on single node failures"; a consensus-based commit does not: everyone
/// votes yes, the coordinator crashes after the votes and before any decision leaves, and
/// with a majority of acceptors up a participant finishes the transaction.
#[test]
fn seed_it_decides_with_a_majority_up_after_the_coordinator_crash() {
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    deliver_all(&mut w, |m| matches!(m, Msg::BeginCommit { .. }));
    deliver_all(&mut w, |m| matches!(m, Msg::Accept { .. }));
    act(&mut w, Action::Crash(1));
    deliver_all(&mut w, |_| false);
    let ids: Vec<u32> = w.pending.iter().filter(|p| p.to == 1).map(|p| p.id).collect();
    for id in ids {
        act(&mut w, Action::Drop(id));
    }
    assert_eq!((decision(&w, 2), decision(&w, 3)), (None, None), "nobody knows the outcome yet");
    act(&mut w, Action::Fire(2, "recover".into()));
    settle(&mut w, 100);
    assert_eq!((decision(&w, 2), decision(&w, 3)), (Some(true), Some(true)), "both participants commit without the coordinator");
    assert!(w.violations.is_empty(), "{:?}", w.violations);
    // The coordinator comes back and learns the same outcome.
    act(&mut w, Action::Restart(1));
    act(&mut w, Action::Fire(1, "recover".into()));
    settle(&mut w, 100);
    assert_eq!(decision(&w, 1), Some(true));
    assert!(w.violations.is_empty(), "{:?}", w.violations);
}

#[test]
fn seed_the_story_ends_with_everyone_committed() {
    let s = paxoscope::scenario::load("paxos-commit-survives").unwrap();
    let log = s.log();
    for id in 1..=3 {
        assert!(log.iter().any(|l| l.text.contains(&format!("node {id} decides COMMIT"))), "node {id} commits");
    }
    assert!(s.violations().is_empty());
}

/// With a no vote the transaction aborts, everywhere.
#[test]
fn with_a_no_vote_it_aborts() {
    let mut w = world(3);
    act(&mut w, Action::Propose(3, v("Red")));
    act(&mut w, Action::Propose(1, v("Green")));
    settle(&mut w, 200);
    for id in 1..=3 {
        assert_eq!(decision(&w, id), Some(false), "node {id}");
    }
    assert!(w.violations.is_empty(), "{:?}", w.violations);
    // Everyone yes: it commits.
    let mut w = world(3);
    act(&mut w, Action::Propose(1, v("Green")));
    settle(&mut w, 200);
    for id in 1..=3 {
        assert_eq!(decision(&w, id), Some(true), "node {id}");
    }
}

// ----- the checker ---------------------------------------------------------------------------

fn checked(n: usize, bounds: Bounds) -> paxoscope::check::Report<PcNode> {
    let mut cfg = PcConfig::new(n, 1);
    cfg.max_round = Some(1);
    check(&cfg, bounds)
}

/// Agreement, commit validity, irrevocability, one value per instance: every schedule of a
/// coordinator and a participant (with a crash) and of three nodes (with a crash).
#[test]
fn checker_agreement_with_a_crash() {
    let r = checked(2, Bounds { crashes: 1, ..Bounds::new() });
    assert!(r.complete && r.violation.is_none(), "{:?}", r.violation.map(|v| v.0));
    assert!(r.chosen.is_some());
    assert_eq!(r.states, 18_271);
}

/// A message `ignores_forever` calls ignorable changes nothing when delivered, and stays
/// ignorable after a restart and after any input the node can get: in every reachable state
/// of two nodes with a crash, ignorable messages kept in flight.
#[test]
fn ignorable_messages_are_what_the_protocol_says() {
    use paxoscope::check::explorer::{explore_visiting, Visit};
    use paxoscope::check::Reductions;
    let mut cfg = PcConfig::new(2, 1);
    cfg.max_round = Some(1);
    let b = Bounds { crashes: 1, reductions: Reductions { ignored: false, ..Reductions::ALL }, ..Bounds::new() };
    let mut ignorable = 0u64;
    let r = explore_visiting::<PcNode>(&cfg, &paxoscope::paxoscommit::proposals(&cfg), b, true, |v: &Visit<PcNode>| {
        for e in v.net {
            let Slot::Up(n) = &v.slots[e.to as usize - 1] else { continue };
            if !n.ignores_forever(&cfg, &e.msg) {
                continue;
            }
            ignorable += 1;
            let mut m = n.clone();
            let mut out = Out::default();
            m.on_message(&cfg, e.from, e.msg.clone(), &mut out);
            assert_eq!(&m, n, "delivering {:?} changed node {}", e.msg, n.id);
            assert!(out.sends.is_empty() && out.timers.is_empty() && out.observations.is_empty() && !out.persisted, "{:?}: {out:?}", e.msg);
            let back = PcNode::restart(&cfg, n.id, &n.durable(), &mut Out::default());
            assert!(back.ignores_forever(&cfg, &e.msg), "node {} forgets to ignore {:?} after a restart", n.id, e.msg);
            for f in v.net.iter().filter(|f| f.to == n.id) {
                let mut m = n.clone();
                m.on_message(&cfg, f.from, f.msg.clone(), &mut Out::default());
                assert!(m.ignores_forever(&cfg, &e.msg), "node {} stops ignoring {:?} after {:?}", n.id, e.msg, f.msg);
            }
            for &(_, t) in v.timers.iter().filter(|t| t.0 == n.id) {
                let mut m = n.clone();
                m.on_timer(&cfg, t, &mut Out::default());
                assert!(m.ignores_forever(&cfg, &e.msg), "node {} stops ignoring {:?} after {t:?}", n.id, e.msg);
            }
            if let Some(value) = v.next_proposal[n.id as usize - 1] {
                let mut m = n.clone();
                m.on_propose(&cfg, value, &mut Out::default());
                assert!(m.ignores_forever(&cfg, &e.msg), "node {} stops ignoring {:?} after a proposal", n.id, e.msg);
            }
        }
    });
    assert!(r.complete && r.violation.is_none());
    assert!(ignorable > 1_000, "{ignorable}");
}

// ----- random runs ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any schedule of deliveries, drops, duplicates, crashes and restarts of any node (the
    /// coordinator too), timeouts, partitions and proposals (a participant's is a no vote)
    /// keeps every property.
    #[test]
    fn random_runs_keep_the_properties(n in 2u8..=5, seed in any::<u64>(), choices in prop::collection::vec(choice(), 1..150)) {
        let mut w = World::<PcNode>::new(PcConfig::new(n as usize, 1), seed, Policy::default()).unwrap();
        for c in &choices {
            let ids: Vec<u32> = w.pending.iter().map(|p| p.id).collect();
            let a = action(c, n, &ids, |id| paxoscope::check::explorer::proposal_value(n as usize, id, 0));
            let _ = w.apply(&a, &mut Vec::new());
            prop_assert!(w.violations.is_empty(), "{:?} after {:?}", w.violations, a);
        }
    }
}

// ----- configuration -------------------------------------------------------------------------

#[test]
fn configurations_from_the_cluster() {
    let pc = |c: ClusterConfig| ClusterConfig { protocol: paxoscope::protocols::ProtocolKind::PaxosCommit, ..c };
    let cfg = PcConfig::from_cluster(&pc(ClusterConfig { proposers: vec![2], max_round: Some(3), ..Default::default() })).unwrap();
    assert_eq!((cfg.nodes, cfg.coordinator, cfg.participants, cfg.acceptors, cfg.max_round), (3, 2, bit(1) | bit(3), bit(1) | bit(2) | bit(3), Some(3)));
    let bad = |c: ClusterConfig| PcConfig::from_cluster(&pc(c)).unwrap_err().to_string();
    assert!(bad(ClusterConfig { slots: Some(2), ..Default::default() }).contains("slots is not an option"));
    assert!(bad(ClusterConfig { clients: Some(vec![3]), ..Default::default() }).contains("clients is not an option"));
    assert!(bad(ClusterConfig { leases: true, ..Default::default() }).contains("leases is not an option"));
    assert!(bad(ClusterConfig { nodes: 1, ..Default::default() }).contains("at least 2 nodes"));
    assert!(bad(ClusterConfig { start_round: 42, ..Default::default() }).contains("start_round is 42"));
    assert!(bad(ClusterConfig { max_round: Some(0), ..Default::default() }).contains("max_round is 0"));
    assert!(bad(ClusterConfig { bug: Some(paxoscope::paxos::Bug::MinorityQuorum), ..Default::default() }).contains("no broken variants"));
    assert!(bad(ClusterConfig { proposers: vec![], ..Default::default() }).contains("needs a proposer"));
}
