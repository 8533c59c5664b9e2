// Pointer dragging (mouse, pen and touch through pointer events + pointer capture) and the
// keys of a focused message. The views own the state; these helpers only translate gestures
// into intents.

import { insertionIndex } from './render.js';

/**
 * The element matching `selector` at or above the event's target, or null.
 * @param {Event} e @param {string} selector @returns {any}
 */
export function closest(e, selector) {
  const t = e.target;
  return t instanceof Element ? t.closest(selector) : null;
}

const SLOP = 5; // pixels before a press becomes a drag
const LONG_PRESS = 550; // ms: touch long-press opens the envelope menu

function svgPoint(svg, e) {
  const ctm = svg.getScreenCTM();
  if (!ctm) return { x: e.clientX, y: e.clientY };
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
  return { x: p.x, y: p.y };
}

/**
 * Envelopes inside `stage` (a stable container holding the ring's <svg>).
 * hooks: {
 *   target(id, point) -> 'drop'|'hold'|'release'|'deliver'|null,
 *   start(id), move(id, target), end(id, target), click(id), menu(id)
 * }
 */
export function envelopeDrag(/** @type {HTMLElement} */ stage, /** @type {any} */ hooks) {
  /** @type {any} */
  let st = null;
  let swallowClickUntil = 0;
  // The click that follows a long-press or a drag is not a click on whatever lies beneath.
  stage.addEventListener('click', (e) => {
    if (performance.now() < swallowClickUntil) {
      swallowClickUntil = 0;
      e.stopPropagation();
    }
  }, true);

  const finish = (e, cancelled) => {
    if (!st || (e && e.pointerId !== st.pointerId)) return;
    const cur = st;
    st = null;
    clearTimeout(cur.timer);
    if (stage.hasPointerCapture(cur.pointerId)) stage.releasePointerCapture(cur.pointerId);
    if (cur.menuOpened || cur.moved) swallowClickUntil = performance.now() + 500;
    if (cur.menuOpened) return;
    if (cancelled) {
      if (cur.moved) hooks.end(cur.id, null);
      return;
    }
    if (cur.moved) hooks.end(cur.id, hooks.target(cur.id, svgPoint(cur.svg, e)));
    else hooks.click(cur.id);
  };

  stage.addEventListener('pointerdown', (e) => {
    swallowClickUntil = 0;
    if (st || (e.pointerType === 'mouse' && e.button !== 0)) return;
    const env = closest(e, '.env[data-msg-id]');
    if (!env) return;
    const svg = env.ownerSVGElement;
    e.preventDefault();
    env.focus({ preventScroll: true });
    const id = Number(env.dataset.msgId);
    const m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(env.getAttribute('transform') || '');
    st = {
      id, env, svg, pointerId: e.pointerId, moved: false, menuOpened: false,
      start: svgPoint(svg, e), origin: m ? { x: +m[1], y: +m[2] } : { x: 0, y: 0 },
      timer: 0,
    };
    stage.setPointerCapture(e.pointerId);
    if (e.pointerType !== 'mouse') {
      st.timer = setTimeout(() => {
        if (st && !st.moved) {
          st.menuOpened = true;
          hooks.menu(st.id);
        }
      }, LONG_PRESS);
    }
  });

  stage.addEventListener('pointermove', (e) => {
    if (!st || e.pointerId !== st.pointerId || st.menuOpened) return;
    const p = svgPoint(st.svg, e);
    const dx = p.x - st.start.x;
    const dy = p.y - st.start.y;
    if (!st.moved) {
      if (Math.hypot(dx, dy) < SLOP) return;
      st.moved = true;
      clearTimeout(st.timer);
      st.env.classList.add('dragging');
      hooks.start(st.id);
    }
    st.env.setAttribute('transform', `translate(${st.origin.x + dx} ${st.origin.y + dy})`);
    hooks.move(st.id, hooks.target(st.id, p));
  });

  stage.addEventListener('pointerup', (e) => finish(e, false));
  stage.addEventListener('pointercancel', (e) => finish(e, true));
  stage.addEventListener('lostpointercapture', (e) => {
    if (st && e.pointerId === st.pointerId) finish(null, true);
  });
  // Chromium ignores `touch-action` on SVG children: without this a touch drag on an
  // envelope becomes a page pan and the pointer is cancelled. The rest of the ring scrolls.
  stage.addEventListener('touchstart', (e) => {
    if (closest(e, '.env[data-msg-id]')) e.preventDefault();
  }, { passive: false });
  stage.addEventListener('contextmenu', (e) => {
    const env = closest(e, '.env[data-msg-id]');
    if (!env) return;
    e.preventDefault();
    if (st) {
      clearTimeout(st.timer);
      st.menuOpened = true;
    }
    hooks.menu(Number(env.dataset.msgId));
  });
  return { get active() { return st != null && st.moved; } };
}

/**
 * Reordering rows of the delivery queue inside `box` (a stable container).
 * Mouse and pen drag the whole row; touch drags by the handle (so the list still scrolls).
 * hooks: { start(id), end(id, beforeId) } where beforeId is a message id, null for the end
 * of the queue, or undefined when the row did not move.
 */
export function rowDrag(/** @type {HTMLElement} */ box, /** @type {any} */ hooks) {
  /** @type {any} */
  let st = null;

  const rows = () => /** @type {HTMLElement[]} */ ([...box.querySelectorAll('li.row[data-msg-id]')]);
  const clearMarks = () => {
    for (const r of rows()) r.classList.remove('insert-before', 'insert-after', 'dragging');
  };
  const indexAt = (y) => insertionIndex(rows().map((r) => {
    const b = r.getBoundingClientRect();
    return b.top + b.height / 2;
  }), y);

  box.addEventListener('pointerdown', (e) => {
    if (st || (e.pointerType === 'mouse' && e.button !== 0)) return;
    const row = closest(e, 'li.row[data-msg-id]');
    if (!row || closest(e, 'button')) return;
    if (e.pointerType === 'touch' && !closest(e, '.handle')) return;
    e.preventDefault();
    row.focus({ preventScroll: true });
    st = { id: Number(row.dataset.msgId), row, pointerId: e.pointerId, y0: e.clientY, moved: false };
    box.setPointerCapture(e.pointerId);
  });

  box.addEventListener('pointermove', (e) => {
    if (!st || e.pointerId !== st.pointerId) return;
    if (!st.moved) {
      if (Math.abs(e.clientY - st.y0) < SLOP) return;
      st.moved = true;
      hooks.start(st.id);
    }
    clearMarks();
    st.row.classList.add('dragging');
    const list = rows();
    const i = indexAt(e.clientY);
    if (i < list.length) list[i].classList.add('insert-before');
    else if (list.length) list[list.length - 1].classList.add('insert-after');
  });

  const finish = (e, cancelled) => {
    if (!st || (e && e.pointerId !== st.pointerId)) return;
    const cur = st;
    st = null;
    if (box.hasPointerCapture(cur.pointerId)) box.releasePointerCapture(cur.pointerId);
    const list = rows();
    clearMarks();
    if (!cur.moved) return;
    if (cancelled) return hooks.end(cur.id, undefined);
    const from = list.findIndex((r) => Number(r.dataset.msgId) === cur.id);
    const i = indexAt(e.clientY);
    if (i === from || i === from + 1) return hooks.end(cur.id, undefined);
    hooks.end(cur.id, i < list.length ? Number(list[i].dataset.msgId) : null);
  };
  box.addEventListener('pointerup', (e) => finish(e, false));
  box.addEventListener('pointercancel', (e) => finish(e, true));
  box.addEventListener('lostpointercapture', (e) => {
    if (st && e.pointerId === st.pointerId) finish(null, true);
  });
  return { get active() { return st != null && st.moved; } };
}

/**
 * The keys of a focused message (an envelope or a queue row): Enter or Space delivers, Delete
 * or Backspace drops, H holds or releases, D duplicates, Alt+Up/Down moves it one place.
 * Returns true when the key meant something (the caller then prevents its default).
 * @param {KeyboardEvent} e
 * @param {number} id
 * @param {{ message(action: string, id: number): void, shift(id: number, delta: number): void }} hooks
 */
export function messageKey(e, id, hooks) {
  if (e.ctrlKey || e.metaKey) return false;
  const key = e.key;
  if (e.altKey) {
    if (key !== 'ArrowUp' && key !== 'ArrowDown') return false;
    hooks.shift(id, key === 'ArrowUp' ? -1 : 1);
    return true;
  }
  const lower = key.length === 1 ? key.toLowerCase() : key;
  if (key === 'Enter' || key === ' ') hooks.message('deliver', id);
  else if (key === 'Delete' || key === 'Backspace') hooks.message('drop', id);
  else if (lower === 'h') hooks.message('toggle-hold', id);
  else if (lower === 'd') hooks.message('duplicate', id);
  else return false;
  return true;
}
