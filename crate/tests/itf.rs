//! ITF traces: every single-decree story exported as a behaviour of Lamport's `Paxos.tla`
//! has the Informal Trace Format's shape, and is a behaviour of the spec exactly when the
//! story's protocol is not broken in a way the spec can see.

use paxoscope::itf::{self, conforms};
use paxoscope::protocols::ProtocolKind;
use paxoscope::scenario;
use serde_json::Value as Json;

fn paxos_stories() -> Vec<(&'static str, paxoscope::sim::Session)> {
    scenario::SCENARIOS
        .iter()
        .map(|s| (s.name, scenario::load(s.name).expect("a built-in story loads")))
        .filter(|(_, s)| s.config().protocol == ProtocolKind::Paxos)
        .collect()
}

fn is_bigint(v: &Json) -> bool {
    v.as_object().is_some_and(|o| o.len() == 1 && o["#bigint"].as_str().is_some_and(|s| s.parse::<i64>().is_ok()))
}

#[test]
fn every_story_exports_json_of_the_itf_shape() {
    let stories = paxos_stories();
    assert!(stories.len() >= 10, "the single-decree stories: {}", stories.len());
    for (name, s) in &stories {
        let t = itf::trace(s).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = serde_json::to_string(&t).unwrap();
        let j: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(j["#meta"]["format"], "ITF", "{name}");
        assert_eq!(j["vars"], serde_json::json!(["maxBal", "maxVBal", "maxVal", "msgs"]), "{name}");
        let states = j["states"].as_array().unwrap();
        assert_eq!(states.len(), s.step() + 1, "{name}: the start and one state per step");
        let acceptors = s.config().roles().unwrap().acceptors.count_ones() as usize;
        for (i, st) in states.iter().enumerate() {
            assert_eq!(st["#meta"]["index"], i, "{name}");
            for var in ["maxBal", "maxVBal", "maxVal"] {
                let m = st[var]["#map"].as_array().unwrap_or_else(|| panic!("{name}: {var} is a #map"));
                assert_eq!(m.len(), acceptors, "{name}: {var} has every acceptor");
                for kv in m {
                    let kv = kv.as_array().unwrap();
                    assert_eq!(kv.len(), 2);
                    assert!(kv[0].as_str().unwrap().starts_with('n'));
                    if var == "maxVal" {
                        assert!(kv[1].is_string());
                    } else {
                        assert!(is_bigint(&kv[1]), "{name}: {var} holds #bigint integers: {kv:?}");
                    }
                }
            }
            for m in st["msgs"]["#set"].as_array().unwrap_or_else(|| panic!("{name}: msgs is a #set")) {
                let keys: Vec<&str> = m.as_object().unwrap().keys().map(|k| k.as_str()).collect();
                let want: &[&str] = match m["type"].as_str().unwrap() {
                    "1a" => &["bal", "type"],
                    "1b" => &["acc", "bal", "mbal", "mval", "type"],
                    "2a" => &["bal", "type", "val"],
                    "2b" => &["acc", "bal", "type", "val"],
                    other => panic!("{name}: a message of type {other}"),
                };
                let mut keys = keys;
                keys.sort_unstable();
                assert_eq!(keys, want, "{name}: {m}");
                assert!(is_bigint(&m["bal"]));
            }
        }
        // The set only grows, and the last state holds every kind of message a chosen value needs.
        let last = &states[states.len() - 1]["msgs"]["#set"];
        if s.snapshot().chosen.is_some() {
            for kind in ["1a", "1b", "2a", "2b"] {
                assert!(last.as_array().unwrap().iter().any(|m| m["type"] == kind), "{name}: no {kind} message");
            }
        }
    }
}

#[test]
fn correct_stories_are_behaviours_of_paxos_tla_and_broken_ones_are_not() {
    for (name, s) in paxos_stories() {
        let t = itf::trace(&s).unwrap();
        let verdict = conforms(&t);
        let bug = s.config().bug;
        match (name, verdict) {
            (_, Ok(())) => assert!(bug.is_none(), "{name}: a broken variant's run passed as a behaviour of the spec"),
            (_, Err((step, why))) => {
                assert!(bug.is_some(), "{name}: step {step} is not a step of Paxos.tla: {why}");
                let line = s.line(step).unwrap().text;
                let expect = match name {
                    "bug-acceptor-forgets" => "without a message being sent",
                    "bug-proposer-ignores-promises" => "highest-ballot vote",
                    "bug-accept-below-promise" => "accepted below its promise",
                    "bug-proposer-forgets-round" => "needs no 2a message for ballot",
                    "bug-minority-quorum" => "from a quorum",
                    other => panic!("{other}: an unexpected broken story fails at step {step} ({line}): {why}"),
                };
                assert!(why.contains(expect), "{name}: step {step} ({line}): {why}");
            }
        }
    }
}

#[test]
fn other_protocols_are_refused_with_a_reason() {
    let s = scenario::load("multi-paxos-steady-leader").unwrap();
    let e = itf::trace(&s).unwrap_err();
    assert!(e.contains("Paxos.tla") && e.contains("Multi-Paxos"), "{e}");
}

#[test]
fn a_tampered_trace_is_caught_at_the_step_tampered_with() {
    let s = scenario::load("proposer-fails-during-accept").unwrap();
    let mut t = itf::trace(&s).unwrap();
    assert_eq!(conforms(&t), Ok(()));
    // An acceptor that "forgets" its vote in the middle of the run.
    let k = t.states.iter().position(|st| st.max_vbal.entries.iter().any(|e| e.1 .0 >= 0)).unwrap();
    let mut later = t.clone();
    for st in &mut later.states[k + 1..] {
        for e in &mut st.max_vbal.entries {
            e.1 = itf::Int(-1);
        }
    }
    let (step, why) = conforms(&later).unwrap_err();
    assert_eq!(step, k + 1, "{why}");
    // A message that vanishes.
    let last = t.states.len() - 1;
    t.states[last].msgs.items.remove(0);
    let (step, why) = conforms(&t).unwrap_err();
    assert_eq!(step, last);
    assert!(why.contains("disappeared"), "{why}");
}
