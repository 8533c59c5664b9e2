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
    ("multi-paxos-steady-leader", &[
        (5, "A majority has promised: node 1 leads ballot 1.1", "node 1 becomes the leader of ballot 1.1"),
        (10, "Node 1 puts Green in slot 1 and goes straight to phase 2", "node 1 sends Accept 1.1 [s1] Green"),
        (12, "The acceptors accept 1.1: Green in slot 1", "Green#4.1 is chosen in slot 1"),
        (15, "The acceptances come back to the leader: one round trip", "node 1 sends Chosen [s1] Green"),
        (21, "Node 1 puts Blue in the next free slot, 2, and again sends only Accept", "node 1 sends Accept 1.1 [s2] Blue"),
        (32, "Slot 3, Accept only", "node 1 sends Accept 1.1 [s3] Amber"),
        (39, "Three values, three slots", "node 3 applies slot 3: Amber#4.3"),
    ]),
    ("multi-paxos-leader-fails", &[
        (21, "The network loses all three Accepts for slot 2", "Accept 1.1 [s2] Blue from node 1 to node 1 dropped"),
        (24, "Node 3 accepts it too: a majority, so Amber is chosen in slot 3", "Amber#1.3 is chosen in slot 3"),
        (25, "Node 1 crashes", "Node 1 crashes"),
        (29, "Node 2 hears no heartbeat", "node 2 sends Prepare 2.2 [s2+]"),
        (31, "Node 3 promises 2.2, and its promise reports", "node 3 sends Promise 2.2 (s3: 1.1 Amber)"),
        (34, "A majority has promised 2.2: node 2 leads", "node 2 sends Accept 2.2 [s2] no-op to nodes 1, 2, 3; node 2 sends Accept 2.2 [s3] Amber"),
        (37, "Nodes 2 and 3 accept 2.2 in slots 2 and 3", "no-op is chosen in slot 2"),
        (48, "Node 3 applies slot 2, a no-op", "Chosen [s3] Amber from node 2 to node 1 dropped"),
    ]),
    ("multi-paxos-partition", &[
        (9, "A partition", "The link between nodes 1 and 2 is cut"),
        (11, "Node 2 hears no heartbeat", "node 2 sends Prepare 2.2 [s1+]"),
        (16, "A majority has promised: node 2 leads ballot 2.2", "node 2 becomes the leader of ballot 2.2"),
        (17, "A client on node 1's side asks it for Green", "node 1 sends Accept 1.1 [s1] Green"),
        (21, "So does node 3: a majority, so Blue is chosen in slot 1", "Blue#2.1 is chosen in slot 1"),
        (27, "Node 1's stale Accept 1.1 [s1] Green reaches node 3. Node 3 promised 2.2", "Accept 1.1 [s1] Green from node 1 to node 3 delivered"),
        (29, "Node 2's Accept 2.2 [s1] Blue reaches node 1", "node 1 accepts 2.2: Blue#2.1 in slot 1"),
        (30, "The replicas learn Blue in slot 1", "node 3 learns Blue#2.1 in slot 1"),
    ]),
    ("multi-paxos-lagging-replica", &[
        (9, "Node 3 crashes", "Node 3 crashes"),
        (12, "Nodes 1 and 2 accept: two of three is a majority", "Green#1.1 is chosen in slot 1"),
        (13, "", "Accept 1.1 [s1] Green from node 1 to node 3 dropped"),
        (34, "Node 3 comes back", "Node 3 restarts"),
        (35, "The leader's heartbeat timer fires", "node 1 sends Heartbeat 1.1 (commit 3) to nodes 2, 3"),
        (37, "Node 2 knows slots 1 to 3 already. Node 3 knows none", "node 3 sends CatchUp [s1+] to node 1"),
        (38, "The leader answers with what it knows is chosen", "node 1 sends Chosen [s1] Green to node 3; node 1 sends Chosen [s2] Blue to node 3; node 1 sends Chosen [s3] Amber"),
        (39, "Suppose slot 3's answer overtakes the others", "node 3 learns Amber#1.3 in slot 3"),
        (40, "Slot 1 arrives: node 3 applies Green", "node 3 applies slot 1: Green#1.1"),
        (41, "Slot 2 arrives", "node 3 applies slot 2: Blue#1.2; node 3 applies slot 3: Amber#1.3"),
    ]),
    ("multi-paxos-retried-command", &[
        (12, "Node 1 puts Green in the next free slot, 2", "node 1 sends Accept 1.1 [s2] Green"),
        (13, "Node 1's own acceptor accepts Green in slot 2", "node 1 accepts 1.1: Green#4.1 in slot 2"),
        (18, "Node 1 crashes", "Node 1 crashes"),
        (20, "Its acceptances, on their way to itself as leader, are lost", "Accepted 1.1 [s1] Blue from node 1 to node 1 dropped"),
        (26, "A majority has promised 2.2 and reported nothing", "node 2 becomes the leader of ballot 2.2"),
        (29, "The client has had no reply to #4.1", "Node 4's retry timer fires; node 4 sends Request Green#4.1 to node 2"),
        (30, "Node 2 leads, and its log does not hold #4.1", "node 2 sends Accept 2.2 [s1] Green"),
        (32, "Nodes 2 and 3 accept: Green#4.1 is chosen in slot 1", "Green#4.1 is chosen in slot 1"),
        (44, "Node 1 learns Green#4.1 in slot 1 and applies it", "node 1 applies slot 1: Green#4.1"),
        (46, "Node 1 hears no heartbeat and takes over", "node 1 sends Prepare 3.1 [s2+]"),
        (51, "A majority has promised 3.1. In slot 2 a promise reports 1.1 Green#4.1", "node 1 sends Accept 3.1 [s2] Green"),
        (53, "Nodes 1 and 3 accept: Green#4.1 is chosen in slot 2 as well", "Green#4.1 is chosen in slot 2"),
        (56, "Node 1 hears of the majority and applies slot 2", "node 1 applies slot 2: Green#4.1 (no effect"),
        (58, "Node 3 applies slot 2 and skips the copy too", "node 3 applies slot 2: Green#4.1 (no effect"),
    ]),
    ("spc-commit", &[
        (1, "A client asks D, node 1, for Green. There is no phase 1", "node 1 sends Propose [s1] Green to nodes 1, 2, 3"),
        (3, "Node 2 accepts too. A majority", "Green is chosen in slot 1"),
        (6, "An accept response from a majority: D marks Green chosen", "node 1 sends Chosen [s1] Green"),
        (8, "The learners learn Green", "node 2 learns Green"),
        (11, "\"If we need a sequence of values", "node 1 sends Propose [s2] Blue"),
        (20, "Every learner has Green, Blue", "node 2 learns Blue in slot 2"),
    ]),
    ("spc-coordinator-fails-before-informing", &[
        (4, "D crashes before informing any learner", "Node 1 crashes"),
        (13, "Reports from a majority, none with a value: \"start from a blank slate\"", "node 2 sends Propose [s1] Blue"),
        (16, "Nodes 2 and 3 accept Blue: a majority", "Blue is chosen in slot 1"),
        (21, "The live learners learn Blue. Green was never chosen", "Chosen [s1] Blue from node 2 to node 1 dropped"),
    ]),
    ("spc-coordinator-fails-after-informing", &[
        (4, "Node 3 accepts Green too", "Green is chosen in slot 1"),
        (7, "Node 3 learns Green: a learner has been informed", "node 3 learns Green in slot 1"),
        (8, "Now D crashes, after informing one learner", "Node 1 crashes"),
        (17, "Reports from a majority, and one carries Green", "node 2 sends Propose [s1] Green to nodes 1, 2, 3; node 2 sends Propose [s2] Blue"),
        (33, "Node 2 learns Green as number 1", "node 3 learns Blue in slot 2"),
    ]),
    ("spc-two-coordinators", &[
        (4, "A heartbeat from D is late", "Node 2's election timer fires; node 2 sends Elect"),
        (8, "A majority of the acceptors (nodes 1 and 3) reported nothing", "node 2 sends Propose [s1] Blue"),
        (10, "Node 2 accepts Blue, overwriting Green", "Blue is chosen in slot 1"),
        (12, "The Propose [s1] Green that node 1 sent to itself in its first term", "SAFETY VIOLATION: At most one value is chosen"),
        (15, "Node 2 learns Blue", "node 2 learns Blue in slot 1"),
        (19, "A majority reported; one of them carries Green", "node 1 sends Propose [s1] Green"),
        (24, "Node 3 learns Green, while node 2 learned Blue", "node 3 learns Green in slot 1"),
    ]),
    ("2pc-coordinator-dies", &[
        (2, "Node 2 can commit its part", "node 2 votes yes (written to stable storage"),
        (5, "The coordinator crashes before node 3's vote arrives", "Node 1 crashes"),
        (7, "Node 2 has waited long enough", "node 2 sends Query to node 1"),
        (10, "Unanswered again", "Query from node 3 to node 1 dropped"),
    ]),
    ("3pc-partition", &[
        (5, "Every vote is yes", "node 1 sends PreCommit to nodes 2, 3"),
        (8, "The coordinator hears no ack from node 3", "node 1 decides COMMIT"),
        (9, "On the other side node 3 hears nothing", "node 3 sends StateReq to node 2"),
        (10, "No answer before its decide timeout", "SAFETY VIOLATION: All nodes that decide, decide the same"),
        (11, "Node 2 commits as well", "node 2 decides COMMIT"),
    ]),
    ("paxos-commit-survives", &[
        (2, "Node 2 is ready: it votes yes", "node 2 sends Accept [2] 0.2 Prepared to nodes 1, 2, 3"),
        (6, "The acceptors accept both votes", "Prepared is chosen in slot 3"),
        (10, "The coordinator crashes after the votes", "Node 1 crashes"),
        (17, "Node 2 voted yes and has heard no decision", "node 2 sends Prepare 1.2 to nodes 1, 2, 3"),
        (22, "A majority of the acceptors promised", "node 2 sends Accept [2] 1.2 Prepared"),
        (32, "Node 2 hears a majority accept 1.2 Prepared", "node 2 decides COMMIT"),
        (33, "Node 3 commits", "node 3 decides COMMIT"),
        (40, "Node 1 commits too", "node 1 decides COMMIT"),
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

/// The two-coordinators story opens with the checker's shortest counterexample, move for
/// move (`crate::spc` documents it), before it plays on to two learners told different values.
#[test]
fn the_two_coordinators_story_is_the_checkers_counterexample() {
    use paxoscope::check::Bounds;
    let story = scenario::load("spc-two-coordinators").unwrap();
    let checked = paxoscope::protocols::check(story.config(), Bounds::new()).unwrap();
    let (property, moves, replay) = checked.violation.expect("the checker finds two coordinators deciding differently");
    assert_eq!((property.name(), moves), ("at-most-one", paxoscope::spc::COUNTEREXAMPLE_LEN));
    let n = replay.all_actions().len();
    assert_eq!(&story.all_actions()[..n], replay.all_actions(), "the story's first {n} steps are the counterexample's");
    let log = story.log();
    assert!(log[n - 1].text.contains("SAFETY VIOLATION: At most one value is chosen"), "{}", log[n - 1].text);
    assert!(log[..n - 1].iter().all(|l| !l.text.contains("SAFETY VIOLATION")), "the violation comes at the counterexample's last step");
}

/// Every scenario names its protocol, which is the protocol of the cluster it runs.
#[test]
fn every_scenario_runs_the_protocol_it_names() {
    for info in scenario::SCENARIOS {
        let s = scenario::load(info.name).unwrap();
        assert_eq!(s.config().protocol, info.protocol, "{}", info.name);
    }
}
