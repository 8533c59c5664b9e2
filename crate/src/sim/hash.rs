//! A stable 64-bit hasher: the same bytes give the same hash natively and in wasm (lengths
//! and `usize`s are hashed as `u64`), used for state hashes and the explorer's fingerprints.

use std::hash::{BuildHasherDefault, Hash, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;

#[derive(Clone, Copy, Default)]
pub struct StableHasher(u64);

impl StableHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }
}

impl Hasher for StableHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // murmur3's finaliser, so that nearby states spread over the whole range.
        let mut z = self.0;
        z ^= z >> 33;
        z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^= z >> 33;
        z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.add(i as i64 as u64);
    }
}

/// For `HashSet<u64, StableBuild>` and friends.
pub type StableBuild = BuildHasherDefault<StableHasher>;

/// The stable hash of a value.
pub fn stable_hash<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = StableHasher::default();
    t.hash(&mut h);
    h.finish()
}

/// A hash as 16 hex digits, as printed by the CLI and shown on the page.
pub fn hex(h: u64) -> String {
    format!("{h:016x}")
}
