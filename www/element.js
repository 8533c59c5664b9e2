// <paxos-scope>: the custom element. It owns one Simulation (from the wasm core), turns
// user gestures into simulator actions, and re-renders with the pure functions in render.js.

import init, { Simulation, bugNames, scenarioNames } from './pkg/paxoscope.js';
import {
  h, renderRing, renderQueue, renderSafety, renderLog, renderNodeInfo, placeMessages, dragTarget,
} from './render.js';
import { envelopeDrag, rowDrag } from './drag.js';
import { sheet } from './styles.js';
import { TimeTravel } from './timetravel.js';

// One wasm instance per page, however many elements there are. The loader fetches the wasm
// from beside itself (new URL('paxoscope_bg.wasm', import.meta.url)): www/pkg/ here, and in
// dist/, where it is bundled into paxoscope.js, dist/paxoscope_bg.wasm. One asset URL, right
// both ways (a second one here would dangle in the bundle for bundlers that follow them).
let wasmReady = null;
function loadWasm() {
  wasmReady ??= init();
  return wasmReady;
}

// Attributes that pick the cluster (a change starts a new one) and attributes that only
// change how the element looks or plays (applied in place, even before the core is loaded).
const SIM_ATTRS = ['nodes', 'proposers', 'seed', 'bug', 'distinguished', 'scenario'];
const UI_ATTRS = ['controls', 'view', 'theme', 'height', 'speed', 'autoplay'];
const ATTRS = [...SIM_ATTRS, ...UI_ATTRS];
const CHOICES = { controls: ['full', 'compact', 'none'], view: ['ring', 'diagram', 'both'], theme: ['auto', 'light', 'dark'] }; // first: the default
const DEFAULTS = { nodes: 3, proposers: [1], seed: 1, start_round: 42 };
const TICKS_PER_SECOND = 20; // animated logical ticks per second at speed 1
const STORY_STEP_MS = 1600; // playing a story: one step per 1.6 s at speed 1 (time to read the caption)
const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];
const VALUES = ['Green', 'Blue', 'Red', 'Yellow', 'Purple', 'Orange', 'Cyan', 'Pink', 'Grey'];
const BUG_NOTES = {
  'acceptor-forgets': 'acceptors forget what they promised and accepted when they restart',
  'proposer-ignores-promises': 'proposers ignore the values reported in promises',
  'minority-quorum': 'a minority of acceptors counts as a quorum',
  'accept-below-promise': 'acceptors accept ballots below their promise',
  'proposer-forgets-round': 'a restarted proposer forgets its highest round and reuses a ballot',
};

// Errors already shown and emitted, so the UI wrapper does not report them twice.
const reported = new WeakSet();

function toError(e) {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : (e && e.message) || String(e));
}

function fail(action, message) {
  return new Error(`${action}: ${message}`);
}

function wholeNumber(action, what, x) {
  const n = typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw fail(action, `${what} must be a whole number, got ${JSON.stringify(x) ?? String(x)}`);
  }
  return n;
}

const msgId = (action, x) => wholeNumber(action, 'the message id', x);
const nodeId = (action, x) => wholeNumber(action, 'the node id', x);

/** bugNames()/scenarioNames() give [{name, title}] (or plain names): normalise. */
function named(list) {
  let out = [];
  try {
    out = Array.from(list(), (x) => (typeof x === 'string' ? { name: x, title: '' } : { name: String(x.name), title: String(x.title || '') }));
  } catch { /* a core without this list */ }
  return out;
}

// TimeTravel (timetravel.js): scrubber, undo/redo keys, the space-time diagram, share links, trace files.
export class PaxosScope extends TimeTravel(HTMLElement) {
  static get observedAttributes() { return ATTRS; }

  /** Register the element (idempotent). Returns the registered class. */
  static define(name = 'paxos-scope', registry = globalThis.customElements) {
    if (!registry.get(name)) registry.define(name, this);
    return registry.get(name);
  }

  constructor() {
    super();
    this._root = this.attachShadow({ mode: 'open' });
    this._root.adoptedStyleSheets = [sheet()];
    this._sim = null;
    this._snap = null;
    this._layout = null;
    this._selected = null;
    this._menuFor = null;
    this._playing = false;
    this._speed = 1;
    this._animTime = 0;
    this._raf = 0;
    this._lastTs = null;
    this._dragging = false;
    this._policy = null;
    this._prevChosen = null;
    this._prevViolations = 0;
    this._attrQueued = false;
    this._dirty = new Set();
    this._attrErrors = new Map(); // attribute (or 'cluster') -> the message shown for it
    this._storyClock = 0;
    this._started = false;
    this._io = null;
    this._view = 'ring';
    this._hostSheet = null;
    this._size = { width: 640, height: 520 };
    this._reduced = globalThis.matchMedia ? matchMedia('(prefers-reduced-motion: reduce)') : { matches: false };
    this._ready = new Promise((resolve, reject) => {
      this._resolveReady = resolve;
      this._rejectReady = reject;
    });
    this._ready.catch(() => {});
    this._frame = this._frame.bind(this);
    if (this._reduced.addEventListener) this._reduced.addEventListener('change', () => this._snap && this._renderStage());
    this._buildShell();
  }

  /**
   * Resolves (to the element) once the element has started: the wasm is loaded and the first
   * cluster exists. An element starts when it comes near the viewport, or when start() is called.
   */
  get ready() { return this._ready; }
  /** True once the element has started (or is starting). */
  get started() { return this._started; }
  get playing() { return this._playing; }
  get speed() { return this._speed; }
  set speed(v) {
    const n = Number(v);
    if (!(n > 0 && n <= 64)) throw fail('speed', `must be a number between 0 and 64, got ${JSON.stringify(v)}`);
    this._speed = n;
    this._$.speed.value = String(SPEEDS.includes(n) ? n : 1);
  }

  connectedCallback() {
    this._resize.observe(this._$.stage);
    if (!this._started) {
      // Fetch and compile the wasm (once per page) while the page lays out; the element
      // itself starts only when it comes into view.
      loadWasm().catch(() => {});
      this._startWhenVisible();
    } else if (this._playing) this._startLoop();
  }

  disconnectedCallback() {
    this._resize.disconnect();
    if (this._io) this._io.disconnect();
    this._io = null;
    cancelAnimationFrame(this._raf);
    this._raf = 0;
    cancelAnimationFrame(this._logRaf);
    this._logRaf = 0;
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    this._dirty.add(name);
    if (this._attrQueued) return;
    this._attrQueued = true;
    queueMicrotask(() => {
      this._attrQueued = false;
      this._applyAttrs();
    });
  }

  /**
   * Start now, in view or not: load the wasm core (fetched and compiled once per page) and
   * build the first cluster. Returns `ready`. Connected elements call it by themselves when
   * they come within 200 px of the viewport (IntersectionObserver), so a page with many
   * widgets only pays for the ones that are looked at.
   */
  start() {
    if (this._started) return this._ready;
    this._started = true;
    if (this._io) this._io.disconnect();
    this._io = null;
    this._$.placeholder.textContent = 'Loading the simulator…';
    loadWasm().then(() => this._boot(), (e) => {
      const err = new Error(`Paxoscope could not load its WebAssembly core: ${toError(e).message}`);
      this._$.placeholder.textContent = 'Paxoscope could not start.';
      this._report(err);
      this._rejectReady(err);
    });
    return this._ready;
  }

  // ------------------------------------------------------------------ public API

  /** The current wasm snapshot (see docs/wasm-api.md). */
  snapshot() {
    this._need('snapshot');
    return this._sim.snapshot();
  }

  deliver(id) { return this._act('deliver', (s) => s.deliver(msgId('deliver', id))); }
  drop(id) { return this._act('drop', (s) => s.drop(msgId('drop', id))); }
  /** Returns the copy's id. */
  duplicate(id) { return this._act('duplicate', (s) => s.duplicate(msgId('duplicate', id))); }
  hold(id) { return this._act('hold', (s) => s.hold(msgId('hold', id))); }
  release(id) { return this._act('release', (s) => s.release(msgId('release', id))); }
  /**
   * Deliver message `id` right before message `otherId`. (Called with a DOM Node it is the
   * native Element.moveBefore(node, child), which this method would otherwise shadow.)
   */
  moveBefore(id, otherId) {
    if (typeof Node !== 'undefined' && id instanceof Node && typeof super.moveBefore === 'function') {
      return super.moveBefore(id, otherId);
    }
    return this._act('moveBefore', (s) => s.moveBefore(
      msgId('moveBefore', id), wholeNumber('moveBefore', 'the other message id', otherId)));
  }
  crash(node) { return this._act('crash', (s) => s.crash(nodeId('crash', node))); }
  restart(node) { return this._act('restart', (s) => s.restart(nodeId('restart', node))); }
  /** Fire the node's earliest timer now, or its timer named `timer` ('retry', 'leader', 'heartbeat'). */
  timeout(node, timer) {
    return this._act('timeout', (s) => {
      if (timer !== undefined && typeof timer !== 'string') throw new Error(`the timer is a name like "retry", not ${String(timer)}`);
      return s.timeout(nodeId('timeout', node), timer);
    });
  }
  /** Cut the network link between nodes a and b: messages between them are lost. */
  cutLink(a, b) { return this._act('cutLink', (s) => s.cutLink(nodeId('cutLink', a), nodeId('cutLink', b))); }
  /** Heal the cut link between nodes a and b. */
  healLink(a, b) { return this._act('healLink', (s) => s.healLink(nodeId('healLink', a), nodeId('healLink', b))); }
  propose(node, value) {
    return this._act('propose', (s) => {
      const n = nodeId('propose', node);
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw fail('propose', `the value must be a string, got ${JSON.stringify(value) ?? String(value)}`);
      }
      const v = String(value).trim();
      if (!v) throw fail('propose', 'the value must not be empty');
      return s.propose(n, v);
    });
  }
  /** One step of the automatic policy; true if something happened. */
  step() { return this._act('step', (s) => s.step()); }
  /** Up to maxSteps steps; returns the number taken (stops early when nothing is left). */
  run(maxSteps = 1000) { return this._act('run', (s) => s.run(wholeNumber('run', 'maxSteps', maxSteps))); }
  undo() { return this._act('undo', (s) => s.undo()); }
  redo() { return this._act('redo', (s) => s.redo()); }
  seek(step) { return this._act('seek', (s) => s.seek(wholeNumber('seek', 'the step', step))); }
  setPolicy(policy) {
    return this._act('setPolicy', (s) => {
      if (!policy || typeof policy !== 'object') throw fail('setPolicy', 'the policy must be an object');
      const full = { ...this._currentPolicy(), ...policy };
      const r = s.setPolicy(full);
      this._policy = full;
      return r;
    });
  }

  /** Start autonomous play: animated time advances and the simulator steps as events fall due. */
  play() {
    if (this._playing) return;
    this._playing = true;
    this._menuFor = null;
    this._syncTransport();
    if (this._sim) this._startLoop();
  }

  pause() {
    if (!this._playing) return;
    this._playing = false;
    cancelAnimationFrame(this._raf);
    this._raf = 0;
    this._syncTransport();
    if (this._snap) this._render();
  }

  /**
   * A new cluster. Fields missing from `config` come from the element's attributes, then
   * the defaults (3 nodes, node 1 proposes, seed 1, ballots start at round 42).
   */
  reset(config = {}) {
    if (!config || typeof config !== 'object') throw this._report(fail('reset', 'the config must be an object'));
    this._need('reset');
    let base;
    try {
      base = this._attrConfig();
    } catch (e) {
      throw this._report(toError(e));
    }
    const cfg = { ...base, ...config };
    if (!('policy' in config) && this._policy) cfg.policy = this._policy;
    let sim;
    try {
      sim = new Simulation(cfg);
    } catch (e) {
      throw this._report(fail('reset', toError(e).message));
    }
    this._install(sim);
    this._hideBanner();
  }

  /**
   * Load a built-in guided scenario (see scenarioNames()) at its first step; Next/Back
   * (redo/undo) walk the story, and any other action leaves the script.
   */
  loadScenario(name) {
    this._need('loadScenario');
    if (typeof name !== 'string' || !name) throw this._report(fail('loadScenario', 'the scenario name must be a non-empty string'));
    let sim;
    try {
      sim = Simulation.scenario(name);
      sim.seek(0);
    } catch (e) {
      throw this._report(fail('loadScenario', toError(e).message));
    }
    this._install(sim);
    this._hideBanner();
  }

  /** Names of the built-in scenarios (empty before ready). */
  scenarioNames() {
    return this._sim ? named(scenarioNames).map((x) => x.name) : [];
  }

  // ------------------------------------------------------------------ internals

  /**
   * The policy in force. The snapshot's config.policy is the one the cluster started with
   * (setPolicy is a recorded action), so prefer a snapshot.policy if the core provides it,
   * then the last policy this element set.
   */
  _currentPolicy() {
    const snap = this._snap;
    return (snap && snap.policy) || this._policy || (snap && snap.config && snap.config.policy) || {};
  }

  _need(action) {
    if (!this._sim) throw this._report(fail(action, 'the simulator is not ready yet (await el.ready)'));
  }

  _act(action, fn) {
    this._need(action);
    let result;
    try {
      result = fn(this._sim);
    } catch (e) {
      const err = toError(e);
      throw this._report(err.message.startsWith(`${action}:`) ? err : fail(action, err.message));
    }
    this._hideBanner();
    this._commit();
    return result;
  }

  /** Run a UI-initiated action: failures are shown (banner + paxos-error), never thrown. */
  _ui(fn) {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof Object) || !reported.has(e)) this._report(toError(e));
      return undefined;
    }
  }

  _report(err) {
    reported.add(err);
    this._$.bannerMsg.textContent = err.message;
    this._$.banner.hidden = false;
    this.dispatchEvent(new CustomEvent('paxos-error', {
      bubbles: true, composed: true, detail: { message: err.message, error: err },
    }));
    return err;
  }

  _hideBanner() { this._$.banner.hidden = true; }

  _attrConfig() {
    const cfg = { ...DEFAULTS };
    const get = (n) => this.getAttribute(n);
    if (get('nodes') != null) cfg.nodes = wholeNumber('nodes attribute', 'nodes', get('nodes'));
    if (get('proposers') != null) {
      cfg.proposers = get('proposers').split(/[\s,]+/).filter(Boolean)
        .map((p) => wholeNumber('proposers attribute', 'each proposer', p));
    }
    if (get('seed') != null) cfg.seed = wholeNumber('seed attribute', 'the seed', get('seed'));
    const bug = get('bug');
    if (bug != null && bug !== '' && bug !== 'none') cfg.bug = bug;
    if (this.hasAttribute('distinguished')) cfg.distinguished = get('distinguished') !== 'false';
    return cfg;
  }

  /** A new simulation from the attributes: a story (`scenario`) or a cluster (`nodes`, …). */
  _simFromAttrs() {
    const story = this.getAttribute('scenario');
    if (story) {
      const names = named(scenarioNames).map((x) => x.name);
      if (names.length && !names.includes(story)) {
        throw new Error(`scenario="${story}" is not a built-in story; use one of: ${names.join(', ')}`);
      }
      const sim = Simulation.scenario(story);
      sim.seek(0);
      return sim;
    }
    const bug = this.getAttribute('bug');
    const bugs = named(bugNames).map((x) => x.name);
    if (bug && bug !== 'none' && bugs.length && !bugs.includes(bug)) {
      throw new Error(`bug="${bug}" is not a known variant; use one of: ${bugs.join(', ')} (or leave it out for correct Paxos)`);
    }
    const cfg = this._attrConfig();
    if (this._policy) cfg.policy = this._policy;
    return new Simulation(cfg);
  }

  _wantsAutoplay() {
    const v = this.getAttribute('autoplay');
    return v != null && v !== 'false' && !this._reduced.matches;
  }

  _startWhenVisible() {
    if (this._io) return;
    if (typeof IntersectionObserver !== 'function') {
      this.start();
      return;
    }
    this._io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.start();
    }, { rootMargin: '200px 0px' });
    this._io.observe(this);
  }

  /** Apply the attributes changed since the last call (one microtask per burst of changes). */
  _applyAttrs() {
    const dirty = this._dirty;
    this._dirty = new Set();
    if (this._sim && SIM_ATTRS.some((n) => dirty.has(n))) {
      let sim = null;
      try {
        sim = this._simFromAttrs();
      } catch (e) {
        this._attrProblem('cluster', fail('paxos-scope', `${toError(e).message}; the current cluster is kept`));
      }
      if (sim) {
        this._install(sim);
        this._attrErrors.delete('cluster');
        this._showAttrProblems();
        if (this._wantsAutoplay()) this.play();
      }
    }
    for (const name of UI_ATTRS) {
      if (!dirty.has(name)) continue;
      try {
        this._applyUiAttr(name, this.getAttribute(name));
        this._attrFixed(name);
      } catch (e) {
        this._attrProblem(name, toError(e));
      }
    }
  }

  _attrProblem(name, err) {
    this._attrErrors.set(name, err.message);
    this._report(err);
  }

  /** An attribute is fine (again): its message goes; another attribute's problem stays shown. */
  _attrFixed(name) {
    if (this._attrErrors.delete(name)) this._showAttrProblems();
  }

  _showAttrProblems() {
    const rest = [...this._attrErrors.values()];
    if (!rest.length) {
      this._hideBanner();
      return;
    }
    this._$.bannerMsg.textContent = rest[rest.length - 1];
    this._$.banner.hidden = false;
  }

  /** controls, view, theme, height, speed, autoplay: how it looks and plays, not what it simulates. */
  _applyUiAttr(name, value) {
    const bad = (hint) => new Error(`paxos-scope: ${name}="${value}" is not valid; ${hint}`);
    const v = value == null ? null : value.trim();
    switch (name) {
      case 'controls':
      case 'theme':
      case 'view':
        if (v && !CHOICES[name].includes(v)) {
          const c = CHOICES[name];
          throw bad(`use ${c.slice(0, -1).join(', ')} or ${c[c.length - 1]} (default ${c[0]})`);
        }
        // controls and theme are pure CSS (:host([controls=…]), :host([theme=…])) in styles.js.
        if (name === 'view') this._applyView(v || 'ring');
        return;
      case 'height': {
        let css = '';
        if (v) {
          const len = /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
          if (!/^[\w.%()+*\/ -]+$/.test(len) || !CSS.supports('height', len)) {
            throw bad('use a CSS height such as 480 (pixels), 30em or 70vh');
          }
          css = `:host { height: ${len}; min-height: 0; }`;
        }
        this._setHostCss(css);
        return;
      }
      case 'speed':
        if (v == null) return;
        try {
          this.speed = v;
        } catch {
          throw bad('use a number above 0 and at most 64 (1 is normal speed)');
        }
        return;
      case 'autoplay':
        if (!this._sim) return;
        if (this._wantsAutoplay()) this.play();
        else if (v == null || v === 'false') this.pause();
        return;
    }
  }

  /**
   * The view (ring, diagram or both). The space-time diagram hooks in by defining setView();
   * until it exists, only the ring is drawn and the choice is just remembered.
   */
  _applyView(view) {
    if (typeof this.setView === 'function') this.setView(view);
    else this._view = view;
  }

  /** Per-element CSS (the height attribute): its own constructable sheet, never an inline style. */
  _setHostCss(css) {
    const others = this._root.adoptedStyleSheets.filter((s) => s !== this._hostSheet);
    if (!css) {
      this._root.adoptedStyleSheets = others;
      return;
    }
    this._hostSheet ??= new CSSStyleSheet();
    this._hostSheet.replaceSync(css);
    this._root.adoptedStyleSheets = [...others, this._hostSheet];
  }

  _boot() {
    let sim;
    try {
      sim = this._simFromAttrs();
    } catch (e) {
      this._attrProblem('cluster', fail('paxos-scope', `${toError(e).message}; showing the default cluster instead`));
      sim = new Simulation({ ...DEFAULTS });
    }
    this._fillBugs();
    this._fillScenarios();
    this._install(sim, true);
    this._$.placeholder.hidden = true;
    if (this._wantsAutoplay()) this.play();
    if (this._playing) this._startLoop();
    this._resolveReady(this);
    this.dispatchEvent(new CustomEvent('paxos-ready', { bubbles: true, composed: true, detail: { element: this } }));
  }

  _install(sim, first = false) {
    if (this._sim && this._sim.free) this._sim.free();
    this._sim = sim;
    this._prevChosen = null;
    this._prevViolations = 0;
    this._menuFor = null;
    const snap = sim.snapshot();
    this._policy = snap.policy || (snap.config && snap.config.policy) || null;
    if (this._selected != null && !snap.nodes.some((n) => n.id === this._selected)) this._selected = null;
    this._animTime = snap.time;
    this._syncForms(snap, first);
    this._commit();
  }

  _commit(fromLoop = false) {
    const snap = this._sim.snapshot();
    this._snap = snap;
    if (!this._playing || snap.time > this._animTime) this._animTime = snap.time;
    if (this._menuFor != null && !snap.messages.some((m) => m.id === this._menuFor)) this._menuFor = null;
    this._render();
    if (!fromLoop) this._syncPolicy(snap);
    const fire = (type, detail) => this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
    fire('paxos-change', snap);
    if (this._prevChosen == null && snap.chosen != null) {
      fire('paxos-chosen', { value: snap.chosen, step: snap.chosen_step ?? snap.step });
    }
    this._prevChosen = snap.chosen;
    const v = snap.violations || [];
    if (v.length > this._prevViolations) fire('paxos-violation', v.slice(this._prevViolations));
    this._prevViolations = v.length;
  }

  // ------------------------------------------------------------------ play loop

  _startLoop() {
    if (this._raf || !this.isConnected) return;
    this._lastTs = null;
    this._raf = requestAnimationFrame(this._frame);
  }

  _frame(ts) {
    this._raf = 0;
    if (!this._playing || !this._sim) return;
    const dt = this._lastTs == null ? 0 : Math.min(100, ts - this._lastTs);
    this._lastTs = ts;
    if (!this._dragging && this._snap.scenario && this._snap.can_redo) {
      // A story with steps ahead: play walks it like pressing Next, one step per STORY_STEP_MS.
      this._storyClock += dt * this._speed;
      if (this._storyClock >= STORY_STEP_MS) {
        this._storyClock = 0;
        try {
          this._sim.redo();
        } catch (e) {
          this.pause();
          this._report(fail('play', toError(e).message));
          return;
        }
        this._commit(true);
      }
    } else if (!this._dragging) {
      this._animTime += (dt / 1000) * TICKS_PER_SECOND * this._speed;
      let changed = false;
      // Up to 8 events a frame; the core says when the next is due, so no snapshot per step
      // (a snapshot carries the whole log and history): one, in _commit, per frame.
      for (let i = 0; i < 8; i++) {
        const next = this._sim.nextEventTime();
        if (!Number.isFinite(next)) {
          this._animTime = this._sim.time();
          break;
        }
        if (this._animTime < next) break;
        let did;
        try {
          did = this._sim.step();
        } catch (e) {
          this.pause();
          this._report(fail('play', toError(e).message));
          return;
        }
        if (!did) break;
        changed = true;
      }
      if (changed) this._commit(true);
      else this._moveEnvelopes();
    }
    this._raf = requestAnimationFrame(this._frame);
  }

  _animated() { return this._playing && !this._reduced.matches; }

  _moveEnvelopes() {
    if (!this._layout || !this._animated()) return;
    const places = placeMessages(this._snap, this._layout, { time: this._animTime, animate: true });
    for (const g of this._$.stage.querySelectorAll('.env[data-msg-id]')) {
      const p = places.get(Number(g.dataset.msgId));
      if (p) g.setAttribute('transform', `translate(${Math.round(p.x * 10) / 10} ${Math.round(p.y * 10) / 10})`);
    }
  }

  // ------------------------------------------------------------------ rendering

  _render() {
    const snap = this._snap;
    if (!snap) return;
    const $ = this._$;
    const focus = this._focusKey();

    $.status.replaceChildren(`step ${snap.step} · t ${snap.time}`);
    if (snap.chosen != null) $.status.append(' · chosen ', h('strong', {}, String(snap.chosen)));
    const nv = (snap.violations || []).length;
    if (nv) $.status.append(' ', h('span', { class: 'violated' }, `✗ SAFETY VIOLATED (${nv})`));
    const bug = snap.config && snap.config.bug;
    $.unsafe.hidden = !bug;
    $.unsafe.textContent = bug ? `UNSAFE: ${bug}` : '';
    $.undo.disabled = !snap.can_undo;
    $.redo.disabled = !snap.can_redo;
    this._syncTransport();

    const story = snap.scenario || null;
    $.captionBar.hidden = !story && !snap.caption;
    $.captionText.textContent = snap.caption || (story ? `Story: ${story}` : '');
    $.captionNext.disabled = !snap.can_redo;
    $.captionBack.disabled = !snap.can_undo;

    if (!this._dragging) this._renderStage();

    $.queue.replaceChildren(renderQueue(snap));
    $.queueCount.textContent = snap.messages.length ? ` (${snap.messages.length})` : '';
    $.safety.replaceChildren(renderSafety(snap));
    $.safetyHead.classList.toggle('bad', (snap.violations || []).length > 0);

    $.log.replaceChildren(renderLog(snap));
    this._scrollLogSoon();

    this._renderDetails();
    this._ttRender(snap);
    this._restoreFocus(focus);
  }

  /**
   * Scroll the (just rebuilt) log once, before the next paint: to the current step when steps
   * lie ahead, else to the end if the reader was there, else back where the reader was. Done
   * in a frame, not in every render, because reading the layout forces it: with 200 messages
   * in flight that was ~20 ms per action, most of a scripted action's cost.
   */
  _scrollLogSoon() {
    if (this._logRaf) return;
    this._logRaf = requestAnimationFrame(() => {
      this._logRaf = 0;
      const nlog = this._$.log.firstElementChild;
      if (!nlog) return;
      const next = nlog.querySelector('.future');
      if (next) {
        // Undone or story steps ahead: keep the current step and the next one in view.
        // (Measured from the boxes: the list is its entries' offsetParent, so offsetTop alone
        // would not say where the entry sits in the scrolled content.)
        const at = next.getBoundingClientRect().top - nlog.getBoundingClientRect().top + nlog.scrollTop;
        nlog.scrollTop = Math.max(0, at - nlog.clientHeight + 2 * next.offsetHeight);
      } else {
        nlog.scrollTop = this._logAtEnd ? nlog.scrollHeight : this._logTop;
      }
    });
  }

  _renderStage() {
    const { svg, layout } = renderRing(this._snap, {
      ...this._size, time: this._animTime, animate: this._animated(),
      selected: this._selected, menuFor: this._menuFor,
    });
    this._layout = layout;
    const old = this._$.stage.querySelector('svg');
    if (old) old.replaceWith(svg);
    else this._$.stage.prepend(svg);
    if (this._menuFor != null) {
      const env = svg.querySelector(`.env[data-msg-id="${this._menuFor}"]`);
      if (env) env.classList.add('menu-open');
    }
  }

  _renderDetails() {
    const $ = this._$;
    const id = this._selected;
    const node = id == null ? null : this._snap.nodes.find((n) => n.id === id);
    $.details.hidden = !node;
    if (!node) return;
    if ($.details.dataset.nodeId !== String(id)) {
      $.details.dataset.nodeId = String(id);
      $.detailsTitle.textContent = `Node ${id}`;
      $.proposeValue.value = VALUES[(id - 1) % VALUES.length];
    }
    $.detailsInfo.replaceChildren(renderNodeInfo(this._snap, id));
    $.crash.disabled = !node.up;
    $.restart.disabled = node.up;
    $.timeout.disabled = !(this._snap.timers || []).some((t) => t.node === id);
    this._renderLinks(id);
    const proposer = node.roles.includes('proposer');
    for (const c of $.proposeForm.elements) c.disabled = !proposer;
    $.proposeNote.hidden = proposer;
    $.proposeNote.textContent = proposer ? '' : `Node ${id} is not a proposer. Choose proposers under “New cluster”.`;
  }

  /**
   * One toggle per other node: "Cut link to node N" / "Heal link to node N" (data-link="a-b",
   * a < b). Updated in place while the same node is shown, so a pressed button keeps focus.
   */
  _renderLinks(id) {
    const box = this._$.links;
    const cut = new Set((this._snap.cut || []).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
    const others = this._snap.nodes.map((n) => n.id).filter((n) => n !== id);
    const keys = others.map((n) => `${Math.min(id, n)}-${Math.max(id, n)}`);
    let buttons = [...box.children];
    if (buttons.length !== keys.length || buttons.some((b, i) => b.dataset.link !== keys[i])) {
      buttons = keys.map((k) => h('button', { type: 'button', 'data-link': k }));
      box.replaceChildren(...buttons);
    }
    buttons.forEach((b, i) => {
      const isCut = cut.has(keys[i]);
      b.dataset.action = isCut ? 'heal-link' : 'cut-link';
      b.textContent = `${isCut ? 'Heal' : 'Cut'} link to node ${others[i]}`;
      b.classList.toggle('is-cut', isCut);
      b.title = isCut
        ? `Messages between node ${id} and node ${others[i]} are lost; heal the link to let them through again`
        : `Partition: lose every message between node ${id} and node ${others[i]}`;
    });
  }

  _focusKey() {
    const a = this._root.activeElement;
    if (!a) return null;
    const msg = a.closest('[data-msg-id]');
    if (msg && (msg.classList.contains('env') || msg.classList.contains('row')) && msg === a) {
      const type = msg.classList.contains('env') ? 'env' : 'row';
      const ids = this._lastOrder || [];
      return { type, id: Number(msg.dataset.msgId), index: ids.indexOf(Number(msg.dataset.msgId)) };
    }
    if (a.matches('.node[data-node-id]')) return { type: 'node', id: Number(a.dataset.nodeId) };
    if (a.matches('.menuitem')) {
      const id = Number(a.dataset.targetMsg);
      return { type: 'env', id, index: (this._lastOrder || []).indexOf(id) };
    }
    return null;
  }

  _restoreFocus(key) {
    this._lastOrder = this._snap.messages.map((m) => m.id);
    if (!key) return;
    const root = this._root;
    let target = null;
    if (key.type === 'node') target = root.querySelector(`.node[data-node-id="${key.id}"]`);
    else {
      const sel = key.type === 'env' ? '.env[data-msg-id]' : 'li.row[data-msg-id]';
      target = root.querySelector(`${sel.replace('[data-msg-id]', `[data-msg-id="${key.id}"]`)}`);
      if (!target) {
        const all = root.querySelectorAll(sel);
        target = all[Math.min(Math.max(0, key.index), all.length - 1)] || null;
      }
    }
    if (target && root.activeElement !== target) target.focus({ preventScroll: true });
  }

  _syncTransport() {
    const $ = this._$;
    $.play.hidden = this._playing;
    $.pause.hidden = !this._playing;
  }

  // ------------------------------------------------------------------ forms

  _fillScenarios() {
    const sel = this._$.scenario;
    sel.replaceChildren(h('option', { value: '' }, 'Choose a story…'));
    for (const { name, title } of named(scenarioNames)) {
      const words = name.replace(/^bug-/, '').replace(/-/g, ' ');
      const text = title || words.charAt(0).toUpperCase() + words.slice(1);
      const unsafe = name.startsWith('bug-') || /^UNSAFE/i.test(text);
      sel.append(h('option', { value: name }, unsafe && !/^UNSAFE/i.test(text) ? `UNSAFE — ${text}` : text));
    }
    this._$.stories.hidden = sel.options.length <= 1;
  }

  _fillBugs() {
    const sel = this._$.bug;
    sel.replaceChildren(h('option', { value: '' }, 'Correct Paxos (safe)'));
    this._bugTitles = new Map();
    for (const { name, title } of named(bugNames)) {
      this._bugTitles.set(name, title);
      sel.append(h('option', { value: name }, /^UNSAFE/i.test(title) ? title : `UNSAFE — ${title || name}`));
    }
  }

  _syncForms(snap, first) {
    const c = snap.config || {};
    const $ = this._$;
    const n = c.nodes ?? snap.nodes.length;
    for (const r of $.nodesRadios) r.checked = Number(r.value) === n;
    this._fillProposers(n, c.proposers || []);
    $.distinguished.checked = !!c.distinguished;
    $.bug.value = c.bug || '';
    $.seed.value = String(c.seed ?? 1);
    this._syncBug();
    if (first) this._syncPolicy(snap, true);
  }

  _fillProposers(n, chosen) {
    const set = new Set(chosen);
    const box = this._$.proposerChoices;
    const prev = new Set([...box.querySelectorAll('input:checked')].map((i) => Number(i.value)));
    box.replaceChildren(...Array.from({ length: n }, (_, k) => h('label', {},
      h('input', { type: 'checkbox', name: 'proposer', value: k + 1, checked: chosen ? set.has(k + 1) : prev.has(k + 1) }),
      `Node ${k + 1}`)));
  }

  _syncBug() {
    const bad = !!this._$.bug.value;
    this._$.bug.classList.toggle('unsafe-choice', bad);
    this._$.bugNote.hidden = !bad;
    this._$.bugNote.textContent = bad
      ? `UNSAFE: a deliberately broken variant (${BUG_NOTES[this._$.bug.value] || this._$.bug.value}). It can violate safety.`
      : '';
  }

  _syncPolicy(snap, force = false) {
    const p = this._currentPolicy();
    if (!p || p.loss_ppm == null) return;
    const f = this._$.policyForm;
    if (!force && f.contains(this._root.activeElement)) return;
    f.elements.loss.value = String(Math.round((p.loss_ppm || 0) / 10000));
    f.elements.dup.value = String(Math.round((p.dup_ppm || 0) / 10000));
    f.elements.min_latency.value = String(p.min_latency ?? 10);
    f.elements.max_latency.value = String(p.max_latency ?? 30);
    this._syncPolicyOutputs();
  }

  _syncPolicyOutputs() {
    const f = this._$.policyForm;
    this._$.lossOut.textContent = `${f.elements.loss.value}%`;
    this._$.dupOut.textContent = `${f.elements.dup.value}%`;
  }

  _applyPolicy() {
    const f = this._$.policyForm;
    this._syncPolicyOutputs();
    const min = Number(f.elements.min_latency.value);
    const max = Number(f.elements.max_latency.value);
    this._ui(() => this.setPolicy({
      loss_ppm: Number(f.elements.loss.value) * 10000,
      dup_ppm: Number(f.elements.dup.value) * 10000,
      min_latency: min,
      max_latency: max,
    }));
  }

  _newCluster() {
    const f = this._$.clusterForm;
    const nodes = Number(f.elements.nodes.value);
    const proposers = [...this._$.proposers.querySelectorAll('input:checked')].map((i) => Number(i.value));
    const config = {
      nodes, proposers, distinguished: this._$.distinguished.checked,
      bug: this._$.bug.value || null, seed: Number(this._$.seed.value || 1),
    };
    this._ui(() => this.reset(config));
  }

  // ------------------------------------------------------------------ gestures

  _msg(id) { return this._snap && this._snap.messages.find((m) => m.id === id); }

  _msgAction(action, id) {
    this._menuFor = null;
    const m = this._msg(id);
    switch (action) {
      case 'deliver': return this._ui(() => this.deliver(id));
      case 'drop': return this._ui(() => this.drop(id));
      case 'duplicate': return this._ui(() => this.duplicate(id));
      case 'hold': return this._ui(() => this.hold(id));
      case 'release': return this._ui(() => this.release(id));
      case 'toggle-hold': return this._ui(() => (m && m.status === 'held' ? this.release(id) : this.hold(id)));
      default: return undefined;
    }
  }

  _reorder(id, delta) {
    const order = this._snap.messages.map((m) => m.id);
    const i = order.indexOf(id);
    if (i < 0) return;
    if (delta < 0 && i > 0) this._ui(() => this.moveBefore(id, order[i - 1]));
    else if (delta > 0 && i < order.length - 1) this._ui(() => this.moveBefore(order[i + 1], id));
  }

  _moveTo(id, beforeId) {
    const order = this._snap.messages.map((m) => m.id);
    if (beforeId != null) return this._ui(() => this.moveBefore(id, beforeId));
    // To the end: put it before the last one, then the last one before it.
    const last = order[order.length - 1];
    if (last === id) return undefined;
    return this._ui(() => {
      if (order[order.length - 2] !== id) this.moveBefore(id, last);
      this.moveBefore(last, id);
    });
  }

  _select(id) {
    this._selected = this._selected === id ? null : id;
    this._menuFor = null;
    this._render();
    if (this._selected != null && !this._$.details.hidden) {
      this._$.details.scrollIntoView({ block: 'nearest', behavior: this._reduced.matches ? 'auto' : 'smooth' });
    }
  }

  _openMenu(id) {
    if (!this._msg(id)) return;
    this._menuFor = id;
    this._renderStage();
    const first = this._$.stage.querySelector('.menuitem');
    if (first) first.focus({ preventScroll: true });
  }

  _closeMenu(refocus) {
    const id = this._menuFor;
    if (id == null) return;
    this._menuFor = null;
    this._renderStage();
    if (refocus) {
      const env = this._$.stage.querySelector(`.env[data-msg-id="${id}"]`);
      if (env) env.focus({ preventScroll: true });
    }
  }

  _announce(text) { this._$.live.textContent = text; }

  _onClick(e) {
    const t = e.composedPath()[0];
    if (!(t instanceof Element)) return;
    const item = t.closest('.menuitem');
    if (item) {
      this._msgAction(item.dataset.menuAction, Number(item.dataset.targetMsg));
      return;
    }
    if (this._menuFor != null && !t.closest('.menu')) this._closeMenu(false);
    const btn = t.closest('button[data-action]');
    if (btn) {
      const a = btn.dataset.action;
      if (btn.dataset.msgId != null) return this._msgAction(a, Number(btn.dataset.msgId));
      switch (a) {
        case 'play': return this.play();
        case 'pause': return this.pause();
        case 'step': return this._ui(() => this.step());
        case 'run': return this._ui(() => this.run(1000));
        case 'undo': return this._ui(() => this.undo());
        case 'redo': return this._ui(() => this.redo());
        case 'dismiss': return this._hideBanner();
        case 'close-details': return this._select(this._selected);
        case 'crash': return this._ui(() => this.crash(this._selected));
        case 'restart': return this._ui(() => this.restart(this._selected));
        case 'timeout': return this._ui(() => this.timeout(this._selected));
        case 'cut-link':
        case 'heal-link': {
          const [x, y] = String(btn.dataset.link).split('-').map(Number);
          return this._ui(() => (a === 'cut-link' ? this.cutLink(x, y) : this.healLink(x, y)));
        }
        case 'seek': return this._ui(() => this.seek(Number(btn.dataset.step)));
        default: return undefined;
      }
    }
    const node = t.closest('.node[data-node-id]');
    if (node) this._select(Number(node.dataset.nodeId));
    return undefined;
  }

  _onKey(e) {
    const t = e.composedPath()[0];
    if (!(t instanceof Element)) return;
    const key = e.key;
    if (t.matches('.menuitem')) {
      const items = [...this._root.querySelectorAll('.menuitem')];
      const i = items.indexOf(t);
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        items[(i + (key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
      } else if (key === 'Enter' || key === ' ') {
        const id = Number(t.dataset.targetMsg);
        this._msgAction(t.dataset.menuAction, id);
      } else if (key === 'Escape' || key === 'Tab') {
        this._closeMenu(true);
      } else return;
      e.preventDefault();
      return;
    }
    const isMsg = t.matches('.env[data-msg-id], li.row[data-msg-id]');
    if (isMsg && !e.ctrlKey && !e.metaKey) {
      const id = Number(t.dataset.msgId);
      const lower = key.length === 1 ? key.toLowerCase() : key;
      if (e.altKey && (key === 'ArrowUp' || key === 'ArrowDown')) this._reorder(id, key === 'ArrowUp' ? -1 : 1);
      else if (e.altKey) return;
      else if (key === 'Enter' || key === ' ') this._msgAction('deliver', id);
      else if (key === 'Delete' || key === 'Backspace') this._msgAction('drop', id);
      else if (lower === 'h') this._msgAction('toggle-hold', id);
      else if (lower === 'd') this._msgAction('duplicate', id);
      else if (t.classList.contains('env') && (lower === 'm' || key === 'ContextMenu' || (e.shiftKey && key === 'F10'))) this._openMenu(id);
      else if (t.classList.contains('row') && (key === 'ArrowUp' || key === 'ArrowDown')) {
        const sib = key === 'ArrowUp' ? t.previousElementSibling : t.nextElementSibling;
        if (sib) sib.focus();
      } else return;
      e.preventDefault();
      return;
    }
    if (t.matches('.node[data-node-id]') && (key === 'Enter' || key === ' ')) {
      e.preventDefault();
      this._select(Number(t.dataset.nodeId));
      return;
    }
    if (key === 'Escape') {
      if (this._menuFor != null) this._closeMenu(true);
      else if (this._selected != null) {
        const id = this._selected;
        this._select(id);
        const n = this._root.querySelector(`.node[data-node-id="${id}"]`);
        if (n) n.focus({ preventScroll: true });
      }
    }
  }

  _dragHooks() {
    return {
      target: (id, p) => {
        const m = this._msg(id);
        return m && this._layout ? dragTarget(this._layout, m, p) : null;
      },
      start: () => {
        this._dragging = true;
        this._menuFor = null;
        this._$.hint.hidden = false;
        this._$.hint.textContent = 'Release to cancel';
      },
      move: (id, target) => {
        const zone = this._$.stage.querySelector('[data-drop-zone]');
        if (zone) zone.classList.toggle('over', target === 'drop');
        const env = this._$.stage.querySelector(`.env[data-msg-id="${id}"]`);
        if (env) env.classList.toggle('will-drop', target === 'drop');
        const m = this._msg(id);
        const at = !m ? null : target === 'hold' ? m.from : target === 'deliver' ? m.to : null;
        for (const n of this._$.stage.querySelectorAll('.node[data-node-id]')) {
          n.classList.toggle('drag-target', Number(n.dataset.nodeId) === at);
        }
        this._$.hint.textContent = {
          drop: 'Release to drop (lose) this message',
          hold: 'Release to hold this message',
          release: 'Release to let this message go again',
          deliver: 'Release to deliver this message now',
        }[target] || 'Release to cancel';
      },
      end: (id, target) => {
        this._dragging = false;
        this._$.hint.hidden = true;
        this._lastTs = null;
        if (target) this._msgAction(target, id);
        if (this._snap) this._renderStage();
        if (target) this._announce(`Message ${id}: ${target}`);
      },
      click: (id) => this._msgAction('deliver', id),
      menu: (id) => this._openMenu(id),
    };
  }

  // ------------------------------------------------------------------ the static shell

  _buildShell() {
    const $ = {};
    const btn = (action, label, attrs = {}) => h('button', { type: 'button', 'data-action': action, ...attrs }, label);

    $.bannerMsg = h('span', { class: 'msg' });
    $.banner = h('div', { class: 'banner', role: 'alert', hidden: true, part: 'error' },
      $.bannerMsg, btn('dismiss', 'Dismiss'));

    $.unsafe = h('span', { class: 'unsafe', hidden: true });
    $.play = btn('play', '▶ Play', { class: 'primary', title: 'Play: deliver messages as they arrive' });
    $.pause = btn('pause', '‖ Pause', { class: 'primary', hidden: true });
    $.undo = btn('undo', 'Undo', { disabled: true });
    $.redo = btn('redo', 'Redo', { disabled: true });
    $.speed = h('select', { 'aria-label': 'Speed' },
      ...SPEEDS.map((v) => h('option', { value: v, selected: v === 1 }, `${v}×`)));
    $.status = h('span', { class: 'status', role: 'status' });
    const bar = h('header', { class: 'bar', part: 'toolbar' },
      h('div', { class: 'brand' }, h('h1', { class: 'title' }, 'Paxoscope'), $.unsafe, h('slot', { name: 'links' })),
      h('div', { class: 'transport' },
        $.play, $.pause,
        btn('step', 'Step', { title: 'Let the simulator take one step' }),
        btn('run', 'Run', { title: 'Run until nothing is left to do (at most 1000 steps)' }),
        h('label', {}, 'Speed', $.speed),
        $.undo, $.redo),
      $.status);

    $.hint = h('p', { class: 'hint', hidden: true, 'aria-hidden': 'true' });
    $.live = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    $.placeholder = h('p', { class: 'placeholder' }, 'Paxoscope starts when you scroll to it.');
    $.stage = h('div', { class: 'stage', part: 'stage' }, $.placeholder, $.hint, $.live);
    $.captionText = h('p', { class: 'caption-text', 'aria-live': 'polite' });
    $.captionBack = btn('undo', '◀ Back', { title: 'Previous step of the story (undo)' });
    $.captionNext = btn('redo', 'Next ▶', { class: 'primary', title: 'Next step of the story (redo)' });
    $.captionBar = h('div', { class: 'caption', hidden: true, part: 'caption' }, $.captionText,
      h('div', { class: 'caption-nav' }, $.captionBack, $.captionNext));

    // node details
    $.detailsTitle = h('h2', { id: 'details-title' }, 'Node');
    $.detailsInfo = h('div', { class: 'info' });
    $.proposeValue = h('input', { name: 'value', 'aria-label': 'Value to propose', maxlength: 40, autocomplete: 'off' });
    $.proposeForm = h('form', { class: 'propose' }, $.proposeValue, h('button', { type: 'submit', class: 'primary' }, 'Propose'));
    $.proposeNote = h('p', { class: 'propose-note', hidden: true });
    $.crash = btn('crash', 'Crash');
    $.restart = btn('restart', 'Restart');
    $.timeout = btn('timeout', 'Time out now', { title: "Fire this node's earliest timer now" });
    $.links = h('div', { class: 'link-actions', role: 'group', 'aria-label': 'Network links' });
    $.details = h('section', { class: 'details', hidden: true, 'aria-labelledby': 'details-title' },
      h('div', { class: 'sec-head' }, $.detailsTitle, btn('close-details', 'Close')),
      $.detailsInfo, $.proposeForm, $.proposeNote, h('div', { class: 'node-actions' }, $.crash, $.restart, $.timeout), $.links);

    $.safetyHead = h('h2', {}, 'Safety');
    $.safety = h('div', { class: 'safety-box' });
    $.queueCount = h('span', {});
    $.queue = h('div', { class: 'queue-box' });
    $.log = h('div', { class: 'log-box' });

    // network policy
    $.lossOut = h('output', {}, '0%');
    $.dupOut = h('output', {}, '0%');
    $.policyForm = h('form', { class: 'policy' },
      h('label', {}, 'Loss', h('input', { type: 'range', name: 'loss', min: 0, max: 50, step: 1, value: 0 }), $.lossOut),
      h('label', {}, 'Duplication', h('input', { type: 'range', name: 'dup', min: 0, max: 50, step: 1, value: 0 }), $.dupOut),
      h('label', {}, 'Latency', h('input', { type: 'number', name: 'min_latency', min: 1, max: 10000, value: 10, 'aria-label': 'Minimum latency (ticks)' }),
        'to', h('input', { type: 'number', name: 'max_latency', min: 1, max: 10000, value: 30, 'aria-label': 'Maximum latency (ticks)' }), 'ticks'));

    // new cluster
    $.nodesRadios = [3, 5, 7].map((n) => h('input', { type: 'radio', name: 'nodes', value: n, checked: n === 3 }));
    $.proposerChoices = h('div', { class: 'choices' });
    $.proposers = h('fieldset', { class: 'proposers' }, h('legend', {}, 'Proposers'), $.proposerChoices);
    $.distinguished = h('input', { type: 'checkbox', name: 'distinguished' });
    $.bug = h('select', { name: 'bug', 'aria-label': 'Protocol variant' });
    $.bugNote = h('p', { class: 'unsafe-note', hidden: true, role: 'note' });
    $.seed = h('input', { type: 'number', name: 'seed', min: 0, max: 4294967295, value: 1 });
    $.clusterForm = h('form', { class: 'cluster' },
      h('fieldset', {}, h('legend', {}, 'Nodes'), h('div', { class: 'choices' }, ...$.nodesRadios.map((r) => h('label', {}, r, r.value)))),
      $.proposers,
      h('label', {}, $.distinguished, 'Distinguished proposer (leader) mode'),
      h('label', {}, 'Variant', $.bug),
      $.bugNote,
      h('label', {}, 'Seed', $.seed),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Start new cluster')));

    $.scenario = h('select', { name: 'scenario', 'aria-label': 'Story' });
    $.stories = h('details', { class: 'settings stories', hidden: true }, h('summary', {}, 'Stories'),
      h('form', { class: 'story' }, h('label', {}, 'Story', $.scenario),
        h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Load story'))));
    const side = h('aside', { class: 'side', part: 'side' },
      $.details,
      h('section', { class: 'safety' }, $.safetyHead, $.safety),
      h('section', { class: 'queue' }, h('h2', {}, 'Delivery queue', $.queueCount),
        h('p', { class: 'tip' }, 'Click an envelope to deliver it, drag it to the drop zone to lose it or back to its sender to hold it; drag rows to reorder. Keys on an envelope or row: Enter delivers, Delete drops, H holds/releases, D duplicates, Alt+↑/↓ reorders, M opens the menu.'),
        $.queue),
      h('section', { class: 'log' }, h('h2', {}, 'Event log'), $.log),
      $.stories,
      h('details', { class: 'settings' }, h('summary', {}, 'Network (automatic policy)'), $.policyForm),
      h('details', { class: 'settings' }, h('summary', {}, 'New cluster'), $.clusterForm));

    this._root.append(h('div', { class: 'shell' }, $.banner, bar,
      h('div', { class: 'main' }, h('div', { class: 'left' }, $.captionBar, ...this._ttShell($)), side)));
    this._$ = $;
    this._fillProposers(3, [1]);

    // Where the reader left the log (scroll events reach an ancestor in the capture phase).
    this._logAtEnd = true;
    this._logTop = 0;
    $.log.addEventListener('scroll', (e) => {
      const l = e.target;
      this._logTop = l.scrollTop;
      this._logAtEnd = l.scrollTop + l.clientHeight >= l.scrollHeight - 4;
    }, { capture: true, passive: true });
    this._root.addEventListener('click', (e) => this._onClick(e));
    this._root.addEventListener('keydown', (e) => this._onKey(e));
    $.speed.addEventListener('change', () => { this._speed = Number($.speed.value); });
    $.proposeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const id = this._selected;
      const ok = this._ui(() => { this.propose(id, $.proposeValue.value); return true; });
      if (ok) $.proposeValue.value = VALUES[(VALUES.indexOf($.proposeValue.value) + 1) % VALUES.length];
    });
    $.policyForm.addEventListener('input', (e) => {
      if (e.target.type === 'range') this._syncPolicyOutputs();
    });
    $.policyForm.addEventListener('change', () => this._applyPolicy());
    $.policyForm.addEventListener('submit', (e) => e.preventDefault());
    $.clusterForm.addEventListener('change', (e) => {
      if (e.target.name === 'nodes') this._fillProposers(Number(e.target.value), null);
      if (e.target === $.bug) this._syncBug();
    });
    $.stories.addEventListener('submit', (e) => {
      e.preventDefault();
      if ($.scenario.value) this._ui(() => this.loadScenario($.scenario.value));
    });
    $.scenario.addEventListener('change', () => $.scenario.classList.toggle('unsafe-choice', $.scenario.value.startsWith('bug-')));
    $.clusterForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this._newCluster();
    });

    envelopeDrag($.stage, this._dragHooks());
    rowDrag($.queue, {
      start: () => { this._dragging = true; },
      end: (id, beforeId) => {
        this._dragging = false;
        if (beforeId !== undefined) this._moveTo(id, beforeId);
        else if (this._snap) this._renderStage();
      },
    });
    this._resize = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      const width = Math.max(200, Math.round(r.width));
      const height = Math.max(240, Math.round(r.height));
      if (width === this._size.width && height === this._size.height) return;
      this._size = { width, height };
      if (this._snap && !this._dragging) this._renderStage();
    });
  }
}
