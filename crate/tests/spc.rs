//! The single-proposer commit (`crate::spc`): seed 004, *Making Paxos face facts*, its second
//! algorithm. Unit tests drive a node directly (outbox in, outbox out); the seed's claims are
//! tested through `World::<SpcNode>`; a proptest runs random schedules with a single
//! coordinator; the checker answers the open question.
#![cfg(not(target_arch = "wasm32"))]

use paxoscope::check::explorer::Move;
use paxoscope::check::invariants::Property;
use paxoscope::check::Bounds;
use paxoscope::paxos::{Ballot, Value};
use paxoscope::protocol::{bit, NodeId, Observation, Outbox, Protocol};
use paxoscope::sim::world::Slot;
use paxoscope::sim::{Action, ClusterConfig, Policy, World};
use paxoscope::spc::{check, Coord, Msg, SpcConfig, SpcNode, Timer, COUNTEREXAMPLE_LEN};
use proptest::prelude::*;

type Out = Outbox<Msg, Timer>;

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}

fn three(candidates: &[NodeId]) -> SpcConfig {
    SpcConfig::new(3, candidates, 4)
}

fn sends(out: &Out) -> Vec<(NodeId, Msg)> {
    out.sends.clone()
}

fn to_all(msg: Msg) -> Vec<(NodeId, Msg)> {
    (1..=3).map(|i| (i, msg.clone())).collect()
}

// ----- the node, driven directly ------------------------------------------------------------

#[test]
fn the_first_candidate_coordinates_from_the_start_and_everyone_knows_it() {
    let cfg = three(&[1, 2]);
    let mut out = Out::default();
    let d = SpcNode::init(&cfg, 1, &mut out);
    assert!(d.is_coordinator());
    assert_eq!(d.view(&cfg).status.as_deref(), Some("coordinator (elected once)"));
    assert!(out.sends.is_empty(), "no phase 1: nothing to send at the start");
    out.clear();
    let c = SpcNode::init(&cfg, 2, &mut out);
    assert_eq!(c.coordinator, Some(1));
    assert_eq!(c.view(&cfg).status.as_deref(), Some("follows node 1"));
    assert!(matches!(out.timers[..], [paxoscope::protocol::TimerCmd::Set { timer: Timer::Election, .. }]));
    out.clear();
    let a = SpcNode::init(&cfg, 3, &mut out);
    assert_eq!(a.view(&cfg).status.as_deref(), Some("follows node 1"));
    assert!(out.timers.is_empty(), "a node that is not a candidate never stands");
}

#[test]
fn the_coordinator_proposes_with_sequence_numbers_and_acceptors_answer_it_alone() {
    let cfg = three(&[1, 2]);
    let mut out = Out::default();
    let mut d = SpcNode::init(&cfg, 1, &mut out);
    out.clear();
    d.on_propose(&cfg, v("Green"), &mut out);
    let id = Ballot::new(1, 1);
    assert_eq!(out.observations, vec![Observation::Proposed(v("Green"))]);
    assert_eq!(sends(&out), to_all(Msg::Propose { seq: 1, id, value: v("Green") }));
    assert_eq!(SpcNode::describe(&out.sends[0].1).label, "Propose [s1] Green");
    out.clear();
    d.on_propose(&cfg, v("Blue"), &mut out);
    assert_eq!(sends(&out), to_all(Msg::Propose { seq: 2, id, value: v("Blue") }));

    // An acceptor accepts from the coordinator it believes in, and answers it only.
    let mut a = SpcNode::init(&cfg, 3, &mut Out::default());
    out.clear();
    a.on_message(&cfg, 1, Msg::Propose { seq: 1, id, value: v("Green") }, &mut out);
    assert_eq!(out.observations, vec![Observation::Accepted { slot: 1, ballot: id, value: v("Green"), promised: None }]);
    assert_eq!(sends(&out), vec![(1, Msg::Accepted { seq: 1, id, value: v("Green") })]);
    assert!(!out.persisted, "no reliable store");
    // A proposal from any other node is refused.
    out.clear();
    a.on_message(&cfg, 2, Msg::Propose { seq: 1, id: Ballot::new(1, 2), value: v("Blue") }, &mut out);
    assert!(out.sends.is_empty() && out.observations.is_empty());
    let view = a.view(&cfg);
    assert_eq!(view.slots.len(), 1);
    assert_eq!((view.slots[0].slot, view.slots[0].value.as_deref(), view.slots[0].ballot.as_deref()), (1, Some("Green"), None));
    assert!(view.rows.iter().any(|r| r.key == "accepted" && r.text == "s1 Green"));

    // A majority of answers: chosen, and the learners and acceptors are told.
    out.clear();
    d.on_message(&cfg, 3, Msg::Accepted { seq: 1, id, value: v("Green") }, &mut out);
    assert!(out.sends.is_empty());
    d.on_message(&cfg, 1, Msg::Accepted { seq: 1, id, value: v("Green") }, &mut out);
    assert_eq!(sends(&out), to_all(Msg::Chosen { seq: 1, value: v("Green") }));
    assert!(d.view(&cfg).slots.iter().any(|s| s.slot == 1 && s.chosen));
    out.clear();
    a.on_message(&cfg, 1, Msg::Chosen { seq: 1, value: v("Green") }, &mut out);
    assert_eq!(out.observations, vec![Observation::Learned { slot: 1, value: v("Green") }]);
}

#[test]
fn the_coordinator_resends_to_those_that_have_not_answered() {
    let cfg = three(&[1]);
    let mut out = Out::default();
    let mut d = SpcNode::init(&cfg, 1, &mut out);
    d.on_propose(&cfg, v("Green"), &mut out);
    let id = Ballot::new(1, 1);
    d.on_message(&cfg, 2, Msg::Accepted { seq: 1, id, value: v("Green") }, &mut out);
    out.clear();
    d.on_timer(&cfg, Timer::Retry, &mut out);
    let p = Msg::Propose { seq: 1, id, value: v("Green") };
    assert_eq!(sends(&out), vec![(1, p.clone()), (3, p)]);
    assert!(out.timers.iter().any(|t| matches!(t, paxoscope::protocol::TimerCmd::Set { timer: Timer::Retry, .. })));
}

#[test]
fn an_election_copies_the_first_value_reported_or_starts_blank() {
    let cfg = three(&[1, 2]);
    let mut out = Out::default();
    let mut c = SpcNode::init(&cfg, 2, &mut out);
    c.on_propose(&cfg, v("Blue"), &mut out);
    assert!(out.sends.is_empty(), "a follower keeps its client's value");
    out.clear();
    c.on_timer(&cfg, Timer::Election, &mut out);
    assert_eq!(sends(&out), to_all(Msg::Elect));
    assert!(matches!(c.coord, Coord::Collecting { .. }));
    assert_eq!(c.view(&cfg).status.as_deref(), Some("coordinator (elected once), collecting reports: 0 of 2"));
    let mut entries = [None; paxoscope::spc::MAX_SEQ];
    entries[0] = Some(v("Green"));
    out.clear();
    c.on_message(&cfg, 3, Msg::Report { entries: Box::new(entries) }, &mut out);
    assert!(out.sends.is_empty());
    c.on_message(&cfg, 2, Msg::Report { entries: Box::new([None; paxoscope::spc::MAX_SEQ]) }, &mut out);
    // Sequence number 1 copies Green; Blue gets number 2.
    let id = Ballot::new(1, 2);
    let mut want = to_all(Msg::Propose { seq: 1, id, value: v("Green") });
    want.extend(to_all(Msg::Propose { seq: 2, id, value: v("Blue") }));
    assert_eq!(sends(&out), want);
    assert_eq!(c.view(&cfg).status.as_deref(), Some("coordinator (elected once)"));
    // Another announcement: it steps down and follows.
    out.clear();
    c.on_message(&cfg, 1, Msg::Elect, &mut out);
    assert!(!c.is_coordinator());
    assert_eq!(c.view(&cfg).status.as_deref(), Some("follows node 1"));
    assert!(matches!(out.sends[..], [(1, Msg::Report { .. })]));
    // Standing again is a second election won.
    c.on_timer(&cfg, Timer::Election, &mut out);
    c.on_message(&cfg, 1, Msg::Report { entries: Box::new([None; paxoscope::spc::MAX_SEQ]) }, &mut out);
    c.on_message(&cfg, 3, Msg::Report { entries: Box::new([None; paxoscope::spc::MAX_SEQ]) }, &mut out);
    assert_eq!(c.view(&cfg).status.as_deref(), Some("coordinator (elected 2 times)"));
}

#[test]
fn nothing_is_durable_and_a_restarted_node_is_blank() {
    let cfg = three(&[1, 2]);
    let mut out = Out::default();
    let mut a = SpcNode::init(&cfg, 3, &mut out);
    a.on_message(&cfg, 1, Msg::Propose { seq: 1, id: Ballot::new(1, 1), value: v("Green") }, &mut out);
    let b = SpcNode::restart(&cfg, 3, &a.durable(), &mut out);
    assert_eq!(b.accepted, [None; paxoscope::spc::MAX_SEQ]);
    assert_eq!(b.view(&cfg).status.as_deref(), Some("knows no coordinator"));
    out.clear();
    let mut b = b;
    b.on_message(&cfg, 1, Msg::Propose { seq: 1, id: Ballot::new(1, 1), value: v("Green") }, &mut out);
    assert!(out.sends.is_empty(), "it accepts nothing until it hears an announcement");
}

#[test]
fn configurations_from_the_cluster() {
    let c = ClusterConfig { proposers: vec![2, 1], slots: Some(3), max_round: Some(2), ..ClusterConfig::default() };
    let cfg = SpcConfig::from_cluster(&c).unwrap();
    assert_eq!((cfg.nodes, cfg.candidates, cfg.initial, cfg.slots, cfg.max_term), (3, bit(1) | bit(2), 2, 3, Some(2)));
    assert_eq!(SpcConfig::from_cluster(&ClusterConfig::default()).unwrap().slots, paxoscope::spc::MAX_SEQ as u32);
    let bad = |c: ClusterConfig| SpcConfig::from_cluster(&c).unwrap_err().to_string();
    assert!(bad(ClusterConfig { slots: Some(0), ..Default::default() }).contains("slots is 0"));
    assert!(bad(ClusterConfig { slots: Some(99), ..Default::default() }).contains("1 to 4"));
    assert!(bad(ClusterConfig { proposers: vec![], ..Default::default() }).contains("at least one proposer"));
    assert!(bad(ClusterConfig { start_round: 42, ..Default::default() }).contains("no ballots"));
    assert!(bad(ClusterConfig { bug: Some(paxoscope::paxos::Bug::MinorityQuorum), ..Default::default() }).contains("Paxos bug"));
    assert!(bad(ClusterConfig { proposers: vec![4], ..Default::default() }).contains("node 4"));
}

// ----- the seed's claims, through the world ---------------------------------------------------

type W = World<SpcNode>;

fn world(cfg: SpcConfig) -> W {
    World::<SpcNode>::new(cfg, 7, Policy::default()).unwrap()
}

fn act(w: &mut W, a: Action) {
    let mut ev = Vec::new();
    w.apply(&a, &mut ev).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

/// Deliver the first message in flight from `from` to `to` that `pick` likes.
fn deliver(w: &mut W, from: NodeId, to: NodeId, pick: impl Fn(&Msg) -> bool) {
    let id = w.pending.iter().find(|p| p.from == from && p.to == to && pick(&p.msg)).unwrap_or_else(|| panic!("no such message {from}→{to}")).id;
    act(w, Action::Deliver(id));
}

fn drop_all(w: &mut W, pick: impl Fn(NodeId, NodeId, &Msg) -> bool) {
    let ids: Vec<u32> = w.pending.iter().filter(|p| pick(p.from, p.to, &p.msg)).map(|p| p.id).collect();
    for id in ids {
        act(w, Action::Drop(id));
    }
}

/// Run the automatic policy until nothing is in flight (timers may remain) or `n` steps.
fn settle(w: &mut W, n: u32) {
    for _ in 0..n {
        if w.pending.is_empty() {
            return;
        }
        act(w, Action::Step);
    }
}

fn node(w: &W, id: NodeId) -> &SpcNode {
    match w.node(id) {
        Some(Slot::Up(n)) => n,
        _ => panic!("node {id} is down"),
    }
}

fn learned(w: &W, id: NodeId, seq: usize) -> Option<Value> {
    node(w, id).chosen[seq - 1]
}

/// "if there is a single proposer, we can skip phase one ... the proposer sends a proposal
/// message until it gets a majority acceptance"; "If we need a sequence of values, the
/// distinguished proposer can just rerun the same process as needed and incorporate a
/// sequence number in the values."
#[test]
fn seed_phase_two_only_commits_a_sequence_with_one_round_trip_each() {
    let mut w = world(three(&[1]));
    act(&mut w, Action::Propose(1, v("Green")));
    act(&mut w, Action::Propose(1, v("Blue")));
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..200 {
        kinds.extend(w.pending.iter().map(|p| p.msg.kind()));
        if w.pending.is_empty() {
            break;
        }
        act(&mut w, Action::Step);
    }
    for id in 1..=3 {
        assert_eq!((learned(&w, id, 1), learned(&w, id, 2)), (Some(v("Green")), Some(v("Blue"))), "node {id}");
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), vec!["Accepted", "Chosen", "Propose"], "phase 2 only: no Prepare, no Promise");
    assert!(w.violations.is_empty());
}

/// "the proposer sends a proposal message until it gets a majority acceptance": lost
/// proposals are sent again on the retry timer.
#[test]
fn seed_the_coordinator_retries_until_a_majority_accepts() {
    let mut w = world(three(&[1]));
    act(&mut w, Action::Propose(1, v("Green")));
    drop_all(&mut w, |_, to, _| to != 1);
    settle(&mut w, 20);
    assert_eq!(learned(&w, 2, 1), None);
    act(&mut w, Action::Fire(1, "retry".into()));
    settle(&mut w, 50);
    for id in 1..=3 {
        assert_eq!(learned(&w, id, 1), Some(v("Green")));
    }
    assert!(w.violations.is_empty());
}

/// Elect node 2 by hand: its election timer fires and every announcement and report is delivered.
fn elect_two(w: &mut W) {
    act(w, Action::Fire(2, "election".into()));
    settle(w, 50);
    assert!(node(w, 2).is_coordinator());
}

/// "If the distinguished proposer fails before informing any Learners of the successful
/// proposal, no harm no foul. ... we can just copy an accepted value if any of the
/// Acceptors has one, or start from a blank slate otherwise."
#[test]
fn seed_a_coordinator_failing_before_informing_any_learner_does_no_harm() {
    // Nobody accepted anything: blank slate, node 2's own value is chosen.
    let mut w = world(three(&[1, 2]));
    act(&mut w, Action::Propose(1, v("Green")));
    act(&mut w, Action::Crash(1)); // its proposals are still in flight ...
    drop_all(&mut w, |_, _, _| true); // ... and lost
    act(&mut w, Action::Propose(2, v("Blue")));
    elect_two(&mut w);
    settle(&mut w, 50);
    assert_eq!((learned(&w, 2, 1), learned(&w, 3, 1)), (Some(v("Blue")), Some(v("Blue"))));
    assert!(w.violations.is_empty());

    // Green was chosen (2 and 3 accepted) but nobody was told: the new coordinator copies it.
    let mut w = world(three(&[1, 2]));
    act(&mut w, Action::Propose(1, v("Green")));
    deliver(&mut w, 1, 2, |m| matches!(m, Msg::Propose { .. }));
    deliver(&mut w, 1, 3, |m| matches!(m, Msg::Propose { .. }));
    assert_eq!(w.ghost.chosen_in(1), Some(v("Green")));
    act(&mut w, Action::Crash(1));
    drop_all(&mut w, |_, _, _| true);
    act(&mut w, Action::Propose(2, v("Blue")));
    elect_two(&mut w);
    settle(&mut w, 50);
    assert_eq!((learned(&w, 2, 1), learned(&w, 3, 1)), (Some(v("Green")), Some(v("Green"))));
    assert_eq!((learned(&w, 2, 2), learned(&w, 3, 2)), (Some(v("Blue")), Some(v("Blue"))), "its own value takes the next number");
    assert!(w.violations.is_empty());
}

/// "If after, if any survives it will inform the others during election of a new
/// coordinator. If some Learner was told about a chosen value and the leader and some
/// minority of Acceptors fail, since a majority of Acceptors must have accepted and a
/// minority have failed, there is at least one Acceptor that knows the accepted value and it
/// can be copied to all surviving Acceptors."
#[test]
fn seed_after_informing_a_learner_the_new_coordinator_copies_the_accepted_value() {
    let mut w = world(three(&[1, 2]));
    act(&mut w, Action::Propose(1, v("Green")));
    for to in 1..=3 {
        deliver(&mut w, 1, to, |m| matches!(m, Msg::Propose { .. }));
    }
    deliver(&mut w, 1, 1, |m| matches!(m, Msg::Accepted { .. }));
    deliver(&mut w, 3, 1, |m| matches!(m, Msg::Accepted { .. }));
    deliver(&mut w, 1, 3, |m| matches!(m, Msg::Chosen { .. }));
    assert_eq!(learned(&w, 3, 1), Some(v("Green")), "learner 3 was told");
    act(&mut w, Action::Crash(1));
    drop_all(&mut w, |_, _, _| true);
    act(&mut w, Action::Propose(2, v("Blue")));
    elect_two(&mut w);
    settle(&mut w, 50);
    assert_eq!(learned(&w, 2, 1), Some(v("Green")), "node 2 copied Green and told the others");
    assert_eq!(learned(&w, 2, 2), Some(v("Blue")));
    assert!(w.violations.is_empty());
}

// ----- the open question ------------------------------------------------------------------------

fn two_candidates() -> SpcConfig {
    let mut cfg = SpcConfig::new(3, &[1, 2], 1);
    cfg.max_term = Some(2);
    cfg
}

/// Two coordinators decide different values: the checker's shortest counterexample, pinned.
#[test]
fn checker_two_coordinators_can_choose_different_values() {
    let r = check(&two_candidates(), Bounds::new());
    let (property, path) = r.violation.expect("two coordinators choose different values");
    assert_eq!(property, Property::AtMostOne);
    assert_eq!(path.len(), COUNTEREXAMPLE_LEN);
    assert_eq!(r.states, 54_479);
    let id1 = Ballot::new(1, 1);
    let green = Msg::Propose { seq: 1, id: id1, value: v("Green") };
    let e = |from, to, msg| Move::<SpcNode>::Deliver(paxoscope::check::explorer::Envelope { from, to, msg });
    let nothing = Msg::Report { entries: Box::new([None; paxoscope::spc::MAX_SEQ]) };
    let blue = Msg::Propose { seq: 1, id: Ballot::new(1, 2), value: v("Blue") };
    assert_eq!(
        path,
        vec![
            Move::Propose(1, v("Green")),
            Move::Propose(2, v("Blue")),
            e(1, 2, green.clone()),
            Move::Fire(2, Timer::Election),
            e(2, 1, Msg::Elect),
            e(1, 2, nothing.clone()),
            e(2, 3, Msg::Elect),
            e(3, 2, nothing),
            e(2, 1, blue.clone()),
            e(2, 2, blue),
            Move::Fire(1, Timer::Election),
            e(1, 1, green),
        ]
    );
    // With drops: still 12 moves (the drops add no shorter way).
    let r = check(&two_candidates(), Bounds { drops: true, ..Bounds::new() });
    assert_eq!(r.violation.map(|(p, path)| (p, path.len())), Some((Property::AtMostOne, COUNTEREXAMPLE_LEN)));
}

/// The counterexample played on, in the world, to the harm it does: both coordinators hear
/// a majority accept, for different values, and tell learners.
#[test]
fn two_coordinators_tell_learners_different_values() {
    let mut w = world(two_candidates());
    let propose = |m: &Msg| matches!(m, Msg::Propose { .. });
    let elect = |m: &Msg| matches!(m, Msg::Elect);
    let report = |m: &Msg| matches!(m, Msg::Report { .. });
    let accepted = |m: &Msg| matches!(m, Msg::Accepted { .. });
    // The explorer's twelve moves.
    act(&mut w, Action::Propose(1, v("Green")));
    act(&mut w, Action::Propose(2, v("Blue")));
    deliver(&mut w, 1, 2, propose);
    act(&mut w, Action::Fire(2, "election".into()));
    deliver(&mut w, 2, 1, elect);
    deliver(&mut w, 1, 2, report);
    deliver(&mut w, 2, 3, elect);
    deliver(&mut w, 3, 2, report);
    deliver(&mut w, 2, 1, propose);
    deliver(&mut w, 2, 2, propose);
    assert_eq!(w.ghost.chosen_in(1), Some(v("Blue")));
    act(&mut w, Action::Fire(1, "election".into()));
    deliver(&mut w, 1, 1, propose);
    assert_eq!(w.violations.iter().map(|b| b.property).collect::<Vec<_>>(), vec!["at-most-one"]);
    // Node 2 hears its majority for Blue and tells node 2 (a learner).
    deliver(&mut w, 1, 2, |m| matches!(m, Msg::Accepted { value, .. } if value.as_str() == "Blue"));
    deliver(&mut w, 2, 2, accepted);
    deliver(&mut w, 2, 2, |m| matches!(m, Msg::Chosen { .. }));
    // Node 1's second term: its own report (Green) and node 3's (nothing); it copies Green.
    deliver(&mut w, 1, 1, elect);
    deliver(&mut w, 1, 1, report);
    deliver(&mut w, 1, 3, elect);
    deliver(&mut w, 3, 1, report);
    let id = Ballot::new(2, 1);
    for to in [1, 3] {
        deliver(&mut w, 1, to, |m| *m == Msg::Propose { seq: 1, id, value: v("Green") });
        deliver(&mut w, to, 1, |m| *m == Msg::Accepted { seq: 1, id, value: v("Green") });
    }
    deliver(&mut w, 1, 3, |m| matches!(m, Msg::Chosen { .. }));
    assert_eq!(learned(&w, 2, 1), Some(v("Blue")));
    assert_eq!(learned(&w, 3, 1), Some(v("Green")));
}

/// With one candidate no election can happen: safe, with drops, with one crash, and for a
/// sequence of two values with two proposals.
#[test]
fn checker_a_single_coordinator_is_safe() {
    let one = |slots| {
        let mut cfg = SpcConfig::new(3, &[1], slots);
        cfg.max_term = Some(2);
        cfg
    };
    for (cfg, bounds, states) in [
        (one(1), Bounds::new(), 9),
        (one(1), Bounds { drops: true, ..Bounds::new() }, 28),
        (one(1), Bounds { crashes: 1, ..Bounds::new() }, 1_266),
        (one(2), Bounds { drops: true, proposals: 2, ..Bounds::new() }, 806),
    ] {
        let r = check(&cfg, bounds);
        assert!(r.complete && r.violation.is_none(), "{bounds:?}");
        assert!(r.chosen.is_some(), "a value can be chosen, so the verdict means something");
        assert_eq!(r.states, states, "{bounds:?}");
    }
}

// ----- random schedules with a single coordinator ---------------------------------------------------

#[derive(Clone, Debug)]
enum Choice {
    Step,
    Deliver(usize),
    Drop(usize),
    Duplicate(usize),
    Crash(u8),
    Restart(u8),
    Timeout(u8),
    Propose,
    Cut(u8, u8),
    Heal(u8, u8),
}

fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![
        6 => Just(Choice::Step),
        6 => any::<usize>().prop_map(Choice::Deliver),
        1 => any::<usize>().prop_map(Choice::Drop),
        1 => any::<usize>().prop_map(Choice::Duplicate),
        1 => (2u8..=5).prop_map(Choice::Crash),
        2 => (2u8..=5).prop_map(Choice::Restart),
        2 => (1u8..=5).prop_map(Choice::Timeout),
        2 => Just(Choice::Propose),
        1 => (1u8..=5, 1u8..=5).prop_map(|(a, b)| Choice::Cut(a, b)),
        1 => (1u8..=5, 1u8..=5).prop_map(|(a, b)| Choice::Heal(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A single candidate (no election can happen; the coordinator is never crashed): any
    /// schedule of deliveries, drops, duplicates, crashes and restarts of the other nodes,
    /// timeouts, partitions and proposals keeps the three properties.
    #[test]
    fn a_single_coordinator_stays_safe(n in 3u8..=5, slots in 1u32..=4, seed in any::<u64>(), choices in prop::collection::vec(choice(), 1..150)) {
        let mut w = World::<SpcNode>::new(SpcConfig::new(n as usize, &[1], slots), seed, Policy::default()).unwrap();
        let mut proposed = 0u8;
        for c in &choices {
            let pick = |i: usize| if w.pending.is_empty() { 0 } else { w.pending[i % w.pending.len()].id };
            let node = |k: u8| (k - 1) % n + 1;
            let a = match *c {
                Choice::Step => Action::Step,
                Choice::Deliver(i) => Action::Deliver(pick(i)),
                Choice::Drop(i) => Action::Drop(pick(i)),
                Choice::Duplicate(i) => Action::Duplicate(pick(i)),
                Choice::Crash(k) => Action::Crash(node(k).max(2)),
                Choice::Restart(k) => Action::Restart(node(k)),
                Choice::Timeout(k) => Action::Timeout(node(k)),
                Choice::Propose => {
                    proposed += 1;
                    Action::Propose(1, paxoscope::check::explorer::proposal_value(n as usize, 1, proposed - 1))
                }
                Choice::Cut(a, b) => Action::Cut(node(a), node(b)),
                Choice::Heal(a, b) => Action::Heal(node(a), node(b)),
            };
            let _ = w.apply(&a, &mut Vec::new());
            prop_assert!(w.violations.is_empty(), "{:?} after {:?}", w.violations, a);
        }
    }
}
