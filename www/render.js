// Pure render functions: snapshot (+ view options) -> DOM/SVG. No state, no events.
// DOM is built with createElement(NS) and textContent only. The message kinds and the safety
// properties come from the core (words(): call them once the core is loaded).

import { words, protocolOf, allKinds } from './core.js';

/**
 * The log strip's drawing (log-strip.js), loaded on first use by the element when a run has a
 * log; until then (and for single-decree Paxos, which has none) cards have no strip.
 * @type {any}
 */
let strip = null;
/** Install the loaded log-strip module (the element does, once). @param {any} mod */
export function useStrip(mod) { strip = mod; }

const SVG_NS = 'http://www.w3.org/2000/svg';

const ROLE_LETTER = { proposer: 'P', acceptor: 'A', learner: 'L' };

function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c == null || c === false) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return node;
}

/** HTML element helper: h('li', {class: 'x'}, 'text', child) */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** SVG element helper. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

const r1 = (n) => Math.round(n * 10) / 10;

export function truncate(text, max) {
  const t = String(text);
  return t.length > max ? t.slice(0, Math.max(1, max - 1)) + '…' : t;
}

export function rolesShort(roles) {
  return roles.map((r) => ROLE_LETTER[r] || r[0].toUpperCase()).join(' ');
}

// ---------------------------------------------------------------- geometry

/**
 * Where everything goes on a stage of width x height pixels (the SVG's viewBox is the
 * pixel size, so font sizes are real pixels).
 */
export function ringLayout(ids, { width, height, votes = false, lines = 0, strip = 0 }) {
  const compact = width < 560 || height < 440;
  const small = compact && ids.length >= 6;
  // `votes`: some node is a proposer, so every card has room for two lines of vote counts.
  const card = votes
    ? (small ? { w: 84, h: 66, lh: 10.5, max: 6 } : compact ? { w: 98, h: 76, lh: 12, max: 9 } : { w: 164, h: 100, lh: 15, max: 14 })
    : (small ? { w: 84, h: 54, lh: 11.5, max: 6 } : compact ? { w: 98, h: 62, lh: 13, max: 9 } : { w: 154, h: 84, lh: 17, max: 14 });
  // `lines`: rows beyond the three a card has room for (more rows, a status line); `strip`:
  // the height of a log strip (0: none).
  const stripH = strip > 0 ? (compact ? 12 : 15) + 4 + card.lh : 0;
  if (lines > 0 || stripH > 0) card.h = Math.round(card.h + lines * card.lh + stripH);
  const dropH = compact ? 40 : 48;
  const areaH = Math.max(card.h + 20, height - dropH - 12);
  const cx = width / 2;
  const cy = areaH / 2 + 2;
  const one = ids.length <= 1;
  const rx = one ? 0 : Math.max(card.w / 2, width / 2 - card.w / 2 - 8);
  const ry = one ? 0 : Math.max(card.h / 2, Math.min(rx * 1.35, areaH / 2 - card.h / 2 - 6));
  const positions = new Map();
  ids.forEach((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ids.length);
    positions.set(id, { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle), angle });
  });
  const dropZone = { x: 6, y: height - dropH - 6, w: Math.max(10, width - 12), h: dropH };
  return { width, height, compact, small, votes, card, cx, cy, rx, ry, positions, dropZone, strip, stripH };
}

/**
 * The room every card of `snapshot` needs (ringLayout's options): `votes`, some node is a
 * proposer; `lines`, rows beyond three, plus a status line for a protocol other than
 * single-decree Paxos (kept whether or not a node has one now, so cards do not jump);
 * `strip`, the slots of a log strip (0: no log).
 * @param {import('./paxos-scope').PaxosSnapshot} snapshot
 */
export function cardNeeds(snapshot) {
  const nodes = snapshot.nodes;
  const rows = Math.max(0, ...nodes.map((n) => (n.rows ? n.rows.length : 0)));
  const status = !!(snapshot.config.protocol && snapshot.config.protocol !== 'paxos') || nodes.some((n) => n.status);
  return { votes: nodes.some((n) => n.proposer), lines: Math.max(0, rows - 3) + (status ? 1 : 0), strip: logLength(snapshot) };
}

/** How many slots a run's log strip shows: the config's `slots`, else the highest slot any node knows (0: no log). */
export function logLength(/** @type {import('./paxos-scope').PaxosSnapshot} */ snapshot) {
  const seen = Math.max(0, ...snapshot.nodes.flatMap((n) => (n.slots || []).map((x) => x.slot)));
  return Math.max(snapshot.config.slots || 0, seen);
}


/** Distance from a card's centre to its border along the unit direction (dx, dy). */
function trim(card, dx, dy) {
  const tx = Math.abs(dx) < 1e-9 ? Infinity : card.w / 2 / Math.abs(dx);
  const ty = Math.abs(dy) < 1e-9 ? Infinity : card.h / 2 / Math.abs(dy);
  return Math.min(tx, ty);
}

function outward(layout, p) {
  const dx = p.x - layout.cx;
  const dy = p.y - layout.cy;
  const len = Math.hypot(dx, dy);
  return len < 1e-6 ? { x: 0, y: -1 } : { x: dx / len, y: dy / len };
}

/**
 * Geometry of every pending message: arrow endpoints and the envelope's centre.
 * `time` is the (animated) logical time; with `animate` false the envelopes are spread
 * evenly along their arrows instead. Pure: the animation loop calls this every frame.
 */
export function placeMessages(snapshot, layout, { time = snapshot.time, animate = false, grouped = false } = {}) {
  const groups = new Map();
  for (const m of snapshot.messages) {
    const key = `${m.from}>${m.to}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  const out = new Map();
  for (const list of groups.values()) {
    const held = list.filter((m) => m.status === 'held');
    const flying = list.filter((m) => m.status !== 'held');
    list.forEach((m) => {
      const k = list.indexOf(m);
      const a = layout.positions.get(m.from);
      const b = layout.positions.get(m.to);
      if (!a || !b) return;
      if (m.from === m.to) {
        const o = outward(layout, a);
        const u = layout.positions.size > 1 ? { x: -o.x, y: -o.y } : o;
        const base = trim(layout.card, u.x, u.y);
        // Clear of the card whatever the direction: add the envelope's projected half-size.
        const half = grouped ? 6 : (layout.compact ? 34 : 50) * Math.abs(u.x) + (layout.compact ? 10 : 12) * Math.abs(u.y);
        const dist = base + 12 + half + k * (grouped ? 12 : layout.compact ? 20 : 24);
        const px = a.x + u.x * dist;
        const py = a.y + u.y * dist;
        const side = { x: -u.y, y: u.x };
        const e1 = { x: a.x + u.x * base + side.x * 14, y: a.y + u.y * base + side.y * 14 };
        const e2 = { x: a.x + u.x * base - side.x * 14, y: a.y + u.y * base - side.y * 14 };
        const path = `M${r1(e1.x)} ${r1(e1.y)} Q${r1(px + side.x * 30)} ${r1(py + side.y * 30)} ${r1(px)} ${r1(py)} ` +
          `Q${r1(px - side.x * 30)} ${r1(py - side.y * 30)} ${r1(e2.x)} ${r1(e2.y)}`;
        out.set(m.id, { x: px, y: py, path, self: true });
        return;
      }
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const dx = (b.x - a.x) / len;
      const dy = (b.y - a.y) / len;
      const nx = -dy;
      const ny = dx;
      // Grouped (many messages): one arrow per link, the marks on it in a row.
      const off = grouped ? 7 : 6 + (k % 4) * 5;
      const ta = trim(layout.card, dx, dy);
      const sx = a.x + dx * ta + nx * off;
      const sy = a.y + dy * ta + ny * off;
      const ex = b.x - dx * ta + nx * off;
      const ey = b.y - dy * ta + ny * off;
      let p;
      if (m.status === 'held') {
        p = grouped ? 0.1 + 0.05 * held.indexOf(m) : 0.12 + 0.1 * held.indexOf(m);
      } else if (animate) {
        p = 0.06 + 0.88 * flightProgress(m, time);
      } else {
        const j = flying.indexOf(m);
        const n = flying.length;
        const lo = held.length ? 0.42 : grouped ? 0.2 : 0.32;
        const hi = grouped ? 0.84 : 0.78;
        p = n === 1 ? 0.55 : lo + ((hi - lo) * j) / (n - 1);
      }
      p = Math.min(0.96, Math.max(0.04, p));
      const at = pointAlong(sx, sy, ex, ey, p);
      out.set(m.id, {
        x: at.x,
        y: at.y,
        path: `M${r1(sx)} ${r1(sy)} L${r1(ex)} ${r1(ey)}`,
        self: false,
        mid: grouped ? pointAlong(sx + nx * 13, sy + ny * 13, ex + nx * 13, ey + ny * 13, 0.5) : null,
      });
    });
  }
  return out;
}

/**
 * What releasing a dragged envelope at `point` (stage pixels) means:
 * 'drop' | 'hold' | 'release' | 'deliver' | null (snap back).
 */
export function dragTarget(layout, msg, point) {
  const { x, y } = point;
  const z = layout.dropZone;
  if (x >= z.x && x <= z.x + z.w && y >= z.y && y <= z.y + z.h) return 'drop';
  if (x < 0 || y < 0 || x > layout.width || y > layout.height) return 'drop';
  const a = layout.positions.get(msg.from);
  const b = layout.positions.get(msg.to);
  if (!a || !b) return null;
  const near = Math.max(layout.card.w, layout.card.h) * 0.55;
  const held = msg.status === 'held';
  if (Math.hypot(x - b.x, y - b.y) < near) return 'deliver';
  if (msg.from !== msg.to && Math.hypot(x - a.x, y - a.y) < near) return held ? null : 'hold';
  const m = Math.max(layout.card.w, layout.card.h) * 0.7;
  const ex = (x - layout.cx) / (layout.rx + m);
  const ey = (y - layout.cy) / (layout.ry + m);
  if (ex * ex + ey * ey > 1) return 'drop';
  if (msg.from === msg.to) return null;
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const t = ((x - a.x) * vx + (y - a.y) * vy) / (vx * vx + vy * vy || 1);
  if (!held && t < 0.25) return 'hold';
  if (held && t > 0.6) return 'release';
  return null;
}

/** Index (0..midpoints.length) where a row dragged to `y` would be inserted. */
export function insertionIndex(midpoints, y) {
  for (let i = 0; i < midpoints.length; i++) if (y < midpoints[i]) return i;
  return midpoints.length;
}

/** Above this many pending messages the ring draws small marks grouped per link (renderRing). */
export const GROUP_THRESHOLD = 20;

/**
 * The pending messages grouped per directed link, in order of first appearance in the queue:
 * [{ key: '1>2', from, to, ids: [message ids in queue order], kinds: { Prepare: 2, … } }].
 */
export function groupByLink(messages) {
  /** @type {Map<string, { key: string, from: number, to: number, ids: number[], kinds: Record<string, number> }>} */
  const groups = new Map();
  for (const m of messages) {
    const key = `${m.from}>${m.to}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, from: m.from, to: m.to, ids: [], kinds: {} }));
    g.ids.push(m.id);
    g.kinds[m.kind] = (g.kinds[m.kind] || 0) + 1;
  }
  return [...groups.values()];
}

/** How far (0..1) a message has travelled at logical time `time`: 0 when sent, 1 when due. */
export function flightProgress(msg, time) {
  const span = Math.max(1, msg.due - msg.sent_at);
  return Math.min(1, Math.max(0, (time - msg.sent_at) / span));
}

/** The point at fraction `p` (0..1) of the segment from (x1, y1) to (x2, y2). */
export function pointAlong(x1, y1, x2, y2, p) {
  return { x: x1 + (x2 - x1) * p, y: y1 + (y2 - y1) * p };
}

/**
 * What is left of a timer at logical time `time`, from 1 (just armed, at `since`) to 0 (due,
 * at `at`): the countdown arc's share of the circle.
 */
export function timerLeft(timer, time) {
  const since = timer.since ?? timer.at;
  const span = timer.at - since;
  if (!(span > 0)) return time >= timer.at ? 0 : 1;
  return Math.min(1, Math.max(0, (timer.at - time) / span));
}

/**
 * An SVG path for the arc of radius `r` centred on (0, 0) covering `frac` (0..1) of the
 * circle, clockwise from twelve o'clock; '' when nothing is left, two half arcs when all is.
 */
export function arcPath(r, frac) {
  const f = Math.min(1, Math.max(0, frac));
  if (f <= 0) return '';
  if (f >= 0.9999) return `M0 ${r1(-r)} A${r} ${r} 0 1 1 0 ${r1(r)} A${r} ${r} 0 1 1 0 ${r1(-r)}`;
  const a = 2 * Math.PI * f;
  const x = r1(r * Math.sin(a));
  const y = r1(-r * Math.cos(a));
  return `M0 ${r1(-r)} A${r} ${r} 0 ${f > 0.5 ? 1 : 0} 1 ${x} ${y}`;
}

/**
 * A proposer's vote counts as the card shows them: ['2/3 promises, quorum 2', '1/3 accepts']
 * (the second line once it is in phase 2), counted among `acceptors` acceptors. Past a phase
 * the core reports the quorum it reached, so the promise count stays through phase 2.
 * An idle proposer: ['proposer idle', '']; not a proposer: null.
 */
export function voteLines(node, acceptors, compact = false, { phases = PAXOS_PHASES, promises = true } = {}) {
  const p = node.proposer;
  if (!p) return null;
  // The protocol's phases in order: the first is idle; with promises, the second collects them
  // (phase 1) and acceptances count from the third on; without promises, from the second on.
  const at = phases.indexOf(p.phase);
  if (at <= 0 && p.ballot == null) return [compact ? 'idle' : 'proposer idle', ''];
  const acc = at >= (promises ? 2 : 1) ? `${p.accepts}/${acceptors} ${compact ? 'acc' : 'accepts'}` : '';
  if (!promises) return [acc && `${acc}, ${compact ? 'q' : 'quorum'} ${p.quorum}`, ''];
  const prom = compact ? `${p.promises}/${acceptors} prom, q ${p.quorum}` : `${p.promises}/${acceptors} promises, quorum ${p.quorum}`;
  return [prom, acc];
}

const PAXOS_PHASES = ['idle', 'preparing', 'accepting', 'done'];

/** What voteLines needs of the run's protocol: its phases and whether it collects promises. */
export function voteStyle(/** @type {any} */ config) {
  const info = protocolOf(config);
  return info ? { phases: info.phases, promises: info.kinds.includes('Promise') } : undefined;
}

// ---------------------------------------------------------------- labels

export function envelopeText(msg, compact) {
  if (!compact) return truncate(msg.label || msg.kind, 34);
  return truncate([msg.kind, msg.ballot, msg.slot != null ? `[s${msg.slot}]` : null].filter(Boolean).join(' '), msg.slot != null ? 21 : 16);
}

export function describeMessage(msg) {
  const status = msg.status === 'held' ? 'held' : 'in flight';
  return `${msg.label || msg.kind}, from node ${msg.from} to node ${msg.to}, ${status}`;
}

export function describeNode(n) {
  const parts = [`Node ${n.id}`, n.roles.join(', '), n.up ? 'up' : 'crashed'];
  for (const r of n.rows || []) parts.push(`${r.label} ${r.text === '—' ? 'nothing' : r.text}`);
  if (n.status) parts.push(n.status);
  if (n.blocked) parts.push(String(n.blocked));
  if (n.leader) parts.push('believes itself leader');
  if (strip && n.slots && n.slots.length) parts.push(strip.describeLog(n.slots));

  return parts.join('; ');
}

// ---------------------------------------------------------------- the ring

/** "a-b" with a < b: the key of the (unordered) link between nodes a and b. */
export function linkKey(a, b) {
  return `${Math.min(a, b)}-${Math.max(a, b)}`;
}

/** The snapshot's cut links as a Set of linkKey()s. */
export function cutLinks(snapshot) {
  return new Set(snapshot.cut.map(([a, b]) => linkKey(a, b)));
}

/**
 * Where the scissors mark of the cut link pa-pb goes: the middle of the visible part of the
 * line, or a point nearer one end when envelopes on that link sit in the middle.
 */
function cutMarkAt(layout, pa, pb, envelopes) {
  const len = Math.hypot(pb.x - pa.x, pb.y - pa.y) || 1;
  const dx = (pb.x - pa.x) / len;
  const dy = (pb.y - pa.y) / len;
  const ta = trim(layout.card, dx, dy);
  const at = (f) => {
    const d = ta + (len - 2 * ta) * f;
    return { x: pa.x + dx * d, y: pa.y + dy * d };
  };
  let best = at(0.5);
  let room = -1;
  for (const f of [0.5, 0.16, 0.84]) {
    const p = at(f);
    const near = Math.min(Infinity, ...envelopes.map((e) => Math.hypot(e.x - p.x, e.y - p.y)));
    if (near > 40) return p;
    if (near > room) { room = near; best = p; }
  }
  return best;
}

function markerDefs() {
  const defs = s('defs');
  for (const kind of allKinds()) {
    defs.append(s('marker', {
      id: `pxs-arrow-${kind}`, class: `mk kind-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
    }, s('path', { d: 'M0 0 L10 5 L0 10 z' })));
  }
  return defs;
}

/**
 * One armed timer as a countdown arc: a faint full circle and, over it, the part of the wait
 * still left at `time` (timerLeft). The element keeps `since` and `at` so that the play loop
 * can turn the arc without a redraw (updateTimers).
 */
function renderTimer(timer, time, x, y, r) {
  const name = `${timer.kind} timer`;
  const left = timer.at - time;
  const what = `${name}: armed at t${timer.since ?? timer.at}, fires at t${timer.at}${left > 0 ? ` (in ${left} ticks)` : ' (due now)'}`;
  return s('g', { class: `timer timer-${timer.kind}`, 'data-timer': timer.kind, 'data-since': timer.since ?? timer.at, 'data-at': timer.at,
    transform: `translate(${r1(x)} ${r1(y)})` },
  s('title', {}, what),
  s('circle', { class: 'timer-track', r }),
  s('path', { class: 'timer-arc', d: arcPath(r, timerLeft(timer, time)) }),
  s('text', { class: 'timer-letter', x: 0, y: r * 0.42, 'text-anchor': 'middle' }, timer.kind[0]));
}

/** Turn every countdown arc under `root` to logical time `time` (the play loop's frames). */
export function updateTimers(root, time) {
  for (const g of root.querySelectorAll('.timer[data-at]')) {
    const el = /** @type {SVGElement} */ (g);
    const t = { at: Number(el.dataset.at), since: Number(el.dataset.since) };
    const arc = el.querySelector('.timer-arc');
    const r = Number(el.querySelector('.timer-track')?.getAttribute('r')) || 6;
    if (arc) arc.setAttribute('d', arcPath(r, timerLeft(t, time)));
  }
}

/** @param {any} node @param {any} layout @param {number | null} selected @param {{ timers?: any[], time?: number, acceptors?: number, votes?: { phases: string[], promises: boolean } }} [opts] */
function renderNode(node, layout, selected, { timers = [], time = 0, acceptors = 0, votes: style } = {}) {
  const { w, h: ch } = layout.card;
  const p = layout.positions.get(node.id);
  const compact = layout.compact;
  const cls = ['node', node.up ? 'up' : 'down'];
  if (selected === node.id) cls.push('selected');
  if (node.leader) cls.push('leader');
  // Single decree: the node learned the value (the core's `learned`; null for a log, whose
  // strip marks each slot it knows chosen).
  if (node.learned != null) cls.push('has-learned');
  if (node.blocked) cls.push('blocked');
  if (node.roles.length === 1 && node.roles[0] === 'client') cls.push('client');
  const g = s('g', {
    class: cls.join(' '), 'data-node-id': node.id, transform: `translate(${r1(p.x)} ${r1(p.y)})`,
    tabindex: 0, role: 'button', 'aria-pressed': selected === node.id ? 'true' : 'false',
  });
  g.append(s('title', {}, describeNode(node)));
  g.append(s('rect', { class: 'card', x: -w / 2, y: -ch / 2, width: w, height: ch, rx: 8 }));
  const lh = layout.card.lh;
  const x0 = -w / 2 + (compact ? 6 : 9);
  let y = -ch / 2 + (compact ? 4 : 1) + lh;
  const max = layout.card.max;
  const head = s('text', { class: 'head', x: x0, y });
  head.append(s('tspan', { class: 'nid' }, compact ? `${node.id}` : `Node ${node.id}`));
  // The spaces between tspans (a space's width taken off dx) keep the words apart for
  // assistive tech and axe, which read the text with no gaps where only dx separates them.
  head.append(' ', s('tspan', { class: 'roles', dx: compact ? 1 : 4 }, rolesShort(node.roles)));
  if (node.leader) head.append(' ', s('tspan', { class: 'star', dx: 1 }, '★'));
  g.append(head);
  if (!node.up) {
    const tw = compact ? 44 : 62;
    g.append(s('g', { class: 'crashed-tag', transform: `translate(${w / 2 - tw / 2 - 6} ${-ch / 2})` },
      s('rect', { x: -tw / 2, y: -8, width: tw, height: 16, rx: 8 }),
      s('text', { x: 0, y: 3.5, 'text-anchor': 'middle' }, compact ? 'DOWN' : 'CRASHED')));
  }
  // The protocol's rows, as the core describes them: a line is as wide as "accepted 42.1: " and
  // `max` characters of a value.
  for (const r of node.rows || []) {
    y += lh;
    const label = compact ? r.short : r.label;
    const value = truncate(r.text, max + (compact ? 8 : 15) - label.length - 1);
    const t = s('text', { class: `line ${r.key}`, x: x0, y });
    t.append(s('tspan', { class: 'k' }, label + ' '), s('tspan', { class: value === '—' ? 'v' : 'v some' }, value));
    g.append(t);
  }
  if (node.status) {
    y += lh;
    g.append(s('text', { class: 'line state', x: x0, y }, truncate(node.blocked ? `BLOCKED · ${node.status}` : node.status, max + (compact ? 8 : 15))));
  }
  const votes = layout.votes ? voteLines(node, acceptors, compact, style) : null;
  if (votes) {
    votes.forEach((text, i) => {
      y += lh;
      if (text) g.append(s('text', { class: `line votes${i ? ' accepts' : ' promises'}`, x: x0, y }, text));
    });
  }
  // A client keeps no log: no strip (its status line says what it waits for).
  if (strip && layout.strip && !cls.includes('client')) g.append(strip.renderStrip(node.slots || [], layout, y));
  // The armed timers, as countdown arcs along the card's top edge, right to left.
  const tr = compact ? 5.5 : 7;
  timers.forEach((t, i) => {
    g.append(renderTimer(t, time, w / 2 - tr - 5 - i * (2 * tr + 4), -ch / 2 + tr + 4, tr));
  });
  if (!node.up) {
    g.append(s('line', { class: 'cross', x1: -w / 2, y1: ch / 2, x2: w / 2, y2: -ch / 2 }));
  }
  // The name is the card's visible text (label in name, WCAG 2.5.3); <title> adds the spelled-out description.
  for (const c of [...g.children].slice(2)) c.before(' '); // between lines: not drawn in SVG, read as a gap
  g.setAttribute('aria-label', [...g.querySelectorAll('text')].filter((t) => !t.closest('[aria-hidden]')).map((t) => t.textContent.trim()).join(' '));

  return g;
}

function renderEnvelope(msg, place, compact, doomed = false) {
  const text = (msg.status === 'held' ? '‖ ' : '') + envelopeText(msg, compact);
  const cut = doomed ? ` The link between node ${msg.from} and node ${msg.to} is cut: it cannot be delivered (heal the link or drop it).` : '';
  const fs = compact ? 10.5 : 12;
  const w = Math.round(text.length * fs * 0.6 + 14);
  const ht = compact ? 18 : 22;
  const g = s('g', {
    class: `env kind-${msg.kind}${msg.status === 'held' ? ' held' : ''}${doomed ? ' doomed' : ''}`,
    'data-msg-id': msg.id, 'data-msg-kind': msg.kind,
    transform: `translate(${r1(place.x)} ${r1(place.y)})`,
    tabindex: 0, role: 'button',
    'aria-label': `${describeMessage(msg)}.${cut} Enter delivers, Delete drops, H holds or releases, D duplicates, M opens the menu`,
  });
  g.append(s('title', {}, `${describeMessage(msg)}.${cut} Click to deliver, drag to the drop zone to drop, drag toward the sender to hold; right-click for more`));
  g.append(s('rect', { class: 'hit', x: -w / 2 - 6, y: -ht / 2 - 6, width: w + 12, height: ht + 12, rx: 8 }));
  g.append(s('rect', { class: 'box', x: -w / 2, y: -ht / 2, width: w, height: ht, rx: 5 }));
  g.append(s('text', { class: 'elabel', x: 0, y: fs * 0.36, 'text-anchor': 'middle' }, text));
  return g;
}

/**
 * A message in the grouped mode: a small kind-coloured mark (hollow when held) with the same
 * name, keys and gestures as an envelope; its label shows on hover, focus or selection (the
 * ring view's tip layer).
 */
function renderMark(msg, place, doomed = false) {
  const cut = doomed ? ` The link between node ${msg.from} and node ${msg.to} is cut: it cannot be delivered (heal the link or drop it).` : '';
  const g = s('g', {
    class: `env mark kind-${msg.kind}${msg.status === 'held' ? ' held' : ''}${doomed ? ' doomed' : ''}`,
    'data-msg-id': msg.id, 'data-msg-kind': msg.kind,
    transform: `translate(${r1(place.x)} ${r1(place.y)})`,
    tabindex: 0, role: 'button',
    'aria-label': `${describeMessage(msg)}.${cut} Enter delivers, Delete drops, H holds or releases, D duplicates, M opens the menu`,
  });
  g.append(s('circle', { class: 'hit', r: 9 }));
  g.append(s('circle', { class: 'box', r: 5 }));
  return g;
}

/**
 * A message's full label over everything else (the grouped mode's tip: hover, focus or the
 * selected message), at `place`, kept inside the stage.
 */
export function renderTip(msg, place, layout) {
  const text = (msg.status === 'held' ? '‖ ' : '') + truncate(msg.label || msg.kind, 34) + `  ${msg.from}→${msg.to}`;
  const fs = layout.compact ? 10.5 : 12;
  const w = Math.round(text.length * fs * 0.6 + 14);
  const ht = layout.compact ? 18 : 22;
  const x = Math.min(layout.width - w / 2 - 4, Math.max(w / 2 + 4, place.x));
  const y = Math.max(ht / 2 + 4, place.y - ht / 2 - 10);
  return s('g', { class: `env-tip kind-${msg.kind}${msg.status === 'held' ? ' held' : ''}`, 'data-tip-for': msg.id, 'aria-hidden': 'true',
    transform: `translate(${r1(x)} ${r1(y)})` },
  s('rect', { class: 'box', x: -w / 2, y: -ht / 2, width: w, height: ht, rx: 5 }),
  s('text', { class: 'elabel', x: 0, y: fs * 0.36, 'text-anchor': 'middle' }, text));
}

export const MENU_ITEMS = [
  ['deliver', 'Deliver now'],
  ['drop', 'Drop (lose it)'],
  ['hold', 'Hold'],
  ['release', 'Release'],
  ['duplicate', 'Duplicate'],
];

/** Whether a single-decree message carries a value why() can explain: an Accept, an Accepted, a Promise reporting an accepted proposal. */
export function carriesValue(msg, config) {
  if ((config?.protocol ?? 'paxos') !== 'paxos') return false;
  return msg.kind === 'Accept' || msg.kind === 'Accepted' || (msg.kind === 'Promise' && msg.prior != null);
}

function renderMenu(msg, place, layout, config) {
  const items = MENU_ITEMS.filter(([a]) => (msg.status === 'held' ? a !== 'hold' : a !== 'release'));
  if (carriesValue(msg, config)) items.push(['why', 'Why is this safe?']);
  const w = 140;
  const ih = 30;
  const hgt = items.length * ih + 8;
  let x = place.x + 16;
  let y = place.y + 14;
  if (x + w > layout.width - 4) x = Math.max(4, place.x - 16 - w);
  if (y + hgt > layout.height - 4) y = Math.max(4, layout.height - 4 - hgt);
  const g = s('g', { class: 'menu', role: 'menu', 'aria-label': `Actions for message ${msg.id}`, 'data-menu-for': msg.id,
    transform: `translate(${r1(x)} ${r1(y)})` });
  g.append(s('rect', { class: 'menu-bg', x: 0, y: 0, width: w, height: hgt, rx: 6 }));
  items.forEach(([action, label], i) => {
    const it = s('g', { class: 'menuitem', role: 'menuitem', tabindex: -1, 'data-menu-action': action,
      'data-target-msg': msg.id, transform: `translate(4 ${4 + i * ih})` });
    it.append(s('rect', { x: 0, y: 0, width: w - 8, height: ih - 2, rx: 4 }));
    it.append(s('text', { x: 10, y: ih / 2 + 3 }, label));
    g.append(it);
  });
  return g;
}

/**
 * The ring: nodes, one arrow + envelope per pending message, the drop zone and, when
 * `menuFor` is a message id, that message's action menu.
 * Beyond GROUP_THRESHOLD messages, each message is a small mark, grouped per link with a
 * count, and the selected message (`selectedMsg`) keeps its label. Every node shows its armed
 * timers as countdown arcs and a proposer its vote counts.
 * opts: { width, height, time, animate, selected, selectedMsg, menuFor }
 */
export function renderRing(snapshot, opts) {
  const ids = snapshot.nodes.map((n) => n.id);
  const layout = ringLayout(ids, { width: opts.width, height: opts.height, ...cardNeeds(snapshot) });
  const { width, height } = layout;
  const grouped = snapshot.messages.length > GROUP_THRESHOLD;
  const svg = s('svg', {
    class: `ring${layout.compact ? ' compact' : ''}${layout.small ? ' small' : ''}${grouped ? ' grouped' : ''}`, viewBox: `0 0 ${width} ${height}`, width, height,
    role: 'group', 'aria-label': `Cluster of ${ids.length} nodes with ${snapshot.messages.length} pending messages`,
  });
  svg.append(markerDefs());

  const z = layout.dropZone;
  const drop = s('g', { class: 'dropzone', 'data-drop-zone': '' });
  drop.append(s('rect', { x: z.x, y: z.y, width: z.w, height: z.h, rx: 10 }));
  drop.append(s('text', { x: z.x + z.w / 2, y: z.y + z.h / 2 + 4, 'text-anchor': 'middle' },
    layout.compact ? 'Drop zone: drag a message here to lose it' : 'Drop zone — drag a message here (or off the ring) to lose it'));
  svg.append(drop);

  const guide = s('ellipse', { class: 'guide', cx: layout.cx, cy: layout.cy, rx: layout.rx, ry: layout.ry });
  svg.append(guide);

  const places = placeMessages(snapshot, layout, { time: opts.time, animate: opts.animate, grouped });
  const cutSet = cutLinks(snapshot);
  const doomed = (m) => m.from !== m.to && cutSet.has(linkKey(m.from, m.to));

  // Cut links: a dashed red line between the two nodes with a scissors mark on it.
  const cuts = s('g', { class: 'cuts' });
  const marks = s('g', { class: 'cut-marks' });
  for (const [a, b] of snapshot.cut) {
    const pa = layout.positions.get(a);
    const pb = layout.positions.get(b);
    if (!pa || !pb) continue;
    const key = linkKey(a, b);
    const what = `The link between node ${a} and node ${b} is cut: messages between them are lost`;
    cuts.append(s('line', { class: 'cut', 'data-cut': key, x1: r1(pa.x), y1: r1(pa.y), x2: r1(pb.x), y2: r1(pb.y) },
      s('title', {}, what)));
    const m = cutMarkAt(layout, pa, pb, snapshot.messages.filter((x) => linkKey(x.from, x.to) === key)
      .map((x) => places.get(x.id)).filter(Boolean));
    const rad = layout.compact ? 9 : 11;
    const k = rad * 0.45;
    marks.append(s('g', { class: 'cut-mark', 'data-cut-mark': key, transform: `translate(${r1(m.x)} ${r1(m.y)})`, role: 'img', 'aria-label': what },
      s('title', {}, what),
      s('circle', { r: rad }),
      s('path', { d: `M${r1(-k)} ${r1(-k)} L${r1(k)} ${r1(k)} M${r1(-k)} ${r1(k)} L${r1(k)} ${r1(-k)}` })));
  }
  svg.append(cuts);

  const arrows = s('g', { class: 'arrows', 'aria-hidden': 'true' });
  /** @type {Map<number, any>} */
  const byId = new Map(snapshot.messages.map((m) => [m.id, m]));
  const counts = s('g', { class: 'counts', 'aria-hidden': 'true' });
  if (grouped) {
    // One arrow per link (coloured by its first message's kind) and, for more than one
    // message, the count beside it.
    for (const g of groupByLink(snapshot.messages)) {
      const first = byId.get(g.ids[0]);
      const p = places.get(g.ids[0]);
      if (!p) continue;
      const dm = doomed(first);
      arrows.append(s('path', {
        class: `arrow link kind-${first.kind}${dm ? ' doomed' : ''}`, d: p.path, 'data-link': g.key,
        'data-arrow-for': g.ids.join(' '), 'marker-end': `url(#pxs-arrow-${first.kind})`,
      }));
      if (g.ids.length > 1) {
        const at = p.mid || { x: p.x + 12, y: p.y - 12 };
        const kinds = Object.entries(g.kinds).map(([k, n]) => `${n} ${k}`).join(', ');
        counts.append(s('text', { class: 'count', 'data-count-for': g.key, x: r1(at.x), y: r1(at.y + 4), 'text-anchor': 'middle' },
          s('title', {}, `${g.ids.length} messages from node ${g.from} to node ${g.to}: ${kinds}`), `×${g.ids.length}`));
      }
    }
  } else {
    for (const m of snapshot.messages) {
      const p = places.get(m.id);
      if (!p) continue;
      arrows.append(s('path', {
        class: `arrow kind-${m.kind}${m.status === 'held' ? ' held' : ''}${doomed(m) ? ' doomed' : ''}`, d: p.path,
        'data-arrow-for': m.id, 'marker-end': `url(#pxs-arrow-${m.kind})`,
      }));
    }
  }
  svg.append(arrows);
  svg.append(marks);

  const acceptors = snapshot.nodes.filter((n) => n.roles.includes('acceptor')).length;
  const time = opts.animate && opts.time != null ? opts.time : snapshot.time;
  const nodes = s('g', { class: 'nodes' });
  const votes = voteStyle(snapshot.config);
  for (const n of snapshot.nodes) {
    nodes.append(renderNode(n, layout, opts.selected, { timers: snapshot.timers.filter((t) => t.node === n.id), time, acceptors, votes }));
  }


  const envs = s('g', { class: 'envelopes' });
  for (const m of snapshot.messages) {
    const p = places.get(m.id);
    if (p) envs.append(grouped ? renderMark(m, p, doomed(m)) : renderEnvelope(m, p, layout.compact, doomed(m)));
  }
  // Few messages: labelled envelopes over the cards. Many: the cards over the marks, the
  // counts over both, and the tips (hover, focus, the selected message's label) over all.
  if (grouped) svg.append(envs, nodes, counts);
  else svg.append(nodes, envs);
  const tips = s('g', { class: 'tips' });
  const sel = opts.selectedMsg != null ? byId.get(opts.selectedMsg) : null;
  if (grouped && sel && places.get(sel.id)) tips.append(renderTip(sel, places.get(sel.id), layout));
  svg.append(tips);

  if (opts.menuFor != null) {
    const m = snapshot.messages.find((x) => x.id === opts.menuFor);
    if (m && places.get(m.id)) svg.append(renderMenu(m, places.get(m.id), layout, snapshot.config));
  }
  return { svg, layout, places };
}

// ---------------------------------------------------------------- side panels

function button(action, label, attrs = {}) {
  return h('button', { type: 'button', 'data-action': action, ...attrs }, label);
}

/** The delivery queue: pending messages in delivery order, each draggable and with buttons. */
export function renderQueue(snapshot) {
  if (!snapshot.messages.length) return h('p', { class: 'empty' }, 'No messages in flight.');
  const ol = h('ol', { class: 'queue-list', 'aria-label': 'Pending messages in delivery order' });
  const cut = cutLinks(snapshot);
  snapshot.messages.forEach((m, i) => ol.append(queueRow(m, i, m.from !== m.to && cut.has(linkKey(m.from, m.to)))));
  return ol;
}

/** A queue row's accessible name: its place (`i` from 0), the message and its keys. */
export function queueRowName(m, i) {
  return `${i + 1}: ${describeMessage(m)}. Enter delivers, Delete drops, H holds or releases, D duplicates, Alt+Up or Alt+Down moves it`;
}

/** One row of the delivery queue: message `m` at place `i` (from 0); `doomed`: its link is cut. */
export function queueRow(m, i, doomed) {
  {
    const held = m.status === 'held';
    const li = h('li', {
      class: `row kind-${m.kind}${held ? ' held' : ''}${doomed ? ' doomed' : ''}`, 'data-msg-id': m.id, 'data-msg-kind': m.kind,
      tabindex: 0,
      'aria-label': queueRowName(m, i),
    });
    li.append(
      h('span', { class: 'handle', 'aria-hidden': 'true', title: 'Drag to reorder' }, '⠿'),
      h('span', { class: 'pos' }, String(i + 1)),
      h('span', { class: 'label' }, m.label || m.kind),
      h('span', { class: 'meta' }, `${m.from} → ${m.to}`, held ? ' · held' : '',
        doomed ? h('span', { class: 'cut-note' }, ' · link cut') : ''),
      h('span', { class: 'row-actions' },
        button('deliver', 'Deliver', { 'data-msg-id': m.id, tabindex: -1, title: 'Deliver now (Enter)' }),
        button(held ? 'release' : 'hold', held ? 'Release' : 'Hold',
          { 'data-msg-id': m.id, tabindex: -1, title: held ? 'Release (H)' : 'Hold (H)' }),
        button('duplicate', 'Dup', { 'data-msg-id': m.id, tabindex: -1, title: 'Duplicate (D)', 'aria-label': 'Dup (duplicate)' }),
        button('drop', 'Drop', { 'data-msg-id': m.id, tabindex: -1, title: 'Drop (Delete)' })),
    );
    return li;
  }
}

/** The run's protocol's safety properties, in its order (plus any other invariant the core reports). */
export function renderSafety(snapshot) {
  const wrap = h('div', { class: 'safety-body' });
  const log = strip && logLength(snapshot) > 0;
  const chosen = log ? strip.renderChosen(snapshot) : snapshot.chosen != null
    ? h('p', { class: 'chosen yes' }, 'Chosen: ', h('strong', {}, String(snapshot.chosen)),
      snapshot.chosen_step != null ? ` (step ${snapshot.chosen_step})` : '')
    : h('p', { class: 'chosen no' }, 'No value chosen yet.');
  wrap.append(chosen);
  const ul = h('ul', { class: 'props' });
  const violations = snapshot.violations;
  const properties = (protocolOf(snapshot.config) || words()).properties;
  const known = new Set(properties.map((p) => p.name));
  /** @type {[string, string, import('./paxos-scope').Violation[]][]} */
  const items = properties.map(({ name, title }) => [name, title, violations.filter((v) => v.property === name)]);
  for (const v of violations) if (!known.has(v.property)) items.push([v.property, v.title, [v]]);
  for (const [key, title, vs] of items) {
    const ok = vs.length === 0;
    const li = h('li', { class: `prop ${ok ? 'ok' : 'broken'}`, 'data-property': key });
    li.append(h('span', { class: 'icon', 'aria-hidden': 'true' }, ok ? '✓' : '✗'),
      h('span', { class: 'ptitle' }, title),
      h('span', { class: 'verdict' }, ok ? 'holds' : 'VIOLATED'));
    for (const v of vs) {
      const det = h('div', { class: 'why' }, h('p', {}, v.explanation));
      if (v.steps && v.steps.length) {
        const st = h('p', { class: 'steps' }, 'Steps involved: ');
        v.steps.forEach((n, i) => {
          if (i) st.append(', ');
          st.append(button('seek', `step ${n}`, { 'data-step': n, class: 'link', title: `Go to step ${n}` }));
        });
        det.append(st);
      }
      li.append(det);
    }
    ul.append(li);
  }
  wrap.append(ul);
  return wrap;
}

/** The event log in plain words; entries after the current step (redo part) are dimmed. */
export function renderLog(snapshot, { limit = 250 } = {}) {
  const log = snapshot.log;
  if (!log.length) return h('p', { class: 'empty' }, LOG_EMPTY);
  const bad = badSteps(snapshot);
  const ol = h('ol', { class: 'log-list' });
  let first = true;
  for (const e of log.slice(-limit)) {
    const li = logEntry(e);
    li.className = logClass(e, snapshot.step, bad, first);
    if (e.step > snapshot.step) first = false;
    ol.append(li);
  }
  return ol;
}

export const LOG_EMPTY = 'Nothing has happened yet. Click a node and propose a value.';

/** The steps involved in a violation. */
export function badSteps(/** @type {import('./paxos-scope').PaxosSnapshot} */ snapshot) {
  return new Set(snapshot.violations.flatMap((v) => v.steps));
}

/**
 * A log line's classes: entry, future (after the current step; `next` for the first of
 * them), current, bad (a step involved in a violation).
 */
export function logClass(/** @type {import('./paxos-scope').LogEntry} */ e, /** @type {number} */ step, /** @type {Set<number>} */ bad, first = false) {
  let cls = 'entry';
  if (e.step > step) cls += first ? ' future next' : ' future';
  if (e.step === step) cls += ' current';
  if (bad.has(e.step)) cls += ' bad';
  return cls;
}

/** One line of the event log; click it (or its step button, for the keyboard) to go to that step. */
export function logEntry(/** @type {import('./paxos-scope').LogEntry} */ e) {
  return h('li', { class: 'entry', 'data-step': e.step },
    h('button', { type: 'button', class: 'when', title: `Go to step ${e.step}`, 'aria-label': `#${e.step} t${e.time}: go to step ${e.step}` }, `#${e.step} t${e.time}`),
    ' ', h('span', { class: 'what' }, e.text));
}

/** The facts about one node (the details panel's changing part). */
export function renderNodeInfo(snapshot, nodeId) {
  const n = snapshot.nodes.find((x) => x.id === nodeId);
  if (!n) return h('p', { class: 'empty' }, `There is no node ${nodeId}.`);
  const dl = h('dl', { class: 'facts' });
  const row = (k, v, cls, key) => dl.append(h('dt', {}, k), h('dd', { ...(cls ? { class: cls } : {}), ...(key ? { 'data-row': key } : {}) }, v));
  row('Status', n.up ? 'up' : 'crashed', n.up ? 'up' : 'down');
  // An up node that cannot decide now (who it waits for is down or cut off): a badge and why.
  if (n.blocked) {
    dl.append(h('dt', {}, 'Blocked'), h('dd', { class: 'blocked' },
      h('strong', { class: 'badge-blocked' }, 'BLOCKED'), ' ', String(n.blocked).replace(/^blocked:\s*/i, '')));
  }
  row('Roles', n.roles.join(', '));
  for (const r of n.rows || []) row(r.label[0].toUpperCase() + r.label.slice(1), r.text, null, r.key);
  if (n.status) row('State', n.status);
  if (snapshot.config && (snapshot.config.distinguished || (snapshot.config.protocol || 'paxos') !== 'paxos')) row('Leader', n.leader ? 'believes itself leader' : 'no');
  if (n.proposer) {
    const p = n.proposer;
    row('Proposer', `${p.phase}${p.ballot ? `, ballot ${p.ballot}` : ''}${p.value != null ? `, value ${p.value}` : ''}`);
    const accepts = `${p.accepts} accept${p.accepts === 1 ? '' : 's'}`;
    row('Votes', voteStyle(snapshot.config)?.promises === false ? accepts : `${p.promises} promise${p.promises === 1 ? '' : 's'}, ${accepts}`);

  }
  const timers = snapshot.timers.filter((t) => t.node === nodeId);
  row('Timers', timers.length ? timers.map((t) => `${t.kind} at t${t.at}`).join(', ') : 'none');
  if (strip && logLength(snapshot) > 0) return h('div', {}, dl, strip.renderLogTable(n.slots || [], logLength(snapshot)));
  return dl;

}
