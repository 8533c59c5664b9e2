// The attributes of <paxos-scope>, parsed: which ones pick the cluster (a change starts a new
// one) and which only change how the element looks or plays. Pure: `get(name)` reads an
// attribute, and every parse error is an Error whose message names the attribute.

import { wholeNumber } from './controller.js';

export const SIM_ATTRS = ['protocol', 'nodes', 'proposers', 'seed', 'bug', 'distinguished', 'slots', 'clients', 'leases', 'scenario'];
export const UI_ATTRS = ['controls', 'view', 'theme', 'height', 'speed', 'autoplay'];
export const ATTRS = [...SIM_ATTRS, ...UI_ATTRS, 'compare'];
/** @type {Record<string, string[]>} first: the default */
export const CHOICES = { controls: ['full', 'compact', 'none'], view: ['ring', 'diagram', 'both'], theme: ['auto', 'light', 'dark', 'inherit'] };
export const DEFAULTS = Object.freeze({ nodes: 3, proposers: [1], seed: 1, start_round: 42 });

/** @typedef {(name: string) => string | null} Getter */

/** "1 2" or "1,2" -> [1, 2], each checked as a whole number. */
function nodeList(/** @type {string} */ attr, /** @type {string} */ text) {
  return text.split(/[\s,]+/).filter(Boolean).map((p) => wholeNumber(`${attr} attribute`, `each ${attr.replace(/s$/, '')}`, p));
}

/**
 * The cluster the attributes name (protocol, nodes, proposers, seed, bug, distinguished,
 * slots, clients, leases), over the defaults. protocol="paxos" is left out of the config, as
 * the core leaves it out of single-decree runs.
 * @param {Getter} get
 * @returns {import('./paxos-scope').PaxosConfig}
 */
export function clusterConfig(get) {
  /** @type {import('./paxos-scope').PaxosConfig} */
  const cfg = { ...DEFAULTS };
  const nodes = get('nodes');
  if (nodes != null) cfg.nodes = wholeNumber('nodes attribute', 'nodes', nodes);
  const protocol = get('protocol');
  if (protocol && protocol.trim() !== 'paxos') cfg.protocol = /** @type {any} */ (protocol.trim());
  // Ballots from round 42 (42.1) are the Paxos family's teaching convention; the commit
  // protocols and the single-proposer commit start from 1 (they refuse any other start).
  if (cfg.protocol && cfg.protocol !== 'multi-paxos') delete cfg.start_round;
  const proposers = get('proposers');
  if (proposers != null) cfg.proposers = nodeList('proposers', proposers);
  const clients = get('clients');
  if (clients != null) cfg.clients = nodeList('clients', clients);
  const slots = get('slots');
  if (slots != null) cfg.slots = wholeNumber('slots attribute', 'slots', slots);
  const leases = get('leases');
  if (leases != null && leases !== 'false') cfg.leases = true;
  const seed = get('seed');
  if (seed != null) cfg.seed = wholeNumber('seed attribute', 'the seed', seed);
  const bug = get('bug');
  if (bug != null && bug !== '' && bug !== 'none') cfg.bug = /** @type {any} */ (bug);
  const distinguished = get('distinguished');
  if (distinguished != null) cfg.distinguished = distinguished !== 'false';
  return cfg;
}

/**
 * What the attributes ask to simulate: a story (`scenario`, which wins) or a cluster.
 * @param {Getter} get
 * @param {{ scenarios: string[], bugs: string[], protocols?: { name: string, bugs: string[] }[] }} known
 *   protocols: each protocol's name and broken variants (without: only the bug list is checked)
 * @returns {{ scenario: string } | { config: import('./paxos-scope').PaxosConfig }}
 */
export function simSpec(get, known) {
  const story = get('scenario');
  if (story) {
    if (!known.scenarios.includes(story)) {
      throw new Error(`scenario="${story}" is not a built-in story; use one of: ${known.scenarios.join(', ')}`);
    }
    return { scenario: story };
  }
  const name = (get('protocol') || 'paxos').trim();
  const proto = known.protocols ? known.protocols.find((p) => p.name === name) : null;
  if (known.protocols && !proto) {
    throw new Error(`protocol="${name}" is not a known protocol; use one of: ${known.protocols.map((p) => p.name).join(', ')}`);
  }
  const bugs = proto ? proto.bugs : known.bugs;
  const bug = get('bug');
  if (bug && bug !== 'none' && !bugs.includes(bug)) {
    const of = name === 'paxos' ? 'Paxos' : name;
    throw new Error(`bug="${bug}" is not a known variant${name !== 'paxos' ? ` of ${name}` : ''}; use one of: ${bugs.join(', ') || '(none)'} (or leave it out for correct ${of})`);
  }
  return { config: clusterConfig(get) };

}

/** autoplay, unless the reader asked for reduced motion. */
export function wantsAutoplay(/** @type {string | null} */ value, reducedMotion = false) {
  return value != null && value !== 'false' && !reducedMotion;
}

/**
 * A look-and-play attribute's value, checked: controls/view/theme -> one of CHOICES (null:
 * the default), height -> CSS for the host ('' for none), speed -> a number (null: unchanged),
 * autoplay -> boolean. Throws an Error naming the attribute and what it accepts.
 * @param {string} name
 * @param {string | null} value
 * @param {{ isHeight?: (css: string) => boolean, isSpeed?: (n: number) => boolean }} [checks]
 * @returns {string | number | boolean | null}
 */
export function uiValue(name, value, { isHeight = () => true, isSpeed = (n) => n > 0 && n <= 64 } = {}) {
  const bad = (/** @type {string} */ hint) => new Error(`paxos-scope: ${name}="${value}" is not valid; ${hint}`);
  const v = value == null ? null : value.trim();
  switch (name) {
    case 'controls':
    case 'theme':
    case 'view': {
      const c = CHOICES[name];
      if (v && !c.includes(v)) throw bad(`use ${c.slice(0, -1).join(', ')} or ${c[c.length - 1]} (default ${c[0]})`);
      return v || null;
    }
    case 'height': {
      if (!v) return '';
      const len = /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
      if (!/^[\w.%()+*\/ -]+$/.test(len) || !isHeight(len)) throw bad('use a CSS height such as 480 (pixels), 30em or 70vh');
      return `:host { height: ${len}; min-height: 0; }`;
    }
    case 'speed': {
      if (v == null) return null;
      const n = Number(v);
      if (!isSpeed(n)) throw bad('use a number above 0 and at most 64 (1 is normal speed)');
      return n;
    }
    case 'autoplay':
      return v != null && v !== 'false';
    default:
      throw new Error(`paxos-scope: no attribute ${name}`);
  }
}

/**
 * The compare attribute: two sides, "A,B", each a protocol of the core's vocabulary,
 * optionally with one of its broken variants after a colon ("paxos,paxos:minority-quorum").
 * Null (absent or empty): no compare mode. Throws an Error naming the attribute.
 * @param {string | null} value
 * @param {{ name: string, title: string, bugs: string[] }[]} protocols
 * @returns {{ protocol: string, bug: string | null, title: string }[] | null}
 */
export function compareSpec(value, protocols) {
  if (value == null || !value.trim()) return null;
  const parts = value.split(',').map((p) => p.trim());
  const names = protocols.map((p) => p.name).join(', ');
  if (parts.length !== 2 || parts.some((p) => !p)) {
    throw new Error(`paxos-scope: compare="${value}" is not valid; name two protocols, e.g. compare="2pc,paxos-commit" (known: ${names})`);
  }
  return parts.map((part) => {
    const [name, bug = null] = part.split(':').map((x) => x.trim());
    const proto = protocols.find((p) => p.name === name);
    if (!proto) throw new Error(`paxos-scope: compare="${value}": ${name} is not a known protocol; use two of: ${names}`);
    if (bug && !proto.bugs.includes(bug)) {
      throw new Error(`paxos-scope: compare="${value}": ${bug} is not a variant of ${name}; use one of: ${proto.bugs.join(', ') || '(none)'}`);
    }
    const title = name === 'paxos' ? 'Paxos' : proto.title;
    return { protocol: name, bug: bug || null, title: bug ? `${title} (${bug})` : title };
  });
}
