//! The explorer for the page (cargo feature `explore`): a second wasm module, built for
//! speed, that the page loads on first use in a Web Worker (www/explore-worker.js), so the
//! page's critical path does not carry it. [`serve`] answers the page's messages through
//! web-sys's worker scope: explore what can follow a run ([`explore_run`]), with progress
//! while it runs; write a run as ITF ([`itf`]); tell why a value is safe ([`why`]). Every answer is a message
//! `{ type: "done", id, result }` or `{ type: "error", id, message }`; progress is
//! `{ type: "progress", id, states, transitions, depth, levelDone, levelSize, bytes, memory, ms }`.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::strict::from_js;
use super::{js_err, read_trace, to_js, PERFORMANCE};
use crate::check::from::continue_trace;
use crate::check::{Bounds, Progress, Stop, Strategy};
use crate::sim::session::{LogLine, MAX_TRACE_BYTES};
use crate::sim::{Session, SimError, Trace};

/// What the page asks the explorer (every field optional).
#[derive(Deserialize, Clone, Copy, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Ask {
    /// Rounds past the highest the run has reached that proposers may still start.
    pub rounds: u32,
    /// Further client proposals per proposer (single-decree Paxos).
    pub proposals: u8,
    /// Messages may be lost.
    pub drops: bool,
    /// Messages may be duplicated.
    pub dups: bool,
    /// How many more crashes (and restarts).
    pub crashes: u8,
    /// How many times the network may split in two.
    pub partitions: u8,
    /// Stop, unfinished, after this many states.
    pub max_states: u64,
    /// Count states that differ only by renaming interchangeable nodes once.
    pub symmetry: bool,
    /// The question: can a property still break (safety), can a value still be chosen
    /// (chosen), or can the run go on forever without choosing (livelock).
    pub goal: Goal,
}

/// What the explorer is asked.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Goal {
    /// "Can it still break from here?": every property, every schedule within the bounds.
    #[default]
    Safety,
    /// "Can a value still be chosen from here?": the shortest path to one.
    Chosen,
    /// "Can it go on forever without choosing?": a cycle that repeats, every round higher.
    Livelock,
}

impl Default for Ask {
    fn default() -> Ask {
        Ask { rounds: 1, proposals: 0, drops: false, dups: false, crashes: 0, partitions: 0, max_states: 1_000_000, symmetry: true, goal: Goal::Safety }
    }
}

/// The most states the page may ask for (the worker's memory: about 20 bytes a state).
pub const MAX_STATES: u64 = 20_000_000;

impl Ask {
    fn check(&self) -> Result<(), String> {
        let within = |x: u64, what: &str, max: u64| if x > max { Err(format!("{what} must be at most {max}, not {x}")) } else { Ok(()) };
        within(self.rounds.into(), "bounds.rounds", 20)?;
        within(self.proposals.into(), "bounds.proposals", crate::check::explorer::MAX_PROPOSALS.into())?;
        within(self.crashes.into(), "bounds.crashes", 9)?;
        within(self.partitions.into(), "bounds.partitions", 3)?;
        within(self.max_states, "bounds.maxStates", MAX_STATES)?;
        if self.max_states == 0 {
            return Err("bounds.maxStates must be at least 1".into());
        }
        Ok(())
    }
}

/// The explorer's answer: a verdict in words, the figures, and a path opened as a story.
#[derive(Serialize, Debug)]
pub struct Outcome {
    /// Safety: "safe" (complete, no violation), "violation", or "unfinished" (stopped at the
    /// state budget with nothing found: not a proof). Chosen: "chosen" (a path to a chosen
    /// value), "decided" (one already is), "never" (complete: none can be), "violation" or
    /// "unfinished". Livelock: "livelock" (a cycle), "no-livelock" (complete), "decided" or
    /// "unfinished".
    pub verdict: &'static str,
    /// The question asked: "safety", "chosen" or "livelock".
    pub goal: &'static str,
    /// The verdict in words.
    pub text: String,
    pub states: u64,
    pub transitions: u64,
    pub depth: u32,
    pub complete: bool,
    /// The bytes the engine's tables held at most.
    pub bytes: u64,
    /// The highest round proposers could reach.
    pub max_round: u32,
    /// The run's step the search started from.
    pub start: u32,
    /// The broken property (its name and title), for a violation.
    pub property: Option<String>,
    pub title: Option<String>,
    pub explanation: Option<String>,
    /// Explored moves in the path found.
    pub moves: Option<u32>,
    /// Whether the path is known to be a shortest one.
    pub shortest: bool,
    /// The run continued by the path, as a trace (JSON text) for the page to open.
    pub trace: Option<String>,
    /// The event log of the path's new steps.
    pub steps: Vec<LogLine>,
    /// Explored moves to the nearest state where a value is chosen (0: it already is).
    pub chosen: Option<u32>,
    /// A livelock's cycle in the path: its first step, its length in steps (the path holds
    /// it twice, the second time shifted) and how many rounds higher each turn is.
    pub cycle: Option<Cycle>,
}

impl Outcome {
    /// An answer with its figures to come: no path, no property, nothing chosen.
    fn new(verdict: &'static str, goal: &'static str, states: u64, complete: bool, max_round: u32, start: usize) -> Outcome {
        Outcome {
            verdict,
            goal,
            text: String::new(),
            states,
            transitions: 0,
            depth: 0,
            complete,
            bytes: 0,
            max_round,
            start: start as u32,
            property: None,
            title: None,
            explanation: None,
            moves: None,
            shortest: false,
            trace: None,
            steps: Vec::new(),
            chosen: None,
            cycle: None,
        }
    }
}

/// See [`Outcome::cycle`].
#[derive(Serialize, Debug)]
pub struct Cycle {
    pub from: u32,
    pub steps: u32,
    pub shift: u32,
}

/// The run `trace` continued: explore every schedule within `ask` from its end.
pub fn explore_trace(trace: &Trace, ask: Ask, progress: Option<crate::check::ProgressFn>) -> Result<Outcome, String> {
    ask.check()?;
    let bounds = Bounds {
        drops: ask.drops,
        dups: ask.dups,
        crashes: ask.crashes,
        proposals: ask.proposals,
        partitions: ask.partitions,
        max_states: ask.max_states,
        symmetry: ask.symmetry,
        threads: 1,
        strategy: Strategy::Bfs,
        progress,
        progress_every: 4096,
        ..Bounds::new()
    };
    if ask.goal == Goal::Livelock {
        return livelock(trace, ask, bounds);
    }
    let c = continue_trace(trace, None, ask.rounds)?;
    let start = c.session.step();
    let r = crate::protocols::check_from(&c.session, &c.cluster, bounds).map_err(|e| e.to_string())?;
    let already = c.session.world().ghost.chosen_value();
    let mut o = Outcome {
        transitions: r.transitions,
        depth: r.max_depth,
        bytes: r.bytes,
        shortest: r.shortest,
        chosen: if already.is_some() { Some(0) } else { r.chosen.map(|n| n as u32) },
        ..Outcome::new("safe", if ask.goal == Goal::Chosen { "chosen" } else { "safety" }, r.states, r.complete, c.max_round, start)
    };
    let within = bounds_words(&ask, c.max_round);
    let unfinished = |stop: Option<Stop>| match stop {
        Some(Stop::Memory) => "the memory budget",
        Some(Stop::Cancelled) => "a request to stop",
        _ => "the state budget",
    };
    if let Some((property, moves, run)) = r.violation {
        let run = unbounded(trace, &run, |s| s.violations().iter().any(|v| v.property == property.name())).unwrap_or(run);
        let v = run.violations().into_iter().find(|v| v.property == property.name());
        o.verdict = "violation";
        o.property = Some(property.name().to_string());
        o.title = Some(property.title().to_string());
        o.explanation = v.map(|v| v.explanation);
        o.moves = Some(moves as u32);
        let new = run.step() - start;
        o.text = format!(
            "Not safe from here: {} new step{} break “{}” ({}{}, {} states explored).",
            new,
            if new == 1 { "" } else { "s" },
            property.title(),
            if r.shortest { "the shortest continuation; " } else { "a continuation; " },
            within,
            num(r.states)
        );
        path(&mut o, &run, start);
        return Ok(o);
    }
    if ask.goal == Goal::Chosen {
        match (already, r.chosen_run) {
            (Some(v), _) => {
                o.verdict = "decided";
                o.text = format!("A value is already chosen: {v}. Nothing else can be chosen (and, within these bounds, nothing breaks: {} states).", num(r.states));
            }
            (None, Some(run)) => {
                let run = unbounded(trace, &run, |s| s.world().ghost.chosen_value().is_some()).unwrap_or(run);
                let v = run.world().ghost.chosen_value().map(|v| v.to_string()).unwrap_or_default();
                let new = run.step() - start;
                o.verdict = "chosen";
                o.moves = o.chosen;
                o.title = Some(format!("{v} is chosen"));
                o.text = format!("A value can still be chosen from here: in {new} new step{} at the least, {v} is chosen ({within}).", if new == 1 { "" } else { "s" });
                path(&mut o, &run, start);
            }
            (None, None) if r.complete => {
                o.verdict = "never";
                o.text = format!("No value can be chosen from here within these bounds ({within}; all {} states explored): allow more rounds, proposals or fewer faults.", num(r.states));
            }
            (None, None) => {
                o.verdict = "unfinished";
                o.text = format!("No path to a chosen value in the first {} states ({within}); the search stopped at {}.", num(r.states), unfinished(r.stop));
            }
        }
        return Ok(o);
    }
    let chosen = match o.chosen {
        Some(0) => " A value is already chosen.".to_string(),
        Some(n) => format!(" A value can still be chosen from here ({n} move{} at the least).", if n == 1 { "" } else { "s" }),
        None if r.complete => " No value can be chosen from here within these bounds.".to_string(),
        None => String::new(),
    };
    if r.complete {
        o.text = format!("Safe from here within these bounds ({within}): all {} states reachable were explored and no property breaks.{chosen}", num(r.states));
    } else {
        o.verdict = "unfinished";
        o.text = format!("No violation in the first {} states ({within}), but the search stopped at {}: not a proof. Raise the state budget or tighten the bounds.{chosen}", num(r.states), unfinished(r.stop));
    }
    Ok(o)
}

/// The path's new steps (after `start`) and its trace, for the page to open.
fn path(o: &mut Outcome, run: &Session, start: usize) {
    o.steps = (start + 1..=run.step()).filter_map(|k| run.line(k)).collect();
    o.trace = Some(trace_json(run));
}

/// "Can it go on forever without choosing?" (`protocols::livelock_from`): rounds shifted so
/// that the lowest is the first, then at most `ask.rounds + 1` rounds above it.
fn livelock(trace: &Trace, ask: Ask, bounds: Bounds) -> Result<Outcome, String> {
    let session = Session::from_trace(trace).map_err(|e| e.to_string())?;
    let mut cluster = trace.config.clone();
    let first = cluster.start_round.max(1);
    let limit = first.saturating_add(ask.rounds.max(1)).saturating_add(1);
    cluster.max_round = Some(limit);
    let start = session.step();
    let r = crate::protocols::livelock_from(&session, &cluster, bounds).map_err(|e| e.to_string())?;
    let mut o = Outcome::new("no-livelock", "livelock", r.states, r.complete, limit, start);
    let mut a = ask;
    a.dups = false;
    let within = bounds_words(&a, limit).replacen(&format!("rounds up to {limit}"), &format!("rounds spread over {}", limit - first + 1), 1);
    if r.decided {
        o.verdict = "decided";
        o.text = "No livelock: a value is already chosen.".into();
        return Ok(o);
    }
    match r.found {
        Some(l) => {
            let higher = match l.shift_rounds {
                0 => String::new(),
                1 => ", each time with every ballot 1 round higher".into(),
                k => format!(", each time with every ballot {k} rounds higher"),
            };
            o.verdict = "livelock";
            o.moves = Some((l.prefix + l.cycle) as u32);
            o.title = Some("the cycle repeats".into());
            o.text = format!(
                "Livelock possible: after {} new step{}, a cycle of {} steps can repeat forever{higher}, and no value is ever chosen ({} states; timers fire only once their node's messages have arrived). The path shows the cycle twice.",
                l.prefix_steps - start,
                if l.prefix_steps - start == 1 { "" } else { "s" },
                l.cycle_steps,
                num(r.states)
            );
            o.cycle = Some(Cycle { from: l.prefix_steps as u32 + 1, steps: l.cycle_steps as u32, shift: l.shift_rounds });
            path(&mut o, &l.run, start);
        }
        None if r.complete => o.text = format!("No livelock from here within these bounds ({within}; all {} states up to a round shift explored).", num(r.states)),
        None => {
            o.verdict = "unfinished";
            o.text = format!("No livelock in the first {} states ({within}); the search stopped at the state budget: not a proof.", num(r.states));
        }
    }
    Ok(o)
}

/// 1234567 -> "1,234,567".
fn num(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::with_capacity(d.len() + d.len() / 3);
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The bounds in words: "rounds up to 3, no drops, 1 crash".
fn bounds_words(a: &Ask, max_round: u32) -> String {
    let mut w = vec![format!("rounds up to {max_round}")];
    if a.proposals > 0 {
        w.push(format!("{} more proposal{} per proposer", a.proposals, if a.proposals == 1 { "" } else { "s" }));
    }
    w.push(if a.drops { "drops".into() } else { "no drops".into() });
    if a.dups {
        w.push("duplicates".into());
    }
    w.push(match a.crashes {
        0 => "no crashes".into(),
        1 => "1 crash".into(),
        n => format!("{n} crashes"),
    });
    if a.partitions > 0 {
        w.push(format!("{} partition{}", a.partitions, if a.partitions == 1 { "" } else { "s" }));
    }
    w.join(", ")
}

/// The continued run `run` (made with a round bound) replayed on the configuration of the
/// recorded run `trace`, so the page's run keeps its own settings; `None` if it does not
/// replay to where it went (`ok`; it always should: the bound only keeps moves out).
fn unbounded(trace: &Trace, run: &Session, ok: impl Fn(&Session) -> bool) -> Option<Session> {
    let mut s = Session::new(trace.config.clone()).ok()?;
    for a in run.actions() {
        s.act(a.clone()).ok()?;
    }
    ok(&s).then_some(s)
}

/// The trace of `s` up to its current step as the page's JSON text (two spaces, as
/// exportTrace writes it).
fn trace_json(s: &Session) -> String {
    // A plain run: the explorer's path is no longer a built-in story's.
    js_sys::JSON::stringify_with_replacer_and_space(&to_js(&s.trace().plain()), &JsValue::NULL, &JsValue::from(2))
        .map(String::from)
        .unwrap_or_default()
        + "\n"
}

/// A trace's JSON text, read and size-checked.
fn parse(json: &str) -> Result<Trace, String> {
    if json.len() > MAX_TRACE_BYTES {
        return Err(SimError::BadTrace(format!("{} bytes is more than the {MAX_TRACE_BYTES} allowed", json.len())).to_string());
    }
    read_trace(json).map_err(|e| SimError::BadTrace(e).to_string())
}

/// Explore what can follow the run `trace` (JSON text, the page's exportTrace) within
/// `bounds` (see [`Ask`]); the [`Outcome`] as a JS object. In a worker, progress is posted
/// while it runs (see the module docs).
#[wasm_bindgen(js_name = exploreRun)]
pub fn explore_run(trace: &str, bounds: JsValue) -> Result<JsValue, JsError> {
    let ask: Ask = if bounds.is_undefined() || bounds.is_null() { Ask::default() } else { from_js(bounds, "bounds").map_err(js_err)? };
    let t = parse(trace).map_err(js_err)?;
    let o = explore_trace(&t, ask, Some(progress)).map_err(js_err)?;
    Ok(to_js(&o))
}

/// The run `trace` (JSON text) as a behaviour of Lamport's Paxos.tla in the Informal Trace
/// Format (JSON text); single-decree Paxos only.
#[wasm_bindgen]
pub fn itf(trace: &str) -> Result<String, JsError> {
    let t = parse(trace).map_err(js_err)?;
    let s = Session::from_trace(&t).map_err(js_err)?;
    let i = crate::itf::trace(&s).map_err(js_err)?;
    serde_json::to_string(&i).map(|t| t + "\n").map_err(js_err)
}

/// What "why" is asked about: exactly one of `accepted` (an acceptor's id: what it has
/// accepted), `learned` (a learner's id), `chosen` (true: the chosen value) or `message` (a
/// message id of the history: a Promise reporting a proposal, an Accept or an Accepted).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct WhyAsk {
    accepted: Option<u8>,
    learned: Option<u8>,
    chosen: Option<bool>,
    message: Option<u32>,
}

/// Why the value named by `target` (see [`WhyAsk`]) is safe in the run `trace` (JSON text)
/// at its end: the chain of messages that brought it there, the quorums that overlap, and
/// where a broken variant cut the chain (crate::why::Reason, as a JS object).
#[wasm_bindgen]
pub fn why(trace: &str, target: JsValue) -> Result<JsValue, JsError> {
    let w: WhyAsk = from_js(target, "target").map_err(js_err)?;
    let t = match (w.accepted, w.learned, w.chosen, w.message) {
        (Some(n), None, None, None) => crate::why::Target::Accepted { node: n },
        (None, Some(n), None, None) => crate::why::Target::Learned { node: n },
        (None, None, Some(true), None) => crate::why::Target::Chosen,
        (None, None, None, Some(id)) => crate::why::Target::Message { id },
        _ => return Err(js_err("target must name exactly one of: accepted (a node), learned (a node), chosen (true), message (an id)")),
    };
    let tr = parse(trace).map_err(js_err)?;
    let s = Session::from_trace(&tr).map_err(js_err)?;
    let r = crate::why::why(&s, t).map_err(js_err)?;
    Ok(to_js(&r))
}

// ----- the worker's messages ------------------------------------------------------------

/// The search being run, for the progress hook (a plain `fn`).
struct Running {
    id: JsValue,
    t0: f64,
    last: f64,
    scope: DedicatedWorkerGlobalScope,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
}

fn now() -> f64 {
    PERFORMANCE.with(|p| p.now())
}

/// The wasm memory's size in bytes (what the worker holds).
fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64)
        .unwrap_or(0.0)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProgressMsg {
    #[serde(rename = "type")]
    kind: &'static str,
    states: u64,
    transitions: u64,
    depth: u32,
    level_done: u64,
    level_size: u64,
    bytes: u64,
    memory: f64,
    ms: f64,
}

/// Post how far the search has gone, at most every 100 ms (the first call at once).
fn progress(p: &Progress) -> bool {
    RUNNING.with(|r| {
        if let Some(run) = r.borrow_mut().as_mut() {
            let t = now();
            if run.last < 0.0 || t - run.last >= 100.0 {
                run.last = t;
                post_progress(run, p, t);
            }
        }
    });
    true
}

fn post_progress(run: &Running, p: &Progress, t: f64) {
    let m = ProgressMsg {
        kind: "progress",
        states: p.states,
        transitions: p.transitions,
        depth: p.depth,
        level_done: p.level_done,
        level_size: p.level_size,
        bytes: p.bytes,
        memory: memory_bytes(),
        ms: t - run.t0,
    };
    let v = to_js(&m);
    let _ = js_sys::Reflect::set(&v, &"id".into(), &run.id);
    let _ = run.scope.post_message(&v);
}

/// A field of a message object (`undefined` when absent).
fn field(v: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(v, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn reply(kind: &str, id: &JsValue, key: &str, value: &JsValue) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"type".into(), &kind.into());
    let _ = js_sys::Reflect::set(&o, &"id".into(), id);
    let _ = js_sys::Reflect::set(&o, &key.into(), value);
    o.into()
}

/// Answer one message of the page: `{ id, type: "explore", trace, bounds }`,
/// `{ id, type: "itf", trace }` or `{ id, type: "why", trace, target }`.
fn answer(scope: &DedicatedWorkerGlobalScope, data: JsValue) -> JsValue {
    let id = field(&data, "id");
    let kind = field(&data, "type").as_string().unwrap_or_default();
    let trace = field(&data, "trace").as_string();
    let result: Result<JsValue, String> = match (kind.as_str(), trace) {
        (_, None) => Err("the message has no trace (JSON text)".into()),
        ("explore", Some(t)) => {
            let t0 = now();
            RUNNING.with(|r| *r.borrow_mut() = Some(Running { id: id.clone(), t0, last: -1.0, scope: scope.clone() }));
            let out = explore_run(&t, field(&data, "bounds")).map_err(|e| js_error_text(e.into()));
            RUNNING.with(|r| *r.borrow_mut() = None);
            out.map(|v| {
                let _ = js_sys::Reflect::set(&v, &"ms".into(), &(now() - t0).into());
                let _ = js_sys::Reflect::set(&v, &"memory".into(), &memory_bytes().into());
                v
            })
        }
        ("itf", Some(t)) => itf(&t).map(JsValue::from).map_err(|e| js_error_text(e.into())),
        ("why", Some(t)) => why(&t, field(&data, "target")).map_err(|e| js_error_text(e.into())),
        (other, _) => Err(format!("unknown request \"{other}\"; the requests are: explore, itf, why")),
    };
    match result {
        Ok(v) => reply("done", &id, "result", &v),
        Err(m) => reply("error", &id, "message", &m.into()),
    }
}

/// A thrown JS error's message.
fn js_error_text(e: JsValue) -> String {
    super::js_string(&field(&e, "message"))
}

/// Start answering the page's messages (call once, in the worker, after the module loaded);
/// posts `{ type: "ready" }`.
#[wasm_bindgen]
pub fn serve() -> Result<(), JsError> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().dyn_into().map_err(|_| js_err("serve() runs in a dedicated worker"))?;
    let s = scope.clone();
    let on = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let r = answer(&s, e.data());
        let _ = s.post_message(&r);
    });
    scope.set_onmessage(Some(on.as_ref().unchecked_ref()));
    // The worker lives as long as the closure: the page terminates it.
    on.forget();
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"type".into(), &"ready".into());
    scope.post_message(&ready).map_err(|_| js_err("cannot post to the page"))
}
