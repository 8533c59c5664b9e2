// The delivery queue: pending messages in delivery order (renderQueue), each with buttons,
// keys (messageKey; Up/Down move the focus; element.js scrolls a focused row into view) and
// rows that drag to reorder.
//
// new QueueView(hooks) -> .el (the section's box), .count (the heading's count).
// update(model) redraws. hooks: {
//   message(action, id)    a row's button or key
//   shift(id, delta)       Alt+Up/Down: one place earlier or later
//   reorder(id, beforeId)  a dragged row: deliver id right before beforeId (null: last)
//   dragging(active)
// }

import { h, renderQueue, queueRow, queueRowName, cutLinks, linkKey } from './render.js';
import { rowDrag, messageKey } from './drag.js';

export class QueueView {
  el = h('div', { class: 'queue-box' });
  count = h('span', {});
  #dragging = false;
  #hooks;
  /** message id -> its row and what it shows (sig) */
  /** @type {Map<number, { li: HTMLElement, sig: string }>} */ #rows = new Map();

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

  /**
   * Redraw for `model`, keeping the rows of messages that did not change (only their place is
   * renumbered) and moving as few as it can: a delivery with hundreds pending touches one row.
   */
  update(/** @type {import('./types').Model} */ model) {
    this.count.textContent = model.messages.length ? ` (${model.messages.length})` : '';
    if (!model.messages.length) {
      this.#rows.clear();
      this.el.replaceChildren(renderQueue(model));
      return;
    }
    let ol = this.el.querySelector('ol.queue-list');
    if (!ol) {
      this.#rows.clear();
      ol = h('ol', { class: 'queue-list', 'aria-label': 'Pending messages in delivery order' });
      this.el.replaceChildren(ol);
    }
    const cut = cutLinks(model);
    /** @type {Map<number, { li: HTMLElement, sig: string }>} */
    const next = new Map();
    const lis = model.messages.map((m, i) => {
      const doomed = m.from !== m.to && cut.has(linkKey(m.from, m.to));
      const sig = [m.kind, m.status, doomed, m.label, m.from, m.to].join('|');
      let r = this.#rows.get(m.id);
      if (!r || r.sig !== sig) {
        r = { li: /** @type {HTMLElement} */ (queueRow(m, i, doomed)), sig };
      } else {
        const pos = /** @type {HTMLElement} */ (r.li.querySelector('.pos'));
        if (pos.textContent !== String(i + 1)) {
          pos.textContent = String(i + 1);
          r.li.setAttribute('aria-label', queueRowName(m, i));
        }
      }
      next.set(m.id, r);
      return r.li;
    });
    for (const [id, r] of this.#rows) if (next.get(id) !== r) r.li.remove();
    let cur = ol.firstElementChild;
    for (const li of lis) {
      if (cur === li) cur = cur.nextElementSibling;
      else ol.insertBefore(li, cur);
    }
    while (cur) {
      const after = cur.nextElementSibling;
      cur.remove();
      cur = after;
    }
    this.#rows = next;
    // A focused row kept across the update may have moved (Alt+Down): it stays in sight.
    const active = /** @type {Document | ShadowRoot} */ (this.el.getRootNode()).activeElement;
    if (active instanceof HTMLElement && active.matches('li.row[data-msg-id]') && this.el.contains(active)) {
      active.scrollIntoView({ block: 'nearest' });
    }
  }
}
