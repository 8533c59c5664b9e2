//! The exhaustive explorer proves plain Paxos safe on small clusters and finds a
//! counterexample for every broken variant — which is how we know it can fail. State counts
//! are pinned (as Stateright does), so an accidental change to the model shows up here.
//! The explorer's reductions are validated here too: switched off, every tiny configuration
//! gets the same verdict and the same shortest counterexample length, and the protocol's own
//! transitions confirm what `ignores_forever` and `only_informs` claim in every reachable
//! state.

use paxoscope::check::counterexample;
use paxoscope::check::explorer::{explore_visiting, paxos_proposals, Move, Visit};
use paxoscope::check::invariants::Property;
use paxoscope::check::{check_paxos, Bounds, Reductions};
use paxoscope::paxos::{Bug, Msg, PaxosConfig, PaxosNode, Phase, Timer};
use paxoscope::protocol::{Observation, Outbox, Protocol, TimerCmd};
use paxoscope::scenario;
use paxoscope::sim::world::Slot;
use paxoscope::sim::{Action, ClusterConfig, Session};

type Out = Outbox<Msg, Timer>;

#[path = "support/paxos_configs.rs"]
mod paxos_configs;
use paxos_configs::{bounds, cfg, cluster_of};

#[test]
fn small_clusters_are_safe_with_pinned_state_counts() {
    // (nodes, proposers, rounds, drops, dups, crashes, proposals each, unique states)
    let table: &[(usize, &[u8], u32, bool, bool, u8, u8, u64)] = &[
        (1, &[1], 2, false, false, 0, 1, 25),
        (3, &[1], 2, true, false, 1, 2, 173_284),
        (3, &[1, 2], 1, false, false, 0, 1, 3_345),
        (3, &[1, 2], 1, true, true, 1, 2, 59_983),
        (3, &[1, 2], 1, true, true, 1, 1, 19_556),
        (3, &[1, 2], 2, false, false, 0, 1, 514_507),
    ];
    for &(n, p, r, drops, dups, crashes, proposals, want) in table {
        let report = check_paxos(&cfg(n, p, r, None), Bounds { proposals, ..bounds(drops, dups, crashes) });
        assert!(report.complete);
        assert!(report.violation.is_none(), "{n} nodes {p:?}: {:?}", report.violation);
        assert_eq!(report.states, want, "{n} nodes, proposers {p:?}, {r} rounds, drops {drops} dups {dups} crashes {crashes} proposals {proposals}");
        // Not a vacuous proof: a value can be chosen, by the shortest path (propose, a quorum
        // of Prepare/Promise, a quorum of Accept).
        let path = report.chosen.expect("a value can be chosen");
        let quorum = n / 2 + 1;
        assert_eq!(path.len(), 1 + 3 * quorum, "{path:?}");
    }
}

/// The configuration the issue names: 3 nodes, 2 proposers, 2 rounds, drops, duplicates,
/// one crash, a client asking each proposer at any moment, once.
#[test]
fn plain_paxos_is_safe_for_three_nodes_two_proposers_two_rounds_drops_dups_one_crash() {
    let report = check_paxos(&cfg(3, &[1, 2], 2, None), Bounds { proposals: 1, ..bounds(true, true, 1) });
    assert!(report.complete);
    assert!(report.violation.is_none(), "{:?}", report.violation);
    assert!(report.chosen.is_some());
    assert_eq!(report.states, 3_776_004);
}

#[test]
fn every_broken_variant_has_a_replayable_counterexample() {
    for bug in Bug::ALL {
        let cluster = scenario::bug_cluster(bug);
        let c = cluster.paxos().unwrap();
        let b = scenario::bug_bounds(bug);
        let report = check_paxos(&c, b);
        let (property, path) = report.violation.unwrap_or_else(|| panic!("{} must be unsafe", bug.name()));
        let want = if bug == Bug::MinorityQuorum { Property::LearnedChosen } else { Property::AtMostOne };
        assert_eq!(property, want, "{}", bug.name());
        let session = counterexample::replay(&cluster, &path, b.dups, property).unwrap();
        // The trace the CLI prints replays to the same state, violation included.
        let again = Session::from_trace(&session.trace()).unwrap();
        assert_eq!(again.hash(), session.hash());
        assert!(again.world().violations.iter().any(|v| v.property == property.name()));
    }
}

/// `proposer-forgets-round` needs a proposer that crashes and is asked again: the checker
/// finds it on the standard configuration (the command, with its default of two
/// proposals per proposer when crashes are allowed), by a shortest path of 14 moves in
/// which the restarted node 1 reuses ballot 1.1 for Amber after Green was chosen with it.
#[test]
fn proposer_forgets_round_is_found_on_the_standard_configuration() {
    let c = cfg(3, &[1, 2], 2, Some(Bug::ProposerForgetsRound));
    let b = Bounds { max_states: 20_000_000, ..bounds(true, true, 1) };
    assert_eq!(b.proposals, 2);
    let report = check_paxos(&c, b);
    let (property, path) = report.violation.expect("proposer-forgets-round is unsafe");
    assert_eq!(property, Property::AtMostOne);
    assert_eq!(path.len(), 14);
    let crash = path.iter().position(|m| matches!(m, Move::Crash(1))).expect("node 1 crashes");
    assert!(path[crash..].iter().any(|m| matches!(m, Move::Propose(1, _))), "and is asked again after its restart");
    let session = counterexample::replay(&cluster_of(&c), &path, true, property).unwrap();
    assert!(session.world().violations.iter().any(|v| v.property == "at-most-one"));
    // The same bug is invisible when each proposer is asked once (then a restarted proposer
    // never proposes again, as in the old model) — shown with one round, where that search
    // completes. Correct Paxos stays safe on the same bounds.
    let one_round = cfg(3, &[1, 2], 1, Some(Bug::ProposerForgetsRound));
    let once = check_paxos(&one_round, Bounds { proposals: 1, ..bounds(true, true, 1) });
    assert!(once.violation.is_none() && once.complete);
    assert!(check_paxos(&one_round, bounds(true, true, 1)).violation.is_some());
    let correct = check_paxos(&cfg(3, &[1, 2], 1, None), bounds(true, true, 1));
    assert!(correct.violation.is_none() && correct.complete);
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
    assert_eq!(path.len(), 14);
    let (p, path_dups) = check_paxos(&c, bounds(true, true, 0)).violation.unwrap();
    assert_eq!(path_dups.len(), 14);
    counterexample::replay(&cluster_of(&c), &path_dups, true, p).unwrap();
}

#[test]
fn a_state_budget_stops_the_search_without_claiming_a_proof() {
    let mut b = bounds(false, false, 0);
    b.max_states = 100;
    let report = check_paxos(&cfg(3, &[1, 2], 2, None), b);
    assert!(!report.complete);
    assert_eq!(report.states, 100);
}

/// The "sometimes" check: with no proposals nothing can ever be chosen, and the report says
/// so (a safety proof there proves nothing); the shortest path to a chosen value replays.
#[test]
fn the_explorer_reports_whether_a_value_can_be_chosen_at_all() {
    let c = cfg(3, &[1, 2], 2, None);
    let none = check_paxos(&c, Bounds { proposals: 0, ..bounds(true, true, 1) });
    assert!(none.complete && none.violation.is_none());
    assert!(none.chosen.is_none(), "nothing proposed, nothing chosen");
    let some = check_paxos(&c, bounds(false, false, 0));
    let path = some.chosen.expect("a value can be chosen");
    assert_eq!(path.len(), 7, "{path:?}");
    assert!(matches!(path[0], Move::Propose(..)));
    let mut s = Session::new(cluster_of(&c)).unwrap();
    for m in &path {
        let id = |e: &paxoscope::check::explorer::Envelope<Msg>| s.world().pending.iter().find(|p| p.from == e.from && p.to == e.to && p.msg == paxoscope::protocols::AnyMsg::Paxos(e.msg)).unwrap().id;
        let a = match m {
            Move::Propose(n, v) => Action::Propose(*n, *v),
            Move::Deliver(e) => Action::Deliver(id(e)),
            other => panic!("unexpected move {other:?}"),
        };
        s.act(a).unwrap();
    }
    assert!(s.world().ghost.chosen_value().is_some());
}

/// A counterexample's timer moves replay as the exact timer: `Fire(node, "retry")`, not
/// "the node's earliest timer", which in leader mode can be another one.
#[test]
fn replay_fires_the_exact_timer() {
    // In leader mode node 1 has a heartbeat timer due before its retry timer: `Timeout`
    // fires the heartbeat; a counterexample's `Fire(1, Retry)` replays as the retry.
    let leader = ClusterConfig { nodes: 3, proposers: vec![1, 2], distinguished: true, ..Default::default() };
    let green = paxoscope::check::explorer::colour(1);
    let s = counterexample::replay_moves::<paxoscope::paxos::PaxosNode>(&leader, &[Move::Propose(1, green), Move::Fire(1, Timer::Retry)], false).unwrap();
    assert_eq!(s.actions().last(), Some(&Action::Fire(1, "retry".into())));
    assert!(s.log().last().unwrap().text.contains("Node 1's retry timer fires; node 1 sends Prepare 2.1"), "{:?}", s.log().last());
    let mut t = counterexample::replay_moves::<paxoscope::paxos::PaxosNode>(&leader, &[Move::Propose(1, green)], false).unwrap();
    assert_eq!(t.world().timers.iter().filter(|t| t.node == 1).count(), 2, "heartbeat and retry");
    t.act(Action::Timeout(1)).unwrap();
    let line = t.log().last().unwrap().text.clone();
    assert!(line.contains("heartbeat timer fires"), "{line}");
    let err = t.act(Action::Fire(2, "retry".into())).unwrap_err().to_string();
    assert!(err.contains("node 2 has no \"retry\" timer running; running: leader"), "{err}");
    let err = t.act(Action::Fire(3, "retry".into())).unwrap_err().to_string();
    assert!(err.contains("node 3 has no timer running"), "{err}");
    // The trace format and share links carry the exact timer.
    let again = Session::from_trace(&paxoscope::sim::Trace::parse(&s.trace().to_text()).unwrap()).unwrap();
    assert_eq!(again.hash(), s.hash());
    assert!(s.trace().to_text().contains("\"fire\""), "{}", s.trace().to_text());
    assert_eq!(paxoscope::sim::share::decode(&s.share()).unwrap().hash(), s.hash());
}

// ---- the reductions, validated ------------------------------------------------------------

/// The tiny configurations: 3 nodes, 1–2 proposers, 1–2 rounds, with and without drops,
/// duplicates and a crash; plain Paxos and each broken variant. Left out: two proposers with
/// two rounds and drops or a crash (22 M states even reduced), and the three that need more
/// than a million states reduced (two proposers, two rounds, `proposer-forgets-round` and
/// `acceptor-forgets`, whose reductions are weaker).
fn tiny() -> Vec<(PaxosConfig, Bounds)> {
    let mut all = Vec::new();
    for bug in std::iter::once(None).chain(Bug::ALL.map(Some)) {
        for proposers in [&[1u8][..], &[1, 2]] {
            for rounds in [1, 2] {
                for (drops, dups, crashes) in [(false, false, 0), (true, false, 0), (false, true, 0), (false, false, 1), (true, true, 1)] {
                    let big = proposers.len() == 2 && rounds == 2;
                    if big && (drops || crashes > 0 || matches!(bug, Some(Bug::ProposerForgetsRound | Bug::AcceptorForgets))) {
                        continue;
                    }
                    all.push((cfg(3, proposers, rounds, bug), bounds(drops, dups, crashes)));
                }
            }
        }
    }
    all
}

/// The states an explorer run without a reduction may visit in these tests. Without the
/// informs reduction every Accepted report reaches every learner in every order: one
/// proposer with one round goes from 69 states to 10,254; two proposers with one round had not
/// finished after 20 s (millions of states). Such runs
/// are compared within the budget: a violation found must be the same at the same depth,
/// and the test counts how many compared in full.
const BUDGET: u64 = 100_000;

#[test]
fn every_reduction_keeps_the_verdict_and_the_shortest_counterexample() {
    let offs = [
        ("ignored", Reductions { ignored: false, ..Reductions::ALL }),
        ("informs", Reductions { informs: false, ..Reductions::ALL }),
        ("learners", Reductions { learners: false, ..Reductions::ALL }),
        ("all", Reductions::NONE),
    ];
    let (mut full, mut partial, mut unsafe_found, mut unsafe_full) = (0, 0, 0, 0);
    let mut full_by = [0; 4];
    for (c, b) in tiny() {
        let reduced = check_paxos(&c, b);
        assert!(reduced.complete, "{c:?} {b:?}");
        let with = reduced.violation.map(|(p, path)| (p, path.len()));
        unsafe_found += usize::from(with.is_some());
        for (k, (name, r)) in offs.into_iter().enumerate() {
            // Without the informs reduction the spaces explode: a smaller budget keeps the test short.
            let budget = if r.informs && r.learners { BUDGET } else { BUDGET / 2 };
            let run = check_paxos(&c, Bounds { reductions: r, max_states: budget, ..b });
            let without = run.violation.map(|(p, path)| (p, path.len()));
            // Judged from acceptances, a learner "learns" when its last report could arrive;
            // with real reports the path delivers them: one per acceptor of a learner quorum.
            let expected = with.map(|(p, len)| match p {
                Property::LearnedChosen if !r.learners => (p, len + c.quorum()),
                _ => (p, len),
            });
            if run.complete || without.is_some() {
                assert_eq!(without, expected, "reduction {name} off changes the verdict on {c:?} {b:?}");
                assert!(run.states >= reduced.states || without.is_some(), "reduction {name} off explores fewer states on {c:?}");
                unsafe_full += usize::from(without.is_some());
                full_by[k] += 1;
                full += 1;
            } else {
                partial += 1;
            }
        }
    }
    println!("reductions compared: {full} in full (ignored, informs, learners, all: {full_by:?}; {unsafe_full} unsafe), {partial} within the budget; {unsafe_found} unsafe configurations");
    assert!(full_by[0] >= 70 && full >= 170 && unsafe_full >= 90, "{full} compared in full ({full_by:?}, {unsafe_full} unsafe), {partial} partly");
    assert!(unsafe_found >= 40, "the broken variants are found ({unsafe_found})");
}

/// A message the protocol calls ignorable changes nothing when delivered, and stays
/// ignorable after any input the node can get and after a crash. Checked in every reachable
/// state of the tiny configurations as the explorer sees them (informing messages not sent,
/// which `ignores_forever` assumes) but with ignorable messages kept in flight; in the first
/// [`BUDGET`] states of the larger ones.
#[test]
fn ignorable_messages_are_what_the_protocol_says() {
    let (mut ignorable, mut states, mut complete) = (0u64, 0u64, 0);
    for (c, b) in tiny() {
        let b = Bounds { reductions: Reductions { ignored: false, ..Reductions::ALL }, max_states: BUDGET, ..b };
        let report = explore_visiting::<PaxosNode>(&c, &paxos_proposals(&c, b.proposals), b, c.bug != Some(Bug::AcceptBelowPromise), |v: &Visit<PaxosNode>| {
            for e in v.net {
                let Slot::Up(n) = &v.slots[e.to as usize - 1] else { continue };
                if n.ignores_forever(&c, &e.msg) {
                    ignorable += 1;
                    check_ignored(&c, v, n, e.from, e.msg);
                }
            }
        });
        states += report.states;
        complete += usize::from(report.complete);
    }
    println!("{states} states checked ({complete} configurations complete): {ignorable} ignorable messages in flight");
    assert!(ignorable > 1_000_000 && complete >= 70, "{ignorable} {complete}");
}

/// A message the protocol calls informing only makes its receiver do less: it sends nothing
/// but informing messages, arms no timer, changes no promise or acceptance, and moves a
/// proposer only from "accepting" to "done". Checked with informing messages delivered, in
/// the first 25,000 states (breadth first) of each tiny configuration, every state of the
/// smaller ones.
#[test]
fn informing_messages_are_what_the_protocol_says() {
    let (mut informing, mut states, mut complete) = (0u64, 0u64, 0);
    for (c, b) in tiny() {
        let b = Bounds { reductions: Reductions::NONE, max_states: 25_000, ..b };
        let report = explore_visiting::<PaxosNode>(&c, &paxos_proposals(&c, b.proposals), b, c.bug != Some(Bug::AcceptBelowPromise), |v: &Visit<PaxosNode>| {
            for e in v.net {
                let Slot::Up(n) = &v.slots[e.to as usize - 1] else { continue };
                if PaxosNode::only_informs(&e.msg) {
                    informing += 1;
                    check_informs(&c, n, e.from, e.msg);
                }
            }
        });
        states += report.states;
        complete += usize::from(report.complete);
    }
    println!("{states} states checked ({complete} configurations complete): {informing} informing messages in flight");
    assert!(informing > 1_000_000 && complete >= 30, "{informing} {complete}");
}

fn check_ignored(c: &PaxosConfig, v: &Visit<PaxosNode>, n: &PaxosNode, from: u8, msg: Msg) {
    let mut m = n.clone();
    let mut out = Out::default();
    m.on_message(c, from, msg, &mut out);
    assert_eq!(&m, n, "delivering {msg:?} changed node {}", n.id);
    assert!(out.sends.iter().all(|(_, s)| PaxosNode::only_informs(s)), "{msg:?} to {} sent {:?}", n.id, out.sends);
    assert!(out.timers.is_empty() && out.observations.is_empty() && !out.persisted, "{msg:?}: {out:?}");
    // After a crash, the node back from its disk ignores it too.
    let back = PaxosNode::restart(c, n.id, &n.durable(), &mut Out::default());
    assert!(back.ignores_forever(c, &msg), "node {} forgets to ignore {msg:?} after a restart", n.id);
    // And after every input this node can get in this state.
    let keep = |after: &PaxosNode, what: &dyn std::fmt::Debug| assert!(after.ignores_forever(c, &msg), "node {} stops ignoring {msg:?} after {what:?}", n.id);
    for e in v.net.iter().filter(|e| e.to == n.id) {
        let mut m = n.clone();
        m.on_message(c, e.from, e.msg, &mut Out::default());
        keep(&m, &e.msg);
    }
    for &(_, t) in v.timers.iter().filter(|t| t.0 == n.id) {
        let mut m = n.clone();
        m.on_timer(c, t, &mut Out::default());
        keep(&m, &t);
    }
    if let Some(value) = v.next_proposal[n.id as usize - 1].filter(|_| n.can_propose()) {
        let mut m = n.clone();
        m.on_propose(c, value, &mut Out::default());
        keep(&m, &value);
    }
}

fn check_informs(c: &PaxosConfig, n: &PaxosNode, from: u8, msg: Msg) {
    let mut m = n.clone();
    let mut out = Out::default();
    m.on_message(c, from, msg, &mut out);
    assert!(out.sends.iter().all(|(_, s)| PaxosNode::only_informs(s)), "{msg:?} made node {} send {:?}", n.id, out.sends);
    assert!(out.observations.iter().all(|o| matches!(o, Observation::Learned { .. } | Observation::Deviated(_))), "{msg:?}: {:?}", out.observations);
    assert!(out.timers.iter().all(|t| matches!(t, TimerCmd::Cancel { .. })), "{msg:?} armed a timer: {:?}", out.timers);
    let (before, after) = (n.durable(), m.durable());
    assert_eq!((before.promised, before.accepted), (after.promised, after.accepted), "{msg:?} changed what the acceptor promised or accepted");
    assert!(after.max_round >= before.max_round);
    assert_eq!(m.value, n.value);
    // The proposer counts the acceptance (its tally only grows), or stops: its round succeeded.
    let less = m.phase == n.phase
        || matches!((n.phase, m.phase), (Phase::Accepting { ballot, value, accepts }, Phase::Accepting { ballot: b, value: v, accepts: a }) if ballot == b && value == v && a & accepts == accepts)
        || matches!((n.phase, m.phase), (Phase::Accepting { ballot, value, .. }, Phase::Done { ballot: b, value: v }) if ballot == b && value == v);
    assert!(less, "{msg:?} moved node {} from {:?} to {:?}", n.id, n.phase, m.phase);
}


// Partitions: the network may split into two sides (and heal); messages between the sides
// cannot be delivered while it is split, though they may be lost.

#[test]
fn partitions_keep_single_decree_paxos_safe_on_small_clusters() {
    // (nodes, proposers, rounds, drops, crashes, partitions)
    let table: &[(usize, &[u8], u32, bool, u8, u8)] = &[
        (2, &[1], 2, false, 0, 1),
        (3, &[1], 2, false, 0, 1),
        (3, &[1], 2, false, 0, 2),
        (3, &[1, 2], 1, false, 0, 1),
        (3, &[1], 1, false, 1, 1),
        (3, &[1, 2], 1, true, 0, 1),
    ];
    for &(n, p, r, drops, crashes, partitions) in table {
        let c = cfg(n, p, r, None);
        let without = check_paxos(&c, bounds(drops, false, crashes));
        let with = check_paxos(&c, Bounds { partitions, ..bounds(drops, false, crashes) });
        let what = format!("{n} nodes {p:?} rounds {r} drops {drops} crashes {crashes} partitions {partitions}");
        assert!(with.complete, "{what}");
        assert!(with.violation.is_none(), "{what}: {:?}", with.violation);
        assert!(with.chosen.is_some(), "{what}: a value can be chosen");
        // Splitting the network reaches more states (who was split, what crossed it).
        assert!(with.states > without.states, "{what}: {} <= {}", with.states, without.states);
    }
}

#[test]
fn every_broken_variant_stays_broken_with_partitions_with_the_same_shortest_counterexample() {
    for bug in [Bug::MinorityQuorum, Bug::ProposerIgnoresPromises] {
        let c = cfg(3, &[1, 2], 1, Some(bug));
        let plain = check_paxos(&c, bounds(false, false, 0));
        let split = check_paxos(&c, Bounds { partitions: 1, ..bounds(false, false, 0) });
        let (p1, path1) = plain.violation.expect("broken");
        let (p2, path2) = split.violation.expect("still broken");
        assert_eq!((p1, path1.len()), (p2, path2.len()), "{bug:?}");
    }
}

#[test]
fn a_path_with_a_partition_replays_as_cut_links_then_healed_ones() {
    use paxoscope::check::explorer::Envelope;
    use paxoscope::paxos::{Ballot, Value};
    let c = cfg(3, &[1], 2, None);
    let cluster = cluster_of(&c);
    let green = Value::new("Green").unwrap();
    let b = Ballot::new(1, 1);
    let prepare = |to| Envelope { from: 1, to, msg: Msg::Prepare { ballot: b } };
    // Node 1 proposes; the network splits {1, 2} | {3}; the Prepare to 3 is lost crossing
    // it; it heals; node 2 gets its Prepare.
    let path: Vec<Move<PaxosNode>> =
        vec![Move::Propose(1, green), Move::Cut(0b0110), Move::Drop(prepare(3)), Move::Heal, Move::Deliver(prepare(2))];
    let s = counterexample::replay_moves::<PaxosNode>(&cluster, &path, false).expect("replays");
    let log: Vec<String> = s.log().into_iter().map(|l| l.text).collect();
    let all = log.join("\n");
    assert!(all.contains("1") && log.len() >= 7, "{all}");
    assert!(s.world().cut.is_empty(), "healed: {all}");
    // Cut and healed: the links 1–3 and 2–3, one step each.
    let cut_steps = log.iter().filter(|l| l.to_lowercase().contains("cut")).count();
    assert!(cut_steps >= 2, "{all}");
    // Halfway, the two links are cut.
    let half = counterexample::replay_moves::<PaxosNode>(&cluster, &path[..2], false).unwrap();
    assert_eq!(half.world().cut, vec![(1, 3), (2, 3)]);
}

#[test]
fn the_shortest_blocked_state_under_a_partition_replays_with_its_cut() {
    // One proposer: cut it off and nobody else can ever get a value chosen.
    let c = cfg(3, &[1], 1, None);
    let cluster = cluster_of(&c);
    let checked = paxoscope::protocols::check(&cluster, Bounds { partitions: 1, blocking: true, ..bounds(false, false, 0) }).unwrap();
    assert!(checked.complete && checked.violation.is_none());
    let b = checked.blocking.expect("asked for");
    assert!(b.blocked > 0);
    let (len, session, node, why) = b.shortest.expect("a blocked state");
    assert_eq!(len, 1, "the cut alone");
    assert!(!session.world().cut.is_empty());
    assert!((1..=3).contains(&node), "{node}: {why}");
    // Without partitions or crashes, a single proposer gets there unless its retry timer
    // fires before its round is through: with rounds bounded (here 1) it may not retry, so
    // those states count as blocked too (the bound's artefact, see `Blocking`).
    let calm = paxoscope::protocols::check(&cluster, Bounds { blocking: true, ..bounds(false, false, 0) }).unwrap();
    let b = calm.blocking.expect("asked for");
    assert_eq!(b.majority_up, calm.states, "nothing crashes");
    assert!(b.blocked > 0 && b.blocked < calm.states);
    let (len, session, _, why) = b.shortest.expect("a blocked state");
    let log: Vec<String> = session.log().into_iter().map(|l| l.text).collect();
    assert_eq!(len, 2);
    assert!(log[1].contains("retry timer fires"), "{log:?}");
    assert_eq!(why, "no fault-free continuation lets it decide");
}

/// A toy commit protocol for the blocking report: node 1 (the coordinator) decides when a
/// client asks it and tells the others (the waiters), who can learn the decision only from
/// it. With `give_up`, a waiter may also decide alone on a timer that stands for a perfect
/// failure detector watching the coordinator ([`Protocol::timer_suspects`]).
mod toy {
    use paxoscope::check::invariants::Property;
    use paxoscope::paxos::Value;
    use paxoscope::protocol::{bit, MsgView, NodeId, NodeSet, NodeView, Outbox, Protocol, Waiting};

    #[derive(Clone, Debug)]
    pub struct Cfg {
        pub nodes: usize,
        pub give_up: bool,
    }

    #[derive(Clone, PartialEq, Eq, Hash, Debug)]
    pub struct Node {
        pub id: NodeId,
        pub decided: bool,
        pub alone: bool,
    }

    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
    pub struct Decide;

    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
    pub struct GiveUp;

    type Out = Outbox<Decide, GiveUp>;

    impl Protocol for Node {
        type Config = Cfg;
        type Msg = Decide;
        type Timer = GiveUp;
        type Durable = bool;
        const KINDS: &'static [&'static str] = &["Decide"];
        const TIMERS: &'static [&'static str] = &["give up"];
        const ROLES: &'static [&'static str] = &["coordinator", "waiter"];
        const PHASES: &'static [&'static str] = &[];
        const PROPERTIES: &'static [Property] = &[];

        fn cluster_size(cfg: &Cfg) -> usize {
            cfg.nodes
        }
        fn acceptors(cfg: &Cfg) -> NodeSet {
            (1..=cfg.nodes as NodeId).map(bit).fold(0, |a, b| a | b)
        }
        fn init(cfg: &Cfg, id: NodeId, out: &mut Out) -> Node {
            if id != 1 && cfg.give_up {
                out.set_timer(GiveUp, 1, 1);
            }
            Node { id, decided: false, alone: false }
        }
        fn restart(cfg: &Cfg, id: NodeId, disk: &bool, out: &mut Out) -> Node {
            let mut n = Node::init(cfg, id, out);
            n.decided = *disk;
            if id == 1 && n.decided {
                for to in 2..=cfg.nodes as NodeId {
                    out.send(to, Decide);
                }
            }
            n
        }
        fn durable(&self) -> bool {
            self.decided
        }
        fn on_message(&mut self, _: &Cfg, _: NodeId, _: Decide, _: &mut Out) {
            self.decided = true;
        }
        fn on_timer(&mut self, _: &Cfg, _: GiveUp, _: &mut Out) {
            if !self.decided {
                self.decided = true;
                self.alone = true;
            }
        }
        fn on_propose(&mut self, cfg: &Cfg, _: Value, out: &mut Out) {
            self.decided = true;
            for to in 2..=cfg.nodes as NodeId {
                out.send(to, Decide);
            }
        }
        fn can_propose(&self) -> bool {
            self.id == 1 && !self.decided
        }
        fn view(&self, _: &Cfg) -> NodeView {
            unimplemented!("not shown")
        }
        fn describe(_: &Decide) -> MsgView {
            unimplemented!("not shown")
        }
        fn learn_quorum(_: &Cfg) -> usize {
            1
        }
        fn timer_name(_: &GiveUp) -> &'static str {
            "give up"
        }
        fn is_learner(&self) -> bool {
            true
        }
        fn has_learned(&self) -> bool {
            self.decided
        }
        fn waits_for(&self, _: &Cfg) -> Option<Waiting> {
            (!self.decided).then_some(Waiting { on: bit(1), need: 1, why: "only the coordinator knows the decision" })
        }
        fn timer_suspects(&self, _: &Cfg, _: &GiveUp) -> Option<NodeSet> {
            Some(bit(1))
        }
    }
}

fn toy(nodes: usize, give_up: bool, b: Bounds) -> paxoscope::check::explorer::Report<toy::Node> {
    let values = vec![vec![paxoscope::paxos::Value::new("Green").unwrap()]];
    paxoscope::check::explore::<toy::Node>(&toy::Cfg { nodes, give_up }, &values, Bounds { blocking: true, ..b }, false)
}

#[test]
fn waiters_block_when_only_the_crashed_coordinator_knows() {
    // No faults: everyone decides in every continuation.
    let r = toy(3, false, bounds(false, false, 0));
    let b = r.blocking.expect("asked for");
    assert_eq!((r.states, b.blocked, b.majority_up), (5, 0, 5), "the start, the proposal, then the two deliveries in either order");
    assert!(b.shortest.is_none());
    // One crash: the coordinator crashing before it decides leaves both waiters blocked forever.
    let r = toy(3, false, bounds(false, false, 1));
    assert!(r.complete);
    let b = r.blocking.expect("asked for");
    assert!(b.blocked > 0);
    let (path, node, why) = b.shortest.expect("a blocked state");
    assert_eq!(path, vec![Move::Crash(1)]);
    assert_eq!(node, 2);
    assert_eq!(why, "only the coordinator knows the decision (node 1 is down)");
    // A waiter that crashes is not blocked (it is down), and one that crashes after the
    // decision reached it is not either: every blocked state has the coordinator down
    // before deciding, so 2 of the 3 "acceptors" are up at best.
    assert!(b.blocked_majority_up <= b.blocked);
    // Lost messages block too (nobody resends).
    let r = toy(3, false, bounds(true, false, 0));
    let b = r.blocking.expect("asked for");
    assert!(b.blocked > 0);
    let (path, node, _) = b.shortest.unwrap();
    assert_eq!(path.len(), 2, "propose, lose the Decide to node 2: {path:?}");
    assert_eq!(node, 2);
}

#[test]
fn a_failure_detector_timer_fires_only_while_its_node_is_down_or_cut_off() {
    let mut alone = false;
    // Nothing fails: the give-up timer never fires.
    let r = paxoscope::check::explorer::explore_visiting::<toy::Node>(
        &toy::Cfg { nodes: 3, give_up: true },
        &vec![vec![paxoscope::paxos::Value::new("Green").unwrap()]],
        Bounds { blocking: true, ..bounds(true, false, 0) },
        false,
        |v| alone |= v.slots.iter().any(|s| matches!(s, Slot::Up(n) if n.alone)),
    );
    assert!(!alone, "fired with the coordinator up and reachable");
    assert!(r.blocking.unwrap().blocked > 0, "lost messages still block");
    // The coordinator may crash, or be cut off: then the waiters give up, and none blocks
    // waiting for it (a waiter may still block if the decision was lost on its way to it
    // while the coordinator is up and reachable: the toy never resends).
    for (crashes, partitions) in [(1, 0), (0, 1), (1, 1)] {
        let stuck = toy(3, false, Bounds { partitions, ..bounds(false, false, crashes) }).blocking.unwrap().blocked;
        let mut alone = false;
        let r = paxoscope::check::explorer::explore_visiting::<toy::Node>(
            &toy::Cfg { nodes: 3, give_up: true },
            &vec![vec![paxoscope::paxos::Value::new("Green").unwrap()]],
            Bounds { blocking: true, partitions, ..bounds(false, false, crashes) },
            false,
            |v| alone |= v.slots.iter().any(|s| matches!(s, Slot::Up(n) if n.alone)),
        );
        assert!(alone, "crashes {crashes} partitions {partitions}: never gave up");
        let b = r.blocking.unwrap();
        assert!(b.blocked < stuck, "crashes {crashes} partitions {partitions}: {} >= {stuck}", b.blocked);
        if let Some((path, node, why)) = b.shortest {
            assert_eq!(why, "only the coordinator knows the decision", "node {node} after {path:?}");
        }
    }
    // Without the timer, a partition blocks the waiters cut off from the coordinator.
    let r = toy(3, false, Bounds { partitions: 1, ..bounds(false, false, 0) });
    let b = r.blocking.unwrap();
    let (path, node, why) = b.shortest.unwrap();
    assert!(matches!(path[..], [Move::Cut(_)]), "{path:?}");
    assert!(why.ends_with("is cut off)"), "node {node}: {why}");
}
