// The safety panel: what is chosen, and the core's safety properties, each holding or
// violated with the steps involved (buttons that go to that step).
//
// Beside a single-decree run's chosen value: "Why is this safe?" (why(), www/why.js).
//
// new SafetyView({ seek(step), why() }) -> .el (the section). update(model) redraws.

import { h, renderSafety } from './render.js';

export class SafetyView {
  #head = h('h2', {}, 'Safety');
  #box = h('div', { class: 'safety-box' });
  el = h('section', { class: 'safety' }, this.#head, this.#box);

  /** @param {{ seek(step: number): void, why(): void }} hooks */
  constructor(hooks) {
    this.#box.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      const btn = t instanceof Element && /** @type {HTMLElement | null} */ (t.closest('button[data-action="seek"], button[data-action="why"]'));
      if (!btn) return;
      if (btn.dataset.action === 'why') hooks.why();
      else hooks.seek(Number(btn.dataset.step));
    });
  }

  update(/** @type {import('./types').Model} */ model) {
    // A redraw keeps a focused Why button focused (it is made anew).
    const focused = this.#box.querySelector('button[data-action="why"]:focus');
    this.#box.replaceChildren(renderSafety(model));
    const chosen = this.#box.querySelector('.chosen.yes');
    if (chosen && model.chosen != null && (model.config.protocol ?? 'paxos') === 'paxos') {
      const why = h('button', { type: 'button', class: 'why-ask', 'data-action': 'why', title: `Why is ${model.chosen} safe? The chain of events that chose it, and the quorum overlap that keeps it chosen` }, 'Why is this safe?');
      chosen.append(' ', why);
      if (focused) why.focus({ preventScroll: true });
    }
    this.#head.classList.toggle('bad', model.violations.length > 0);
  }
}
