//! The WebAssembly module's allocator: power-of-two size classes, each with a free list.
//! About a tenth of the code of the default (dlmalloc), which matters because the module is
//! most of what an embedding page downloads (2.3 KB gzipped less).
//!
//! Memory is grown in 64 KiB pages and handed out in [`CHUNK`]-aligned pieces: a small class
//! splits a chunk into blocks of its size, a large class takes whole chunks. So every block
//! of `2^c` bytes is aligned to `min(2^c, CHUNK)`, and any freed block suits any later
//! request of its class. Trade-offs, fine for a simulator in one browser tab: a block holds up
//! to twice what was asked, each small class keeps at most one partly used chunk, and freed
//! blocks serve only their own class and are never returned (wasm memory cannot shrink).
//! Single-threaded, as the module is. `crate/tests/wasm_api.rs` tests it.

use std::alloc::{GlobalAlloc, Layout};
use std::arch::wasm32::memory_grow;
use std::cell::UnsafeCell;

const PAGE: usize = 65536;
/// The unit taken from grown memory; also the largest alignment served.
const CHUNK: usize = 4096;

pub struct SizeClasses(UnsafeCell<State>);

struct State {
    /// The head of each class's free list (0: empty); a free block's first word links the next.
    free: [usize; usize::BITS as usize],
    /// The grown memory not yet handed out: `next..end`, both CHUNK-aligned.
    next: usize,
    end: usize,
}

// The module is single-threaded: nothing else can touch the state at the same time.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    pub const fn new() -> SizeClasses {
        SizeClasses(UnsafeCell::new(State { free: [0; usize::BITS as usize], next: 0, end: 0 }))
    }
}

/// The size class of a layout: blocks of `1 << class` bytes.
fn class(l: &Layout) -> usize {
    let size = l.size().max(l.align()).max(std::mem::size_of::<usize>());
    size.next_power_of_two().trailing_zeros() as usize
}

impl State {
    /// `bytes` (a multiple of CHUNK) of fresh memory, CHUNK-aligned; 0 when memory is full.
    fn take(&mut self, bytes: usize) -> usize {
        if self.end - self.next < bytes {
            let pages = bytes.div_ceil(PAGE);
            let prev = memory_grow(0, pages);
            if prev == usize::MAX {
                return 0;
            }
            if prev * PAGE != self.end {
                // Not contiguous with what we had (the first time): start afresh there.
                self.next = prev * PAGE;
            }
            // At the 4 GiB limit the end does not fit in a usize: call memory full.
            let Some(end) = (prev + pages).checked_mul(PAGE) else { return 0 };
            self.end = end;
        }
        self.next += bytes;
        self.next - bytes
    }
}

unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // Null is the allocation failure std reports; no real request is near either limit.
        if l.align() > CHUNK || l.size() > 1 << 30 {
            return std::ptr::null_mut();
        }
        let st = &mut *self.0.get();
        let c = class(&l);
        let bytes = 1usize << c;
        if st.free[c] == 0 {
            let chunk = st.take(bytes.max(CHUNK));
            if chunk == 0 {
                return std::ptr::null_mut();
            }
            // Split a chunk for a small class: every block but the first onto the free list.
            let mut at = chunk + bytes.max(CHUNK);
            while at > chunk {
                at -= bytes;
                *(at as *mut usize) = st.free[c];
                st.free[c] = at;
            }
        }
        let head = st.free[c];
        st.free[c] = *(head as *const usize);
        head as *mut u8
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        let st = &mut *self.0.get();
        let c = class(&l);
        *(p as *mut usize) = st.free[c];
        st.free[c] = p as usize;
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, l.align());
        if new_size <= 1 << 30 && class(&new) == class(&l) {
            return p;
        }
        let q = self.alloc(new);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
            self.dealloc(p, l);
        }
        q
    }
}
