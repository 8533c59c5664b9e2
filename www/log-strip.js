// The log strip: a node's log as the core describes it (node.slots: slot, ballot, value,
// chosen, applied), drawn on its card in the ring, as a table in the node details, and the
// slots known chosen in the safety panel. Loaded with import() the first time a run has a log
// (single-decree Paxos has none, so its page never loads this); render.js draws with it once
// installed (useStrip). Nothing here knows a protocol: only slots.
//
// The indexes: `commit` is the highest slot up to which every slot from 1 is known chosen,
// `applied` the highest up to which every slot from 1 is applied (a slot applied out of order
// shows its mark but moves neither index).

import { h, s, truncate, sharedSheet } from './kit.js';

/** @typedef {import('./paxos-scope').SlotView} SlotView */

/** commit and apply indexes of a node's slots (see above). @param {SlotView[]} slots */
export function logIndexes(slots) {
  const by = new Map(slots.map((x) => [x.slot, x]));
  let commit = 0;
  while (by.get(commit + 1)?.chosen) commit++;
  let applied = 0;
  while (by.get(applied + 1)?.applied) applied++;
  return { commit, applied };
}

/**
 * One cell per slot from 1 to `length` (and any slot known beyond it): its state, 'empty' (the
 * node knows nothing of it), 'accepted', 'chosen' or 'applied', and a one- or two-character
 * mark of its value ('∅' for a no-op).
 * @param {SlotView[]} slots @param {number} length
 */
export function logCells(slots, length) {
  const by = new Map(slots.map((x) => [x.slot, x]));
  const n = Math.max(length, ...slots.map((x) => x.slot));
  return Array.from({ length: n }, (_, i) => {
    const x = by.get(i + 1);
    const state = !x ? 'empty' : x.applied ? 'applied' : x.chosen ? 'chosen' : x.value != null || x.ballot != null ? 'accepted' : 'empty';
    const value = x ? x.value : null;
    return { slot: i + 1, state, value, ballot: x ? x.ballot : null, mark: mark(value) };
  });
}

/** A value's mark in a cell: its first letter, '∅' for a no-op, '' for none. @param {string | null} value */
export function mark(value) {
  if (value == null || value === '') return '';
  return value === 'no-op' ? '∅' : value[0];
}

/** One slot in words: "slot 2: Blue, ballot 3.1, chosen, applied". */
export function describeSlot(/** @type {ReturnType<typeof logCells>[number]} */ c) {
  if (c.state === 'empty') return `slot ${c.slot}: empty`;
  const parts = [`slot ${c.slot}: ${c.value ?? 'no value'}`];
  if (c.ballot) parts.push(`ballot ${c.ballot}`);
  if (c.state === 'chosen' || c.state === 'applied') parts.push('chosen');
  if (c.state === 'applied') parts.push('applied');
  return parts.join(', ');
}

/** A node's log in words, for its card's description (the slots it knows anything of). @param {SlotView[]} slots */
export function describeLog(slots) {
  const { commit, applied } = logIndexes(slots);
  const known = logCells(slots, 0).filter((c) => c.state !== 'empty').map(describeSlot);
  return `log: ${known.length ? known.join('; ') : 'empty'}; commit index ${commit}, applied ${applied}`;
}

/**
 * Every slot some node knows chosen, with its value: [{ slot, value, nodes }] by slot. Two
 * nodes knowing different values for one slot both appear (the safety panel shows it).
 * @param {import('./paxos-scope').PaxosSnapshot} snapshot
 */
export function chosenSlots(snapshot) {
  /** @type {Map<string, { slot: number, value: string, nodes: number[] }>} */
  const seen = new Map();
  for (const n of snapshot.nodes) {
    for (const x of n.slots || []) {
      if (!x.chosen || x.value == null) continue;
      const key = `${x.slot}\u0000${x.value}`;
      const e = seen.get(key) ?? { slot: x.slot, value: x.value, nodes: [] };
      e.nodes.push(n.id);
      seen.set(key, e);
    }
  }
  return [...seen.values()].sort((a, b) => a.slot - b.slot || (a.value < b.value ? -1 : 1));
}

// ------------------------------------------------------------------ drawing

/**
 * The strip on a card: a row of cells under the card's lines (the last at `y`), then the
 * indexes. `layout` is ringLayout's (layout.card, layout.strip: how many slots, layout.compact).
 * @param {SlotView[]} slots @param {any} layout @param {number} y
 */
export function renderStrip(slots, layout, y) {
  const { card, compact } = layout;
  const pad = compact ? 6 : 9;
  const cells = logCells(slots, layout.strip);
  const gap = 2;
  const cw = Math.min(compact ? 14 : 20, (card.w - 2 * pad - gap * (cells.length - 1)) / cells.length);
  const ch = compact ? 12 : 15;
  const x0 = -card.w / 2 + pad;
  const top = y + (compact ? 4 : 6);
  const g = s('g', { class: 'strip', 'data-strip': '' });
  const row = s('g', { class: 'cells', 'aria-hidden': 'true' });
  for (const c of cells) {
    const x = x0 + (c.slot - 1) * (cw + gap);
    const cell = s('g', { class: `cell ${c.state}`, 'data-slot': c.slot, transform: `translate(${Math.round(x * 10) / 10} ${top})` },
      s('title', {}, describeSlot(c)),
      s('rect', { width: Math.round(cw * 10) / 10, height: ch, rx: 2 }));
    if (c.mark && cw >= 9) cell.append(s('text', { x: cw / 2, y: ch * 0.75, 'text-anchor': 'middle' }, c.mark));
    if (c.state === 'applied') cell.append(s('path', { class: 'tick', d: `M1 ${ch + 2} H${Math.round((cw - 1) * 10) / 10}` }));
    row.append(cell);
  }
  const { commit, applied } = logIndexes(slots);
  g.append(row, s('text', { class: 'line indexes', x: x0, y: top + ch + card.lh - (compact ? 1 : 2) },
    compact ? `commit ${commit} · ap ${applied}` : truncate(`commit ${commit} · applied ${applied}`, 30)));
  return g;
}

/** The safety panel's first line for a log: the slots known chosen. */
export function renderChosen(/** @type {import('./paxos-scope').PaxosSnapshot} */ snapshot) {
  const list = chosenSlots(snapshot);
  if (!list.length) return h('p', { class: 'chosen no' }, 'No slot chosen yet.');
  const p = h('p', { class: 'chosen yes' }, 'Chosen: ');
  list.forEach((e, i) => {
    if (i) p.append(', ');
    p.append(`s${e.slot} `, h('strong', {}, e.value));
  });
  return p;
}

/** The node details' log: one row per slot. @param {SlotView[]} slots @param {number} length */
export function renderLogTable(slots, length) {
  const { commit, applied } = logIndexes(slots);
  const table = h('table', { class: 'log-table' },
    h('caption', {}, `Log: commit index ${commit}, applied ${applied}`),
    h('thead', {}, h('tr', {}, ...['Slot', 'Value', 'Ballot', 'State'].map((t) => h('th', { scope: 'col' }, t)))));
  const body = h('tbody');
  for (const c of logCells(slots, length)) {
    body.append(h('tr', { class: c.state, 'data-slot': c.slot },
      h('th', { scope: 'row' }, String(c.slot)), h('td', {}, c.value ?? '—'), h('td', {}, c.ballot ?? '—'),
      h('td', {}, c.state === 'empty' ? '—' : c.state)));
  }
  table.append(body);
  return table;
}

// /* css */: minified as CSS when built (scripts/build-js.mjs), as in styles.js.
const CSS = /* css */ `
.strip .cell rect { fill: var(--_panel); stroke: var(--_border); stroke-width: 1; }
.strip .cell.accepted rect { stroke: var(--_fg); stroke-dasharray: 3 2; }
.strip .cell.chosen rect { stroke: var(--_ok); stroke-width: 1.5; }
.strip .cell.applied rect { fill: color-mix(in srgb, var(--_ok) 28%, var(--_panel)); stroke: var(--_ok); stroke-width: 1.5; }
.ring .strip .cell text { font-size: 10px; font-weight: 700; }
.ring.compact .strip .cell text { font-size: 8.5px; }
.strip .tick { stroke: var(--_ok); stroke-width: 2; }
.node .indexes, .node .state { fill: var(--_muted); }
.node.down .strip .cell rect { fill: var(--_down); }
.node.client .card { stroke-dasharray: 3 3; }
.log-table { border-collapse: collapse; margin: 0 0 8px; font-size: 13px; }
.log-table caption { text-align: start; color: var(--_muted); }
.log-table th, .log-table td { padding: 1px 8px 1px 0; text-align: start; }
.log-table tr.chosen td:last-child, .log-table tr.applied td:last-child { color: var(--_ok); font-weight: 700; }
`;

/** The strip's styles (adopted by the element when it loads this module). */
export const stripSheet = sharedSheet(CSS);
