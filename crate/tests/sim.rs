//! The simulator: determinism, bad input, history (undo/redo/seek), traces.

use paxoscope::paxos::Value;

#[path = "support/serde_era.rs"]
mod serde_era;
use serde_era::without_changes;
use paxoscope::sim::{Action, ClusterConfig, Policy, Session, SimError, Trace};

fn v(s: &str) -> Value {
    Value::new(s).unwrap()
}

fn lossy(seed: u32) -> ClusterConfig {
    ClusterConfig {
        nodes: 5,
        proposers: vec![1, 2],
        seed,
        policy: Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 },
        ..Default::default()
    }
}

fn busy(seed: u32) -> Session {
    let mut s = Session::new(lossy(seed)).unwrap();
    s.act(Action::Propose(1, v("Green"))).unwrap();
    s.act(Action::Propose(2, v("Blue"))).unwrap();
    s.run(300);
    s
}

#[test]
fn the_same_seed_and_actions_give_the_same_trace_twice() {
    let (a, b) = (busy(9), busy(9));
    assert_eq!(a.hash(), b.hash());
    assert_eq!(a.log(), b.log());
    assert_ne!(a.hash(), busy(10).hash(), "the seed matters");
}

#[test]
fn every_bad_action_errs_clearly_and_changes_nothing() {
    let mut s = busy(3);
    s.act(Action::Crash(3)).unwrap();
    let before = (s.hash(), s.step(), s.trace_len());
    let pending_to_3 = s.world().pending.iter().find(|p| p.to == 3).map(|p| p.id);
    let mut bad = vec![
        (Action::Deliver(999_999), "there is no message 999999 in flight"),
        (Action::Drop(0), "there is no message 0"),
        (Action::Crash(3), "node 3 is already down"),
        (Action::Restart(1), "node 1 is up"),
        (Action::Propose(3, v("Red")), "node 3 is down"),
        (Action::Propose(4, v("Red")), "node 4 is not a proposer"),
        (Action::Propose(12, v("Red")), "there is no node 12: the cluster has nodes 1 to 5"),
        (Action::Timeout(3), "node 3 is down"),
        (Action::Cut(1, 1), "two different nodes"),
        (Action::Heal(1, 2), "is not cut"),
        (Action::MoveBefore(999_999, 1), "no message 999999"),
        (Action::SetPolicy(Policy { loss_ppm: 2_000_000, ..Policy::default() }), "parts per million"),
    ];
    if let Some(id) = pending_to_3 {
        bad.push((Action::Deliver(id), "node 3 is down, so it cannot receive a message"));
    }
    for (action, want) in bad {
        let err = s.act(action.clone()).unwrap_err().to_string();
        assert!(err.contains(want), "{action:?}: {err:?} should say {want:?}");
        assert_eq!((s.hash(), s.step(), s.trace_len()), before, "{action:?} changed the simulation");
    }
    // A cut link refuses manual delivery.
    let mut s = Session::new(ClusterConfig::default()).unwrap();
    s.act(Action::Propose(1, v("Green"))).unwrap();
    s.act(Action::Cut(1, 2)).unwrap();
    let id = s.world().pending.iter().find(|p| p.to == 2).unwrap().id;
    assert_eq!(s.act(Action::Deliver(id)).unwrap_err(), SimError::LinkCut(1, 2));
}

#[test]
fn bad_configs_and_values_are_refused() {
    for nodes in [0, 100] {
        let e = Session::new(ClusterConfig { nodes, ..Default::default() }).unwrap_err();
        assert!(e.to_string().contains("1 to 9 nodes"), "{e}");
    }
    assert!(Value::new("").is_err());
}

#[test]
fn undo_redo_and_seek_return_identical_states() {
    let mut s = busy(5);
    let n = s.step();
    let hashes: Vec<u64> = {
        let mut h = Vec::new();
        for k in 0..=n {
            s.seek(k).unwrap();
            h.push(s.hash());
        }
        h
    };
    for k in (0..n).rev() {
        s.undo().unwrap();
        assert_eq!(s.hash(), hashes[k]);
    }
    assert!(s.undo().is_err());
    for k in 1..=n {
        s.redo().unwrap();
        assert_eq!(s.hash(), hashes[k]);
    }
    assert!(s.redo().is_err());
    assert!(s.seek(n + 1).is_err());
    // Acting in the past starts a new future.
    s.seek(10).unwrap();
    s.act(Action::Crash(5)).unwrap();
    assert_eq!((s.step(), s.trace_len()), (11, 11));
    assert_ne!(s.hash(), hashes[11]);
}

#[test]
fn manual_actions_do_what_they_say() {
    let mut s = Session::new(ClusterConfig::default()).unwrap();
    s.act(Action::Propose(1, v("Green"))).unwrap();
    let ids: Vec<u32> = s.world().pending.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 3);
    // Move the last before the first.
    s.act(Action::MoveBefore(ids[2], ids[0])).unwrap();
    assert_eq!(s.world().pending[0].id, ids[2]);
    // Hold it: the automatic policy skips it.
    s.act(Action::Hold(ids[2])).unwrap();
    assert!(s.act(Action::Hold(ids[2])).is_err());
    s.act(Action::Step).unwrap();
    assert!(s.world().pending.iter().any(|p| p.id == ids[2] && p.held));
    assert!(!s.world().pending.iter().any(|p| p.id == ids[0]), "the next unheld message went instead");
    s.act(Action::Release(ids[2])).unwrap();
    // Duplicate and drop.
    s.act(Action::Duplicate(ids[1])).unwrap();
    let copy = s.world().next_id - 1;
    let orig = s.world().pending.iter().find(|q| q.id == ids[1]).unwrap().clone();
    assert_eq!(s.world().pending.iter().filter(|p| (p.to, &p.msg) == (orig.to, &orig.msg)).count(), 2);
    s.act(Action::Drop(copy)).unwrap();
    assert!(!s.world().pending.iter().any(|p| p.id == copy));
    // Run to the end: chosen, and the automatic policy runs dry.
    assert!(s.run(10_000) < 10_000);
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Green"));
    assert_eq!(s.act(Action::Step).unwrap_err(), SimError::NothingToDo);
}

#[test]
fn traces_round_trip_and_tampering_is_caught() {
    let s = busy(11);
    let trace = s.trace();
    let json = trace.to_text();
    let back = Trace::parse(&json).unwrap();
    assert_eq!(back, trace, "a trace reads back exactly as written");
    assert_eq!(Session::from_trace(&back).unwrap().hash(), s.hash());
    let mut t = back.clone();
    t.hash = "0000000000000000".into();
    assert!(Session::from_trace(&t).unwrap_err().to_string().contains("altered"));
    let mut t = back.clone();
    t.actions.truncate(t.actions.len() / 2);
    assert!(Session::from_trace(&t).is_err(), "a truncated trace does not reach its hash");
    let mut t = back.clone();
    t.version = 99;
    assert!(Session::from_trace(&t).unwrap_err().to_string().contains("version 99"));
    let mut t = back;
    t.actions.insert(0, Action::Deliver(77_777));
    assert!(Session::from_trace(&t).unwrap_err().to_string().contains("step 1"));
    assert_eq!(Trace::parse("{\"format\":1}").unwrap_err().to_string(), "invalid trace: trace.format: invalid type: integer `1`, expected a string at line 1 column 11");
    let e = Trace::parse(&json.replace("\"format\"", "\"formt\"")).unwrap_err().to_string();
    assert!(e.starts_with("invalid trace: trace.formt: unknown field `formt`, expected one of `format`, `version`"), "{e}");
}

#[test]
fn a_partition_stops_progress_and_healing_restores_it() {
    let mut s = Session::new(ClusterConfig { nodes: 3, proposers: vec![1], ..Default::default() }).unwrap();
    s.act(Action::Cut(1, 2)).unwrap();
    s.act(Action::Cut(1, 3)).unwrap();
    s.act(Action::Propose(1, v("Green"))).unwrap();
    s.run(40);
    assert_eq!(s.snapshot().chosen, None, "node 1 alone is no majority");
    s.act(Action::Heal(1, 2)).unwrap();
    s.run(400);
    assert_eq!(s.snapshot().chosen.as_deref(), Some("Green"));
}

#[test]
fn share_links_reproduce_state_and_place_in_time() {
    use paxoscope::sim::share;
    let mut s = busy(21);
    s.act(Action::Cut(1, 3)).unwrap();
    s.act(Action::SetPolicy(Policy::default())).unwrap();
    s.act(Action::Hold(s.world().pending.first().map_or(0, |p| p.id))).ok();
    let end = s.step();
    s.seek(end / 2).unwrap();
    let link = s.share();
    assert!(link.len() < 600, "compact: {} chars for {} actions", link.len(), s.trace_len());
    let back = share::decode(&format!("#{link}")).unwrap();
    assert_eq!((back.hash(), back.step(), back.trace_len()), (s.hash(), s.step(), s.trace_len()));
    // A scenario link keeps its captions.
    let mut story = paxoscope::scenario::load("happy-path").unwrap();
    story.seek(5).unwrap();
    let back = share::decode(&story.share()).unwrap();
    assert_eq!(back.snapshot().caption, story.snapshot().caption);
    // Damaged links are refused with a clear message.
    let bad = |l: &str| share::decode(l).unwrap_err().to_string();
    assert!(bad("hello").contains("not a Paxoscope link"));
    assert!(bad(&link[..link.len() / 2]).contains("truncated"), "{}", bad(&link[..link.len() / 2]));
    assert!(bad(&format!("{link}$")).contains("do not belong"));
    assert!(bad(&format!("p1.{}", "A".repeat(2_000_001))).contains("at most"));
    // Flip a bit in the encoded seed: the link's check refuses it before any replay.
    let mut chars: Vec<char> = link.chars().collect();
    chars[8] = if chars[8] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let e = bad(&tampered);
    assert!(e.contains("its check does not match"), "{e}");
}

#[test]
fn crashes_are_remembered_for_the_diagram() {
    let mut s = Session::new(ClusterConfig::default()).unwrap();
    s.act(Action::Crash(2)).unwrap();
    s.act(Action::Propose(1, v("Green"))).unwrap();
    s.act(Action::Restart(2)).unwrap();
    s.act(Action::Crash(3)).unwrap();
    let o: Vec<_> = s.snapshot().outages.iter().map(|o| (o.node, o.from_step, o.to_step)).collect();
    assert_eq!(o, vec![(2, 1, Some(3)), (3, 4, None)]);
    s.seek(2).unwrap();
    assert_eq!(s.snapshot().outages.len(), 1, "history follows the place in time");
    assert_eq!(s.snapshot().outages[0].to_step, None);
}

#[test]
fn the_next_event_time_is_what_step_jumps_to() {
    let mut s = busy(4);
    for _ in 0..200 {
        let Some(next) = s.world().next_event_time() else { break };
        let before = s.world().time;
        s.act(Action::Step).unwrap();
        assert_eq!(s.world().time, before.max(next), "a step happens at the next event's time");
    }
    let mut idle = Session::new(ClusterConfig::default()).unwrap();
    assert_eq!(idle.world().next_event_time(), None);
    assert_eq!(idle.act(Action::Step).unwrap_err(), SimError::NothingToDo);
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// A trace written by the CLI in the first serde era (serde_json, pretty): it still opens,
/// replays to its hash, and today's writer (serde again) writes it byte for byte.
#[test]
fn traces_from_the_serde_era_still_open_and_read_the_same() {
    let old = include_str!("golden/serde-era-trace.json");
    let trace = Trace::parse(old).unwrap();
    let s = Session::from_trace(&trace).unwrap();
    assert_eq!(paxoscope::sim::hash::hex(s.hash()), "56e2618f91d437e6");
    assert_eq!(trace.scenario.as_deref(), Some("proposer-fails-during-accept"));
    assert_eq!(trace.actions.len(), 31);
    assert_eq!(json(&trace.to_text()), json(old));
    // It replays to the very same run; its captions are today's wording of the story.
    let now = s.trace();
    assert_eq!((&now.actions, &now.config, &now.hash, &now.log), (&trace.actions, &trace.config, &trace.hash, &trace.log), "the scenario replays to the very same trace");
    assert_eq!(now.captions, paxoscope::scenario::load("proposer-fails-during-accept").unwrap().trace().captions);
}

/// A trace using every action and every optional config field, and the snapshot at its end,
/// both written by serde (the CLI at commit ca25f48): today's reader opens the trace, it
/// replays to its hash, and today's writer gives the same trace and the same snapshot, field
/// for field (the page reads snapshots by field name).
#[test]
fn every_action_and_the_snapshot_read_and_write_as_serde_did() {
    let old = include_str!("golden/serde-era-every-action.json");
    let trace = Trace::parse(old).unwrap();
    let kinds: std::collections::BTreeSet<String> =
        trace.actions.iter().map(|a| format!("{a:?}").split('(').next().unwrap().to_string()).collect();
    assert_eq!(kinds.len(), 14, "the fixture uses every action: {kinds:?}");
    assert!(trace.config.acceptors.is_some() && trace.config.learners.is_some() && trace.config.max_round.is_some());
    let s = Session::from_trace(&trace).unwrap();
    // Field for field, but for what changed since (support/serde_era.rs).
    assert_eq!(without_changes(json(&s.trace().to_text())), without_changes(json(old)));
    let old_snap = include_str!("golden/serde-era-snapshot.json");
    assert_eq!(without_changes(serde_json::to_value(s.snapshot()).unwrap()), without_changes(json(old_snap)));
    // serde's other spelling of a unit variant, and a wrong one.
    let t = old.replacen("\"step\"", "{\"step\": null}", 1);
    assert_eq!(Trace::parse(&t).unwrap(), trace);
    let t = old.replacen("\"step\"", "{\"step\": 1}", 1);
    let e = Trace::parse(&t).unwrap_err().to_string();
    assert!(e.starts_with("invalid trace: trace.actions[10].step: invalid type: integer `1`, expected unit at line"), "{e}");
}

/// A share link written byte by byte (layout in `sim::share`): 3 nodes, node 1 proposing,
/// seed 1, then `actions` (already encoded, `count` of them), at step 0, with a wrong hash.
fn raw_link(count: u64, actions: &[u8]) -> String {
    use std::hash::Hasher;
    let varint = |mut x: u64, out: &mut Vec<u8>| loop {
        let b = (x & 0x7f) as u8;
        x >>= 7;
        if x == 0 {
            break out.push(b);
        }
        out.push(b | 0x80);
    };
    let mut b = vec![3, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 10, 30, 0];
    varint(count, &mut b);
    b.extend_from_slice(actions);
    b.extend_from_slice(&[0; 9]);
    let mut h = paxoscope::sim::hash::StableHasher::default();
    h.write_usize(b.len());
    h.write(&b);
    b.extend_from_slice(&h.finish().to_le_bytes());
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::from("p2.");
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &x)| n | (x as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Links and traces longer than the limits are refused before anything is replayed: each
/// of these would fail at step 1 or 2 if it were replayed (nothing to do on a fresh cluster;
/// crashing a crashed node), so the limit's message shows the replay never started.
#[test]
fn runs_longer_than_the_limits_are_refused_before_any_replay() {
    use paxoscope::sim::session::{MAX_TRACE_ACTIONS, MAX_TRACE_CHOICES};
    use paxoscope::sim::share;
    let err = |l: &str| share::decode(l).err().map(|e| e.to_string()).unwrap_or_default();
    // A well-formed link: the replay itself refuses it.
    assert!(err(&raw_link(1, &[13, 1])).contains("step 1 of the link cannot be replayed: nothing to do"), "{}", err(&raw_link(1, &[13, 1])));
    // One run of automatic steps, one over the limit: 11 characters ask for 50,001 steps.
    let n = MAX_TRACE_ACTIONS as u64 + 1;
    let steps = raw_link(n, &[13, (n & 0x7f) as u8 | 0x80, (n >> 7 & 0x7f) as u8 | 0x80, (n >> 14) as u8]);
    assert_eq!(err(&steps), "invalid trace: the link holds 50001 steps; at most 50000 are accepted (automatic steps count too)");
    let crashes: Vec<u8> = [6, 1].repeat(MAX_TRACE_CHOICES + 1);
    assert!(err(&raw_link(MAX_TRACE_CHOICES as u64 + 1, &crashes)).contains("more than 10000 actions other than automatic steps"));
    // The same in traces.
    let trace = |actions: &str, n: usize| format!("{{\"format\":\"paxoscope-trace\",\"version\":1,\"config\":{{}},\"actions\":[{}],\"hash\":\"0\"}}", vec![actions; n].join(","));
    let open = |t: String| Session::from_trace(&Trace::parse(&t).unwrap()).err().unwrap().to_string();
    assert!(open(trace("\"step\"", 1)).contains("step 1 cannot be replayed"));
    assert_eq!(open(trace("\"step\"", MAX_TRACE_ACTIONS + 1)), "invalid trace: the trace holds 50001 steps; at most 50000 are accepted (automatic steps count too)");
    assert!(open(trace("{\"crash\":1}", MAX_TRACE_CHOICES + 1)).contains("the trace holds more than 10000 actions other than automatic steps"));
}
