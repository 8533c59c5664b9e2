//! Every format round-trips through serde (trace, configuration, policy, action, snapshot,
//! share link), and reading stays strict: an unknown field, a number out of range or not
//! whole, a wrong type, a field written twice and a too-deep value are refused with an error
//! naming the place (and, in text, the line and column).

use paxoscope::check::explorer::colour;
use paxoscope::paxos::Bug;
use paxoscope::sim::{share, Action, ClusterConfig, Policy, Session, Trace};
use paxoscope::vocabulary::vocabulary;

fn busy() -> Session {
    let config = ClusterConfig {
        nodes: 5,
        proposers: vec![1, 2],
        acceptors: Some(vec![1, 2, 3, 4]),
        learners: Some(vec![1, 5]),
        seed: 7,
        distinguished: false,
        bug: Some(Bug::MinorityQuorum),
        start_round: 3,
        max_round: Some(9),
        policy: Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 },
        ..ClusterConfig::default()
    };
    let mut s = Session::new(config).unwrap();
    s.act(Action::Propose(1, colour(1))).unwrap();
    s.act(Action::Propose(2, colour(2))).unwrap();
    s.run(40);
    let id = s.world().pending.first().map(|p| p.id).unwrap();
    for a in [Action::Hold(id), Action::Release(id), Action::Duplicate(id), Action::Cut(1, 3), Action::Heal(1, 3), Action::Crash(4), Action::Restart(4)] {
        s.act(a).unwrap();
    }
    s.act(Action::SetPolicy(Policy::default())).unwrap();
    s.run(30);
    s
}

#[test]
fn every_format_round_trips_through_serde() {
    let s = busy();
    // Trace: text and back, equal; and it replays to the same state hash.
    let trace = s.trace();
    let back = Trace::parse(&trace.to_text()).unwrap();
    assert_eq!(back, trace);
    assert_eq!(Session::from_trace(&back).unwrap().hash(), s.hash());
    // Configuration and policy.
    let cfg = s.config().clone();
    assert_eq!(ClusterConfig::parse(&serde_json::to_string(&cfg).unwrap()).unwrap(), cfg);
    assert_eq!(ClusterConfig::parse("{}").unwrap(), ClusterConfig::default());
    let p = Policy { loss_ppm: 1, dup_ppm: 2, delay_ppm: 3, min_latency: 4, max_latency: 5 };
    assert_eq!(serde_json::from_str::<Policy>(&serde_json::to_string(&p).unwrap()).unwrap(), p);
    // Every action, in its written form.
    for (a, text) in [
        (Action::Step, r#""step""#),
        (Action::Deliver(3), r#"{"deliver":3}"#),
        (Action::MoveBefore(3, 4), r#"{"move-before":[3,4]}"#),
        (Action::Propose(1, colour(1)), r#"{"propose":[1,"Green"]}"#),
        (Action::Fire(2, "retry".into()), r#"{"fire":[2,"retry"]}"#),
        (Action::SetPolicy(p), r#"{"set-policy":{"loss_ppm":1,"dup_ppm":2,"delay_ppm":3,"min_latency":4,"max_latency":5}}"#),
    ] {
        assert_eq!(serde_json::to_string(&a).unwrap(), text);
        assert_eq!(serde_json::from_str::<Action>(text).unwrap(), a);
    }
    // Snapshot: written and read back, equal; the names in it must be the core's own.
    let snap = serde_json::to_string(&s.snapshot()).unwrap();
    assert_eq!(serde_json::from_str::<paxoscope::sim::Snapshot>(&snap).unwrap(), s.snapshot());
    let value: serde_json::Value = serde_json::from_str(&snap).unwrap();
    assert_eq!(value, serde_json::to_value(s.snapshot()).unwrap());
    let e = serde_json::from_str::<paxoscope::sim::Snapshot>(&snap.replacen("\"kind\":\"Prepare\"", "\"kind\":\"Prepar\"", 1)).unwrap_err().to_string();
    assert!(e.starts_with("unknown message kind \"Prepar\", expected one of Prepare, Promise"), "{e}");
    assert_eq!(value["config"], serde_json::to_value(&cfg).unwrap());
    // Share link: the same run, step and hash.
    let opened = share::decode(&s.share()).unwrap();
    assert_eq!((opened.hash(), opened.step(), opened.all_actions()), (s.hash(), s.step(), s.all_actions()));
    assert_eq!(opened.trace(), trace);
}

fn config_err(text: &str) -> String {
    ClusterConfig::parse(text).unwrap_err().to_string()
}

#[test]
fn strict_reading_names_the_place() {
    let cases = [
        (r#"{"colour": "red"}"#, "invalid configuration: config.colour: unknown field `colour`, expected one of"),
        (r#"{"policy": {"loss": 1}}"#, "invalid configuration: config.policy.loss: unknown field `loss`"),
        (r#"{"policy": {"loss_ppm": -1}}"#, "invalid configuration: config.policy.loss_ppm: invalid value: integer `-1`, expected u32 at line 1 column 26"),
        (r#"{"nodes": 1.5}"#, "invalid configuration: config.nodes: invalid type: floating point `1.5`, expected u32"),
        (r#"{"nodes": 4294967296}"#, "invalid configuration: config.nodes: invalid value: integer `4294967296`, expected u32"),
        (r#"{"proposers": [1, "2"]}"#, "invalid configuration: config.proposers[1]: invalid type: string \"2\", expected u32"),
        (r#"{"distinguished": "yes"}"#, "invalid configuration: config.distinguished: invalid type: string \"yes\", expected a boolean"),
        (r#"{"bug": "nope"}"#, "invalid configuration: config.bug: unknown variant `nope`, expected one of `acceptor-forgets`"),
        (r#"{"seed": 1, "seed": 2}"#, "invalid configuration: config: duplicate field `seed` at line 1 column 18"),
        (r#"{"nodes": 3"#, "invalid configuration: not valid JSON: EOF while parsing an object at line 1 column 11"),
        (r#"{} x"#, "invalid configuration: not valid JSON: trailing characters at line 1 column 4"),
    ];
    for (text, want) in cases {
        let e = config_err(text);
        assert!(e.starts_with(want), "{text}: {e}\n  should start with {want}");
    }
    // Too deep: refused where the shape goes wrong, without descending (no stack to exhaust),
    // however deep the input.
    for depth in [10, 200, 100_000] {
        let deep = format!(r#"{{"policy": {}{}}}"#, "[".repeat(depth), "]".repeat(depth));
        let e = config_err(&deep);
        assert!(e.starts_with("invalid configuration: config.policy[0]: invalid type: sequence, expected u32 at line 1 column 12"), "{e}");
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = Trace::parse(&deep).unwrap_err().to_string();
    assert!(e.starts_with("invalid trace: trace[0]: invalid type: sequence, expected a string at line 1 column 1"), "{e}");
    // In a trace: the action's place, with line and column.
    let mut t = busy().trace();
    t.actions.truncate(3);
    let text = t.to_text().replacen("\"propose\": [\n        2,", "\"propose\": [\n        2.5,", 1);
    let e = Trace::parse(&text).unwrap_err().to_string();
    assert!(e.starts_with("invalid trace: trace.actions[1].propose[0]: invalid type: floating point `2.5`, expected u8 at line"), "{e}");
    let text = t.to_text().replacen("\"Blue\"", "\"\"", 1);
    let e = Trace::parse(&text).unwrap_err().to_string();
    assert!(e.starts_with("invalid trace: trace.actions[1].propose[1]: a value cannot be empty at line"), "{e}");
    let text = t.to_text().replacen("\"propose\"", "\"proposee\"", 1);
    let e = Trace::parse(&text).unwrap_err().to_string();
    assert!(e.starts_with("invalid trace: trace.actions[0]: unknown variant `proposee`, expected one of `deliver`"), "{e}");
    // Ranges beyond the type's are the validate step's, with the field named.
    assert!(Session::new(ClusterConfig::parse(r#"{"policy": {"loss_ppm": 2000000}}"#).unwrap()).unwrap_err().to_string().contains("policy.loss_ppm is 2000000"));
}

#[test]
fn the_vocabulary_is_the_cores() {
    let v = serde_json::to_value(vocabulary()).unwrap();
    assert_eq!(v["values"][0], "Green");
    assert_eq!(v["values"][3], "Amber", "the explorer's values, in its order");
    assert_eq!(paxoscope::check::explorer::proposal_value(3, 1, 1).as_str(), v["values"][3].as_str().unwrap(), "node 1's second value of 3 nodes");
    assert_eq!(v["bugs"].as_array().unwrap().len(), Bug::EVERY.len());
    assert_eq!(v["bugs"][0]["note"], "acceptors forget what they promised and accepted when they restart");
    assert!(v["bugs"][0]["title"].as_str().unwrap().starts_with("UNSAFE: "));
    let props: Vec<&str> = v["properties"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(props, ["only-proposed", "at-most-one", "learned-chosen"]);
    assert_eq!(v["kinds"], serde_json::json!(["Prepare", "Promise", "Accept", "Accepted", "Nack", "Heartbeat"]));
    assert_eq!(v["timers"], serde_json::json!(["retry", "leader", "heartbeat"]));
    assert_eq!(v["roles"], serde_json::json!(["proposer", "acceptor", "learner"]));
    assert_eq!(v["scenarios"].as_array().unwrap().len(), paxoscope::scenario::SCENARIOS.len());
    assert_eq!(
        v["limits"],
        serde_json::json!({ "max_nodes": 9, "max_trace_bytes": 16777216, "max_fragment_chars": 2000000,
                            "max_trace_actions": 50000, "max_trace_choices": 10000, "max_value_len": 23 })
    );
}
