//! Golden outcomes of the built-in scenarios: the story each seed document tells, pinned by
//! the value chosen (or none, or the property broken), the number of steps and the state
//! hash. This file also runs under wasm (wasm-bindgen-test): equal hashes there prove that
//! native and wasm replays are identical. Natively, each scenario's whole event log is
//! compared with `tests/golden/<name>.log` (regenerate with `UPDATE_GOLDEN=1`).

use paxoscope::scenario;
use paxoscope::sim::Session;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// name, chosen value ("-" for none), broken property ("-" for none), steps, state hash.
const GOLDEN: &[(&str, &str, &str, usize, &str)] = &[
    ("happy-path", "Green", "-", 19, "f58452d0f6b3528d"),
    ("proposer-fails-before-accept", "Blue", "-", 25, "82120b89b8713249"),
    ("proposer-fails-during-accept", "Green", "-", 31, "56e2618f91d437e6"),
    ("acceptor-fails", "Green", "-", 36, "9095b3dcc394b177"),
    ("dueling-proposers", "-", "-", 73, "d24cec04e9a7a849"),
    ("distinguished-proposer", "Green", "-", 22, "a8808fa5c6197dab"),
    ("lossy-network", "Green", "-", 250, "9796b44c9a6bcdfe"),
    ("leader-election", "Leader 2", "-", 38, "150fa8f66f60e8c1"),
    ("bug-acceptor-forgets", "Green", "at-most-one", 16, "8c716288f35728c3"),
    ("bug-proposer-ignores-promises", "Green", "at-most-one", 14, "e84469f4f83661be"),
    ("bug-minority-quorum", "-", "learned-chosen", 5, "1fac0f02279bbbd8"),
    ("bug-accept-below-promise", "Green", "at-most-one", 14, "7966a4b824b42c70"),
    ("bug-proposer-forgets-round", "Green", "at-most-one", 16, "0441c33cbea24315"),
    ("bug-new-leader-skips-phase1", "Green#1.1", "at-most-one", 11, "3bcd1714fdf3b6c6"),
    ("bug-noop-overwrites", "Green#1.1", "at-most-one", 14, "c9454c4c1c415ce3"),
    ("bug-apply-out-of-order", "Blue#2.1", "same-sequence", 11, "1cb2b875ac7c7e54"),
    ("multi-paxos-steady-leader", "Green#4.1", "-", 41, "0691baf38c446871"),
    ("multi-paxos-leader-fails", "Green#1.1", "-", 48, "881181ddb7ee984b"),
    ("multi-paxos-partition", "Blue#2.1", "-", 31, "45293a7fa918ef2d"),
    ("multi-paxos-lagging-replica", "Green#1.1", "-", 41, "8d4cf31a69389739"),
    ("multi-paxos-retried-command", "Green#4.1", "-", 58, "0ef6d7c39947ea04"),
    ("spc-commit", "Green", "-", 20, "b928ea640a2a112c"),
    ("spc-coordinator-fails-before-informing", "Blue", "-", 21, "011a064fe78e66e8"),
    ("spc-coordinator-fails-after-informing", "Green", "-", 33, "195af53787753da6"),
    ("spc-two-coordinators", "Blue", "at-most-one", 24, "c602047b52fc424e"),
    ("2pc-coordinator-dies", "-", "-", 10, "a96c72b6aa5f33e9"),
    ("3pc-partition", "-", "agreement", 11, "c31e89d3fff0e250"),
    ("paxos-commit-survives", "Prepared", "-", 41, "20d086955cff9751"),
];

fn outcome(s: &Session) -> (String, String, usize, String) {
    let snap = s.snapshot();
    let chosen = snap.chosen.unwrap_or_else(|| "-".into());
    // The last property broken is the one the story ends on.
    let broken = snap.violations.iter().filter(|v| v.property != "accept-below-promise").map(|v| v.property).last().unwrap_or("-");
    (chosen, broken.to_string(), s.step(), snap.hash)
}

#[test]
fn every_scenario_tells_its_golden_story() {
    assert_eq!(GOLDEN.len(), scenario::SCENARIOS.len(), "every scenario has a golden line");
    for &(name, chosen, broken, steps, hash) in GOLDEN {
        let s = scenario::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(outcome(&s), (chosen.to_string(), broken.to_string(), steps, hash.to_string()), "scenario {name}");
    }
}

#[test]
fn scenarios_replay_from_their_traces_and_walk_back() {
    for &(name, ..) in GOLDEN {
        let mut s = scenario::load(name).unwrap();
        let end = s.snapshot();
        let replayed = Session::from_trace(&s.trace()).unwrap();
        assert_eq!(replayed.snapshot().hash, end.hash, "{name} replays");
        // Walk to the start and back: the same states.
        let half = s.step() / 2;
        s.seek(half).unwrap();
        let mid = s.snapshot().hash;
        s.seek(0).unwrap();
        assert_eq!(s.step(), 0);
        s.seek(s.trace_len()).unwrap();
        assert_eq!(s.snapshot().hash, end.hash, "{name} seek back to the end");
        s.seek(half).unwrap();
        assert_eq!(s.snapshot().hash, mid, "{name} seek to the middle");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn scenario_logs_match_the_golden_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var("UPDATE_GOLDEN").is_ok();
    for &(name, ..) in GOLDEN {
        let s = scenario::load(name).unwrap();
        let mut text = String::new();
        let trace = s.trace();
        for (i, l) in s.log().iter().enumerate() {
            if let Some(c) = trace.captions.get(i).filter(|c| !c.is_empty()) {
                text.push_str(&format!("      > {c}\n"));
            }
            text.push_str(&format!("{:>4} t={:<5} {}\n", l.step, l.time, l.text));
        }
        let path = dir.join(format!("{name}.log"));
        if update {
            std::fs::write(&path, &text).unwrap();
        } else {
            let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {path:?}: run with UPDATE_GOLDEN=1"));
            assert_eq!(text, want, "scenario {name} changed; if intended, rerun with UPDATE_GOLDEN=1 and review the diff");
        }
    }
}

/// The page opens the bug stories from embedded links (written by the p1. encoder, so this
/// also keeps older links opening); they must open as exactly what the explorer finds today.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn embedded_bug_stories_are_the_explorers_shortest_counterexamples() {
    use paxoscope::sim::share;
    let mut stale = String::new();
    for (bug, link) in scenario::BUG_LINKS {
        let mut live = scenario::counterexample_session(bug).unwrap();
        live.set_scenario(None);
        let embedded = share::decode(link).map(|s| (s.config().clone(), s.all_actions().to_vec(), s.step(), s.hash()));
        if embedded != Ok((live.config().clone(), live.all_actions().to_vec(), live.step(), live.hash())) {
            stale.push_str(&format!("    (Bug::{bug:?}, \"{}\"),\n", live.share()));
        }
    }
    assert!(stale.is_empty(), "scenario::BUG_LINKS is stale; replace the entries with:\n{stale}");
}
