// Loads the wasm core in node (no browser) for the unit tests: www/pkg must be built.
import { readFileSync } from 'node:fs';
import { loadCore } from '../../www/core.js';
import init from '../../www/pkg/paxoscope.js';

const wasm = readFileSync(new URL('../../www/pkg/paxoscope_bg.wasm', import.meta.url));

/** Initialise the core from the file (node's fetch cannot read file: URLs), then core.js. */
export async function loadCoreInNode() {
  await init({ module_or_path: wasm });
  await loadCore();
}
