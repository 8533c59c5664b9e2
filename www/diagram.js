// The space-time diagram: one lane per node, steps running down, every message an arrow
// from the step that sent it to the step that delivered (arrowhead), dropped or lost it
// (a cross); pending messages are open-ended, their open arrowheads stacked below "now" in
// delivery order. Dragging an open arrowhead below another one reorders their deliveries.
//
// renderDiagram() is pure (snapshot -> SVG) and draws only the steps in view: it finds them
// by binary search (messages are sent in id order, so history is sorted by sent_step), so a
// frame costs what is shown, not the run's length. DiagramView owns the pane, its scrolling,
// the drag and the keyboard, and reports intents through hooks. Loaded on first use
// (timetravel.js), with its stylesheet (styles-diagram.js).
//
// Data: snapshot.history = [{ id, from, to, kind, label, sent_step, end_step, fate }]
// (fate: 'pending' | 'delivered' | 'dropped' | 'lost'), snapshot.messages (pending, in
// delivery order), snapshot.nodes[].up, snapshot.outages = [{ node, from_step, to_step | null }].

import { h, s, truncate, insertionIndex, cutLinks, linkKey, words, allKinds, protocolOf, lastAtOrBefore, closest } from './kit.js';
import { diagramSheet } from './styles-diagram.js';

const SLOP = 5; // pixels before a press on an arrowhead becomes a drag

const FATE_WORDS = {
  pending: 'pending',
  delivered: 'delivered',
  dropped: 'dropped by hand',
  lost: 'lost (network, crash or cut link)',
};

const r1 = (n) => Math.round(n * 10) / 10;

/** Geometry of the diagram for `snapshot` at `width` pixels. */
export function diagramLayout(snapshot, { width }) {
  const compact = width < 520;
  const ids = snapshot.nodes.map((n) => n.id);
  const gutter = compact ? 34 : 44;
  const right = compact ? 26 : 34; // room for self-message loops on the last lane
  const lane = Math.max(40, (width - gutter - right) / Math.max(1, ids.length));
  const lanes = new Map(ids.map((id, i) => [id, gutter + lane * (i + 0.5)]));
  const rowH = compact ? 20 : 24;
  const slotH = compact ? 28 : 30; // pending arrowheads: one slot each, in delivery order
  const top = 14;
  const now = snapshot.step;
  const yOf = (step) => top + step * rowH;
  const yNow = yOf(now);
  const pending = snapshot.messages;
  const slotY = (k) => yNow + slotH * (k + 1);
  const height = Math.round(slotY(pending.length) + (pending.length ? 8 : 0) + 14);
  return { width, height, compact, gutter, lane, lanes, rowH, slotH, top, now, yOf, yNow, slotY };
}

/** A finished message's label on its arrow, shown on hover (CSS), as the selected one's is always. */
function hoverLabel(rec, lx, ly, compact) {
  return s('text', { class: 'dg-hover-label', x: r1(lx + 6), y: r1(ly - 4), 'aria-hidden': 'true' },
    truncate(rec.label || rec.kind, compact ? 18 : 30));
}

function describe(rec, msg) {
  const route = rec.from === rec.to ? `node ${rec.from} to itself` : `node ${rec.from} → node ${rec.to}`;
  let when = `sent at step ${rec.sent_step}`;
  if (rec.fate === 'pending') {
    when += msg && msg.status === 'held' ? ', held' : ', in flight';
  } else {
    when += `, ${FATE_WORDS[rec.fate] || rec.fate} at step ${rec.end_step}`;
  }
  return `${rec.label || rec.kind} (message ${rec.id}), ${route}; ${when}`;
}

function markerDefs() {
  const defs = s('defs');
  for (const kind of allKinds()) {
    defs.append(s('marker', {
      id: `pxs-dg-${kind}`, class: `dg-mk kind-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5,
      markerWidth: 9, markerHeight: 9, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
    }, s('path', { d: 'M0 0 L10 5 L0 10 z' })));
  }
  defs.append(s('pattern', {
    id: 'pxs-dg-hatch', class: 'dg-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)',
  }, s('line', { x1: 0, y1: 0, x2: 0, y2: 6 })));
  return defs;
}

/** Path for a message from (x1, y1) to (x2, y2); a loop to the right when it is self-addressed. */
function arrowPath(self, x1, y1, x2, y2, bulge) {
  if (self) {
    const my = (y1 + y2) / 2;
    return `M${r1(x1)} ${r1(y1)} Q${r1(x1 + bulge * 2)} ${r1(my)} ${r1(x2 + 3)} ${r1(y2)}`;
  }
  return `M${r1(x1)} ${r1(y1)} L${r1(x2)} ${r1(y2)}`;
}

function cross(x, y, r) {
  return s('path', { class: 'dg-cross', d: `M${r1(x - r)} ${r1(y - r)} L${r1(x + r)} ${r1(y + r)} M${r1(x - r)} ${r1(y + r)} L${r1(x + r)} ${r1(y - r)}` });
}

/**
 * The history records drawn in `win`: every pending one, and those whose arrow crosses the
 * band. History is sorted by sent_step (ids are given as messages are sent), so the band's
 * records are found by binary search; `longest` (the most steps any finished message took,
 * DiagramView keeps it from the frames' changes) bounds how far before the band an arrow that
 * reaches into it can start. Without a band (or a bound) every record is looked at.
 * @param {import('./paxos-scope').PaxosSnapshot} snapshot
 * @param {ReturnType<typeof diagramLayout>} layout
 * @param {{ from: number, to: number }} win
 * @param {number} longest
 */
export function visibleRecords(snapshot, layout, win, longest) {
  const history = snapshot.history;
  if (!Number.isFinite(win.from) || !Number.isFinite(win.to) || !Number.isFinite(longest)) return history;
  const stepA = Math.floor((win.from - layout.top) / layout.rowH);
  const stepB = Math.ceil((win.to - layout.top) / layout.rowH);
  const sent = (/** @type {import('./paxos-scope').MessageRecord} */ r) => r.sent_step;
  const lo = lastAtOrBefore(history, sent, stepA - longest - 1) + 1;
  const hi = lastAtOrBefore(history, sent, stepB) + 1;
  const out = history.slice(lo, hi);
  const seen = new Set(out.map((r) => r.id));
  for (const m of snapshot.messages) {
    const r = history[m.id - 1];
    if (r && r.id === m.id && !seen.has(r.id)) out.push(r);
  }
  return out;
}

/** The lane headers (node names), a separate strip that stays put while the body scrolls. */
export function renderDiagramHead(snapshot, layout) {
  const hgt = 26;
  const svg = s('svg', {
    class: 'dg-head-strip', viewBox: `0 0 ${layout.width} ${hgt}`, width: layout.width, height: hgt, 'aria-hidden': 'true',
  });
  svg.append(s('text', { class: 'dg-axis', x: 4, y: 17 }, 'step'));
  for (const n of snapshot.nodes) {
    const x = layout.lanes.get(n.id);
    const g = s('g', { class: `dg-lane-name${n.up ? '' : ' down'}`, 'data-node-id': n.id });
    g.append(s('text', { x: r1(x), y: 17, 'text-anchor': 'middle' },
      layout.compact ? `${n.id}${n.up ? '' : ' ✗'}` : `Node ${n.id}${n.up ? '' : ' (down)'}`));
    svg.append(g);
  }
  return svg;
}

/**
 * The diagram body. opts: { width, selected, window, marker } -> { svg, layout }. `window`
 * ({ from, to } in pixels) draws only the rows and arrows that cross that band (long runs
 * stay fast); the open arrowheads are always drawn.
 * Every message is a <g class="dg-msg" data-msg-id data-msg-kind data-fate> with a <title>;
 * a pending one holds its open arrowhead, <g class="dg-head" data-msg-id> (draggable, focusable).
 */
export function renderDiagram(snapshot, opts) {
  const layout = diagramLayout(snapshot, opts);
  const { width, height, lanes, yOf, yNow, slotY, rowH, compact } = layout;
  const win = opts.window || { from: -Infinity, to: Infinity };
  const visible = (ya, yb) => Math.max(ya, yb) >= win.from && Math.min(ya, yb) <= win.to;
  const svg = s('svg', {
    class: `dg${compact ? ' compact' : ''}`, viewBox: `0 0 ${width} ${height}`, width, height, role: 'group',
    'aria-label': `Space-time diagram: ${snapshot.nodes.length} nodes, steps 0 to ${snapshot.step}, ` +
      `${snapshot.history.length} messages, ${snapshot.messages.length} pending`,
  });
  svg.append(markerDefs());

  // Step rows: a faint rule and a number per step (every 5th only when there are many).
  const rows = s('g', { class: 'dg-rows', 'aria-hidden': 'true' });
  const every = rowH < 20 ? 2 : 1;
  const bad = new Set(snapshot.violations.flatMap((v) => v.steps));
  const firstStep = Math.max(0, Math.floor((win.from - layout.top) / rowH));
  const lastStep = Math.min(snapshot.step, Math.ceil((win.to - layout.top) / rowH));
  for (let st = firstStep; st <= lastStep; st++) {
    const y = yOf(st);
    const mark = bad.has(st) ? ' bad' : snapshot.chosen_step === st ? ' chosen' : '';
    if (st % every === 0 || mark) {
      rows.append(s('text', { class: `dg-step${mark}`, x: layout.gutter - 8, y: r1(y + 4), 'text-anchor': 'end' }, String(st)));
      rows.append(s('line', { class: `dg-rule${mark}`, x1: layout.gutter - 4, y1: r1(y), x2: width - 2, y2: r1(y) }));
    }
  }
  svg.append(rows);

  // Lanes.
  const laneG = s('g', { class: 'dg-lanes', 'aria-hidden': 'true' });
  for (const n of snapshot.nodes) {
    const x = r1(lanes.get(n.id));
    laneG.append(s('line', { class: 'dg-lane', 'data-lane': n.id, x1: x, y1: 4, x2: x, y2: r1(yNow) }));
    laneG.append(s('line', { class: `dg-lane future${n.up ? '' : ' down'}`, 'data-lane': n.id, x1: x, y1: r1(yNow), x2: x, y2: height - 4 }));
  }
  svg.append(laneG);

  // Outages: a hatched band on the node's lane from its crash to its restart (or to now).
  const outG = s('g', { class: 'dg-outages' });
  const bandW = compact ? 10 : 14;
  for (const o of snapshot.outages) {
    const x = lanes.get(o.node);
    if (x == null) continue;
    const y1 = yOf(o.from_step);
    const y2 = Math.max(y1 + rowH / 2, o.to_step == null ? yNow : yOf(o.to_step));
    if (!visible(y1, y2)) continue;
    const what = o.to_step == null
      ? `node ${o.node} down (since step ${o.from_step})`
      : `node ${o.node} down (steps ${o.from_step}–${o.to_step})`;
    const rect = { x: r1(x - bandW / 2), y: r1(y1), width: bandW, height: r1(y2 - y1), rx: 3 };
    outG.append(s('g', { class: `dg-outage${o.to_step == null ? ' ongoing' : ''}`, 'data-outage': o.node, role: 'img', 'aria-label': what },
      s('title', {}, what),
      s('rect', { class: 'dg-outage-bg', ...rect }),
      s('rect', { class: 'dg-outage-hatch', ...rect, fill: 'url(#pxs-dg-hatch)' })));
  }
  svg.append(outG);

  // "Now": the current step.
  svg.append(s('g', { class: 'dg-now', 'aria-hidden': 'true' },
    s('line', { x1: layout.gutter - 4, y1: r1(yNow), x2: width - 2, y2: r1(yNow) }),
    s('text', { x: width - 4, y: r1(yNow - 4), 'text-anchor': 'end' },
      snapshot.chosen != null ? `now · chosen ${truncate(snapshot.chosen, 12)}` : 'now')));

  // Compare mode: the first step where the two runs' outcomes differ, marked with a label.
  const mk = opts.marker;
  if (mk && mk.step <= snapshot.step) {
    const y = r1(yOf(mk.step));
    svg.append(s('g', { class: 'dg-diverge', 'data-step': mk.step, role: 'img', 'aria-label': `step ${mk.step}: ${mk.label}` },
      s('title', {}, `step ${mk.step}: ${mk.label}`),
      s('line', { x1: layout.gutter - 4, y1: y, x2: width - 2, y2: y }),
      s('text', { x: layout.gutter + 2, y: r1(y - 5) }, truncate(mk.label, Math.max(16, Math.floor(width / 7))))));
  }

  const pending = snapshot.messages;
  const pendingById = new Map(pending.map((m, k) => [m.id, { m, k }]));
  const records = visibleRecords(snapshot, layout, win, opts.longest ?? Infinity);

  const cut = cutLinks(snapshot);
  const msgs = s('g', { class: 'dg-msgs' });
  const heads = s('g', { class: 'dg-heads' });
  const headList = []; // [delivery position, element]: appended in delivery order
  /** @type {any} */
  let selectedG = null;
  for (const rec of records) {
    const x1 = lanes.get(rec.from);
    const x2 = lanes.get(rec.to);
    if (x1 == null || x2 == null) continue;
    const self = rec.from === rec.to;
    const bulge = Math.min(layout.lane * 0.3, compact ? 14 : 20);
    const y1 = yOf(rec.sent_step);
    const pend = rec.fate === 'pending' ? pendingById.get(rec.id) : null;
    if (!pend && !visible(y1, yOf(rec.end_step ?? snapshot.step))) continue;
    const held = pend && pend.m.status === 'held';
    const cls = ['dg-msg', `kind-${rec.kind}`, `fate-${rec.fate}`];
    if (held) cls.push('held');
    if (pend && !self && cut.has(linkKey(rec.from, rec.to))) cls.push('doomed');
    if (opts.selected === rec.id) cls.push('selected');
    const g = s('g', { class: cls.join(' '), 'data-msg-id': rec.id, 'data-msg-kind': rec.kind, 'data-fate': rec.fate });
    const title = describe(rec, pend && pend.m) + (cls.includes('doomed') ? ' (the link is cut: it cannot be delivered)' : '');
    g.append(s('title', {}, title));
    let d;
    let lx;
    let ly;
    if (pend) {
      const y2 = slotY(pend.k);
      d = arrowPath(self, x1, y1, x2, y2, bulge);
      lx = x2;
      ly = y2;
    } else if (rec.fate === 'delivered' && rec.end_step != null) {
      const y2 = yOf(rec.end_step);
      d = arrowPath(self, x1, y1, x2, y2, bulge);
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 2;
    } else {
      // Dropped or lost: the arrow stops short of the receiver and ends in a cross.
      const y2 = yOf(rec.end_step ?? snapshot.step);
      const ex = self ? x1 + bulge * 1.2 : x1 + (x2 - x1) * 0.6;
      d = self ? `M${r1(x1)} ${r1(y1)} Q${r1(x1 + bulge * 2)} ${r1((y1 + y2) / 2)} ${r1(ex)} ${r1(y2)}` : `M${r1(x1)} ${r1(y1)} L${r1(ex)} ${r1(y2)}`;
      lx = (x1 + ex) / 2;
      ly = (y1 + y2) / 2;
      g.append(s('path', { class: 'dg-hit', d }));
      g.append(s('path', { class: 'dg-line', d }));
      g.append(cross(ex, y2, compact ? 4.5 : 5.5));
      if (opts.selected !== rec.id) g.append(hoverLabel(rec, lx, ly, compact));
      msgs.append(g);
      if (opts.selected === rec.id) selectedG = { g, lx, ly, rec };
      continue;
    }
    g.append(s('path', { class: 'dg-hit', d }));
    g.append(s('path', { class: 'dg-line', d, 'marker-end': pend ? null : `url(#pxs-dg-${rec.kind})` }));
    if (!pend && opts.selected !== rec.id) g.append(hoverLabel(rec, lx, ly, compact));
    if (pend) {
      // The open arrowhead: a hollow chevron with a generous hit area, in a slot of its own.
      const dir = x2 >= x1 ? 1 : -1;
      const tip = self ? x2 + 3 : x2 - dir * 2;
      const back = self ? 9 : -dir * 9;
      const text = `${pend.k + 1}. ${held ? '‖ ' : ''}${truncate(rec.label || rec.kind, compact ? 15 : 26)}`;
      // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
      const hd = s('g', {
        class: `dg-head kind-${rec.kind}${held ? ' held' : ''}${cls.includes('doomed') ? ' doomed' : ''}`, 'data-msg-id': rec.id, 'data-msg-kind': rec.kind,
        tabindex: 0, role: 'button', transform: `translate(0 ${r1(ly)})`,
        'aria-label': `${text}: ${title}. Delivery position ${pend.k + 1} of ${pending.length}. Drag below another arrowhead, or Alt+Up/Down, to reorder`,
      });
      hd.append(s('title', {}, `${title}. Delivery ${pend.k + 1} of ${pending.length}: drag it below another open arrowhead to deliver it later`));
      hd.append(s('line', { class: 'dg-insert', x1: layout.gutter - 4, y1: -layout.slotH / 2, x2: width - 2, y2: -layout.slotH / 2 }));
      hd.append(s('line', { class: 'dg-insert after', x1: layout.gutter - 4, y1: layout.slotH / 2, x2: width - 2, y2: layout.slotH / 2 }));
      hd.append(s('rect', { class: 'dg-head-hit', x: r1(tip - 16), y: -12, width: 32, height: 24, rx: 6 }));
      hd.append(s('path', { class: 'dg-chevron', d: `M${r1(tip + back)} -6 L${r1(tip)} 0 L${r1(tip + back)} 6` }));
      // Beside the arrowhead, on whichever side has room for the text (about 6.4 px a character).
      const textW = text.length * 6.4;
      const roomRight = width - 4 - (tip + (self ? 14 : 12));
      const roomLeft = tip - 12 - layout.gutter;
      const right = roomRight >= textW || roomRight >= roomLeft;
      hd.append(s('text', {
        class: 'dg-head-label', x: r1(right ? tip + (self ? 14 : 12) : tip - 12), y: 4, 'text-anchor': right ? 'start' : 'end',
      }, text));
      headList.push([pend.k, hd]);
    }
    msgs.append(g);
    if (opts.selected === rec.id) selectedG = { g, lx, ly, rec };
  }
  svg.append(msgs);
  if (selectedG && selectedG.rec.fate !== 'pending') {
    // The selected message's label, on its arrow.
    const t = truncate(selectedG.rec.label || selectedG.rec.kind, compact ? 18 : 30);
    selectedG.g.append(s('text', { class: 'dg-sel-label', x: r1(selectedG.lx + 6), y: r1(selectedG.ly - 4) }, t));
  }
  headList.sort((x, y) => x[0] - y[0]);
  heads.append(...headList.map((x) => x[1]));
  svg.append(heads);
  if (!snapshot.history.length) {
    svg.append(s('text', { class: 'dg-empty', x: width / 2, y: r1(yNow + rowH * 1.4), 'text-anchor': 'middle' },
      'No messages yet: click a node and propose a value.'));
  }
  return { svg, layout };
}

/**
 * The diagram pane: a fixed strip of lane names over a scrolling body.
 * hooks: {
 *   select(id, toggle)          click on a message (toggle: a second click clears it), Enter on an arrowhead
 *   reorder(id, beforeId)       a dragged open arrowhead: deliver id right before beforeId (null: last)
 *   shift(id, delta)            Alt+Up/Down on an open arrowhead
 *   dragging(active)            a drag starts (true) or ends (false)
 * }
 */
export class DiagramView {
  /** @type {any} */ #hooks;
  /** @type {import('./types').Model | null} */ #snap = null;
  /** @type {number | null} */ #selected = null;
  #width = 0;
  /** @type {number | null} */ #lastStep = null;
  /** @type {any} */ #drag = null;
  #headBox = h('div', { class: 'dg-top' });
  #legendBox = h('div', { class: 'dg-legend-box' });
  /** The protocol whose kinds the legend shows. @type {string | null} */ #legendFor = null;
  // In the tab order (a scrollable region must be reachable by keyboard to scroll it with the arrows).
  #body = h('div', { class: 'dg-body', tabindex: 0, role: 'region', 'aria-label': 'Space-time diagram: steps run down; arrow keys scroll' });
  /** The most steps a finished message took (bounds the records a band must look at). */
  #longest = 0;
  /** @type {ReturnType<typeof diagramLayout> | null} */ #layout = null;
  /** @type {{ from: number, to: number } | null} */ #win = null;
  #scrollQueued = false;
  #resize;
  /** @type {HTMLElement} the pane */ el;
  /** Compare mode's divergence marker ({ step, label }), or null. @type {{ step: number, label: string } | null} */
  marker = null;

  /**
   * @param {HTMLElement} el the pane (class diagram), empty: the view fills it
   * @param {{ select(id: number, toggle: boolean): void, reorder(id: number, beforeId: number | null): void, shift(id: number, delta: number): void, dragging(on: boolean): void }} hooks
   */
  constructor(el, hooks) {
    this.#hooks = hooks;
    this.el = el;
    el.append(this.#legendBox, this.#headBox, this.#body);
    const root = /** @type {ShadowRoot | Document} */ (el.getRootNode());
    if (root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(diagramSheet())) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, diagramSheet()];
    }
    this.#resize = new ResizeObserver((entries) => {
      const w = Math.round(entries[entries.length - 1].contentRect.width);
      if (w > 0 && w !== this.#width) {
        this.#width = w;
        this.render();
      }
    });
    this.#resize.observe(this.#body);
    this.#wire();
  }

  /** The colour legend: a swatch per message kind, and what a dashed arrow and a cross mean. */
  #legend(/** @type {string[]} */ kinds) {
    const p = h('p', { class: 'dg-legend' });
    for (const kind of kinds) {
      p.append(h('span', { class: `kind-${kind}` }, h('i', { class: 'sw', 'aria-hidden': 'true' }), kind));
    }
    p.append(h('span', {}, h('i', { class: 'sw dash', 'aria-hidden': 'true' }), 'pending'),
      h('span', {}, h('b', { class: 'x', 'aria-hidden': 'true' }, '×'), 'dropped or lost'));
    return p;
  }

  /**
   * New state (or selection): re-render if shown. `frame` says what changed in the history
   * (all of it when complete), to keep the longest message's span up to date.
   * @param {import('./types').Model} snap
   * @param {number | null} selected
   * @param {{ full: boolean, history: import('./paxos-scope').MessageRecord[] } | null} [frame]
   */
  update(snap, selected, frame = null) {
    if (frame) {
      if (frame.full) this.#longest = 0;
      for (const r of frame.full ? snap.history : frame.history) {
        if (r.end_step != null && r.end_step - r.sent_step > this.#longest) this.#longest = r.end_step - r.sent_step;
      }
    }
    this.#snap = snap;
    this.#selected = selected;
    this.render();
  }

  render() {
    const snap = this.#snap;
    if (!snap || this.el.hidden || this.#drag) return;
    const width = this.#width || this.#body.clientWidth;
    if (!width) return;
    const active = /** @type {any} */ (this.el.getRootNode()).activeElement;
    const focusId = active && active.matches && active.matches('.dg-head[data-msg-id]') && this.el.contains(active)
      ? Number(active.dataset.msgId) : null;
    const proto = protocolOf(snap.config);
    const name = proto ? proto.name : 'paxos';
    if (this.#legendFor !== name) {
      this.#legendFor = name;
      this.#legendBox.replaceChildren(this.#legend(proto ? proto.kinds : words().kinds));
    }
    const layout = diagramLayout(snap, { width });
    const box = this.#body;
    const view = box.clientHeight || 600;
    let top = box.scrollTop;
    const moved = this.#lastStep !== snap.step;
    if (moved) top = this.#nowScroll(layout, top, view, snap.messages.length);
    // Draw a band three views tall around what is visible; scrolling out of it redraws.
    const win = { from: top - view, to: top + 2 * view };
    const { svg } = renderDiagram(snap, { width, selected: this.#selected, window: win, longest: this.#longest, marker: this.marker });
    this.#layout = layout;
    this.#win = win;
    this.#headBox.replaceChildren(renderDiagramHead(snap, layout));
    const old = box.querySelector('svg');
    if (old) old.replaceWith(svg);
    else box.append(svg);
    if (moved) {
      this.#lastStep = snap.step;
      box.scrollTop = top;
    }
    if (focusId != null) {
      const again = svg.querySelector(`.dg-head[data-msg-id="${focusId}"]`);
      if (again) again.focus({ preventScroll: true });
    }
  }

  /** Redraw when scrolling leaves the drawn band (at most once a frame). */
  #onScroll() {
    if (this.#scrollQueued) return;
    this.#scrollQueued = true;
    requestAnimationFrame(() => {
      this.#scrollQueued = false;
      const w = this.#win;
      const box = this.#body;
      if (!w || this.#drag) return;
      if (box.scrollTop < w.from || box.scrollTop + box.clientHeight > w.to) this.render();
    });
  }

  /**
   * The scroll position after a step: "now" in view with the open arrowheads below it and
   * as much history above as fits (at least 45% of the view when the arrowheads overflow).
   */
  #nowScroll(L, top, view, pending) {
    const bottom = Math.min(L.height, L.slotY(pending) + 12);
    const below = bottom - L.yNow;
    return Math.max(0, below <= view * 0.55 ? bottom - view : L.yNow - view * 0.45);
  }

  #heads() { return [...this.#body.querySelectorAll('.dg-head[data-msg-id]')]; }

  #clearMarks() {
    for (const hd of this.#heads()) hd.classList.remove('insert-before', 'insert-after', 'dragging');
  }

  #indexAt(clientY) {
    return insertionIndex(this.#heads().map((hd) => {
      const b = hd.querySelector('.dg-head-hit').getBoundingClientRect();
      return b.top + b.height / 2;
    }), clientY);
  }

  #wire() {
    const body = this.#body;
    body.addEventListener('scroll', () => this.#onScroll(), { passive: true });
    body.addEventListener('pointerdown', (e) => {
      if (this.#drag || (e.pointerType === 'mouse' && e.button !== 0)) return;
      const hd = closest(e, '.dg-head[data-msg-id]');
      if (!hd) return;
      e.preventDefault();
      hd.focus({ preventScroll: true });
      const m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(hd.getAttribute('transform') || '');
      this.#drag = { id: Number(hd.dataset.msgId), hd, pointerId: e.pointerId, x0: e.clientX, y0: e.clientY,
        ty: m ? Number(m[2]) : 0, moved: false };
      body.setPointerCapture(e.pointerId);
    });
    body.addEventListener('pointermove', (e) => {
      const st = this.#drag;
      if (!st || e.pointerId !== st.pointerId) return;
      const dy = e.clientY - st.y0;
      if (!st.moved) {
        if (Math.hypot(e.clientX - st.x0, dy) < SLOP) return;
        st.moved = true;
        this.#hooks.dragging(true);
      }
      const ctm = st.hd.ownerSVGElement && st.hd.ownerSVGElement.getScreenCTM();
      const scale = ctm && ctm.d ? ctm.d : 1;
      st.hd.setAttribute('transform', `translate(0 ${r1(st.ty + dy / scale)})`);
      this.#clearMarks();
      st.hd.classList.add('dragging');
      const list = this.#heads().filter((x) => x !== st.hd);
      const i = insertionIndex(list.map((x) => {
        const b = x.querySelector('.dg-head-hit').getBoundingClientRect();
        return b.top + b.height / 2;
      }), e.clientY);
      if (i < list.length) list[i].classList.add('insert-before');
      else if (list.length) list[list.length - 1].classList.add('insert-after');
      // Scroll when dragging near the top or bottom edge of the pane.
      const r = body.getBoundingClientRect();
      if (e.clientY > r.bottom - 16) body.scrollTop += 12;
      else if (e.clientY < r.top + 16) body.scrollTop -= 12;
    });
    const finish = (e, cancelled) => {
      const st = this.#drag;
      if (!st || (e && e.pointerId !== st.pointerId)) return;
      if (body.hasPointerCapture(st.pointerId)) body.releasePointerCapture(st.pointerId);
      const others = this.#heads().filter((x) => x !== st.hd);
      const y = e ? e.clientY : 0;
      const i = cancelled ? -1 : insertionIndex(others.map((x) => {
        const b = x.querySelector('.dg-head-hit').getBoundingClientRect();
        return b.top + b.height / 2;
      }), y);
      this.#clearMarks();
      this.#drag = null;
      if (!st.moved) {
        if (!cancelled) this.#hooks.select(st.id, false);
        return;
      }
      this.#hooks.dragging(false);
      const order = this.#heads().map((x) => Number(x.dataset.msgId));
      const from = order.indexOf(st.id);
      if (cancelled || i === from) {
        this.render();
        return;
      }
      this.#hooks.reorder(st.id, i < others.length ? Number(others[i].dataset.msgId) : null);
      this.render();
    };
    body.addEventListener('pointerup', (e) => finish(e, false));
    body.addEventListener('pointercancel', (e) => finish(e, true));
    body.addEventListener('lostpointercapture', (e) => {
      if (this.#drag && e.pointerId === this.#drag.pointerId) finish(null, true);
    });
    body.addEventListener('touchstart', (e) => {
      if (closest(e, '.dg-head[data-msg-id]')) e.preventDefault();
    }, { passive: false });
    body.addEventListener('click', (e) => {
      const g = closest(e, '.dg-msg[data-msg-id]');
      if (g && !closest(e, '.dg-head')) this.#hooks.select(Number(g.dataset.msgId), true);
    });
    body.addEventListener('keydown', (e) => {
      const hd = closest(e, '.dg-head[data-msg-id]');
      if (!hd || e.ctrlKey || e.metaKey) return;
      const id = Number(hd.dataset.msgId);
      if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) this.#hooks.shift(id, e.key === 'ArrowUp' ? -1 : 1);
      else if (!e.altKey && (e.key === 'Enter' || e.key === ' ')) this.#hooks.select(id, false);
      else if (!e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        const list = this.#heads();
        const next = list[list.indexOf(hd) + (e.key === 'ArrowUp' ? -1 : 1)];
        if (next) next.focus();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });
  }
}
