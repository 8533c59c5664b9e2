// "Why is this value safe?" (issue 15): the chain of events that brought a value where it
// is — who proposed it, which promise made a later ballot carry it, who accepted it, the
// majority that chose it — with the quorum overlaps that keep it chosen and, in a broken
// variant, the link where the chain is cut. The analysis is the core's (crate/src/why.rs),
// asked through the explorer's worker (explore.js); this module only shows it. Loaded with
// import() the first time a "Why is this safe?" button is pressed or the element's why() is
// called: none of it is on the page's critical path.
//
// whyTarget(x) -> the target, checked (throws an Error in words). new WhyView(host, hooks):
// ask(trace, target) -> Promise<Reason>; show(reason, target, at) fills the panel and the
// highlights; update(model) marks the reason stale when the run is no longer at the step it
// was asked at (and drops the highlights once the run's messages differ); close().
// view.sheet: the highlights (the intersection's acceptors on the ring's cards and the
// diagram's lanes, the chain's messages, the cut red and dashed), rules replaced for the
// current reason, so they survive every redraw of the ring and the diagram.

import { h, sharedSheet } from './kit.js';
import { toolsWorker } from './explore.js';

/** @typedef {import('./paxos-scope').WhyReason} Reason @typedef {import('./paxos-scope').WhyLink} Link */
/** @typedef {import('./paxos-scope').WhyTarget} Target @typedef {import('./types').Model} Model */
/** Where a reason was asked: the run's step and state hash then. @typedef {{ step: number, hash: string }} At */

const KEYS = ['accepted', 'learned', 'chosen', 'message'];

/**
 * Check a target: exactly one of { accepted: nodeId }, { learned: nodeId }, { chosen: true },
 * { message: msgId }. Returns a plain copy; throws an Error in words otherwise.
 * @param {unknown} x @returns {Target}
 */
export function whyTarget(x) {
  const shapes = 'one of { accepted: nodeId }, { learned: nodeId }, { chosen: true }, { message: messageId }';
  if (x == null || typeof x !== 'object' || Array.isArray(x)) throw new Error(`why: the target must be ${shapes}, got ${JSON.stringify(x) ?? String(x)}`);
  const keys = Object.keys(x);
  const extra = keys.filter((k) => !KEYS.includes(k));
  if (extra.length) throw new Error(`why: unknown target field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}; the target must be ${shapes}`);
  if (keys.length !== 1) throw new Error(`why: the target must be exactly ${shapes}, got ${JSON.stringify(x)}`);
  const k = keys[0];
  const v = /** @type {Record<string, unknown>} */ (x)[k];
  if (k === 'chosen') {
    if (v !== true) throw new Error(`why: { chosen } must be true, got ${JSON.stringify(v) ?? String(v)}`);
    return { chosen: true };
  }
  const what = k === 'message' ? 'a message id (snapshot.history)' : 'a node id';
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`why: { ${k} } must be ${what}, a whole number, got ${JSON.stringify(v) ?? String(v)}`);
  return /** @type {Target} */ ({ [k]: v });
}

/** The target in words ("the chosen value", "node 3's accepted proposal", …). @param {Target} t */
export function targetWords(t) {
  if ('accepted' in t) return `what node ${t.accepted} accepted`;
  if ('learned' in t) return `what node ${t.learned} learned`;
  if ('message' in t) return `the value message ${t.message} carries`;
  return 'the chosen value';
}

/** "nodes 1, 3" / "node 2" / "no node". @param {number[]} ids */
const nodes = (ids) => (ids.length === 0 ? 'no node' : `node${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`);

/** The acceptors the reason hinges on: those in a quorum intersection, else the quorum. @param {Reason} r */
export function keyAcceptors(r) {
  const set = new Set(r.overlap.flatMap((o) => o.intersection));
  return [...(set.size ? set : new Set(r.quorum))].sort((a, b) => a - b);
}

/**
 * The highlight rules for a reason: the key acceptors' cards on the ring and lanes in the
 * diagram, the chain's messages (ring arrows and envelopes, diagram arrows), the cut red
 * and dashed. Pure: selectors on data-node-id, data-lane, data-msg-id, data-arrow-for.
 * @param {Reason} r @returns {string}
 */
export function highlightCss(r) {
  const key = keyAcceptors(r);
  const cut = r.cut;
  const msgs = [...new Set(r.chain.flatMap((l) => (l.msg != null && l.msg !== cut?.msg ? [l.msg] : [])))];
  // Under .views (the ring's and the diagram's container): more specific than their own rules.
  const list = (/** @type {(x: number) => string} */ f, /** @type {number[]} */ xs) => xs.map((x) => `.views ${f(x)}`).join(', ');
  let css = '';
  if (key.length) {
    css += `${list((n) => `.node[data-node-id="${n}"] .card`, key)} { stroke: var(--_accent); stroke-width: 4.5; fill: color-mix(in srgb, var(--_accent) 16%, var(--_panel)); }\n`;
    css += `${list((n) => `.dg-lane[data-lane="${n}"]`, key)} { stroke: var(--_accent); stroke-width: 5; opacity: .55; }\n`;
    css += `${list((n) => `.dg-lane-name[data-node-id="${n}"] text`, key)} { fill: var(--_accent); font-weight: 800; }\n`;
  }
  if (msgs.length) {
    css += `${list((m) => `.arrow[data-arrow-for~="${m}"]`, msgs)} { stroke: var(--_accent); stroke-width: 3.5; opacity: 1; }\n`;
    css += `${list((m) => `.env[data-msg-id="${m}"] .box`, msgs)} { stroke: var(--_accent); stroke-width: 3; }\n`;
    css += `${list((m) => `.dg-msg[data-msg-id="${m}"] .dg-line`, msgs)} { stroke: var(--_accent); stroke-width: 3.5; opacity: 1; }\n`;
  }
  if (cut) {
    if (cut.msg != null) {
      const m = cut.msg;
      css += `.views .arrow[data-arrow-for~="${m}"], .views .dg-msg[data-msg-id="${m}"] .dg-line { stroke: var(--_danger); stroke-width: 3.5; stroke-dasharray: 7 4; opacity: 1; }\n`;
      css += `.views .env[data-msg-id="${m}"] .box { stroke: var(--_danger); stroke-width: 3; stroke-dasharray: 5 3; }\n`;
    }
    if (cut.node != null) {
      css += `.views .node[data-node-id="${cut.node}"] .card { stroke: var(--_danger); stroke-width: 4; stroke-dasharray: 7 4; }\n`;
      css += `.views .dg-lane[data-lane="${cut.node}"] { stroke: var(--_danger); stroke-width: 4; stroke-dasharray: 7 4; opacity: .7; }\n`;
    }
  }
  return css;
}

/** The chain's messages as the history had them, to tell whether the run shown is still the same run. @param {Reason} r @param {Model} model */
function fingerprint(r, model) {
  /** @type {Map<number, string>} */
  const out = new Map();
  for (const l of r.chain) {
    if (l.msg == null) continue;
    const rec = model.history[l.msg - 1];
    if (rec && rec.id === l.msg) out.set(l.msg, `${rec.from}>${rec.to} ${rec.sent_step} ${rec.label}`);
  }
  return out;
}

/**
 * The panel. hooks: seek(step, msg) goes to a link's step (and selects its message, if any),
 * again(target) asks again at the current step, close() closes it.
 */
export class WhyView {
  #hooks;
  /** @type {{ reason: Reason, target: Target, at: At, prints: Map<number, string> } | null} */ #shown = null;
  #fresh = true;
  /** The highlight rules in force. */
  #css = '';
  /** The highlights (adopt it in the shadow root). */
  sheet = new CSSStyleSheet();
  #title = h('h2', { id: 'why-title', tabindex: -1 }, 'Why is it safe?');
  #at = h('p', { class: 'why-at' });
  #stale = h('p', { class: 'why-stale', role: 'status', hidden: true });
  #summary = h('p', { class: 'why-summary' });
  #chain = h('ol', { class: 'why-chain', 'aria-label': 'The chain, in step order' });
  #quorum = h('div', { class: 'why-quorum' });
  #rule = h('p', { class: 'why-rule' });
  #cut = h('p', { class: 'why-cut', hidden: true });
  el;

  /** @param {HTMLElement} host the empty <section> it fills @param {{ seek(step: number, msg: number | null): void, again(target: Target): void, close(): void }} hooks */
  constructor(host, hooks) {
    this.#hooks = hooks;
    this.el = host;
    host.append(
      h('div', { class: 'sec-head' }, this.#title, h('button', { type: 'button', 'data-why': 'close' }, 'Close')),
      this.#at, this.#stale, this.#summary, this.#chain, this.#quorum, this.#rule, this.#cut);
    host.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      const b = t instanceof Element ? /** @type {HTMLElement | null} */ (t.closest('button[data-why]')) : null;
      if (!b) return;
      const what = b.dataset.why;
      if (what === 'close') hooks.close();
      else if (what === 'seek') {
        const inStale = this.#stale.contains(b);
        hooks.seek(Number(b.dataset.step), b.dataset.msg ? Number(b.dataset.msg) : null);
        // "Back to step K" goes with the note it was in: the focus moves to the heading.
        if (inStale && !b.isConnected) this.#title.focus({ preventScroll: true });
      }
      else if (what === 'again' && this.#shown) hooks.again(this.#shown.target);
    });
  }

  /** What is shown: the reason, its target and where it was asked; null when closed. */
  get shown() { return this.#shown && { reason: this.#shown.reason, target: this.#shown.target, at: this.#shown.at }; }

  /** Whether the reason shown is for the step the run is at. */
  get fresh() { return !!this.#shown && this.#fresh; }

  /** Ask the core why: `trace` the run up to the current step (JSON text). @param {string} trace @param {Target} target @returns {Promise<Reason>} */
  ask(trace, target) { return toolsWorker().ask('why', { trace, target }); }

  /** Show `reason` for `target`, asked at `at` in `model`'s run. @param {Reason} reason @param {Target} target @param {At} at @param {Model} model */
  show(reason, target, at, model) {
    this.#shown = { reason, target, at, prints: fingerprint(reason, model) };
    this.#title.textContent = `Why is ${reason.value} safe?`;
    this.#at.textContent = `About ${targetWords(target)} (${reason.ballot}: ${reason.value}), at step ${at.step}: this is the run up to that step.`;
    this.#summary.textContent = reason.summary;
    this.#chain.replaceChildren(...reason.chain.map((l) => this.#link(l, reason.cut)));
    const chosen = reason.chain.some((l) => l.kind === 'chosen');
    const q = h('p', {}, h('strong', {}, chosen ? 'Chosen by: ' : `Accepted at ${reason.ballot} by: `), nodes(reason.quorum));
    const key = keyAcceptors(reason);
    if (reason.overlap.length) q.append(` · in every intersection: `, h('strong', { class: 'why-key' }, nodes(key)));
    this.#quorum.replaceChildren(q, ...(reason.overlap.length
      ? [h('ul', { class: 'why-overlap' }, ...reason.overlap.map((o) => h('li', { class: o.carried ? 'carried' : 'missed', 'data-ballot': o.ballot }, o.text)))]
      : []));
    this.#rule.textContent = reason.rule;
    this.#cut.hidden = !reason.cut;
    if (reason.cut) {
      const c = reason.cut;
      this.#cut.replaceChildren(h('strong', {}, 'The chain is cut here: '), c.text, ' ', this.#seekButton(c));
    }
    this.el.classList.toggle('broken', !!reason.cut);
    this.#fresh = true;
    this.update(model);
  }

  /** The run changed: mark the reason stale (or fresh again), keep or drop the highlights. @param {Model} model */
  update(model) {
    const s = this.#shown;
    if (!s) return;
    const fresh = model.step === s.at.step && model.hash === s.at.hash;
    // The same run (up to here): every chain message the history holds now is the one it was.
    const same = [...s.prints].every(([id, p]) => {
      const rec = model.history[id - 1];
      return !rec || `${rec.from}>${rec.to} ${rec.sent_step} ${rec.label}` === p;
    });
    this.#fresh = fresh;
    this.el.classList.toggle('stale', !fresh);
    this.#stale.hidden = fresh;
    if (!fresh) {
      const back = same && model.trace_len >= s.at.step && model.step !== s.at.step;
      this.#stale.replaceChildren(
        same ? `Stale: this reason is for step ${s.at.step}; the run is at step ${model.step} now. `
          : `Stale: the run has changed since step ${s.at.step}, when this was asked. `,
        ...(back ? [h('button', { type: 'button', class: 'link', 'data-why': 'seek', 'data-step': s.at.step }, `Back to step ${s.at.step}`), ' · '] : []),
        h('button', { type: 'button', class: 'link', 'data-why': 'again' }, 'Ask again here'));
    }
    const css = same ? highlightCss(s.reason) : '';
    if (css !== this.#css) this.sheet.replaceSync(css);
    this.#css = css;
  }

  /** Clear the panel and the highlights. */
  close() {
    this.#shown = null;
    this.#css = '';
    this.sheet.replaceSync('');
    this.el.classList.remove('stale', 'broken');
  }

  /** @param {Link} l @param {Link | null} cut */
  #link(l, cut) {
    const isCut = l.kind === 'cut' || (cut != null && l.step === cut.step && l.msg === cut.msg && l.text === cut.text);
    const li = h('li', { class: `why-link kind-${l.kind}${isCut ? ' cut' : ''}`, 'data-kind': l.kind, 'data-step': l.step },
      this.#seekButton(l), ' ', h('span', { class: 'why-text' }, l.text));
    if (l.msg != null) li.dataset.msg = String(l.msg);
    if (l.node != null) li.dataset.node = String(l.node);
    if (l.from != null) li.dataset.from = String(l.from);
    return li;
  }

  /** @param {Link} l */
  #seekButton(l) {
    const b = h('button', { type: 'button', class: 'why-step', 'data-why': 'seek', 'data-step': l.step, title: `Go to step ${l.step}`, 'aria-label': `Go to step ${l.step}` }, `#${l.step}`);
    if (l.msg != null) b.dataset.msg = String(l.msg);
    return b;
  }
}

// /* css */: minified as CSS when built (scripts/build-js.mjs), as in styles.js.
const CSS = /* css */ `
.why-panel .sec-head h2:focus { outline: none; }
.why-panel .sec-head h2:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.why-panel p { margin: 4px 0; }
.why-panel .why-at { color: var(--_muted); font-size: 12px; }
.why-panel .why-stale { color: var(--_danger); font-size: 12px; }
.why-panel.stale .why-chain, .why-panel.stale .why-summary, .why-panel.stale .why-quorum, .why-panel.stale .why-rule { opacity: .6; }
.why-panel .why-chain { margin: 6px 0; padding-inline-start: 0; list-style: none; display: flex; flex-direction: column; gap: 3px; font-size: 13px; }
.why-panel .why-link { display: grid; grid-template-columns: auto 1fr; gap: 6px; align-items: baseline; padding: 2px 4px; border-left: 3px solid var(--_border); }
.why-panel .why-link.kind-adopted, .why-panel .why-link.kind-chosen { border-left-color: var(--_accent); }
.why-panel .why-link.kind-learned { border-left-color: var(--_ok); }
.why-panel .why-link.cut { border-left: 3px dashed var(--_danger); color: var(--_danger); background: var(--_danger-bg, transparent); font-weight: 600; }
.why-panel .why-step { min-height: 0; padding: 0 5px; font-size: 12px; font-variant-numeric: tabular-nums; }
.why-panel .why-key { color: var(--_accent); }
.why-panel .why-overlap { margin: 4px 0; padding-inline-start: 1.2em; font-size: 12px; }
.why-panel .why-overlap li.missed { color: var(--_danger); }
.why-panel .why-rule { font-size: 12px; color: var(--_muted); }
.why-panel .why-cut { color: var(--_danger); border: 1px dashed var(--_danger); border-radius: 6px; padding: 4px 6px; }
`;

/** The panel's styles (adopted by the element when it loads this module). */
export const whySheet = sharedSheet(CSS);
