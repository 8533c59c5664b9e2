//! Searching from a run's end (`check --from`, and the page's "can it still break from
//! here?"): from an empty run it is the ordinary search, state for state; from the middle of
//! a story it finds a continuation no longer than the story's own, and keeps the run.

use std::process::Command;

use paxoscope::check::Bounds;
use paxoscope::paxos::Bug;
use paxoscope::protocols::{check, check_from};
use paxoscope::scenario;
use paxoscope::sim::{ClusterConfig, Session};

fn cluster(bug: Option<Bug>) -> ClusterConfig {
    ClusterConfig { nodes: 3, proposers: vec![1, 2], bug, max_round: Some(1), ..ClusterConfig::default() }
}

#[test]
fn from_an_empty_run_the_search_is_the_ordinary_one() {
    let cases = [
        (None, Bounds { drops: true, crashes: 1, proposals: 1, ..Bounds::new() }),
        (None, Bounds { dups: true, proposals: 2, partitions: 1, ..Bounds::new() }),
        (Some(Bug::AcceptorForgets), Bounds { drops: true, crashes: 1, proposals: 2, ..Bounds::new() }),
        (Some(Bug::ProposerIgnoresPromises), Bounds { dups: true, proposals: 1, ..Bounds::new() }),
    ];
    for (bug, bounds) in cases {
        let c = cluster(bug);
        let plain = check(&c, bounds).unwrap();
        let from = check_from(&Session::new(c.clone()).unwrap(), &c, bounds).unwrap();
        assert_eq!(plain.states, from.states, "{bug:?}");
        assert_eq!(plain.transitions, from.transitions, "{bug:?}");
        assert_eq!(plain.chosen, from.chosen, "{bug:?}");
        assert_eq!(plain.violation.as_ref().map(|v| (v.0, v.1)), from.violation.as_ref().map(|v| (v.0, v.1)), "{bug:?}");
        assert_eq!(plain.violation.is_some(), bug.is_some());
    }
}

#[test]
fn from_the_middle_of_a_broken_story_the_shortest_continuation_is_found() {
    let story = scenario::load("bug-acceptor-forgets").unwrap();
    let end = story.step();
    let broke = (1..=end).find(|&k| story.events(k).iter().any(|e| matches!(e, paxoscope::sim::event::Event::Violation(_)))).expect("the story breaks");
    // Just after node 3 forgot (the restart), before the second value is chosen.
    let restart = (1..=end).find(|&k| story.line(k).unwrap().text.contains("restarts")).unwrap();
    assert!(restart < broke);
    let mut s = story.clone();
    s.seek(restart).unwrap();
    let mut c = story.config().clone();
    c.max_round = Some(c.start_round.max(1) + 1);
    let mut trace = s.trace();
    trace.config = c.clone();
    trace.scenario = None;
    trace.captions.clear();
    trace.log.clear();
    let s = Session::from_trace(&trace).unwrap();
    let r = check_from(&s, &c, Bounds::new()).unwrap();
    let (property, moves, run) = r.violation.expect("it can still break from here");
    assert_eq!(property.name(), "at-most-one");
    assert!(moves <= broke - restart, "{moves} moves; the story took {}", broke - restart);
    assert!(r.shortest);
    // The counterexample is the run continued: its first steps are the story's.
    for k in 1..=restart {
        assert_eq!(run.line(k).unwrap().text, story.line(k).unwrap().text, "step {k}");
    }
    assert_eq!(run.step(), restart + moves);
    // And from the story's start with no proposals at all, nothing can break: nothing happens.
    let mut quiet = c.clone();
    quiet.max_round = Some(2);
    let none = check_from(&Session::new(quiet.clone()).unwrap(), &quiet, Bounds { proposals: 0, crashes: 1, ..Bounds::new() }).unwrap();
    assert!(none.violation.is_none() && none.complete);
}

#[test]
fn the_cli_searches_from_a_trace_and_marks_where_the_run_ends() {
    let dir = std::env::temp_dir().join(format!("paxoscope-from-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("t.json");
    let bin = env!("CARGO_BIN_EXE_paxoscope");
    let out = Command::new(bin).args(["run", "--scenario", "bug-acceptor-forgets", "--quiet", "--export"]).arg(&trace).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(bin).args(["check", "--from"]).arg(&trace).args(["--proposals", "1", "--threads", "1"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("checking what can follow"), "{text}");
    assert!(text.contains("---- the run ends here"), "{text}");
    assert!(text.contains("VIOLATION: At most one value is chosen"), "{text}");
    // Options that the trace decides are refused, with the reason.
    let out = Command::new(bin).args(["check", "--from"]).arg(&trace).args(["--nodes", "5"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("takes the cluster from the trace"));
    // A round bound below what the run reached is refused.
    let out = Command::new(bin).args(["check", "--from"]).arg(&trace).args(["--max-round", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every story's end can be continued, whatever its protocol: the commit protocols and the
/// single-proposer commit count resends and terms against the round bound, so the bound is
/// the lowest under which the run replays; a run with a leader (heartbeats on a timer)
/// finishes, since one heartbeat per link is kept in flight.
#[test]
fn every_story_can_be_continued_whatever_its_protocol() {
    use paxoscope::check::from::continue_trace;
    for info in paxoscope::vocabulary::scenarios() {
        let story = scenario::load(info.name).unwrap();
        let c = continue_trace(&story.trace(), None, 1).unwrap_or_else(|e| panic!("{}: {e}", info.name));
        assert_eq!(c.session.hash(), story.hash(), "{}: the same run", info.name);
        assert!(c.max_round >= c.highest, "{}", info.name);
        let r = check_from(&c.session, &c.cluster, Bounds { crashes: 1, proposals: 0, max_states: 200_000, ..Bounds::new() }).unwrap();
        assert!(r.states > 0, "{}", info.name);
        if info.name == "proposer-fails-during-accept" {
            // A leader's heartbeat timer once filled the network without end.
            assert!(r.complete && r.violation.is_none(), "{}: {} states", info.name, r.states);
        }
    }
}
