// The element's controls, each a component with an explicit interface: the toolbar
// (transport, speed, undo/redo, status), the story caption and the error banner. Each builds
// its own DOM (.el), reports intents through hooks, and is redrawn by update(...). The node
// details and the settings are in panels.js, loaded on first use.

import { h } from './render.js';
import { storyState } from './controller.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];
const STEP_TITLE = 'Let the simulator take one step (N)';
const NEXT_TITLE = 'Next step of the story (N); any other action leaves the story, which is kept';

export const btn = (/** @type {string} */ action, /** @type {string} */ label, attrs = {}) =>
  h('button', { type: 'button', 'data-action': action, ...attrs }, label);

/** Clicks on the buttons with data-action inside `el`, handed to `on[action]`. */
export function buttons(/** @type {HTMLElement} */ el, /** @type {Record<string, (b: HTMLElement) => void>} */ on) {
  el.addEventListener('click', (e) => {
    const t = e.composedPath()[0];
    const b = t instanceof Element && /** @type {HTMLElement | null} */ (t.closest('button[data-action]'));
    const f = b && on[String(b.dataset.action)];
    if (b && f) f(b);
  });
}

/** @typedef {import('./types').Model} Model */

/**
 * The toolbar. hooks: { play(), pause(), step(), run(), undo(), redo(), speed(n) }.
 * update(model, playing); transport(playing); speed(n) shows a speed.
 */
export class Toolbar {
  #unsafe = h('span', { class: 'unsafe', hidden: true });
  #play = btn('play', '▶ Play', { class: 'primary', title: 'Play: deliver messages as they arrive' });
  #pause = btn('pause', '‖ Pause', { class: 'primary', hidden: true });
  #undo = /** @type {HTMLButtonElement} */ (btn('undo', 'Undo', { disabled: true }));
  #redo = /** @type {HTMLButtonElement} */ (btn('redo', 'Redo', { disabled: true }));
  #speed = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': 'Speed' },
    ...SPEEDS.map((v) => h('option', { value: v, selected: v === 1 }, `${v}×`))));
  #step = btn('step', 'Step', { title: STEP_TITLE, 'aria-keyshortcuts': 'N' });
  #status = h('span', { class: 'status' });
  el = h('header', { class: 'bar', part: 'toolbar' },
    h('div', { class: 'brand' }, h('h1', { class: 'title' }, 'Paxoscope'), this.#unsafe, h('slot', { name: 'links' })),
    h('div', { class: 'transport' },
      this.#play, this.#pause,
      this.#step,
      btn('run', 'Run', { title: 'Run until nothing is left to do (at most 1000 steps)' }),
      h('label', {}, 'Speed', this.#speed),
      this.#undo, this.#redo),
    this.#status);

  /** @param {{ play(): void, pause(): void, step(): void, run(): void, undo(): void, redo(): void, speed(n: number): void }} hooks */
  constructor(hooks) {
    buttons(this.el, { play: hooks.play, pause: hooks.pause, step: hooks.step, run: hooks.run, undo: hooks.undo, redo: hooks.redo });
    this.#speed.addEventListener('change', () => hooks.speed(Number(this.#speed.value)));
  }

  /** Show speed `n` (1 when it is not one of the choices). */
  speed(/** @type {number} */ n) { this.#speed.value = String(SPEEDS.includes(n) ? n : 1); }

  transport(/** @type {boolean} */ playing) {
    this.#play.hidden = playing;
    this.#pause.hidden = !playing;
  }

  update(/** @type {Model} */ model) {
    const st = this.#status;
    st.replaceChildren(`step ${model.step} · t ${model.time}`);
    if (model.chosen != null) st.append(' · chosen ', h('strong', {}, String(model.chosen)));
    const nv = model.violations.length;
    if (nv) st.append(' ', h('span', { class: 'violated' }, `✗ SAFETY VIOLATED (${nv})`));
    const bug = model.config.bug;
    this.#unsafe.hidden = !bug;
    this.#unsafe.textContent = bug ? `UNSAFE: ${bug}` : '';
    this.#undo.disabled = !model.can_undo;
    this.#redo.disabled = !model.can_redo;
    // While a story has steps left, Step is the story's Next.
    const next = storyState(model).ahead;
    this.#step.textContent = next ? 'Next' : 'Step';
    this.#step.title = next ? NEXT_TITLE : STEP_TITLE;
    this.#play.title = next ? 'Play the story, one caption at a time' : 'Play: deliver messages as they arrive';
  }
}

/**
 * A guided story's caption with Back, Next and ⏭ (on to the next caption). Off the story's
 * script it says so. hooks: { undo(), next(), skip() }. update(model). The live region
 * (Narrator) reads captions out, so the caption itself is not live.
 */
export class Caption {
  #text = h('p', { class: 'caption-text' });
  #back = /** @type {HTMLButtonElement} */ (btn('undo', '◀ Back', { title: 'Previous step of the story (undo)' }));
  #next = /** @type {HTMLButtonElement} */ (btn('next', 'Next ▶', { class: 'primary', title: 'Next step of the story (redo; while the story has steps left, N or Step too)' }));
  #skip = /** @type {HTMLButtonElement} */ (btn('skip', '⏭', {
    title: 'On to the next caption (Shift+N)', 'aria-label': 'On to the next caption', 'aria-keyshortcuts': 'Shift+N',
  }));
  el = h('div', { class: 'caption', hidden: true, part: 'caption' }, this.#text,
    h('div', { class: 'caption-nav' }, this.#back, this.#next, this.#skip));

  /** @param {{ undo(): void, next(): void, skip(): void }} hooks */
  constructor(hooks) {
    buttons(this.el, { undo: hooks.undo, next: hooks.next, skip: hooks.skip });
  }

  update(/** @type {Model} */ model) {
    const story = model.scenario;
    const st = storyState(model);
    this.el.hidden = !story && !model.caption;
    // Up to the step where the run left the story, the steps are still the story's.
    const off = st.left != null && model.step > st.left;
    this.el.classList.toggle('off-script', off);
    this.#text.textContent = off
      ? `Off script: you left the story at step ${st.left}. The story is kept.`
      : model.caption || (story ? `Story: ${story}` : '');
    this.#next.disabled = !model.can_redo;
    this.#skip.disabled = !st.ahead;
    this.#back.disabled = !model.can_undo;
  }
}

/**
 * The bar that says another future is set aside: "You left the story at step N" with Return
 * to the story, or, outside a story, "A new future from step N" with Switch back.
 * hooks: { switchFuture() }. update(model).
 */
export class BranchBar {
  #msg = h('span', { class: 'msg' });
  #button = btn('switch', '');
  el = h('div', { class: 'branch', hidden: true, part: 'branch' }, this.#msg, this.#button);

  /** @param {{ switchFuture(): void }} hooks */
  constructor(hooks) {
    buttons(this.el, { switch: hooks.switchFuture });
  }

  /** The button, to give it the focus. */
  get button() { return this.#button; }

  update(/** @type {Model} */ model) {
    const st = storyState(model);
    if (st.left != null) {
      this.#msg.textContent = `You left the story at step ${st.left}.`;
      this.#button.textContent = 'Return to the story';
      this.#button.title = `Back to step ${st.left}, with the rest of the story ahead (your own steps are kept one switch away)`;
    } else if (st.other) {
      const { at, steps } = st.other;
      this.#msg.textContent = model.step > at
        ? `A new future from step ${at}: the old one (${steps} step${steps === 1 ? '' : 's'}) is kept, one undo back to step ${at} away.`
        : `Another future (${steps} step${steps === 1 ? '' : 's'}) parts from here.`;
      this.#button.textContent = model.step > at ? 'Switch back' : 'Switch to it';
      this.#button.title = `Step ${at}, with the other future ahead (this one is kept in its place)`;
    }
    this.el.hidden = st.left == null && !st.other;
  }
}

/**
 * The polite live region that narrates the run: say(text) announces at most once a second
 * (the latest text wins; the rest are skipped), so playing does not flood a screen reader.
 */
export class Narrator {
  el = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', part: 'narrator' });
  #last = -Infinity;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;
  /** @type {(() => string) | null} */ #pending = null;
  /** @param {number} gapMs */
  constructor(gapMs = 1000) { this.gapMs = gapMs; }

  /** Announce `text()` now, or when a second has passed since the last announcement. */
  say(/** @type {() => string} */ text) {
    this.#pending = text;
    if (this.#timer !== undefined) return;
    const wait = this.#last + this.gapMs - performance.now();
    if (wait <= 0) this.#flush();
    else this.#timer = setTimeout(() => this.#flush(), wait);
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = null;
  }

  #flush() {
    this.#timer = undefined;
    const f = this.#pending;
    this.#pending = null;
    if (!f) return;
    this.#last = performance.now();
    this.el.textContent = f();
  }
}

/** The error banner: show(message), hide(). */
export class Banner {
  #msg = h('span', { class: 'msg' });
  el = h('div', { class: 'banner', role: 'alert', hidden: true, part: 'error' }, this.#msg, btn('dismiss', 'Dismiss'));

  constructor() {
    buttons(this.el, { dismiss: () => this.hide() });
  }

  show(/** @type {string} */ message) {
    this.#msg.textContent = message;
    this.el.hidden = false;
  }

  hide() { this.el.hidden = true; }
}

