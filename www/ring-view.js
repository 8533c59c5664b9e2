// The ring view: the stage with the cluster drawn by renderRing(), its envelopes (click,
// drag, keys, the action menu) and the nodes (click or Enter selects one).
//
// new RingView(hooks) -> .el (the stage). update(model, { time, animate, selected }) redraws;
// moveEnvelopes(time) only moves the envelopes and turns the timers' arcs (the play loop's
// frames between events: attributes only, no new elements, no layout read).
// Beyond GROUP_THRESHOLD messages the envelopes are small marks (render.js); the one under the
// pointer or the focus shows its label in the tip layer, over the cards.
// hooks: {
//   message(action, id)   'deliver' | 'drop' | 'hold' | 'release' | 'duplicate' | 'toggle-hold'
//   shift(id, delta)      Alt+Up/Down on an envelope: one place earlier or later
//   select(nodeId)        a node clicked or Enter on it
//   dragging(active)      a drag starts (true) or ends (false)
//   resized()             the stage changed size
// }

import { h, renderRing, renderTip, placeMessages, dragTarget, updateTimers, GROUP_THRESHOLD } from './render.js';
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
 * @typedef {{ time: number, animate: boolean, selected: number | null, selectedMsg?: number | null }} RingOptions
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
  /** @type {Map<number, { x: number, y: number }>} */ #places = new Map();
  #legend = h('p', { class: 'legend' },
    h('span', {}, h('b', {}, 'P'), ' proposer'), h('span', {}, h('b', {}, 'A'), ' acceptor'), h('span', {}, h('b', {}, 'L'), ' learner'),
    h('span', { class: 'lg-timer', title: 'An armed timer: the arc is the time left before it fires (r retry, l leader, h heartbeat)' },
      h('i', { class: 'lg-arc', 'aria-hidden': 'true' }), ' timer'),
    h('span', { class: 'lg-count', hidden: true, title: 'Many messages: each is a mark; ×5 counts the messages on one link' }, h('b', {}, '×n'), ' on a link'));
  placeholder = h('p', { class: 'placeholder' }, 'Paxoscope starts when you scroll to it.');
  el = h('div', { class: 'stage', part: 'stage', 'data-view': 'ring' }, this.placeholder, this.#legend, this.#hint, this.#live);
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
    const enter = (/** @type {Event} */ e) => this.#tip(e, true);
    const leave = (/** @type {Event} */ e) => this.#tip(e, false);
    this.el.addEventListener('pointerover', enter);
    this.el.addEventListener('focusin', enter);
    this.el.addEventListener('pointerout', leave);
    this.el.addEventListener('focusout', leave);
  }

  /** Grouped mode: show (or remove) the label of the mark under the pointer or the focus. */
  #tip(/** @type {Event} */ e, /** @type {boolean} */ on) {
    const t = e.composedPath()[0];
    const env = t instanceof Element ? /** @type {SVGElement | null} */ (t.closest('.ring.grouped .env[data-msg-id]')) : null;
    if (!env || !this.#model || !this.#layout) return;
    const svg = this.el.querySelector('svg');
    const layer = svg && svg.querySelector('.tips');
    if (!layer) return;
    const kind = e.type.startsWith('focus') ? 'focus' : 'hover';
    for (const old of layer.querySelectorAll(`.env-tip.${kind}`)) old.remove();
    if (!on) return;
    const id = Number(env.dataset.msgId);
    const m = this.#msg(id);
    const p = this.#places.get(id);
    if (!m || !p) return;
    const tip = renderTip(m, p, this.#layout);
    tip.classList.add(kind);
    layer.append(tip);
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
    const grouped = this.#model.messages.length > GROUP_THRESHOLD;
    const places = placeMessages(this.#model, this.#layout, { time, animate: true, grouped });
    this.#places = places;
    // Half-pixel steps, and only the envelopes that moved: a slow frame touches few of them.
    for (const g of this.el.querySelectorAll('.env[data-msg-id]')) {
      const p = places.get(Number(/** @type {SVGElement} */ (g).dataset.msgId));
      if (!p) continue;
      const t = `translate(${Math.round(p.x * 2) / 2} ${Math.round(p.y * 2) / 2})`;
      if (g.getAttribute('transform') !== t) g.setAttribute('transform', t);
    }
    for (const tip of this.el.querySelectorAll('.env-tip[data-tip-for]')) {
      const id = Number(/** @type {SVGElement} */ (tip).dataset.tipFor);
      const m = this.#msg(id);
      const p = places.get(id);
      if (m && p) {
        const next = renderTip(m, p, this.#layout);
        next.setAttribute('class', tip.getAttribute('class') || 'env-tip');
        tip.replaceWith(next);
      }
    }
    updateTimers(this.el, time);
  }

  /** The selected message changed (no redraw): in the grouped mode, its label moves to it. */
  showSelected(/** @type {number | null} */ id) {
    this.#opts = { ...this.#opts, selectedMsg: id };
    const layer = this.el.querySelector('svg .tips');
    if (!layer || !this.#model || !this.#layout || !this.el.querySelector('svg.grouped')) return;
    for (const old of layer.querySelectorAll('.env-tip:not(.hover):not(.focus)')) old.remove();
    const m = id == null ? null : this.#msg(id);
    const p = id == null ? null : this.#places.get(id);
    if (m && p) layer.prepend(renderTip(m, p, this.#layout));
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
    const { svg, layout, places } = renderRing(model, { ...this.#size, ...this.#opts, menuFor: this.#menuFor });
    this.#layout = layout;
    this.#places = places;
    const grouped = model.messages.length > GROUP_THRESHOLD;
    /** @type {HTMLElement} */ (this.#legend.querySelector('.lg-count')).hidden = !grouped;
    // The focused mark keeps its label across the redraw (focus is restored by id after it).
    const focused = /** @type {SVGElement | null} */ (this.el.querySelector('.env[data-msg-id]:focus'));
    if (grouped && focused) {
      const id = Number(focused.dataset.msgId);
      const m = model.messages.find((x) => x.id === id);
      const p = this.#places.get(id);
      if (m && p && id !== this.#opts.selectedMsg) {
        const tip = renderTip(m, p, layout);
        tip.classList.add('focus');
        svg.querySelector('.tips')?.append(tip);
      }
    }
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
