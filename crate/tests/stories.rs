//! Each story's captions stand at the step whose event they tell: a table per story of
//! (step, how the caption starts, what the event log says happened at that step). The
//! golden logs pin the whole text; this pins the pairing of words and events.

#![cfg(not(target_arch = "wasm32"))]

use paxoscope::scenario;

/// story → [(step, caption starts with, the step's log line contains)]
const TABLE: &[(&str, &[(usize, &str, &str)])] = &[
    ("happy-path", &[
        (1, "A client asks node 1 to propose Green", "node 1 sends Prepare 42.1 to nodes 1, 2, 3"),
        (6, "Two promises are a majority", "node 1 sends Accept 42.1 Green"),
        (9, "Node 2 accepts 42.1: Green. Now a majority", "Green is chosen"),
    ]),
    ("proposer-fails-during-accept", &[
        (7, "A majority has promised", "node 1 sends Accept 42.1 Green"),
        (9, "Node 1 crashes. A crash does not recall", "Node 1 crashes"),
        // Only once both Accepts are gone does the caption say they never arrive.
        (11, "Suppose the network loses them", "Accept 42.1 Green from node 1 to node 2 dropped"),
        (20, "Node 3's promise carries its accepted proposal 42.1: Green", "node 2 sends Accept 42.2 Green"),
        (23, "Node 3 accepts 42.2: Green. A majority", "Green is chosen"),
        (28, "The learners hear of it and learn Green", "node 3 learns Green"),
    ]),
    ("proposer-fails-before-accept", &[
        (7, "Node 1 crashes with only its own promise", "Node 1 crashes"),
        (16, "A majority promised 42.2", "node 2 sends Accept 42.2 Blue"),
    ]),
    ("acceptor-fails", &[
        (7, "Two promises make a majority", "node 1 sends Accept 42.1 Green"),
        (10, "Nodes 1 and 2 accept: Green is chosen", "Green is chosen"),
        (14, "The live learners learn Green", "node 2 learns Green"),
        (17, "Node 3 comes back", "Node 3 restarts"),
        (23, "The promises report 42.1: Green, so node 1 must propose Green", "node 1 sends Accept 43.1 Green"),
        (34, "Node 3 learns Green", "node 3 learns Green"),
    ]),
    ("dueling-proposers", &[
        (6, "Node 1 has its majority and sends Accept", "node 1 sends Accept 42.1 Green"),
        (19, "Node 2 has its majority and sends Accept", "node 2 sends Accept 42.2 Blue"),
        (21, "…but node 1's retry timer fires", "Node 1's retry timer fires"),
    ]),
    ("lossy-network", &[
        (7, "The network loses its first message", "lost by the network"),
        (25, "Node 1's retry timer fires", "Node 1's retry timer fires"),
        (74, "Node 5 accepts 44.1: Green, the first acceptance", "node 5 accepts 44.1: Green"),
        (98, "Green is chosen", "Green is chosen"),
        (178, "Node 2 learns Green", "node 2 learns Green"),
    ]),
    ("bug-acceptor-forgets", &[
        (12, "Here the bug strikes: node 3 restarts with an empty disk", "BROKEN RULE (acceptor-forgets)"),
        (13, "Node 3 promises 1.2 without reporting 1.1: Green", "node 3 sends Promise 1.2 to node 2"),
    ]),
    ("bug-proposer-ignores-promises", &[
        (12, "Here the bug strikes: node 2 ignores the accepted proposal 1.1: Green", "node 2 sends Accept 1.2 Blue"),
    ]),
    ("bug-minority-quorum", &[
        (3, "Here the bug strikes: node 1 goes to phase 2 of ballot 1.1 on 1 of 3 acceptors", "node 1 sends Accept 1.1 Green"),
    ]),
    ("bug-proposer-forgets-round", &[
        (11, "Here the bug strikes: node 1 restarts without its highest round", "Node 1 restarts"),
        (12, "A client asks node 1 to propose Amber. Node 1 sends Prepare 1.1", "node 1 sends Prepare 1.1"),
    ]),
];

#[test]
fn captions_stand_at_the_step_of_their_event() {
    for &(name, rows) in TABLE {
        let s = scenario::load(name).unwrap();
        let trace = s.trace();
        let log = s.log();
        for &(step, caption, event) in rows {
            let got = trace.captions.get(step - 1).map(String::as_str).unwrap_or("");
            assert!(got.starts_with(caption), "{name} step {step}: caption {got:?} should start with {caption:?}");
            let line = &log[step - 1].text;
            assert!(line.contains(event), "{name} step {step}: the log says {line:?}, not {event:?}");
        }
    }
}

/// Every UNSAFE story names its cause: a caption at the step where the broken rule is
/// broken, and the violation's explanation cites that step.
#[test]
fn unsafe_stories_name_their_cause() {
    for bug in paxoscope::paxos::Bug::ALL {
        let name = format!("bug-{}", bug.name());
        let s = scenario::load(&name).unwrap();
        let trace = s.trace();
        let log = s.log();
        let broken = log.iter().position(|l| l.text.contains("BROKEN RULE")).unwrap_or_else(|| panic!("{name}: no broken rule in the log"));
        assert!(trace.captions[broken].contains("Here the bug strikes"), "{name}: step {} has no cause caption: {:?}", broken + 1, trace.captions[broken]);
        let v = s.violations().into_iter().last().unwrap();
        assert!(v.steps.contains(&(broken as u32 + 1)), "{name}: the violation cites steps {:?}, not the cause at {}", v.steps, broken + 1);
        assert!(v.explanation.contains(&format!("at step {} node", broken + 1)), "{name}: {}", v.explanation);
    }
}

/// A correct cluster never logs a broken rule, whatever happens.
#[test]
fn correct_stories_break_no_rule() {
    for info in scenario::SCENARIOS.iter().filter(|i| !i.name.starts_with("bug-")) {
        let s = scenario::load(info.name).unwrap();
        assert!(s.log().iter().all(|l| !l.text.contains("BROKEN RULE")), "{}", info.name);
    }
}
