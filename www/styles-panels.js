// Styles of the node details and the settings (panels.js), loaded with them on first use:
// adopted after the element's sheets (it uses styles.js's --_* variables; no rule there
// overrides these).
// /* css */: minified as CSS when built (scripts/build-js.mjs), as in styles.js.
import { sharedSheet } from './kit.js';

const CSS = /* css */ `
/* node details */
.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; }
.facts dt { color: var(--_muted); }
.facts dd { margin: 0; }
.facts dd.down { color: var(--_danger); font-weight: 700; }
.facts dd.blocked { color: var(--_danger); }
.badge-blocked { display: inline-block; padding: 0 6px; border-radius: 4px; background: var(--_danger); color: var(--_bg, #fff); font-weight: 800; letter-spacing: .04em; }
.facts dd.up { color: var(--_ok); font-weight: 700; }
.propose { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
.propose input { width: 9em; flex: 1 1 6em; }
.node-actions { display: flex; gap: 6px; flex-wrap: wrap; }
.link-actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
.link-actions:empty { display: none; }
.link-actions button.is-cut { border-color: var(--_danger); color: var(--_danger); font-weight: 600; }
.propose-note { margin: 0 0 6px; color: var(--_muted); font-size: 13px; }

/* settings */
.settings form { display: flex; flex-direction: column; gap: 8px; }
.settings label { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.settings fieldset { border: 1px solid var(--_border); border-radius: 6px; margin: 0; padding: 4px 8px 6px; min-width: 0; }
.settings .choices { display: flex; flex-wrap: wrap; gap: 4px 12px; }
.settings legend { color: var(--_muted); font-size: 12px; }
.settings input[type=number] { width: 6em; }
.settings input[type=range] { flex: 1; min-width: 8em; }
.settings select { max-width: 100%; min-width: 0; flex: 1 1 12em; }
.settings output { min-width: 3.5em; font-variant-numeric: tabular-nums; }
select.unsafe-choice { border: 2px solid var(--_danger); color: var(--_danger); font-weight: 700; }
.unsafe-note { margin: 0; padding: 6px 8px; border-radius: 6px; background: var(--_danger-bg); color: var(--_danger); font-weight: 600; border: 1px solid var(--_danger); }
`;

/** The panels' shared stylesheet. */
export const panelsSheet = sharedSheet(CSS);
