//! The messages in flight, in delivery order (sorted by due time; among equal due times, in
//! the order they were put there), as the world keeps them.
//!
//! A plain sorted `Vec` made every send and every delivery move the whole list: a run with
//! hundreds of thousands of messages in flight (easy with 100% duplication on nine nodes)
//! took minutes. Here the list is cut into blocks of at most [`BLOCK`] messages, found by
//! binary search on their last due time, and an index maps each message id to its block, so
//! every operation costs about `log n + BLOCK`. A block is a ring buffer, so taking the first
//! message (what the automatic policy does at nearly every step) moves nothing, and a new
//! message, due later than most, moves only those after it; the index is direct-mapped (one
//! entry per id from the oldest in flight to the newest). It iterates, compares and hashes
//! exactly as the `Vec` did, so state hashes are unchanged.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

use super::world::Pending;

/// The most messages in one block; a fuller block is split in two.
pub const BLOCK: usize = 128;
/// An index entry for a message no longer in flight.
const GONE: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Block<M> {
    items: VecDeque<Pending<M>>,
    /// How many of `items` are held.
    held: usize,
}

/// Messages in flight (see the module's documentation).
#[derive(Clone, Debug)]
pub struct Network<M> {
    /// Block handles in delivery order; no block in it is empty.
    order: Vec<u32>,
    /// Blocks by handle; handles not in `order` are free.
    blocks: Vec<Block<M>>,
    free: Vec<u32>,
    /// `index[i]`: the block holding message `base + i`, or `GONE`. Its ends are never
    /// `GONE`: it spans the ids in flight, oldest to newest.
    index: VecDeque<u32>,
    base: u32,
    len: usize,
}

impl<M> Default for Network<M> {
    fn default() -> Self {
        Network { order: Vec::new(), blocks: Vec::new(), free: Vec::new(), index: VecDeque::new(), base: 0, len: 0 }
    }
}

impl<M> Network<M> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Roughly the bytes this takes beyond its own size: the messages and the index.
    pub fn footprint(&self) -> usize {
        self.len * std::mem::size_of::<Pending<M>>() + self.index.len() * 4 + self.order.len() * 4
    }

    /// The messages in delivery order.
    pub fn iter(&self) -> Iter<'_, M> {
        Iter { net: self, block: 0, i: 0 }
    }

    /// The message delivered next, held or not.
    pub fn first(&self) -> Option<&Pending<M>> {
        self.order.first().and_then(|&h| self.blocks[h as usize].items.front())
    }

    /// The `i`th message in delivery order (walks the blocks).
    pub fn get(&self, mut i: usize) -> Option<&Pending<M>> {
        for &h in &self.order {
            let items = &self.blocks[h as usize].items;
            if i < items.len() {
                return Some(&items[i]);
            }
            i -= items.len();
        }
        None
    }

    /// The block holding message `id`, if it is in flight.
    #[inline]
    fn block_of(&self, id: u32) -> Option<u32> {
        let h = *self.index.get(id.wrapping_sub(self.base) as usize)?;
        (h != GONE).then_some(h)
    }

    /// Where message `id` is: (block handle, position in the block).
    fn locate(&self, id: u32) -> Option<(u32, usize)> {
        let h = self.block_of(id)?;
        let i = self.blocks[h as usize].items.iter().position(|p| p.id == id)?;
        Some((h, i))
    }

    /// Message `id`, if it is in flight.
    pub fn find(&self, id: u32) -> Option<&Pending<M>> {
        self.locate(id).map(|(h, i)| &self.blocks[h as usize].items[i])
    }

    /// Where the first message not held is: (position in `order`, position in its block).
    #[inline]
    fn first_unheld_at(&self) -> Option<(usize, usize)> {
        // Nearly always the very first message.
        let &h = self.order.first()?;
        let b = &self.blocks[h as usize];
        if b.held == 0 {
            return Some((0, 0));
        }
        let k = self.order.iter().position(|&h| self.blocks[h as usize].held < self.blocks[h as usize].items.len())?;
        let i = self.blocks[self.order[k] as usize].items.iter().position(|p| !p.held)?;
        Some((k, i))
    }

    /// The first message not held: the one the automatic policy delivers next.
    pub fn first_unheld(&self) -> Option<&Pending<M>> {
        let (k, i) = self.first_unheld_at()?;
        Some(&self.blocks[self.order[k] as usize].items[i])
    }

    /// Take out the first message not held if `take` says so (given it).
    #[inline]
    pub fn pop_first_unheld_if(&mut self, take: impl FnOnce(&Pending<M>) -> bool) -> Option<Pending<M>> {
        let (k, i) = self.first_unheld_at()?;
        let h = self.order[k];
        if !take(&self.blocks[h as usize].items[i]) {
            return None;
        }
        Some(self.remove_at(Some(k), h, i))
    }

    /// Hold or release message `id` where it is; returns false if it is not in flight.
    pub fn set_held(&mut self, id: u32, held: bool) -> bool {
        let Some((h, i)) = self.locate(id) else { return false };
        let b = &mut self.blocks[h as usize];
        if b.items[i].held != held {
            b.items[i].held = held;
            if held {
                b.held += 1;
            } else {
                b.held -= 1;
            }
        }
        true
    }

    /// Take message `id` out of the network.
    pub fn remove(&mut self, id: u32) -> Option<Pending<M>> {
        let (h, i) = self.locate(id)?;
        Some(self.remove_at(None, h, i))
    }

    /// Take out the `i`th message of block `h`, which is `order[k]` if `k` is known.
    fn remove_at(&mut self, k: Option<usize>, h: u32, i: usize) -> Pending<M> {
        let b = &mut self.blocks[h as usize];
        let p = if i == 0 { b.items.pop_front() } else { b.items.remove(i) }.expect("a message in the block");
        b.held -= usize::from(p.held);
        let empty = b.items.is_empty();
        self.len -= 1;
        self.index[(p.id - self.base) as usize] = GONE;
        // Keep the index's ends in flight.
        while self.index.front() == Some(&GONE) {
            self.index.pop_front();
            self.base += 1;
        }
        while self.index.back() == Some(&GONE) {
            self.index.pop_back();
        }
        if empty {
            let at = k.unwrap_or_else(|| self.order.iter().position(|&x| x == h).expect("a block in use is in the order"));
            self.order.remove(at);
            self.free.push(h);
        }
        p
    }

    /// Put `p` after every message due at or before it.
    pub fn insert_sorted(&mut self, p: Pending<M>) {
        // The first block holding a message due later than `p`; else the last block.
        let k = match self.order.last() {
            // Usually due after everything in flight, or in the last block.
            Some(&h) if self.blocks[h as usize].items.front().is_some_and(|q| q.due <= p.due) => self.order.len() - 1,
            _ => self.order.partition_point(|&h| self.blocks[h as usize].items.back().map_or(true, |q| q.due <= p.due)),
        };
        let Some(&h) = self.order.get(k).or(self.order.last()) else {
            return self.insert_in_new_block(0, p);
        };
        let i = self.blocks[h as usize].items.partition_point(|q| q.due <= p.due);
        self.insert_at(h, i, p);
    }

    /// Put `p` right after message `id` (which must be in flight, and due when `p` is).
    pub fn insert_after(&mut self, id: u32, p: Pending<M>) -> bool {
        let Some((h, i)) = self.locate(id) else { return false };
        self.insert_at(h, i + 1, p);
        true
    }

    /// Put `p` right before message `id` (which must be in flight, and due when `p` is).
    pub fn insert_before(&mut self, id: u32, p: Pending<M>) -> bool {
        let Some((h, i)) = self.locate(id) else { return false };
        self.insert_at(h, i, p);
        true
    }

    fn insert_in_new_block(&mut self, at: usize, p: Pending<M>) {
        let h = self.new_block();
        self.order.insert(at, h);
        self.insert_at(h, 0, p);
    }

    fn new_block(&mut self) -> u32 {
        match self.free.pop() {
            Some(h) => h,
            None => {
                self.blocks.push(Block { items: VecDeque::new(), held: 0 });
                self.blocks.len() as u32 - 1
            }
        }
    }

    fn insert_at(&mut self, h: u32, i: usize, p: Pending<M>) {
        let (id, held) = (p.id, p.held);
        let b = &mut self.blocks[h as usize];
        if i == b.items.len() {
            b.items.push_back(p);
        } else {
            b.items.insert(i, p);
        }
        b.held += usize::from(held);
        self.len += 1;
        self.index_set(id, h);
        if self.blocks[h as usize].items.len() > BLOCK {
            self.split(h);
        }
    }

    /// Record that message `id` is in block `h`. New ids are the largest, so this appends.
    fn index_set(&mut self, id: u32, h: u32) {
        if id.wrapping_sub(self.base) as usize == self.index.len() {
            return self.index.push_back(h);
        }
        if self.index.is_empty() {
            self.base = id;
        }
        if id < self.base {
            // A message taken out and put back (released, delayed, moved).
            for _ in id..self.base {
                self.index.push_front(GONE);
            }
            self.base = id;
        }
        let i = (id - self.base) as usize;
        if i >= self.index.len() {
            self.index.resize(i + 1, GONE);
        }
        self.index[i] = h;
    }

    fn split(&mut self, h: u32) {
        let n = self.new_block();
        let tail = self.blocks[h as usize].items.split_off(BLOCK / 2);
        let held = tail.iter().filter(|p| p.held).count();
        self.blocks[h as usize].held -= held;
        for p in &tail {
            self.index_set(p.id, n);
        }
        self.blocks[n as usize] = Block { items: tail, held };
        let at = self.order.iter().position(|&x| x == h).expect("a block in use is in the order");
        self.order.insert(at + 1, n);
    }
}

/// The messages in flight, in delivery order.
pub struct Iter<'a, M> {
    net: &'a Network<M>,
    /// Position in `order`, and in that block.
    block: usize,
    i: usize,
}

impl<'a, M> Iterator for Iter<'a, M> {
    type Item = &'a Pending<M>;
    fn next(&mut self) -> Option<&'a Pending<M>> {
        let &h = self.net.order.get(self.block)?;
        let items = &self.net.blocks[h as usize].items;
        let p = &items[self.i];
        self.i += 1;
        if self.i == items.len() {
            (self.block, self.i) = (self.block + 1, 0);
        }
        Some(p)
    }
}

/// As a `Vec` of the messages in delivery order hashes (the state hash depends on it).
impl<M: Hash> Hash for Network<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len);
        for p in self.iter() {
            p.hash(state);
        }
    }
}

impl<M> std::ops::Index<usize> for Network<M> {
    type Output = Pending<M>;
    fn index(&self, i: usize) -> &Pending<M> {
        self.get(i).unwrap_or_else(|| panic!("message index {i} out of range: {} in flight", self.len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u32, due: u64) -> Pending<u8> {
        Pending { id, from: 1, to: 2, msg: 0, sent_at: 0, due, held: false, cause: 0 }
    }

    /// Against a plain sorted Vec, as the world used to keep them: the same order after any
    /// mix of operations, across many blocks.
    #[test]
    fn behaves_like_a_sorted_vec() {
        let mut net = Network::default();
        let mut vec: Vec<Pending<u8>> = Vec::new();
        let mut x = 7u64;
        let mut next = 1u32;
        let mut rand = |n: u64| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for round in 0..6000 {
            let r = rand(100);
            let pick = if vec.is_empty() { None } else { Some(vec[rand(vec.len() as u64) as usize]) };
            match (r, pick) {
                (0..=49, _) | (_, None) => {
                    let p = msg(next, rand(40) + round / 10);
                    next += 1;
                    vec.insert(vec.partition_point(|q| q.due <= p.due), p);
                    net.insert_sorted(p);
                }
                (50..=69, Some(p)) => {
                    vec.retain(|q| q.id != p.id);
                    assert_eq!(net.remove(p.id), Some(p));
                }
                (70..=79, Some(p)) => {
                    let mut copy = p;
                    copy.id = next;
                    next += 1;
                    let i = vec.iter().position(|q| q.id == p.id).unwrap();
                    vec.insert(i + 1, copy);
                    assert!(net.insert_after(p.id, copy));
                }
                (80..=89, Some(p)) => {
                    let held = !p.held;
                    vec.iter_mut().find(|q| q.id == p.id).unwrap().held = held;
                    assert!(net.set_held(p.id, held));
                }
                (_, Some(p)) => {
                    // Move a message before `p` (as MoveBefore does).
                    let other = vec[rand(vec.len() as u64) as usize];
                    if other.id != p.id {
                        let mut m = net.remove(other.id).unwrap();
                        vec.retain(|q| q.id != other.id);
                        m.due = p.due;
                        let j = vec.iter().position(|q| q.id == p.id).unwrap();
                        vec.insert(j, m);
                        assert!(net.insert_before(p.id, m));
                    }
                }
            }
            assert_eq!(net.len(), vec.len());
            if round % 97 == 0 || round > 5900 {
                assert!(net.iter().eq(vec.iter()), "round {round}");
                assert_eq!(net.first_unheld(), vec.iter().find(|p| !p.held));
                // What the automatic policy does: refuse, then take, the first unheld one.
                if let Some(&p) = vec.iter().find(|p| !p.held) {
                    assert_eq!(net.pop_first_unheld_if(|_| false), None);
                    assert_eq!(net.pop_first_unheld_if(|q| q.id == p.id), Some(p));
                    vec.retain(|q| q.id != p.id);
                    assert_eq!(net.len(), vec.len());
                }
                let (mut a, mut b) = (crate::sim::hash::StableHasher::default(), crate::sim::hash::StableHasher::default());
                net.hash(&mut a);
                vec.hash(&mut b);
                assert_eq!(a.finish(), b.finish(), "hashes as the Vec did");
            }
        }
        assert!(net.order.len() > 3, "the test reached several blocks");
        assert_eq!(net.find(next + 5), None);
        assert_eq!(net.remove(next + 5), None);
    }
}
