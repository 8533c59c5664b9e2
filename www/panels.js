// The side panels used on demand, loaded with import() the first time a node is selected or
// a settings section is opened: the node details (NodeDetails) and the settings (Settings).
// Each fills a host element the element made (so the page's layout does not wait for them),
// reports intents through hooks and is redrawn by update(...) or sync(...).

import { h, renderNodeInfo as renderNodeFacts, words, btn, buttons } from './kit.js';
import { panelsSheet } from './styles-panels.js';

/** Adopt the panels' styles in the shadow root holding `el` (once). */
function adoptStyles(/** @type {HTMLElement} */ el) {
  const root = /** @type {ShadowRoot | Document} */ (el.getRootNode());
  if (!root.adoptedStyleSheets.includes(panelsSheet())) root.adoptedStyleSheets = [...root.adoptedStyleSheets, panelsSheet()];
}

/** @typedef {import('./types').Model} Model */

/**
 * The selected node's facts and actions: propose, crash, restart, time out, cut or heal its
 * links; beside a single-decree acceptor's accepted value and a learner's learned value,
 * "Why is this safe?". hooks: { close(), propose(id, value) -> ok, crash(id), restart(id),
 * timeout(id), cutLink(a, b), healLink(a, b), why(target) }. update(model, id | null).
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
  el;

  /**
   * @param {HTMLElement} el the host: an empty <section class="details" hidden>
   * @param {{ close(): void, propose(id: number, value: string): boolean, crash(id: number): void, restart(id: number): void, timeout(id: number): void, cutLink(a: number, b: number): void, healLink(a: number, b: number): void, why(target: import('./paxos-scope').WhyTarget): void }} hooks
   */
  constructor(el, hooks) {
    adoptStyles(el);
    this.el = el;
    el.append(h('div', { class: 'sec-head' }, this.#title, btn('close-details', 'Close')),
      this.#info, this.#form, this.#note, h('div', { class: 'node-actions' }, this.#crash, this.#restart, this.#timeout), this.#links);
    const id = () => /** @type {number} */ (this.#id);
    const link = (/** @type {HTMLElement} */ b) => String(b.dataset.link).split('-').map(Number);
    buttons(this.el, {
      'close-details': hooks.close,
      crash: () => hooks.crash(id()),
      restart: () => hooks.restart(id()),
      timeout: () => hooks.timeout(id()),
      'cut-link': (b) => { const [x, y] = link(b); hooks.cutLink(x, y); },
      'heal-link': (b) => { const [x, y] = link(b); hooks.healLink(x, y); },
      why: (b) => hooks.why(b.dataset.why === 'learned' ? { learned: id() } : { accepted: id() }),
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
    const focused = /** @type {HTMLElement | null} */ (this.#info.querySelector('button[data-action="why"]:focus'));
    this.#info.replaceChildren(renderNodeFacts(model, id));
    if ((model.config.protocol ?? 'paxos') === 'paxos') {
      // "Why is this safe?" beside the accepted value and the learned one.
      for (const [key, has] of /** @type {const} */ ([['accepted', node.accepted != null], ['learned', node.learned != null]])) {
        const dd = this.#info.querySelector(`dd[data-row="${key}"]`);
        if (!dd || !has) continue;
        const b = btn('why', 'Why is this safe?', { 'data-why': key, class: 'why-ask', title: `Why is what node ${id} ${key} safe? The chain of events that brought it here` });
        dd.append(' ', b);
        if (focused && focused.dataset.why === key) b.focus({ preventScroll: true });
      }
    }
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
 * stories; sync(model, cluster, focused) shows the cluster and the policy in force.
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
  /** The protocol picker: shown only when the core runs more than one protocol. */
  #protocol = /** @type {HTMLSelectElement} */ (h('select', { name: 'protocol', 'aria-label': 'Protocol' }));
  #slots = /** @type {HTMLInputElement} */ (h('input', { type: 'number', name: 'slots', min: 1, max: 8, value: 4 }));
  #clientChoices = h('div', { class: 'choices' });
  #leases = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name: 'leases' }));
  /** Each protocol option's part of the form (shown for the protocols that read it). @type {Record<string, HTMLElement>} */
  #options = {
    distinguished: h('label', {}, this.#distinguished, 'Distinguished proposer (leader) mode'),
    slots: h('label', {}, 'Log slots', this.#slots),
    clients: h('fieldset', { class: 'clients' }, h('legend', {}, 'Clients (only send commands)'), this.#clientChoices),
    leases: h('label', {}, this.#leases, 'Master leases (they assume bounded clock drift)'),
  };
  #protocolRow = h('label', { hidden: true }, 'Protocol', this.#protocol);
  #bug = /** @type {HTMLSelectElement} */ (h('select', { name: 'bug', 'aria-label': 'Protocol variant' }));
  #bugNote = h('p', { class: 'unsafe-note', hidden: true, role: 'note' });
  #seed = /** @type {HTMLInputElement} */ (h('input', { type: 'number', name: 'seed', min: 0, max: 4294967295, value: 1 }));
  #cluster = /** @type {HTMLFormElement} */ (h('form', { class: 'cluster' },
    this.#protocolRow,
    h('fieldset', {}, h('legend', {}, 'Nodes'), h('div', { class: 'choices' }, ...this.#nodes.map((r) => h('label', {}, r, r.value)))),
    h('fieldset', { class: 'proposers' }, h('legend', {}, 'Proposers'), this.#proposerChoices),
    this.#options.clients, this.#options.distinguished, this.#options.slots, this.#options.leases,
    h('label', {}, 'Variant', this.#bug),
    this.#bugNote,
    h('label', {}, 'Seed', this.#seed),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Start new cluster'))));
  #scenario = /** @type {HTMLSelectElement} */ (h('select', { name: 'scenario', 'aria-label': 'Story' }));
  #story = h('form', { class: 'story' }, h('label', {}, 'Story', this.#scenario),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Load story')));
  /**
   * @param {{ stories: HTMLElement, policy: HTMLElement, cluster: HTMLElement }} hosts the
   *   <details> sections, each with its <summary> only: the forms go in them
   * @param {{ policy(p: import('./paxos-scope').Policy): void, cluster(config: import('./paxos-scope').PaxosConfig): void, story(name: string): void }} hooks
   */
  constructor(hosts, hooks) {
    adoptStyles(hosts.policy);
    hosts.stories.append(this.#story);
    hosts.policy.append(this.#policy);
    hosts.cluster.append(this.#cluster);
    this.#fillProposers(3, [1]);
    this.#fillClients(3, []);
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
      if (t.name === 'nodes') {
        this.#fillProposers(Number(t.value), null);
        this.#fillClients(Number(t.value), null);
      }
      if (t === /** @type {unknown} */ (this.#protocol)) this.#showProtocol(null);
      if (t === /** @type {unknown} */ (this.#bug)) this.#syncBug();
    });
    this.#cluster.addEventListener('submit', (e) => {
      e.preventDefault();
      const nodes = Number(/** @type {any} */ (this.#cluster.elements).nodes.value);
      const proposers = [...this.#proposerChoices.querySelectorAll('input:checked')].map((i) => Number(/** @type {HTMLInputElement} */ (i).value));
      hooks.cluster(this.#config(nodes, proposers));
    });
    this.#story.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.#scenario.value) hooks.story(this.#scenario.value);
    });
    this.#scenario.addEventListener('change', () => this.#scenario.classList.toggle('unsafe-choice', this.#scenario.value.startsWith('bug-')));
  }

  /**
   * The config the form describes: the chosen protocol's options, and every other option left
   * out (undefined: the attributes' values do not leak into another protocol's cluster).
   * @param {number} nodes @param {number[]} proposers
   * @returns {import('./paxos-scope').PaxosConfig}
   */
  #config(nodes, proposers) {
    const opts = this.#protocolInfo().options;
    const protocol = this.#protocol.value || 'paxos';
    const on = (/** @type {string} */ o) => opts.includes(o);
    return {
      protocol: /** @type {any} */ (protocol === 'paxos' ? undefined : protocol),
      nodes, proposers,
      distinguished: on('distinguished') ? this.#distinguished.checked : undefined,
      slots: on('slots') ? Number(this.#slots.value || 4) : undefined,
      clients: on('clients') ? [...this.#clientChoices.querySelectorAll('input:checked')].map((i) => Number(/** @type {HTMLInputElement} */ (i).value)) : undefined,
      leases: on('leases') ? this.#leases.checked : undefined,
      bug: /** @type {any} */ (this.#bug.value || null), seed: Number(this.#seed.value || 1),
    };
  }

  /** The vocabulary's entry for the protocol picked (Paxos's lists when the core has no entries). */
  #protocolInfo() {
    const w = words();
    const name = this.#protocol.value || 'paxos';
    return (w.protocols || []).find((p) => p.name === name)
      ?? { name: 'paxos', title: 'Paxos', options: ['distinguished'], bugs: w.bugs.map((b) => b.name), properties: w.properties, kinds: w.kinds, timers: w.timers, roles: w.roles, phases: [] };
  }

  /** List the core's protocols, broken variants and stories. */
  fill() {
    const { scenarios, protocols = [] } = words();
    this.#protocol.replaceChildren(...protocols.map(({ name, title }) => h('option', { value: name }, title)));
    this.#protocol.value = 'paxos';
    this.#protocolRow.hidden = protocols.length < 2;
    this.#showProtocol(null);
    const option = (/** @type {import('./types').Named} */ { name, title }) =>
      h('option', { value: name }, name.startsWith('bug-') && !/^UNSAFE/.test(title) ? `UNSAFE — ${title}` : title);
    // Each story under its protocol, once stories of more than one protocol exist.
    const groups = [...new Set(scenarios.map((x) => x.protocol || 'paxos'))];
    this.#scenario.replaceChildren(h('option', { value: '' }, 'Choose a story…'),
      ...(groups.length < 2 ? scenarios.map(option) : groups.map((g) => h('optgroup', { label: protocols.find((p) => p.name === g)?.title ?? g },
        ...scenarios.filter((x) => (x.protocol || 'paxos') === g).map(option)))));
  }

  /**
   * Show the options and broken variants of the protocol picked; `bug` is the variant to
   * select (null: keep the one selected if the protocol has it).
   * @param {string | null} bug
   */
  #showProtocol(bug) {
    const info = this.#protocolInfo();
    for (const [name, el] of Object.entries(this.#options)) el.hidden = !info.options.includes(name);
    const keep = bug ?? this.#bug.value;
    const all = words().bugs;
    const title = info.name === 'paxos' ? 'Paxos' : info.title;
    this.#bug.replaceChildren(h('option', { value: '' }, `Correct ${title} (safe)`),
      ...all.filter((b) => info.bugs.includes(b.name)).map(({ name, title: t }) => h('option', { value: name }, t)));
    this.#bug.value = info.bugs.includes(keep) ? keep : '';
    this.#syncBug();
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
      this.#protocol.value = c.protocol || 'paxos';
      if (c.slots) this.#slots.value = String(c.slots);
      this.#leases.checked = !!c.leases;
      this.#fillClients(c.nodes, c.clients || []);
      this.#showProtocol(c.bug || '');
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

  #fillClients(/** @type {number} */ n, /** @type {number[] | null} */ chosen) {
    const box = this.#clientChoices;
    const set = new Set(chosen ?? [...box.querySelectorAll('input:checked')].map((i) => Number(/** @type {HTMLInputElement} */ (i).value)));
    box.replaceChildren(...Array.from({ length: n }, (_, k) => h('label', {},
      h('input', { type: 'checkbox', name: 'client', value: k + 1, checked: set.has(k + 1) }), `Node ${k + 1}`)));
  }

  #syncBug() {
    const name = this.#bug.value;
    this.#bug.classList.toggle('unsafe-choice', !!name);
    this.#bugNote.hidden = !name;
    const bug = words().bugs.find((b) => b.name === name);
    this.#bugNote.textContent = name ? `UNSAFE: a deliberately broken variant (${bug ? bug.note : name}). It can violate safety.` : '';
  }
}
