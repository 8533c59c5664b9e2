// <paxos-scope>: the custom element. It wires together the controller (controller.js: the
// simulation, history, events and play loop, without the DOM), the attributes
// (attributes.js) and the views, each a component with an explicit interface: the toolbar,
// caption and banner (controls.js), the node details and settings (panels.js, loaded on first
// use), the ring (ring-view.js), the
// queue (queue-view.js), the safety panel (safety-view.js), the log (log-view.js) and time
// travel (timetravel.js: the time bar, the space-time diagram, links and files). The
// explorer (explore.js) and "Why is this safe?" (why.js) load on first use.
// Public API: www/paxos-scope.d.ts.

import { loadCore, words } from './core.js';
import { Controller, fail, toError, storyState } from './controller.js';
import { HostTheme } from './host-theme.js';
import { ATTRS, SIM_ATTRS, UI_ATTRS, DEFAULTS, CHOICES, clusterConfig, simSpec, uiValue, wantsAutoplay, compareSpec } from './attributes.js';
import { h, useStrip, logLength } from './render.js';
import { sheet } from './styles.js';
import { viewsSheet } from './styles-views.js';
import { Toolbar, Caption, Banner, BranchBar, Narrator } from './controls.js';
import { RingView } from './ring-view.js';
import { QueueView } from './queue-view.js';
import { SafetyView } from './safety-view.js';
import { LogView } from './log-view.js';
import { TimeTravel } from './timetravel.js';
import { undoKeys } from './timeline.js';
import { focusKey, restoreFocus } from './focus.js';
import './kit.js'; // the chunk shared with what loads on first use (see kit.js)

/** A step number for markStep (a whole number). @param {unknown} x */
function markStepNumber(x) {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new Error(`markStep: the step must be a whole number or null, got ${JSON.stringify(x) ?? String(x)}`);
  return x;
}

/** Errors already shown and emitted, so the UI wrapper does not report them twice. */
const reported = new WeakSet();

/** @typedef {import('./types').Model} Model @typedef {import('./types').Frame} Frame */

export class PaxosScope extends HTMLElement {
  static get observedAttributes() { return ATTRS; }

  /**
   * Register the element (idempotent). Returns the registered class.
   * @param {string} [name]
   * @param {CustomElementRegistry} [registry]
   */
  static define(name = 'paxos-scope', registry = globalThis.customElements) {
    if (!registry.get(name)) registry.define(name, this);
    return /** @type {typeof PaxosScope} */ (registry.get(name));
  }

  #root = this.attachShadow({ mode: 'open' });
  /** theme="inherit": follows the host page's theme (a custom state) */ #theme = new HostTheme(this, this.attachInternals());
  #started = false;
  /** @type {IntersectionObserver | null} */ #io = null;
  /** Compare mode (the compare attribute): the two sides, or null. @type {import('./compare.js').CompareView | null} */ #compare = null;
  /** The compare attribute's value the sides were built for. @type {string | null} */ #compareFor = null;
  /** @type {number | null} the node whose details are shown */ #selected = null;
  #fresh = false;
  #attrQueued = false;
  #dirty = new Set();
  /** attribute (or 'cluster') -> the message shown for it @type {Map<string, string>} */
  #attrErrors = new Map();
  /** @type {CSSStyleSheet | null} */ #hostSheet = null;
  /** @type {number[]} */ #order = [];
  #reduced = matchMedia('(prefers-reduced-motion: reduce)');
  /** @type {(el: PaxosScope) => void} */ #resolveReady = () => {};
  /** @type {(e: Error) => void} */ #rejectReady = () => {};
  #ready = new Promise((resolve, reject) => {
    this.#resolveReady = resolve;
    this.#rejectReady = reject;
  });

  #ctl = new Controller({
    change: (model, frame, fromLoop) => this.#changed(model, frame, fromLoop),
    event: (type, detail) => this.#fire(type, detail),
    error: (err) => this.#report(err),
    animate: (time) => this.#ring.moveEnvelopes(time),
    transport: () => this.#redraw(),
    installed: () => {
      this.#fresh = true;
      this.#tt.clear();
      this.closeWhy();
      if (this.#explored) {
        this.#explored = null;
        this.#tt.setMarker(null);
        this.#tt.bar.setBand(null, null);
      }
    },
  });

  #banner = new Banner();
  #toolbar = new Toolbar({
    play: () => this.play(),
    pause: () => this.pause(),
    step: () => this.#ui(() => this.step()),
    run: () => this.#ui(() => this.run(1000)),
    undo: () => this.#ui(() => this.undo()),
    redo: () => this.#ui(() => this.redo()),
    speed: (n) => { this.#ctl.speed = n; },
  });
  #caption = new Caption({
    undo: () => this.#ui(() => this.undo()),
    next: () => this.#ui(() => this.redo()),
    skip: () => this.#ui(() => this.nextCaption()),
  });
  #branch = new BranchBar({ switchFuture: () => this.#ui(() => this.switchFuture()) });
  #narrator = new Narrator();
  /** The caption last read out, so a caption is announced once, where it appears. */
  #saidCaption = '';
  #shell = h('div', { class: 'shell', tabindex: -1 });
  #ring = new RingView({
    message: (action, id) => this.#message(action, id),
    shift: (id, delta) => this.#shift(id, delta),
    select: (id) => this.#selectNode(id),
    dragging: (on) => this.#drag(on),
    resized: () => this.#drawRing(),
  });
  #queue = new QueueView({
    message: (action, id) => this.#message(action, id),
    shift: (id, delta) => this.#shift(id, delta),
    reorder: (id, beforeId) => this.#ui(() => this.#api(() => this.#ctl.moveMessageTo(id, beforeId))),
    dragging: (on) => this.#drag(on),
  });
  #safety = new SafetyView({
    seek: (step) => this.#ui(() => this.seek(step)),
    why: () => this.#whyUi({ chosen: true }),
  });
  #log = new LogView({
    seek: (step, viaButton) => {
      this.pause();
      this.#ui(() => this.seek(step));
      if (viaButton) this.#log.button(step)?.focus({ preventScroll: true });
    },
  });
  /** The node details and the settings, loaded on first use (panels.js). */
  /** @type {import('./panels.js').NodeDetails | null} */ #details = null;
  /** @type {import('./panels.js').Settings | null} */ #settings = null;
  /** @type {Promise<void> | null} */ #panels = null;
  /** @type {Promise<void> | null} */ #strip = null;
  #detailsHost = h('section', { class: 'details', hidden: true, 'aria-labelledby': 'details-title' });
  /** "Can it still break from here?" (explore.js, loaded when it opens). */
  #exploreHost = h('details', { class: 'settings explore' }, h('summary', {}, 'Can it still break from here?'));
  /** @type {Promise<import('./explore.js').ExplorePanel> | null} */ #explorer = null;
  /** "Why is this safe?" (why.js, loaded on first use): its section, its view, the latest ask. */
  #whyHost = h('section', { class: 'why-panel', hidden: true, 'aria-labelledby': 'why-title' });
  /** @type {Promise<import('./why.js').WhyView> | null} */ #whyLoad = null;
  /** @type {import('./why.js').WhyView | null} */ #whyView = null;
  #whyAsk = 0;
  /** The explorer's module, once loaded. @type {typeof import('./explore.js') | null} */ #exploreMod = null;
  /** The path an explorer found, opened as a story (explore.js's Explored). @type {import('./explore.js').Explored | null} */
  #explored = null;
  #settingsHosts = {
    stories: h('details', { class: 'settings stories', hidden: true }, h('summary', {}, 'Stories')),
    policy: h('details', { class: 'settings' }, h('summary', {}, 'Network (automatic policy)')),
    cluster: h('details', { class: 'settings' }, h('summary', {}, 'New cluster')),
  };
  #detailsHooks = {
    close: () => this.#selectNode(this.#selected),
    propose: (id, value) => !!this.#ui(() => { this.propose(id, value); return true; }),
    crash: (id) => this.#ui(() => this.crash(id)),
    restart: (id) => this.#ui(() => this.restart(id)),
    timeout: (id) => this.#ui(() => this.timeout(id)),
    cutLink: (a, b) => this.#ui(() => this.cutLink(a, b)),
    healLink: (a, b) => this.#ui(() => this.healLink(a, b)),
    why: (target) => this.#whyUi(target),
  };
  #settingsHooks = {
    policy: (p) => this.#ui(() => this.setPolicy(p)),
    cluster: (config) => this.#ui(() => this.reset(config)),
    story: (name) => this.#ui(() => this.loadScenario(name)),
  };
  #tt = new TimeTravel(this.#ring.el, {
    seek: (step) => {
      this.pause(); // scrubbing while playing would step on from the past and cut the future
      this.#ui(() => this.seek(step));
    },
    view: (v) => this.#ui(() => this.setView(/** @type {any} */ (v))),
    reorder: (id, beforeId) => this.#ui(() => this.#api(() => this.#ctl.moveMessageTo(id, beforeId))),
    shift: (id, delta) => this.#shift(id, delta),
    dragging: (on) => this.#drag(on),
    shareUrl: () => this.#ui(() => this.shareUrl()),
    exportTrace: () => this.#ui(() => this.exportTrace()),
    importTrace: (text, name) => !!this.#ui(() => {
      this.#api(() => this.#ctl.importTrace(text, 'Import', `“${name}”`));
      return true;
    }),
    report: (err) => this.#report(err),
    selected: (id) => this.#ring.showSelected(id),
  });

  constructor() {
    super();
    this.#root.adoptedStyleSheets = [sheet(), viewsSheet(), this.#tt.sheet];
    this.#ready.catch(() => {});
    this.#reduced.addEventListener('change', () => this.#drawRing());
    this.#buildShell();
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Resolves (to the element) once the element has started: the wasm is loaded and the first
   * cluster exists. An element starts when it comes near the viewport, or when start() is called.
   */
  get ready() { return this.#ready; }
  /** True once the element has started (or is starting). */
  get started() { return this.#started; }
  get playing() { return this.#ctl.playing; }
  get speed() { return this.#ctl.speed; }
  set speed(v) {
    this.#ctl.speed = v;
    this.#toolbar.speed(this.#ctl.speed);
  }

  connectedCallback() {
    this.#theme.connected(true);
    this.#ring.resize.observe(this.#ring.el);
    if (!this.#started) {
      // Fetch and compile the wasm (once per page) while the page lays out; the element
      // itself starts only when it comes into view.
      loadCore().catch(() => {});
      this.#startWhenVisible();
    } else this.#ctl.running = true;
  }

  disconnectedCallback() {
    this.#theme.connected(false);
    this.#ring.resize.disconnect();
    this.#io?.disconnect();
    this.#io = null;
    this.#ctl.running = false;
    this.#log.stop();
    this.#narrator.stop();
  }

  /** @param {string} name @param {string | null} old @param {string | null} value */
  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    this.#dirty.add(name);
    if (this.#attrQueued) return;
    this.#attrQueued = true;
    queueMicrotask(() => {
      this.#attrQueued = false;
      this.#applyAttrs();
    });
  }

  /**
   * Start now, in view or not: load the wasm core (fetched and compiled once per page) and
   * build the first cluster. Returns `ready`. Connected elements call it by themselves when
   * they come within 200 px of the viewport (IntersectionObserver), so a page with many
   * widgets only pays for the ones that are looked at.
   */
  start() {
    if (this.#started) return this.#ready;
    this.#started = true;
    this.#io?.disconnect();
    this.#io = null;
    this.#ring.placeholder.textContent = 'Loading the simulator…';
    loadCore().then(() => this.#boot(), (e) => {
      const err = new Error(`Paxoscope could not load its WebAssembly core: ${toError(e).message}`);
      this.#ring.placeholder.textContent = 'Paxoscope could not start.';
      this.#report(err);
      this.#rejectReady(err);
    });
    return this.#ready;
  }

  // ------------------------------------------------------------------ public API

  /** The current wasm snapshot (see docs/wasm-api.md). */
  snapshot() { return this.#call(() => this.#ctl.snapshot()); }

  /** @param {number} id */
  deliver(id) { return this.#api(() => this.#ctl.deliver(id)); }
  /** @param {number} id */
  drop(id) { return this.#api(() => this.#ctl.drop(id)); }
  /** Returns the copy's id. @param {number} id */
  duplicate(id) { return this.#api(() => this.#ctl.duplicate(id)); }
  /** @param {number} id */
  hold(id) { return this.#api(() => this.#ctl.hold(id)); }
  /** @param {number} id */
  release(id) { return this.#api(() => this.#ctl.release(id)); }
  /** Deliver message `id` right before message `otherId`. @param {number} id @param {number} otherId */
  moveMessageBefore(id, otherId) { return this.#api(() => this.#ctl.moveMessageBefore(id, otherId)); }

  /**
   * @deprecated Use moveMessageBefore(id, otherId); this alias goes in the next release.
   * Defining it shadows the DOM's Element.moveBefore(node, child), so a call with a DOM Node
   * is passed on to it.
   * @param {any} id @param {any} otherId
   */
  moveBefore(id, otherId) {
    if (typeof Node !== 'undefined' && id instanceof Node) {
      const native = /** @type {any} */ (Element.prototype).moveBefore;
      if (typeof native === 'function') return native.call(this, id, otherId);
    }
    return this.#api(() => this.#ctl.moveMessageBefore(id, otherId, 'moveBefore'));
  }

  /** @param {number} node */
  crash(node) { return this.#api(() => this.#ctl.crash(node)); }
  /** @param {number} node */
  restart(node) { return this.#api(() => this.#ctl.restart(node)); }
  /** Fire the node's earliest timer now, or its timer named `timer` ('retry', 'leader', 'heartbeat'). @param {number} node @param {string} [timer] */
  timeout(node, timer) { return this.#api(() => this.#ctl.timeout(node, timer)); }
  /** Cut the network link between nodes a and b: messages between them are lost. @param {number} a @param {number} b */
  cutLink(a, b) { return this.#api(() => this.#ctl.cutLink(a, b)); }
  /** Heal the cut link between nodes a and b. @param {number} a @param {number} b */
  healLink(a, b) { return this.#api(() => this.#ctl.healLink(a, b)); }
  /** @param {number} node @param {string} value */
  propose(node, value) { return this.#api(() => this.#ctl.propose(node, value)); }
  /**
   * One step of the automatic policy; true if something happened. While a story has steps
   * left, the story's next step (as Next).
   */
  step() { return this.#api(() => this.#ctl.step()); }
  /** In a story: on to its next captioned step (or its end). Returns the steps taken. */
  nextCaption() { return this.#api(() => this.#ctl.nextCaption()); }
  /**
   * Bring back the future set aside by acting in the past: in a story, the story (back at the
   * step where the run left it, with its caption); the current future is kept in its place.
   * Throws when there is none (snapshot().branch is null).
   */
  switchFuture() { return this.#api(() => this.#ctl.switchFuture()); }
  /** Up to maxSteps steps; returns the number taken (stops early when nothing is left). */
  run(maxSteps = 1000) { return this.#api(() => this.#ctl.run(maxSteps)); }
  /** One step back (a gesture recorded as several actions, e.g. a drag to the end, as one). */
  undo() { return this.#api(() => this.#ctl.undo()); }
  redo() { return this.#api(() => this.#ctl.redo()); }
  /** @param {number} step */
  seek(step) { return this.#api(() => this.#ctl.seek(step)); }
  /** @param {import('./paxos-scope').Policy} policy */
  setPolicy(policy) { return this.#api(() => this.#ctl.setPolicy(policy)); }

  /** Start autonomous play: animated time advances and the simulator steps as events fall due. */
  play() {
    this.#ring.closeMenu(false);
    this.#ctl.play();
  }

  pause() { this.#ctl.pause(); }

  /**
   * A new cluster. Fields missing from `config` come from the element's attributes, then
   * the defaults (3 nodes, node 1 proposes, seed 1, ballots start at round 42).
   * @param {import('./paxos-scope').PaxosConfig} [config]
   */
  reset(config = {}) {
    this.#api(() => {
      if (!config || typeof config !== 'object') throw fail('reset', 'the config must be an object');
      if (!this.#ctl.hasSim) throw fail('reset', 'the simulator is not ready yet (await el.ready)');
      const cfg = { ...clusterConfig((n) => this.getAttribute(n)), ...config };
      if (!('policy' in config) && this.#ctl.policy) cfg.policy = this.#ctl.policy;
      this.#ctl.newCluster(cfg);
    });
  }

  /**
   * Load a built-in guided scenario (see scenarioNames()) at its first step; Next/Back
   * (redo/undo) walk the story, and any other action leaves the script.
   * @param {string} name
   */
  loadScenario(name) {
    this.#api(() => {
      if (!this.#ctl.hasSim) throw fail('loadScenario', 'the simulator is not ready yet (await el.ready)');
      this.#ctl.loadScenario(name);
    });
  }

  /** The core's protocols, as [{ name, title }] (empty before ready): the picker's list. */
  protocolNames() {
    return this.#ctl.hasSim ? (words().protocols || []).map(({ name, title }) => ({ name, title })) : [];
  }

  /**
   * Mark `step` on the space-time diagram with `label` (compare mode marks where the two runs
   * diverge); null clears the mark.
   * @param {number | null} step @param {string} [label]
   */
  markStep(step, label = '') {
    this.#tt.setMarker(step == null ? null : { step: markStepNumber(step), label: String(label) });
  }

  /** Compare mode: the two sides (each a <paxos-scope>, left then right), else null. */
  get compared() { return this.#compare ? /** @type {[PaxosScope, PaxosScope]} */ ([...this.#compare.sides]) : null; }

  /** Names of the built-in scenarios (empty before ready). */
  scenarioNames() {
    return this.#ctl.hasSim ? words().scenarios.map((x) => x.name) : [];
  }

  /** The trace up to the current step as JSON text (the CLI's `--export` format). */
  exportTrace() { return this.#call(() => this.#ctl.exportTrace()); }

  /**
   * Replace the simulation with a trace (JSON text from exportTrace() or the CLI), replayed
   * to its end. A malformed, truncated, oversized or tampered trace throws and changes nothing.
   * @param {string} json
   */
  importTrace(json) { this.#api(() => this.#ctl.importTrace(json)); }

  /** A link to this page that replays this run exactly, at this step. */
  shareUrl() {
    const fragment = this.#call(() => this.#ctl.shareFragment());
    return `${String(globalThis.location.href).split('#')[0]}#${fragment}`;
  }

  /**
   * Open a share link (a whole URL, '#fragment' or the bare fragment). A malformed,
   * truncated, oversized or tampered one throws and changes nothing.
   * @param {string} link
   */
  openShare(link) { this.#api(() => this.#ctl.openShare(link)); }

  /** The view: 'ring', 'diagram' or 'both'. */
  get view() { return /** @type {import('./paxos-scope').PaxosView} */ (this.#tt.view); }

  /**
   * Show the ring, the space-time diagram, or both side by side. The diagram's code loads on
   * first use.
   * @param {import('./paxos-scope').PaxosView} v
   */
  setView(v) {
    const views = CHOICES.view;
    if (!views.includes(v)) {
      throw this.#report(new Error(`setView: the view must be ${views.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(v) ?? String(v)}`));
    }
    this.#tt.setView(v);
  }

  /** The message selected in the ring, the queue or the diagram (highlighted in all), or null. */
  get selectedMessage() { return this.#tt.selected; }

  /** Select a message (any id from snapshot.history) or clear the selection with null. @param {number | null} id */
  selectMessage(id) {
    if (id != null && !(Number.isInteger(id) && id >= 0)) {
      throw this.#report(new Error(`selectMessage: the message id must be a whole number or null, got ${JSON.stringify(id) ?? String(id)}`));
    }
    this.#tt.select(id ?? null);
  }

  // ------------------------------------------------------------------ errors

  /**
   * A public action: on success the banner goes; a failure is shown and emitted, then thrown.
   * @template T @param {() => T} fn @returns {T}
   */
  #api(fn) {
    const r = this.#call(fn);
    this.#banner.hide();
    return r;
  }

  /** @template T @param {() => T} fn @returns {T} */
  #call(fn) {
    try {
      return fn();
    } catch (e) {
      const err = toError(e);
      throw reported.has(err) ? err : this.#report(err);
    }
  }

  /**
   * A UI-initiated action: failures are shown (banner + paxos-error), never thrown. The focus,
   * if it was inside the element, stays inside once the gesture is over (a view may redraw
   * after the action: hence the microtask).
   * @template T @param {() => T} fn
   */
  #ui(fn) {
    const before = /** @type {HTMLElement | null} */ (this.#root.activeElement);
    const key = before && focusKey(this.#root, this.#order);
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof Object) || !reported.has(e)) this.#report(toError(e));
      return undefined;
    } finally {
      if (before) {
        queueMicrotask(() => {
          if (this.#root.activeElement && this.#root.activeElement !== before) return;
          restoreFocus(this.#root, key);
          this.#keepFocus(before);
        });
      }
    }
  }

  /** @param {Error} err */
  #report(err) {
    reported.add(err);
    this.#banner.show(err.message);
    this.#fire('paxos-error', { message: err.message, error: err });
    return err;
  }

  /** @param {string} type @param {unknown} detail */
  #fire(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  // ------------------------------------------------------------------ attributes

  #startWhenVisible() {
    if (this.#io) return;
    if (typeof IntersectionObserver !== 'function') {
      this.start();
      return;
    }
    this.#io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.start();
    }, { rootMargin: '200px 0px' });
    this.#io.observe(this);
  }

  #autoplay() { return wantsAutoplay(this.getAttribute('autoplay'), !!this.#reduced.matches); }

  /** A new simulation as the attributes say (throws when they say something wrong). */
  #installFromAttrs() {
    const { scenarios, bugs, protocols } = words();
    const spec = simSpec((n) => this.getAttribute(n), { scenarios: scenarios.map((x) => x.name), bugs: bugs.map((x) => x.name), protocols });
    if ('scenario' in spec) this.#ctl.loadScenario(spec.scenario, 'paxos-scope');
    else {
      if (this.#ctl.policy) spec.config.policy = this.#ctl.policy;
      this.#ctl.newCluster(spec.config, 'paxos-scope');
    }
  }

  /** Apply the attributes changed since the last call (one microtask per burst of changes). */
  #applyAttrs() {
    const dirty = this.#dirty;
    this.#dirty = new Set();
    if (this.#ctl.hasSim && (dirty.has('compare') || (this.#compare && SIM_ATTRS.some((n) => dirty.has(n))))) this.#applyCompare(true);
    if (this.#ctl.hasSim && SIM_ATTRS.some((n) => dirty.has(n))) {
      try {
        this.#installFromAttrs();
        this.#attrErrors.delete('cluster');
        this.#showAttrProblems();
        if (this.#autoplay()) this.play();
      } catch (e) {
        const why = toError(e).message.replace(/^paxos-scope: /, '');
        this.#attrProblem('cluster', fail('paxos-scope', `${why}; the current cluster is kept`));
      }
    }
    for (const name of UI_ATTRS) {
      if (!dirty.has(name)) continue;
      try {
        this.#applyUiAttr(name, this.getAttribute(name));
        if (this.#attrErrors.delete(name)) this.#showAttrProblems();
      } catch (e) {
        this.#attrProblem(name, toError(e));
      }
    }
  }

  /**
   * The compare attribute: build the two sides (compare.js, loaded on first use) in place of
   * the element's own view, or go back to it. `rebuild`: build them again even if the value
   * is the same (a cluster attribute changed).
   */
  #applyCompare(/** @type {boolean} */ rebuild) {
    const value = this.getAttribute('compare');
    if (!rebuild && value === this.#compareFor) return;
    this.#compareFor = value;
    /** @type {ReturnType<typeof compareSpec>} */
    let spec = null;
    try {
      const { protocols = [] } = words();
      spec = compareSpec(value, protocols);
      if (this.#attrErrors.delete('compare')) this.#showAttrProblems();
    } catch (e) {
      this.#attrProblem('compare', toError(e));
    }
    this.#compare?.destroy();
    this.#compare = null;
    this.#shell.hidden = false;
    if (!spec) return;
    const sides = spec;
    this.pause();
    import('./compare.js').then(({ CompareView, compareSheet }) => {
      if (this.#compareFor !== value || this.#compare) return; // changed again meanwhile
      if (!this.#root.adoptedStyleSheets.includes(compareSheet())) this.#root.adoptedStyleSheets = [...this.#root.adoptedStyleSheets, compareSheet()];
      const attrs = Object.fromEntries(['nodes', 'proposers', 'seed', 'view', 'theme', 'speed'].map((n) => [n, this.getAttribute(n)]));
      this.#compare = new CompareView(/** @type {any} */ (this.constructor), sides, attrs);
      // The sides are parts of this element: their ready events are not the element's.
      this.#compare.el.addEventListener('paxos-ready', (e) => e.stopPropagation());
      this.#shell.hidden = true;
      this.#root.append(this.#compare.el);
      for (const s of this.#compare.sides) s.start();
      this.#fire('paxos-compare', { sides: this.compared });
    }, (e) => this.#report(new Error(`Paxoscope could not load compare mode: ${toError(e).message}`)));
  }

  /** @param {string} name @param {Error} err */
  #attrProblem(name, err) {
    this.#attrErrors.set(name, err.message);
    this.#report(err);
  }

  #showAttrProblems() {
    const rest = [...this.#attrErrors.values()];
    if (rest.length) this.#banner.show(rest[rest.length - 1]);
    else this.#banner.hide();
  }

  /** controls, view, theme, height, speed, autoplay: how it looks and plays, not what it simulates. */
  #applyUiAttr(/** @type {string} */ name, /** @type {string | null} */ value) {
    const v = uiValue(name, value, { isHeight: (css) => CSS.supports('height', css) });
    switch (name) {
      case 'view':
        this.#tt.setView(/** @type {string | null} */ (v) || 'ring');
        return;
      case 'height':
        this.#setHostCss(/** @type {string} */ (v));
        return;
      case 'speed':
        if (v != null) this.speed = /** @type {number} */ (v);
        return;
      case 'autoplay':
        if (!this.#ctl.hasSim) return;
        if (this.#autoplay()) this.play();
        else if (!v) this.pause();
        return;
      case 'theme': // pure CSS (:host([theme=…])) in styles.js, but for inherit's custom state
        this.#theme.follow(v === 'inherit');
        return;
      default: // controls is pure CSS (:host([controls=…])) in styles.js.
    }
  }

  /** Per-element CSS (the height attribute): its own constructable sheet, never an inline style. */
  #setHostCss(/** @type {string} */ css) {
    const others = this.#root.adoptedStyleSheets.filter((s) => s !== this.#hostSheet);
    if (!css) {
      this.#root.adoptedStyleSheets = others;
      return;
    }
    this.#hostSheet ??= new CSSStyleSheet();
    this.#hostSheet.replaceSync(css);
    this.#root.adoptedStyleSheets = [...others, this.#hostSheet];
  }

  #boot() {
    this.#settingsHosts.stories.hidden = words().scenarios.length === 0;
    try {
      this.#installFromAttrs();
    } catch (e) {
      const why = toError(e).message.replace(/^paxos-scope: /, '');
      this.#attrProblem('cluster', fail('paxos-scope', `${why}; showing the default cluster instead`));
      this.#ctl.newCluster({ ...DEFAULTS });
    }
    this.#ring.placeholder.hidden = true;
    if (this.hasAttribute('compare')) this.#applyCompare(false);
    if (this.#autoplay()) this.play();
    this.#resolveReady(this);
    this.#fire('paxos-ready', { element: this });
  }

  // ------------------------------------------------------------------ drawing

  /** After every commit of the controller. @param {Model} model @param {Frame} frame @param {boolean} fromLoop */
  #changed(model, frame, fromLoop) {
    const fresh = this.#fresh;
    if (this.#fresh) {
      this.#fresh = false;
      if (this.#selected != null && !model.nodes.some((n) => n.id === this.#selected)) this.#selected = null;
      this.#settings?.sync(model, true, null);
    } else if (!fromLoop) {
      this.#settings?.sync(model, false, this.#root.activeElement);
    }
    this.#draw(model, frame);
    // A new simulation is not read out (a page of widgets would talk at once); its steps are.
    if (fresh) this.#saidCaption = model.caption ?? '';
    else this.#narrate();
  }

  /** Draw everything again for the same model (a selection, play or pause, a resize). */
  #redraw() {
    const model = this.#ctl.model;
    if (model) this.#draw(model, { ...model, mark: null, full: false, log_from: model.log.length, log_len: model.log.length, history_len: model.history.length, history: [] });
  }

  /** A run with a log, or of a protocol other than single-decree Paxos: the log strip (log-strip.js), on first use. */
  #loadStrip(/** @type {Model} */ model) {
    if (this.#strip || !((model.config.protocol && model.config.protocol !== 'paxos') || logLength(model) > 0)) return;
    this.#strip = import('./log-strip.js').then((mod) => {
      useStrip(mod);
      this.#root.adoptedStyleSheets = [...this.#root.adoptedStyleSheets, mod.stripSheet()];
      this.#redraw();
    }, (e) => {
      this.#strip = null;
      this.#report(new Error(`Paxoscope could not load its log strip: ${toError(e).message}`));
    });
  }

  /** @param {Model} model @param {Frame} frame */
  #draw(model, frame) {
    this.#loadStrip(model);
    const focus = focusKey(this.#root, this.#order);
    const before = /** @type {HTMLElement | null} */ (this.#root.activeElement);
    this.#toolbar.update(model);
    this.#toolbar.transport(this.#ctl.playing);
    this.#caption.update(this.#exploredCaption(model));
    this.#branch.update(model);
    this.#drawRing();
    this.#queue.update(model);
    this.#safety.update(model);
    this.#log.update(model, frame);
    this.#details?.update(model, this.#selected);
    this.#whyView?.update(model);
    this.#tt.update(model, frame);
    this.#order = model.messages.map((m) => m.id);
    restoreFocus(this.#root, focus);
    if (before) this.#keepFocus(before);
  }

  /**
   * The focus was inside the element before a redraw: keep it there (so Ctrl+Z, N and the
   * other keys still reach the element). When what had it is gone, disabled or hidden (the
   * dropped envelope, Next at a story's end, Pause when play stops, the bar's button), the
   * next sensible enabled control takes it, else the shell; never the page's body.
   * @param {HTMLElement} before
   */
  #keepFocus(before) {
    const root = this.#root;
    const usable = (/** @type {Element | null | undefined} */ x) => !!x && x.isConnected
      && !(/** @type {HTMLButtonElement} */ (x).disabled) && !x.closest('[hidden]')
      && (typeof x.checkVisibility !== 'function' || x.checkVisibility());
    const now = root.activeElement;
    if (now && now !== before) return; // restoreFocus (or the user) moved it
    if (now && usable(now)) return;
    /** @type {(Element | null)[]} */
    let candidates = [];
    const q = (/** @type {string} */ sel) => /** @type {HTMLElement | null} */ (root.querySelector(sel));
    if (before.closest('.caption, .branch')) {
      candidates = [q('.caption [data-action=next]'), q('.caption [data-action=undo]')];
    } else if (before.closest('.bar')) {
      candidates = [...root.querySelectorAll('.bar button')];
    }
    // An envelope, a row or a menu item that went: the shell (the keys still reach the element).
    if (candidates.length) candidates.push(q('.bar [data-action=play]'), q('.bar [data-action=pause]'), q('.caption [data-action=undo]'));
    const target = /** @type {HTMLElement} */ (candidates.find(usable) ?? this.#shell);
    target.focus({ preventScroll: true });
  }

  /** Tell the live region about the step the model is at (throttled: the latest wins). */
  #narrate() {
    this.#narrator.say(() => {
      const m = this.#ctl.model;
      if (!m) return '';
      const st = storyState(m);
      const caption = m.scenario && st.left == null ? m.caption : null;
      if (caption && caption !== this.#saidCaption) {
        this.#saidCaption = caption;
        return `Step ${m.step}. ${caption}`;
      }
      const lines = stepLines(m.log, m.step);
      const off = st.left != null && m.step > st.left ? ' (off script)' : '';
      return `Step ${m.step}${off}: ${lines.length ? lines.join(' ') : 'nothing happened yet.'}`;
    });
  }

  #drawRing() {
    const model = this.#ctl.model;
    if (!model) return;
    const animate = this.#ctl.playing && !this.#reduced.matches;
    // The ring is drawn anew: a focused envelope or node is found again (after a drag too).
    const focus = focusKey(this.#root, this.#order);
    this.#ring.update(model, { time: this.#ctl.animTime, animate, selected: this.#selected, selectedMsg: this.#tt.selected });
    restoreFocus(this.#root, focus);
  }

  /** A view starts or ends a drag: play holds still meanwhile, and the ring is drawn after. */
  #drag(/** @type {boolean} */ on) {
    this.#ctl.holding = on;
    if (!on) this.#drawRing();
  }

  // ------------------------------------------------------------------ gestures

  /** @param {string} action @param {number} id */
  #message(action, id) {
    const m = this.#ctl.model?.messages.find((x) => x.id === id);
    switch (action) {
      case 'deliver': return this.#ui(() => this.deliver(id));
      case 'drop': return this.#ui(() => this.drop(id));
      case 'duplicate': return this.#ui(() => this.duplicate(id));
      case 'hold': return this.#ui(() => this.hold(id));
      case 'release': return this.#ui(() => this.release(id));
      case 'toggle-hold': return this.#ui(() => (m && m.status === 'held' ? this.release(id) : this.hold(id)));
      case 'why': // the ring's menu: it closes (drawn again), the reason view opens
        this.#drawRing();
        return this.#whyUi({ message: id });
      default: return undefined;
    }
  }

  /** Alt+Up/Down: one place earlier or later in the queue (one recorded move). */
  #shift(/** @type {number} */ id, /** @type {number} */ delta) {
    const order = this.#ctl.model?.messages.map((m) => m.id) ?? [];
    const i = order.indexOf(id);
    if (i < 0) return;
    if (delta < 0 && i > 0) this.#ui(() => this.moveMessageBefore(id, order[i - 1]));
    else if (delta > 0 && i < order.length - 1) this.#ui(() => this.moveMessageBefore(order[i + 1], id));
  }

  /** Show the node's details (again: hide them). @param {number | null} id */
  #selectNode(id) {
    this.#selected = this.#selected === id ? null : id;
    this.#ring.closeMenu(false);
    this.#redraw();
    if (this.#selected == null) return;
    this.#loadPanels().then(() => {
      if (!this.#detailsHost.hidden) {
        this.#detailsHost.scrollIntoView({ block: 'nearest', behavior: this.#reduced.matches ? 'auto' : 'smooth' });
      }
    });
  }

  /** The node details and the settings (panels.js), on first use: then drawn for the model. */
  #loadPanels() {
    this.#panels ??= import('./panels.js').then(({ NodeDetails, Settings }) => {
      this.#details = new NodeDetails(this.#detailsHost, this.#detailsHooks);
      this.#settings = new Settings(this.#settingsHosts, this.#settingsHooks);
      this.#settings.fill();
      const model = this.#ctl.model;
      if (model) {
        this.#settings.sync(model, true, null);
        this.#redraw();
      }
    }, (e) => {
      this.#panels = null;
      this.#report(new Error(`Paxoscope could not load its panels: ${toError(e).message}`));
    });
    return this.#panels;
  }

  // ------------------------------------------------------------------ the explorer

  /** The explorer's panel (and its worker), loaded on first use. */
  #loadExplore() {
    this.#explorer ??= import('./explore.js').then((mod) => {
      this.#exploreMod = mod;
      this.#root.adoptedStyleSheets = [...this.#root.adoptedStyleSheets, mod.exploreSheet()];
      return new mod.ExplorePanel(this.#exploreHost, {
        trace: () => this.#call(() => this.#ctl.exportTrace()),
        step: () => this.#ctl.model?.step ?? 0,
        open: (o) => this.#ui(() => this.openExplored(o)),
        report: (e) => this.#report(e),
        itf: (text) => this.#saveItf(text),
        progress: (p) => this.#fire('paxos-explore-progress', p),
        done: (o) => this.#fire('paxos-explore-done', o),
      });
    }, (e) => {
      this.#explorer = null;
      throw this.#report(new Error(`Paxoscope could not load its explorer: ${toError(e).message}`));
    });
    return this.#explorer;
  }

  /**
   * Explore every schedule that can follow the current step (see paxos-scope.d.ts).
   * @param {import('./paxos-scope').ExploreBounds} [bounds]
   */
  async explore(bounds = {}) {
    if (bounds == null || typeof bounds !== 'object') throw this.#report(new Error('explore: the bounds must be an object'));
    const panel = await this.#loadExplore();
    this.#exploreHost.open = true;
    try {
      return await panel.explore(bounds);
    } catch (e) {
      const err = toError(e);
      if (err.name !== 'Cancelled' && !reported.has(err)) this.#report(new Error(`explore: ${err.message}`));
      throw err;
    }
  }

  /** Stop the running search at once. */
  cancelExplore() {
    this.#explorer?.then((p) => p.cancel(), () => {});
  }

  /**
   * Open the path an explore() found as a story (see paxos-scope.d.ts).
   * @param {import('./paxos-scope').ExploreOutcome} outcome
   */
  openExplored(outcome) {
    const mod = this.#exploreMod;
    const x = mod && mod.exploredPath(outcome);
    if (!mod || !x) throw this.#report(new Error('openExplored: the outcome has no path to open (only a path found by explore() has one)'));
    this.#api(() => this.#ctl.importTrace(x.trace, 'Open the explored path', 'the explored path'));
    x.end = this.#ctl.model?.trace_len ?? 0;
    this.#api(() => this.#ctl.seek(x.start));
    this.#explored = x;
    this.#tt.setMarker(mod.exploredMarker(x));
    this.#tt.bar.setBand(x.start, x.end);
    this.#redraw();
  }

  /** The run up to the current step as ITF (JSON text). @returns {Promise<string>} */
  async exportItf() {
    const panel = await this.#loadExplore();
    try {
      return await panel.exportItf();
    } catch (e) {
      throw reported.has(/** @type {object} */ (e)) ? e : this.#report(new Error(`Export ITF: ${toError(e).message}`));
    }
  }

  // ------------------------------------------------------------------ why is it safe?

  /** The reason view (why.js) and its styles, loaded on first use. */
  #loadWhy() {
    this.#whyLoad ??= import('./why.js').then(({ WhyView, whySheet }) => {
      const view = new WhyView(this.#whyHost, {
        seek: (step, msg) => {
          this.pause();
          this.#ui(() => this.seek(step));
          if (msg != null && this.#ctl.model?.history[msg - 1]) this.#tt.select(msg);
        },
        again: (target) => this.#whyUi(target),
        close: () => {
          const inside = this.#whyHost.contains(this.#root.activeElement);
          this.closeWhy();
          if (inside) this.#shell.focus({ preventScroll: true });
        },
      });
      this.#root.adoptedStyleSheets = [...this.#root.adoptedStyleSheets, whySheet(), view.sheet];
      this.#whyView = view;
      return view;
    }, (e) => {
      this.#whyLoad = null;
      throw this.#report(new Error(`Paxoscope could not load its reason view: ${toError(e).message}`));
    });
    return this.#whyLoad;
  }

  /**
   * Why is the target's value safe (see paxos-scope.d.ts)? Shows the reason view.
   * @param {import('./paxos-scope').WhyTarget} target @returns {Promise<import('./paxos-scope').WhyReason>}
   */
  async why(target) {
    const view = await this.#loadWhy();
    const { whyTarget } = await import('./why.js');
    const t = this.#call(() => whyTarget(target));
    const model = this.#ctl.model;
    if (!model) throw this.#report(new Error('why: the simulator is not ready yet (await el.ready)'));
    const trace = this.#call(() => this.#ctl.exportTrace());
    const at = { step: model.step, hash: model.hash };
    const ask = ++this.#whyAsk;
    let reason;
    try {
      reason = /** @type {import('./paxos-scope').WhyReason} */ (await view.ask(trace, t));
    } catch (e) {
      const err = toError(e);
      throw reported.has(err) ? err : this.#report(new Error(`why: ${err.message}`));
    }
    // Only the latest ask is shown (a closeWhy() meanwhile counts as a later one).
    if (ask === this.#whyAsk && this.#ctl.model) {
      view.show(reason, t, at, this.#ctl.model);
      this.#whyHost.hidden = false;
    }
    return reason;
  }

  /** Close the reason view and clear its highlights. */
  closeWhy() {
    this.#whyAsk++;
    this.#whyView?.close();
    this.#whyHost.hidden = true;
  }

  /** A "Why is this safe?" button: the view, scrolled into sight, its heading focused (errors shown, not thrown). @param {import('./paxos-scope').WhyTarget} target */
  #whyUi(target) {
    this.why(target).then(() => {
      if (this.#whyHost.hidden) return;
      this.#whyHost.scrollIntoView({ block: 'nearest', behavior: this.#reduced.matches ? 'auto' : 'smooth' });
      /** @type {HTMLElement | null} */ (this.#whyHost.querySelector('#why-title'))?.focus({ preventScroll: true });
    }, () => {});
  }

  /** Download an ITF file made by the panel's Export ITF. @param {string} text */
  async #saveItf(text) {
    const model = this.#ctl.model;
    if (!model) return;
    const { download, traceFileName } = await import('./share.js');
    const name = traceFileName(model).replace(/\.json$/, '.itf.json');
    download(this.#exploreHost, name, text);
    this.#tt.bar.say(`Saved ${name}`);
  }

  /**
   * The model with the explored path's caption (explore.js's exploredCaption), while its run
   * is the one shown; once another run is, the path's marks go.
   * @param {Model} model @returns {Model}
   */
  #exploredCaption(model) {
    const x = this.#explored;
    if (!x || !this.#exploreMod) return model;
    if (model.trace_len !== x.end || model.scenario) {
      this.#explored = null;
      this.#tt.bar.setBand(null, null);
      return model;
    }
    return { ...model, caption: this.#exploreMod.exploredCaption(x, model.step) };
  }

  // ------------------------------------------------------------------ the static shell

  #buildShell() {
    const hosts = this.#settingsHosts;
    for (const d of Object.values(hosts)) d.addEventListener('toggle', () => this.#loadPanels(), { once: true });
    this.#exploreHost.addEventListener('toggle', () => { this.#loadExplore().catch(() => {}); }, { once: true });
    const side = h('aside', { class: 'side', part: 'side' },
      this.#detailsHost,
      this.#safety.el,
      this.#whyHost,
      this.#exploreHost,
      h('section', { class: 'queue' }, h('h2', {}, 'Delivery queue', this.#queue.count),
        h('p', { class: 'tip' }, 'Click an envelope to deliver it, drag it to the drop zone to lose it or back to its sender to hold it; drag rows to reorder. Keys on an envelope or row: Enter delivers, Delete drops, H holds/releases, D duplicates, Alt+↑/↓ reorders, M opens the menu, W asks why its value is safe (also for a message selected in the diagram).'),
        this.#queue.el),
      h('section', { class: 'log' }, h('h2', {}, 'Event log'), this.#log.el),
      hosts.stories, hosts.policy, hosts.cluster);
    // A click on a blank part of the element focuses its shell (tabindex -1), so Ctrl+Z still reaches it.
    this.#shell.append(this.#banner.el, this.#toolbar.el,
      h('div', { class: 'main' }, h('div', { class: 'left' }, this.#caption.el, this.#branch.el, this.#tt.bar.el, this.#tt.views), side),
      this.#narrator.el);
    this.#root.append(this.#shell);

    const root = this.#root;
    undoKeys(root, {
      undo: () => this.#ctl.model?.can_undo && this.#ui(() => this.undo()),
      redo: () => this.#ctl.model?.can_redo && this.#ui(() => this.redo()),
    });
    root.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      if (this.#ring.menuFor != null && t instanceof Element && !t.closest('.menu')) this.#ring.closeMenu(false);
    });
    // N: Step (in a story with steps left: Next); Shift+N: on to the next caption.
    root.addEventListener('keydown', (ev) => {
      const e = /** @type {KeyboardEvent} */ (ev);
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== 'n') return;
      const t = e.composedPath()[0];
      if (t instanceof Element && t.matches('input:not([type=range]):not([type=radio]):not([type=checkbox]), textarea, select, [contenteditable]')) return;
      const model = this.#ctl.model;
      if (!model) return;
      e.preventDefault();
      if (e.shiftKey) {
        if (storyState(model).ahead) this.#ui(() => this.nextCaption());
      } else this.#ui(() => this.step());
    });
    // W: why is the selected message's value safe (a delivered one too: click it in the diagram)?
    root.addEventListener('keydown', (ev) => {
      const e = /** @type {KeyboardEvent} */ (ev);
      const id = this.#tt.selected;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== 'w' || id == null) return;
      const t = e.composedPath()[0];
      if (t instanceof Element && t.matches('input:not([type=range]):not([type=radio]):not([type=checkbox]), textarea, select, [contenteditable]')) return;
      e.preventDefault();
      this.#whyUi({ message: id });
    });
    root.addEventListener('keydown', (ev) => {
      const e = /** @type {KeyboardEvent} */ (ev);
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (this.#ring.menuFor != null) this.#ring.closeMenu(true);
      else if (this.#selected != null) {
        const id = this.#selected;
        this.#selectNode(id);
        /** @type {HTMLElement | null} */ (root.querySelector(`.node[data-node-id="${id}"]`))?.focus({ preventScroll: true });
      }
    });
    // A message focused in the ring or the queue is the selected one (the diagram follows).
    root.addEventListener('focusin', (e) => {
      const t = e.composedPath()[0];
      if (t instanceof Element && t.matches('.env[data-msg-id], li.row[data-msg-id], .dg-head[data-msg-id]')) {
        this.#tt.select(Number(/** @type {HTMLElement} */ (t).dataset.msgId));
        this.#ring.showSelected(this.#tt.selected);
        // A queue row reached by the keyboard (or refocused after a redraw) stays in sight.
        if (t.matches('li.row')) t.scrollIntoView({ block: 'nearest' });
      }
    });
  }
}

/**
 * The log lines of step `step` (the log is in step order and holds the redo part too).
 * @param {{ step: number, text: string }[]} log @param {number} step
 */
export function stepLines(log, step) {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  const out = [];
  for (let i = lo; i < log.length && log[i].step === step; i++) out.push(log[i].text);
  return out;
}
