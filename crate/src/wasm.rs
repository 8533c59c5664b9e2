//! Thin `#[wasm_bindgen]` wrappers over [`Session`]: nothing else lives here.
//! Every method either succeeds or throws a JS `Error` with the crate's message, and a
//! throwing method leaves the simulation as it was.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::paxos::{Bug, Value};
use crate::protocol::NodeId;
use crate::scenario;
use crate::sim::{Action, ClusterConfig, Policy, Session, SimError, Trace};

/// The most bytes `importTrace` reads.
const MAX_TRACE_BYTES: usize = 16 * 1024 * 1024;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// serde-wasm-bindgen's error text, without the "Error: " it adds.
fn de_msg(e: serde_wasm_bindgen::Error) -> String {
    let m = e.to_string();
    m.strip_prefix("Error: ").map(str::to_string).unwrap_or(m)
}

const CONFIG_KEYS: &[&str] = &["nodes", "proposers", "acceptors", "learners", "seed", "distinguished", "bug", "start_round", "max_round", "policy"];
const POLICY_KEYS: &[&str] = &["loss_ppm", "dup_ppm", "delay_ppm", "min_latency", "max_latency"];

/// serde-wasm-bindgen reads only the fields it knows, so a misspelt one would pass
/// silently: refuse unknown keys by name.
fn check_keys(v: &JsValue, allowed: &[&str], what: &str) -> Result<(), JsError> {
    if !v.is_object() {
        return Ok(());
    }
    for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            return Err(js_err(SimError::BadConfig(format!("unknown field \"{key}\" in the {what}; the fields are: {}", allowed.join(", ")))));
        }
    }
    Ok(())
}

fn to_js<T: Serialize>(t: &T) -> Result<JsValue, JsError> {
    t.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_err)
}

/// A whole number in `0..=max` from a JS number, or a clear error.
fn whole(x: f64, what: &str, max: u32) -> Result<u32, JsError> {
    if x.fract() != 0.0 || !(0.0..=max as f64).contains(&x) {
        // JS prints the number: no float formatting code in the wasm.
        let shown: String = js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default();
        return Err(js_err(format!("{what} must be a whole number from 0 to {max}, not {shown}")));
    }
    Ok(x as u32)
}

fn node(x: f64) -> Result<NodeId, JsError> {
    let n = whole(x, "a node id", 255)?;
    Ok(n as NodeId)
}

fn msg(x: f64) -> Result<u32, JsError> {
    whole(x, "a message id", u32::MAX)
}

/// A Paxos cluster under simulation, with its history.
#[wasm_bindgen]
pub struct Simulation {
    s: Session,
}

#[wasm_bindgen]
impl Simulation {
    /// A new cluster from a config object (every field optional; see docs/wasm-api.md).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Simulation, JsError> {
        let cfg: ClusterConfig = if config.is_undefined() || config.is_null() {
            ClusterConfig::default()
        } else {
            check_keys(&config, CONFIG_KEYS, "configuration")?;
            if let Ok(policy) = js_sys::Reflect::get(&config, &JsValue::from_str("policy")) {
                check_keys(&policy, POLICY_KEYS, "policy")?;
            }
            serde_wasm_bindgen::from_value(config).map_err(|e| js_err(SimError::BadConfig(de_msg(e))))?
        };
        Ok(Simulation { s: Session::new(cfg).map_err(js_err)? })
    }

    /// A built-in scenario, at its first step (redo walks the story).
    pub fn scenario(name: &str) -> Result<Simulation, JsError> {
        let mut s = scenario::load(name).map_err(js_err)?;
        s.seek(0).map_err(js_err)?;
        Ok(Simulation { s })
    }

    /// Replay a trace (JSON text); throws on a malformed, oversized or tampered one.
    #[wasm_bindgen(js_name = importTrace)]
    pub fn import_trace(json: &str) -> Result<Simulation, JsError> {
        if json.len() > MAX_TRACE_BYTES {
            return Err(js_err(SimError::BadTrace(format!("{} bytes is more than the {MAX_TRACE_BYTES} allowed", json.len()))));
        }
        let value = js_sys::JSON::parse(json).map_err(|_| js_err(SimError::BadTrace("it is not valid JSON".into())))?;
        let trace: Trace = serde_wasm_bindgen::from_value(value).map_err(|e| js_err(SimError::BadTrace(de_msg(e))))?;
        Ok(Simulation { s: Session::from_trace(&trace).map_err(js_err)? })
    }

    /// Open a share link's fragment at its step; throws on a malformed, truncated, oversized
    /// or altered one.
    #[wasm_bindgen(js_name = fromShare)]
    pub fn from_share(fragment: &str) -> Result<Simulation, JsError> {
        Ok(Simulation { s: crate::sim::share::decode(fragment).map_err(js_err)? })
    }

    /// This run as a share link's fragment: configuration, seed, every choice and the step.
    #[wasm_bindgen(js_name = shareFragment)]
    pub fn share_fragment(&self) -> String {
        self.s.share()
    }

    /// The trace up to the current step, as JSON text (the CLI's format).
    #[wasm_bindgen(js_name = exportTrace)]
    pub fn export_trace(&self) -> Result<String, JsError> {
        let v = to_js(&self.s.trace())?;
        let text = js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(1)).map_err(|_| js_err("cannot write the trace"))?;
        Ok(text.as_string().unwrap_or_default())
    }

    /// Everything the page draws (see docs/wasm-api.md).
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        to_js(&self.s.snapshot())
    }

    /// The state hash, 16 hex digits.
    pub fn hash(&self) -> String {
        crate::sim::hash::hex(self.s.hash())
    }

    /// The logical clock now.
    pub fn time(&self) -> f64 {
        self.s.world().time as f64
    }

    /// When the next automatic event is due (`Infinity` when none): lets a play loop pace
    /// itself without taking a whole snapshot after every step.
    #[wasm_bindgen(js_name = nextEventTime)]
    pub fn next_event_time(&self) -> f64 {
        self.s.world().next_event_time().map_or(f64::INFINITY, |t| t as f64)
    }

    fn act(&mut self, a: Action) -> Result<(), JsError> {
        self.s.act(a).map(|_| ()).map_err(js_err)
    }

    pub fn deliver(&mut self, id: f64) -> Result<(), JsError> {
        self.act(Action::Deliver(msg(id)?))
    }
    pub fn drop(&mut self, id: f64) -> Result<(), JsError> {
        self.act(Action::Drop(msg(id)?))
    }
    /// Returns the copy's id.
    pub fn duplicate(&mut self, id: f64) -> Result<u32, JsError> {
        self.act(Action::Duplicate(msg(id)?))?;
        Ok(self.s.world().next_id - 1)
    }
    pub fn hold(&mut self, id: f64) -> Result<(), JsError> {
        self.act(Action::Hold(msg(id)?))
    }
    pub fn release(&mut self, id: f64) -> Result<(), JsError> {
        self.act(Action::Release(msg(id)?))
    }
    #[wasm_bindgen(js_name = moveBefore)]
    pub fn move_before(&mut self, id: f64, other: f64) -> Result<(), JsError> {
        self.act(Action::MoveBefore(msg(id)?, msg(other)?))
    }
    pub fn crash(&mut self, n: f64) -> Result<(), JsError> {
        self.act(Action::Crash(node(n)?))
    }
    pub fn restart(&mut self, n: f64) -> Result<(), JsError> {
        self.act(Action::Restart(node(n)?))
    }
    pub fn propose(&mut self, n: f64, value: &str) -> Result<(), JsError> {
        let v = Value::new(value).map_err(js_err)?;
        self.act(Action::Propose(node(n)?, v))
    }
    /// Fire the node's earliest timer now.
    pub fn timeout(&mut self, n: f64) -> Result<(), JsError> {
        self.act(Action::Timeout(node(n)?))
    }
    #[wasm_bindgen(js_name = cutLink)]
    pub fn cut_link(&mut self, a: f64, b: f64) -> Result<(), JsError> {
        self.act(Action::Cut(node(a)?, node(b)?))
    }
    #[wasm_bindgen(js_name = healLink)]
    pub fn heal_link(&mut self, a: f64, b: f64) -> Result<(), JsError> {
        self.act(Action::Heal(node(a)?, node(b)?))
    }
    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(&mut self, policy: JsValue) -> Result<(), JsError> {
        check_keys(&policy, POLICY_KEYS, "policy")?;
        let p: Policy = serde_wasm_bindgen::from_value(policy).map_err(|e| js_err(SimError::BadConfig(format!("policy: {}", de_msg(e)))))?;
        self.s.set_policy(p).map_err(js_err)
    }
    /// The next event under the automatic policy; `false` when nothing is left to do.
    pub fn step(&mut self) -> Result<bool, JsError> {
        match self.s.act(Action::Step) {
            Ok(_) => Ok(true),
            Err(SimError::NothingToDo) => Ok(false),
            Err(e) => Err(js_err(e)),
        }
    }
    /// Up to `max` automatic steps; returns how many ran.
    pub fn run(&mut self, max: f64) -> Result<u32, JsError> {
        let n = whole(max, "the number of steps", 1_000_000)?;
        Ok(self.s.run(n as usize) as u32)
    }
    pub fn undo(&mut self) -> Result<(), JsError> {
        self.s.undo().map_err(js_err)
    }
    pub fn redo(&mut self) -> Result<(), JsError> {
        self.s.redo().map_err(js_err)
    }
    pub fn seek(&mut self, step: f64) -> Result<(), JsError> {
        let n = whole(step, "a step", u32::MAX)?;
        self.s.seek(n as usize).map_err(js_err)
    }
}

#[derive(Serialize)]
struct Named {
    name: String,
    title: &'static str,
}

/// The built-in scenarios: `[{ name, title }]`.
#[wasm_bindgen(js_name = scenarioNames)]
pub fn scenario_names() -> Result<JsValue, JsError> {
    let list: Vec<Named> = scenario::SCENARIOS.iter().map(|s| Named { name: s.name.to_string(), title: s.title }).collect();
    to_js(&list)
}

/// The broken variants: `[{ name, title }]`, each title starting with UNSAFE.
#[wasm_bindgen(js_name = bugNames)]
pub fn bug_names() -> Result<JsValue, JsError> {
    let list: Vec<Named> = Bug::ALL.iter().map(|b| Named { name: b.name().to_string(), title: b.describe() }).collect();
    to_js(&list)
}

/// The benchmark workload (see `sim::workload`): one run with `seed`; returns its steps.
#[wasm_bindgen(js_name = benchRun)]
pub fn bench_run(seed: u32) -> u32 {
    crate::sim::workload::random_run(seed, 20_000).0 as u32
}
