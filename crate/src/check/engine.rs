//! The search engine behind [`super::explore`]: a few bytes a state, every core.
//!
//! - **Visited states** are 64-bit fingerprints in a fingerprint set ([`FpSet`]): 256 shards,
//!   each an open-addressing table (linear probing) behind its own lock, grown by half when
//!   four fifths full, so a table is 53–80% full and a state costs 10–15 bytes there (most
//!   lookups find a state already seen, about 3 probes at 80%, in one or two cache lines).
//!   As in TLC, a fingerprint collision could hide a state: with `n` states the odds of any
//!   collision are about n²/2⁶⁵ (1 in 100,000 for 19 M states).
//! - **Breadth first** ([`Strategy::Bfs`], the default) goes level by level. A level's states
//!   are kept encoded: a state is a few 32-bit words naming its parts (each node's slot, each
//!   message in flight, each timer, the ghost) in per-thread tables of the distinct parts
//!   seen so far ([`Parts`]), not a cloned object graph. Every new state keeps a parent link
//!   (the parent's index and the move's position among the parent's moves, 6 bytes), and a
//!   counterexample is rebuilt by replaying those moves from the initial state (as TLC and
//!   Stateright do). The threads share a level in chunks; a level ends when all of it is
//!   expanded, so the first violation found is at the smallest depth: with any number of
//!   threads the counterexample is a shortest one. With one thread the order of the search
//!   is exactly the old queue's, so the states counted, and the counterexample, are the same.
//! - **Depth first** ([`Strategy::Dfs`], Stateright's low-memory mode) keeps only the path
//!   being explored and the fingerprints; its counterexample is the first found, not a
//!   shortest one. Idle threads take untried moves near the root of a busy thread's path.
//! - **Random walks, then breadth first** ([`Strategy::RandomWalk`]): seeded random walks
//!   look for a violation first (cheap, no memory; every other walk leaves out a random few
//!   kinds of move, as in swarm testing); one found is shortened by dropping moves while the
//!   violation remains, then by a breadth-first search over the walk's own moves (reordered,
//!   some left out), which finds the shortest counterexample made of them in moments. It is
//!   not known to be a shortest one overall ([`Strategy::Bfs`] finds that). With no
//!   violation found the walks prove nothing and the breadth-first search runs in full.
//!
//! The engine has no clock: a caller's [`Bounds::progress`] is called every
//! [`PROGRESS_EVERY`] states expanded (it prints, and may cancel), and memory is judged from
//! the engine's own accounting of its tables ([`Bounds::max_memory`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use super::explorer::{reached, Identity, Bounds, Envelope, Explorer, Move, Report, State};
use super::invariants::{Breach, Ghost, Property};
use crate::protocol::{NodeId, Protocol};
use crate::sim::hash::stable_hash;
use std::hash::BuildHasherDefault;
use crate::sim::world::Slot;

/// How the explorer searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Breadth first: a violation found is a shortest one.
    #[default]
    Bfs,
    /// Depth first: the least memory; a violation found is not always a shortest one.
    Dfs,
    /// Random walks first, then breadth first to shorten what they found (or to prove).
    RandomWalk,
}

impl Strategy {
    pub fn from_name(name: &str) -> Result<Strategy, String> {
        match name {
            "bfs" => Ok(Strategy::Bfs),
            "dfs" => Ok(Strategy::Dfs),
            "random-walk" => Ok(Strategy::RandomWalk),
            other => Err(format!("unknown strategy \"{other}\"; the strategies are: bfs, dfs, random-walk")),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Bfs => "bfs",
            Strategy::Dfs => "dfs",
            Strategy::RandomWalk => "random-walk",
        }
    }
}

/// Why a search stopped before it was complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// [`Bounds::max_states`] unique states were reached.
    States,
    /// The engine's tables reached [`Bounds::max_memory`] bytes.
    Memory,
    /// [`Bounds::progress`] asked to stop.
    Cancelled,
}

/// How far a search has gone (for [`Bounds::progress`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub states: u64,
    pub transitions: u64,
    /// The depth being expanded (breadth first) or the deepest reached (depth first).
    pub depth: u32,
    /// Breadth first: states of the current level expanded, and the level's size.
    pub level_done: u64,
    pub level_size: u64,
    /// Bytes the engine's tables hold.
    pub bytes: u64,
}

/// A caller's progress hook ([`Bounds::progress`]): called every [`PROGRESS_EVERY`] states
/// expanded, from one thread; it returns `false` to stop the search ([`Stop::Cancelled`]).
pub type ProgressFn = fn(&Progress) -> bool;

/// How many expanded states between two calls of [`Hooks::progress`] (per thread 0).
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// How many expanded states between two progress calls under `bounds`.
pub(super) fn progress_every(bounds: Bounds) -> u64 {
    if bounds.progress_every == 0 { PROGRESS_EVERY } else { bounds.progress_every }
}

// ----- the fingerprint set -------------------------------------------------------------

const SHARD_BITS: u32 = 8;
const SHARDS: usize = 1 << SHARD_BITS;

/// A set of 64-bit fingerprints shared by threads (see the module docs).
pub struct FpSet {
    shards: Box<[Mutex<Table>]>,
}

#[derive(Default)]
struct Table {
    slots: Vec<u64>,
    len: usize,
}

impl Table {
    #[inline]
    fn insert(&mut self, fp: u64) -> bool {
        if (self.len + 1) * 5 > self.slots.len() * 4 {
            self.grow();
        }
        let cap = self.slots.len();
        let mut i = ((fp as u128 * cap as u128) >> 64) as usize;
        loop {
            let x = self.slots[i];
            if x == fp {
                return false;
            }
            if x == 0 {
                self.slots[i] = fp;
                self.len += 1;
                return true;
            }
            i += 1;
            if i == cap {
                i = 0;
            }
        }
    }
    fn grow(&mut self) {
        let cap = (self.slots.len() * 3 / 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![0; cap]);
        self.len = 0;
        for fp in old.into_iter().filter(|&f| f != 0) {
            self.insert(fp);
        }
    }
}

impl Default for FpSet {
    fn default() -> Self {
        FpSet::new()
    }
}

impl FpSet {
    pub fn new() -> FpSet {
        FpSet { shards: (0..SHARDS).map(|_| Mutex::new(Table::default())).collect() }
    }
    /// Add `fp`: whether it was new.
    #[inline]
    pub fn insert(&self, fp: u64) -> bool {
        let fp = fp.max(1); // 0 marks an empty slot
        let shard = (fp as usize) & (SHARDS - 1);
        self.shards[shard].lock().unwrap_or_else(|e| e.into_inner()).insert(fp)
    }
    pub fn len(&self) -> u64 {
        self.shards.iter().map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len as u64).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The bytes its tables hold.
    pub fn bytes(&self) -> u64 {
        self.shards.iter().map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).slots.len() as u64 * 8).sum()
    }
}

// ----- parts: the distinct pieces of states ------------------------------------------------

/// Distinct values seen, numbered: thread `t` numbers what it meets first as
/// `(position << TID_BITS) | t` in its own table, so numbering needs no lock. During a level a
/// thread reads every thread's table as it was when the level began (the states of a level
/// were encoded during the one before), and adds to its own `pending`; between levels the
/// pending values join the tables.
const TID_BITS: u32 = 6;
/// The most threads a search uses.
pub const MAX_THREADS: usize = 1 << TID_BITS;

struct Table2<T> {
    items: Vec<(T, u64)>,
}

struct Local<T> {
    /// A part's stable hash to its number (the first part seen with that hash; another part
    /// with the same hash, a 64-bit coincidence, is numbered again without an entry here).
    map: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    pending: Vec<(T, u64)>,
    base: usize,
}

impl<T: Clone + Eq> Local<T> {
    fn new() -> Self {
        Local { map: HashMap::default(), pending: Vec::new(), base: 0 }
    }
    /// The number of `t` (whose stable hash is `h`); `mine` is this thread's frozen table.
    #[inline]
    fn intern(&mut self, tid: usize, mine: &[(T, u64)], t: &T, h: u64) -> u32 {
        if let Some(&i) = self.map.get(&h) {
            let pos = (i >> TID_BITS) as usize;
            let same = if pos < self.base { mine[pos].0 == *t } else { self.pending[pos - self.base].0 == *t };
            if same {
                return i;
            }
        }
        let i = (((self.base + self.pending.len()) as u32) << TID_BITS) | tid as u32;
        self.map.entry(h).or_insert(i);
        self.pending.push((t.clone(), h));
        i
    }
    fn bytes(&self) -> usize {
        self.map.capacity() * 13 + self.pending.capacity() * std::mem::size_of::<(T, u64)>()
    }
}

#[inline]
fn lookup<T>(tables: &[Table2<T>], i: u32) -> &(T, u64) {
    &tables[(i & (MAX_THREADS as u32 - 1)) as usize].items[(i >> TID_BITS) as usize]
}

/// Every thread's part tables (read-only during a level).
struct Frozen<P: Protocol> {
    slots: Vec<Table2<Slot<P>>>,
    msgs: Vec<Table2<Envelope<P::Msg>>>,
    timers: Vec<Table2<(NodeId, P::Timer)>>,
    ghosts: Vec<Table2<Ghost>>,
}

/// One thread's numbering of parts.
struct Parts<P: Protocol> {
    tid: usize,
    /// States expanded since the last progress call (thread 0).
    since: u64,
    /// The state numbers this thread may still hand out ([`Tickets`]).
    ticket: Ticket,
    slots: Local<Slot<P>>,
    msgs: Local<Envelope<P::Msg>>,
    timers: Local<(NodeId, P::Timer)>,
    ghosts: Local<Ghost>,
}

impl<P: Protocol> Frozen<P> {
    fn new(threads: usize) -> Self {
        fn t<T>(threads: usize) -> Vec<Table2<T>> {
            (0..threads).map(|_| Table2 { items: Vec::new() }).collect()
        }
        Frozen { slots: t(threads), msgs: t(threads), timers: t(threads), ghosts: t(threads) }
    }
    /// Move what the threads numbered during a level into the tables.
    fn absorb(&mut self, parts: &mut [Parts<P>]) {
        for p in parts {
            let t = p.tid;
            self.slots[t].items.append(&mut p.slots.pending);
            self.msgs[t].items.append(&mut p.msgs.pending);
            self.timers[t].items.append(&mut p.timers.pending);
            self.ghosts[t].items.append(&mut p.ghosts.pending);
            p.slots.base = self.slots[t].items.len();
            p.msgs.base = self.msgs[t].items.len();
            p.timers.base = self.timers[t].items.len();
            p.ghosts.base = self.ghosts[t].items.len();
        }
    }
    fn bytes(&self) -> u64 {
        fn b<T>(v: &[Table2<T>]) -> u64 {
            v.iter().map(|t| (t.items.capacity() * std::mem::size_of::<(T, u64)>()) as u64).sum()
        }
        b(&self.slots) + b(&self.msgs) + b(&self.timers) + b(&self.ghosts)
    }
}

impl<P: Protocol> Parts<P> {
    fn new(tid: usize) -> Self {
        Parts { tid, since: 0, ticket: Ticket { at: 0, end: 0 }, slots: Local::new(), msgs: Local::new(), timers: Local::new(), ghosts: Local::new() }
    }
    fn bytes(&self) -> u64 {
        (self.slots.bytes() + self.msgs.bytes() + self.timers.bytes() + self.ghosts.bytes()) as u64
    }
}

/// A decoded state with the numbers of its parts, so that a successor reuses the numbers of
/// the parts it did not change.
struct Current<P: Protocol> {
    s: State<P>,
    slot_ix: Vec<u32>,
    net_ix: Vec<u32>,
    ghost_ix: u32,
}

/// Append `x` in 7-bit groups, low first, the high bit marking that more follow.
#[inline]
fn put(out: &mut Vec<u8>, mut x: u32) {
    while x >= 0x80 {
        out.push(x as u8 | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// Read what [`put`] wrote at `*k`.
#[inline]
fn get(w: &[u8], k: &mut usize) -> u32 {
    let mut x = 0u32;
    let mut shift = 0;
    loop {
        let b = w[*k];
        *k += 1;
        x |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return x;
        }
        shift += 7;
    }
}

/// Encoded, each number as [`put`] writes it: `net len, timers len, slot × n, message × net
/// len, timer × timers len, ghost, crashes | cuts << 8 | split << 16, proposals (low 32
/// bits), proposals (high)`. A part is its number in [`Parts`]; a part the parent `cur` has
/// too keeps the parent's number.
fn encode<P: Protocol>(parts: &mut Parts<P>, frozen: &Frozen<P>, cur: &Current<P>, s: &State<P>, out: &mut Vec<u8>) {
    let tid = parts.tid;
    put(out, s.net.len() as u32);
    put(out, s.timers.len() as u32);
    for (i, slot) in s.slots.iter().enumerate() {
        let ix = if s.slot_h[i] == cur.s.slot_h[i] && *slot == cur.s.slots[i] { cur.slot_ix[i] } else { parts.slots.intern(tid, &frozen.slots[tid].items, slot, s.slot_h[i]) };
        put(out, ix);
    }
    // Both networks are sorted: walk them together to reuse the parent's numbers.
    let mut j = 0;
    for e in &s.net {
        while j < cur.s.net.len() && cur.s.net[j] < *e {
            j += 1;
        }
        let ix = if j < cur.s.net.len() && cur.s.net[j] == *e { cur.net_ix[j] } else { parts.msgs.intern(tid, &frozen.msgs[tid].items, e, stable_hash(e)) };
        put(out, ix);
    }
    for t in &s.timers {
        put(out, parts.timers.intern(tid, &frozen.timers[tid].items, t, stable_hash(t)));
    }
    put(out, if s.ghost_h == cur.s.ghost_h && s.ghost == cur.s.ghost { cur.ghost_ix } else { parts.ghosts.intern(tid, &frozen.ghosts[tid].items, &s.ghost, s.ghost_h) });
    put(out, s.crashes as u32 | (s.cuts as u32) << 8 | (s.split as u32) << 16);
    put(out, s.proposals as u32);
    put(out, (s.proposals >> 32) as u32);
}

/// Decode `w` (one encoded state) into `cur`, reusing its allocations.
fn decode<P: Protocol>(frozen: &Frozen<P>, w: &[u8], cur: &mut Current<P>) {
    let n = cur.s.slots.len();
    let mut k = 0;
    let nn = get(w, &mut k) as usize;
    let nt = get(w, &mut k) as usize;
    for i in 0..n {
        let ix = get(w, &mut k);
        let (slot, h) = lookup(&frozen.slots, ix);
        cur.s.slots[i].clone_from(slot);
        cur.s.slot_h[i] = *h;
        cur.slot_ix[i] = ix;
    }
    cur.s.net.clear();
    cur.net_ix.clear();
    let mut net_h = 0u64;
    for _ in 0..nn {
        let ix = get(w, &mut k);
        let (e, h) = lookup(&frozen.msgs, ix);
        cur.s.net.push(e.clone());
        cur.net_ix.push(ix);
        net_h = net_h.wrapping_add(*h);
    }
    cur.s.net_h = net_h;
    cur.s.timers.clear();
    for _ in 0..nt {
        let ix = get(w, &mut k);
        cur.s.timers.push(lookup(&frozen.timers, ix).0);
    }
    let ix = get(w, &mut k);
    let (g, gh) = lookup(&frozen.ghosts, ix);
    cur.s.ghost.clone_from(g);
    cur.s.ghost_h = *gh;
    cur.ghost_ix = ix;
    let misc = get(w, &mut k);
    cur.s.crashes = misc as u8;
    cur.s.cuts = (misc >> 8) as u8;
    cur.s.split = (misc >> 16) as u16;
    let lo = get(w, &mut k) as u64;
    let hi = get(w, &mut k) as u64;
    cur.s.proposals = lo | hi << 32;
}

// ----- breadth first ---------------------------------------------------------------------

/// A level: its encoded states, back to back, and where each starts.
#[derive(Default)]
struct Level {
    words: Vec<u8>,
    starts: Vec<u32>,
}

impl Level {
    fn len(&self) -> usize {
        self.starts.len()
    }
    fn state(&self, i: usize) -> &[u8] {
        let end = self.starts.get(i + 1).map_or(self.words.len(), |&e| e as usize);
        &self.words[self.starts[i] as usize..end]
    }
    fn bytes(&self) -> u64 {
        (self.words.capacity() + self.starts.capacity() * 4) as u64
    }
}

/// What a chunk of a level produced.
#[derive(Default)]
struct ChunkOut {
    next: Level,
    parents: Vec<u32>,
    moves: Vec<u16>,
}

const CHUNK: usize = 256;

/// Parent links, a block per level: state `i` (≥ 1) has its parent's index and the position
/// of its move among the parent's moves.
#[derive(Default)]
struct Links {
    /// (index of the block's first state, parents, move positions)
    blocks: Vec<(u64, Box<[u32]>, Box<[u16]>)>,
}

impl Links {
    fn push(&mut self, first: u64, parent: Vec<u32>, mv: Vec<u16>) {
        if !parent.is_empty() {
            self.blocks.push((first, parent.into_boxed_slice(), mv.into_boxed_slice()));
        }
    }
    fn get(&self, at: u64) -> (u32, u16) {
        let b = self.blocks.partition_point(|blk| blk.0 <= at) - 1;
        let (first, p, m) = &self.blocks[b];
        let k = (at - first) as usize;
        (p[k], m[k])
    }
    /// The move positions from the initial state to state `at`, then `last`.
    fn path(&self, mut at: u32, last: u16) -> Vec<u16> {
        let mut p = vec![last];
        while at != 0 {
            let (parent, mv) = self.get(at as u64);
            p.push(mv);
            at = parent;
        }
        p.reverse();
        p
    }
    fn bytes(&self) -> u64 {
        self.blocks.iter().map(|b| (b.1.len() * 6 + 32) as u64).sum()
    }
}

/// The smallest `(state index, move position)` with something found, packed, or `u64::MAX`.
struct Found(AtomicU64);
impl Found {
    fn new() -> Self {
        Found(AtomicU64::new(u64::MAX))
    }
    fn offer(&self, at: u64, mv: u16) {
        self.0.fetch_min(at << 16 | mv as u64, Ordering::Relaxed);
    }
    fn get(&self) -> Option<(u32, u16)> {
        let v = self.0.load(Ordering::Relaxed);
        (v != u64::MAX).then(|| ((v >> 16) as u32, v as u16))
    }
    fn state(&self) -> u64 {
        let v = self.0.load(Ordering::Relaxed);
        if v == u64::MAX {
            u64::MAX
        } else {
            v >> 16
        }
    }
}

/// State numbers handed out in blocks, so that exactly `max` states are ever counted with
/// one thread (and at most one more per extra thread).
struct Tickets {
    next: AtomicU64,
    max: u64,
}

struct Ticket {
    at: u64,
    end: u64,
}

impl Tickets {
    /// Count one new state: false when it was the last one allowed.
    fn take(&self, t: &mut Ticket) -> bool {
        if t.at == t.end {
            let a = self.next.fetch_add(1024, Ordering::Relaxed);
            t.at = a;
            t.end = (a + 1024).min(self.max);
            if t.at >= t.end {
                t.at = t.end;
                return false;
            }
        }
        t.at += 1;
        t.at < self.max
    }
}

/// How many threads to use: `n`, or every core when `n` is 0.
pub fn threads(n: usize) -> usize {
    let n = if n == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { n };
    n.clamp(1, MAX_THREADS)
}

/// What the breadth-first search shares between threads while a level runs.
struct Shared<'l, P: Protocol> {
    frozen: &'l Frozen<P>,
    level: &'l Level,
    /// The index of the level's first state.
    first: u64,
    next_chunk: AtomicUsize,
    violation: Found,
    property: Mutex<Option<Property>>,
    chosen: Found,
    chosen_known: bool,
    stop: AtomicBool,
    stopped: Mutex<Option<Stop>>,
    tickets: &'l Tickets,
    transitions: AtomicU64,
    expanded: AtomicU64,
    depth_limit_reached: bool,
}

/// What both searches start with: the initial state, the fingerprint set holding it, the
/// state budget's tickets and a report of one state; or the report of a violation already
/// in the initial state.
fn begin<P: Protocol>(ex: &Explorer<P>, bounds: Bounds, fp_of: &(dyn Fn(&State<P>) -> u64 + Sync)) -> Result<(State<P>, FpSet, Tickets, Searched), Searched> {
    let relevant = |b: &Breach| ex.check_sanity || b.property() != Property::AcceptBelowPromise;
    let (init, breach) = ex.fork().initial();
    let mut r = Searched { states: 1, transitions: 0, max_depth: 0, stop: None, violation: None, chosen: None, bytes: 0 };
    if let Some(b) = breach.filter(relevant) {
        r.violation = Some((b.property(), Vec::new()));
        return Err(r);
    }
    let set = FpSet::new();
    set.insert(fp_of(&init));
    let tickets = Tickets { next: AtomicU64::new(1), max: bounds.max_states.max(1) };
    Ok((init, set, tickets, r))
}

/// Breadth first from the initial state; `max_depth` bounds the paths explored (a violation
/// needs at most that many moves). Returns the report with move positions as paths.
pub(super) fn bfs<P: Protocol>(ex: &Explorer<P>, bounds: Bounds, max_depth: u32, fp_of: &(dyn Fn(&State<P>) -> u64 + Sync)) -> Searched {
    let threads = threads(bounds.threads);
    let relevant = |b: &Breach| ex.check_sanity || b.property() != Property::AcceptBelowPromise;
    let (init, set, tickets, mut r) = match begin(ex, bounds, fp_of) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut frozen = Frozen::<P>::new(threads);
    let mut parts: Vec<Parts<P>> = (0..threads).map(Parts::new).collect();
    let mut links = Links::default();
    // The initial state, encoded against itself.
    let mut level = Level::default();
    {
        let n = init.slots.len();
        let cur = Current { s: init.clone(), slot_ix: vec![u32::MAX; n], net_ix: Vec::new(), ghost_ix: u32::MAX };
        // Nothing is reused: the parent's numbers are all unknown (a fake parent with no
        // network and a ghost hash that cannot match would do the same).
        let mut blank = cur;
        blank.s.net.clear();
        blank.s.ghost_h = !init.ghost_h;
        for h in blank.s.slot_h.iter_mut() {
            *h = !*h;
        }
        level.starts.push(0);
        encode(&mut parts[0], &frozen, &blank, &init, &mut level.words);
        frozen.absorb(&mut parts);
    }
    let mut first: u64 = 0; // index of the level's first state
    let mut count: u64 = 1; // states numbered so far
    let mut depth: u32 = 0;
    let mut chosen_known = false;
    let mut peak: u64 = 0;
    loop {
        r.max_depth = depth;
        let outs: Mutex<Vec<(usize, ChunkOut)>> = Mutex::new(Vec::new());
        let shared = Shared {
            frozen: &frozen,
            level: &level,
            first,
            next_chunk: AtomicUsize::new(0),
            violation: Found::new(),
            property: Mutex::new(None),
            chosen: Found::new(),
            chosen_known,
            stop: AtomicBool::new(false),
            stopped: Mutex::new(None),
            tickets: &tickets,
            transitions: AtomicU64::new(0),
            expanded: AtomicU64::new(0),
            depth_limit_reached: depth + 1 > max_depth,
        };
        let base_bytes = set.bytes() + level.bytes() + links.bytes() + frozen.bytes();
        let work = |parts: &mut Parts<P>| {
            let mut ex = ex.fork();
            level_worker(&mut ex, parts, &shared, &set, &outs, bounds, base_bytes, count, depth, fp_of, &relevant);
        };
        if threads == 1 {
            work(&mut parts[0]);
        } else {
            std::thread::scope(|sc| {
                let work = &work;
                for p in parts.iter_mut() {
                    sc.spawn(move || work(p));
                }
            });
        }
        r.transitions += shared.transitions.load(Ordering::Relaxed);
        let violation = shared.violation.get();
        let property = *shared.property.lock().unwrap_or_else(|e| e.into_inner());
        let stopped = *shared.stopped.lock().unwrap_or_else(|e| e.into_inner());
        if !chosen_known {
            if let Some((at, mv)) = shared.chosen.get() {
                r.chosen = Some(links.path(at, mv));
                chosen_known = true;
            }
        }
        drop(shared);
        let mut outs = outs.into_inner().unwrap_or_else(|e| e.into_inner());
        outs.sort_by_key(|o| o.0);
        if let (Some((at, mv)), Some(p)) = (violation, property) {
            r.violation = Some((p, links.path(at, mv)));
            r.states = set.len();
            r.bytes = peak.max(set.bytes() + level.bytes() + links.bytes() + frozen.bytes());
            return r;
        }
        // The next level, in chunk order (with one thread: the order of a queue).
        let mut next = Level::default();
        let total: usize = outs.iter().map(|o| o.1.next.len()).sum();
        next.starts.reserve_exact(total);
        next.words.reserve_exact(outs.iter().map(|o| o.1.next.words.len()).sum());
        let mut parent = Vec::with_capacity(total);
        let mut mv = Vec::with_capacity(total);
        for (_, mut o) in outs.drain(..) {
            let off = next.words.len() as u32;
            next.starts.extend(o.next.starts.iter().map(|s| s + off));
            next.words.extend_from_slice(&o.next.words);
            parent.append(&mut o.parents);
            mv.append(&mut o.moves);
        }
        drop(outs);
        links.push(count, parent, mv);
        frozen.absorb(&mut parts);
        let now = set.bytes() + level.bytes() + next.bytes() + links.bytes() + frozen.bytes() + parts.iter().map(|p| p.bytes()).sum::<u64>();
        if std::env::var_os("PAXOSCOPE_DEBUG_BYTES").is_some() && now > peak {
            eprintln!("bytes: set {} level {} next {} links {} frozen {} parts {}", set.bytes(), level.bytes(), next.bytes(), links.bytes(), frozen.bytes(), parts.iter().map(|p| p.bytes()).sum::<u64>());
        }
        peak = peak.max(now);
        let stopped = stopped.or_else(|| (bounds.max_memory != 0 && peak >= bounds.max_memory).then_some(Stop::Memory));
        if let Some(s) = stopped {
            r.stop = Some(s);
            break;
        }
        if next.len() == 0 {
            break;
        }
        first += level.len() as u64;
        count += next.len() as u64;
        level = next;
        depth += 1;
    }
    r.states = set.len();
    r.bytes = peak;
    r
}

#[allow(clippy::too_many_arguments)]
fn level_worker<P: Protocol>(
    ex: &mut Explorer<P>,
    parts: &mut Parts<P>,
    sh: &Shared<P>,
    set: &FpSet,
    outs: &Mutex<Vec<(usize, ChunkOut)>>,
    bounds: Bounds,
    base_bytes: u64,
    count: u64,
    depth: u32,
        fp_of: &(dyn Fn(&State<P>) -> u64 + Sync),
    relevant: &(dyn Fn(&Breach) -> bool + Sync),
) {
    let n = P::cluster_size(ex.cfg);
    let (template, _) = ex.initial();
    let mut cur = Current { s: template.clone(), slot_ix: vec![0; n], net_ix: Vec::new(), ghost_ix: 0 };
    let mut next = template;
    let mut moves = Vec::new();
    let mut transitions = 0u64;
    let chunks = sh.level.len().div_ceil(CHUNK);
    loop {
        if sh.stop.load(Ordering::Relaxed) {
            break;
        }
        let c = sh.next_chunk.fetch_add(1, Ordering::Relaxed);
        if c >= chunks {
            break;
        }
        let lo = c * CHUNK;
        let hi = (lo + CHUNK).min(sh.level.len());
        // A violation already found at a smaller index makes this chunk useless.
        if sh.first + lo as u64 > sh.violation.state() {
            break;
        }
        let mut out = ChunkOut::default();
        'states: for i in lo..hi {
            let at = sh.first + i as u64;
            decode(sh.frozen, sh.level.state(i), &mut cur);
            if sh.depth_limit_reached {
                continue;
            }
            // A move that changes nothing leads back here: no need to ask the set.
            let here = fp_of(&cur.s);
            ex.moves(&cur.s, &mut moves);
            next.copy_from(&cur.s);
            for (k, m) in moves.iter().enumerate() {
                next.restore_from(&cur.s);
                transitions += 1;
                let breach = ex.apply(&mut next, m);
                if let Some(b) = breach.filter(|b| relevant(b)) {
                    if at << 16 | k as u64 <= sh.violation.0.load(Ordering::Relaxed) {
                        sh.violation.offer(at, k as u16);
                        let mut p = sh.property.lock().unwrap_or_else(|e| e.into_inner());
                        if sh.violation.get() == Some((at as u32, k as u16)) {
                            *p = Some(b.property());
                        }
                    }
                    break 'states;
                }
                if !sh.chosen_known && !reached(&cur.s.ghost) && reached(&next.ghost) {
                    sh.chosen.offer(at, k as u16);
                }
                let fp = fp_of(&next);
                if fp == here {
                    continue;
                }
                if set.insert(fp) {
                    out.next.starts.push(out.next.words.len() as u32);
                    encode(parts, sh.frozen, &cur, &next, &mut out.next.words);
                    out.parents.push(at as u32);
                    out.moves.push(k as u16);
                    if !sh.tickets.take(&mut parts.ticket) {
                        *sh.stopped.lock().unwrap_or_else(|e| e.into_inner()) = Some(Stop::States);
                        sh.stop.store(true, Ordering::Relaxed);
                        break 'states;
                    }
                }
            }
        }
        sh.expanded.fetch_add((hi - lo) as u64, Ordering::Relaxed);
        outs.lock().unwrap_or_else(|e| e.into_inner()).push((c, out));
        parts.since += (hi - lo) as u64;
        if parts.tid == 0 && parts.since >= progress_every(bounds) {
            parts.since = 0;
            let bytes = base_bytes + parts.bytes();
            let states = sh.tickets.next.load(Ordering::Relaxed).min(sh.tickets.max);
            let p = Progress {
                states: states.max(count),
                transitions: sh.transitions.load(Ordering::Relaxed) + transitions,
                depth,
                level_done: sh.expanded.load(Ordering::Relaxed),
                level_size: sh.level.len() as u64,
                bytes: bytes.max(set.bytes()),
            };
            if bounds.max_memory != 0 && set.bytes() + base_bytes >= bounds.max_memory {
                *sh.stopped.lock().unwrap_or_else(|e| e.into_inner()) = Some(Stop::Memory);
                sh.stop.store(true, Ordering::Relaxed);
            }
            if let Some(f) = bounds.progress {
                if !f(&p) {
                    *sh.stopped.lock().unwrap_or_else(|e| e.into_inner()) = Some(Stop::Cancelled);
                    sh.stop.store(true, Ordering::Relaxed);
                }
            }
        }
    }
    sh.transitions.fetch_add(transitions, Ordering::Relaxed);
}

/// Run `work(t)` for every thread `t` of `threads`, on this thread when there is one (so a
/// one-thread search spawns nothing: WebAssembly has no threads).
fn on_threads(threads: usize, work: &(dyn Fn(usize) + Sync)) {
    if threads == 1 {
        work(0);
    } else {
        std::thread::scope(|sc| {
            for t in 0..threads {
                sc.spawn(move || work(t));
            }
        });
    }
}

/// What a search found, with paths as move positions ([`replay_positions`] makes them moves).
pub(super) struct Searched {
    pub states: u64,
    pub transitions: u64,
    pub max_depth: u32,
    pub stop: Option<Stop>,
    pub violation: Option<(Property, Vec<u16>)>,
    pub chosen: Option<Vec<u16>>,
    /// The most bytes the engine's tables held.
    pub bytes: u64,
}

/// The moves of a path given as move positions, replayed from the initial state.
pub(super) fn replay_positions<P: Protocol>(ex: &Explorer<P>, path: &[u16]) -> Vec<Move<P>> {
    let mut ex = ex.fork();
    let (mut s, _) = ex.initial();
    let mut moves = Vec::new();
    let mut out = Vec::with_capacity(path.len());
    for &k in path {
        ex.moves(&s, &mut moves);
        let m = moves[k as usize].clone();
        ex.apply(&mut s, &m);
        out.push(m);
    }
    out
}

// ----- depth first -----------------------------------------------------------------------

struct Frame<P: Protocol> {
    s: State<P>,
    moves: Vec<Move<P>>,
    next: usize,
}

struct Pool<P: Protocol> {
    /// New states (already counted) to explore, with their paths.
    roots: Vec<(State<P>, Vec<u16>)>,
    idle: usize,
    done: bool,
}

/// Depth first on every thread.
pub(super) fn dfs<P: Protocol>(ex: &Explorer<P>, bounds: Bounds, fp_of: &(dyn Fn(&State<P>) -> u64 + Sync)) -> Searched {
    let threads = threads(bounds.threads);
    let relevant = |b: &Breach| ex.check_sanity || b.property() != Property::AcceptBelowPromise;
    let (init, set, tickets, mut r) = match begin(ex, bounds, fp_of) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let pool = Mutex::new(Pool { roots: vec![(init, Vec::new())], idle: 0, done: false });
    let wake = Condvar::new();
    let stop = AtomicBool::new(false);
    let result: Mutex<(Option<(Property, Vec<u16>)>, Option<Vec<u16>>, Option<Stop>)> = Mutex::new((None, None, None));
    let transitions = AtomicU64::new(0);
    let max_depth = AtomicU64::new(0);
    let work = |tid: usize| {
        let mut ex = ex.fork();
        let (template, _) = ex.initial();
        let mut stack: Vec<Frame<P>> = Vec::new();
        let mut spare: Vec<Frame<P>> = Vec::new();
        let mut prefix: Vec<u16>;
        let mut next = template.clone();
        let mut ticket = Ticket { at: 0, end: 0 };
        let mut steps = 0u64;
        let mut since = 0u64;
        let mut chosen_seen = false;
        'outer: loop {
            // Take a root.
            {
                let mut p = pool.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if p.done || stop.load(Ordering::Relaxed) {
                        break 'outer;
                    }
                    if let Some((s, path)) = p.roots.pop() {
                        let mut f = spare.pop().unwrap_or_else(|| Frame { s: template.clone(), moves: Vec::new(), next: 0 });
                        f.s = s;
                        prefix = path;
                        stack.push(f);
                        break;
                    }
                    p.idle += 1;
                    if p.idle == threads {
                        p.done = true;
                        wake.notify_all();
                        break 'outer;
                    }
                    p = wake.wait(p).unwrap_or_else(|e| e.into_inner());
                    p.idle -= 1;
                }
            }
            {
                let top = stack.last_mut().expect("a root");
                ex.moves(&top.s, &mut top.moves);
                top.next = 0;
            }
            while let Some(top) = stack.last_mut() {
                if top.next == top.moves.len() {
                    spare.push(stack.pop().expect("a frame"));
                    continue;
                }
                let k = top.next;
                top.next += 1;
                next.copy_from(&top.s);
                steps += 1;
                let breach = ex.apply(&mut next, &top.moves[k]);
                let path_here = |stack: &[Frame<P>]| {
                    let mut path = prefix.clone();
                    path.extend(stack.iter().map(|f| (f.next - 1) as u16));
                    path
                };
                if let Some(b) = breach.filter(|b| relevant(b)) {
                    let mut res = result.lock().unwrap_or_else(|e| e.into_inner());
                    if res.0.is_none() {
                        res.0 = Some((b.property(), path_here(&stack)));
                    }
                    stop.store(true, Ordering::Relaxed);
                    pool.lock().unwrap_or_else(|e| e.into_inner()).done = true;
                    wake.notify_all();
                    break 'outer;
                }
                if !chosen_seen && !reached(&stack.last().expect("a frame").s.ghost) && reached(&next.ghost) {
                    chosen_seen = true;
                    let mut res = result.lock().unwrap_or_else(|e| e.into_inner());
                    if res.1.is_none() {
                        res.1 = Some(path_here(&stack));
                    }
                }
                if set.insert(fp_of(&next)) {
                    let last = !tickets.take(&mut ticket);
                    let mut f = spare.pop().unwrap_or_else(|| Frame { s: template.clone(), moves: Vec::new(), next: 0 });
                    f.s.copy_from(&next);
                    ex.moves(&f.s, &mut f.moves);
                    f.next = 0;
                    stack.push(f);
                    max_depth.fetch_max((prefix.len() + stack.len() - 1) as u64, Ordering::Relaxed);
                    if last {
                        result.lock().unwrap_or_else(|e| e.into_inner()).2 = Some(Stop::States);
                        stop.store(true, Ordering::Relaxed);
                        pool.lock().unwrap_or_else(|e| e.into_inner()).done = true;
                        wake.notify_all();
                        break 'outer;
                    }
                }
                since += 1;
                if since >= 1024 {
                    since = 0;
                    if stop.load(Ordering::Relaxed) {
                        break 'outer;
                    }
                    // Share work with idle threads: the untried moves nearest the root.
                    let mut p = pool.lock().unwrap_or_else(|e| e.into_inner());
                    if p.idle > 0 && p.roots.is_empty() {
                        if let Some(d) = stack.iter().position(|f| f.moves.len() >= f.next + 2) {
                            let base: Vec<u16> = {
                                let mut b = prefix.clone();
                                b.extend(stack[..d].iter().map(|f| (f.next - 1) as u16));
                                b
                            };
                            let f = &mut stack[d];
                            // Leave this thread the next move, give the rest away.
                            let give: Vec<usize> = (f.next + 1..f.moves.len()).collect();
                            for k in give {
                                let mut s = f.s.clone();
                                let breach = ex.apply(&mut s, &f.moves[k]);
                                steps += 1;
                                if let Some(b) = breach.filter(|b| relevant(b)) {
                                    let mut path = base.clone();
                                    path.push(k as u16);
                                    let mut res = result.lock().unwrap_or_else(|e| e.into_inner());
                                    if res.0.is_none() {
                                        res.0 = Some((b.property(), path));
                                    }
                                    stop.store(true, Ordering::Relaxed);
                                    p.done = true;
                                    wake.notify_all();
                                    break 'outer;
                                }
                                if set.insert(fp_of(&s)) {
                                    let _ = tickets.take(&mut ticket);
                                    let mut path = base.clone();
                                    path.push(k as u16);
                                    p.roots.push((s, path));
                                }
                            }
                            f.moves.truncate(f.next + 1);
                            wake.notify_all();
                        }
                    }
                    drop(p);
                    if tid == 0 && steps % progress_every(bounds) < 1024.min(progress_every(bounds)) {
                        if let Some(f) = bounds.progress {
                            let pr = Progress { states: set.len(), transitions: steps, depth: max_depth.load(Ordering::Relaxed) as u32, level_done: 0, level_size: 0, bytes: set.bytes() };
                            if !f(&pr) {
                                result.lock().unwrap_or_else(|e| e.into_inner()).2 = Some(Stop::Cancelled);
                                stop.store(true, Ordering::Relaxed);
                            }
                        }
                        if bounds.max_memory != 0 && set.bytes() >= bounds.max_memory {
                            result.lock().unwrap_or_else(|e| e.into_inner()).2 = Some(Stop::Memory);
                            stop.store(true, Ordering::Relaxed);
                        }
                        if stop.load(Ordering::Relaxed) {
                            pool.lock().unwrap_or_else(|e| e.into_inner()).done = true;
                            wake.notify_all();
                            break 'outer;
                        }
                    }
                }
            }
        }
        transitions.fetch_add(steps, Ordering::Relaxed);
    };
    on_threads(threads, &work);
    let (violation, chosen, stopped) = result.into_inner().unwrap_or_else(|e| e.into_inner());
    r.states = set.len();
    r.transitions = transitions.load(Ordering::Relaxed);
    r.max_depth = max_depth.load(Ordering::Relaxed) as u32;
    r.violation = violation;
    r.chosen = chosen;
    r.stop = if r.violation.is_some() { None } else { stopped };
    r.bytes = set.bytes();
    r
}

// ----- random walks ----------------------------------------------------------------------

/// Seeded random walks of at most `len` moves, `walks` of them in all: the first violation
/// met, its moves shortened (dropped while the violation remains).
pub(super) fn random_walks<P: Protocol>(ex: &Explorer<P>, threads_n: usize, walks: u64, len: u32, seed: u64) -> Option<Vec<Move<P>>> {
    let threads = threads(threads_n);
    let relevant = |b: &Breach| ex.check_sanity || b.property() != Property::AcceptBelowPromise;
    let found: Mutex<Option<(u64, Property, Vec<Move<P>>)>> = Mutex::new(None);
    let next_walk = AtomicU64::new(0);
    let work = |_tid: usize| {
        let mut ex = ex.fork();
        let (init, _) = ex.initial();
        let mut s = init.clone();
        let mut moves = Vec::new();
        let mut path: Vec<Move<P>> = Vec::new();
        loop {
            let w = next_walk.fetch_add(1, Ordering::Relaxed);
            if w >= walks || found.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_some_and(|f| f.0 < w) {
                break;
            }
            // One generator per walk, so the walks are the same with any number of threads.
            let mut rng = crate::sim::rng::Rng::new(seed ^ w.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            s.copy_from(&init);
            path.clear();
            // Swarm testing (Groce et al.): every other walk leaves out a random few kinds
            // of move (never deliveries), so that walks which, say, never drop or duplicate
            // go deeper into the protocol than uniform choice over every move would.
            let swarm = if w % 2 == 0 { u64::MAX } else { rng.below(1 << KINDS) | 1 << DELIVER };
            for _ in 0..len {
                ex.moves(&s, &mut moves);
                let allowed = moves.iter().filter(|m| swarm >> kind(m) & 1 != 0).count();
                if allowed == 0 && moves.is_empty() {
                    break;
                }
                let m = if allowed == 0 {
                    moves[rng.below(moves.len() as u64) as usize].clone()
                } else {
                    let i = rng.below(allowed as u64) as usize;
                    moves.iter().filter(|m| swarm >> kind(m) & 1 != 0).nth(i).unwrap().clone()
                };
                let b = ex.apply(&mut s, &m);
                path.push(m);
                if let Some(b) = b.filter(|b| relevant(b)) {
                    let mut f = found.lock().unwrap_or_else(|e| e.into_inner());
                    if f.as_ref().is_none_or(|f| f.0 > w) {
                        *f = Some((w, b.property(), path.clone()));
                    }
                    break;
                }
            }
        }
    };
    on_threads(threads, &work);
    let (_, property, path) = found.into_inner().unwrap_or_else(|e| e.into_inner())?;
    Some(shorten(ex, property, path))
}

/// How many kinds of move [`kind`] tells apart, and the kind of a delivery.
const KINDS: u32 = 8;
const DELIVER: u32 = 1;

/// A move's kind, for the swarm of [`random_walks`].
fn kind<P: Protocol>(m: &Move<P>) -> u32 {
    match m {
        Move::Propose(..) => 0,
        Move::Deliver(_) => DELIVER,
        Move::Drop(_) => 2,
        Move::Fire(..) => 3,
        Move::Crash(_) => 4,
        Move::Restart(_) => 5,
        Move::Cut(_) => 6,
        Move::Heal => 7,
    }
}

/// Whether `path` replays (every move enabled where it is made) and breaks `property`.
fn breaks<P: Protocol>(ex: &mut Explorer<P>, property: Property, path: &[Move<P>]) -> bool {
    let sanity = ex.check_sanity;
    let relevant = |b: &Breach| sanity || b.property() != Property::AcceptBelowPromise;
    let (mut s, _) = ex.initial();
    let mut moves = Vec::new();
    for (i, m) in path.iter().enumerate() {
        ex.moves(&s, &mut moves);
        if !moves.contains(m) {
            return false;
        }
        let b = ex.apply(&mut s, m);
        if let Some(b) = b.filter(|b| relevant(b)) {
            return i + 1 == path.len() && b.property() == property;
        }
    }
    false
}

/// Drop moves one at a time, last first, while the rest still breaks `property`; repeat
/// until no single move can go.
fn shorten<P: Protocol>(ex: &Explorer<P>, property: Property, mut path: Vec<Move<P>>) -> Vec<Move<P>> {
    let mut ex = ex.fork();
    loop {
        let before = path.len();
        let mut i = path.len();
        while i > 0 {
            i -= 1;
            if i + 1 == path.len() {
                continue; // the last move is the one that breaks it
            }
            let mut shorter = path.clone();
            shorter.remove(i);
            if breaks(&mut ex, property, &shorter) {
                path = shorter;
            }
        }
        if path.len() == before {
            return path;
        }
    }
}

#[allow(dead_code)]
fn _assert_send<P: Protocol>() {
    fn send<T: Send + Sync>() {}
    send::<Report<P>>();
}
