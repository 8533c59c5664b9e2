//! A simulation session: a world plus its history, as the page and the CLI use it.
//!
//! History is the list of actions taken, the journal of what they did (events, messages,
//! outages, violations: see [`super::journal`]), and checkpoints of the world (at least
//! [`CHECKPOINT_EVERY`] steps apart; see [`Session::seek`]); undo, redo and seek restore the
//! nearest checkpoint and replay. Acting in the past drops the old future. A trace is the
//! configuration and the actions; replaying it reproduces the same state hash.

use super::config::ClusterConfig;
use super::error::SimError;
use super::event::Event;
use super::hash::hex;
use super::journal::Journal;
use super::world::{Action, Policy, Slot, Violation, World};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use crate::protocol::{NodeId, NodeView, Protocol};
use crate::protocols::{AnyConfig, AnyMsg, AnyNode, AnyTimer};

/// The world a session drives: any registered protocol ([`crate::protocols`]).
pub type SimWorld = World<AnyNode>;
/// What a session's steps write.
pub type SimEvent = Event<AnyMsg, AnyTimer>;

/// The fewest steps between checkpoints.
pub const CHECKPOINT_EVERY: usize = 64;
/// Checkpoints cost at most this many bytes per step: a world that has grown large (many
/// messages in flight) is checkpointed less often, so memory stays linear in the run's length.
pub const CHECKPOINT_BYTES_PER_STEP: usize = 32;
/// The most steps a trace or a share link may hold, automatic steps included (a link's run
/// of automatic steps counts at its full length). Checked before anything is replayed, with
/// [`MAX_TRACE_CHOICES`], so that what a link or a file can make a page do is bounded: the
/// worst link found within both opens in about 0.2 s and at most ~83 MB natively (`cargo
/// bench`), 0.2–0.6 s in Chromium (`tests/bench.mjs`). Sessions may run longer; they cannot
/// be shared or exported.
pub const MAX_TRACE_ACTIONS: usize = 50_000;
/// Of those, the most that are not automatic steps: each can put a message to every node in
/// flight at once, or propose one more value (the safety checks' work grows with the number
/// of values proposed).
pub const MAX_TRACE_CHOICES: usize = 10_000;
/// The most bytes of trace JSON read (the page's importTrace and `paxoscope replay`).
pub const MAX_TRACE_BYTES: usize = 16 * 1024 * 1024;
pub const TRACE_FORMAT: &str = "paxoscope-trace";
pub const TRACE_VERSION: u32 = 1;

/// One line of the event log.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogLine {
    pub step: u32,
    pub time: u64,
    pub text: String,
}

/// A replayable record of a run: the same format for the CLI and the page. `scenario`,
/// `captions` and `log` are left out when empty.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    pub format: String,
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub config: ClusterConfig,
    pub actions: Vec<Action>,
    /// The state hash after the last action (16 hex digits).
    pub hash: String,
    /// A guided scenario's caption for each action ("" for none); not needed to replay.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captions: Vec<String>,
    /// The event log, for people; not needed to replay.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<LogLine>,
}

/// A node as the page sees it: the view's fields flattened into the node's object.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NodeSnap {
    pub id: NodeId,
    pub up: bool,
    pub view: NodeView,
    /// Commit protocols: why this up, undecided node is blocked now (fewer than it needs of
    /// the nodes it waits for are up and reachable: [`Protocol::waits_for`]), e.g. "blocked:
    /// voted yes; only the coordinator knows the outcome (node 1 is down)".
    pub blocked: Option<String>,
}

/// Why node `id` (up) is blocked now, if it is: it waits for nodes ([`Protocol::waits_for`])
/// and fewer than it needs of them are up and reachable (not across a cut link).
fn blocked(w: &SimWorld, id: NodeId, n: &AnyNode) -> Option<String> {
    let wait = n.waits_for(&w.cfg)?;
    let cut = |x: NodeId| w.cut.contains(&(id.min(x), id.max(x)));
    let (mut down, mut away, mut up) = (Vec::new(), Vec::new(), 0u8);
    for x in crate::protocol::members(wait.on) {
        match w.slots.get(x as usize - 1) {
            Some(Slot::Up(_)) if x == id || !cut(x) => up += 1,
            Some(Slot::Up(_)) => away.push(x),
            _ => down.push(x),
        }
    }
    if up >= wait.need {
        return None;
    }
    let mut why = Vec::new();
    for (set, word) in [(down, "down"), (away, "cut off")] {
        if !set.is_empty() {
            let verb = if set.len() == 1 { "is" } else { "are" };
            why.push(format!("{} {verb} {word}", super::event::node_list(&set)));
        }
    }
    Some(format!("blocked: {} ({})", wait.why, why.join(", ")))
}

/// `{ id, up, roles, promised, accepted, learned, leader, proposer, rows, slots, status, blocked }`. Written out rather than
/// `#[serde(flatten)]`, which goes through a map serializer (4 KB more of wasm).
/// The node's object as read: its fields flat.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatNode {
    id: NodeId,
    up: bool,
    #[serde(deserialize_with = "crate::format::names::roles")]
    roles: Vec<crate::protocol::Name>,
    promised: Option<String>,
    accepted: Option<crate::protocol::BallotValue>,
    learned: Option<String>,
    leader: bool,
    proposer: Option<crate::protocol::ProposerView>,
    rows: Vec<crate::protocol::Row>,
    slots: Vec<crate::protocol::SlotView>,
    status: Option<String>,
    #[serde(default)]
    blocked: Option<String>,
}

impl<'de> Deserialize<'de> for NodeSnap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NodeSnap, D::Error> {
        let n = FlatNode::deserialize(d)?;
        let view = NodeView { roles: n.roles, promised: n.promised, accepted: n.accepted, learned: n.learned, leader: n.leader, proposer: n.proposer, rows: n.rows, slots: n.slots, status: n.status };
        Ok(NodeSnap { id: n.id, up: n.up, view, blocked: n.blocked })
    }
}

impl Serialize for NodeSnap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = &self.view;
        let mut o = s.serialize_struct("NodeSnap", 12)?;
        o.serialize_field("id", &self.id)?;
        o.serialize_field("up", &self.up)?;
        o.serialize_field("roles", &v.roles)?;
        o.serialize_field("promised", &v.promised)?;
        o.serialize_field("accepted", &v.accepted)?;
        o.serialize_field("learned", &v.learned)?;
        o.serialize_field("leader", &v.leader)?;
        o.serialize_field("proposer", &v.proposer)?;
        o.serialize_field("rows", &v.rows)?;
        o.serialize_field("slots", &v.slots)?;
        o.serialize_field("status", &v.status)?;
        o.serialize_field("blocked", &self.blocked)?;
        o.end()
    }
}

/// A pending message's status: in flight, or held back by a person.
pub const STATUSES: [&str; 2] = ["in-flight", "held"];

/// A pending message as the page sees it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MsgSnap {
    pub id: u32,
    pub from: NodeId,
    pub to: NodeId,
    #[serde(deserialize_with = "crate::format::names::kind")]
    pub kind: crate::protocol::Name,
    pub ballot: Option<String>,
    pub value: Option<String>,
    pub prior: Option<crate::protocol::BallotValue>,
    #[serde(deserialize_with = "crate::format::names::status")]
    pub status: crate::protocol::Name,
    pub sent_at: u64,
    pub due: u64,
    pub cause: u32,
    pub label: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimerSnap {
    pub node: NodeId,
    #[serde(deserialize_with = "crate::format::names::timer")]
    pub kind: crate::protocol::Name,
    pub at: u64,
    /// When it was armed (its countdown runs from `since` to `at`).
    pub since: u64,
}

/// Everything the page draws (docs/wasm-api.md). Read back strictly too (every field
/// required, unknown ones refused, names the core's own).
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub step: u32,
    pub time: u64,
    pub hash: String,
    pub config: ClusterConfig,
    /// The automatic policy in force now (`set-policy` actions change it).
    pub policy: Policy,
    pub scenario: Option<String>,
    pub nodes: Vec<NodeSnap>,
    pub messages: Vec<MsgSnap>,
    /// Every message sent so far and what became of it (for the space-time diagram).
    pub history: Vec<super::world::MsgRecord>,
    /// Every crash so far: `{ node, from_step, to_step }` (`to_step` null while down).
    pub outages: Vec<super::world::Outage>,
    pub timers: Vec<TimerSnap>,
    pub cut: Vec<(NodeId, NodeId)>,
    pub chosen: Option<String>,
    pub chosen_step: Option<u32>,
    pub violations: Vec<Violation>,
    pub log: Vec<LogLine>,
    /// The guided scenario's caption for this step (the latest one at or before it).
    pub caption: Option<String>,
    pub can_undo: bool,
    pub can_redo: bool,
    pub trace_len: usize,
    /// The next step after this one that has a caption of its own, for "fast-forward to the
    /// next caption" (`null` when none, or off the story's script).
    pub next_caption: Option<u32>,
    /// The future set aside by acting in the past, if any (`null` when none).
    pub branch: Option<BranchSnap>,
}

impl Trace {
    /// The same run as a plain one: no story, captions or event log (what replays it is
    /// unchanged, and its state hash still proves it the same run).
    pub fn plain(mut self) -> Trace {
        self.scenario = None;
        self.captions.clear();
        self.log.clear();
        self
    }

    /// Read a trace from JSON text (not yet replayed: see [`Session::from_trace`]). Errors
    /// name the place, with line and column (`trace.actions[3].propose[1]: …`).
    pub fn parse(text: &str) -> Result<Trace, SimError> {
        crate::format::from_json(text, "trace").map_err(SimError::BadTrace)
    }

    /// The trace as JSON text for people (the file format of the CLI and the page):
    /// serde_json's pretty form, two spaces, as the CLI has always written it.
    pub fn to_text(&self) -> String {
        crate::format::to_json_pretty(self)
    }
}

/// Writes the snapshot's fields, in order, then `extra`'s (a frame's): one writer for both,
/// without `#[serde(flatten)]`'s map serializer.
macro_rules! snapshot_fields {
    ($snap:expr, $s:expr, $name:literal, $($extra:ident: $value:expr),*) => {{
        let x = $snap;
        let mut o = $s.serialize_struct($name, 20)?;
        snapshot_fields!(@ o x step time hash config policy scenario nodes messages history outages timers cut
            chosen chosen_step violations log caption can_undo can_redo trace_len next_caption branch);
        $(o.serialize_field(stringify!($extra), $value)?;)*
        o.end()
    }};
    (@ $o:ident $x:ident $($f:ident)*) => { $($o.serialize_field(stringify!($f), &$x.$f)?;)* };
}

impl Serialize for Snapshot {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        snapshot_fields!(self, s, "Snapshot",)
    }
}

impl Serialize for Frame {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        snapshot_fields!(&self.snapshot, s, "Frame", mark: &self.mark, full: &self.full, log_from: &self.log_from,
            log_len: &self.log_len, history_len: &self.history_len)
    }
}

/// [`Snapshot`] with `mark` and `full`: what [`Session::frame`] returns. When `full` is
/// false, `log` holds only the lines from `log_from` on and `history` only the records that
/// changed since the mark (docs/wasm-api.md says how to apply them). Written as one object:
/// the snapshot's fields, then these.
#[derive(Clone, Debug)]
pub struct Frame {
    pub snapshot: Snapshot,
    /// Pass it back to get the next frame; opaque.
    pub mark: String,
    pub full: bool,
    /// The index of the first line in `log` (0 when full).
    pub log_from: usize,
    /// The length of the complete log.
    pub log_len: usize,
    /// The length of the complete history.
    pub history_len: usize,
}

/// Which version of a session's recorded actions: a new one whenever they are cut and
/// rewritten (acting in the past), and for every session and every clone, so that a mark
/// from another session is never taken for one of this session's.
#[derive(Debug)]
struct Generation(u64);

impl Generation {
    fn fresh() -> Generation {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Generation(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl Clone for Generation {
    fn clone(&self) -> Generation {
        Generation::fresh()
    }
}


/// Refuse, before replaying anything, a run longer than a trace or a link may hold: `steps`
/// in all, `choices` of them other than automatic steps. The message completes "… holds".
pub fn check_length(steps: usize, choices: usize) -> Result<(), String> {
    if steps > MAX_TRACE_ACTIONS {
        return Err(format!("{steps} steps; at most {MAX_TRACE_ACTIONS} are accepted (automatic steps count too)"));
    }
    if choices > MAX_TRACE_CHOICES {
        return Err(format!("more than {MAX_TRACE_CHOICES} actions other than automatic steps; at most {MAX_TRACE_CHOICES} are accepted"));
    }
    Ok(())
}

/// [`check_length`] for these actions: whether a trace or a link holding them would open.
pub fn check_actions(actions: &[Action]) -> Result<(), String> {
    check_length(actions.len(), actions.iter().filter(|a| **a != Action::Step).count())
}

/// The built-in story a trace or a link names, which must run on the trace's cluster. The
/// message completes "the trace …".
pub(crate) fn story_for(name: &str, config: &ClusterConfig) -> Result<Session, String> {
    let story = crate::scenario::load(name).map_err(|e| format!("names a story this version does not have: {e}"))?;
    if story.config() != config {
        return Err(format!("names the story \"{name}\" but its cluster is not that story's"));
    }
    Ok(story)
}

/// A world with its history.
#[derive(Clone, Debug)]
pub struct Session {
    config: ClusterConfig,
    scenario: Option<String>,
    world: SimWorld,
    actions: Vec<Action>,
    /// What every action did (the redo part too).
    journal: Journal<AnyNode>,
    /// A guided scenario's captions: `intro` before the first step, then one per action.
    intro: Option<String>,
    captions: Vec<String>,
    /// How many of `actions` are applied to `world`.
    cursor: usize,
    /// `(k, the world after k actions)`, by `k`; the first is the start.
    checkpoints: Vec<(usize, SimWorld)>,
    /// When the next checkpoint is due (see [`checkpoint_if_due`]).
    next_checkpoint: usize,
    /// Events of a step being taken or replayed.
    scratch: Vec<SimEvent>,
    /// For frames' marks (see [`Session::frame`]).
    generation: Generation,
    /// The other future: what followed step `at` before an action there started this one.
    other: Option<Branch>,
}

/// A future set aside by acting in the past (a story's remaining steps, or a free run's old
/// future), with its captions. [`Session::switch_future`] or undoing back to `at` brings it
/// back, and sets the current future aside in its place.
#[derive(Clone, Debug)]
struct Branch {
    at: usize,
    actions: Vec<Action>,
    captions: Vec<String>,
}

/// Where the run left its other future: for the page's "You left the story at step N" bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchSnap {
    /// The step where the futures part.
    pub at: u32,
    /// How many steps the other future holds.
    pub steps: u32,
    /// Whether the other future is a story's script (it has captions).
    pub story: bool,
}

/// Checkpoint `world` (the state after `step` actions) if the last checkpoint is far enough
/// behind: at least [`CHECKPOINT_EVERY`] steps, and far enough that the checkpoints cost at
/// most about [`CHECKPOINT_BYTES_PER_STEP`] bytes per step of the run. A function of the two
/// fields it changes, so a caller may pass another of the session's fields as `world`.
fn checkpoint_if_due(checkpoints: &mut Vec<(usize, SimWorld)>, next: &mut usize, step: usize, world: &SimWorld) {
    if step >= *next {
        checkpoints.push((step, world.clone()));
        *next = step + checkpoint_gap(world);
    }
}

/// Steps from a checkpoint of `world` to the next one.
fn checkpoint_gap(world: &SimWorld) -> usize {
    // What the nodes keep on the heap (a Paxos learner's tallies, one per ballot heard of
    // until it learns: many in a long run without a decision).
    let heap: usize = world.slots.iter().map(|s| if let Slot::Up(n) = s { n.heap_bytes() } else { 0 }).sum();
    CHECKPOINT_EVERY.max((world.footprint() + heap) / CHECKPOINT_BYTES_PER_STEP)
}

impl Session {
    pub fn new(config: ClusterConfig) -> Result<Session, SimError> {
        let (world, start) = World::start(AnyConfig::build(&config)?, config.seed as u64, config.policy)?;
        Ok(Session {
            config,
            scenario: None,
            checkpoints: vec![(0, world.clone())],
            next_checkpoint: checkpoint_gap(&world),
            journal: Journal::new(&world, start),
            world,
            actions: Vec::with_capacity(256),
            intro: None,
            captions: Vec::new(),
            cursor: 0,
            scratch: Vec::new(),
            generation: Generation::fresh(),
            other: None,
        })
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }
    pub fn world(&self) -> &SimWorld {
        &self.world
    }
    pub fn step(&self) -> usize {
        self.cursor
    }
    pub fn trace_len(&self) -> usize {
        self.actions.len()
    }
    pub fn actions(&self) -> &[Action] {
        &self.actions[..self.cursor]
    }
    /// Every recorded action, the redo part included.
    pub fn all_actions(&self) -> &[Action] {
        &self.actions
    }
    /// Take `story`'s intro and the captions of the steps both sessions share.
    pub fn adopt_script(&mut self, story: &Session) {
        let common = self.actions.iter().zip(&story.actions).take_while(|(a, b)| a == b).count();
        self.intro = story.intro.clone();
        self.captions = story.captions.iter().take(common).cloned().collect();
    }
    /// A share link's fragment for this session (see [`super::share`]).
    pub fn share(&self) -> String {
        super::share::encode(self)
    }
    /// The event log up to the current step.
    pub fn log(&self) -> Vec<LogLine> {
        self.journal.lines(self.cursor)
    }
    /// What step `step` did (1 ..= [`Session::trace_len`]; 0: the start), as events.
    pub fn events(&self, step: usize) -> &[SimEvent] {
        self.journal.events(step)
    }
    /// The properties broken by the current step, explained, in the order they broke.
    pub fn violations(&self) -> Vec<Violation> {
        self.journal.violations(self.cursor).cloned().collect()
    }
    pub fn hash(&self) -> u64 {
        self.world.state_hash()
    }
    pub fn set_scenario(&mut self, name: Option<String>) {
        self.scenario = name;
    }
    pub fn scenario(&self) -> Option<&str> {
        self.scenario.as_deref()
    }
    pub fn set_intro(&mut self, intro: String) {
        self.intro = Some(intro);
    }
    /// Set the caption of action number `step` (1-based) of the trace.
    pub fn set_caption(&mut self, step: usize, caption: &str) {
        if (1..=self.actions.len()).contains(&step) {
            if self.captions.len() < step {
                self.captions.resize(step, String::new());
            }
            self.captions[step - 1] = caption.to_string();
        }
    }
    /// The caption in force at the current step.
    pub fn caption(&self) -> Option<&str> {
        if self.off_script() {
            return None;
        }
        let upto = self.cursor.min(self.captions.len());
        self.captions[..upto].iter().rev().find(|c| !c.is_empty()).map(String::as_str).or(self.intro.as_deref())
    }

    /// Take an action now. In the past, this starts a new future.
    pub fn act(&mut self, action: Action) -> Result<(), SimError> {
        // At the end of the run (nearly always) the world writes the step's events straight
        // into the journal (on an error it writes none); in the past, aside, until the
        // future is cut.
        let at_end = self.cursor == self.actions.len();
        let first = self.journal.events_mut().len();
        let events = if at_end {
            self.journal.events_mut()
        } else {
            self.scratch.clear();
            &mut self.scratch
        };
        self.world.apply(&action, events)?;
        if !at_end {
            // The old future is set aside, not lost. A story's script is the one future kept
            // whatever happens: acting again past the point where the run left it only
            // replaces the off-script steps, and acting before that point keeps the script
            // from there.
            let at = self.cursor;
            let (mut actions, mut captions) = self.cut_future(at);
            match self.other.take() {
                Some(story) if !story.captions.is_empty() && story.at < at => self.other = Some(story),
                Some(story) if !story.captions.is_empty() => {
                    let shared = story.at - at;
                    actions.truncate(shared);
                    actions.extend(story.actions);
                    captions.resize(shared, String::new());
                    captions.extend(story.captions);
                    self.other = Some(Branch { at, actions, captions });
                }
                _ => self.other = Some(Branch { at, actions, captions }),
            }
        }
        self.actions.push(action);
        if at_end {
            self.journal.recorded(&self.world, first);
        } else {
            self.journal.record(&self.world, &mut self.scratch);
        }
        self.cursor += 1;
        checkpoint_if_due(&mut self.checkpoints, &mut self.next_checkpoint, self.cursor, &self.world);
        Ok(())
    }

    /// Remove everything after step `at` (the cursor is at `at`) and return the actions and
    /// captions removed.
    fn cut_future(&mut self, at: usize) -> (Vec<Action>, Vec<String>) {
        debug_assert_eq!(self.cursor, at);
        self.generation = Generation::fresh();
        let actions = self.actions.split_off(at);
        let captions = if self.captions.len() > at { self.captions.split_off(at) } else { Vec::new() };
        self.journal.truncate(at);
        let keep = self.checkpoints.partition_point(|c| c.0 <= at);
        self.checkpoints.truncate(keep);
        let (k, last) = self.checkpoints.last().expect("the start is always kept");
        self.next_checkpoint = k + checkpoint_gap(last);
        (actions, captions)
    }

    /// Bring back the future set aside at the branch point (the story's remaining steps, or
    /// a free run's old future), at that point, and set the current future aside instead: the
    /// page's "Return to the story". Throws when no future was set aside.
    pub fn switch_future(&mut self) -> Result<(), SimError> {
        let Some(b) = self.other.take() else {
            return Err(SimError::Invalid("there is no other future to return to".into()));
        };
        if let Err(e) = self.seek(b.at) {
            self.other = Some(b);
            return Err(e);
        }
        // Check on a copy that the other future still replays (it did, from this very state)
        // before anything is cut: nothing changes when it does not.
        let mut world = self.world.clone();
        for (i, a) in b.actions.iter().enumerate() {
            self.scratch.clear();
            if let Err(e) = world.apply(a, &mut self.scratch) {
                let e = SimError::BadTrace(format!("step {} of the other future no longer replays: {e}", b.at + i + 1));
                self.other = Some(b);
                return Err(e);
            }
        }
        // Then replay it again into the journal and the checkpoints, as acting would.
        let (actions, captions) = self.cut_future(b.at);
        let mut world = self.world.clone();
        for a in &b.actions {
            self.scratch.clear();
            world.apply(a, &mut self.scratch).expect("checked just above");
            self.journal.record(&world, &mut self.scratch);
            checkpoint_if_due(&mut self.checkpoints, &mut self.next_checkpoint, world.step as usize, &world);
        }
        self.actions.extend(b.actions);
        if !b.captions.is_empty() {
            self.captions.resize(b.at, String::new());
            self.captions.extend(b.captions);
        }
        self.other = (!actions.is_empty()).then_some(Branch { at: b.at, actions, captions });
        Ok(())
    }

    /// The next step after the current one with a caption of its own (a story's next beat).
    pub fn next_caption(&self) -> Option<u32> {
        if self.off_script() {
            return None;
        }
        let from = self.cursor.min(self.captions.len());
        self.captions[from..].iter().position(|c| !c.is_empty()).map(|i| (from + i + 1) as u32)
    }

    /// The future set aside, if any: where it parts and what it holds.
    pub fn branch(&self) -> Option<BranchSnap> {
        self.other.as_ref().map(|b| BranchSnap { at: b.at as u32, steps: b.actions.len() as u32, story: !b.captions.is_empty() })
    }

    /// Whether the current step is past the point where the run left its story.
    pub fn off_script(&self) -> bool {
        self.other.as_ref().is_some_and(|b| !b.captions.is_empty() && self.cursor > b.at)
    }

    /// The line of the event log of step `step` (1 ..= [`Session::trace_len`]).
    pub fn line(&self, step: usize) -> Option<LogLine> {
        (1..=self.actions.len()).contains(&step).then(|| self.journal.line(step))
    }

    /// Up to `max` automatic steps; stops early when nothing is left to do. Returns how many ran.
    pub fn run(&mut self, max: usize) -> usize {
        let mut n = 0;
        while n < max && self.act(Action::Step).is_ok() {
            n += 1;
        }
        n
    }

    /// Go to the state after `step` actions (0: the start), keeping the future for redo.
    pub fn seek(&mut self, step: usize) -> Result<(), SimError> {
        if step > self.actions.len() {
            return Err(SimError::Invalid(format!("cannot seek to step {step}: the trace has {} steps", self.actions.len())));
        }
        if step == self.cursor {
            return Ok(());
        }
        // Start from the nearest checkpoint at or before `step`, or from now when that is nearer.
        // The journal already holds what these steps did: replaying only rebuilds the world.
        let k = self.checkpoints.partition_point(|c| c.0 <= step) - 1;
        let (mut world, from) = if step > self.cursor && self.cursor >= self.checkpoints[k].0 {
            (self.world.clone(), self.cursor)
        } else {
            (self.checkpoints[k].1.clone(), self.checkpoints[k].0)
        };
        for (i, a) in self.actions[from..step].iter().enumerate() {
            self.scratch.clear();
            world.apply(a, &mut self.scratch).map_err(|e| SimError::BadTrace(format!("step {} no longer replays: {e}", from + i + 1)))?;
        }
        self.world = world;
        self.cursor = step;
        Ok(())
    }

    pub fn undo(&mut self) -> Result<(), SimError> {
        if self.cursor == 0 {
            return Err(SimError::Invalid("nothing to undo: this is the start of the run".into()));
        }
        self.seek(self.cursor - 1)?;
        // Undoing back to where the run left its other future brings that future back (the
        // story's next step is then the next redo); the undone one is set aside instead.
        if self.other.as_ref().is_some_and(|b| b.at == self.cursor) {
            self.switch_future()?;
        }
        Ok(())
    }

    pub fn redo(&mut self) -> Result<(), SimError> {
        if self.cursor == self.actions.len() {
            return Err(SimError::Invalid("nothing to redo".into()));
        }
        self.seek(self.cursor + 1)
    }

    pub fn set_policy(&mut self, policy: Policy) -> Result<(), SimError> {
        self.act(Action::SetPolicy(policy)).map(|_| ())
    }

    /// The trace up to the current step.
    pub fn trace(&self) -> Trace {
        Trace {
            format: TRACE_FORMAT.into(),
            version: TRACE_VERSION,
            scenario: self.scenario.clone(),
            config: self.config.clone(),
            actions: self.actions().to_vec(),
            hash: hex(self.hash()),
            captions: self.trace_captions(),
            log: self.log(),
        }
    }

    /// The captions a trace of this session carries: those up to the current step, if any
    /// of them is not empty.
    fn trace_captions(&self) -> Vec<String> {
        let upto = &self.captions[..self.cursor.min(self.captions.len())];
        if upto.iter().any(|c| !c.is_empty()) {
            upto.to_vec()
        } else {
            Vec::new()
        }
    }

    /// Replay a trace; refuse one that is malformed, too long (before replaying it), or that
    /// does not reproduce its hash. The story it names must be a built-in one on the trace's
    /// cluster. The captions and the event log, which the replay does not need, are rebuilt
    /// rather than read: what the session shows is always what replaying gives.
    pub fn from_trace(trace: &Trace) -> Result<Session, SimError> {
        let bad = |m: String| SimError::BadTrace(m);
        if trace.format != TRACE_FORMAT {
            return Err(bad(format!("format is \"{}\", expected \"{TRACE_FORMAT}\"", trace.format)));
        }
        if trace.version != TRACE_VERSION {
            return Err(bad(format!("version {} is not supported (this build reads version {TRACE_VERSION})", trace.version)));
        }
        check_actions(&trace.actions).map_err(|e| bad(format!("the trace holds {e}")))?;
        if trace.captions.len() > trace.actions.len() {
            return Err(bad("more captions than actions".into()));
        }
        let story = match &trace.scenario {
            Some(name) => Some(story_for(name, &trace.config).map_err(|e| bad(format!("the trace {e}")))?),
            None if trace.captions.is_empty() => None,
            None => return Err(bad("it has captions but names no story".into())),
        };
        let mut s = Session::new(trace.config.clone()).map_err(|e| bad(e.to_string()))?;
        for (i, a) in trace.actions.iter().enumerate() {
            s.act(a.clone()).map_err(|e| bad(format!("step {} cannot be replayed: {e}", i + 1)))?;
        }
        let got = hex(s.hash());
        if got != trace.hash {
            return Err(bad(format!(
                "replaying it gives state hash {got}, not the recorded {}: the trace was altered or made by another version",
                trace.hash
            )));
        }
        if let Some(story) = story {
            s.scenario = trace.scenario.clone();
            // The captions shown are always the built-in story's, never the file's: a file
            // cannot put words in the story's mouth, and a story reworded since still opens.
            s.adopt_script(&story);
        }
        // The file's captions and event log are for people reading it: both are rebuilt from
        // the actions, so a reworded log or caption in a newer version still opens the run.
        Ok(s)
    }

    /// Everything the page draws.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_with(self.journal.history(self.cursor), self.journal.lines(self.actions.len()))
    }

    /// A [`Frame`]: the snapshot, with only what changed since `mark` (the `mark` of an
    /// earlier frame of this session) in its long lists. A missing, malformed or stale mark
    /// (another session's, or from before the actions were cut and rewritten) gives a full
    /// frame. Building a delta frame costs what changed plus the current state, not the
    /// run's length: the log only grows while the generation stands, and the journal finds
    /// the changed message records by step.
    pub fn frame(&self, mark: Option<&str>) -> Frame {
        let log_len = self.actions.len();
        let history_len = self.journal.history_len(self.cursor);
        let since = mark.and_then(|m| {
            let mut parts = m.split('.').map(|p| p.parse::<u64>().ok());
            let (g, step, log) = (parts.next()??, parts.next()?? as usize, parts.next()?? as usize);
            (parts.next().is_none() && g == self.generation.0 && step <= log && log <= log_len).then_some((step, log))
        });
        let (snapshot, full, log_from) = match since {
            Some((step, log)) => {
                let lines = (log + 1..=log_len).map(|k| self.journal.line(k)).collect();
                (self.snapshot_with(self.journal.history_changes(step, self.cursor), lines), false, log)
            }
            None => (self.snapshot(), true, 0),
        };
        Frame { snapshot, mark: format!("{}.{}.{}", self.generation.0, self.cursor, log_len), full, log_from, log_len, history_len }
    }

    /// The snapshot with these `history` records and `log` lines.
    fn snapshot_with(&self, history: Vec<super::world::MsgRecord>, log: Vec<LogLine>) -> Snapshot {
        let w = &self.world;
        let nodes = w
            .slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let id = i as NodeId + 1;
                match slot {
                    Slot::Up(n) => NodeSnap { id, up: true, view: n.view(&w.cfg), blocked: blocked(w, id, n) },
                    Slot::Down(disk) => {
                        // A crashed node shows what survives on its disk.
                        let mut out = crate::protocol::Outbox::default();
                        let ghost = AnyNode::restart(&w.cfg, id, disk, &mut out);
                        let mut view = ghost.view(&w.cfg);
                        view.leader = false;
                        if let Some(p) = view.proposer.as_mut() {
                            p.value = None;
                        }
                        NodeSnap { id, up: false, view, blocked: None }
                    }
                }
            })
            .collect();
        let messages = w
            .pending
            .iter()
            .map(|p| {
                let v = AnyNode::describe(&p.msg);
                MsgSnap {
                    id: p.id,
                    from: p.from,
                    to: p.to,
                    kind: v.kind,
                    ballot: v.ballot,
                    value: v.value,
                    prior: v.prior,
                    status: STATUSES[usize::from(p.held)],
                    sent_at: p.sent_at,
                    due: p.due,
                    cause: p.cause,
                    label: v.label,
                }
            })
            .collect();
        let timers = w.timers.iter().map(|t| TimerSnap { node: t.node, kind: AnyNode::timer_name(&t.timer), at: t.at, since: t.since }).collect();
        let chosen = w.ghost.chosen.first().copied();
        Snapshot {
            step: self.cursor as u32,
            time: w.time,
            hash: hex(self.hash()),
            config: self.config.clone(),
            policy: w.policy,
            scenario: self.scenario.clone(),
            nodes,
            messages,
            history,
            outages: self.journal.outages(self.cursor),
            timers,
            cut: w.cut.clone(),
            chosen: chosen.map(|c| c.value.to_string()),
            chosen_step: chosen.and_then(|c| self.journal.chosen_step((c.slot, c.ballot, c.value))),
            violations: self.violations(),
            log,
            caption: self.caption().map(str::to_string),
            can_undo: self.cursor > 0,
            can_redo: self.cursor < self.actions.len(),
            branch: self.branch(),
            next_caption: self.next_caption(),
            trace_len: self.actions.len(),
        }
    }
}
