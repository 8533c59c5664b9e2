// Time travel and sharing controls: the step scrubber, the view toggle (ring / diagram /
// both), and the link and file buttons; plus the undo/redo keyboard shortcuts.
// The element owns the state; this module builds the bar and reports intents through hooks.

import { h, s } from './render.js';

/** A small 'to the start' / 'to the end' icon (a bar and a triangle), drawn, not a glyph. */
function skipIcon(toEnd) {
  const d = toEnd ? 'M3 2 L10 7 L3 12 Z M11 2 H13 V12 H11 Z' : 'M11 2 L4 7 L11 12 Z M1 2 H3 V12 H1 Z';
  return s('svg', { viewBox: '0 0 14 14', width: 14, height: 14, 'aria-hidden': 'true', class: 'icon' }, s('path', { d }));
}

export const VIEWS = ['ring', 'diagram', 'both'];
const VIEW_LABELS = { ring: 'Ring', diagram: 'Diagram', both: 'Both' };

let uid = 0;

/**
 * hooks: {
 *   seek(step), view(v), copyLink(), exportFile(), importFile(file)
 * }
 */
export class TimeBar {
  /** @type {{ seek(step: number): void, view(v: string): void, copyLink(): void, exportFile(): void, importFile(file: File): void }} */
  #hooks;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #noticeTimer;

  /** @param {{ seek(step: number): void, view(v: string): void, copyLink(): void, exportFile(): void, importFile(file: File): void }} hooks */
  constructor(hooks) {
    this.#hooks = hooks;
    const id = `pxs-tb-${++uid}`;
    const btn = (action, label, attrs = {}) => h('button', { type: 'button', 'data-tb': action, ...attrs }, label);

    this.range = h('input', {
      type: 'range', class: 'scrub', min: 0, max: 0, step: 1, value: 0, id: `${id}-range`,
      'aria-label': 'Step (time travel)', 'aria-valuetext': 'step 0 of 0',
    });
    this.out = h('output', { class: 'scrub-out', for: `${id}-range` }, '0 / 0');
    /** The new steps of an explorer's path, under the range (setBand). */
    this.band = h('span', { class: 'scrub-band', hidden: true, title: "the explorer's new steps" });
    this.first = btn('first', skipIcon(false), { title: 'Back to step 0', 'aria-label': 'Back to step 0' });
    this.last = btn('last', skipIcon(true), { title: 'To the last recorded step', 'aria-label': 'To the last recorded step' });

    this.views = VIEWS.map((v) => h('input', { type: 'radio', name: `${id}-view`, value: v, checked: v === 'ring' }));
    const viewGroup = h('div', { class: 'seg', role: 'radiogroup', 'aria-label': 'View' },
      ...this.views.map((r) => h('label', {}, r, h('span', {}, VIEW_LABELS[r.value]))));

    this.file = h('input', { type: 'file', accept: '.json,application/json', class: 'sr-only', tabindex: -1, 'aria-hidden': 'true' });
    this.copy = btn('copy', 'Copy link', { title: 'Copy a link that replays this run exactly, at this step' });
    this.exportBtn = btn('export', 'Export', { title: 'Download this run (up to this step) as a JSON trace' });
    this.importBtn = btn('import', 'Import…', { title: 'Open a JSON trace (from Export or the paxoscope CLI)' });
    this.notice = h('span', { class: 'tb-notice', role: 'status' });
    this.urlField = h('input', { type: 'text', readonly: true, class: 'share-url', 'aria-label': 'Link to this run (copy it by hand)' });
    this.urlRow = h('div', { class: 'share-fallback', hidden: true },
      h('label', {}, 'Copy this link:', this.urlField), btn('close-url', 'Close'));

    this.el = h('div', { class: 'timebar', part: 'timeline' },
      h('div', { class: 'scrubber' }, this.first, h('label', { class: 'scrub-label', for: `${id}-range` }, 'Step'),
        h('span', { class: 'scrub-track' }, this.range, this.band), this.out, this.last),
      h('div', { class: 'tb-tools' }, viewGroup,
        h('div', { class: 'share' }, this.copy, this.exportBtn, this.importBtn, this.file)),
      this.notice,
      this.urlRow);
    this.#wire();
  }

  #wire() {
    this.range.addEventListener('input', () => this.#hooks.seek(Number(this.range.value)));
    for (const r of this.views) r.addEventListener('change', () => { if (r.checked) this.#hooks.view(r.value); });
    this.file.addEventListener('change', () => {
      const f = this.file.files && this.file.files[0];
      this.file.value = '';
      if (f) this.#hooks.importFile(f);
    });
    this.el.addEventListener('click', (e) => {
      const b = e.target.closest && e.target.closest('button[data-tb]');
      if (!b) return;
      switch (b.dataset.tb) {
        case 'first': return this.#hooks.seek(0);
        case 'last': return this.#hooks.seek(Number(this.range.max));
        case 'copy': return this.#hooks.copyLink();
        case 'export': return this.#hooks.exportFile();
        case 'import': return this.file.click();
        case 'close-url': this.urlRow.hidden = true; return this.copy.focus();
        default: return undefined;
      }
    });
  }

  /** Steps marked as new (the explorer's path): from `from` (exclusive) to `to`, or none. @type {{ from: number, to: number } | null} */
  #band = null;

  /** Mark the steps after `from` up to `to` as new on the bar (null, null: no mark). @param {number | null} from @param {number | null} to */
  setBand(from, to) {
    this.#band = from == null || to == null ? null : { from, to };
    if (!this.#band) {
      this.band.hidden = true;
      this.range.removeAttribute('aria-description');
    }
  }

  update(snap) {
    const len = Math.max(snap.trace_len ?? snap.step, snap.step);
    const b = this.#band;
    if (b && len > 0) {
      const at = (/** @type {number} */ k) => (100 * Math.min(k, len)) / len;
      this.band.hidden = false;
      this.band.style.left = `${at(b.from).toFixed(2)}%`;
      this.band.style.width = `${(at(b.to) - at(b.from)).toFixed(2)}%`;
      this.range.setAttribute('aria-description', `steps ${b.from + 1} to ${b.to} are new: the explorer's path`);
    }
    this.range.max = String(len);
    this.range.value = String(snap.step);
    this.range.setAttribute('aria-valuetext', `step ${snap.step} of ${len}`);
    this.range.disabled = len === 0;
    this.out.textContent = `${snap.step} / ${len}`;
    this.first.disabled = snap.step === 0;
    this.last.disabled = snap.step >= len;
  }

  setView(v) {
    for (const r of this.views) r.checked = r.value === v;
  }

  /** A short confirmation next to the buttons (cleared after a few seconds). */
  say(text) {
    this.notice.textContent = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => { this.notice.textContent = ''; }, 4000);
  }

  /** The clipboard refused: show the link in a read-only field, selected, to copy by hand. */
  showUrl(url) {
    this.urlField.value = url;
    this.urlRow.hidden = false;
    this.urlField.focus();
    this.urlField.select();
  }
}

/**
 * Ctrl+Z undo, Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac) for key presses inside `target`,
 * except in text fields (their own undo) . hooks: { undo(), redo() }
 */
export function undoKeys(target, hooks) {
  target.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const t = e.composedPath()[0];
    if (t instanceof Element && (t.matches('textarea, [contenteditable=""], [contenteditable=true]')
      || (t.matches('input') && !['range', 'radio', 'checkbox', 'button', 'submit', 'file'].includes(t.type)))) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) hooks.undo();
    else if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) hooks.redo();
    else return;
    e.preventDefault();
  });
}
