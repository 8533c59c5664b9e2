//! Property tests: random clusters and random schedules — deliveries in any order, drops,
//! duplicates, holds, reorders, crashes, restarts, partitions and timeouts — never break the
//! three safety properties of the safe protocol. Failures print the seed and the actions.
#![cfg(not(target_arch = "wasm32"))]

use paxoscope::check::explorer::{colour, proposal_value};
use paxoscope::sim::{Action, ClusterConfig, Policy, Session};
use proptest::prelude::*;

/// A choice, resolved against the live simulation (indices wrap around what exists).
#[derive(Clone, Debug)]
enum Choice {
    Step,
    Deliver(usize),
    Drop(usize),
    Duplicate(usize),
    Hold(usize),
    MoveBefore(usize, usize),
    Crash(u8),
    Restart(u8),
    Timeout(u8),
    /// A client asks node `.0` to propose its `.1`-th value (distinct values per node).
    Propose(u8, u8),
    Cut(u8, u8),
    Heal(u8, u8),
}

fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![
        6 => Just(Choice::Step),
        6 => any::<usize>().prop_map(Choice::Deliver),
        1 => any::<usize>().prop_map(Choice::Drop),
        1 => any::<usize>().prop_map(Choice::Duplicate),
        1 => any::<usize>().prop_map(Choice::Hold),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Choice::MoveBefore(a, b)),
        1 => (1u8..=5).prop_map(Choice::Crash),
        2 => (1u8..=5).prop_map(Choice::Restart),
        2 => (1u8..=5).prop_map(Choice::Timeout),
        1 => (1u8..=5, 0u8..3).prop_map(|(n, k)| Choice::Propose(n, k)),
        1 => (1u8..=5, 1u8..=5).prop_map(|(a, b)| Choice::Cut(a, b)),
        1 => (1u8..=5, 1u8..=5).prop_map(|(a, b)| Choice::Heal(a, b)),
    ]
}

/// Schedules that crash, restart, duplicate and re-propose often: what it takes for a
/// restarted proposer that forgot its round to reuse a ballot.
fn crashy_choice() -> impl Strategy<Value = Choice> {
    prop_oneof![
        14 => Just(Choice::Step),
        2 => any::<usize>().prop_map(Choice::Deliver),
        2 => any::<usize>().prop_map(Choice::Duplicate),
        1 => Just(Choice::Crash(1)),
        2 => Just(Choice::Restart(1)),
        1 => (1u8..3).prop_map(|k| Choice::Propose(1, k)),
    ]
}

fn resolve(s: &Session, c: &Choice) -> Action {
    let pending = &s.world().pending;
    let pick = |i: usize| if pending.is_empty() { 0 } else { pending[i % pending.len()].id };
    match *c {
        Choice::Step => Action::Step,
        Choice::Deliver(i) => Action::Deliver(pick(i)),
        Choice::Drop(i) => Action::Drop(pick(i)),
        Choice::Duplicate(i) => Action::Duplicate(pick(i)),
        Choice::Hold(i) => {
            let id = pick(i);
            if pending.iter().any(|p| p.id == id && p.held) {
                Action::Release(id)
            } else {
                Action::Hold(id)
            }
        }
        Choice::MoveBefore(a, b) => Action::MoveBefore(pick(a), pick(b)),
        Choice::Crash(n) => Action::Crash(n),
        Choice::Restart(n) => Action::Restart(n),
        Choice::Timeout(n) => Action::Timeout(n),
        Choice::Propose(n, k) => Action::Propose(n, proposal_value(5, n, k)),
        Choice::Cut(a, b) => Action::Cut(a, b),
        Choice::Heal(a, b) => Action::Heal(a, b),
    }
}

fn run_schedule(config: ClusterConfig, choices: &[Choice]) -> Session {
    let proposers = config.proposers.clone();
    let mut s = Session::new(config).unwrap();
    for &p in &proposers {
        s.act(Action::Propose(p as u8, colour(p as u8))).unwrap();
    }
    for c in choices {
        let a = resolve(&s, c);
        let _ = s.act(a);
    }
    s
}

/// The same random schedules catch the broken variants: the property test has teeth.
#[test]
fn random_schedules_catch_the_broken_variants() {
    use paxoscope::paxos::Bug;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};
    for bug in [Bug::ProposerIgnoresPromises, Bug::MinorityQuorum, Bug::AcceptBelowPromise, Bug::ProposerForgetsRound] {
        let mut runner = TestRunner::new_with_rng(Config::default(), proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha));
        let strategy = prop::collection::vec(choice(), 200..400);
        let crashy = prop::collection::vec(crashy_choice(), 150..300);
        let tries = 300u32;
        let caught = (0..tries).any(|seed| {
            let choices = if bug == Bug::ProposerForgetsRound { crashy.new_tree(&mut runner).unwrap().current() } else { strategy.new_tree(&mut runner).unwrap().current() };
            // One proposer for the crash-heavy schedules: a second one's higher ballots would
            // mostly pre-empt the reused one.
            let proposers = if bug == Bug::ProposerForgetsRound { vec![1] } else { vec![1, 2] };
            // and a network that duplicates often: the copies of old promises let the reused
            // ballot gather a second majority.
            let policy = if bug == Bug::ProposerForgetsRound { Policy { dup_ppm: 600_000, min_latency: 5, max_latency: 80, ..Policy::default() } } else { Policy::default() };
            let config = ClusterConfig { nodes: 3, proposers, seed, bug: Some(bug), policy, ..Default::default() };
            !run_schedule(config, &choices).world().violations.is_empty()
        });
        assert!(caught, "no random schedule broke {}", bug.name());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn safety_holds_under_every_schedule(
        nodes in prop_oneof![Just(3u32), Just(5u32)],
        two_proposers in any::<bool>(),
        distinguished in any::<bool>(),
        seed in any::<u32>(),
        loss in 0u32..400_000,
        dup in 0u32..300_000,
        choices in prop::collection::vec(choice(), 1..400),
    ) {
        let proposers = if two_proposers { vec![1, 2] } else { vec![1] };
        let policy = Policy { loss_ppm: loss, dup_ppm: dup, delay_ppm: 50_000, min_latency: 1, max_latency: 60 };
        let config = ClusterConfig { nodes, proposers: proposers.clone(), seed, distinguished, policy, ..Default::default() };
        let mut s = Session::new(config).unwrap();
        for &p in &proposers {
            s.act(Action::Propose(p as u8, colour(p as u8))).unwrap();
        }
        for c in &choices {
            let a = resolve(&s, c);
            let before = s.hash();
            if s.act(a.clone()).is_err() {
                prop_assert_eq!(s.hash(), before, "a refused {:?} changed the state", a);
            }
            prop_assert!(s.world().violations.is_empty(), "seed {}: {:?}\n{:#?}", seed, s.world().violations, s.log());
        }
        // Everything learned is the one chosen value.
        let snap = s.snapshot();
        for n in &snap.nodes {
            if let Some(l) = &n.view.learned {
                prop_assert_eq!(Some(l), snap.chosen.as_ref());
            }
        }
        // And the whole run replays from its trace.
        prop_assert_eq!(Session::from_trace(&s.trace()).unwrap().hash(), s.hash());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Any string, and any damage to a real share link, gives an error or a session — never a
    /// panic — and a link that opens is the same run.
    #[test]
    fn damaged_share_links_never_panic(junk in ".{0,200}", cut in any::<usize>(), flip in any::<usize>(), ch in "[A-Za-z0-9_-]") {
        let _ = paxoscope::sim::share::decode(&junk);
        let _ = paxoscope::sim::share::decode(&format!("p1.{junk}"));
        let mut s = Session::new(ClusterConfig { nodes: 3, proposers: vec![1, 2], ..Default::default() }).unwrap();
        s.act(Action::Propose(1, colour(1))).unwrap();
        s.run(25);
        let link = s.share();
        let _ = paxoscope::sim::share::decode(&link[..cut % (link.len() + 1)]);
        let mut chars: Vec<char> = link.chars().collect();
        let i = 3 + flip % (chars.len() - 3);
        chars[i] = ch.chars().next().unwrap();
        let damaged: String = chars.into_iter().collect();
        if let Ok(opened) = paxoscope::sim::share::decode(&damaged) {
            prop_assert_eq!(opened.hash(), s.hash(), "a link that opens must be the same run");
        }
    }

    /// Any JSON text, and any damage to a real trace, is refused cleanly.
    #[test]
    fn damaged_traces_never_panic(cut in any::<usize>(), at in any::<usize>(), junk in "[0-9a-z\\[\\]{}\":,-]{1,8}") {
        let mut s = Session::new(ClusterConfig::default()).unwrap();
        s.act(Action::Propose(1, colour(1))).unwrap();
        s.run(10);
        let json = s.trace().to_text();
        let i = at % json.len();
        for text in [json[..cut % json.len()].to_string(), format!("{}{junk}{}", &json[..i], &json[i..])] {
            if let Ok(t) = paxoscope::sim::Trace::parse(&text) {
                // Whatever opens is exactly the run the trace records.
                if let Ok(back) = Session::from_trace(&t) {
                    prop_assert_eq!(paxoscope::sim::hash::hex(back.hash()), t.hash.clone());
                    prop_assert_eq!(back.step(), t.actions.len());
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// The readers never panic, whatever the text, and refuse it naming the place or the
    /// line and column.
    #[test]
    fn the_readers_never_panic(text in any::<String>(), json_ish in "[\\[\\]{}\":,0-9a-z\\\\ u.eE+-]{0,40}") {
        for t in [&text, &json_ish] {
            if let Err(e) = paxoscope::sim::Trace::parse(t) {
                let e = e.to_string();
                prop_assert!(e.starts_with("invalid trace: not valid JSON: ") || e.starts_with("invalid trace: trace"), "{}", e);
                prop_assert!(e.contains(" at line "), "{}", e);
            }
            if let Err(e) = ClusterConfig::parse(t) {
                prop_assert!(e.to_string().contains(" at line "), "{}", e);
            }
        }
    }
}
