//! Thin `#[wasm_bindgen]` wrappers over [`Session`]: nothing else lives here.
//! Every method either succeeds or throws a JS `Error` with the crate's message, and a
//! throwing method leaves the simulation as it was.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::paxos::Value;
use crate::protocol::NodeId;
use crate::scenario;
use crate::sim::session::{check_actions, MAX_TRACE_BYTES};
use crate::sim::{Action, ClusterConfig, Policy, Session, SimError, Trace};

mod strict;
#[cfg(feature = "explore")]
pub mod explore;
use strict::from_js;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
extern "C" {
    /// `String(v)`: how JS prints a number or an exception (no float formatting in the module).
    #[wasm_bindgen(js_name = String)]
    pub(crate) fn js_string(v: &JsValue) -> String;
}

/// A value handed to JS as a plain JS object (serde-wasm-bindgen): `None` is `null`, maps
/// are plain objects, numbers are JS numbers.
fn to_js(v: &impl Serialize) -> JsValue {
    // Our types always serialize (every number we hand out is below 2^53).
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// A trace from JSON text: `JSON.parse`, then read strictly as a JS value (the error names
/// the place: `trace.actions[3].propose[1]: …`). Parsing in JS keeps serde_json's parser out
/// of the module; what is lost is the refusal of a field written twice (JSON.parse keeps the
/// last), which natively serde_json refuses. A trace is covered by its state hash anyway.
fn read_trace(text: &str) -> Result<Trace, String> {
    let v = js_sys::JSON::parse(text).map_err(|e| format!("not valid JSON: {}", js_string(&e)))?;
    from_js(v, "trace")
}

/// A whole number in `0..=max` from a JS number, or a clear error.
fn whole(x: f64, what: &str, max: u32) -> Result<u32, JsError> {
    if x.fract() != 0.0 || !(0.0..=max as f64).contains(&x) {
        // JS prints the number: no float formatting code in the wasm.
        let shown = js_string(&JsValue::from_f64(x));
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
        let cfg = if config.is_undefined() || config.is_null() {
            ClusterConfig::default()
        } else {
            from_js(config, "config").map_err(|e| js_err(SimError::BadConfig(e)))?
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
        let trace = read_trace(json).map_err(|e| js_err(SimError::BadTrace(e)))?;
        Ok(Simulation { s: Session::from_trace(&trace).map_err(js_err)? })
    }

    /// Open a share link's fragment at its step; throws on a malformed, truncated, oversized
    /// or altered one.
    #[wasm_bindgen(js_name = fromShare)]
    pub fn from_share(fragment: &str) -> Result<Simulation, JsError> {
        Ok(Simulation { s: crate::sim::share::decode(fragment).map_err(js_err)? })
    }

    /// This run as a share link's fragment: configuration, seed, every choice and the step.
    /// Throws for a run longer than a link may hold (it could not be opened).
    #[wasm_bindgen(js_name = shareFragment)]
    pub fn share_fragment(&self) -> Result<String, JsError> {
        check_actions(self.s.all_actions()).map_err(|e| js_err(format!("this run is too long to share: it holds {e}")))?;
        Ok(self.s.share())
    }

    /// The trace up to the current step, as JSON text (the CLI's format). Throws for a run
    /// longer than a trace may hold (it could not be imported).
    #[wasm_bindgen(js_name = exportTrace)]
    pub fn export_trace(&self) -> Result<String, JsError> {
        check_actions(self.s.actions()).map_err(|e| js_err(format!("this run is too long to export: it holds {e}")))?;
        // The JS object, written by JSON.stringify with two spaces: the very text serde_json's
        // pretty form gives natively (Trace::to_text), without serde_json in the module.
        let text = js_sys::JSON::stringify_with_replacer_and_space(&to_js(&self.s.trace()), &JsValue::NULL, &JsValue::from(2))
            .map_err(|_| js_err("cannot write the trace"))?;
        Ok(String::from(text) + "\n")
    }

    /// Everything the page draws (see docs/wasm-api.md).
    pub fn snapshot(&self) -> JsValue {
        to_js(&self.s.snapshot())
    }

    /// The snapshot with only what changed since `mark` (the `mark` of this simulation's
    /// previous frame; `undefined`/`null` for a complete frame) in `log` and `history`. See
    /// docs/wasm-api.md.
    pub fn frame(&self, mark: JsValue) -> JsValue {
        to_js(&self.s.frame(mark.as_string().as_deref()))
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
    /// Fire the node's earliest timer now, or its timer named `timer` (`"retry"`, …).
    pub fn timeout(&mut self, n: f64, timer: Option<String>) -> Result<(), JsError> {
        let n = node(n)?;
        self.act(match timer {
            Some(t) => Action::Fire(n, t),
            None => Action::Timeout(n),
        })
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
        let p: Policy = from_js(policy, "policy").map_err(|e| js_err(SimError::BadConfig(e)))?;
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
    /// Bring back the future that acting in the past set aside (a story's remaining steps,
    /// or a free run's old future), at the step where the two part; the current one is set
    /// aside instead. Throws when there is none (`snapshot().branch` is null).
    #[wasm_bindgen(js_name = switchFuture)]
    pub fn switch_future(&mut self) -> Result<(), JsError> {
        self.s.switch_future().map_err(js_err)
    }
    pub fn seek(&mut self, step: f64) -> Result<(), JsError> {
        let n = whole(step, "a step", u32::MAX)?;
        self.s.seek(n as usize).map_err(js_err)
    }
}

/// The built-in scenarios: `[{ name, title, protocol }]`.
#[wasm_bindgen(js_name = scenarioNames)]
pub fn scenario_names() -> JsValue {
    to_js(&crate::vocabulary::scenarios())
}

/// The broken variants: `[{ name, title }]`, each title starting with UNSAFE
/// (`vocabulary().bugs` adds each one's note).
#[wasm_bindgen(js_name = bugNames)]
pub fn bug_names() -> JsValue {
    let named: Vec<_> = crate::vocabulary::bugs().iter().map(|b| crate::vocabulary::Named { name: b.name, title: b.title }).collect();
    to_js(&named)
}

/// What the core knows, stated once: proposal values, broken variants, safety properties,
/// message kinds, timers, roles, scenarios and limits (docs/wasm-api.md).
#[wasm_bindgen]
pub fn vocabulary() -> JsValue {
    to_js(&crate::vocabulary::vocabulary())
}

#[wasm_bindgen]
extern "C" {
    /// `globalThis.performance`: in a page, a worker and node alike.
    #[wasm_bindgen(thread_local_v2, js_name = performance)]
    static PERFORMANCE: web_sys::Performance;
}

/// The simulator benchmark workload (`paxoscope bench`'s: 5 nodes, two proposers, the random
/// policy) for at least `steps` steps; returns steps per second, timed by `performance.now()`,
/// and tells the console the figure.
#[wasm_bindgen(js_name = benchSteps)]
pub fn bench_steps(steps: f64) -> Result<f64, JsError> {
    let want = whole(steps, "the number of steps", 100_000_000)? as u64;
    let now = || PERFORMANCE.with(|p| p.now());
    let t0 = now();
    let (mut done, mut seed) = (0u64, 1u32);
    while done < want.max(1) {
        let (s, _) = crate::sim::workload::random_run(seed, 20_000);
        done += s.max(1);
        seed += 1;
    }
    let rate = done as f64 / ((now() - t0) / 1000.0).max(1e-9);
    web_sys::console::info_1(&format!("paxoscope: {done} simulator steps, {} steps/s", rate as u64).into());
    Ok(rate)
}

