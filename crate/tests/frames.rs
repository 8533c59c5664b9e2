//! Frames (`Session::frame`, `sim.frame(mark)` in the page): applying each frame to a mirror,
//! as the page's `applyFrame` does (docs/wasm-api.md), gives exactly `snapshot()` after every
//! action of random runs with undo, redo, seek, acting in the past and imports; a mark from
//! another session, a malformed one or none gives a full frame.

use paxoscope::check::explorer::colour;
use paxoscope::sim::{Action, ClusterConfig, Policy, Session};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Apply a frame (as JSON, the shape JS sees) to the mirror, the way the contract says.
fn apply(mirror: &mut Value, frame: &Value) {
    let mut f = frame.as_object().unwrap().clone();
    let full = f.remove("full").unwrap().as_bool().unwrap();
    let log_from = f.remove("log_from").unwrap().as_u64().unwrap() as usize;
    let log_len = f.remove("log_len").unwrap().as_u64().unwrap() as usize;
    let history_len = f.remove("history_len").unwrap().as_u64().unwrap() as usize;
    f.remove("mark").unwrap();
    if full {
        assert_eq!(log_from, 0);
        *mirror = Value::Object(f);
    } else {
        let log = f.remove("log").unwrap();
        let history = f.remove("history").unwrap();
        let m = mirror.as_object_mut().unwrap();
        for (k, v) in f {
            m.insert(k, v);
        }
        let lines = m.get_mut("log").unwrap().as_array_mut().unwrap();
        lines.truncate(log_from);
        lines.extend(log.as_array().unwrap().iter().cloned());
        let records = m.get_mut("history").unwrap().as_array_mut().unwrap();
        records.resize(history_len, Value::Null);
        for r in history.as_array().unwrap() {
            records[r["id"].as_u64().unwrap() as usize - 1] = r.clone();
        }
    }
    assert_eq!(mirror["log"].as_array().unwrap().len(), log_len);
    assert_eq!(mirror["history"].as_array().unwrap().len(), history_len);
}

struct Viewer {
    mirror: Value,
    mark: Option<String>,
    deltas: usize,
}

impl Viewer {
    fn look(&mut self, s: &Session) -> bool {
        let frame = serde_json::to_value(s.frame(self.mark.as_deref())).unwrap();
        let full = frame["full"].as_bool().unwrap();
        self.deltas += usize::from(!full);
        apply(&mut self.mirror, &frame);
        self.mark = Some(frame["mark"].as_str().unwrap().to_string());
        assert_eq!(self.mirror, serde_json::to_value(s.snapshot()).unwrap(), "the mirror is the snapshot");
        full
    }
}

fn v(s: &str) -> paxoscope::paxos::Value {
    paxoscope::paxos::Value::new(s).unwrap()
}

/// A manual action chosen by `arg` among those that make sense now (it may still fail).
fn some_action(s: &Session, arg: u32) -> Action {
    let w = s.world();
    let ids: Vec<u32> = w.pending.iter().map(|p| p.id).collect();
    let id = if ids.is_empty() { 1 } else { ids[arg as usize % ids.len()] };
    let node = (arg % 3) as u8 + 1;
    match arg % 11 {
        0..=2 => Action::Deliver(id),
        3 => Action::Drop(id),
        4 => Action::Duplicate(id),
        5 => Action::Hold(id),
        6 => Action::Crash(node),
        7 => Action::Restart(node),
        8 => Action::Propose(if arg % 2 == 0 { 1 } else { 2 }, v(["Green", "Blue", "Amber"][arg as usize % 3])),
        9 => Action::Cut(node, node % 3 + 1),
        _ => Action::Heal(node, node % 3 + 1),
    }
}

fn lossy() -> ClusterConfig {
    ClusterConfig {
        proposers: vec![1, 2],
        policy: Policy { loss_ppm: 100_000, dup_ppm: 100_000, delay_ppm: 50_000, min_latency: 5, max_latency: 50 },
        ..ClusterConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn frames_applied_to_a_mirror_give_the_snapshot(ops in prop::collection::vec((0u8..10, any::<u32>()), 1..60)) {
        let mut s = Session::new(lossy()).unwrap();
        let mut viewer = Viewer { mirror: Value::Null, mark: None, deltas: 0 };
        prop_assert!(viewer.look(&s), "the first frame is full");
        for (op, arg) in ops {
            match op {
                0 | 1 => { let _ = s.act(some_action(&s, arg)); }
                2 => { s.run(1 + arg as usize % 40); }
                3 => { let _ = s.undo(); }
                4 => { let _ = s.redo(); }
                5 => { let to = arg as usize % (s.trace_len() + 1); s.seek(to).unwrap(); }
                6 => {
                    // Acting in the past: a new future, so the next frame is full.
                    if s.step() > 0 {
                        s.seek(arg as usize % s.step()).unwrap();
                        if s.act(Action::Step).is_ok() || s.act(some_action(&s, arg)).is_ok() {
                            prop_assert!(viewer.look(&s), "acting in the past gives a full frame");
                        }
                    }
                }
                7 => {
                    // An import is another session: the old mark gives a full frame.
                    s = Session::from_trace(&s.trace()).unwrap();
                    prop_assert!(viewer.look(&s), "a mark from another session gives a full frame");
                }
                8 => { viewer.mark = Some(["", "x", "1.2", "1.2.3.4", "99999999.0.0"][arg as usize % 5].to_string()); prop_assert!(viewer.look(&s)); }
                _ => { let _ = s.set_policy(Policy { loss_ppm: arg % 200_000, ..Policy::default() }); }
            }
            viewer.look(&s);
        }
    }
}

#[test]
fn a_delta_frame_holds_what_changed_and_a_fresh_one_everything() {
    let mut s = Session::new(ClusterConfig::default()).unwrap();
    s.act(Action::Propose(1, colour(1))).unwrap();
    s.run(5);
    let first = s.frame(None);
    assert!(first.full);
    assert_eq!((first.log_from, first.log_len, first.history_len), (0, 6, first.snapshot.history.len()));
    s.act(Action::Step).unwrap();
    let next = s.frame(Some(&first.mark));
    assert!(!next.full);
    assert_eq!((next.log_from, next.log_len), (6, 7));
    assert_eq!(next.snapshot.log.len(), 1);
    assert!(next.snapshot.history.len() < next.history_len, "only the changed records");
    // Nothing changed: nothing in the lists.
    let same = s.frame(Some(&next.mark));
    assert!(!same.full && same.snapshot.log.is_empty() && same.snapshot.history.is_empty());
    // Another session's mark, even with the same step, is stale.
    let other = Session::new(ClusterConfig::default()).unwrap();
    assert!(other.frame(Some(&next.mark)).full);
    let j = serde_json::to_value(&same).unwrap();
    for key in ["mark", "full", "log_from", "log_len", "history_len", "nodes", "messages", "log", "history", "step"] {
        assert!(j.get(key).is_some(), "a frame has {key}");
    }
    assert_eq!(j["full"], json!(false));
}
