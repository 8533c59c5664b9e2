// The element's controls, each a component with an explicit interface: the toolbar
// (transport, speed, undo/redo, status), the story caption, the error banner, the node
// details panel and the settings (automatic policy, new cluster, stories). Each builds its
// own DOM (.el), reports intents through hooks, and is redrawn by update(...).

import { h, renderNodeInfo as renderNodeFacts } from './render.js';
import { words } from './core.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

const btn = (/** @type {string} */ action, /** @type {string} */ label, attrs = {}) =>
  h('button', { type: 'button', 'data-action': action, ...attrs }, label);

/** Clicks on the buttons with data-action inside `el`, handed to `on[action]`. */
function buttons(/** @type {HTMLElement} */ el, /** @type {Record<string, (b: HTMLElement) => void>} */ on) {
  el.addEventListener('click', (e) => {
    const t = e.composedPath()[0];
    const b = t instanceof Element && /** @type {HTMLElement | null} */ (t.closest('button[data-action]'));
    const f = b && on[String(b.dataset.action)];
    if (b && f) f(b);
  });
}

/** @typedef {import('./types').Model} Model */

/**
 * The toolbar. hooks: { play(), pause(), step(), run(), undo(), redo(), speed(n) }.
 * update(model, playing); transport(playing); speed(n) shows a speed.
 */
export class Toolbar {
  #unsafe = h('span', { class: 'unsafe', hidden: true });
  #play = btn('play', '▶ Play', { class: 'primary', title: 'Play: deliver messages as they arrive' });
  #pause = btn('pause', '‖ Pause', { class: 'primary', hidden: true });
  #undo = /** @type {HTMLButtonElement} */ (btn('undo', 'Undo', { disabled: true }));
  #redo = /** @type {HTMLButtonElement} */ (btn('redo', 'Redo', { disabled: true }));
  #speed = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': 'Speed' },
    ...SPEEDS.map((v) => h('option', { value: v, selected: v === 1 }, `${v}×`))));
  #status = h('span', { class: 'status', role: 'status' });
  el = h('header', { class: 'bar', part: 'toolbar' },
    h('div', { class: 'brand' }, h('h1', { class: 'title' }, 'Paxoscope'), this.#unsafe, h('slot', { name: 'links' })),
    h('div', { class: 'transport' },
      this.#play, this.#pause,
      btn('step', 'Step', { title: 'Let the simulator take one step' }),
      btn('run', 'Run', { title: 'Run until nothing is left to do (at most 1000 steps)' }),
      h('label', {}, 'Speed', this.#speed),
      this.#undo, this.#redo),
    this.#status);

  /** @param {{ play(): void, pause(): void, step(): void, run(): void, undo(): void, redo(): void, speed(n: number): void }} hooks */
  constructor(hooks) {
    buttons(this.el, { play: hooks.play, pause: hooks.pause, step: hooks.step, run: hooks.run, undo: hooks.undo, redo: hooks.redo });
    this.#speed.addEventListener('change', () => hooks.speed(Number(this.#speed.value)));
  }

  /** Show speed `n` (1 when it is not one of the choices). */
  speed(/** @type {number} */ n) { this.#speed.value = String(SPEEDS.includes(n) ? n : 1); }

  transport(/** @type {boolean} */ playing) {
    this.#play.hidden = playing;
    this.#pause.hidden = !playing;
  }

  update(/** @type {Model} */ model) {
    const st = this.#status;
    st.replaceChildren(`step ${model.step} · t ${model.time}`);
    if (model.chosen != null) st.append(' · chosen ', h('strong', {}, String(model.chosen)));
    const nv = model.violations.length;
    if (nv) st.append(' ', h('span', { class: 'violated' }, `✗ SAFETY VIOLATED (${nv})`));
    const bug = model.config.bug;
    this.#unsafe.hidden = !bug;
    this.#unsafe.textContent = bug ? `UNSAFE: ${bug}` : '';
    this.#undo.disabled = !model.can_undo;
    this.#redo.disabled = !model.can_redo;
  }
}

/** A guided story's caption with Back and Next. hooks: { undo(), redo() }. update(model). */
export class Caption {
  #text = h('p', { class: 'caption-text', 'aria-live': 'polite' });
  #back = /** @type {HTMLButtonElement} */ (btn('undo', '◀ Back', { title: 'Previous step of the story (undo)' }));
  #next = /** @type {HTMLButtonElement} */ (btn('redo', 'Next ▶', { class: 'primary', title: 'Next step of the story (redo)' }));
  el = h('div', { class: 'caption', hidden: true, part: 'caption' }, this.#text, h('div', { class: 'caption-nav' }, this.#back, this.#next));

  /** @param {{ undo(): void, redo(): void }} hooks */
  constructor(hooks) {
    buttons(this.el, { undo: hooks.undo, redo: hooks.redo });
  }

  update(/** @type {Model} */ model) {
    const story = model.scenario;
    this.el.hidden = !story && !model.caption;
    this.#text.textContent = model.caption || (story ? `Story: ${story}` : '');
    this.#next.disabled = !model.can_redo;
    this.#back.disabled = !model.can_undo;
  }
}

/** The error banner: show(message), hide(). */
export class Banner {
  #msg = h('span', { class: 'msg' });
  el = h('div', { class: 'banner', role: 'alert', hidden: true, part: 'error' }, this.#msg, btn('dismiss', 'Dismiss'));

  constructor() {
    buttons(this.el, { dismiss: () => this.hide() });
  }

  show(/** @type {string} */ message) {
    this.#msg.textContent = message;
    this.el.hidden = false;
  }

  hide() { this.el.hidden = true; }
}

/**
 * The selected node's facts and actions: propose, crash, restart, time out, cut or heal its
 * links. hooks: { close(), propose(id, value) -> ok, crash(id), restart(id), timeout(id),
 * cutLink(a, b), healLink(a, b) }. update(model, id | null).
 */
export class NodeDetails {
  #title = h('h2', { id: 'details-title' }, 'Node');
  #info = h('div', { class: 'info' });
  #value = /** @type {HTMLInputElement} */ (h('input', { name: 'value', 'aria-label': 'Value to propose', maxlength: 40, autocomplete: 'off' }));
  #form = /** @type {HTMLFormElement} */ (h('form', { class: 'propose' }, this.#value, h('button', { type: 'submit', class: 'primary' }, 'Propose')));
  #note = h('p', { class: 'propose-note', hidden: true });
  #crash = /** @type {HTMLButtonElement} */ (btn('crash', 'Crash'));
  #restart = /** @type {HTMLButtonElement} */ (btn('restart', 'Restart'));
  #timeout = /** @type {HTMLButtonElement} */ (btn('timeout', 'Time out now', { title: "Fire this node's earliest timer now" }));
  #links = h('div', { class: 'link-actions', role: 'group', 'aria-label': 'Network links' });
  /** @type {number | null} */ #id = null;
  el = h('section', { class: 'details', hidden: true, 'aria-labelledby': 'details-title' },
    h('div', { class: 'sec-head' }, this.#title, btn('close-details', 'Close')),
    this.#info, this.#form, this.#note, h('div', { class: 'node-actions' }, this.#crash, this.#restart, this.#timeout), this.#links);

  /** @param {{ close(): void, propose(id: number, value: string): boolean, crash(id: number): void, restart(id: number): void, timeout(id: number): void, cutLink(a: number, b: number): void, healLink(a: number, b: number): void }} hooks */
  constructor(hooks) {
    const id = () => /** @type {number} */ (this.#id);
    const link = (/** @type {HTMLElement} */ b) => String(b.dataset.link).split('-').map(Number);
    buttons(this.el, {
      'close-details': hooks.close,
      crash: () => hooks.crash(id()),
      restart: () => hooks.restart(id()),
      timeout: () => hooks.timeout(id()),
      'cut-link': (b) => { const [x, y] = link(b); hooks.cutLink(x, y); },
      'heal-link': (b) => { const [x, y] = link(b); hooks.healLink(x, y); },
    });
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!hooks.propose(id(), this.#value.value)) return;
      // The next value of the core's list, ready for another proposal.
      const values = words().values;
      this.#value.value = values[(values.indexOf(this.#value.value) + 1) % values.length];
    });
  }

  /** @param {Model} model @param {number | null} id */
  update(model, id) {
    const node = id == null ? null : model.nodes.find((n) => n.id === id);
    this.el.hidden = !node;
    this.#id = node ? node.id : null;
    if (!node || id == null) return;
    if (this.el.dataset.nodeId !== String(id)) {
      this.el.dataset.nodeId = String(id);
      this.#title.textContent = `Node ${id}`;
      const values = words().values;
      this.#value.value = values[(id - 1) % values.length];
    }
    this.#info.replaceChildren(renderNodeFacts(model, id));
    this.#crash.disabled = !node.up;
    this.#restart.disabled = node.up;
    this.#timeout.disabled = !model.timers.some((t) => t.node === id);
    this.#renderLinks(model, id);
    const proposer = node.roles.includes('proposer');
    for (const c of this.#form.elements) /** @type {HTMLInputElement} */ (c).disabled = !proposer;
    this.#note.hidden = proposer;
    this.#note.textContent = proposer ? '' : `Node ${id} is not a proposer. Choose proposers under “New cluster”.`;
  }

  /**
   * One toggle per other node: "Cut link to node N" / "Heal link to node N" (data-link="a-b",
   * a < b). Updated in place while the same node is shown, so a pressed button keeps focus.
   */
  #renderLinks(/** @type {Model} */ model, /** @type {number} */ id) {
    const box = this.#links;
    const cut = new Set(model.cut.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
    const others = model.nodes.map((n) => n.id).filter((n) => n !== id);
    const keys = others.map((n) => `${Math.min(id, n)}-${Math.max(id, n)}`);
    let list = /** @type {HTMLElement[]} */ ([...box.children]);
    if (list.length !== keys.length || list.some((b, i) => b.dataset.link !== keys[i])) {
      list = keys.map((k) => h('button', { type: 'button', 'data-link': k }));
      box.replaceChildren(...list);
    }
    list.forEach((b, i) => {
      const isCut = cut.has(keys[i]);
      b.dataset.action = isCut ? 'heal-link' : 'cut-link';
      b.textContent = `${isCut ? 'Heal' : 'Cut'} link to node ${others[i]}`;
      b.classList.toggle('is-cut', isCut);
      b.title = isCut
        ? `Messages between node ${id} and node ${others[i]} are lost; heal the link to let them through again`
        : `Partition: lose every message between node ${id} and node ${others[i]}`;
    });
  }
}

/**
 * The settings: the automatic policy, a new cluster, the stories.
 * hooks: { policy(p), cluster(config), story(name) }. fill() lists the core's variants and
 * stories; sync(model, policy, force) shows the cluster and the policy in force.
 */
export class Settings {
  #lossOut = h('output', {}, '0%');
  #dupOut = h('output', {}, '0%');
  #policy = /** @type {HTMLFormElement} */ (h('form', { class: 'policy' },
    h('label', {}, 'Loss', h('input', { type: 'range', name: 'loss', min: 0, max: 50, step: 1, value: 0 }), this.#lossOut),
    h('label', {}, 'Duplication', h('input', { type: 'range', name: 'dup', min: 0, max: 50, step: 1, value: 0 }), this.#dupOut),
    h('label', {}, 'Latency', h('input', { type: 'number', name: 'min_latency', min: 1, max: 10000, value: 10, 'aria-label': 'Minimum latency (ticks)' }),
      'to', h('input', { type: 'number', name: 'max_latency', min: 1, max: 10000, value: 30, 'aria-label': 'Maximum latency (ticks)' }), 'ticks')));
  #nodes = [3, 5, 7].map((n) => /** @type {HTMLInputElement} */ (h('input', { type: 'radio', name: 'nodes', value: n, checked: n === 3 })));
  #proposerChoices = h('div', { class: 'choices' });
  #distinguished = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name: 'distinguished' }));
  #bug = /** @type {HTMLSelectElement} */ (h('select', { name: 'bug', 'aria-label': 'Protocol variant' }));
  #bugNote = h('p', { class: 'unsafe-note', hidden: true, role: 'note' });
  #seed = /** @type {HTMLInputElement} */ (h('input', { type: 'number', name: 'seed', min: 0, max: 4294967295, value: 1 }));
  #cluster = /** @type {HTMLFormElement} */ (h('form', { class: 'cluster' },
    h('fieldset', {}, h('legend', {}, 'Nodes'), h('div', { class: 'choices' }, ...this.#nodes.map((r) => h('label', {}, r, r.value)))),
    h('fieldset', { class: 'proposers' }, h('legend', {}, 'Proposers'), this.#proposerChoices),
    h('label', {}, this.#distinguished, 'Distinguished proposer (leader) mode'),
    h('label', {}, 'Variant', this.#bug),
    this.#bugNote,
    h('label', {}, 'Seed', this.#seed),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Start new cluster'))));
  #scenario = /** @type {HTMLSelectElement} */ (h('select', { name: 'scenario', 'aria-label': 'Story' }));
  #stories = h('details', { class: 'settings stories', hidden: true }, h('summary', {}, 'Stories'),
    h('form', { class: 'story' }, h('label', {}, 'Story', this.#scenario),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Load story'))));
  /** The sections, in order. */
  els = [
    this.#stories,
    h('details', { class: 'settings' }, h('summary', {}, 'Network (automatic policy)'), this.#policy),
    h('details', { class: 'settings' }, h('summary', {}, 'New cluster'), this.#cluster),
  ];

  /** @param {{ policy(p: import('./paxos-scope').Policy): void, cluster(config: import('./paxos-scope').PaxosConfig): void, story(name: string): void }} hooks */
  constructor(hooks) {
    this.#fillProposers(3, [1]);
    const f = /** @type {any} */ (this.#policy.elements);
    this.#policy.addEventListener('input', (e) => {
      if (/** @type {HTMLInputElement} */ (e.target).type === 'range') this.#outputs();
    });
    this.#policy.addEventListener('change', () => {
      this.#outputs();
      hooks.policy({
        loss_ppm: Number(f.loss.value) * 10000,
        dup_ppm: Number(f.dup.value) * 10000,
        min_latency: Number(f.min_latency.value),
        max_latency: Number(f.max_latency.value),
      });
    });
    this.#policy.addEventListener('submit', (e) => e.preventDefault());
    this.#cluster.addEventListener('change', (e) => {
      const t = /** @type {HTMLInputElement} */ (e.target);
      if (t.name === 'nodes') this.#fillProposers(Number(t.value), null);
      if (t === /** @type {unknown} */ (this.#bug)) this.#syncBug();
    });
    this.#cluster.addEventListener('submit', (e) => {
      e.preventDefault();
      const nodes = Number(/** @type {any} */ (this.#cluster.elements).nodes.value);
      const proposers = [...this.#proposerChoices.querySelectorAll('input:checked')].map((i) => Number(/** @type {HTMLInputElement} */ (i).value));
      hooks.cluster({
        nodes, proposers, distinguished: this.#distinguished.checked,
        bug: /** @type {any} */ (this.#bug.value || null), seed: Number(this.#seed.value || 1),
      });
    });
    this.#stories.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.#scenario.value) hooks.story(this.#scenario.value);
    });
    this.#scenario.addEventListener('change', () => this.#scenario.classList.toggle('unsafe-choice', this.#scenario.value.startsWith('bug-')));
  }

  /** List the core's broken variants and stories. */
  fill() {
    const { bugs, scenarios } = words();
    this.#bug.replaceChildren(h('option', { value: '' }, 'Correct Paxos (safe)'),
      ...bugs.map(({ name, title }) => h('option', { value: name }, title)));
    this.#scenario.replaceChildren(h('option', { value: '' }, 'Choose a story…'),
      ...scenarios.map(({ name, title }) => h('option', { value: name }, name.startsWith('bug-') && !/^UNSAFE/.test(title) ? `UNSAFE — ${title}` : title)));
    this.#stories.hidden = scenarios.length === 0;
  }

  /**
   * Show the cluster `model` runs (the forms) and the policy in force; the policy form is
   * left alone while it has the focus, unless `force`.
   * @param {Model} model @param {boolean} cluster also the cluster form @param {Element | null} focused
   */
  sync(model, cluster, focused) {
    if (cluster) {
      const c = model.config;
      for (const r of this.#nodes) r.checked = Number(r.value) === c.nodes;
      this.#fillProposers(c.nodes, c.proposers);
      this.#distinguished.checked = c.distinguished;
      this.#bug.value = c.bug || '';
      this.#seed.value = String(c.seed);
      this.#syncBug();
    }
    if (!cluster && focused && this.#policy.contains(focused)) return;
    const p = model.policy;
    const f = /** @type {any} */ (this.#policy.elements);
    f.loss.value = String(Math.round(p.loss_ppm / 10000));
    f.dup.value = String(Math.round(p.dup_ppm / 10000));
    f.min_latency.value = String(p.min_latency);
    f.max_latency.value = String(p.max_latency);
    this.#outputs();
  }

  #outputs() {
    const f = /** @type {any} */ (this.#policy.elements);
    this.#lossOut.textContent = `${f.loss.value}%`;
    this.#dupOut.textContent = `${f.dup.value}%`;
  }

  #fillProposers(/** @type {number} */ n, /** @type {number[] | null} */ chosen) {
    const set = new Set(chosen);
    const box = this.#proposerChoices;
    const prev = new Set([...box.querySelectorAll('input:checked')].map((i) => Number(/** @type {HTMLInputElement} */ (i).value)));
    box.replaceChildren(...Array.from({ length: n }, (_, k) => h('label', {},
      h('input', { type: 'checkbox', name: 'proposer', value: k + 1, checked: chosen ? set.has(k + 1) : prev.has(k + 1) }),
      `Node ${k + 1}`)));
  }

  #syncBug() {
    const name = this.#bug.value;
    this.#bug.classList.toggle('unsafe-choice', !!name);
    this.#bugNote.hidden = !name;
    const bug = words().bugs.find((b) => b.name === name);
    this.#bugNote.textContent = name ? `UNSAFE: a deliberately broken variant (${bug ? bug.note : name}). It can violate safety.` : '';
  }
}
