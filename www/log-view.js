// The event log: the last LIMIT lines of the run in plain words, the ones after the current
// step dimmed; click a line (or its step button) to go to that step.
//
// Updated by what changed: lines from the frame's `log_from` on are (re)drawn, lines past the
// log's end are removed (the trace was cut), the first lines are trimmed to LIMIT, and the
// classes of the (at most LIMIT) drawn lines are set again. A frame costs what changed, not
// the length of the run.
//
// new LogView({ seek(step, viaButton) }) -> .el. update(model, frame).

import { h, logEntry, logClass, badSteps, LOG_EMPTY } from './render.js';
import { lastAtOrBefore } from './model.js';

export const LIMIT = 250;

export class LogView {
  el = h('div', { class: 'log-box' });
  #list = h('ol', { class: 'log-list' });
  #empty = h('p', { class: 'empty' }, LOG_EMPTY);
  /** Index in the log of the first drawn line. */
  #first = 0;
  /** @type {import('./paxos-scope').LogEntry[]} the drawn lines, as drawn */
  #drawn = [];
  #atEnd = true;
  #top = 0;
  #scrollRaf = 0;

  /** @param {{ seek(step: number, viaButton: boolean): void }} hooks */
  constructor(hooks) {
    this.el.append(this.#empty);
    // Where the reader left the log (scroll events reach an ancestor in the capture phase).
    this.el.addEventListener('scroll', () => {
      const l = this.#list;
      this.#top = l.scrollTop;
      this.#atEnd = l.scrollTop + l.clientHeight >= l.scrollHeight - 4;
    }, { capture: true, passive: true });
    this.#list.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      const li = t instanceof Element && /** @type {HTMLElement | null} */ (t.closest('li[data-step]'));
      if (!li) return;
      const step = Number(li.dataset.step);
      hooks.seek(step, !!(/** @type {Element} */ (t)).closest('button'));
    });
  }

  /** The line for `step`'s button (to focus it again after a seek). */
  button(/** @type {number} */ step) {
    return /** @type {HTMLElement | null} */ (this.#list.querySelector(`li[data-step="${step}"] button`));
  }

  /**
   * @param {import('./types').Model} model
   * @param {{ full: boolean, log_from: number }} frame
   */
  update(model, frame) {
    const log = model.log;
    const list = this.#list;
    // 1. How many drawn lines are still right: those before the frame's first line (after a
    //    complete frame, which usually repeats them, those that are the same).
    let valid = frame.full ? 0 : Math.max(0, frame.log_from - this.#first);
    if (frame.full) {
      const n = Math.min(this.#drawn.length, log.length - this.#first);
      while (valid < n && same(this.#drawn[valid], log[this.#first + valid])) valid++;
    }
    // 2. The window: the last LIMIT lines. It moved back (the trace was cut): draw it anew.
    const first = Math.max(0, log.length - LIMIT);
    if (first < this.#first) valid = 0;
    valid = Math.min(valid, this.#drawn.length);
    while (list.children.length > valid) /** @type {Element} */ (list.lastElementChild).remove();
    this.#drawn.length = valid;
    const drop = Math.min(Math.max(0, first - this.#first), valid);
    for (let i = 0; i < drop; i++) /** @type {Element} */ (list.firstElementChild).remove();
    this.#drawn.splice(0, drop);
    this.#first = first;
    // 3. New lines.
    const bad = badSteps(model);
    const step = model.step;
    const added = [];
    for (let i = this.#first + this.#drawn.length; i < log.length; i++) {
      const li = logEntry(log[i]);
      this.#drawn.push(log[i]);
      added.push(li);
    }
    this.#list.append(...added);
    // 4. Classes (current, future, next, bad): at most LIMIT lines, whatever the run's length.
    const next = lastAtOrBefore(this.#drawn, (e) => e.step, step) + 1;
    for (let i = 0; i < this.#drawn.length; i++) list.children[i].className = logClass(this.#drawn[i], step, bad, i === next);
    if (log.length) {
      if (this.#list.parentNode !== this.el) this.el.replaceChildren(this.#list);
    } else if (this.#empty.parentNode !== this.el) this.el.replaceChildren(this.#empty);
    this.#scrollSoon();
  }

  /**
   * Scroll the log once, before the next paint: to the current step when steps lie ahead,
   * else to the end if the reader was there, else back where the reader was. In a frame, not
   * in every update, because reading the layout forces it.
   */
  #scrollSoon() {
    if (this.#scrollRaf) return;
    this.#scrollRaf = requestAnimationFrame(() => {
      this.#scrollRaf = 0;
      const list = this.#list;
      if (list.parentNode !== this.el) return;
      const next = /** @type {HTMLElement | null} */ (list.querySelector('.future'));
      if (next) {
        // Measured from the boxes: the list is its entries' offsetParent.
        const at = next.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
        list.scrollTop = Math.max(0, at - list.clientHeight + 2 * next.offsetHeight);
      } else {
        list.scrollTop = this.#atEnd ? list.scrollHeight : this.#top;
      }
    });
  }

  /** Stop the pending scroll (the element left the page). */
  stop() {
    cancelAnimationFrame(this.#scrollRaf);
    this.#scrollRaf = 0;
  }
}

/** @param {import('./paxos-scope').LogEntry} a @param {import('./paxos-scope').LogEntry} b */
function same(a, b) {
  return a === b || (a.step === b.step && a.time === b.time && a.text === b.text);
}
