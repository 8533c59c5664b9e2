// The demo page (index.html): open what the address names once the element is ready —
// `?scenario=NAME` (a built-in story) and `#<fragment>` (a share link) — and again when
// the fragment changes (a share link pasted into this tab).
//
// First contact: with no query and no fragment at all, the page opens the happy-path story
// and shows a welcome above the widget ("Press Next to begin", or "Free play": `?free`, the
// empty cluster the page used to open on). Any query or fragment opens exactly what it names.
import { openFromLocation } from './share.js';

export const WELCOME_STORY = 'happy-path';

const el = /** @type {import('./paxos-scope').PaxosScope | null} */ (document.querySelector('paxos-scope'));
if (el) {
  customElements.whenDefined('paxos-scope')
    .then(() => el.ready)
    .then(() => {
      compareForm(el);
      if (!location.search && location.hash.length <= 1) welcome(el);
      else openFromLocation(el, location);
      addEventListener('hashchange', () => {
        if (location.hash.length > 1) openFromLocation(el, { search: '', hash: location.hash });
      });
    }, () => { /* the element shows why it could not start */ });
}

/** The welcome story and its panel, which goes once the story has begun or is left. */
function welcome(/** @type {import('./paxos-scope').PaxosScope} */ el) {
  const panel = document.getElementById('welcome');
  try {
    el.loadScenario(WELCOME_STORY);
  } catch {
    return; // shown in the element's banner; the empty cluster stays
  }
  if (!panel) return;
  panel.hidden = false;
  const done = () => {
    panel.hidden = true;
    el.removeEventListener('paxos-change', check);
  };
  const check = () => {
    const s = el.snapshot();
    if (s.step > 0 || s.scenario !== WELCOME_STORY) done();
  };
  el.addEventListener('paxos-change', check);
  document.getElementById('welcome-start')?.addEventListener('click', () => {
    el.redo(); // Next: the story's first step
    done();
    // Keep going from the keyboard: focus the widget's own Next button.
    /** @type {HTMLElement | null | undefined} */ (el.shadowRoot?.querySelector('button[data-action="redo"]'))?.focus();
  });
}

/**
 * The Compare action: two pickers filled from the core's protocols (nothing hard-coded; the
 * commit protocols are the first pair offered when the core has them) and a button that sets
 * the element's compare attribute; Stop comparing removes it.
 */
function compareForm(/** @type {import('./paxos-scope').PaxosScope} */ el) {
  const form = /** @type {HTMLFormElement | null} */ (document.getElementById('compare-form'));
  const left = /** @type {HTMLSelectElement | null} */ (document.getElementById('compare-left'));
  const right = /** @type {HTMLSelectElement | null} */ (document.getElementById('compare-right'));
  const stop = /** @type {HTMLButtonElement | null} */ (document.getElementById('compare-stop'));
  const protocols = el.protocolNames();
  if (!form || !left || !right || !stop || protocols.length < 2) return;
  const names = protocols.map((p) => p.name);
  const [a, b] = names.includes('2pc') && names.includes('paxos-commit') ? ['2pc', 'paxos-commit'] : names;
  for (const select of [left, right]) {
    select.replaceChildren(...protocols.map(({ name, title }) => {
      const o = document.createElement('option');
      o.value = name;
      o.textContent = name === 'paxos' ? 'Paxos' : title;
      return o;
    }));
  }
  left.value = a;
  right.value = b;
  form.hidden = false;
  const sync = () => { stop.hidden = !el.hasAttribute('compare'); };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    el.setAttribute('compare', `${left.value},${right.value}`);
    sync();
    el.scrollIntoView({ block: 'start' });
  });
  stop.addEventListener('click', () => {
    el.removeAttribute('compare');
    sync();
  });
  sync();
}
