// The wasm core, loaded once per page however many elements there are, and what it knows
// (vocabulary(): proposal values, bugs, safety properties, message kinds, limits), read once.
// The loader fetches the wasm from beside itself (new URL('paxoscope_bg.wasm',
// import.meta.url)): www/pkg/ here, and in dist/, where it is bundled, dist/paxoscope_bg.wasm.

import init, { Simulation, vocabulary } from './pkg/paxoscope.js';

/** @type {Promise<void> | null} */
let loading = null;
/** @type {import('./types').Vocabulary | null} */
let known = null;

/** Fetch and compile the core (once per page). */
export function loadCore() {
  loading ??= init().then(() => { known = vocabulary(); });
  return loading;
}

/**
 * What the core knows (see docs/wasm-api.md, vocabulary()). Only after loadCore() resolved.
 * @returns {import('./types').Vocabulary}
 */
export function words() {
  if (!known) throw new Error('the Paxoscope core is not loaded yet (await el.ready)');
  return known;
}

/**
 * The vocabulary's entry for the protocol a run's config names (`config.protocol`, absent for
 * single-decree Paxos): its kinds, phases, roles, properties, bugs and options. Null when the
 * core does not list it.
 * @param {{ protocol?: string } | null | undefined} config
 * @returns {import('./types').ProtocolInfo | null}
 */
export function protocolOf(config) {
  const name = (config && config.protocol) || 'paxos';
  return (words().protocols || []).find((p) => p.name === name) || null;
}

/**
 * Every message kind the core knows: single-decree Paxos's and every registered protocol's,
 * each once (the ring's and the diagram's arrowheads are defined for all of them, so a
 * protocol added to the registry needs nothing here).
 * @returns {string[]}
 */
export function allKinds() {
  const w = words();
  return [...new Set([...w.kinds, ...(w.protocols || []).flatMap((p) => p.kinds)])];
}

export { Simulation };
