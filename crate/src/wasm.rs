//! Thin `#[wasm_bindgen]` wrappers over [`Session`]: nothing else lives here.
//! Every method either succeeds or throws a JS `Error` with the crate's message, and a
//! throwing method leaves the simulation as it was.

use wasm_bindgen::prelude::*;

use crate::json::{At, FromJson, Json, ToJson, Writer};
use crate::paxos::{Bug, Value};
use crate::protocol::NodeId;
use crate::scenario;
use crate::sim::session::{check_actions, MAX_TRACE_BYTES};
use crate::sim::{Action, ClusterConfig, Policy, Session, SimError, Trace};


#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

// The three JS functions the module needs, imported directly: js-sys would bring along
// closure shims for every typed array (3.4 KB of code) that nothing here uses.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(v: &JsValue) -> Result<JsValue, JsValue>;
    /// `String(v)`: how JS prints a number or an exception.
    #[wasm_bindgen(js_name = String)]
    fn js_string(v: &JsValue) -> String;
}

/// Values cross the boundary as JSON text (crate::json; JSON.parse and JSON.stringify on the
/// JS side), which keeps serde and a serde format out of the module.
fn to_js(v: &impl ToJson) -> JsValue {
    // Our writer only writes valid JSON, so parsing it cannot fail.
    json_parse(&v.json_text())
}

/// A JS object read as `T` (`what` names it in errors: "config", "policy").
/// JSON.stringify's rules apply first: `undefined` fields are left out (so take their
/// defaults), NaN and Infinity become null (and are refused as not whole numbers).
fn from_js<T: FromJson>(v: &JsValue, what: &str) -> Result<T, String> {
    if v.is_undefined() {
        return Err(format!("{what} is missing"));
    }
    let text = match json_stringify(v) {
        Ok(t) => t.as_string().unwrap_or_default(),
        // A cycle or a BigInt: say what JSON.stringify said.
        Err(e) => return Err(format!("{what} cannot be read as JSON: {}", js_string(&e))),
    };
    // What JSON.stringify writes is valid JSON but for lone surrogates in strings.
    let json = Json::parse(&text).map_err(|_| format!("{what} holds a string that is not valid Unicode, or is nested too deeply"))?;
    T::from_json(&json, At::Root(what))
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
            from_js(&config, "config").map_err(|e| js_err(SimError::BadConfig(e)))?
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
        let trace = Trace::parse(json).map_err(js_err)?;
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
        Ok(self.s.trace().to_text())
    }

    /// Everything the page draws (see docs/wasm-api.md).
    pub fn snapshot(&self) -> JsValue {
        to_js(&self.s.snapshot())
    }

    /// A frame (docs/wasm-api.md): the snapshot plus `mark`, `full`, `log_from`, `log_len`
    /// and `history_len`. Stand-in until the serde branch lands: always a complete frame.
    pub fn frame(&self, _mark: JsValue) -> JsValue {
        let snap = self.s.snapshot();
        let mut text = snap.json_text();
        let extra = FrameTail { mark: snap.step, log_len: snap.log.len() as u32, history_len: snap.history.len() as u32 }.json_text();
        text.pop(); // the snapshot's closing brace
        text.push(',');
        text.push_str(&extra[1..]);
        json_parse(&text)
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
        let p: Policy = from_js(&policy, "policy").map_err(|e| js_err(SimError::BadConfig(e)))?;
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

struct Named(&'static str, &'static str);

impl ToJson for Named {
    fn write(&self, w: &mut Writer) {
        w.obj().field("name", &self.0).field("title", &self.1).end()
    }
}

fn named(list: impl Iterator<Item = (&'static str, &'static str)>) -> JsValue {
    to_js(&list.map(|(name, title)| Named(name, title)).collect::<Vec<_>>())
}

/// The built-in scenarios: `[{ name, title }]`.
#[wasm_bindgen(js_name = scenarioNames)]
pub fn scenario_names() -> JsValue {
    named(scenario::SCENARIOS.iter().map(|s| (s.name, s.title)))
}

/// The broken variants: `[{ name, title }]`, each title starting with UNSAFE.
#[wasm_bindgen(js_name = bugNames)]
pub fn bug_names() -> JsValue {
    named(Bug::ALL.iter().map(|b| (b.name(), b.describe())))
}

struct FrameTail {
    mark: u32,
    log_len: u32,
    history_len: u32,
}

impl ToJson for FrameTail {
    fn write(&self, w: &mut Writer) {
        w.obj().field("mark", &self.mark).field("full", &true).field("log_from", &0u32)
            .field("log_len", &self.log_len).field("history_len", &self.history_len).end()
    }
}

struct Vocabulary;

impl ToJson for Vocabulary {
    fn write(&self, w: &mut Writer) {
        use crate::check::invariants::Property;
        use crate::paxos::{Ballot, Msg};
        let b = Ballot::new(0, 1);
        let v = Value::new("x").ok().expect("a valid value");
        let kinds: Vec<&str> = [
            Msg::Prepare { ballot: b }, Msg::Promise { ballot: b, prior: None }, Msg::Accept { ballot: b, value: v },
            Msg::Accepted { ballot: b, value: v }, Msg::Nack { ballot: b, promised: b }, Msg::Heartbeat,
        ].iter().map(Msg::kind).collect();
        let bugs: Vec<BugInfo> = Bug::ALL.iter().map(|&b| BugInfo(b)).collect();
        let props: Vec<Named> = [Property::OnlyProposed, Property::AtMostOne, Property::LearnedChosen]
            .iter().map(|p| Named(p.name(), p.title())).collect();
        let scenarios: Vec<Named> = scenario::SCENARIOS.iter().map(|s| Named(s.name, s.title)).collect();
        w.obj()
            .field("values", &crate::check::explorer::COLOURS.to_vec())
            .field("bugs", &bugs)
            .field("properties", &props)
            .field("kinds", &kinds)
            // No const lists these in the core yet (the serde branch names them once).
            .field("timers", &vec!["retry", "leader", "heartbeat"])
            .field("roles", &vec!["proposer", "acceptor", "learner"])
            .field("scenarios", &scenarios)
            .field("limits", &Limits)
            .end()
    }
}

struct BugInfo(Bug);

impl ToJson for BugInfo {
    fn write(&self, w: &mut Writer) {
        let title = self.0.describe();
        w.obj().field("name", &self.0.name()).field("title", &title)
            .field("note", &title.trim_start_matches("UNSAFE: ")).end()
    }
}

struct Limits;

impl ToJson for Limits {
    fn write(&self, w: &mut Writer) {
        use crate::sim::session::{MAX_TRACE_ACTIONS, MAX_TRACE_CHOICES};
        w.obj()
            .field("max_nodes", &(crate::protocol::MAX_NODES as u32))
            .field("max_trace_bytes", &(MAX_TRACE_BYTES as u32))
            .field("max_fragment_chars", &(crate::sim::share::MAX_SHARE_LEN as u32))
            .field("max_trace_actions", &(MAX_TRACE_ACTIONS as u32))
            .field("max_trace_choices", &(MAX_TRACE_CHOICES as u32))
            .field("max_value_len", &(crate::paxos::MAX_VALUE_LEN as u32))
            .end()
    }
}

/// What the core knows, stated once (docs/wasm-api.md): values, bugs, properties, kinds,
/// timers, roles, scenarios, limits. Stand-in until the serde branch lands.
#[wasm_bindgen]
pub fn vocabulary() -> JsValue {
    to_js(&Vocabulary)
}
