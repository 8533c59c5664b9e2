//! Livelock: "this cycle repeats forever and no value is ever chosen".
//!
//! Dueling proposers (*Paxos Made Simple* §2.4) can preempt each other forever: after a few
//! moves the whole state is an earlier state with every ballot a few rounds higher, and
//! nothing is chosen. With a round bound the explored graph has no such cycle (rounds only
//! grow), so the search is modulo a round shift ([`Protocol::shift_rounds`]): a state is
//! *normalized* by moving every round down until the lowest is the first round a ballot can
//! have, and the search runs over normalized states, the round bound bounding the rounds'
//! spread. A shift preserves every comparison of ballots, so transitions commute with it:
//! a path of normalized states is a real path with each move shifted up by the rounds
//! removed before it. The ghost (history) is not part of a normalized state.
//!
//! The search is depth first with the states on the current path marked: a move back to a
//! normalized state on the path closes a cycle. States where a value is chosen (or a commit
//! protocol decided) end a path. A cycle found is a *lasso*: the moves from the start to
//! the cycle's first state, and the cycle's moves, which end in that state with every round
//! `k >= 0` higher. The lasso is checked before it is reported: its moves are replayed in
//! the explorer without a round bound, the cycle several times over (until a ballot's
//! acceptances could no longer span two turns), each turn ending in the cycle's first state
//! shifted by `k` once more, with no value chosen.
//!
//! Fairness: a timer fires only while no message from or to its node is in flight (its
//! timeout is longer than a message's delay, so a proposer retries only once its round's
//! messages have arrived, answered or ignored). Without that rule a lone proposer whose
//! retry timer fires before its promises arrive "livelocks" too: a timeout shorter than a
//! round trip, not a duel. Faults (drops, crashes, partitions) stay as the bounds allow;
//! crashes and partitions are counted, so they cannot be part of a cycle, but drops can.

use std::collections::HashMap;

use super::explorer::{fingerprint_of, reached, Bounds, Envelope, Explorer, Identity, Move, Proposals, State};
use crate::protocol::{NodeId, Outbox, Protocol};
use crate::sim::hash::stable_hash;
use crate::sim::world::Slot;

/// What the search found, in explored moves (see [`crate::protocols::livelock_from`] for
/// the replayed form).
pub struct Found<P: Protocol> {
    /// Unique normalized states visited.
    pub states: u64,
    /// Every normalized state reachable within the bounds was visited.
    pub complete: bool,
    /// A value was already chosen (or an outcome decided) at the start: nothing searched.
    pub decided: bool,
    /// A lasso, if one was found.
    pub lasso: Option<LassoMoves<P>>,
}

/// A lasso in real (un-normalized) moves: `prefix` from the start to the cycle's first
/// state, then `cycle`, which ends in that state with every round `shift` higher. The next
/// turn is `cycle` with every round raised by `shift` ([`shift_move`]).
pub struct LassoMoves<P: Protocol> {
    pub prefix: Vec<Move<P>>,
    pub cycle: Vec<Move<P>>,
    pub shift: u32,
}

/// The state moved by `by` rounds (see [`Protocol::shift_rounds`]) and how far down the
/// result could still move; `None` if the protocol has no round shift.
fn shifted<P: Protocol>(cfg: &P::Config, s: &State<P>, by: i64) -> Option<(State<P>, u32)> {
    let mut room = u32::MAX;
    let mut t = s.clone();
    for slot in t.slots.iter_mut() {
        *slot = match &*slot {
            Slot::Up(n) => Slot::Up(n.shift_rounds(cfg, by, &mut room)?),
            Slot::Down(d) => Slot::Down(P::shift_rounds_durable(cfg, d, by, &mut room)?),
        };
    }
    let mut net = Vec::with_capacity(t.net.len());
    for e in &t.net {
        net.push(Envelope { from: e.from, to: e.to, msg: P::shift_rounds_msg(cfg, &e.msg, by, &mut room)? });
    }
    net.sort();
    t.net_h = net.iter().fold(0u64, |h, e| h.wrapping_add(stable_hash(e)));
    t.net = net;
    for id in 1..=t.slots.len() as NodeId {
        t.rehash_slot(id);
    }
    t.dirty = 0;
    // No round anywhere: nothing to move.
    Some((t, if room == u32::MAX { 0 } else { room }))
}

/// A state normalized (its lowest round moved to the first round) and by how many rounds
/// it was moved down; `None` if the protocol has no round shift.
fn normalize<P: Protocol>(cfg: &P::Config, s: &State<P>) -> Option<(State<P>, u32)> {
    let (same, room) = shifted(cfg, s, 0)?;
    if room == 0 {
        return Some((same, 0));
    }
    let (t, _) = shifted(cfg, s, -i64::from(room))?;
    Some((t, room))
}

/// A normalized state's fingerprint: everything but the ghost.
fn fingerprint<P: Protocol>(s: &State<P>) -> u64 {
    fingerprint_of::<P>(&s.slot_h, s.net_h, 0, &s.timers, s.crashes, s.proposals, s.split, s.cuts)
}

/// A move with every round it names moved by `by`.
pub fn shift_move<P: Protocol>(cfg: &P::Config, m: &Move<P>, by: i64) -> Move<P> {
    let env = |e: &Envelope<P::Msg>| {
        let mut room = 0;
        Envelope { from: e.from, to: e.to, msg: P::shift_rounds_msg(cfg, &e.msg, by, &mut room).unwrap_or_else(|| e.msg.clone()) }
    };
    match m {
        Move::Deliver(e) => Move::Deliver(env(e)),
        Move::Drop(e) => Move::Drop(env(e)),
        other => other.clone(),
    }
}

/// The moves the search takes from `s`: the explorer's, a timer only while no message from
/// or to its node is in flight (see the module's fairness rule).
fn fair_moves<P: Protocol>(ex: &Explorer<P>, s: &State<P>, into: &mut Vec<Move<P>>) {
    ex.moves(s, into);
    into.retain(|m| match m {
        Move::Fire(id, _) => !s.net.iter().any(|e| e.from == *id || e.to == *id),
        _ => true,
    });
}

/// Whether `m` can be taken in `s` (the explorer's `apply` expects it).
fn enabled<P: Protocol>(ex: &Explorer<P>, s: &State<P>, m: &Move<P>) -> bool {
    let mut moves = Vec::new();
    fair_moves(ex, s, &mut moves);
    moves.contains(m)
}

struct Frame<P: Protocol> {
    /// Normalized.
    s: State<P>,
    /// Rounds removed so far: the real state is `s` moved up by this much.
    offset: u64,
    moves: Vec<Move<P>>,
    next: usize,
    /// The real move into this state (none for the start).
    via: Option<Move<P>>,
}

/// The fewest real moves from the normalized start `(n0, its offset)` to the normalized
/// state with fingerprint `target` (breadth first over normalized states, through no state
/// where a value is chosen), and the rounds removed on the way; `None` if not found within
/// `max_states` states.
fn shortest_way_in<P: Protocol>(ex: &mut Explorer<P>, cfg: &P::Config, (n0, d0): (&State<P>, u64), target: u64, max_states: u64) -> Option<(Vec<Move<P>>, u64)> {
    // Per fingerprint: the parent's fingerprint and the real move from it (none: the start).
    let mut parent: HashMap<u64, Option<(u64, Move<P>)>, std::hash::BuildHasherDefault<Identity>> = HashMap::default();
    let f0 = fingerprint(n0);
    parent.insert(f0, None);
    let mut level = vec![(n0.clone(), d0, f0)];
    let mut moves = Vec::new();
    let mut found = (f0 == target).then_some(d0);
    while found.is_none() && !level.is_empty() {
        let mut next = Vec::new();
        'level: for (s, offset, f) in &level {
            moves.clear();
            fair_moves(ex, s, &mut moves);
            for m in &moves {
                let mut child = s.clone();
                ex.apply(&mut child, m);
                if reached(&child.ghost) {
                    continue;
                }
                let (norm, down) = normalize(cfg, &child)?;
                let fc = fingerprint(&norm);
                if parent.contains_key(&fc) {
                    continue;
                }
                parent.insert(fc, Some((*f, shift_move(cfg, m, *offset as i64))));
                let o = offset + u64::from(down);
                if fc == target {
                    found = Some(o);
                    break 'level;
                }
                if parent.len() as u64 >= max_states {
                    return None;
                }
                next.push((norm, o, fc));
            }
        }
        level = next;
    }
    let o = found?;
    let mut path = Vec::new();
    let mut at = target;
    while let Some(Some((p, m))) = parent.get(&at) {
        path.push(m.clone());
        at = *p;
    }
    path.reverse();
    Some((path, o))
}

/// Search for a lasso from `start` (the protocol's initial state when `None`), on `cfg`
/// (its round bound bounding the normalized rounds, which then span at most `spread`
/// rounds); `real` is the same configuration without a round bound, on which a lasso found
/// is checked. `Err`: the protocol has no round shift, or a lasso failed its check (a bug).
pub(crate) fn search<P: Protocol>(cfg: &P::Config, real: &P::Config, values: &Proposals, bounds: Bounds, spread: u32, start: Option<&State<P>>) -> Result<Found<P>, String> {
    let unsupported = || "livelock search is for single-decree Paxos: this protocol has no round shift".to_string();
    let bounds = Bounds { proposals: bounds.proposals.min(super::explorer::MAX_PROPOSALS), ..bounds };
    let mut ex = Explorer::<P> { cfg, bounds, values, out: Outbox::default(), check_sanity: false, start, only: None };
    let (init, _) = ex.initial();
    let (n0, d0) = normalize(cfg, &init).ok_or_else(unsupported)?;
    let mut found = Found { states: 1, complete: true, decided: reached(&init.ghost), lasso: None };
    if found.decided {
        return Ok(found);
    }
    // Per normalized fingerprint: its index on the stack, or DONE once left.
    const DONE: usize = usize::MAX;
    let mut seen: HashMap<u64, usize, std::hash::BuildHasherDefault<Identity>> = HashMap::default();
    seen.insert(fingerprint(&n0), 0);
    let mut moves = Vec::new();
    fair_moves(&ex, &n0, &mut moves);
    let mut stack = vec![Frame { s: n0.clone(), offset: u64::from(d0), moves, next: 0, via: None }];
    let mut child = init.clone();
    while let Some(top) = stack.last_mut() {
        if top.next == top.moves.len() {
            let done = stack.pop().expect("a frame");
            seen.insert(fingerprint(&done.s), DONE);
            continue;
        }
        let m = top.moves[top.next].clone();
        top.next += 1;
        let offset = top.offset;
        child.copy_from(&top.s);
        ex.apply(&mut child, &m);
        if reached(&child.ghost) {
            continue;
        }
        let (norm, down) = normalize(cfg, &child).ok_or_else(unsupported)?;
        let fp = fingerprint(&norm);
        let real_move = shift_move(cfg, &m, offset as i64);
        match seen.get(&fp).copied() {
            Some(DONE) => {}
            Some(at) => {
                let prefix: Vec<Move<P>> = stack[1..=at].iter().map(|f| f.via.clone().expect("a move into it")).collect();
                let mut cycle: Vec<Move<P>> = stack[at + 1..].iter().map(|f| f.via.clone().expect("a move into it")).collect();
                cycle.push(real_move);
                let shift = (offset + u64::from(down) - stack[at].offset) as u32;
                let lasso = LassoMoves { prefix, cycle, shift };
                match verify(real, bounds, values, &init, &lasso, spread) {
                    Ok(()) => {
                        found.states = seen.len() as u64;
                        found.complete = false;
                        // Depth first wanders: the way into the cycle is shortened breadth
                        // first, and kept only if the shorter lasso passes the same check.
                        let (a, a_offset) = (stack[at].s.clone(), stack[at].offset);
                        let lasso = match shortest_way_in(&mut ex, cfg, (&n0, u64::from(d0)), fingerprint(&a), bounds.max_states) {
                            Some((prefix, o)) if prefix.len() < lasso.prefix.len() => {
                                let cycle = lasso.cycle.iter().map(|m| shift_move(cfg, m, o as i64 - a_offset as i64)).collect();
                                let short = LassoMoves { prefix, cycle, shift: lasso.shift };
                                if verify(real, bounds, values, &init, &short, spread).is_ok() { short } else { lasso }
                            }
                            _ => lasso,
                        };
                        found.lasso = Some(lasso);
                        return Ok(found);
                    }
                    // A value gets chosen in a later turn (acceptances of one ballot spread
                    // over turns): not a livelock; search on.
                    Err(Verdict::Chosen) => {}
                    Err(Verdict::Broken(why)) => return Err(format!("internal error: a lasso failed its check: {why}")),
                }
            }
            None => {
                if seen.len() as u64 >= bounds.max_states {
                    found.states = seen.len() as u64;
                    found.complete = false;
                    return Ok(found);
                }
                seen.insert(fp, stack.len());
                if let Some(f) = bounds.progress {
                    if seen.len() as u64 % super::engine::progress_every(bounds) == 0 {
                        let p = super::Progress { states: seen.len() as u64, transitions: 0, depth: stack.len() as u32, level_done: 0, level_size: 0, bytes: 0 };
                        if !f(&p) {
                            found.states = seen.len() as u64;
                            found.complete = false;
                            return Ok(found);
                        }
                    }
                }
                let mut moves = Vec::new();
                fair_moves(&ex, &norm, &mut moves);
                stack.push(Frame { s: norm, offset: offset + u64::from(down), moves, next: 0, via: Some(real_move) });
            }
        }
    }
    found.states = seen.len() as u64;
    Ok(found)
}

enum Verdict {
    /// A value is chosen in some turn: the cycle does not repeat forever without a decision.
    Chosen,
    /// The lasso does not replay as found (a bug in the search or in a round shift).
    Broken(String),
}

/// Replay the lasso on the unbounded configuration: the prefix, then the cycle turn after
/// turn (each time shifted `shift` rounds more), checking each turn ends in the cycle's first
/// state shifted once more, with nothing chosen.
fn verify<P: Protocol>(real: &P::Config, bounds: Bounds, values: &Proposals, init: &State<P>, lasso: &LassoMoves<P>, spread: u32) -> Result<(), Verdict> {
    let mut rx = Explorer::<P> { cfg: real, bounds, values, out: Outbox::default(), check_sanity: false, start: None, only: None };
    let mut s = init.clone();
    let step = |rx: &mut Explorer<P>, s: &mut State<P>, m: &Move<P>, what: &str, i: usize| -> Result<(), Verdict> {
        if !enabled(rx, s, m) {
            return Err(Verdict::Broken(format!("{what} move {} ({m:?}) is not possible", i + 1)));
        }
        rx.apply(s, m);
        if reached(&s.ghost) {
            return Err(Verdict::Chosen);
        }
        Ok(())
    };
    for (i, m) in lasso.prefix.iter().enumerate() {
        step(&mut rx, &mut s, m, "prefix", i)?;
    }
    let first = s.clone();
    // Acceptances of one ballot can span at most spread / shift + 1 turns.
    let turns = spread.checked_div(lasso.shift).map_or(2, |t| (t + 2).min(64));
    for turn in 0..turns {
        let by = i64::from(lasso.shift) * i64::from(turn);
        for (i, m) in lasso.cycle.iter().enumerate() {
            step(&mut rx, &mut s, &shift_move(real, m, by), "cycle", i)?;
        }
        let (want, _) = shifted(real, &first, by + i64::from(lasso.shift)).ok_or_else(|| Verdict::Broken("no round shift".into()))?;
        if fingerprint(&want) != fingerprint(&s) {
            return Err(Verdict::Broken(format!("turn {} of the cycle does not end in its first state shifted by {} rounds", turn + 1, by + i64::from(lasso.shift))));
        }
    }
    Ok(())
}
