// Compare mode (<paxos-scope compare="2pc,paxos-commit">): two simulations side by side, one
// fault schedule. Loaded on first use by element.js. Each side is a <paxos-scope> of its own
// (same class, same node count, proposers and seed) with its ring, queue and space-time
// diagram; whatever the reader does on one side is mirrored on the other where it means the
// same thing:
//   - crash, restart, timeout, propose: the same node; cut and heal: the same link;
//   - deliver and drop: the pending message with the same sender, receiver and send step
//     (the same kind preferred), or a note saying there is none there;
//   - Step (and Play, which steps both on a timer), Back, Forward and seeking: both sides.
// After every change each side's outcome per node (decided value, learned value, or blocked)
// is recorded per step; the first step where the two differ is marked on both diagrams with a
// label, and named above them with a button that takes both sides there.

import { h } from './render.js';

/** @typedef {import('./paxos-scope').PaxosScope} Scope @typedef {import('./paxos-scope').PaxosSnapshot} Snapshot */
/** @typedef {{ protocol: string, bug: string | null, title: string }} Side */

const SIDES = ['left', 'right'];
/** Actions on a node or a link, mirrored as they are. */
const NODE_ACTIONS = ['crash', 'restart', 'cutLink', 'healLink', 'propose', 'timeout'];
/** Actions that move in time, mirrored on both sides. */
const TIME_ACTIONS = ['undo', 'redo', 'seek'];
const PLAY_MS = 450; // one step of both sides per beat while playing, at speed 1

let sheet = /** @type {CSSStyleSheet | null} */ (null);
/** Compare mode's styles (adopted by the outer element's shadow root). */
export function compareSheet() {
  if (sheet) return sheet;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(`
.shell[hidden] { display: none !important; }
.compare { display: grid; gap: 8px; padding: 8px; container-type: inline-size; }
.compare-bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.compare-bar .title { font-weight: 800; margin-right: 6px; }
.compare-note { margin: 0; min-height: 1.3em; color: var(--_muted); }
.compare-note.warn { color: var(--_danger); font-weight: 600; }
.compare-diverge { margin: 0; padding: 4px 8px; border-left: 4px solid var(--_danger); font-weight: 700; }
.compare-diverge[hidden] { display: none; }
.compare-sides { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
@container (max-width: 640px) { .compare-sides { grid-template-columns: minmax(0, 1fr); } }
.compare-side { min-width: 0; display: grid; gap: 4px; align-content: start; }
.compare-side h2 { margin: 0; font-size: 1rem; }
.compare-side h2 .which { color: var(--_muted); font-weight: 600; margin-right: 4px; }
`);
  return sheet;
}

/**
 * The outcome of one node as compare mode sees it: 'blocked', the value it decided or learned
 * (the protocol's decision row, single-decree Paxos's learned value, a log's chosen values),
 * or null while undecided or down (a crashed node's card shows what it would be on restart,
 * e.g. 2PC's presumed abort, which it has not decided yet).
 * @param {import('./paxos-scope').PaxosNode} n
 * @returns {string | null}
 */
export function outcomeOf(n) {
  if (n.up === false) return null;
  if (n.blocked) return 'blocked';
  if (n.learned != null) return n.learned;
  for (const key of ['decision', 'decided', 'outcome', 'learned', 'chosen']) {
    const r = (n.rows || []).find((x) => x.key === key);
    if (r && r.text && r.text !== '—') return r.text;
  }
  const chosen = (n.slots || []).filter((s) => s.chosen && s.value != null).map((s) => s.value);
  return chosen.length ? chosen.join(', ') : null;
}

/** "commits", "aborts", "learns Green", "is blocked", "has not decided". @param {string | null} o */
export function describeOutcome(o) {
  if (o == null) return 'has not decided';
  if (o === 'blocked') return 'is blocked';
  if (/^commit/i.test(o)) return 'commits';
  if (/^abort/i.test(o)) return 'aborts';
  return `learns ${o}`;
}

/**
 * The first step where the two sides' recorded outcomes differ, or null.
 * @param {(Map<number, string | null> | undefined)[]} a @param {(Map<number, string | null> | undefined)[]} b
 * @returns {{ step: number, node: number, left: string | null, right: string | null } | null}
 */
export function firstDivergence(a, b) {
  const n = Math.min(a.length, b.length);
  for (let st = 0; st < n; st++) {
    const x = a[st];
    const y = b[st];
    if (!x || !y) continue;
    for (const [node, o] of x) {
      if (y.has(node) && y.get(node) !== o) return { step: st, node, left: o, right: /** @type {string | null} */ (y.get(node)) };
    }
  }
  return null;
}

export class CompareView {
  el = h('div', { class: 'compare', part: 'compare', role: 'region', 'aria-label': 'Compare two protocols' });
  /** @type {Scope[]} */ sides = [];
  /** @type {Side[]} */ #specs;
  /** Per side, per step: node -> outcome. @type {(Map<number, string | null> | undefined)[][]} */
  #outcomes = [[], []];
  #mirroring = false;
  /** @type {ReturnType<typeof setInterval> | 0} */ #timer = 0;
  #speed = 1;
  #note = h('p', { class: 'compare-note', role: 'status', 'aria-live': 'polite' });
  #divergeText = h('span', {});
  #goDiverge = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-action': 'compare-goto' }, 'Go to that step'));
  #diverge = h('p', { class: 'compare-diverge', hidden: true, role: 'note' }, this.#divergeText, ' ', this.#goDiverge);
  #play = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-action': 'compare-play', 'aria-pressed': 'false' }, 'Play both'));
  /** @type {{ step: number, node: number, left: string | null, right: string | null } | null} */
  divergence = null;
  /** One spacer above each side: the diagrams' first rows at the same height on screen. @type {HTMLElement[]} */
  #spacers = [];
  #alignQueued = false;
  #alignTries = 0;
  /** @type {WeakSet<Element>} */ #observed = new WeakSet();
  #resize = new ResizeObserver(() => this.#align());

  /**
   * @param {{ new(): Scope }} Scope the element's class (the sides are made with it)
   * @param {Side[]} specs the two sides
   * @param {Record<string, string | null>} attrs the outer element's cluster attributes to copy (nodes, proposers, seed, view)
   */
  constructor(Scope, specs, attrs) {
    this.#specs = specs;
    const btn = (/** @type {string} */ action, /** @type {string} */ label, /** @type {() => void} */ fn, title = '') => {
      const b = h('button', { type: 'button', 'data-action': action, title }, label);
      b.addEventListener('click', fn);
      return b;
    };
    const bar = h('div', { class: 'compare-bar', role: 'toolbar', 'aria-label': 'Both sides' },
      h('span', { class: 'title' }, `Compare: ${specs[0].title} | ${specs[1].title}`),
      btn('compare-step', 'Step both', () => this.#guard(() => this.step()), 'One automatic step on each side (key N inside either side does the same)'),
      this.#play,
      btn('compare-undo', '◀ Back both', () => this.#guard(() => this.#both('undo', []))),
      btn('compare-redo', 'Forward both ▶', () => this.#guard(() => this.#both('redo', []))));
    this.#play.addEventListener('click', () => (this.#timer ? this.pause() : this.play()));
    this.#goDiverge.addEventListener('click', () => {
      if (this.divergence) this.#guard(() => this.#both('seek', [this.divergence ? this.divergence.step : 0]));
    });
    const cols = h('div', { class: 'compare-sides' });
    specs.forEach((spec, i) => {
      const el = /** @type {Scope} */ (new Scope());
      el.setAttribute('protocol', spec.protocol);
      if (spec.bug) el.setAttribute('bug', spec.bug);
      for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, v);
      if (!el.hasAttribute('view')) el.setAttribute('view', 'both');
      el.dataset.side = SIDES[i];
      this.#wire(el, i);
      this.sides.push(el);
      const spacer = h('div', { class: 'compare-spacer', 'aria-hidden': 'true' });
      this.#spacers.push(spacer);
      cols.append(h('section', { class: 'compare-side', 'aria-label': `${SIDES[i]}: ${spec.title}` },
        h('h2', {}, h('span', { class: 'which' }, i === 0 ? 'Left' : 'Right'), spec.title), spacer, el));
      this.#resize.observe(el);
    });
    this.el.append(bar, this.#note, this.#diverge, cols);
  }

  /** Resolves when both sides have started. */
  get ready() { return Promise.all(this.sides.map((s) => s.start())); }

  /** One automatic step on each side; true if either moved. */
  step() {
    const proto = Object.getPrototypeOf(this.sides[0]);
    /** @type {boolean[]} */
    const moved = [];
    this.#mirroring = true;
    try {
      for (const s of this.sides) moved.push(!!proto.step.call(s));
    } finally {
      this.#mirroring = false;
    }
    if (moved[0] !== moved[1]) {
      const idle = moved[0] ? 1 : 0;
      this.#say(`Only the ${SIDES[1 - idle]} moved: the ${SIDES[idle]} (${this.#specs[idle].title}) has nothing left to do, so its steps fall behind from here.`, true);
    } else this.#say(moved[0] ? '' : 'Neither side has anything left to do.');
    return moved[0] || moved[1];
  }

  play() {
    if (this.#timer) return;
    this.#play.textContent = 'Pause both';
    this.#play.setAttribute('aria-pressed', 'true');
    this.#timer = setInterval(() => {
      try {
        if (!this.step()) this.pause();
      } catch {
        this.pause();
      }
    }, PLAY_MS / this.#speed);
  }

  pause() {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = 0;
    this.#play.textContent = 'Play both';
    this.#play.setAttribute('aria-pressed', 'false');
  }

  get playing() { return !!this.#timer; }

  /** Stop playing and take the sides out of the page. */
  destroy() {
    this.pause();
    this.#resize.disconnect();
    this.el.remove();
  }

  // ------------------------------------------------------------------ mirroring

  /** @param {() => void} fn a UI action: failures are already shown in the side's banner */
  #guard(fn) {
    try {
      fn();
    } catch { /* shown by the side that failed */ }
  }

  #say(/** @type {string} */ text, warn = false) {
    this.#note.textContent = text;
    this.#note.classList.toggle('warn', warn);
  }

  /** `name(...args)` on both sides (the time actions: each side as far as it can go). */
  #both(/** @type {string} */ name, /** @type {unknown[]} */ args) {
    const proto = Object.getPrototypeOf(this.sides[0]);
    this.#mirroring = true;
    try {
      for (const s of this.sides) {
        const snap = s.snapshot();
        if (name === 'undo' && !snap.can_undo) continue;
        if (name === 'redo' && !snap.can_redo) continue;
        const a = name === 'seek' ? [Math.min(Number(args[0]), snap.trace_len)] : args;
        proto[name].apply(s, a);
      }
    } finally {
      this.#mirroring = false;
    }
  }

  /**
   * Make side `i` mirror its actions on the other: its public actions (which its own buttons,
   * keys and menus call) are wrapped on the instance.
   * @param {Scope} el @param {number} i
   */
  #wire(el, i) {
    const proto = Object.getPrototypeOf(el);
    const anyEl = /** @type {any} */ (el);
    const other = () => this.sides[1 - i];
    const where = i === 0 ? 'right' : 'left';
    const otherTitle = () => this.#specs[1 - i].title;
    for (const name of NODE_ACTIONS) {
      anyEl[name] = (/** @type {unknown[]} */ ...args) => {
        const r = proto[name].apply(el, args);
        if (!this.#mirroring) {
          this.#mirroring = true;
          try {
            proto[name].apply(other(), args);
            this.#say(`${verb(name, args)} on both sides.`);
          } catch (e) {
            this.#say(`${verb(name, args)} on the ${where === 'right' ? 'left' : 'right'} only: on the ${where} (${otherTitle()}) it failed: ${e instanceof Error ? e.message : String(e)}`, true);
          } finally {
            this.#mirroring = false;
          }
        }
        return r;
      };
    }
    for (const name of ['deliver', 'drop']) {
      anyEl[name] = (/** @type {number} */ id) => {
        if (this.#mirroring) return proto[name].call(el, id);
        const m = el.snapshot().messages.find((x) => x.id === id);
        const r = proto[name].call(el, id);
        if (!m) return r;
        const theirs = other().snapshot().messages.filter((x) => x.from === m.from && x.to === m.to && x.cause === m.cause);
        const match = theirs.find((x) => x.kind === m.kind) ?? theirs[0];
        const what = `${name === 'drop' ? 'Dropped' : 'Delivered'} the message from node ${m.from} to node ${m.to} sent at step ${m.cause}`;
        if (!match) {
          this.#say(`${what} on the ${where === 'right' ? 'left' : 'right'}; the ${where} (${otherTitle()}) has no such message pending, so nothing happened there.`, true);
          return r;
        }
        this.#mirroring = true;
        try {
          proto[name].call(other(), match.id);
          this.#say(`${what} on both sides (${m.kind}${match.kind !== m.kind ? ` here, ${match.kind} there` : ''}).`);
        } catch (e) {
          this.#say(`${what}; on the ${where} it failed: ${e instanceof Error ? e.message : String(e)}`, true);
        } finally {
          this.#mirroring = false;
        }
        return r;
      };
    }
    anyEl.step = () => (this.#mirroring ? proto.step.call(el) : this.step());
    for (const name of TIME_ACTIONS) {
      anyEl[name] = (/** @type {unknown[]} */ ...args) => (this.#mirroring ? proto[name].apply(el, args) : this.#both(name, args));
    }
    anyEl.run = (/** @type {number} */ max = 1000) => {
      let n = 0;
      while (n < max && this.step()) n++;
      return n;
    };
    anyEl.play = () => this.play();
    anyEl.pause = () => this.pause();
    el.addEventListener('paxos-change', (e) => this.#changed(i, /** @type {CustomEvent<Snapshot>} */ (e).detail));
    // The diagrams scroll together (both are laid out by step, at the same width).
    el.shadowRoot?.addEventListener('scroll', (e) => {
      const t = /** @type {HTMLElement} */ (e.composedPath()[0]);
      if (!(t instanceof HTMLElement) || !t.classList.contains('dg-body')) return;
      const peer = /** @type {HTMLElement | null | undefined} */ (other()?.shadowRoot?.querySelector('.dg-body'));
      if (peer && Math.abs(peer.scrollTop - t.scrollTop) > 1) peer.scrollTop = t.scrollTop;
    }, true);
  }

  // ------------------------------------------------------------------ divergence

  /**
   * Diagrams aligned by step: the diagrams lay out steps alike (same width, same rows), so
   * with their bodies' tops level on screen (a spacer above the side whose diagram starts
   * higher: its toolbar may wrap differently) and their scrolling shared, step k of one is
   * beside step k of the other. Stacked (a narrow page): no spacers.
   */
  #align() {
    if (this.#alignQueued) return;
    this.#alignQueued = true;
    requestAnimationFrame(() => {
      this.#alignQueued = false;
      const bodies = this.sides.map((s) => /** @type {HTMLElement | null | undefined} */ (s.shadowRoot?.querySelector('.dg-body')));
      const rects = bodies.map((b) => (b && b.getClientRects().length ? b.getBoundingClientRect() : null));
      const [a, b] = rects;
      // A diagram still loading (it loads on first use): look again on a later frame.
      if ((!a || !b || !a.height || !b.height) && this.#alignTries++ < 120) {
        this.#align();
        return;
      }
      this.#alignTries = 0;
      for (const body of bodies) if (body && !this.#observed.has(body)) {
        this.#observed.add(body);
        this.#resize.observe(body);
      }
      if (!a || !b || Math.abs(a.left - b.left) < 1) {
        for (const sp of this.#spacers) sp.style.height = '0px';
        return;
      }
      const base = rects.map((r, k) => /** @type {DOMRect} */ (r).top - this.#spacers[k].offsetHeight);
      const top = Math.max(...base);
      this.#spacers.forEach((sp, k) => { sp.style.height = `${Math.round(top - base[k])}px`; });
    });
  }

  #changed(/** @type {number} */ i, /** @type {Snapshot} */ snap) {
    this.#align();
    const rec = this.#outcomes[i];
    if (rec.length > snap.trace_len + 1) rec.length = snap.trace_len + 1; // the trace was cut
    rec[snap.step] = new Map(snap.nodes.map((n) => [n.id, outcomeOf(n)]));
    const d = firstDivergence(this.#outcomes[0], this.#outcomes[1]);
    const same = d && this.divergence && d.step === this.divergence.step && d.node === this.divergence.node
      && d.left === this.divergence.left && d.right === this.divergence.right;
    if (same || (!d && !this.divergence)) return;
    this.divergence = d;
    const label = d ? `diverges here: node ${d.node} ${describeOutcome(d.right)} on the right, ${describeOutcome(d.left)} on the left` : '';
    for (const s of this.sides) /** @type {any} */ (s).markStep(d ? d.step : null, label);
    this.#diverge.hidden = !d;
    this.el.dataset.divergence = d ? String(d.step) : '';
    if (d) this.#divergeText.textContent = `The outcomes diverge at step ${d.step}: node ${d.node} ${describeOutcome(d.left)} on the left (${this.#specs[0].title}) and ${describeOutcome(d.right)} on the right (${this.#specs[1].title}).`;
  }
}

/** "Crashed node 2", "Cut the link 1–3", … for the note. @param {string} name @param {unknown[]} a */
function verb(name, a) {
  switch (name) {
    case 'crash': return `Crashed node ${a[0]}`;
    case 'restart': return `Restarted node ${a[0]}`;
    case 'cutLink': return `Cut the link ${a[0]}–${a[1]}`;
    case 'healLink': return `Healed the link ${a[0]}–${a[1]}`;
    case 'propose': return `Node ${a[0]} proposed ${a[1]}`;
    case 'timeout': return `Fired node ${a[0]}'s timer`;
    default: return name;
  }
}
