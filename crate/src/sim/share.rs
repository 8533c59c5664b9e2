//! Share links: the configuration, the seed, every choice and the place in time, packed
//! into a short URL-safe string (for the fragment after `#`). A damaged or altered link is
//! refused, never opened as something else.
//!
//! Layout, then base64url without padding (canonical: unused bits zero), prefixed `p2.`:
//! config (nodes, role sets, seed, flags, rounds, policy, and for protocols other than
//! single-decree Paxos an extension: protocol, slots, clients, leases), scenario name, actions (a tag
//! byte and varint arguments, varints in their shortest form; runs of automatic steps are
//! one tag and a count), the current step, the 8-byte state hash at that step, and an 8-byte
//! check ([`StableHasher`]) of every byte before it. The check is verified before anything
//! is replayed: a changed byte anywhere (the story's name, the cluster, a step after the
//! shared one, which the state hash cannot see) is refused at once. Then the choices are
//! replayed and the state hash compared, and a story's name must be a known story whose
//! cluster is the link's.
//!
//! Links written before the check (`p1.`: the same layout without it) still open. Without
//! the check, a `p1.` link naming a story must have the story's cluster and the story's
//! steps (where both have them; beyond the story's end, only up to the shared step); a
//! `p1.` link without a story is covered only by its state hash (which a change to the
//! past that leaves the same state, or to the steps after the shared one, gets past).

use std::hash::Hasher;

use super::config::ClusterConfig;
use super::error::SimError;
use super::hash::StableHasher;
use super::session::{check_length, Session};
use super::world::{Action, Policy};
use crate::paxos::{Bug, Value};
use crate::protocol::{bit, NodeSet};
use crate::protocols::ProtocolKind;

const PREFIX: &str = "p2.";
/// The flags bit saying a protocol-extension block follows the policy (protocol, slots,
/// clients, leases): links of single-decree Paxos never set it, so they read as before.
const EXTENDED: u8 = 0x80;
/// Links written before the check.
const PREFIX_V1: &str = "p1.";
/// The longest fragment accepted, in characters.
pub const MAX_SHARE_LEN: usize = 2_000_000;

struct W(Vec<u8>);

impl W {
    fn u(&mut self, mut x: u64) {
        loop {
            let b = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    fn b(&mut self, x: u8) {
        self.0.push(x);
    }
    fn s(&mut self, s: &str) {
        self.u(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

struct R<'a>(&'a [u8], usize);

fn cut() -> SimError {
    SimError::BadTrace("the link is truncated or damaged".into())
}

fn bad(why: impl Into<String>) -> SimError {
    SimError::BadTrace(why.into())
}

/// The check of a `p2.` link: a stable hash of every byte before it.
fn check(bytes: &[u8]) -> [u8; 8] {
    let mut h = StableHasher::default();
    h.write_usize(bytes.len());
    h.write(bytes);
    h.finish().to_le_bytes()
}

impl R<'_> {
    fn b(&mut self) -> Result<u8, SimError> {
        let x = *self.0.get(self.1).ok_or_else(cut)?;
        self.1 += 1;
        Ok(x)
    }
    /// A varint in its shortest form (what the encoder writes; any other is damage).
    fn u(&mut self) -> Result<u64, SimError> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.b()?;
            if (shift > 0 && b == 0) || (shift == 63 && b > 1) {
                return Err(cut());
            }
            x |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(x);
            }
        }
        Err(cut())
    }
    fn u32(&mut self) -> Result<u32, SimError> {
        u32::try_from(self.u()?).map_err(|_| cut())
    }
    fn s(&mut self) -> Result<String, SimError> {
        let n = self.u()? as usize;
        let end = self.1.checked_add(n).filter(|&e| e <= self.0.len()).ok_or_else(cut)?;
        let s = std::str::from_utf8(&self.0[self.1..end]).map_err(|_| cut())?.to_string();
        self.1 = end;
        Ok(s)
    }
}

fn set_of(ids: &[u32]) -> NodeSet {
    ids.iter().fold(0, |s, &i| s | bit(i.min(15) as u8))
}
/// The ids in a set as the encoder writes it (bits 1 to 15); any other bit is damage.
fn ids_of(set: u64) -> Result<Vec<u32>, SimError> {
    if set & !0xfffe != 0 {
        return Err(cut());
    }
    Ok((1..=15).filter(|i| set & (1 << i) != 0).collect())
}

fn put_policy(w: &mut W, p: &Policy) {
    for x in [p.loss_ppm as u64, p.dup_ppm as u64, p.delay_ppm as u64, p.min_latency, p.max_latency] {
        w.u(x);
    }
}
fn get_policy(r: &mut R) -> Result<Policy, SimError> {
    Ok(Policy { loss_ppm: r.u32()?, dup_ppm: r.u32()?, delay_ppm: r.u32()?, min_latency: r.u()?, max_latency: r.u()? })
}

/// Encode a session: everything needed to reproduce it, and where it is in time.
pub fn encode(s: &Session) -> String {
    let c = s.config();
    let mut w = W(Vec::new());
    w.u(c.nodes as u64);
    w.u(set_of(&c.proposers) as u64);
    w.u(c.acceptors.as_ref().map_or(0, |a| set_of(a) as u64 | 1));
    w.u(c.learners.as_ref().map_or(0, |a| set_of(a) as u64 | 1));
    w.u(c.seed as u64);
    let bug = c.bug.map_or(0, |b| Bug::EVERY.iter().position(|&x| x == b).unwrap_or(0) as u8 + 1);
    let extended = c.protocol != ProtocolKind::Paxos || c.slots.is_some() || c.clients.is_some() || c.leases;
    w.b(u8::from(c.distinguished) | (bug << 1) | if extended { EXTENDED } else { 0 });
    w.u(c.start_round as u64);
    w.u(c.max_round.map_or(0, |r| r as u64 + 1));
    put_policy(&mut w, &c.policy);
    if extended {
        w.u(ProtocolKind::ALL.iter().position(|&p| p == c.protocol).unwrap_or(0) as u64);
        w.u(c.slots.map_or(0, |k| k as u64 + 1));
        w.u(c.clients.as_ref().map_or(0, |a| set_of(a) as u64 | 1));
        w.b(u8::from(c.leases));
    }
    w.s(s.scenario().unwrap_or(""));
    let all = s.all_actions();
    w.u(all.len() as u64);
    let mut i = 0;
    while i < all.len() {
        match &all[i] {
            Action::Step => {
                let run = all[i..].iter().take_while(|a| **a == Action::Step).count();
                w.b(13);
                w.u(run as u64);
                i += run;
                continue;
            }
            Action::Deliver(id) => (w.b(0), w.u(*id as u64)).1,
            Action::Drop(id) => (w.b(1), w.u(*id as u64)).1,
            Action::Duplicate(id) => (w.b(2), w.u(*id as u64)).1,
            Action::Hold(id) => (w.b(3), w.u(*id as u64)).1,
            Action::Release(id) => (w.b(4), w.u(*id as u64)).1,
            Action::MoveBefore(a, b) => {
                w.b(5);
                w.u(*a as u64);
                w.u(*b as u64);
            }
            Action::Crash(n) => (w.b(6), w.b(*n)).1,
            Action::Restart(n) => (w.b(7), w.b(*n)).1,
            Action::Propose(n, v) => {
                w.b(8);
                w.b(*n);
                w.s(v.as_str());
            }
            Action::Timeout(n) => (w.b(9), w.b(*n)).1,
            Action::Fire(n, t) => {
                w.b(14);
                w.b(*n);
                w.s(t);
            }
            Action::Cut(a, b) => (w.b(10), w.b(*a), w.b(*b)).2,
            Action::Heal(a, b) => (w.b(11), w.b(*a), w.b(*b)).2,
            Action::SetPolicy(p) => {
                w.b(12);
                put_policy(&mut w, p);
            }
        }
        i += 1;
    }
    w.u(s.step() as u64);
    w.0.extend_from_slice(&s.hash().to_le_bytes());
    let check = check(&w.0);
    w.0.extend_from_slice(&check);
    format!("{PREFIX}{}", base64url(&w.0))
}

/// Decode a share link's fragment (with or without the leading `#`) into a session at the
/// shared step; refuses a malformed, truncated, oversized or altered link (see the module's
/// documentation), and one longer than [`super::session::MAX_TRACE_ACTIONS`] before replaying it.
pub fn decode(fragment: &str) -> Result<Session, SimError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if f.len() > MAX_SHARE_LEN {
        return Err(bad(format!("the link is {} characters long; at most {MAX_SHARE_LEN} are accepted", f.len())));
    }
    let (checked, body) = match (f.strip_prefix(PREFIX), f.strip_prefix(PREFIX_V1)) {
        (Some(body), _) => (true, body),
        (_, Some(body)) => (false, body),
        _ => return Err(bad("this is not a Paxoscope link (it should start with p2. or p1.)")),
    };
    if body.bytes().any(|c| !B64.contains(&c)) {
        return Err(bad("the link contains characters that do not belong in it"));
    }
    let mut bytes = unbase64url(body).ok_or_else(cut)?;
    if checked {
        let at = bytes.len().checked_sub(8).ok_or_else(cut)?;
        if bytes[at..] != check(&bytes[..at]) {
            return Err(bad("the link is damaged or truncated: its check does not match"));
        }
        bytes.truncate(at);
    }
    let mut r = R(&bytes, 0);
    let nodes = r.u32()?;
    let proposers = ids_of(r.u()?)?;
    let opt = |x: u64| match x {
        0 => Ok(None),
        x if x & 1 == 1 => ids_of(x & !1).map(Some),
        _ => Err(cut()),
    };
    let acceptors = opt(r.u()?)?;
    let learners = opt(r.u()?)?;
    let seed = r.u32()?;
    let flags = r.b()?;
    let bug = match (flags & !EXTENDED) >> 1 {
        0 => None,
        k => Some(*Bug::EVERY.get(k as usize - 1).ok_or_else(cut)?),
    };
    let start_round = r.u32()?;
    let max_round = match r.u32()? {
        0 => None,
        k => Some(k - 1),
    };
    let policy = get_policy(&mut r)?;
    let mut config = ClusterConfig { nodes, proposers, acceptors, learners, seed, distinguished: flags & 1 == 1, bug, start_round, max_round, policy, ..ClusterConfig::default() };
    if flags & EXTENDED != 0 {
        config.protocol = *ProtocolKind::ALL.get(r.u()? as usize).ok_or_else(|| bad("the link names a protocol this version does not know"))?;
        config.slots = match r.u32()? {
            0 => None,
            k => Some(k - 1),
        };
        config.clients = opt(r.u()?)?;
        config.leases = match r.b()? {
            0 => false,
            1 => true,
            _ => return Err(cut()),
        };
    }
    let scenario = r.s()?;
    let count = r.u()?;
    check_length(count.min(u32::MAX as u64) as usize, 0).map_err(|e| bad(format!("the link holds {e}")))?;
    let count = count as usize;
    let mut actions = Vec::with_capacity(count);
    let mut choices = 0;
    while actions.len() < count {
        let n = |r: &mut R| r.b();
        let a = match r.b()? {
            13 => {
                let run = r.u()? as usize;
                // The encoder writes each run of automatic steps as one.
                if run == 0 || actions.len() + run > count || actions.last() == Some(&Action::Step) {
                    return Err(cut());
                }
                actions.extend(std::iter::repeat_n(Action::Step, run));
                continue;
            }
            0 => Action::Deliver(r.u32()?),
            1 => Action::Drop(r.u32()?),
            2 => Action::Duplicate(r.u32()?),
            3 => Action::Hold(r.u32()?),
            4 => Action::Release(r.u32()?),
            5 => Action::MoveBefore(r.u32()?, r.u32()?),
            6 => Action::Crash(n(&mut r)?),
            7 => Action::Restart(n(&mut r)?),
            8 => {
                let node = n(&mut r)?;
                Action::Propose(node, Value::new(&r.s()?).map_err(|e| SimError::BadTrace(e))?)
            }
            9 => Action::Timeout(n(&mut r)?),
            14 => {
                let node = n(&mut r)?;
                Action::Fire(node, r.s()?)
            }
            10 => Action::Cut(n(&mut r)?, n(&mut r)?),
            11 => Action::Heal(n(&mut r)?, n(&mut r)?),
            12 => Action::SetPolicy(get_policy(&mut r)?),
            t => return Err(SimError::BadTrace(format!("the link holds an unknown action (tag {t})"))),
        };
        choices += 1;
        check_length(count, choices).map_err(|e| bad(format!("the link holds {e}")))?;
        actions.push(a);
    }
    let step = r.u()? as usize;
    let mut hash = [0u8; 8];
    for h in &mut hash {
        *h = r.b()?;
    }
    if r.1 != bytes.len() {
        return Err(SimError::BadTrace("the link has extra data at its end".into()));
    }
    if step > actions.len() {
        return Err(cut());
    }
    // A story's name: a known story, on its own cluster (checked before the replay).
    let story = match scenario.as_str() {
        "" => None,
        name => Some(super::session::story_for(name, &config).map_err(|e| bad(format!("the link {e}")))?),
    };
    if let (false, Some(story)) = (checked, &story) {
        // A p1. link has no check: the state hash covers neither the steps after the shared
        // one nor a change to the past that leaves the same state (dropping a message its
        // receiver would ignore instead of delivering it). The story vouches for them.
        let theirs = story.all_actions();
        let agrees = actions.iter().zip(theirs).all(|(a, b)| a == b);
        if !agrees || actions.len() > theirs.len().max(step) {
            return Err(bad(format!(
                "this older (p1.) link names the story \"{scenario}\" but its steps are not the story's"
            )));
        }
    }
    let mut s = Session::new(config).map_err(|e| SimError::BadTrace(e.to_string()))?;
    for (i, a) in actions.into_iter().enumerate() {
        s.act(a).map_err(|e| SimError::BadTrace(format!("step {} of the link cannot be replayed: {e}", i + 1)))?;
    }
    s.seek(step)?;
    if s.hash() != u64::from_le_bytes(hash) {
        return Err(SimError::BadTrace("replaying the link does not give the state it was made from: it was altered or made by another version".into()));
    }
    if let Some(story) = story {
        s.set_scenario(Some(scenario));
        s.adopt_script(&story);
    }
    Ok(s)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 4 / 3 + 3);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Base64url without padding, in its canonical form only: the unused low bits of the last
/// character must be zero (else two spellings would give the same bytes).
fn unbase64url(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let digits: Option<Vec<u32>> = s.bytes().map(|c| B64.iter().position(|&x| x == c).map(|p| p as u32)).collect();
    for chunk in digits?.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | d << (18 - 6 * i));
        let used = 8 * (chunk.len() - 1);
        if n & ((1 << (24 - used)) - 1) != 0 {
            return None;
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for n in 0..40 {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(unbase64url(&base64url(&data)).unwrap(), data);
        }
        assert!(unbase64url("a").is_none());
        assert!(unbase64url("ab$d").is_none());
        // Only the canonical spelling: "QQ" is "A"; "QR" would be too, with a stray bit.
        assert_eq!(unbase64url("QQ").unwrap(), b"A");
        assert!(unbase64url("QR").is_none());
        assert!(unbase64url("QUJ").is_none(), "\"QUI\" is \"AB\"");
    }

    #[test]
    fn varints_only_in_their_shortest_form() {
        let read = |b: &[u8]| R(b, 0).u();
        assert_eq!(read(&[0x05]).unwrap(), 5);
        assert_eq!(read(&[0x85, 0x01]).unwrap(), 133);
        assert!(read(&[0x85, 0x00]).is_err(), "5 with a redundant zero byte");
        assert!(read(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).is_ok());
        assert!(read(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]).is_err(), "more than 64 bits");
    }
}
