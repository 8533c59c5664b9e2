// "Can it still break from here?": the exhaustive explorer, run in a Web Worker from the
// current step of the run. Loaded with import() the first time its panel opens (or the
// element's explore() is called), with the worker (explore-worker.js) and the explorer's own
// wasm module (pkg/paxoscope_explore_bg.wasm, built for speed): none of it is on the page's
// critical path.
//
// new ExploreWorker() -> ask(type, payload, onProgress): a Promise of the worker's answer;
// terminate(): stops the worker at once (cancel), failing what it was asked with a
// Cancelled error. new ExplorePanel(host, hooks): the bounds form, the progress bar (states,
// depth, states/s, memory), Cancel, the verdict in words, the path's new steps, and Open
// (the path as a story to step through). Export ITF lives here too (the worker writes it).

import { h, sharedSheet } from './kit.js';

/** The explorer's answer (crate/src/wasm/explore.rs, Outcome). @typedef {import('./paxos-scope').ExploreOutcome} Outcome */
/** What the worker posts while it explores. @typedef {import('./paxos-scope').ExploreProgress} ExploreProgress */
/** The bounds (every field optional). @typedef {import('./paxos-scope').ExploreBounds} ExploreBounds */
/**
 * What the panel asks of the element.
 * @typedef {{ trace(): string, step(): number, open(o: Outcome): void, report(e: Error): void, itf(text: string): void, progress(p: ExploreProgress): void, done(o: Outcome): void }} PanelHooks
 */

/** The error an ask fails with when its worker is terminated (cancelled). */
export class Cancelled extends Error {
  constructor(/** @type {string} */ why = 'cancelled') {
    super(why);
    this.name = 'Cancelled';
  }
}

/** A worker running the explorer's wasm module, asked by messages (see explore.rs). */
export class ExploreWorker {
  /** @type {Worker | null} */ #w = null;
  /** @type {Promise<void> | null} */ #ready = null;
  #id = 0;
  /** @type {Map<number, { resolve(v: any): void, reject(e: Error): void, progress?: (p: ExploreProgress) => void }>} */
  #calls = new Map();

  /** Start the worker (once); resolves when its module has loaded. */
  #boot() {
    if (this.#ready) return this.#ready;
    const url = new URL('./explore-worker.js', import.meta.url);
    const opts = /** @type {WorkerOptions} */ ({ type: 'module', name: 'paxoscope-explorer' });
    // A worker's script must be of the page's origin: a kit served from elsewhere (a CDN)
    // starts it from a same-origin blob that imports the kit's worker (CORS, as for the kit).
    const blob = url.origin !== globalThis.location?.origin;
    const w = blob ? new Worker(URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' })), opts)
      : new Worker(url, opts);
    this.#w = w;
    this.#ready = new Promise((resolve, reject) => {
      w.onmessage = (e) => {
        const d = e.data;
        if (d && d.type === 'ready') resolve();
        else if (d && d.type === 'error' && d.id == null) {
          const err = new Error(`the explorer could not start: ${d.message}`);
          reject(err);
          this.#fail(err);
        } else this.#dispatch(d);
      };
      w.onerror = (e) => {
        e.preventDefault();
        const hint = blob ? ' (the kit is on another origin, so its worker starts from a blob: URL, which the page\'s Content-Security-Policy must allow: worker-src blob:)' : '';
        const err = new Error(`the explorer's worker failed: ${e.message || 'it could not load'}${hint}`);
        reject(err);
        this.#fail(err);
        this.#w?.terminate();
        this.#w = null;
        this.#ready = null;
      };
    });
    return this.#ready;
  }

  /** @param {any} d */
  #dispatch(d) {
    const c = d && this.#calls.get(d.id);
    if (!c) return;
    if (d.type === 'progress') {
      c.progress?.(d);
      return;
    }
    this.#calls.delete(d.id);
    if (d.type === 'done') c.resolve(d.result);
    else c.reject(new Error(String(d.message)));
  }

  /** @param {Error} err */
  #fail(err) {
    for (const c of this.#calls.values()) c.reject(err);
    this.#calls.clear();
  }

  /** Whether an answer is awaited. */
  get busy() { return this.#calls.size > 0; }

  /**
   * Ask the worker: `explore` ({ trace, bounds }), `itf` ({ trace }) or `why` ({ trace, target }: why.js).
   * @param {'explore' | 'itf' | 'why'} type @param {Record<string, unknown>} payload
   * @param {(p: ExploreProgress) => void} [progress]
   * @returns {Promise<any>}
   */
  async ask(type, payload, progress) {
    await this.#boot();
    const w = this.#w;
    if (!w) throw new Cancelled();
    const id = ++this.#id;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject, progress });
      w.postMessage({ ...payload, id, type });
    });
  }

  /** Stop the worker now (a search cannot be interrupted otherwise); what it was asked fails with Cancelled. */
  terminate(/** @type {string} */ why = 'cancelled') {
    this.#w?.terminate();
    this.#w = null;
    this.#ready = null;
    this.#fail(new Cancelled(why));
  }
}

/** The questions. */
const GOALS = [
  ['safety', 'Can a property still break?'],
  ['chosen', 'Can a value still be chosen?'],
  ['livelock', 'Can it go on forever without choosing (livelock)?'],
];
/** What Open says for each question's path. */
const OPEN = { safety: 'Open it as a story', chosen: 'Open the path to a chosen value', livelock: 'Open the cycle as a story' };

/** @type {ExploreWorker | null} */
let tools = null;

/**
 * The page's one worker for quick questions (why, ITF), shared by every element: a search
 * runs in a worker of its own, so it never delays them, and the wasm is instantiated once
 * for them all.
 */
export function toolsWorker() {
  tools ??= new ExploreWorker();
  return tools;
}

/** The state budgets offered. */
const BUDGETS = [[100_000, '100 thousand'], [1_000_000, '1 million'], [5_000_000, '5 million'], [20_000_000, '20 million']];

/** 1234567 -> "1,234,567". @param {number} n */
const num = (n) => Math.round(n).toLocaleString('en-US');
/** Bytes in MB, one decimal. @param {number} b */
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;

/**
 * The figures of a progress message in words.
 * @param {{ states: number, depth: number, ms: number, bytes: number, memory: number }} p
 */
export function figures(p) {
  const rate = p.ms > 0 ? (p.states * 1000) / p.ms : 0;
  return `${num(p.states)} states · depth ${p.depth} · ${num(rate)} states/s · tables ${mb(p.bytes)} · memory ${mb(p.memory)}`;
}

/**
 * The explorer's panel.
 * hooks: trace() the run up to the current step (JSON text; throws if it cannot be
 * exported), step() the current step, open(outcome) opens the path found as a story,
 * report(err) shows an error, itf(text) hands an exported ITF file over (download).
 */
export class ExplorePanel {
  /** @type {ExploreWorker | null} */ #worker = null;
  /** @type {Outcome | null} */ #outcome = null;
  /** @type {PanelHooks} */
  #hooks;
  #form = /** @type {HTMLFormElement} */ (h('form', { class: 'ex-bounds' }));
  #run = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit', class: 'primary', 'data-ex': 'run' }, 'Explore from here'));
  #cancel = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-ex': 'cancel', hidden: true }, 'Cancel'));
  #itf = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-ex': 'itf', title: 'Download this run (up to this step) as a behaviour of Lamport’s Paxos.tla, in the Informal Trace Format of Apalache and Quint' }, 'Export ITF'));
  #bar = /** @type {HTMLProgressElement} */ (h('progress', { max: 1, value: 0, 'aria-label': 'States explored, of the budget' }));
  #figures = h('output', { class: 'ex-figures' });
  #progress = h('div', { class: 'ex-progress', hidden: true }, this.#bar, this.#figures);
  #verdict = h('p', { class: 'ex-verdict', role: 'status', 'aria-live': 'polite' });
  #steps = h('ol', { class: 'ex-steps', hidden: true });
  #open = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-ex': 'open', hidden: true }, 'Open'));
  el;

  /** @param {HTMLElement} host @param {PanelHooks} hooks */
  constructor(host, hooks) {
    this.#hooks = hooks;
    const number = (/** @type {string} */ name, /** @type {string} */ label, /** @type {number} */ value, /** @type {number} */ max, /** @type {string} */ title) =>
      h('label', { title }, label, h('input', { type: 'number', name, min: 0, max, step: 1, value, required: true }));
    const check = (/** @type {string} */ name, /** @type {string} */ label) => h('label', {}, h('input', { type: 'checkbox', name }), label);
    this.#form.append(
      h('label', {}, 'Question', h('select', { name: 'goal' },
        ...GOALS.map(([goal, label]) => h('option', { value: goal }, label)))),
      h('fieldset', {}, h('legend', {}, 'Bounds'),
        number('rounds', 'Extra rounds', 1, 5, 'Rounds past the highest the run has reached that proposers may still start'),
        number('proposals', 'More proposals per proposer', 0, 3, 'Further client requests each proposer may receive (single-decree Paxos)'),
        number('crashes', 'Crashes', 0, 3, 'How many more times a node may crash (and restart)'),
        number('partitions', 'Partitions', 0, 2, 'How many times the network may split in two (messages between the sides cannot arrive; they may be lost)'),
        h('div', { class: 'choices' }, check('drops', 'Messages may be lost'), check('dups', 'Messages may be duplicated')),
        h('label', {}, 'State budget', h('select', { name: 'maxStates' },
          ...BUDGETS.map(([n, label]) => h('option', { value: n, selected: n === 1_000_000 }, `${label} states`))))),
      h('div', { class: 'ex-actions' }, this.#run, this.#cancel, this.#itf));
    this.el = h('div', { class: 'explore-panel' },
      h('p', { class: 'tip' }, 'Explores every schedule that can follow the current step within these bounds — every order of delivery, every loss, crash and retry allowed — in a background worker, and answers in words: safe, or the shortest way to break; whether a value can still be chosen, and the shortest way; whether a cycle can repeat forever.'),
      this.#form, this.#progress, this.#verdict, this.#steps, this.#open);
    host.append(this.el);
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.explore(this.bounds()).catch(() => {});
    });
    this.#cancel.addEventListener('click', () => this.cancel());
    this.#open.addEventListener('click', () => { if (this.#outcome) this.#hooks.open(this.#outcome); });
    this.#itf.addEventListener('click', () => { this.exportItf().then((t) => this.#hooks.itf(t), (e) => this.#hooks.report(e)); });
  }

  /** The bounds in the form. @returns {ExploreBounds} */
  bounds() {
    const f = this.#form.elements;
    const v = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (f.namedItem(name));
    return {
      rounds: Number(v('rounds').value),
      proposals: Number(v('proposals').value),
      crashes: Number(v('crashes').value),
      partitions: Number(v('partitions').value),
      drops: v('drops').checked,
      dups: v('dups').checked,
      maxStates: Number(v('maxStates').value),
      goal: /** @type {ExploreBounds['goal']} */ (v('goal').value),
    };
  }

  /** Whether a search is running. */
  get running() { return !!this.#worker; }

  /** The last answer, or null. */
  get outcome() { return this.#outcome; }

  /**
   * Explore from the current step within `bounds`. Resolves with the outcome; rejects with
   * Cancelled when cancel() stops it, or an Error (shown in the panel too).
   * @param {ExploreBounds} bounds @returns {Promise<Outcome>}
   */
  async explore(bounds) {
    if (this.#worker) throw new Error('explore: a search is already running (cancel it first)');
    const trace = this.#hooks.trace();
    const from = this.#hooks.step();
    const budget = Number(bounds.maxStates ?? 1_000_000);
    const w = new ExploreWorker();
    this.#worker = w;
    this.#outcome = null;
    this.#show(true);
    this.#verdict.textContent = `Exploring from step ${from}…`;
    this.#verdict.className = 'ex-verdict';
    this.#steps.hidden = true;
    this.#open.hidden = true;
    this.#bar.removeAttribute('value');
    this.#figures.textContent = 'Starting the explorer…';
    const t0 = performance.now();
    try {
      const o = /** @type {Outcome} */ (await w.ask('explore', { trace, bounds }, (p) => {
        if (this.#worker !== w) return;
        this.#bar.value = Math.min(1, p.states / budget);
        this.#figures.textContent = figures(p);
        this.#hooks.progress(p);
      }));
      this.#done(o, from, performance.now() - t0);
      this.#hooks.done(o);
      return o;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof Cancelled) {
        this.#verdict.textContent = `Cancelled at ${this.#figures.textContent || 'the start'}: nothing was concluded.`;
      } else {
        this.#verdict.textContent = `The explorer failed: ${err.message}`;
        this.#verdict.className = 'ex-verdict bad';
      }
      throw err;
    } finally {
      w.terminate('finished');
      if (this.#worker === w) this.#worker = null;
      this.#show(false);
    }
  }

  /** Stop the running search (the worker is terminated at once). */
  cancel() {
    const w = this.#worker;
    if (!w) return;
    this.#worker = null;
    w.terminate();
  }

  /** The run up to the current step as ITF (JSON text). @returns {Promise<string>} */
  exportItf() {
    return toolsWorker().ask('itf', { trace: this.#hooks.trace() });
  }

  /** @param {boolean} running */
  #show(running) {
    this.#run.disabled = running;
    this.#cancel.hidden = !running;
    this.#progress.hidden = !running;
    // Keyboard users keep their place: Explore -> Cancel while it runs.
    if (running && this.#run.matches(':focus')) this.#cancel.focus({ preventScroll: true });
  }

  /** @param {Outcome} o @param {number} from @param {number} ms */
  #done(o, from, ms) {
    this.#outcome = o;
    this.#bar.value = 1;
    this.#figures.textContent = figures({ states: o.states, depth: o.depth, ms: o.ms ?? ms, bytes: o.bytes, memory: o.memory ?? 0 });
    const bad = o.verdict === 'violation' || o.verdict === 'livelock';
    const good = ['safe', 'chosen', 'decided', 'no-livelock'].includes(o.verdict);
    this.#verdict.className = `ex-verdict ${bad ? 'bad' : good ? 'ok' : ''}`;
    this.#verdict.textContent = `From step ${from}: ${o.text}`;
    this.#steps.replaceChildren(...o.steps.map((l) => h('li', { value: l.step }, l.text)));
    this.#steps.hidden = o.steps.length === 0;
    this.#open.hidden = !o.trace;
    this.#open.textContent = `${OPEN[o.goal] ?? OPEN.safety} (${o.steps.length} new step${o.steps.length === 1 ? '' : 's'})`;
    if (this.#cancel.matches(':focus') || this.#run.matches(':focus')) (o.trace ? this.#open : this.#run).focus({ preventScroll: true });
  }
}

/**
 * A path found, opened as a story: the step it started from, the run's length once opened
 * (`end`), its new steps' log lines, what it leads to and, for a livelock, its cycle.
 * @typedef {{ trace: string, start: number, end: number, steps: { step: number, text: string }[], title: string | null, explanation: string | null, goal: string, cycle: { from: number, steps: number, shift: number } | null }} Explored
 */

/**
 * The path of an outcome (null when it has none, or it is not an outcome).
 * @param {unknown} outcome @returns {Explored | null}
 */
export function exploredPath(outcome) {
  const o = /** @type {any} */ (outcome);
  if (!o || typeof o.trace !== 'string' || !Array.isArray(o.steps) || !Number.isInteger(o.start)) return null;
  return { trace: o.trace, start: o.start, end: o.start + o.steps.length, steps: o.steps, title: o.title ?? null, explanation: o.explanation ?? null, goal: o.goal ?? 'safety', cycle: o.cycle ?? null };
}

/** The diagram's mark for a path: where its new steps (or its cycle) begin. @param {Explored} x */
export function exploredMarker(x) {
  return x.cycle ? { step: x.cycle.from - 1, label: 'explorer: the cycle starts here' } : { step: x.start, label: `explorer: ${x.steps.length} new steps from here` };
}

/**
 * The caption at `step` of a path opened as a story: before and at its start, what follows;
 * each new step told; the last with what broke (or that the cycle begins again).
 * @param {Explored} x @param {number} step
 */
export function exploredCaption(x, step) {
  const n = x.end - x.start;
  const s = n === 1 ? '' : 's';
  const c = x.cycle;
  const where = c
    ? `into a cycle of ${c.steps} steps (from step ${c.from}) that can repeat forever${c.shift ? `, every ballot ${c.shift} round${c.shift === 1 ? '' : 's'} higher each turn` : ''}, no value ever chosen — shown twice`
    : x.goal === 'chosen' ? `to a chosen value (${x.title ?? ''}): the shortest way` : `to a state where ${x.title ? `“${x.title}” breaks` : 'the search ends'}: the shortest way`;
  const lead = n === 1 ? 'leads' : 'lead';
  if (step < x.start) return `Explorer: from step ${x.start}, ${n} new step${s} ${lead} ${where}.`;
  if (step === x.start) return `Explorer: your run, at step ${x.start}. The next ${n} step${s} ${n === 1 ? 'is' : 'are'} new and ${lead} ${where}. Next ▶ walks ${n === 1 ? 'it' : 'them'}; drag any message to try another way.`;
  const line = x.steps.find((l) => l.step === step)?.text ?? '';
  const turn = c && step >= c.from ? ` (the cycle, turn ${step >= c.from + c.steps ? 2 : 1})` : '';
  let caption = `New step ${step - x.start} of ${n}${turn}: ${line}`;
  if (step === x.end && x.explanation) caption += ` — ${x.title}: ${x.explanation}`;
  else if (step === x.end && c) caption += ' — and the cycle can begin again, forever.';
  return caption;
}

// /* css */: minified as CSS when built (scripts/build-js.mjs), as in styles.js.
const CSS = /* css */ `
.explore-panel { display: flex; flex-direction: column; gap: 8px; }
.explore-panel form { display: flex; flex-direction: column; gap: 6px; }
.explore-panel fieldset { border: 1px solid var(--_border); border-radius: 6px; margin: 0; padding: 4px 8px 6px; display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.explore-panel legend { color: var(--_muted); font-size: 12px; }
.explore-panel label { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.explore-panel .choices { display: flex; flex-wrap: wrap; gap: 4px 12px; }
.explore-panel input[type=number] { width: 4.5em; }
.explore-panel select { max-width: 100%; min-width: 0; flex: 1 1 12em; }
.explore-panel .ex-actions { display: flex; flex-wrap: wrap; gap: 6px; }
.explore-panel progress { width: 100%; }
.explore-panel .ex-figures { font-size: 12px; color: var(--_muted); font-variant-numeric: tabular-nums; }
.explore-panel .ex-verdict { margin: 0; }
.explore-panel .ex-verdict.ok { color: var(--_ok); }
.explore-panel .ex-verdict.bad { color: var(--_danger); font-weight: 600; }
.explore-panel .ex-steps { margin: 0; padding-inline-start: 2.5em; font-size: 12px; max-height: 12em; overflow: auto; }
`;

/** The panel's styles (adopted by the element when it loads this module). */
export const exploreSheet = sharedSheet(CSS);
