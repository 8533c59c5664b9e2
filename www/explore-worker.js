// The explorer's Web Worker (started by explore.js): loads the explorer's wasm module
// (pkg/paxoscope_explore.js, cargo feature `explore`) and hands the worker's messages to it
// (serve(), crate/src/wasm/explore.rs: web-sys's worker scope). It posts { type: 'ready' }
// once it answers, or { type: 'error', id: null, message } if the module could not load.
import init, { serve } from './pkg/paxoscope_explore.js';

init().then(() => serve(), (e) => {
  self.postMessage({ type: 'error', id: null, message: String((e && e.message) || e) });
});
