// The ring view: the stage with the cluster drawn by renderRing(), its envelopes (click,
// drag, keys, the action menu) and the nodes (click or Enter selects one).
//
// new RingView(hooks) -> .el (the stage). update(model, { time, animate, selected }) redraws;
// moveEnvelopes(model, time) only moves the envelopes (the play loop's frames between events).
// hooks: {
//   message(action, id)   'deliver' | 'drop' | 'hold' | 'release' | 'duplicate' | 'toggle-hold'
//   shift(id, delta)      Alt+Up/Down on an envelope: one place earlier or later
//   select(nodeId)        a node clicked or Enter on it
//   dragging(active)      a drag starts (true) or ends (false)
//   resized()             the stage changed size
// }

import { h, renderRing, placeMessages, dragTarget } from './render.js';
import { envelopeDrag, messageKey } from './drag.js';

/** @type {Record<string, string>} */
const HINTS = {
  drop: 'Release to drop (lose) this message',
  hold: 'Release to hold this message',
  release: 'Release to let this message go again',
  deliver: 'Release to deliver this message now',
};

/**
 * @typedef {import('./types').Model} Model
 * @typedef {{ time: number, animate: boolean, selected: number | null }} RingOptions
 */

export class RingView {
  /** @type {Model | null} */ #model = null;
  /** @type {ReturnType<typeof renderRing>['layout'] | null} */ #layout = null;
  /** @type {RingOptions} */ #opts = { time: 0, animate: false, selected: null };
  /** @type {number | null} */ #menuFor = null;
  #dragging = false;
  #size = { width: 640, height: 520 };
  #hooks;
  #hint = h('p', { class: 'hint', hidden: true, 'aria-hidden': 'true' });
  #live = h('p', { class: 'sr-only', 'aria-live': 'polite' });
  placeholder = h('p', { class: 'placeholder' }, 'Paxoscope starts when you scroll to it.');
  el = h('div', { class: 'stage', part: 'stage', 'data-view': 'ring' }, this.placeholder, this.#hint, this.#live);
  resize = new ResizeObserver((entries) => {
    const r = entries[entries.length - 1].contentRect;
    const width = Math.max(200, Math.round(r.width));
    const height = Math.max(240, Math.round(r.height));
    if (width === this.#size.width && height === this.#size.height) return;
    this.#size = { width, height };
    if (this.#model && !this.#dragging) this.#hooks.resized();
  });

  /** @param {{ message(action: string, id: number): void, shift(id: number, delta: number): void, select(id: number): void, dragging(on: boolean): void, resized(): void }} hooks */
  constructor(hooks) {
    this.#hooks = hooks;
    envelopeDrag(this.el, this.#dragHooks());
    this.el.addEventListener('click', (e) => this.#onClick(e));
    this.el.addEventListener('keydown', (e) => this.#onKey(e));
  }

  /** The message whose action menu is open, or null. */
  get menuFor() { return this.#menuFor; }
  get dragging() { return this.#dragging; }

  /** @param {Model} model @param {RingOptions} opts */
  update(model, opts) {
    this.#model = model;
    this.#opts = opts;
    if (this.#menuFor != null && !model.messages.some((m) => m.id === this.#menuFor)) this.#menuFor = null;
    if (!this.#dragging) this.#draw();
  }

  /** Move the envelopes to where they are at animated time `time` (no redraw). */
  moveEnvelopes(/** @type {number} */ time) {
    if (!this.#layout || !this.#model || !this.#opts.animate) return;
    const places = placeMessages(this.#model, this.#layout, { time, animate: true });
    for (const g of this.el.querySelectorAll('.env[data-msg-id]')) {
      const p = places.get(Number(/** @type {SVGElement} */ (g).dataset.msgId));
      if (p) g.setAttribute('transform', `translate(${Math.round(p.x * 10) / 10} ${Math.round(p.y * 10) / 10})`);
    }
  }

  /** Say `text` to screen readers. */
  announce(/** @type {string} */ text) { this.#live.textContent = text; }

  openMenu(/** @type {number} */ id) {
    if (!this.#model || !this.#model.messages.some((m) => m.id === id)) return;
    this.#menuFor = id;
    this.#draw();
    const first = /** @type {SVGElement | null} */ (this.el.querySelector('.menuitem'));
    if (first) first.focus({ preventScroll: true });
  }

  closeMenu(/** @type {boolean} */ refocus) {
    const id = this.#menuFor;
    if (id == null) return;
    this.#menuFor = null;
    this.#draw();
    if (refocus) this.#focusEnvelope(id);
  }

  #focusEnvelope(/** @type {number} */ id) {
    const env = /** @type {SVGElement | null} */ (this.el.querySelector(`.env[data-msg-id="${id}"]`));
    if (env) env.focus({ preventScroll: true });
  }

  #draw() {
    const model = this.#model;
    if (!model) return;
    const { svg, layout } = renderRing(model, { ...this.#size, ...this.#opts, menuFor: this.#menuFor });
    this.#layout = layout;
    const old = this.el.querySelector('svg');
    if (old) old.replaceWith(svg);
    else this.el.prepend(svg);
    if (this.#menuFor != null) {
      const env = svg.querySelector(`.env[data-msg-id="${this.#menuFor}"]`);
      if (env) env.classList.add('menu-open');
    }
  }

  #msg(/** @type {number} */ id) { return this.#model && this.#model.messages.find((m) => m.id === id); }

  #act(/** @type {string} */ action, /** @type {number} */ id) {
    this.#menuFor = null;
    this.#hooks.message(action, id);
  }

  #onClick(/** @type {MouseEvent} */ e) {
    const t = e.composedPath()[0];
    if (!(t instanceof Element)) return;
    const item = /** @type {SVGElement | null} */ (t.closest('.menuitem'));
    if (item) {
      this.#act(String(item.dataset.menuAction), Number(item.dataset.targetMsg));
      return;
    }
    const node = /** @type {SVGElement | null} */ (t.closest('.node[data-node-id]'));
    if (node) this.#hooks.select(Number(node.dataset.nodeId));
  }

  #onKey(/** @type {KeyboardEvent} */ e) {
    const t = e.composedPath()[0];
    if (!(t instanceof SVGElement)) return;
    const key = e.key;
    if (t.matches('.menuitem')) {
      const items = /** @type {SVGElement[]} */ ([...this.el.querySelectorAll('.menuitem')]);
      const i = items.indexOf(t);
      if (key === 'ArrowDown' || key === 'ArrowUp') items[(i + (key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
      else if (key === 'Enter' || key === ' ') this.#act(String(t.dataset.menuAction), Number(t.dataset.targetMsg));
      else if (key === 'Escape' || key === 'Tab') this.closeMenu(true);
      else return;
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (t.matches('.env[data-msg-id]')) {
      const id = Number(t.dataset.msgId);
      const lower = key.length === 1 ? key.toLowerCase() : key;
      if (!e.altKey && !e.ctrlKey && !e.metaKey && (lower === 'm' || key === 'ContextMenu' || (e.shiftKey && key === 'F10'))) {
        this.openMenu(id);
        e.preventDefault();
      } else if (messageKey(e, id, { message: (a, x) => this.#act(a, x), shift: this.#hooks.shift })) e.preventDefault();
      return;
    }
    if (t.matches('.node[data-node-id]') && (key === 'Enter' || key === ' ')) {
      e.preventDefault();
      this.#hooks.select(Number(t.dataset.nodeId));
    }
  }

  #dragHooks() {
    return {
      target: (/** @type {number} */ id, /** @type {{x: number, y: number}} */ p) => {
        const m = this.#msg(id);
        return m && this.#layout ? dragTarget(this.#layout, m, p) : null;
      },
      start: () => {
        this.#dragging = true;
        this.#menuFor = null;
        this.#hooks.dragging(true);
        this.#hint.hidden = false;
        this.#hint.textContent = 'Release to cancel';
      },
      move: (/** @type {number} */ id, /** @type {string | null} */ target) => {
        const zone = this.el.querySelector('[data-drop-zone]');
        if (zone) zone.classList.toggle('over', target === 'drop');
        const env = this.el.querySelector(`.env[data-msg-id="${id}"]`);
        if (env) env.classList.toggle('will-drop', target === 'drop');
        const m = this.#msg(id);
        const at = !m ? null : target === 'hold' ? m.from : target === 'deliver' ? m.to : null;
        for (const n of this.el.querySelectorAll('.node[data-node-id]')) {
          n.classList.toggle('drag-target', Number(/** @type {SVGElement} */ (n).dataset.nodeId) === at);
        }
        this.#hint.textContent = (target && HINTS[target]) || 'Release to cancel';
      },
      end: (/** @type {number} */ id, /** @type {string | null} */ target) => {
        this.#dragging = false;
        this.#hint.hidden = true;
        this.#hooks.dragging(false);
        if (target) this.#act(target, id);
        this.#draw();
        if (target) this.announce(`Message ${id}: ${target}`);
      },
      click: (/** @type {number} */ id) => this.#act('deliver', id),
      menu: (/** @type {number} */ id) => this.openMenu(id),
    };
  }
}
