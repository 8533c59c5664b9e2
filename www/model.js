// The element's model of the simulation: frames from the core (sim.frame(mark), see
// docs/wasm-api.md) merged into one object shaped like sim.snapshot(). Pure and DOM-free.

/** The frame's fields that are not the snapshot's. */
const BOOKKEEPING = new Set(['mark', 'full', 'log_from', 'log_len', 'history_len']);

/**
 * Merge `frame` into `model` (null for the first frame) and return the new model, shaped
 * exactly like sim.snapshot() (the frame's bookkeeping fields `mark`, `full`, `log_from`,
 * `log_len` and `history_len` left out): a new top-level object whose `log` and `history` are
 * the previous model's arrays, changed in place, so a frame costs what changed, not the run's
 * length.
 *
 * - `full: true`: `log` and `history` are complete and replace the old ones.
 * - `full: false`: `log` holds the lines from index `log_from` on (the rest stays; lines past
 *   `log_len` go: the trace was cut), and `history` only the records that changed (record
 *   `id` is its index + 1; the list is cut or grown to `history_len`).
 * Every other field is current state and is taken from the frame as it is.
 * @param {import('./types').Model | null} model
 * @param {import('./types').Frame} frame
 * @returns {import('./types').Model}
 */
export function applyFrame(model, frame) {
  const log = model ? model.log : [];
  const history = model ? model.history : [];
  const full = frame.full || !model;
  if (full) {
    log.length = 0;
    history.length = 0;
  }
  const from = full ? 0 : frame.log_from;
  if (from > log.length) throw new Error(`applyFrame: the frame's log starts at line ${from}, after the ${log.length} lines known`);
  log.length = from;
  for (const line of frame.log) log.push(line);
  if (log.length !== frame.log_len) {
    throw new Error(`applyFrame: the log has ${log.length} lines, the frame says ${frame.log_len}`);
  }
  if (full) {
    for (const r of frame.history) history.push(r);
  } else {
    history.length = frame.history_len;
    for (const r of frame.history) history[r.id - 1] = r;
  }
  if (history.length !== frame.history_len) {
    throw new Error(`applyFrame: the history has ${history.length} records, the frame says ${frame.history_len}`);
  }
  // The snapshot's fields in the snapshot's order (JSON.stringify of both is the same text).
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(frame)) {
    if (!BOOKKEEPING.has(k)) out[k] = k === 'log' ? log : k === 'history' ? history : v;
  }
  return /** @type {import('./types').Model} */ (/** @type {unknown} */ (out));
}

/**
 * The last index `i` of `list` (sorted by `key`) with `key(list[i]) <= x`, or -1: a binary
 * search, so views can find the part of a long log or history they show without a pass.
 * @template T
 * @param {T[]} list
 * @param {(item: T) => number} key
 * @param {number} x
 */
export function lastAtOrBefore(list, key, x) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
