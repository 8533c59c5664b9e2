//! Multi-Paxos: the node driven by hand, the seeds' claims, runs through `World`, random
//! schedules, and the checker's verdicts with pinned numbers.

use paxoscope::check::explorer::Move;
use paxoscope::check::invariants::Property;
use paxoscope::check::Bounds;
use paxoscope::multipaxos::{check, Cmd, Lead, MultiConfig, MultiNode, Msg, Timer, MAX_SLOTS};
use paxoscope::paxos::{Ballot, Bug, Value};
use paxoscope::protocol::{bit, Observation, Outbox, Protocol};
use paxoscope::sim::world::{Action, Policy, Slot, World};
use paxoscope::sim::{ClusterConfig, SimError};

type Out = Outbox<Msg, Timer>;

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}
fn b(r: u32, n: u8) -> Ballot {
    Ballot::new(r, n)
}
fn up(w: &World<MultiNode>, id: u8) -> &MultiNode {
    match w.node(id).unwrap() {
        Slot::Up(n) => n,
        Slot::Down(_) => panic!("node {id} is down"),
    }
}

/// Deliver every message and fire every timer the automatic policy picks, `n` times at most,
/// stopping when nothing is left to do.
fn run(w: &mut World<MultiNode>, n: usize) {
    let mut ev = Vec::new();
    for _ in 0..n {
        match w.apply(&Action::Step, &mut ev) {
            Ok(()) | Err(SimError::NothingToDo) => {}
            Err(e) => panic!("{e}"),
        }
        ev.clear();
    }
}

fn act(w: &mut World<MultiNode>, a: Action) {
    let mut ev = Vec::new();
    w.apply(&a, &mut ev).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

// ----- the node, by hand --------------------------------------------------------------------

#[test]
fn the_first_proposer_runs_phase_1_for_every_slot_at_init() {
    let cfg = MultiConfig::new(3, &[1, 2]);
    let mut out = Out::default();
    let n1 = MultiNode::init(&cfg, 1, &mut out);
    assert!(out.persisted, "the round is durable before the Prepare leaves");
    let to: Vec<_> = out.sends.iter().map(|(to, m)| (*to, m.clone())).collect();
    assert_eq!(to, (1..=3).map(|i| (i, Msg::Prepare { ballot: b(1, 1), from: 1 })).collect::<Vec<_>>());
    assert!(matches!(n1.lead, Lead::Preparing { ballot, .. } if ballot == b(1, 1)));
    assert_eq!(Msg::Prepare { ballot: b(1, 1), from: 1 }.view().label, "Prepare 1.1 [s1+]");
    let mut out = Out::default();
    let _n2 = MultiNode::init(&cfg, 2, &mut out);
    assert!(out.sends.is_empty());
    assert_eq!(out.timers.len(), 1, "a follower arms its leader timer");
}

#[test]
fn commands_carry_their_client_and_sequence_into_the_ghost() {
    let c = Cmd::new(4, 1, v("Blue"));
    assert_eq!(c.ghost().as_str(), "Blue#4.1");
    assert_eq!(Cmd::noop().ghost().as_str(), "no-op");
    let long = Cmd::new(9, 65535, v("Ultramarine-and-Violet"));
    assert_eq!(long.ghost().as_str(), "Ultramarine-and#9.65535", "the op is cut so the value fits 23 bytes");
    let m = Msg::Accept { ballot: b(3, 1), slot: 2, cmd: Cmd::new(2, 1, v("Blue")) };
    assert_eq!(m.view().label, "Accept 3.1 [s2] Blue");
    assert_eq!(m.view().slot, Some(2));
    assert_eq!(Msg::Request { cmd: c }.view().label, "Request Blue#4.1");
}

/// An acceptor promises only a higher ballot, reports what it accepted from the Prepare's
/// slot on, and refuses an Accept below its promise; both are durable.
#[test]
fn an_acceptor_promises_reports_and_refuses() {
    let cfg = MultiConfig::new(3, &[1, 2]);
    let mut out = Out::default();
    let mut a = MultiNode::init(&cfg, 3, &mut out);
    let green = Cmd::new(1, 1, v("Green"));
    let blue = Cmd::new(1, 2, v("Blue"));
    for (slot, cmd) in [(1, green), (2, blue)] {
        out.clear();
        a.on_message(&cfg, 1, Msg::Accept { ballot: b(1, 1), slot, cmd }, &mut out);
        assert!(out.persisted);
        assert_eq!(out.sends, vec![(1, Msg::Accepted { ballot: b(1, 1), slot, cmd })], "acceptances go to the leader");
        assert!(matches!(out.observations[0], Observation::Accepted { slot: s, .. } if s == slot));
    }
    out.clear();
    a.on_message(&cfg, 2, Msg::Prepare { ballot: b(2, 2), from: 2 }, &mut out);
    let Some((2, Msg::Promise { ballot, entries })) = out.sends.first().cloned() else { panic!("{:?}", out.sends) };
    assert_eq!(ballot, b(2, 2));
    assert_eq!(entries[0], None, "slot 1 is below the Prepare's from");
    assert_eq!(entries[1], Some((b(1, 1), blue)));
    // Lower or equal ballots get nothing; the explorer may drop them.
    for bal in [b(1, 2), b(2, 2)] {
        out.clear();
        a.on_message(&cfg, 2, Msg::Prepare { ballot: bal, from: 1 }, &mut out);
        assert!(out.sends.is_empty());
        assert!(a.ignores_forever(&cfg, &Msg::Prepare { ballot: bal, from: 1 }));
    }
    out.clear();
    a.on_message(&cfg, 1, Msg::Accept { ballot: b(1, 1), slot: 3, cmd: green }, &mut out);
    assert!(out.sends.is_empty() && out.observations.is_empty());
    // After a crash the promise and the entries are still there.
    let mut out = Out::default();
    let back = MultiNode::restart(&cfg, 3, &a.durable(), &mut out);
    assert_eq!((back.promised, back.accepted[1]), (Some(b(2, 2)), Some((b(1, 1), blue))));
}

/// A new leader re-proposes the highest-ballot value the promises report in every open
/// slot up to the highest reported, and fills a gap with a no-op.
#[test]
fn a_new_leader_re_proposes_and_fills_gaps_with_no_ops() {
    let cfg = MultiConfig::new(3, &[1, 2]);
    let mut out = Out::default();
    let mut n2 = MultiNode::init(&cfg, 2, &mut out);
    out.clear();
    n2.on_timer(&cfg, Timer::Leader, &mut out);
    let ballot = b(1, 2);
    assert!(out.sends.iter().all(|(_, m)| *m == Msg::Prepare { ballot, from: 1 }));
    let old = Cmd::new(1, 1, v("Green"));
    let newer = Cmd::new(3, 1, v("Red"));
    let mut e1 = [None; MAX_SLOTS];
    e1[0] = Some((b(1, 1), old));
    e1[2] = Some((b(1, 1), Cmd::new(1, 3, v("Teal"))));
    let mut e3 = [None; MAX_SLOTS];
    e3[0] = Some((b(1, 3), newer)); // a higher ballot wins slot 1
    out.clear();
    n2.on_message(&cfg, 1, Msg::Promise { ballot, entries: Box::new(e1) }, &mut out);
    assert!(out.sends.is_empty());
    n2.on_message(&cfg, 3, Msg::Promise { ballot, entries: Box::new(e3) }, &mut out);
    assert!(out.observations.contains(&Observation::Leader { ballot }));
    let accepts: Vec<_> = out.sends.iter().filter(|(to, _)| *to == 1).filter_map(|(_, m)| match m {
        Msg::Accept { slot, cmd, .. } => Some((*slot, format!("{cmd:?}"))),
        _ => None,
    }).collect();
    assert_eq!(accepts, vec![(1, "Red#3.1".to_string()), (2, "no-op".to_string()), (3, "Teal#1.3".to_string())]);
    assert!(out.observations.contains(&Observation::Proposed(v("no-op"))));
}

#[test]
fn a_full_log_keeps_the_command_waiting() {
    let mut cfg = MultiConfig::new(3, &[1]);
    cfg.slots = 1;
    let mut w = World::<MultiNode>::new(cfg, 1, Policy::default()).unwrap();
    run(&mut w, 50);
    act(&mut w, Action::Propose(1, v("Green")));
    act(&mut w, Action::Propose(1, v("Blue")));
    run(&mut w, 100);
    let n1 = up(&w, 1);
    assert_eq!(n1.view(&w.cfg).status.as_deref(), Some("leader of ballot 1.1 (log full)"));
    assert_eq!(n1.ledger, vec![v("Green")]);
    assert!(w.violations.is_empty());
}

// ----- the seeds' claims --------------------------------------------------------------------

/// Seed 3 (*Making Paxos face facts*) quoting *Paxos Made Simple*: "In normal operation, a
/// single server is elected to be the leader, which acts as the distinguished proposer (the
/// only one that tries to issue proposals) in all instances of the consensus algorithm." Phase
/// 1 runs once; every later command costs one round trip (Accept, Accepted) and no Prepare.
#[test]
fn seed_a_steady_leader_commits_every_command_with_one_round_trip() {
    let mut cfg = MultiConfig::new(3, &[1, 2]);
    cfg.slots = 4;
    let mut w = World::<MultiNode>::new(cfg, 7, Policy::default()).unwrap();
    run(&mut w, 20);
    let mut ev = Vec::new();
    for op in ["Green", "Blue", "Red", "Amber"] {
        ev.clear();
        w.apply(&Action::Propose(1, v(op)), &mut ev).unwrap();
        for _ in 0..30 {
            let _ = w.apply(&Action::Step, &mut ev);
        }
    }
    let sent = |kind: &str| ev.iter().filter(|e| matches!(e, paxoscope::sim::Event::Sent(p) if MultiNode::describe(&p.msg).kind == kind)).count();
    assert_eq!(sent("Prepare"), 0, "no phase 1 once the leader leads");
    for id in 1..=3 {
        let ledger: Vec<_> = up(&w, id).ledger.iter().map(|v| v.to_string()).collect();
        assert_eq!(ledger, ["Green", "Blue", "Red", "Amber"], "node {id}");
    }
    assert!(w.violations.is_empty());
}

/// Seed 1's slides: leader election, "important to only have one leader at a time" — and
/// seed 3: the leader fails; "an election mechanism can select new proposers". After the
/// leader crashes, a follower's leader timer makes it the leader of a higher ballot, and the
/// log goes on where it stopped; each ballot has one leader.
#[test]
fn seed_a_follower_takes_over_when_the_leader_fails() {
    let mut cfg = MultiConfig::new(3, &[1, 2]);
    cfg.slots = 4;
    let mut w = World::<MultiNode>::new(cfg, 3, Policy::default()).unwrap();
    run(&mut w, 20);
    act(&mut w, Action::Propose(1, v("Green")));
    run(&mut w, 40);
    act(&mut w, Action::Crash(1));
    act(&mut w, Action::Fire(2, "leader".into()));
    run(&mut w, 60);
    assert!(up(&w, 2).is_leader());
    act(&mut w, Action::Propose(2, v("Blue")));
    run(&mut w, 60);
    for id in [2, 3] {
        let ledger: Vec<_> = up(&w, id).ledger.iter().map(|v| v.to_string()).collect();
        assert_eq!(ledger, ["Green", "Blue"], "node {id}");
    }
    assert!(w.ghost.leaders.len() >= 2 && w.ghost.leaders.windows(2).all(|l| l[0].0 != l[1].0));
    assert!(w.violations.is_empty());
}

// ----- through World, with clients ----------------------------------------------------------

fn with_clients() -> MultiConfig {
    let c = ClusterConfig { nodes: 5, proposers: vec![1, 2], clients: Some(vec![4, 5]), slots: Some(6), ..ClusterConfig::default() };
    MultiConfig::from_cluster(&c).unwrap()
}

#[test]
fn clients_commands_are_applied_once_in_the_same_order_everywhere() {
    let cfg = with_clients();
    assert_eq!(cfg.acceptors, bit(1) | bit(2) | bit(3));
    let mut w = World::<MultiNode>::new(cfg, 11, Policy::default()).unwrap();
    act(&mut w, Action::Propose(4, v("Green")));
    act(&mut w, Action::Propose(5, v("Blue")));
    run(&mut w, 200);
    // The first request reached node 1 before it led; the client's retry goes on.
    act(&mut w, Action::Propose(4, v("Red")));
    run(&mut w, 400);
    let ledgers: Vec<_> = (1..=3).map(|id| up(&w, id).ledger.clone()).collect();
    assert_eq!(ledgers[0].len(), 3, "{ledgers:?}");
    assert!(ledgers.iter().all(|l| *l == ledgers[0]));
    assert_eq!(up(&w, 1).table, vec![(4, 2), (5, 1)]);
    assert!(up(&w, 4).outstanding.is_empty() && up(&w, 5).outstanding.is_empty(), "every client got its replies");
    assert!(w.violations.is_empty());
}

/// A client's retry that reaches a new leader after its command was chosen is not proposed
/// again: the leader replies at once, and the command took effect once.
#[test]
fn a_new_leader_answers_a_retry_of_a_chosen_command_at_once() {
    let cfg = with_clients();
    let mut w = World::<MultiNode>::new(cfg, 5, Policy::default()).unwrap();
    run(&mut w, 30);
    act(&mut w, Action::Propose(4, v("Green")));
    run(&mut w, 300);
    // Hand the same command to a second leader, as a retry would.
    act(&mut w, Action::Crash(1));
    act(&mut w, Action::Fire(2, "leader".into()));
    run(&mut w, 100);
    let cmd = Cmd::new(4, 1, v("Green"));
    let (mut out, cfg) = (Out::default(), w.cfg.clone());
    let mut n2 = up(&w, 2).clone();
    n2.on_message(&cfg, 4, Msg::Request { cmd }, &mut out);
    assert!(out.sends.iter().any(|(to, m)| *to == 4 && *m == Msg::Reply { seq: 1 }), "the leader knows it chosen and replies at once: {:?}", out.sends);
    assert_eq!(up(&w, 2).ledger, vec![v("Green")]);
    assert!(w.violations.is_empty());
}

#[test]
fn a_restarted_replica_catches_up_from_heartbeats() {
    let mut cfg = MultiConfig::new(3, &[1]);
    cfg.slots = 4;
    let mut w = World::<MultiNode>::new(cfg, 2, Policy::default()).unwrap();
    run(&mut w, 20);
    act(&mut w, Action::Crash(3));
    act(&mut w, Action::Propose(1, v("Green")));
    act(&mut w, Action::Propose(1, v("Blue")));
    run(&mut w, 60);
    act(&mut w, Action::Restart(3));
    assert!(up(&w, 3).ledger.is_empty(), "replica state is volatile");
    run(&mut w, 200);
    let ledger: Vec<_> = up(&w, 3).ledger.iter().map(|v| v.to_string()).collect();
    assert_eq!(ledger, ["Green", "Blue"]);
    let view = up(&w, 3).view(&w.cfg);
    assert_eq!(view.slots.iter().filter(|s| s.applied).count(), 2);
    assert!(w.violations.is_empty());
}

#[test]
fn configurations_say_what_is_wrong() {
    let bad = |c: ClusterConfig| MultiConfig::from_cluster(&c).unwrap_err().to_string();
    assert!(bad(ClusterConfig { slots: Some(9), ..Default::default() }).contains("1 to 8 slots"));
    assert!(bad(ClusterConfig { slots: Some(0), ..Default::default() }).contains("1 to 8 slots"));
    assert!(bad(ClusterConfig { clients: Some(vec![1]), ..Default::default() }).contains("node 1 is a client"));
    assert!(bad(ClusterConfig { clients: Some(vec![4]), ..Default::default() }).contains("node 4"));
    assert!(bad(ClusterConfig { proposers: vec![], ..Default::default() }).contains("at least one proposer"));
    assert!(bad(ClusterConfig { bug: Some(Bug::MinorityQuorum), ..Default::default() }).contains("of paxos, not of multi-paxos"));
    assert!(bad(ClusterConfig { max_round: Some(3), start_round: 5, ..Default::default() }).contains("below start_round"));
    assert!(bad(ClusterConfig { distinguished: true, ..Default::default() }).contains("always runs a leader"));
    let paxos = ClusterConfig { bug: Some(Bug::NoopOverwrites), ..Default::default() }.paxos().unwrap_err().to_string();
    assert!(paxos.contains("is one of multi-paxos, not of single-decree Paxos"), "{paxos}");
    assert!(bad(ClusterConfig { leases: true, ..Default::default() }).contains("not implemented yet"));
    let c = MultiConfig::from_cluster(&ClusterConfig::default()).unwrap();
    assert_eq!((c.slots, c.proposers, c.clients), (8, bit(1), 0));
    // The new fields are left out of a configuration that does not set them.
    let json = serde_json::to_string(&ClusterConfig::default()).unwrap();
    assert!(!json.contains("slots") && !json.contains("clients") && !json.contains("leases"), "{json}");
    assert_eq!(Bug::from_name("apply-out-of-order"), Ok(Bug::ApplyOutOfOrder));
    assert!(Bug::MULTI.iter().all(|b| b.protocol() == paxoscope::protocols::ProtocolKind::MultiPaxos) && Bug::ALL.iter().all(|b| b.protocol() == paxoscope::protocols::ProtocolKind::Paxos));
}

// ----- random schedules ---------------------------------------------------------------------

mod random {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn every_property_holds_under_random_schedules(
            seed in any::<u64>(),
            clients in any::<bool>(),
            loss in 0u32..300_000,
            dup in 0u32..300_000,
            choices in prop::collection::vec((0u8..8, 1u8..=5, any::<u16>()), 1..300),
        ) {
            let cfg = if clients { with_clients() } else {
                let mut c = MultiConfig::new(3, &[1, 2, 3]);
                c.slots = 6;
                c
            };
            let n = cfg.nodes as u8;
            let policy = Policy { loss_ppm: loss, dup_ppm: dup, delay_ppm: 50_000, min_latency: 1, max_latency: 60 };
            let mut w = World::<MultiNode>::new(cfg, seed, policy).unwrap();
            let mut ev = Vec::new();
            let mut k = 0;
            for (what, node, x) in choices {
                let node = (node - 1) % n + 1;
                let a = match what {
                    0 => { k += 1; Action::Propose(node, paxoscope::check::explorer::proposal_value(n as usize, node, k % 3)) }
                    1 => Action::Crash(node),
                    2 => Action::Restart(node),
                    3 => Action::Timeout(node),
                    4 => Action::Deliver(x as u32 % (w.next_id.max(1))),
                    5 => Action::Drop(x as u32 % (w.next_id.max(1))),
                    _ => Action::Step,
                };
                let _ = w.apply(&a, &mut ev);
                ev.clear();
                prop_assert!(w.violations.is_empty(), "{:?} after {:?}", w.violations, a);
            }
        }
    }
}

// ----- the checker --------------------------------------------------------------------------

fn bounds(drops: bool, dups: bool, crashes: u8, proposals: u8) -> Bounds {
    Bounds { drops, dups, crashes, proposals, ..Bounds::new() }
}

/// The correct protocol is safe, with pinned state counts: 3 nodes (all acceptors and
/// replicas), 2 proposers (ballots 1.1 and 1.2: two leaders), 1 slot, max round 1; and 1
/// proposer with 2 commands in 2 slots. (2 slots with 2 proposers, or 2 rounds, run into
/// millions of states: see the module docs of `multipaxos` and the report.)
#[test]
fn the_correct_protocol_is_safe_on_small_clusters() {
    let two = MultiConfig::small(3, &[1, 2], 1, Some(1), None);
    let one = MultiConfig::small(3, &[1], 2, Some(1), None);
    let table = [
        (&two, bounds(false, false, 0, 1), 58_657),
        (&two, bounds(false, true, 0, 1), 50_791),
        (&one, bounds(false, false, 0, 2), 2_876),
        (&one, bounds(true, true, 1, 2), 28_799),
    ];
    for (cfg, b, want) in table {
        let r = check(cfg, b);
        assert!(r.complete && r.violation.is_none(), "{cfg:?} {b:?}: {:?}", r.violation);
        assert!(r.chosen.is_some(), "a value can be chosen, so the proof means something");
        assert_eq!(r.states, want, "{cfg:?} {b:?}");
    }
}

/// Drops, duplicates and a crash together on the two-leader configuration (half a million
/// states: about 6 s in release).
#[test]
fn the_correct_protocol_is_safe_with_drops_dups_and_a_crash() {
    let two = MultiConfig::small(3, &[1, 2], 1, Some(1), None);
    let r = check(&two, bounds(true, true, 1, 1));
    assert!(r.complete && r.violation.is_none(), "{:?}", r.violation);
    assert_eq!(r.states, 523_930);
}

/// Each broken variant is UNSAFE on the configuration (3 nodes, 2 proposers, 2 slots,
/// max round 2), with its shortest counterexample's length pinned.
#[test]
fn every_broken_variant_has_a_shortest_counterexample() {
    let table = [
        (Bug::NewLeaderSkipsPhase1, Property::AtMostOne, 11),
        (Bug::NoopOverwrites, Property::AtMostOne, 14),
        (Bug::ApplyOutOfOrder, Property::SameSequence, 11),
    ];
    for (bug, property, len) in table {
        let cfg = MultiConfig::small(3, &[1, 2], 2, Some(2), Some(bug));
        let r = check(&cfg, bounds(false, false, 0, 1));
        let (p, path) = r.violation.unwrap_or_else(|| panic!("{} must be unsafe", bug.name()));
        assert_eq!((p, path.len()), (property, len), "{}: {path:?}", bug.name());
        // The cause is in the path: the node that deviates is the one the bug names.
        replay_breaks(&cfg, &path, bug);
    }
}

/// Replaying a counterexample's moves in a `World` breaks the same rule, with the deviation
/// recorded.
fn replay_breaks(cfg: &MultiConfig, path: &[Move<MultiNode>], bug: Bug) {
    let mut w = World::<MultiNode>::new(cfg.clone(), 1, Policy::default()).unwrap();
    let mut ev = Vec::new();
    let mut deviated = false;
    for m in path {
        let a = match *m {
            Move::Propose(id, v) => Action::Propose(id, v),
            Move::Deliver(ref e) => {
                let p = w.pending.iter().find(|p| p.from == e.from && p.to == e.to && p.msg == e.msg).expect("message in flight");
                Action::Deliver(p.id)
            }
            Move::Drop(ref e) => {
                let p = w.pending.iter().find(|p| p.from == e.from && p.to == e.to && p.msg == e.msg).expect("message in flight");
                Action::Drop(p.id)
            }
            Move::Fire(id, t) => Action::Fire(id, MultiNode::timer_name(&t).into()),
            Move::Crash(id) => Action::Crash(id),
            Move::Restart(id) => Action::Restart(id),
            Move::Cut(_) | Move::Heal => unreachable!("these bounds have no partitions"),
        };
        w.apply(&a, &mut ev).unwrap_or_else(|e| panic!("{a:?}: {e}"));
        deviated |= ev.iter().any(|e| matches!(e, paxoscope::sim::Event::Deviated { what, .. } if what.bug() == bug));
        ev.clear();
    }
    assert!(deviated, "{}: no deviation recorded", bug.name());
    assert!(!w.violations.is_empty(), "{}: the replay breaks no rule", bug.name());
}

/// A client keeps no log: its view has no slots (the page draws it no strip), and its status
/// says which command it waits for and where it sent it.
#[test]
fn a_client_shows_no_log_and_says_what_it_waits_for() {
    let c = ClusterConfig { nodes: 4, proposers: vec![1, 2], clients: Some(vec![4]), slots: Some(4), ..ClusterConfig::default() };
    let mut w = World::<MultiNode>::new(MultiConfig::from_cluster(&c).unwrap(), 3, Policy::default()).unwrap();
    let status = |w: &World<MultiNode>| up(w, 4).view(&w.cfg).status;
    assert_eq!(status(&w).as_deref(), Some("no command waiting"));
    run(&mut w, 30);
    act(&mut w, Action::Propose(4, v("Green")));
    assert_eq!(status(&w).as_deref(), Some("waiting for command 1 (sent to node 1)"));
    run(&mut w, 200);
    assert_eq!(status(&w).as_deref(), Some("all commands answered"));
    act(&mut w, Action::Crash(1));
    act(&mut w, Action::Propose(4, v("Blue")));
    act(&mut w, Action::Fire(4, "retry".into()));
    assert_eq!(status(&w).as_deref(), Some("waiting for command 2 (retrying to node 2)"));
    run(&mut w, 400);
    assert_eq!(status(&w).as_deref(), Some("all commands answered"));
    let view = up(&w, 4).view(&w.cfg);
    assert_eq!(view.roles, vec!["client"]);
    assert!(view.slots.is_empty(), "a client has no log: {:?}", view.slots);
    assert!(up(&w, 2).view(&w.cfg).slots.iter().all(|s| s.applied), "the servers do");
    assert_eq!(up(&w, 2).ledger, vec![v("Green"), v("Blue")]);
    assert!(w.violations.is_empty());
}
