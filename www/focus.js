// Keeping the keyboard focus across redraws: the ring and the queue are drawn anew after
// every change, so the focused envelope, row, node or menu item is found again (by id, or by
// its place when it is gone).

/** @typedef {{ type: 'env' | 'row' | 'node', id: number, index?: number }} FocusKey */

/**
 * What has the focus in `root`, as something to find again.
 * @param {ShadowRoot} root
 * @param {number[]} order the pending messages' ids, in delivery order, as last drawn
 * @returns {FocusKey | null}
 */
export function focusKey(root, order) {
  const a = root.activeElement;
  if (!a) return null;
  const el = /** @type {HTMLElement} */ (a);
  if (el.matches('.env[data-msg-id], li.row[data-msg-id]')) {
    const id = Number(el.dataset.msgId);
    return { type: el.classList.contains('env') ? 'env' : 'row', id, index: order.indexOf(id) };
  }
  if (el.matches('.node[data-node-id]')) return { type: 'node', id: Number(el.dataset.nodeId) };
  if (el.matches('.menuitem')) {
    const id = Number(el.dataset.targetMsg);
    return { type: 'env', id, index: order.indexOf(id) };
  }
  return null;
}

/** Focus what `key` names again (the message at the same place if it is gone). */
export function restoreFocus(/** @type {ShadowRoot} */ root, /** @type {FocusKey | null} */ key) {
  if (!key) return;
  /** @type {Element | null} */
  let target = null;
  if (key.type === 'node') target = root.querySelector(`.node[data-node-id="${key.id}"]`);
  else {
    const sel = key.type === 'env' ? '.env' : 'li.row';
    target = root.querySelector(`${sel}[data-msg-id="${key.id}"]`);
    if (!target) {
      const all = root.querySelectorAll(`${sel}[data-msg-id]`);
      target = all[Math.min(Math.max(0, key.index ?? 0), all.length - 1)] || null;
    }
  }
  if (target && root.activeElement !== target) /** @type {HTMLElement} */ (target).focus({ preventScroll: true });
}
