// The safety panel: what is chosen, and the core's safety properties, each holding or
// violated with the steps involved (buttons that go to that step).
//
// new SafetyView({ seek(step) }) -> .el (the section). update(model) redraws.

import { h, renderSafety } from './render.js';

export class SafetyView {
  #head = h('h2', {}, 'Safety');
  #box = h('div', { class: 'safety-box' });
  el = h('section', { class: 'safety' }, this.#head, this.#box);

  /** @param {{ seek(step: number): void }} hooks */
  constructor(hooks) {
    this.#box.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      const btn = t instanceof Element && /** @type {HTMLElement | null} */ (t.closest('button[data-action="seek"]'));
      if (btn) hooks.seek(Number(btn.dataset.step));
    });
  }

  update(/** @type {import('./types').Model} */ model) {
    this.#box.replaceChildren(renderSafety(model));
    this.#head.classList.toggle('bad', model.violations.length > 0);
  }
}
