// The delivery queue: pending messages in delivery order (renderQueue), each with buttons,
// keys (messageKey; Up/Down move the focus, and a focused row scrolls into view) and rows that
// drag to reorder.
//
// new QueueView(hooks) -> .el (the section's box), .count (the heading's count).
// update(model) redraws. hooks: {
//   message(action, id)    a row's button or key
//   shift(id, delta)       Alt+Up/Down: one place earlier or later
//   reorder(id, beforeId)  a dragged row: deliver id right before beforeId (null: last)
//   dragging(active)
// }

import { h, renderQueue } from './render.js';
import { rowDrag, messageKey } from './drag.js';

export class QueueView {
  el = h('div', { class: 'queue-box' });
  count = h('span', {});
  #dragging = false;
  #hooks;

  /** @param {{ message(action: string, id: number): void, shift(id: number, delta: number): void, reorder(id: number, beforeId: number | null): void, dragging(on: boolean): void }} hooks */
  constructor(hooks) {
    this.#hooks = hooks;
    rowDrag(this.el, {
      start: () => {
        this.#dragging = true;
        hooks.dragging(true);
      },
      end: (/** @type {number} */ id, /** @type {number | null | undefined} */ beforeId) => {
        this.#dragging = false;
        hooks.dragging(false);
        if (beforeId !== undefined) hooks.reorder(id, beforeId);
      },
    });
    this.el.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      const btn = t instanceof Element && /** @type {HTMLElement | null} */ (t.closest('button[data-action][data-msg-id]'));
      if (btn) hooks.message(String(btn.dataset.action), Number(btn.dataset.msgId));
    });
    // A focused row comes into view (the queue scrolls, not more than it must).
    this.el.addEventListener('focusin', (e) => {
      const t = e.composedPath()[0];
      if (t instanceof HTMLElement && t.matches('li.row[data-msg-id]')) t.scrollIntoView({ block: 'nearest' });
    });
    this.el.addEventListener('keydown', (e) => {
      const t = e.composedPath()[0];
      if (!(t instanceof HTMLElement) || !t.matches('li.row[data-msg-id]')) return;
      if (messageKey(e, Number(t.dataset.msgId), hooks)) {
        e.preventDefault();
      } else if (!e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        const sib = /** @type {HTMLElement | null} */ (e.key === 'ArrowUp' ? t.previousElementSibling : t.nextElementSibling);
        if (sib) sib.focus();
        e.preventDefault();
      }
    });
  }

  get dragging() { return this.#dragging; }

  update(/** @type {import('./types').Model} */ model) {
    this.el.replaceChildren(renderQueue(model));
    this.count.textContent = model.messages.length ? ` (${model.messages.length})` : '';
  }
}
