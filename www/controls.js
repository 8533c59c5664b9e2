// The element's controls, each a component with an explicit interface: the toolbar
// (transport, speed, undo/redo, status), the story caption and the error banner. Each builds
// its own DOM (.el), reports intents through hooks, and is redrawn by update(...). The node
// details and the settings are in panels.js, loaded on first use.

import { h } from './render.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

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
  #status = h('span', { class: 'status', role: 'status' });
  el = h('header', { class: 'bar', part: 'toolbar' },
    h('div', { class: 'brand' }, h('h1', { class: 'title' }, 'Paxoscope'), this.#unsafe, h('slot', { name: 'links' })),
    h('div', { class: 'transport' },
      this.#play, this.#pause,
      btn('step', 'Step', { title: 'Let the simulator take one step' }),
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
  }
}

/** A guided story's caption with Back and Next. hooks: { undo(), redo() }. update(model). */
export class Caption {
  #text = h('p', { class: 'caption-text', 'aria-live': 'polite' });
  #back = /** @type {HTMLButtonElement} */ (btn('undo', '◀ Back', { title: 'Previous step of the story (undo)' }));
  #next = /** @type {HTMLButtonElement} */ (btn('redo', 'Next ▶', { class: 'primary', title: 'Next step of the story (redo)' }));
  el = h('div', { class: 'caption', hidden: true, part: 'caption' }, this.#text, h('div', { class: 'caption-nav' }, this.#back, this.#next));

  /** @param {{ undo(): void, redo(): void }} hooks */
  constructor(hooks) {
    buttons(this.el, { undo: hooks.undo, redo: hooks.redo });
  }

  update(/** @type {Model} */ model) {
    const story = model.scenario;
    this.el.hidden = !story && !model.caption;
    this.#text.textContent = model.caption || (story ? `Story: ${story}` : '');
    this.#next.disabled = !model.can_redo;
    this.#back.disabled = !model.can_undo;
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

