// What the modules loaded on first use (diagram.js, panels.js, styles-diagram.js) take from
// the rest of the element: they import it from here and nowhere else. The element imports
// this module too, so in dist/ everything it reaches is in one chunk shared with them, on the
// critical path with paxoscope.js (esbuild puts each module in the chunk of the entry points
// that reach it: one set of them, one shared chunk).
export { h, s, truncate, insertionIndex, cutLinks, linkKey, renderNodeInfo } from './render.js';
export { words, allKinds, protocolOf } from './core.js';
export { lastAtOrBefore } from './model.js';
export { sharedSheet } from './styles.js';
export { closest } from './drag.js';
export { btn, buttons } from './controls.js';
