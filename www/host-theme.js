// theme="inherit": the widget follows the host page's theme, not only the OS. Read in order:
//   1. the CSS custom property --paxoscope-theme (light | dark) inherited by the element,
//      e.g. `html.dark { --paxoscope-theme: dark }` or set on the element itself;
//   2. <html data-theme="light|dark"> (Docusaurus, Starlight, Pico and others);
//   3. mdBook's theme class on <html>: light and rust are light; coal, navy and ayu are dark;
//   4. otherwise prefers-color-scheme, as theme="auto" does.
// The answer is a custom state of the element (:state(host-dark) / :state(host-light)) that
// styles.js maps to a palette; it is read again when <html>'s or <body>'s class, style or
// data-theme changes (a MutationObserver) and when the OS scheme changes.

export const MDBOOK_LIGHT = ['light', 'rust'];
export const MDBOOK_DARK = ['coal', 'navy', 'ayu'];

/**
 * The host's theme from what the page shows, or null when it says nothing. Pure.
 * @param {{ custom?: string, dataTheme?: string | null, classes?: Iterable<string> }} host
 * @returns {'light' | 'dark' | null}
 */
export function themeFromHost({ custom = '', dataTheme = null, classes = [] }) {
  const c = custom.trim().toLowerCase();
  if (c === 'light' || c === 'dark') return c;
  const d = (dataTheme ?? '').trim().toLowerCase();
  if (d === 'light' || d === 'dark') return d;
  const cls = [...classes];
  if (cls.some((x) => MDBOOK_DARK.includes(x))) return 'dark';
  if (cls.some((x) => MDBOOK_LIGHT.includes(x))) return 'light';
  return null;
}

/** Follows the host page's theme for one element while theme="inherit" and it is connected. */
export class HostTheme {
  /** @type {MutationObserver | null} */ #mo = null;
  #on = false;
  #connected = false;
  #os = matchMedia('(prefers-color-scheme: dark)');
  #update = () => this.#apply();

  /** @param {HTMLElement} el @param {ElementInternals} internals */
  constructor(el, internals) {
    this.el = el;
    /** @type {CustomStateSet | null} null where the browser has no custom states (then: the OS) */
    this.states = internals.states ?? null;
  }

  /** Follow (true: theme="inherit") or not. */
  follow(/** @type {boolean} */ on) {
    this.#on = on;
    this.#watch();
  }

  connected(/** @type {boolean} */ yes) {
    this.#connected = yes;
    this.#watch();
  }

  #watch() {
    const want = this.#on && this.#connected;
    if (want && !this.#mo) {
      this.#mo = new MutationObserver(this.#update);
      const opts = { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] };
      this.#mo.observe(document.documentElement, opts);
      if (document.body) this.#mo.observe(document.body, opts);
      this.#os.addEventListener('change', this.#update);
    } else if (!want && this.#mo) {
      this.#mo.disconnect();
      this.#mo = null;
      this.#os.removeEventListener('change', this.#update);
    }
    this.#apply();
  }

  /** The theme the host shows now ('light' | 'dark' | null: it says nothing). */
  read() {
    const html = document.documentElement;
    return themeFromHost({
      custom: getComputedStyle(this.el).getPropertyValue('--paxoscope-theme'),
      dataTheme: html.getAttribute('data-theme'),
      classes: html.classList,
    });
  }

  #apply() {
    if (!this.states) return;
    const t = this.#on && this.#connected ? this.read() : null;
    for (const s of ['light', 'dark']) {
      if (t === s) this.states.add(`host-${s}`);
      else this.states.delete(`host-${s}`);
    }
  }
}
