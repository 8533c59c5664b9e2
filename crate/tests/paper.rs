//! One test per claim of Lamport's *Paxos Made Simple* (2001), quoted. Nodes are driven
//! directly through the sans-IO interface and the exact effects in the outbox are asserted.

use paxoscope::check::invariants::Ghost;
use paxoscope::paxos::{Ballot, Bug, Msg, PaxosConfig, PaxosNode, Phase, Timer, Value};
use paxoscope::protocol::{bit, Observation, Outbox, Protocol, TimerCmd};
use paxoscope::scenario;
use paxoscope::sim::{Action, ClusterConfig, Session};

type Out = Outbox<Msg, Timer>;

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}
fn b(round: u32, node: u8) -> Ballot {
    Ballot::new(round, node)
}
fn cfg3(proposers: &[u8]) -> PaxosConfig {
    PaxosConfig::new(3, proposers)
}
fn node(cfg: &PaxosConfig, id: u8) -> PaxosNode {
    PaxosNode::init(cfg, id, &mut Out::default())
}
fn deliver(n: &mut PaxosNode, cfg: &PaxosConfig, from: u8, m: Msg) -> Out {
    let mut out = Out::default();
    n.on_message(cfg, from, m, &mut out);
    out
}

// §2.2 "P1. An acceptor must accept the first proposal that it receives."
#[test]
fn p1_an_acceptor_accepts_the_first_proposal_it_receives() {
    let cfg = cfg3(&[1]);
    let mut a = node(&cfg, 2);
    let out = deliver(&mut a, &cfg, 1, Msg::Accept { ballot: b(1, 1), value: v("Green") });
    assert_eq!(a.accepted, Some((b(1, 1), v("Green"))));
    assert!(out.persisted);
    assert_eq!(out.observations, vec![Observation::Accepted { slot: 0, ballot: b(1, 1), value: v("Green"), promised: None }]);
}

// §2.2 "P1a. An acceptor can accept a proposal numbered n iff it has not responded to a
// prepare request having a number greater than n."
#[test]
fn p1a_an_acceptor_accepts_unless_it_promised_a_higher_ballot() {
    let cfg = cfg3(&[1, 2]);
    let mut a = node(&cfg, 3);
    deliver(&mut a, &cfg, 2, Msg::Prepare { ballot: b(5, 2) });
    let out = deliver(&mut a, &cfg, 1, Msg::Accept { ballot: b(5, 1), value: v("Green") });
    assert_eq!(a.accepted, None, "5.1 < 5.2 was promised");
    assert_eq!(out.sends, vec![(1, Msg::Nack { ballot: b(5, 1), promised: b(5, 2) })]);
    assert!(!out.persisted);
    // Equal to the promise: accepted.
    let out = deliver(&mut a, &cfg, 2, Msg::Accept { ballot: b(5, 2), value: v("Blue") });
    assert_eq!(a.accepted, Some((b(5, 2), v("Blue"))));
    assert!(out.persisted);
}

// §2.2 "(b) If an acceptor receives a prepare request with number n greater than that of any
// prepare request to which it has already responded, then it responds to the request with a
// promise not to accept any more proposals numbered less than n and with the highest-numbered
// proposal (if any) that it has accepted."
#[test]
fn a_promise_carries_the_highest_numbered_accepted_proposal() {
    let cfg = cfg3(&[1, 2]);
    let mut a = node(&cfg, 3);
    let out = deliver(&mut a, &cfg, 1, Msg::Prepare { ballot: b(41, 3) });
    assert_eq!(out.sends, vec![(1, Msg::Promise { ballot: b(41, 3), prior: None })]);
    assert!(out.persisted, "the promise is written to stable storage before the reply leaves");
    deliver(&mut a, &cfg, 1, Msg::Accept { ballot: b(41, 3), value: v("Green") });
    let out = deliver(&mut a, &cfg, 2, Msg::Prepare { ballot: b(42, 2) });
    assert_eq!(out.sends, vec![(2, Msg::Promise { ballot: b(42, 2), prior: Some((b(41, 3), v("Green"))) })]);
    // A lower prepare is answered with a rejection naming the promise.
    let out = deliver(&mut a, &cfg, 1, Msg::Prepare { ballot: b(40, 1) });
    assert_eq!(out.sends, vec![(1, Msg::Nack { ballot: b(40, 1), promised: b(42, 2) })]);
    assert_eq!(a.promised, Some(b(42, 2)));
}

// §2.2 (b) again: an acceptor responds to a prepare "with number n greater than that of any
// prepare request to which it has already responded" — and to no other. `Paxos.tla` agrees:
// Phase1b needs `m.bal > maxBal[a]`, and Phase2b raises maxBal to the accepted ballot. So a
// Prepare for the ballot already promised (a duplicate, or one delayed past the Accept of its
// own ballot) gets nothing: the first promise stands, and no Promise ever reports a vote in
// its own ballot.
#[test]
fn a_prepare_not_higher_than_the_promise_gets_no_promise() {
    let cfg = cfg3(&[1, 3]);
    let mut a = node(&cfg, 2);
    let first = deliver(&mut a, &cfg, 3, Msg::Prepare { ballot: b(1, 3) });
    assert_eq!(first.sends, vec![(3, Msg::Promise { ballot: b(1, 3), prior: None })]);
    let again = deliver(&mut a, &cfg, 3, Msg::Prepare { ballot: b(1, 3) });
    assert!(again.sends.is_empty() && !again.persisted, "a duplicate Prepare is not answered again");
    // Accepted without having seen the Prepare (it was delayed): the late Prepare gets nothing,
    // never `Promise 1.3 (1.3: Red)`.
    let mut late = node(&cfg, 3);
    deliver(&mut late, &cfg, 3, Msg::Accept { ballot: b(1, 3), value: v("Red") });
    let out = deliver(&mut late, &cfg, 3, Msg::Prepare { ballot: b(1, 3) });
    assert!(out.sends.is_empty(), "{:?}", out.sends);
    assert_eq!(late.durable(), paxoscope::paxos::Durable { promised: Some(b(1, 3)), accepted: Some((b(1, 3), v("Red"))), max_round: 0 });
    // The run: with the old rule, step 18 sent `Promise 1.3 (1.3: Red)`.
    let mut s = Session::new(ClusterConfig {
        nodes: 3,
        proposers: vec![1, 2, 3],
        seed: 100_044,
        policy: paxoscope::sim::Policy { dup_ppm: 250_000, delay_ppm: 100_000, ..Default::default() },
        ..Default::default()
    })
    .unwrap();
    for p in 1..=3u8 {
        s.act(Action::Propose(p, paxoscope::check::explorer::colour(p))).unwrap();
    }
    s.run(1500);
    let mut promises = 0;
    for line in s.log() {
        // "node 3 sends Promise 1.3 (1.3: Red) to node 3": a prior in the promise's own ballot.
        for part in line.text.split("sends Promise ").skip(1) {
            promises += 1;
            let ballot = part.split(' ').next().unwrap_or("?");
            assert!(!part.starts_with(&format!("{ballot} ({ballot}:")), "step {}: {}", line.step, line.text);
        }
    }
    assert!(promises > 3, "the run sends promises ({promises})");
}

// §2.2 "(b) If the proposer receives a response to its prepare requests (numbered n) from a
// majority of acceptors, then it sends a request to each of those acceptors to accept a
// proposal numbered n with a value v, where v is the value of the highest-numbered proposal
// among the responses, or is any value if the responders reported no proposals."
#[test]
fn the_proposer_proposes_the_highest_numbered_reported_value_after_a_majority() {
    let cfg = PaxosConfig::new(5, &[2]);
    let mut p = node(&cfg, 2);
    let mut out = Out::default();
    p.on_propose(&cfg, v("Blue"), &mut out);
    let ballot = b(1, 2);
    assert_eq!(out.sends.iter().filter(|(_, m)| *m == Msg::Prepare { ballot }).count(), 5);
    assert_eq!(out.timers, vec![TimerCmd::Set { timer: Timer::Retry, min: 200, max: 300 }]);
    let o1 = deliver(&mut p, &cfg, 1, Msg::Promise { ballot, prior: Some((b(0, 3), v("Red"))) });
    let o2 = deliver(&mut p, &cfg, 4, Msg::Promise { ballot, prior: Some((b(0, 4), v("Green"))) });
    assert!(o1.sends.is_empty() && o2.sends.is_empty(), "two of five is no majority");
    let o3 = deliver(&mut p, &cfg, 5, Msg::Promise { ballot, prior: None });
    let accepts: Vec<_> = o3.sends.iter().map(|(to, m)| (*to, *m)).collect();
    assert_eq!(accepts, (1..=5).map(|to| (to, Msg::Accept { ballot, value: v("Green") })).collect::<Vec<_>>(), "0.4 is the highest-numbered proposal reported");
    // With no proposal reported, the proposer's own value.
    let mut q = node(&cfg, 2);
    q.on_propose(&cfg, v("Blue"), &mut Out::default());
    for a in [1, 3] {
        deliver(&mut q, &cfg, a, Msg::Promise { ballot, prior: None });
    }
    let out = deliver(&mut q, &cfg, 4, Msg::Promise { ballot, prior: None });
    assert!(out.sends.iter().all(|(_, m)| *m == Msg::Accept { ballot, value: v("Blue") }));
}

// §2.2 "Different proposers choose their numbers from disjoint sets of numbers" and "each
// proposer remembers (in stable storage) the highest-numbered proposal it has tried to issue,
// and begins phase 1 with a higher proposal number than any it has already used."
#[test]
fn ballots_are_unique_per_proposer_and_grow_across_a_crash() {
    let cfg = cfg3(&[1, 2]);
    let (mut p1, mut p2) = (node(&cfg, 1), node(&cfg, 2));
    p1.on_propose(&cfg, v("Green"), &mut Out::default());
    p2.on_propose(&cfg, v("Blue"), &mut Out::default());
    let ballot = |n: &PaxosNode| match n.phase {
        Phase::Preparing { ballot, .. } => ballot,
        _ => panic!("not preparing"),
    };
    assert_ne!(ballot(&p1), ballot(&p2));
    let used = ballot(&p1);
    let mut p1 = PaxosNode::restart(&cfg, 1, &p1.durable(), &mut Out::default());
    p1.on_propose(&cfg, v("Green"), &mut Out::default());
    assert!(ballot(&p1) > used, "a restarted proposer never reuses a ballot");
}

// The broken variant `proposer-forgets-round` drops exactly that memory: after a restart the
// proposer starts again from round 1 and can reuse a ballot it already used.
#[test]
fn the_broken_variant_forgets_the_highest_round_and_reuses_a_ballot() {
    let mut cfg = cfg3(&[1]);
    cfg.bug = Some(Bug::ProposerForgetsRound);
    let mut p = node(&cfg, 1);
    let mut out = Out::default();
    p.on_propose(&cfg, v("Green"), &mut out);
    assert!(out.persisted, "the round is still written; it is the restart that loses it");
    let back = PaxosNode::restart(&cfg, 1, &p.durable(), &mut Out::default());
    assert_eq!(back.max_round, 0);
    let mut back = back;
    back.on_propose(&cfg, v("Amber"), &mut Out::default());
    assert!(matches!(back.phase, Phase::Preparing { ballot, .. } if ballot == b(1, 1)), "ballot 1.1 reused");
}

// §2.2 "An acceptor must remember this information even if it fails and then restarts."
#[test]
fn acceptor_state_survives_a_crash_and_the_broken_variant_forgets() {
    let mut cfg = cfg3(&[1]);
    let mut a = node(&cfg, 3);
    deliver(&mut a, &cfg, 1, Msg::Prepare { ballot: b(42, 1) });
    deliver(&mut a, &cfg, 1, Msg::Accept { ballot: b(42, 1), value: v("Green") });
    let back = PaxosNode::restart(&cfg, 3, &a.durable(), &mut Out::default());
    assert_eq!((back.promised, back.accepted), (Some(b(42, 1)), Some((b(42, 1), v("Green")))));
    cfg.bug = Some(Bug::AcceptorForgets);
    let back = PaxosNode::restart(&cfg, 3, &a.durable(), &mut Out::default());
    assert_eq!((back.promised, back.accepted), (None, None));
}

// §2.3 "each acceptor, whenever it accepts a proposal, respond to all learners, sending them
// the proposal" — and to the proposer, which learns its round succeeded.
#[test]
fn an_acceptance_is_reported_to_the_proposer_and_every_learner() {
    let mut cfg = PaxosConfig::new(4, &[1]);
    cfg.learners = bit(3) | bit(4);
    let mut a = node(&cfg, 2);
    let out = deliver(&mut a, &cfg, 1, Msg::Accept { ballot: b(1, 1), value: v("Green") });
    let to: Vec<u8> = out.sends.iter().map(|(t, _)| *t).collect();
    assert_eq!(to, vec![1, 3, 4]);
}

// §2.3 "To learn that a value has been chosen, a learner must find out that a proposal has
// been accepted by a majority of acceptors."
#[test]
fn a_learner_learns_only_from_a_majority_of_one_proposal() {
    let cfg = cfg3(&[1, 2]);
    let mut l = node(&cfg, 3);
    deliver(&mut l, &cfg, 1, Msg::Accepted { ballot: b(1, 1), value: v("Green") });
    deliver(&mut l, &cfg, 2, Msg::Accepted { ballot: b(2, 2), value: v("Green") });
    assert_eq!(l.learned, None, "two acceptors, but of different proposals");
    deliver(&mut l, &cfg, 1, Msg::Accepted { ballot: b(1, 1), value: v("Green") });
    assert_eq!(l.learned, None, "a duplicate counts once");
    let out = deliver(&mut l, &cfg, 3, Msg::Accepted { ballot: b(1, 1), value: v("Green") });
    assert_eq!(l.learned, Some(v("Green")));
    assert_eq!(out.observations, vec![Observation::Learned { slot: 0, value: v("Green") }]);
}

// §2.1 "A value is chosen when a single proposal with that value has been accepted by a
// majority of the acceptors."
#[test]
fn chosen_means_one_proposal_accepted_by_a_majority() {
    let acceptors = bit(1) | bit(2) | bit(3);
    let mut g = Ghost::default();
    g.observe(1, &Observation::Proposed(v("Green")), acceptors);
    g.observe(1, &Observation::Accepted { slot: 0, ballot: b(1, 1), value: v("Green"), promised: None }, acceptors);
    g.observe(2, &Observation::Accepted { slot: 0, ballot: b(2, 1), value: v("Green"), promised: None }, acceptors);
    assert_eq!(g.chosen_value(), None);
    g.observe(3, &Observation::Accepted { slot: 0, ballot: b(2, 1), value: v("Green"), promised: None }, acceptors);
    assert_eq!(g.chosen_value(), Some(v("Green")));
}

// §2.2 "a proposer … should abandon a proposal if some proposer has begun trying to issue a
// higher-numbered one" — the acceptor informs it, and its next round is higher still.
#[test]
fn a_rejected_proposer_retries_above_the_ballot_that_beat_it() {
    let cfg = cfg3(&[1, 2]);
    let mut p = node(&cfg, 1);
    p.on_propose(&cfg, v("Green"), &mut Out::default());
    let out = deliver(&mut p, &cfg, 2, Msg::Nack { ballot: b(1, 1), promised: b(7, 2) });
    assert!(out.persisted);
    let mut out = Out::default();
    p.on_timer(&cfg, Timer::Retry, &mut out);
    assert!(out.sends.iter().all(|(_, m)| *m == Msg::Prepare { ballot: b(8, 1) }));
}

// §2.4 "It's easy to construct a scenario in which two proposers each keep issuing a
// sequence of proposals with increasing numbers, none of which are ever chosen."
#[test]
fn dueling_proposers_can_livelock() {
    let s = scenario::load("dueling-proposers").unwrap();
    let snap = s.snapshot();
    assert_eq!(snap.chosen, None);
    assert!(snap.violations.is_empty(), "livelock is not a safety violation");
    // Rounds kept growing: both proposers reached round 44 or more.
    let w = s.world();
    for id in [1, 2] {
        let paxoscope::sim::world::Slot::Up(n) = &w.slots[id - 1] else { panic!() };
        let n = n.as_paxos().unwrap();
        assert!(n.max_round >= 44, "node {id} reached round {}", n.max_round);
    }
}

// §2.4 "To guarantee progress, a distinguished proposer must be selected as the only one to
// try issuing proposals."
#[test]
fn only_the_distinguished_proposer_proposes_and_a_value_is_chosen() {
    let mut s = Session::new(ClusterConfig { nodes: 3, proposers: vec![1, 2], distinguished: true, ..Default::default() }).unwrap();
    s.act(Action::Propose(2, v("Blue"))).unwrap();
    assert!(s.world().pending.is_empty(), "a follower does not start a competing round");
    s.act(Action::Propose(1, v("Green"))).unwrap();
    assert_eq!(s.world().pending.len(), 3);
    s.run(200);
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Green"));
    // When the leader dies, the other takes over and gets its value chosen in a new cluster.
    let mut s = Session::new(ClusterConfig { nodes: 3, proposers: vec![1, 2], distinguished: true, ..Default::default() }).unwrap();
    s.act(Action::Propose(2, v("Blue"))).unwrap();
    s.act(Action::Crash(1)).unwrap();
    s.run(500);
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Blue"));
}

// §2.4 "If enough of the system (proposer, acceptors, and communication network) is working
// properly, liveness can therefore be achieved by electing a single distinguished proposer."
#[test]
fn with_a_leader_progress_comes_despite_loss_and_duplication() {
    let snap = scenario::load("lossy-network").unwrap().snapshot();
    assert_eq!(snap.chosen.as_deref(), Some("Green"));
    assert!(snap.violations.is_empty());
    assert!(snap.nodes.iter().all(|n| n.view.learned.as_deref() == Some("Green")));
}

// §2.2 "P2c … a majority of acceptors" and §2.1 "Only a value that has been proposed may be
// chosen": the chosen value was proposed, by the story of the seed documents.
#[test]
fn node_2_must_propose_the_value_node_3_reports() {
    let s = scenario::load("proposer-fails-during-accept").unwrap();
    let log: Vec<String> = s.log().into_iter().map(|l| l.text).collect();
    assert!(log.iter().any(|l| l.contains("Promise 42.2 (42.1: Green) from node 3 to node 2 delivered; node 2 sends Accept 42.2 Green")), "{log:#?}");
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Green"));
}

/// The slides: "Leader election (eg. Mesos and Zookeeper) – important to only have one leader
/// at a time. Some node(s) propose to be leader, other nodes can accept or reject." With
/// single-decree Paxos choosing the leader (the value is a node), every schedule of two
/// candidates over three acceptors (ballots 1.1 and 1.2), with losses and a crash, elects
/// at most one leader — and one can be elected.
#[test]
fn paxos_elects_at_most_one_leader() {
    use paxoscope::check::explorer::{explore, Bounds};
    let mut cfg = PaxosConfig::new(3, &[1, 2]);
    cfg.max_round = Some(1);
    let values = vec![vec![v("Leader 1")], vec![v("Leader 2")], vec![]];
    let bounds = Bounds { drops: true, crashes: 1, max_states: 5_000_000, ..Bounds::new() };
    let r = explore::<paxoscope::paxos::PaxosNode>(&cfg, &values, bounds, true);
    assert!(r.complete, "{} states", r.states);
    assert_eq!(r.states, 235_899, "pinned");
    assert!(r.violation.is_none(), "two leaders: {:?}", r.violation);
    assert!(r.chosen.is_some(), "a leader can be elected");
    // And the story tells it: two candidates run, Leader 2 wins, node 1's retry re-proposes it.
    let s = paxoscope::scenario::load("leader-election").unwrap();
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Leader 2"));
    assert!(s.snapshot().nodes.iter().all(|n| n.view.learned.as_deref() == Some("Leader 2")));
    assert!(s.log().iter().any(|l| l.text.contains("node 1 sends Accept 43.1 Leader 2")), "the losing candidate proposes the winner");
}
