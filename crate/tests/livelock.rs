//! Liveness questions (issue 15): "can a value still be chosen from here?" and "can the
//! proposers duel forever?" (*Paxos Made Simple* §2.4: "It's easy to construct a scenario in
//! which two proposers each keep issuing a sequence of proposals with increasing numbers,
//! none of which are ever chosen.").

use std::time::Instant;

use paxoscope::check::Bounds;
use paxoscope::paxos::PaxosNode;
use paxoscope::protocol::Protocol;
use paxoscope::protocols::{check, check_from, livelock, livelock_from, AnyNode, Lasso, ProtocolKind};
use paxoscope::scenario;
use paxoscope::sim::world::Slot;
use paxoscope::sim::{ClusterConfig, Session};

fn duel(max_round: u32) -> ClusterConfig {
    ClusterConfig { nodes: 3, proposers: vec![1, 2], max_round: Some(max_round), ..ClusterConfig::default() }
}

/// The Paxos nodes of a run at `step`, every round moved by `by` (a crashed node as `None`).
fn nodes_at(run: &Session, step: usize, by: i64) -> Vec<Option<PaxosNode>> {
    let mut s = run.clone();
    s.seek(step).unwrap();
    let cfg = run.config().paxos().unwrap();
    s.world()
        .slots
        .iter()
        .map(|slot| match slot {
            Slot::Up(AnyNode::Paxos(n)) => {
                let mut room = u32::MAX;
                Some(n.shift_rounds(&cfg, by, &mut room).expect("Paxos shifts rounds"))
            }
            _ => None,
        })
        .collect()
}

/// The lasso really repeats: the nodes at the end of each turn are those at its start with
/// every round `shift_rounds` higher, and nothing is chosen anywhere in the run.
fn assert_repeats(lasso: &Lasso) {
    assert!(lasso.cycle > 0 && lasso.cycle_steps > 0);
    assert_eq!(lasso.run.step(), lasso.prefix_steps + 2 * lasso.cycle_steps);
    assert!(lasso.run.world().ghost.chosen.is_empty(), "no value is chosen");
    let k = i64::from(lasso.shift_rounds);
    let start = nodes_at(&lasso.run, lasso.prefix_steps, 0);
    assert_eq!(nodes_at(&lasso.run, lasso.prefix_steps + lasso.cycle_steps, 0), nodes_at(&lasso.run, lasso.prefix_steps, k));
    assert_eq!(nodes_at(&lasso.run, lasso.prefix_steps + 2 * lasso.cycle_steps, -2 * k), start);
    // Not a standstill: something happens in a turn.
    if k == 0 {
        assert!(lasso.cycle >= 2);
    }
}

#[test]
fn two_proposers_can_duel_forever() {
    let t = Instant::now();
    let r = livelock(&duel(3), Bounds::new()).unwrap();
    let lasso = r.found.as_ref().expect("dueling proposers livelock");
    eprintln!("duel from the start: {} states, prefix {}, cycle {} (+{} rounds), {:?}", r.states, lasso.prefix, lasso.cycle, lasso.shift_rounds, t.elapsed());
    assert!(lasso.shift_rounds >= 1, "the rounds climb");
    assert!(lasso.prefix >= 2, "both proposers were asked to propose first");
    assert_repeats(lasso);
    // Every step of the run replays from the trace (the page can open it).
    let again = Session::from_trace(&lasso.run.trace()).unwrap();
    assert_eq!(again.hash(), lasso.run.hash());
}

#[test]
fn one_proposer_never_livelocks() {
    let t = Instant::now();
    let one = ClusterConfig { proposers: vec![1], ..duel(3) };
    let r = livelock(&one, Bounds::new()).unwrap();
    eprintln!("one proposer: {} states, {:?}", r.states, t.elapsed());
    assert!(r.found.is_none() && r.complete);
    // Two proposers, but only node 1 is ever asked to propose.
    let r = livelock_from(&Session::new(duel(3)).unwrap(), &duel(3), Bounds { proposals: 0, ..Bounds::new() }).unwrap();
    assert!(r.found.is_none() && r.complete);
}

#[test]
fn the_dueling_story_can_go_on_forever() {
    let t = Instant::now();
    let story = scenario::load("dueling-proposers").unwrap();
    let mut c = story.config().clone();
    c.max_round = Some(c.start_round + 2);
    let r = livelock_from(&story, &c, Bounds { proposals: 0, ..Bounds::new() }).unwrap();
    let lasso = r.found.as_ref().expect("the duel can go on");
    eprintln!("dueling story: {} states, prefix {}, cycle {} (+{} rounds), {:?}", r.states, lasso.prefix, lasso.cycle, lasso.shift_rounds, t.elapsed());
    assert_repeats(lasso);
    // The run continued: its first steps are the story's.
    for k in 1..=story.step() {
        assert_eq!(lasso.run.line(k).unwrap().text, story.line(k).unwrap().text, "step {k}");
    }
    assert!(lasso.prefix_steps >= story.step());
    // The way into the cycle is the shortest (breadth first), not depth first's 20 moves.
    assert_eq!(lasso.prefix, 6, "the shortest way into the cycle");
}

#[test]
fn after_a_value_is_chosen_there_is_nothing_to_search() {
    let story = scenario::load("distinguished-proposer").unwrap();
    assert!(!story.world().ghost.chosen.is_empty());
    let mut c = story.config().clone();
    c.max_round = Some(c.start_round + 2);
    let r = livelock_from(&story, &c, Bounds { proposals: 0, ..Bounds::new() }).unwrap();
    assert!(r.decided && r.found.is_none());
}

#[test]
fn other_protocols_have_no_round_shift() {
    let c = ClusterConfig { protocol: ProtocolKind::MultiPaxos, nodes: 3, proposers: vec![1], max_round: Some(2), slots: Some(1), ..ClusterConfig::default() };
    let e = livelock(&c, Bounds::new()).unwrap_err().to_string();
    assert!(e.contains("single-decree Paxos"), "{e}");
    let e = livelock(&duel(3), Bounds { dups: true, ..Bounds::new() }).unwrap_err().to_string();
    assert!(e.contains("duplicat"), "{e}");
}

#[test]
fn the_shortest_path_to_a_chosen_value_is_replayed() {
    let c = duel(2);
    let r = check(&c, Bounds::new()).unwrap();
    let run = r.chosen_run.expect("a value can be chosen");
    assert_eq!(Some(run.world().ghost.chosen.len()), Some(1));
    assert!(r.chosen.unwrap() <= run.step());
    // From the dueling story's end, as the run continued.
    let story = scenario::load("dueling-proposers").unwrap();
    let mut c = story.config().clone();
    let highest = story.world().slots.iter().filter_map(|s| match s { Slot::Up(n) => Some(n.highest_round()), _ => None }).max().unwrap();
    c.max_round = Some(highest);
    let mut trace = story.trace();
    trace.config = c.clone();
    trace.scenario = None;
    trace.captions.clear();
    trace.log.clear();
    let s = Session::from_trace(&trace).unwrap();
    let t = Instant::now();
    let r = check_from(&s, &c, Bounds { threads: 1, ..Bounds::new() }).unwrap();
    eprintln!("chosen from the dueling story: {} states, {:?}", r.states, t.elapsed());
    let run = r.chosen_run.expect("a value can still be chosen");
    assert!(run.world().ghost.chosen_value().is_some());
    assert_eq!(run.step(), s.step() + r.chosen.unwrap());
}

#[test]
fn the_cli_reports_a_livelock_and_its_absence() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_paxoscope");
    let out = Command::new(bin).args(["check", "--livelock"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("livelock possible: after 12 moves, these 14 moves repeat forever, each time 1 round higher, and no value is ever chosen"), "{text}");
    assert!(text.contains("---- the cycle (14 simulator steps):"), "{text}");
    assert!(text.contains("Node 1's retry timer fires; node 1 sends Prepare 2.1"), "{text}");
    let out = Command::new(bin).args(["check", "--livelock", "--proposers", "1"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("no livelock within these bounds (34 states"), "{text}");
    let out = Command::new(bin).args(["check", "--livelock", "--protocol", "2pc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("single-decree Paxos"));
}
