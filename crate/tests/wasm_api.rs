//! The JS bindings, tested in wasm under node (wasm-bindgen-test): errors are JS `Error`s
//! with the crate's message and leave the simulation unchanged; snapshots are plain objects.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use paxoscope::wasm::Simulation;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/serde_era.rs"]
mod serde_era;
use serde_era::{without_changes, CHANGED_SINCE};

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    let err: &js_sys::Error = v.dyn_ref().expect("a JS Error");
    err.message().into()
}

fn config(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn a_run_chooses_and_the_snapshot_is_a_plain_object() {
    let mut s = Simulation::new(config(r#"{"nodes":3,"proposers":[1],"start_round":42}"#)).unwrap();
    s.propose(1.0, "Green").unwrap();
    let snap = s.snapshot();
    let msgs: js_sys::Array = get(&snap, "messages").dyn_into().unwrap();
    assert_eq!(msgs.length(), 3);
    assert_eq!(get(&msgs.get(0), "label").as_string().unwrap(), "Prepare 42.1");
    assert!(s.run(1000.0).unwrap() > 0);
    let snap = s.snapshot();
    assert_eq!(get(&snap, "chosen").as_string().as_deref(), Some("Green"));
    assert_eq!(get(&snap, "hash").as_string().unwrap(), s.hash());
    assert!(!s.step().unwrap(), "nothing left to do");
}

#[wasm_bindgen_test]
fn bad_input_throws_a_clear_error_and_changes_nothing() {
    let mut s = Simulation::new(JsValue::UNDEFINED).unwrap();
    s.propose(1.0, "Green").unwrap();
    let before = s.hash();
    assert_eq!(message(s.deliver(999.0).unwrap_err()), "there is no message 999 in flight");
    assert_eq!(message(s.crash(1.5).unwrap_err()), "a node id must be a whole number from 0 to 255, not 1.5");
    assert!(message(s.deliver(f64::NAN).unwrap_err()).ends_with("not NaN"));
    assert!(message(s.crash(-1.0).unwrap_err()).contains("whole number"));
    assert!(message(s.propose(2.0, "Blue").unwrap_err()).contains("not a proposer"));
    assert!(message(s.propose(1.0, "").unwrap_err()).contains("empty"));
    assert!(message(s.restart(1.0).unwrap_err()).contains("is up"));
    assert_eq!(s.hash(), before);
    assert!(message(Simulation::new(config(r#"{"nodes":100}"#)).err().unwrap()).contains("1 to 9 nodes"));
    assert!(message(Simulation::new(config(r#"{"bug":"nope"}"#)).err().unwrap()).contains("invalid configuration"));
    assert!(message(Simulation::new(config(r#"{"colour":"red"}"#)).err().unwrap()).starts_with("invalid configuration: config: unknown field `colour`, expected one of `nodes`"));
    assert_eq!(
        message(Simulation::new(config(r#"{"nodes":1.5}"#)).err().unwrap()),
        "invalid configuration: config.nodes: must be a whole number from 0 to 4294967295, not 1.5"
    );
    assert!(message(Simulation::new(config(r#"{"policy":{"loss":1}}"#)).err().unwrap()).starts_with("invalid configuration: config.policy: unknown field `loss`"));
    assert_eq!(message(s.set_policy(config(r#"{"dup_ppm":-1}"#)).unwrap_err()), "invalid configuration: policy.dup_ppm: must be a whole number from 0 to 4294967295, not -1");
    assert!(message(s.set_policy(config(r#"{"min_latency":0}"#)).unwrap_err()).contains("latency"));
    assert_eq!(message(s.set_policy(config("7")).unwrap_err()), "invalid configuration: policy: must be an object, not 7");
    assert_eq!(message(s.set_policy(JsValue::UNDEFINED).unwrap_err()), "invalid configuration: policy is missing");
    // A cycle: the unknown field is refused before anything follows it.
    let cyclic = js_sys::Object::new();
    js_sys::Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert!(message(s.set_policy(cyclic.into()).unwrap_err()).starts_with("invalid configuration: policy: unknown field `self`"));
    let big = config("{}");
    js_sys::Reflect::set(&big, &"seed".into(), &js_sys::BigInt::from(5u32).into()).unwrap();
    assert_eq!(message(Simulation::new(big).err().unwrap()), "invalid configuration: config.seed: must be a whole number from 0 to 4294967295, not 5");
    // Wrong types and too deep, named by place; `undefined` is missing (takes the default).
    assert_eq!(message(Simulation::new(config(r#"{"proposers":[1,"2"]}"#)).err().unwrap()), "invalid configuration: config.proposers[1]: must be a whole number from 0 to 4294967295, not a string");
    assert!(message(Simulation::new(config(r#"{"bug":"nope"}"#)).err().unwrap()).starts_with("invalid configuration: config.bug: unknown variant `nope`"));
    let deep = format!(r#"{{"policy":{}{}}}"#, "[".repeat(5000), "]".repeat(5000));
    assert!(message(Simulation::new(config(&deep)).err().unwrap()).starts_with("invalid configuration: config.policy: must be an object, not an array"));
    let undef = config(r#"{"nodes":5}"#);
    js_sys::Reflect::set(&undef, &"seed".into(), &JsValue::UNDEFINED).unwrap();
    js_sys::Reflect::set(&undef, &"whatever".into(), &JsValue::UNDEFINED).unwrap();
    assert!(Simulation::new(undef).is_ok(), "undefined fields take their defaults, as JSON.stringify would leave them out");
    assert_eq!(s.hash(), before);
}

#[wasm_bindgen_test]
fn traces_and_share_links_round_trip_and_refuse_damage() {
    let mut s = Simulation::scenario("proposer-fails-during-accept").unwrap();
    s.seek(31.0).unwrap();
    let json = s.export_trace().unwrap();
    let back = Simulation::import_trace(&json).unwrap();
    assert_eq!(back.hash(), s.hash());
    assert!(message(Simulation::import_trace("{").err().unwrap()).starts_with("invalid trace: not valid JSON: "));
    let bad = json.replacen("\"propose\": [\n        2,", "\"propose\": [\n        2.5,", 1);
    assert_eq!(message(Simulation::import_trace(&bad).err().unwrap()), "invalid trace: trace.actions[1].propose[0]: must be a whole number from 0 to 255, not 2.5");
    let bad = json.replacen("\"format\"", "\"formt\"", 1);
    assert!(message(Simulation::import_trace(&bad).err().unwrap()).starts_with("invalid trace: trace: unknown field `formt`"));
    assert!(message(Simulation::import_trace(&json.replace(&s.hash(), "0123456789abcdef")).err().unwrap()).contains("altered"));
    assert!(message(Simulation::import_trace(&json[..json.len() / 2]).err().unwrap()).contains("invalid trace"));
    s.seek(12.0).unwrap();
    let link = s.share_fragment().unwrap();
    let opened = Simulation::from_share(&link).unwrap();
    assert_eq!(opened.hash(), s.hash());
    assert!(message(Simulation::from_share("p1.!!").err().unwrap()).contains("do not belong"));
    assert!(message(Simulation::scenario("nope").err().unwrap()).contains("unknown scenario"));
    // One character changed: the link's check refuses it.
    let mut changed = link.clone().into_bytes();
    let last = changed.len() - 5;
    changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
    assert!(message(Simulation::from_share(std::str::from_utf8(&changed).unwrap()).err().unwrap()).contains("check does not match"));
    // A story's name must be a built-in story (the name is checked, not just the hash).
    let renamed = json.replace("\"proposer-fails-during-accept\"", "\"proposer-fails-during-accepx\"");
    assert!(message(Simulation::import_trace(&renamed).err().unwrap()).contains("names a story this version does not have: unknown scenario"));
}

/// A run longer than a link or a trace may hold cannot be shared or exported (it could not
/// be opened again); the run itself goes on.
#[wasm_bindgen_test]
fn runs_longer_than_the_limits_cannot_be_shared() {
    let mut s = Simulation::new(config(r#"{"policy":{"dup_ppm":1000000}}"#)).unwrap();
    s.propose(1.0, "Green").unwrap();
    assert_eq!(s.run(50_000.0).unwrap(), 50_000);
    assert!(message(s.share_fragment().unwrap_err()).starts_with("this run is too long to share: it holds 50001 steps; at most 50000"));
    assert!(message(s.export_trace().unwrap_err()).starts_with("this run is too long to export"));
    s.seek(40_000.0).unwrap();
    assert!(s.export_trace().is_ok(), "the trace ends at the current step");
    assert!(s.share_fragment().is_err(), "a link holds the redo part too");
}

/// The module's allocator (Rust's default): aligned, no block overlapping another (each block
/// holds its own byte pattern, checked after every change), realloc up and down keeps the
/// contents, and freed blocks are reused, so a repeated workload does not grow memory.
#[wasm_bindgen_test]
fn the_allocator_keeps_data_intact_and_reuses_freed_blocks() {
    use std::alloc::{alloc, dealloc, realloc, Layout};
    use std::arch::wasm32::memory_size;
    type Block = (*mut u8, Layout, usize);
    let pattern = |i: usize, k: usize| ((i * 131 + k * 7) % 251) as u8;
    unsafe fn fill(b: &Block, from: usize, pattern: impl Fn(usize, usize) -> u8) {
        for k in from..b.1.size() {
            *b.0.add(k) = pattern(b.2, k);
        }
    }
    unsafe fn intact(blocks: &[Block], pattern: impl Fn(usize, usize) -> u8) -> bool {
        blocks.iter().all(|b| (0..b.1.size()).all(|k| *b.0.add(k) == pattern(b.2, k)))
    }
    let mut blocks: Vec<Block> = Vec::with_capacity(2000);
    let round = |blocks: &mut Vec<Block>| unsafe {
        for i in 0..2000usize {
            let l = Layout::from_size_align(1 + (i * 37) % 70_000, [1, 2, 4, 8, 16, 32, 64, 4096][i % 8]).unwrap();
            let p = alloc(l);
            assert!(!p.is_null() && p as usize % l.align() == 0, "block {i} is aligned");
            let b = (p, l, i);
            fill(&b, 0, pattern);
            blocks.push(b);
        }
        assert!(intact(blocks, pattern), "no block overlaps another");
        for b in blocks.iter_mut() {
            let new_size = match b.2 % 3 {
                0 => b.1.size() * 3 + 5,   // grows, usually into another class
                1 => b.1.size() / 2 + 1,   // shrinks
                _ => continue,
            };
            let p = realloc(b.0, b.1, new_size);
            assert!(!p.is_null() && p as usize % b.1.align() == 0, "realloc gives an aligned block");
            let kept = b.1.size().min(new_size);
            *b = (p, Layout::from_size_align(new_size, b.1.align()).unwrap(), b.2);
            fill(b, kept, pattern);
        }
        assert!(intact(blocks, pattern), "realloc keeps the contents and overlaps nothing");
        for (p, l, _) in blocks.drain(..) {
            dealloc(p, l);
        }
    };
    round(&mut blocks);
    let pages = memory_size(0);
    for _ in 0..3 {
        round(&mut blocks);
    }
    assert_eq!(memory_size(0), pages, "the same workload again reuses the freed blocks");

    let run = || {
        let mut s = Simulation::scenario("lossy-network").unwrap();
        s.seek(250.0).unwrap();
        assert!(get(&s.snapshot(), "chosen").as_string().is_some());
    };
    run();
    run();
    let pages = memory_size(0);
    for _ in 0..3 {
        run();
    }
    assert_eq!(memory_size(0), pages, "a repeated simulation does not grow memory");
}

/// Frames applied to a mirror (as the page's applyFrame does) give the snapshot; the
/// vocabulary comes from the core; the benchmark hook answers.
#[wasm_bindgen_test]
fn frames_vocabulary_and_the_benchmark_hook() {
    use paxoscope::wasm::{bench_steps, vocabulary};
    let stringify = |v: &JsValue| String::from(js_sys::JSON::stringify(v).unwrap());
    let native = |v: &JsValue| -> serde_json::Value { serde_json::from_str(&stringify(v)).unwrap() };
    let mut s = Simulation::new(config(r#"{"proposers":[1,2],"policy":{"dup_ppm":100000}}"#)).unwrap();
    s.propose(1.0, "Green").unwrap();
    let mut mirror = native(&s.frame(JsValue::UNDEFINED));
    assert_eq!(mirror["full"], serde_json::json!(true));
    let mut mark = get(&s.frame(JsValue::NULL), "mark");
    for k in 0..40 {
        match k % 7 {
            3 => { let _ = s.undo(); }
            5 => { let _ = s.seek(f64::from(k / 3)); }
            _ => { let _ = s.step(); }
        }
        let frame = s.frame(mark.clone());
        mark = get(&frame, "mark");
        let f = native(&frame);
        if f["full"] == serde_json::json!(true) {
            mirror = f.clone();
        } else {
            let log_from = f["log_from"].as_u64().unwrap() as usize;
            let lines = mirror["log"].as_array_mut().unwrap();
            lines.truncate(log_from);
            lines.extend(f["log"].as_array().unwrap().iter().cloned());
            let records = mirror["history"].as_array_mut().unwrap();
            records.resize(f["history_len"].as_u64().unwrap() as usize, serde_json::Value::Null);
            for r in f["history"].as_array().unwrap() {
                records[r["id"].as_u64().unwrap() as usize - 1] = r.clone();
            }
            for (key, v) in f.as_object().unwrap() {
                if key != "log" && key != "history" {
                    mirror[key] = v.clone();
                }
            }
        }
        let mut snap = native(&s.snapshot());
        for key in ["mark", "full", "log_from", "log_len", "history_len"] {
            snap[key] = f[key].clone();
        }
        assert_eq!(mirror, snap, "after {k}");
    }
    let other = Simulation::new(JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&other.frame(mark), "full").as_bool(), Some(true), "another simulation's mark gives a full frame");
    let v = native(&vocabulary());
    assert_eq!(v["values"][3], "Amber");
    assert_eq!(v["limits"]["max_nodes"], 9);
    assert_eq!(v["bugs"][1]["note"], "proposers ignore the values reported in promises");
    assert!(bench_steps(2000.0).unwrap() > 0.0);
}

/// The JS objects are the formats' JSON: the serde-era trace opens in wasm, exports as it was
/// written (JSON.stringify with two spaces is serde_json's pretty form), and its snapshot, as
/// the page gets it, is the serde-era snapshot field for field and in the same order — but for
/// what changed since (support/serde_era.rs).
#[wasm_bindgen_test]
fn the_js_objects_are_the_golden_json() {
    let json = |t: &str| without_changes(serde_json::from_str(t).unwrap());
    let old = include_str!("golden/serde-era-every-action.json");
    let s = Simulation::import_trace(old).unwrap();
    assert_eq!(json(&s.export_trace().unwrap()), json(old));
    let snapshot = s.snapshot();
    let golden = include_str!("golden/serde-era-snapshot.json");
    assert_eq!(json(&String::from(js_sys::JSON::stringify(&snapshot).unwrap())), json(golden));
    // JSON.stringify keeps the fields in the order they were set: the same order, too.
    let keys: Vec<String> = js_sys::Object::keys(snapshot.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()).filter(|k| !CHANGED_SINCE.contains(&k.as_str())).collect();
    let golden_keys: Vec<String> = golden.lines().filter_map(|l| l.strip_prefix("  \"")).filter_map(|r| r.split_once('"')).map(|(k, _)| k.to_string()).collect();
    assert_eq!(keys, golden_keys);
}

/// A story survives a step off its script through the binding: `branch` says where the run
/// left it, the caption is null off script, and `switchFuture()` (or undo back to the branch
/// point) brings the story back with its caption; with nothing set aside it throws.
#[wasm_bindgen_test]
fn a_story_survives_a_step_off_script() {
    let mut s = Simulation::scenario("proposer-fails-during-accept").unwrap();
    for _ in 0..3 {
        s.redo().unwrap();
    }
    let caption = get(&s.snapshot(), "caption");
    assert!(caption.is_string());
    assert!(s.step().unwrap());
    let snap = s.snapshot();
    let branch = get(&snap, "branch");
    assert_eq!(get(&branch, "at").as_f64(), Some(3.0));
    assert_eq!(get(&branch, "story").as_bool(), Some(true));
    assert!(get(&snap, "caption").is_null(), "no story caption off script");
    s.switch_future().unwrap();
    let snap = s.snapshot();
    assert_eq!(get(&snap, "step").as_f64(), Some(3.0));
    assert_eq!(get(&snap, "trace_len").as_f64(), Some(31.0));
    assert_eq!(get(&snap, "caption"), caption);
    assert!(get(&snap, "next_caption").as_f64().is_some());
    // Back to the detour, then undo to the branch point: the story again.
    s.switch_future().unwrap();
    s.redo().unwrap();
    s.undo().unwrap();
    assert_eq!(get(&s.snapshot(), "trace_len").as_f64(), Some(31.0));
    let mut fresh = Simulation::new(JsValue::UNDEFINED).unwrap();
    assert!(message(fresh.switch_future().unwrap_err()).contains("no other future"));
}
