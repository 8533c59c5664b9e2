//! The "why is this value safe?" analysis (issue 15, part 2): the chain that brought a value
//! where it is, the quorum overlaps, and the link a broken variant cuts.

#![cfg(not(target_arch = "wasm32"))]

use paxoscope::paxos::Bug;
use paxoscope::protocols::ProtocolKind;
use paxoscope::scenario::{self, SCENARIOS};
use paxoscope::sim::{Event, Session};
use paxoscope::why::{why, Link, Reason, Target, KINDS};

/// The message record with this id, as the page's history shows it.
fn record(s: &Session, id: u32) -> paxoscope::sim::world::MsgRecord {
    s.snapshot().history.into_iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no message {id} in the history"))
}

fn links<'a>(r: &'a Reason, kind: &str) -> Vec<&'a Link> {
    r.chain.iter().filter(|l| l.kind == kind).collect()
}

/// Every chain is in step order, of known kinds, and names only messages of the history
/// sent by then.
fn well_formed(s: &Session, r: &Reason) {
    assert!(r.chain.windows(2).all(|w| w[0].step <= w[1].step), "chain out of order: {r:#?}");
    let history = s.snapshot().history;
    for l in &r.chain {
        assert!(KINDS.contains(&l.kind), "{}", l.kind);
        assert!(l.step as usize <= s.step());
        if let Some(id) = l.msg {
            let rec = history.iter().find(|h| h.id == id).unwrap_or_else(|| panic!("link names message {id}, not in the history"));
            assert!(rec.sent_step <= l.step, "{l:?} names a message sent later");
        }
    }
}

#[test]
fn proposer_fails_during_accept_green_is_carried_by_node_3() {
    let s = scenario::load("proposer-fails-during-accept").unwrap();
    let r = why(&s, Target::Chosen).unwrap();
    well_formed(&s, &r);
    assert_eq!((r.value.as_str(), r.ballot.as_str()), ("Green", "42.2"));
    // Node 1 proposed Green first, at step 1, a client's request.
    let proposed = links(&r, "proposed");
    assert_eq!(proposed.len(), 1);
    assert_eq!((proposed[0].step, proposed[0].node), (1, Some(1)));
    // Node 3's promise for 42.2 carried 42.1: Green, which forced node 2 to give up Blue.
    let adopted = links(&r, "adopted");
    assert_eq!(adopted.len(), 1);
    let a = adopted[0];
    assert_eq!((a.node, a.from, a.ballot.as_deref()), (Some(2), Some(3), Some("42.2")));
    assert!(a.text.contains("Node 3's promise for 42.2 carried 42.1: Green") && a.text.contains("node 2 had to propose Green, not its own Blue"), "{}", a.text);
    let rec = record(&s, a.msg.unwrap());
    assert_eq!((rec.from, rec.to, rec.label.as_str()), (3, 2, "Promise 42.2 (42.1: Green)"));
    // The promise is also a link of its own, and node 3's acceptance of 42.1 precedes it.
    assert!(links(&r, "promise").iter().any(|l| l.msg == a.msg && l.ballot.as_deref() == Some("42.2")));
    assert!(links(&r, "accepted").iter().any(|l| l.node == Some(3) && l.ballot.as_deref() == Some("42.1") && l.step < a.step));
    // Chosen by nodes 2 and 3 at 42.2; node 3 is the acceptor both quorums share.
    let chosen = links(&r, "chosen");
    assert_eq!((chosen.len(), chosen[0].by.as_slice()), (1, &[2, 3][..]));
    assert_eq!(r.quorum, vec![2, 3]);
    let o = r.overlap.iter().find(|o| o.ballot == "42.2").expect("an overlap for 42.2");
    assert_eq!((o.promised_by.as_slice(), o.accepted_by.as_slice(), o.intersection.as_slice(), o.carried), (&[2, 3][..], &[3][..], &[3][..], true));
    assert!(r.rule.starts_with("Any majority of 3 acceptors includes at least one of nodes 2, 3"), "{}", r.rule);
    assert!(r.summary.contains("Node 1 proposed Green") && r.summary.contains("node 3's promise reported 42.1: Green"), "{}", r.summary);
    assert_eq!(r.cut, None);
    // The learners that learned it close the chain.
    assert!(!links(&r, "learned").is_empty());
}

#[test]
fn an_acceptance_mid_story_goes_back_to_node_1() {
    let mut s = scenario::load("proposer-fails-during-accept").unwrap();
    let k = (1..=s.trace_len()).find(|&k| s.events(k).iter().any(|e| matches!(e, Event::Accepted { node: 3, .. }))).unwrap();
    s.seek(k - 1).unwrap();
    assert_eq!(why(&s, Target::Accepted { node: 3 }).unwrap_err(), "node 3 has accepted nothing yet");
    s.seek(k).unwrap();
    let r = why(&s, Target::Accepted { node: 3 }).unwrap();
    well_formed(&s, &r);
    assert_eq!((r.value.as_str(), r.ballot.as_str()), ("Green", "42.1"));
    let kinds: Vec<&str> = r.chain.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, ["proposed", "prepare", "promise", "promise", "accept", "accepted"]);
    assert_eq!(r.chain[0].node, Some(1));
    let last = r.chain.last().unwrap();
    assert_eq!((last.step as usize, last.node), (k, Some(3)));
    assert_eq!(record(&s, last.msg.unwrap()).label, "Accept 42.1 Green");
    assert_eq!(r.quorum, vec![3], "not chosen: the acceptors of 42.1");
    assert!(r.overlap.is_empty() && r.cut.is_none());
    assert!(r.rule.starts_with("A majority of 3 acceptors need not include node 3"), "{}", r.rule);
}

#[test]
fn a_promise_message_explains_the_value_it_carries() {
    let s = scenario::load("proposer-fails-during-accept").unwrap();
    let adopted = why(&s, Target::Chosen).unwrap().chain.into_iter().find(|l| l.kind == "adopted").unwrap();
    let id = adopted.msg.unwrap();
    let r = why(&s, Target::Message { id }).unwrap();
    well_formed(&s, &r);
    assert_eq!((r.value.as_str(), r.ballot.as_str()), ("Green", "42.1"));
    assert_eq!(links(&r, "proposed")[0].node, Some(1));
    let last = r.chain.last().unwrap();
    assert_eq!((last.kind, last.msg), ("promise", Some(id)));
    assert!(r.summary.starts_with(&format!("Message {id} (Promise 42.2 from node 3) carries 42.1: Green")), "{}", r.summary);
    // An Accept explains its own ballot.
    let accept = links(&why(&s, Target::Chosen).unwrap(), "accept").last().unwrap().msg.unwrap();
    let r = why(&s, Target::Message { id: accept }).unwrap();
    assert_eq!((r.value.as_str(), r.ballot.as_str()), ("Green", "42.2"));
    assert_eq!(links(&r, "adopted").len(), 1);
}

#[test]
fn correct_stories_have_no_cut() {
    for info in SCENARIOS.iter().filter(|i| i.protocol == ProtocolKind::Paxos && !i.name.starts_with("bug-")) {
        let s = scenario::load(info.name).unwrap();
        let chosen = s.snapshot().chosen;
        match why(&s, Target::Chosen) {
            Ok(r) => {
                assert_eq!(Some(r.value.clone()), chosen, "{}", info.name);
                // Every ballot past phase 1 heard of the value; one still in phase 1 has, once it
                // holds a majority of promises.
                let majority = s.config().nodes as usize / 2 + 1;
                assert!(
                    r.overlap.iter().all(|o| (o.carried && !o.intersection.is_empty()) || (!o.phase2 && o.promised_by.len() < majority)),
                    "{}: {:#?}",
                    info.name,
                    r.overlap
                );
                assert_eq!(links(&r, "proposed").len(), 1, "{}", info.name);
            }
            Err(e) => assert_eq!((e.as_str(), chosen), ("no value is chosen yet", None), "{}", info.name),
        }
        for node in 1..=s.config().nodes as u8 {
            for t in [Target::Chosen, Target::Accepted { node }, Target::Learned { node }] {
                if let Ok(r) = why(&s, t) {
                    well_formed(&s, &r);
                    assert_eq!(r.cut, None, "{} {t:?}", info.name);
                    assert!(r.chain.iter().all(|l| l.kind != "cut"));
                    assert!(!links(&r, "accept").is_empty());
                }
            }
        }
    }
}

/// Each broken variant's story: the node that breaks the rule, and words its cut must say.
const CUTS: &[(Bug, u8, &str)] = &[
    (Bug::AcceptorForgets, 3, "forgot that it accepted 1.1: Green"),
    (Bug::ProposerIgnoresPromises, 2, "ignored its own acceptor's promise carrying 1.1: Green and proposed its own Blue"),
    (Bug::MinorityQuorum, 1, "went to phase 2 of ballot 1.1 on 1 of 3 acceptors (node 1)"),
    (Bug::AcceptBelowPromise, 1, "accepted 1.1: Green although it had promised 1.2"),
    (Bug::ProposerForgetsRound, 1, "sent Prepare 1.1 again"),
];

/// The step where the story's node broke the rule (the `Deviated` event).
fn deviation_step(s: &Session, node: u8) -> usize {
    (1..=s.step()).find(|&k| s.events(k).iter().any(|e| matches!(e, Event::Deviated { node: n, .. } if *n == node))).unwrap()
}

#[test]
fn every_broken_variant_cuts_the_chain_where_it_breaks_the_rule() {
    assert_eq!(CUTS.len(), Bug::ALL.len());
    for &(bug, node, words) in CUTS {
        let mut s = scenario::load(&format!("bug-{}", bug.name())).unwrap();
        let dev = deviation_step(&s, node);
        let mut explained = 0;
        for t in [Target::Chosen, Target::Accepted { node: 1 }, Target::Accepted { node: 2 }, Target::Accepted { node: 3 }, Target::Learned { node: 1 }] {
            let Ok(r) = why(&s, t) else { continue };
            explained += 1;
            well_formed(&s, &r);
            let cut = r.cut.clone().unwrap_or_else(|| panic!("{}: {t:?} has no cut", bug.name()));
            assert_eq!((cut.kind, cut.node), ("cut", Some(node)), "{}", bug.name());
            assert!(cut.text.contains(words), "{}: {}", bug.name(), cut.text);
            assert!(cut.text.contains(bug_rule(bug)), "{}: {}", bug.name(), cut.text);
            assert!(r.chain.contains(&cut), "the cut is a link of the chain too");
            assert!(r.summary.contains(&format!("Broken rule at step {}", cut.step)));
            match bug {
                // The cut is the forgetful node's next message, after the restart: the
                // reused ballot's Prepare, the promise without the accepted proposal.
                Bug::ProposerForgetsRound | Bug::AcceptorForgets => {
                    assert!(cut.step as usize > dev);
                    assert_eq!(record(&s, cut.msg.unwrap()).sent_step, cut.step);
                }
                _ => assert_eq!(cut.step as usize, dev, "{}", bug.name()),
            }
            match bug {
                // The promise node 3 sent without the proposal it forgot.
                Bug::AcceptorForgets => {
                    let rec = record(&s, cut.msg.unwrap());
                    assert_eq!((rec.from, rec.label.as_str()), (3, "Promise 1.2"));
                }
                // The promise that was ignored, and what it carried.
                Bug::ProposerIgnoresPromises => assert_eq!(record(&s, cut.msg.unwrap()).label, "Promise 1.2 (1.1: Green)"),
                Bug::MinorityQuorum => assert_eq!(cut.by, vec![1]),
                Bug::ProposerForgetsRound => assert_eq!(record(&s, cut.msg.unwrap()).label, "Prepare 1.1"),
                Bug::AcceptBelowPromise => assert_eq!(record(&s, cut.msg.unwrap()).label, "Accept 1.1 Green"),
                _ => {}
            }
        }
        assert!(explained >= 2, "{}: too few values to explain", bug.name());
        // Where Green was chosen before the rule broke, its chain was whole then.
        if bug != Bug::MinorityQuorum {
            s.seek(dev - 1).unwrap();
            if let Ok(r) = why(&s, Target::Chosen) {
                assert_eq!(r.cut, None, "{} before the deviation", bug.name());
            }
        }
    }
}

fn bug_rule(bug: Bug) -> &'static str {
    match bug {
        Bug::AcceptorForgets => "A correct acceptor keeps its promise",
        Bug::ProposerIgnoresPromises => "A correct proposer proposes the value of the highest-ballot proposal",
        Bug::MinorityQuorum => "A correct quorum is a majority",
        Bug::AcceptBelowPromise => "A correct acceptor ignores every ballot below its promise",
        _ => "A correct proposer keeps its highest round",
    }
}

#[test]
fn the_overlap_shows_what_the_broken_variant_lost() {
    // acceptor-forgets: ballot 1.2 met the choosing majority at node 3, whose promise no
    // longer carried Green.
    let s = scenario::load("bug-acceptor-forgets").unwrap();
    let r = why(&s, Target::Chosen).unwrap();
    assert_eq!((r.value.as_str(), r.quorum.as_slice()), ("Green", &[2, 3][..]));
    let o = r.overlap.iter().find(|o| o.ballot == "1.2").unwrap();
    assert_eq!((o.intersection.as_slice(), o.carried), (&[3][..], false));
    // proposer-ignores-promises: the promise carried Green, and Blue was proposed anyway.
    let s = scenario::load("bug-proposer-ignores-promises").unwrap();
    let o = why(&s, Target::Chosen).unwrap().overlap.into_iter().find(|o| o.ballot == "1.2").unwrap();
    assert!(o.carried && o.text.contains("yet node 2 proposed Blue"), "{}", o.text);
    // Blue's own chain: node 2's own value, with the cut where it ignored Green.
    let r = why(&s, Target::Accepted { node: 1 }).unwrap();
    assert_eq!((r.value.as_str(), links(&r, "proposed")[0].node), ("Blue", Some(2)));
    assert!(links(&r, "adopted").is_empty());
}

#[test]
fn bad_targets_are_errors_not_panics() {
    let s = scenario::load("happy-path").unwrap();
    assert_eq!(why(&s, Target::Accepted { node: 9 }).unwrap_err(), "there is no node 9: the cluster has nodes 1 to 3");
    assert!(why(&s, Target::Learned { node: 0 }).is_err());
    assert_eq!(why(&s, Target::Message { id: 9999 }).unwrap_err(), format!("there is no message 9999 at step {}", s.step()));
    // A Prepare and a Promise that reports nothing carry no value.
    let e = why(&s, Target::Message { id: 1 }).unwrap_err();
    assert!(e.contains("Prepare 42.1") && e.contains("carries no value"), "{e}");
    let promise = s.snapshot().history.into_iter().find(|m| m.label == "Promise 42.1").unwrap();
    assert!(why(&s, Target::Message { id: promise.id }).unwrap_err().contains("had accepted nothing"));
    // At the start nothing is accepted, learned or chosen; no message exists.
    let mut s = s;
    s.seek(0).unwrap();
    assert_eq!(why(&s, Target::Chosen).unwrap_err(), "no value is chosen yet");
    assert_eq!(why(&s, Target::Learned { node: 2 }).unwrap_err(), "node 2 has learned nothing yet");
    assert!(why(&s, Target::Message { id: 1 }).is_err());
    // A forgetful acceptor has nothing to explain after its restart.
    let s = scenario::load("bug-acceptor-forgets").unwrap();
    assert!(why(&s, Target::Accepted { node: 3 }).unwrap_err().contains("it forgot what it had accepted when it restarted at step 12"));
    // Other protocols.
    for name in ["multi-paxos-steady-leader", "spc-commit", "2pc-coordinator-dies", "bug-noop-overwrites"] {
        let s = scenario::load(name).unwrap();
        for t in [Target::Chosen, Target::Accepted { node: 1 }, Target::Message { id: 1 }] {
            let e = why(&s, t).unwrap_err();
            assert!(e.contains("is for single-decree Paxos"), "{name}: {e}");
        }
    }
}

#[test]
fn the_reason_is_plain_data_for_the_page() {
    let s = scenario::load("proposer-fails-during-accept").unwrap();
    let v = serde_json::to_value(why(&s, Target::Chosen).unwrap()).unwrap();
    // serde_json's map sorts the keys.
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<String>>();
    assert_eq!(keys(&v), ["ballot", "chain", "cut", "overlap", "quorum", "rule", "summary", "value"]);
    assert_eq!(keys(&v["chain"][0]), ["ballot", "by", "from", "kind", "msg", "node", "step", "text", "to"]);
    assert_eq!(keys(&v["overlap"][0]), ["accepted_by", "ballot", "carried", "intersection", "phase2", "promised_by", "text"]);
    assert_eq!(v["chain"][0]["kind"], "proposed");
    assert_eq!(v["cut"], serde_json::Value::Null);
}

#[test]
fn the_cli_tells_the_chain_in_words() {
    use std::process::Command;
    let trace = std::env::temp_dir().join(format!("paxoscope-why-test-{}.json", std::process::id()));
    let path = trace.to_str().unwrap();
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_paxoscope")).args(args).output().unwrap();
    assert!(run(&["run", "--scenario", "bug-proposer-ignores-promises", "--export", path]).status.success());
    let out = run(&["why", path, "--chosen"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("Green (ballot 1.1) at step 14\nGreen is chosen"), "{text}");
    assert!(text.contains("    1. proposed  A client asks node 1 to propose Green"), "{text}");
    assert!(text.contains("Quorum (the majority that chose it): nodes 2, 3"), "{text}");
    assert!(text.contains("CUT at step 12: Node 2 ignored its own acceptor's promise carrying 1.1: Green"), "{text}");
    // What node 1 accepted (Blue), and before the bug struck (nothing).
    let text = String::from_utf8(run(&["why", path, "--node", "1"]).stdout).unwrap();
    assert!(text.starts_with("Blue (ballot 1.2) at step 14"), "{text}");
    let out = run(&["why", path, "--node", "1", "--step", "3"]);
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stderr).trim()), (Some(2), "paxoscope: node 1 has accepted nothing yet"));
    let out = run(&["why", path, "--chosen", "--msg", "3"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("why needs one of --node N"));
    std::fs::remove_file(&trace).unwrap();
}

/// A higher ballot still in phase 1: its promises so far are an overlap too, and the one from
/// the majority that chose reports the value, so its proposer will have to carry it.
#[test]
fn a_ballot_still_in_phase_1_is_told_by_the_promises_it_has() {
    use paxoscope::paxos::Value;
    use paxoscope::sim::{Action, ClusterConfig};
    let mut s = Session::new(ClusterConfig { nodes: 3, proposers: vec![1, 2], ..ClusterConfig::default() }).unwrap();
    let deliver = |s: &mut Session, kind: &str, from: u8, to: u8| {
        let id = s.snapshot().messages.iter().find(|m| m.kind == kind && m.from == from && m.to == to).unwrap_or_else(|| panic!("{kind} {from}->{to}")).id;
        s.act(Action::Deliver(id)).unwrap();
    };
    s.act(Action::Propose(1, Value::new("Green").unwrap())).unwrap();
    for (k, f, t) in [("Prepare", 1, 1), ("Prepare", 1, 3), ("Promise", 1, 1), ("Promise", 3, 1), ("Accept", 1, 1), ("Accept", 1, 3)] {
        deliver(&mut s, k, f, t);
    }
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Green"));
    s.act(Action::Propose(2, Value::new("Blue").unwrap())).unwrap();
    deliver(&mut s, "Prepare", 2, 3);
    deliver(&mut s, "Promise", 3, 2);
    let r = why(&s, Target::Chosen).unwrap();
    let o = r.overlap.iter().find(|o| !o.phase2).expect("the ballot in phase 1");
    assert_eq!((o.promised_by.as_slice(), o.intersection.as_slice(), o.carried), (&[3u8][..], &[3u8][..], true), "{o:#?}");
    assert!(o.text.contains("still in phase 1") && o.text.contains("node 2 must propose Green"), "{}", o.text);
}
