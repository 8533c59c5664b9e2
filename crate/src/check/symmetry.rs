//! Symmetry reduction: states that differ only by a renaming of interchangeable nodes are
//! counted once.
//!
//! **Which nodes.** A protocol declares groups of interchangeable nodes
//! ([`Protocol::symmetric`]). Single-decree Paxos declares the nodes without the proposer
//! role, grouped by role mix (all acceptor-and-learner nodes are one group). Proposers are
//! never in a group: a ballot is `round.node`, so ballots order proposers by id, and each
//! proposer is asked for values of its own. The explorer also drops from a group any node a
//! client may ask to propose ([`super::explorer::Proposals`]), since its values are its own.
//!
//! **Renaming.** A permutation `π` of node ids that maps every group onto itself acts on a
//! state: node `i`'s state, renamed ([`Protocol::rename`]: its own id and every id it
//! holds), moves to slot `π(i)`; every envelope's sender, receiver and message are renamed;
//! so are the armed timers (re-sorted), the per-node proposal counts, the partition (kept
//! as the side holding node 1) and the ghost history ([`super::invariants::Ghost::renamed`]: acceptor sets,
//! leaders, vote sets). Crash and partition budgets hold no ids.
//!
//! **Soundness.** Write `π·s` for the renamed state and `π·m` for a renamed move. The
//! reduction rests on `π` being an automorphism of the explored transition system:
//! 1. *The initial state is invariant*: `π·s₀ = s₀`. Members of a group start alike (same
//!    roles, same options, the configuration is symmetric in them) up to their ids, and no
//!    message, timer or history names them yet beyond that.
//! 2. *Transitions commute with renaming*: the moves of `π·s` are exactly the renamed moves
//!    of `s`, and applying `π·m` to `π·s` gives `π·(s after m)`, with the same breach (up to
//!    the node it names). This holds because a node's handlers use ids only as opaque
//!    names (replying to `from`, counting a sender in a set, comparing sets' sizes with a
//!    quorum) and read the configuration only through role sets that `π` leaves unchanged;
//!    the explorer's own choices (which message to deliver or drop, which timer to fire,
//!    whom to crash, how to split the network, which reductions drop or remove a message)
//!    treat every node alike. For Paxos the only ordering of ids is between ballots, and a
//!    ballot's node is a proposer, which `π` fixes.
//! 3. *The properties are invariant*: "only a proposed value is chosen", "at most one value
//!    is chosen", "learned only if chosen", "accepts only at or above its promise" and
//!    "something is chosen" (the sometimes property) are judged on values, ballots and the
//!    sizes of acceptor sets, none of which renaming changes.
//!
//! By (1) and (2), by induction on length, `s₀ m₁ … mₖ` is a path iff `s₀ π·m₁ … π·mₖ` is,
//! ending in `π·s`. So the states reachable in `k` moves are closed under renaming, and a
//! state whose renaming was already visited has, move for move, renamed successors of its
//! own: exploring one state per orbit (the set `{π·s}`) reaches every orbit, and by (3) a
//! state violates a property iff every state of its orbit does. Breadth first, the first
//! level containing a violating orbit is the first level containing a violating state, so
//! the verdict and the shortest counterexample length are those of the full search. The
//! engine stores and replays actual states and moves; only the visited set sees orbits, so
//! a counterexample is a real run of the protocol, not a renamed one. Depth-first search and
//! the state budget count orbits. `tests/symmetry.rs` checks, on every tiny configuration,
//! that verdicts and counterexample lengths agree with and without symmetry, and this
//! module's tests check premise (2) against the code: for every reachable state of a small
//! cluster and every move, renaming then moving equals moving then renaming.
//!
//! **Canonical fingerprint.** The visited set keys on [`Symmetry::fingerprint`], a value
//! equal for every state of an orbit and (up to hash collisions, as for plain fingerprints)
//! different for different orbits. Each member `j` of a group gets a *signature*: a hash of
//! what it looks like with the group's ids merged into one (its state renamed by a map
//! sending every member to the group's lowest id, the messages it sends and receives, its
//! timers and proposal count, which recorded acceptances and votes include it). Signatures
//! are invariant: the node at `π(j)` in `π·s` has the signature `j` has in `s`. The
//! candidates are the permutations that sort each group by signature (the `k`-th lowest
//! signature to the group's `k`-th lowest id), every order of tied members included; the
//! canonical fingerprint is the least plain fingerprint of the candidates' renamed states.
//! For `ρ·s` the candidate renamed states are the same set (a candidate `π` for `s` is
//! `π∘ρ⁻¹` for `ρ·s`), so the minimum is the same: the form is exact, not a heuristic. Most
//! states have distinct signatures and one candidate; a state with `t` tied members has `t!`.
//! The renamed parts are hashed as [`State::fingerprint`] hashes the cached ones, so a
//! candidate that is the identity costs nothing.

use std::hash::Hasher;

use super::explorer::{fingerprint_of, Proposals, State};
#[cfg(test)]
use super::{explorer::{Envelope, Move}, invariants::Ghost};
use crate::protocol::{bit, members, NodeId, NodeSet, Protocol, Renaming, MAX_NODES};
use crate::sim::hash::{stable_hash, StableHasher};
use crate::sim::world::Slot;

/// The groups of interchangeable nodes a search of `cfg` uses: the protocol's
/// ([`Protocol::symmetric`]) without nodes beyond the cluster or a client may ask to
/// propose (their values are their own), each of at least two nodes.
pub fn groups<P: Protocol>(cfg: &P::Config, values: &Proposals) -> Vec<NodeSet> {
    let n = P::cluster_size(cfg);
    let mut seen: NodeSet = 0;
    let mut out = Vec::new();
    for g in P::symmetric(cfg) {
        let g: NodeSet = members(g).filter(|&id| (id as usize) <= n && values.get(id as usize - 1).map_or(true, |v| v.is_empty())).fold(0, |a, id| a | bit(id)) & !seen;
        if g.count_ones() >= 2 {
            seen |= g;
            out.push(g);
        }
    }
    out
}

/// Node sets as "nodes 3, 4, 5".
pub fn describe(groups: &[NodeSet]) -> String {
    groups
        .iter()
        .map(|&g| {
            let ids: Vec<String> = members(g).map(|i| i.to_string()).collect();
            format!("nodes {}", ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The canonical form of a search with interchangeable nodes.
#[derive(Clone, Debug)]
pub(crate) struct Symmetry {
    /// Each group's ids, ascending.
    groups: Vec<Vec<NodeId>>,
    /// Every member of a group to the group's lowest id (for signatures).
    collapse: Renaming,
    /// Every member of a group to 0 (no node): what a part looks like if it holds no
    /// member's id.
    blank: Renaming,
    /// Every node of some group.
    all: NodeSet,
}

/// How a node's hash changes under the candidate renamings of one state.
#[derive(Clone, Copy)]
enum NodePart {
    /// It holds no member's id and no renaming moves it: its cached hash.
    Fixed(u64),
    /// A member that holds no other member's id: its hash depends only on its new id
    /// (memoised per new id).
    OwnIdOnly,
    /// Anything else: renamed and hashed per candidate.
    Other,
}

/// What one canonicalisation computes once for all its candidates.
struct Prep {
    nodes: [NodePart; MAX_NODES],
    /// Per node, its hash renamed to each new id (with `OwnIdOnly`); `memo_set` says which.
    memo: [[u64; MAX_NODES + 1]; MAX_NODES],
    memo_set: [NodeSet; MAX_NODES],
    /// Per envelope, its message's hash if renaming cannot change the message.
    msgs: Vec<Option<u64>>,
    /// The ghost: (member ids in its node sets, member ids anywhere else).
    ghost: (bool, bool),
    /// No armed timer belongs to a member or holds a member's id.
    timers_fixed: bool,
}

/// A hash of two words (tagging a part of a signature).
#[inline]
fn mix(a: u64, b: u64) -> u64 {
    let mut h = StableHasher::default();
    h.write_u64(a);
    h.write_u64(b);
    h.finish()
}

/// The next permutation in lexicographic order; false (and the slice sorted again) after the
/// last.
fn next_permutation(v: &mut [NodeId]) -> bool {
    if v.len() < 2 {
        return false;
    }
    let mut i = v.len() - 1;
    while i > 0 && v[i - 1] >= v[i] {
        i -= 1;
    }
    if i == 0 {
        v.reverse();
        return false;
    }
    let mut j = v.len() - 1;
    while v[j] <= v[i - 1] {
        j -= 1;
    }
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

impl Symmetry {
    /// The reduction for `cfg`, if it has interchangeable nodes ([`groups`]).
    pub(crate) fn new<P: Protocol>(cfg: &P::Config, values: &Proposals) -> Option<Symmetry> {
        let groups = groups::<P>(cfg, values);
        if groups.is_empty() {
            return None;
        }
        let mut collapse = Renaming::IDENTITY;
        let mut blank = Renaming::IDENTITY;
        let mut all = 0;
        for &g in &groups {
            let low = members(g).next().expect("a group has members");
            for id in members(g) {
                collapse.0[id as usize] = low;
                blank.0[id as usize] = 0;
            }
            all |= g;
        }
        Some(Symmetry { groups: groups.iter().map(|&g| members(g).collect()).collect(), collapse, blank, all })
    }

    /// Each group member's signature, by id: invariant under renaming (see the module docs).
    fn signatures<P: Protocol>(&self, s: &State<P>, prep: &mut Prep) -> [u64; MAX_NODES + 1] {
        let c = &self.collapse;
        let mut sig = [0u64; MAX_NODES + 1];
        for j in members(self.all) {
            let Some(slot) = s.slots.get(j as usize - 1) else { continue };
            let i = j as usize - 1;
            let h = match prep.nodes[i] {
                // Merging the group's ids renames only its own (memoised for the candidates).
                NodePart::OwnIdOnly => memo_hash(slot, prep, i, c.id(j)),
                _ => slot_hash_renamed(slot, c),
            };
            sig[j as usize] = mix(h, s.proposals_of(j) as u64);
        }
        for (e, hm) in s.net.iter().zip(&prep.msgs) {
            let (f, t) = (self.all & bit(e.from) != 0, self.all & bit(e.to) != 0);
            if !f && !t {
                continue;
            }
            let h = envelope_part(hm.unwrap_or_else(|| stable_hash(&P::rename_msg(&e.msg, c))), c.id(e.from), c.id(e.to));
            if f {
                sig[e.from as usize] = sig[e.from as usize].wrapping_add(mix(h, 1));
            }
            if t {
                sig[e.to as usize] = sig[e.to as usize].wrapping_add(mix(h, 2));
            }
        }
        for (id, t) in &s.timers {
            if self.all & bit(*id) != 0 {
                sig[*id as usize] = sig[*id as usize].wrapping_add(mix(stable_hash(&P::rename_timer(t, c)), 3));
            }
        }
        let g = &s.ghost;
        let ballot = |b: crate::paxos::Ballot| crate::paxos::Ballot::new(b.round, c.id(b.node));
        for a in &g.acceptances {
            let by = a.by & self.all;
            if by == 0 {
                continue;
            }
            let h = mix(stable_hash(&(a.slot, ballot(a.ballot), a.value)), 4);
            for j in members(by) {
                sig[j as usize] = sig[j as usize].wrapping_add(h);
            }
        }
        for &(b, j) in &g.leaders {
            if self.all & bit(j) != 0 {
                sig[j as usize] = sig[j as usize].wrapping_add(mix(stable_hash(&ballot(b)), 5));
            }
        }
        for (k, set) in [g.yes, g.no, g.committed, g.aborted].into_iter().enumerate() {
            for j in members(set & self.all) {
                sig[j as usize] = sig[j as usize].wrapping_add(mix(k as u64, 6));
            }
        }
        // Which side of a partition: relative to a node no renaming moves, if there is one.
        if s.split != 0 {
            if let Some(fixed) = (1..=s.slots.len() as NodeId).find(|&i| self.all & bit(i) == 0) {
                for j in members(self.all) {
                    sig[j as usize] = sig[j as usize].wrapping_add(mix(s.apart(j, fixed) as u64, 7));
                }
            }
        }
        sig
    }

    /// What the candidates of `s` share (see [`Prep`]).
    fn prepare<P: Protocol>(&self, s: &State<P>) -> Prep {
        let mut nodes = [NodePart::Other; MAX_NODES];
        for (i, slot) in s.slots.iter().enumerate() {
            let id = i as NodeId + 1;
            let map = if self.all & bit(id) == 0 {
                self.blank
            } else {
                let mut m = self.blank;
                m.0[id as usize] = id;
                m
            };
            let same = match slot {
                Slot::Up(node) => node.rename(&map) == *node,
                Slot::Down(disk) => P::rename_durable(disk, &map) == *disk,
            };
            nodes[i] = match (same, self.all & bit(id) == 0) {
                (true, true) => NodePart::Fixed(s.slot_h[i]),
                (true, false) => NodePart::OwnIdOnly,
                (false, _) => NodePart::Other,
            };
        }
        let msgs = s.net.iter().map(|e| (P::rename_msg(&e.msg, &self.blank) == e.msg).then(|| stable_hash(&e.msg))).collect();
        let timers_fixed = s.timers.iter().all(|(id, t)| self.all & bit(*id) == 0 && P::rename_timer(t, &self.blank) == *t);
        Prep { nodes, memo: [[0; MAX_NODES + 1]; MAX_NODES], memo_set: [0; MAX_NODES], msgs, ghost: s.ghost.mentions(self.all), timers_fixed }
    }

    /// The canonical fingerprint of `s`: the same for every renaming of `s` by permutations
    /// within the groups (see the module docs).
    pub(crate) fn fingerprint<P: Protocol>(&self, s: &State<P>) -> u64 {
        let mut prep = self.prepare(s);
        let sig = self.signatures(s, &mut prep);
        // Each group's members in signature order (ties by id), and its tied runs.
        let mut ord: Vec<Vec<NodeId>> = Vec::with_capacity(self.groups.len());
        let mut ties: Vec<(usize, usize, usize)> = Vec::new();
        for (gi, g) in self.groups.iter().enumerate() {
            let mut o = g.clone();
            o.sort_by_key(|&j| (sig[j as usize], j));
            let mut lo = 0;
            while lo < o.len() {
                let mut hi = lo + 1;
                while hi < o.len() && sig[o[hi] as usize] == sig[o[lo] as usize] {
                    hi += 1;
                }
                if hi - lo >= 2 {
                    ties.push((gi, lo, hi));
                }
                lo = hi;
            }
            ord.push(o);
        }
        let mut best = u64::MAX;
        loop {
            let mut map = Renaming::IDENTITY;
            for (o, g) in ord.iter().zip(&self.groups) {
                for (&from, &to) in o.iter().zip(g) {
                    map.0[from as usize] = to;
                }
            }
            best = best.min(candidate(s, &mut prep, &map));
            // The next order of the tied runs (an odometer over their permutations).
            let mut k = 0;
            loop {
                let Some(&(gi, lo, hi)) = ties.get(k) else { return best };
                if next_permutation(&mut ord[gi][lo..hi]) {
                    break;
                }
                k += 1;
            }
        }
    }
}

/// A message's part of a network hash, as sent from `from` to `to`: the network's hash is
/// the sum of its envelopes' parts.
#[inline]
fn envelope_part(msg_hash: u64, from: NodeId, to: NodeId) -> u64 {
    let mut z = msg_hash ^ ((from as u64) << 8 | to as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z ^= z >> 33;
    z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
    z ^= z >> 33;
    z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

/// The hash of `s` renamed by the permutation `map`: the plain fingerprint's parts, renamed
/// (the network's as a sum of [`envelope_part`]s), reusing what `prep` knows to be fixed.
/// Equal to `candidate(renamed_state(s, map), IDENTITY)` (a test checks it).
fn candidate<P: Protocol>(s: &State<P>, prep: &mut Prep, map: &Renaming) -> u64 {
    let n = s.slots.len();
    let mut slot_h = [0u64; MAX_NODES];
    for (i, slot) in s.slots.iter().enumerate() {
        let to = map.id(i as NodeId + 1);
        slot_h[to as usize - 1] = match prep.nodes[i] {
            NodePart::Fixed(h) => h,
            NodePart::OwnIdOnly => memo_hash(slot, prep, i, to),
            NodePart::Other => slot_hash_renamed(slot, map),
        };
    }
    let mut net_h = 0u64;
    for (e, hm) in s.net.iter().zip(&prep.msgs) {
        let hm = hm.unwrap_or_else(|| stable_hash(&P::rename_msg(&e.msg, map)));
        net_h = net_h.wrapping_add(envelope_part(hm, map.id(e.from), map.id(e.to)));
    }
    let ghost_h = match prep.ghost {
        (false, false) => s.ghost_h,
        (_, false) => {
            let mut h = StableHasher::default();
            s.ghost.hash_sets_renamed(map, &mut h);
            h.finish()
        }
        (_, true) => stable_hash(&s.ghost.renamed(map)),
    };
    let proposals = renamed_proposals(s.proposals, n, map);
    let split = renamed_split(s.split, n, map);
    if prep.timers_fixed {
        fingerprint_of::<P>(&slot_h[..n], net_h, ghost_h, &s.timers, s.crashes, proposals, split, s.cuts)
    } else {
        let mut timers: Vec<(NodeId, P::Timer)> = s.timers.iter().map(|(id, t)| (map.id(*id), P::rename_timer(t, map))).collect();
        timers.sort();
        fingerprint_of::<P>(&slot_h[..n], net_h, ghost_h, &timers, s.crashes, proposals, split, s.cuts)
    }
}

/// The hash of slot `i` (an `OwnIdOnly` node) renamed to id `to`, memoised in `prep`:
/// only its own id is a member's, so renaming it alone is renaming by any map taking it to
/// `to`.
fn memo_hash<P: Protocol>(slot: &Slot<P>, prep: &mut Prep, i: usize, to: NodeId) -> u64 {
    if prep.memo_set[i] & bit(to) == 0 {
        let mut m = Renaming::IDENTITY;
        m.0[i + 1] = to;
        prep.memo[i][to as usize] = slot_hash_renamed(slot, &m);
        prep.memo_set[i] |= bit(to);
    }
    prep.memo[i][to as usize]
}

/// [`candidate`] the slow way, renaming every part (for tests).
#[cfg(test)]
fn candidate_slow<P: Protocol>(s: &State<P>, map: &Renaming) -> u64 {
    let n = s.slots.len();
    let mut slot_h = [0u64; MAX_NODES];
    for (i, slot) in s.slots.iter().enumerate() {
        slot_h[map.id(i as NodeId + 1) as usize - 1] = slot_hash_renamed(slot, map);
    }
    let net_h = s.net.iter().fold(0u64, |a, e| a.wrapping_add(envelope_part(stable_hash(&P::rename_msg(&e.msg, map)), map.id(e.from), map.id(e.to))));
    let mut timers: Vec<(NodeId, P::Timer)> = s.timers.iter().map(|(id, t)| (map.id(*id), P::rename_timer(t, map))).collect();
    timers.sort();
    fingerprint_of::<P>(&slot_h[..n], net_h, stable_hash(&s.ghost.renamed(map)), &timers, s.crashes, renamed_proposals(s.proposals, n, map), renamed_split(s.split, n, map), s.cuts)
}

/// The hash of a slot renamed by `map`.
fn slot_hash_renamed<P: Protocol>(slot: &Slot<P>, map: &Renaming) -> u64 {
    match slot {
        Slot::Up(node) => stable_hash(&Slot::<P>::Up(node.rename(map))),
        Slot::Down(disk) => stable_hash(&Slot::<P>::Down(P::rename_durable(disk, map))),
    }
}

/// The side of a renamed partition: the side holding node 1, as the explorer keeps it.
fn renamed_split(split: NodeSet, n: usize, map: &Renaming) -> NodeSet {
    if split == 0 {
        return 0;
    }
    let side = map.set(split);
    if side & bit(1) != 0 {
        side
    } else {
        let all: NodeSet = (1..=n as NodeId).fold(0, |a, i| a | bit(i));
        all & !side
    }
}

/// Per-node proposal counts (4 bits a node) renamed.
fn renamed_proposals(p: u64, n: usize, map: &Renaming) -> u64 {
    let mut out = 0;
    for id in 1..=n as NodeId {
        let k = p >> (4 * (id as u64 - 1)) & 15;
        out |= k << (4 * (map.id(id) as u64 - 1));
    }
    out
}

/// The state `s` renamed by the permutation `map` (for tests: the search never builds one).
#[cfg(test)]
pub(crate) fn renamed_state<P: Protocol>(s: &State<P>, map: &Renaming) -> State<P> {
    let n = s.slots.len();
    let mut slots: Vec<Option<Slot<P>>> = vec![None; n];
    for (i, slot) in s.slots.iter().enumerate() {
        slots[map.id(i as NodeId + 1) as usize - 1] = Some(match slot {
            Slot::Up(node) => Slot::Up(node.rename(map)),
            Slot::Down(disk) => Slot::Down(P::rename_durable(disk, map)),
        });
    }
    let slots: Vec<Slot<P>> = slots.into_iter().map(|s| s.expect("a permutation")).collect();
    let mut net: Vec<Envelope<P::Msg>> = s.net.iter().map(|e| rename_envelope::<P>(e, map)).collect();
    net.sort();
    let mut timers: Vec<(NodeId, P::Timer)> = s.timers.iter().map(|(id, t)| (map.id(*id), P::rename_timer(t, map))).collect();
    timers.sort();
    let ghost: Ghost = s.ghost.renamed(map);
    State {
        slot_h: slots.iter().map(stable_hash).collect(),
        net_h: net.iter().fold(0u64, |a, e| a.wrapping_add(stable_hash(e))),
        ghost_h: stable_hash(&ghost),
        slots,
        net,
        timers,
        crashes: s.crashes,
        proposals: renamed_proposals(s.proposals, n, map),
        split: renamed_split(s.split, n, map),
        cuts: s.cuts,
        ghost,
        dirty: 0,
    }
}

#[cfg(test)]
fn rename_envelope<P: Protocol>(e: &Envelope<P::Msg>, map: &Renaming) -> Envelope<P::Msg> {
    Envelope { from: map.id(e.from), to: map.id(e.to), msg: P::rename_msg(&e.msg, map) }
}

/// A move renamed by the permutation `map` (for tests), given the cluster size.
#[cfg(test)]
pub(crate) fn renamed_move<P: Protocol>(m: &Move<P>, n: usize, map: &Renaming) -> Move<P> {
    match m {
        Move::Propose(id, v) => Move::Propose(map.id(*id), *v),
        Move::Deliver(e) => Move::Deliver(rename_envelope::<P>(e, map)),
        Move::Drop(e) => Move::Drop(rename_envelope::<P>(e, map)),
        Move::Fire(id, t) => Move::Fire(map.id(*id), P::rename_timer(t, map)),
        Move::Crash(id) => Move::Crash(map.id(*id)),
        Move::Restart(id) => Move::Restart(map.id(*id)),
        Move::Cut(side) => Move::Cut(renamed_split(*side, n, map)),
        Move::Heal => Move::Heal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::explorer::{paxos_proposals, Bounds, Explorer};
    use crate::paxos::{Bug, PaxosConfig, PaxosNode};
    use crate::protocol::Outbox;
    use std::collections::{HashSet, VecDeque};

    fn cfg(n: usize, proposers: &[NodeId], rounds: u32, bug: Option<Bug>) -> PaxosConfig {
        let mut c = PaxosConfig::new(n, proposers);
        c.max_round = Some(rounds);
        c.bug = bug;
        c
    }

    /// Every permutation of `ids` (at most 4 of them), as renamings.
    fn perms(ids: &[NodeId]) -> Vec<Renaming> {
        let mut v = ids.to_vec();
        let mut out = Vec::new();
        loop {
            let mut r = Renaming::IDENTITY;
            for (&from, &to) in ids.iter().zip(&v) {
                r.0[from as usize] = to;
            }
            out.push(r);
            if !next_permutation(&mut v) {
                return out;
            }
        }
    }

    /// Breadth first over the reachable states (plain fingerprints), at most `limit`,
    /// calling `f` on each with the explorer.
    fn walk(c: &PaxosConfig, bounds: Bounds, limit: usize, mut f: impl FnMut(&mut Explorer<PaxosNode>, &State<PaxosNode>)) -> usize {
        let values = paxos_proposals(c, bounds.proposals);
        let mut ex = Explorer::<PaxosNode> { cfg: c, bounds, values: &values, out: Outbox::default(), check_sanity: true, start: None, only: None };
        let (init, _) = ex.initial();
        let mut seen = HashSet::new();
        seen.insert(init.fingerprint());
        let mut queue = VecDeque::from([init]);
        let mut moves = Vec::new();
        let mut count = 0;
        while let Some(s) = queue.pop_front() {
            count += 1;
            f(&mut ex, &s);
            if count >= limit {
                break;
            }
            ex.moves(&s, &mut moves);
            for m in moves.clone() {
                let mut next = s.clone();
                if ex.apply(&mut next, &m).is_none() && seen.insert(next.fingerprint()) {
                    queue.push_back(next);
                }
            }
        }
        count
    }

    #[test]
    fn paxos_groups_are_the_nodes_without_the_proposer_role() {
        assert_eq!(PaxosNode::symmetric(&cfg(5, &[1, 2], 1, None)), vec![bit(3) | bit(4) | bit(5)]);
        assert_eq!(PaxosNode::symmetric(&cfg(3, &[1, 2], 1, None)), Vec::<NodeSet>::new());
        let mut c = cfg(5, &[1], 1, None);
        c.learners = bit(1) | bit(2) | bit(3);
        assert_eq!(PaxosNode::symmetric(&c), vec![bit(2) | bit(3), bit(4) | bit(5)]);
        assert_eq!(describe(&[bit(3) | bit(4) | bit(5)]), "nodes 3, 4, 5");
    }

    #[test]
    fn renamings_compose_and_invert() {
        let r = Renaming::swap(3, 5).then(&Renaming::swap(4, 5));
        assert_eq!((r.id(3), r.id(4), r.id(5)), (4, 5, 3));
        assert!(r.then(&r.inverse()).is_identity());
        assert_eq!(r.set(bit(3) | bit(1)), bit(4) | bit(1));
    }

    /// Renaming a reachable state by a permutation and back gives it again (nodes, messages,
    /// durable states); the identity changes nothing; a candidate's hash computed with the
    /// shortcuts is the slow one, and is the renamed state's own.
    #[test]
    fn renaming_round_trips_and_candidates_match() {
        use crate::check::Reductions;
        // Learners hear the acceptances only with the reductions off (their tallies name
        // acceptors); one proposer reaches acceptances in few moves.
        let runs = [
            (cfg(5, &[1, 2], 1, None), Bounds { drops: true, crashes: 1, proposals: 2, ..Bounds::new() }, 3000),
            (cfg(4, &[1], 2, None), Bounds { drops: true, crashes: 1, partitions: 1, ..Bounds::new() }, 6000),
            (cfg(4, &[1], 1, None), Bounds { reductions: Reductions::NONE, ..Bounds::new() }, 6000),
        ];
        let (mut accepted, mut tallied) = (0, 0);
        for (c, bounds, limit) in runs {
            let values = paxos_proposals(&c, bounds.proposals);
            let sym = Symmetry::new::<PaxosNode>(&c, &values).expect("interchangeable acceptors");
            let ids: Vec<NodeId> = (1..=c.nodes as NodeId).filter(|&i| c.proposers & bit(i) == 0).collect();
            let ps = perms(&ids);
            let n = walk(&c, bounds, limit, |_, s| {
                accepted += !s.ghost.acceptances.is_empty() as u32;
                tallied += s.slots.iter().any(|x| matches!(x, Slot::Up(node) if !node.tallies.is_empty())) as u32;
                assert_eq!(renamed_state(s, &Renaming::IDENTITY).fingerprint(), s.fingerprint());
                for p in &ps {
                    let r = renamed_state(s, p);
                    let fast = candidate(s, &mut sym.prepare(s), p);
                    assert_eq!(fast, candidate_slow(s, p));
                    assert_eq!(fast, candidate(&r, &mut sym.prepare(&r), &Renaming::IDENTITY));
                    let back = renamed_state(&r, &p.inverse());
                    assert_eq!(back.slots, s.slots);
                    assert_eq!(back.net, s.net);
                    assert_eq!(back.timers, s.timers);
                    assert_eq!(back.ghost, s.ghost);
                    assert_eq!(back.fingerprint(), s.fingerprint());
                    for slot in &s.slots {
                        match slot {
                            Slot::Up(node) => assert_eq!(&node.rename(p).rename(&p.inverse()), node),
                            Slot::Down(d) => assert_eq!(&PaxosNode::rename_durable(&PaxosNode::rename_durable(d, p), &p.inverse()), d),
                        }
                    }
                    for e in &s.net {
                        assert_eq!(PaxosNode::rename_msg(&PaxosNode::rename_msg(&e.msg, p), &p.inverse()), e.msg);
                    }
                }
            });
            assert_eq!(n, limit);
        }
        assert!(accepted > 100 && tallied > 100, "{accepted} states with acceptances, {tallied} with tallies");
    }

    /// The canonical fingerprint is the same for every renaming of a state.
    #[test]
    fn the_canonical_fingerprint_is_invariant() {
        let c = cfg(5, &[1, 2], 1, None);
        let bounds = Bounds { drops: true, crashes: 1, partitions: 1, ..Bounds::new() };
        let values = paxos_proposals(&c, bounds.proposals);
        let sym = Symmetry::new::<PaxosNode>(&c, &values).expect("nodes 3 to 5 are interchangeable");
        let ps = perms(&[3, 4, 5]);
        let mut orbits = HashSet::new();
        let n = walk(&c, bounds, 20_000, |_, s| {
            let fp = sym.fingerprint(s);
            orbits.insert(fp);
            for p in &ps {
                assert_eq!(sym.fingerprint(&renamed_state(s, p)), fp);
            }
        });
        assert!(orbits.len() < n, "{} orbits of {n} states", orbits.len());
    }

    /// Premise (2) of the soundness argument, against the code: in every reachable state of
    /// small clusters (every broken variant, faults of every kind), the moves of the renamed
    /// state are the renamed moves, and each leads to the renamed successor with a breach
    /// of the same property.
    #[test]
    fn transitions_commute_with_renaming() {
        let configs: Vec<(PaxosConfig, Bounds)> = vec![
            (cfg(4, &[1, 2], 1, None), Bounds { drops: true, crashes: 1, proposals: 2, partitions: 1, ..Bounds::new() }),
            (cfg(4, &[1], 2, None), Bounds { dups: true, crashes: 1, ..Bounds::new() }),
            (cfg(5, &[1, 2], 1, None), Bounds { drops: true, ..Bounds::new() }),
        ]
        .into_iter()
        .chain(Bug::ALL.iter().map(|&b| (cfg(4, &[1, 2], 1, Some(b)), Bounds { drops: true, crashes: 1, proposals: 2, ..Bounds::new() })))
        .collect();
        for (c, bounds) in configs {
            let n = c.nodes;
            let ids: Vec<NodeId> = (1..=n as NodeId).filter(|&i| c.proposers & bit(i) == 0).collect();
            let ps = perms(&ids);
            let mut moves = Vec::new();
            let mut renamed_moves = Vec::new();
            walk(&c, bounds, 4000, |ex, s| {
                ex.moves(s, &mut moves);
                let mine = moves.clone();
                for p in &ps {
                    let r = renamed_state(s, p);
                    ex.moves(&r, &mut renamed_moves);
                    let want: HashSet<String> = mine.iter().map(|m| format!("{:?}", renamed_move::<PaxosNode>(m, n, p))).collect();
                    let got: HashSet<String> = renamed_moves.iter().map(|m| format!("{m:?}")).collect();
                    assert_eq!(got, want, "{:?}", c.bug);
                    for m in &mine {
                        let mut a = s.clone();
                        let ba = ex.apply(&mut a, m);
                        let mut b = r.clone();
                        let bb = ex.apply(&mut b, &renamed_move::<PaxosNode>(m, n, p));
                        assert_eq!(ba.map(|x| x.property()), bb.map(|x| x.property()), "{:?} {m:?}", c.bug);
                        assert_eq!(renamed_state(&a, p).fingerprint(), b.fingerprint(), "{:?} {m:?}", c.bug);
                    }
                }
            });
        }
    }
}
