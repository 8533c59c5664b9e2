// Styles of the space-time diagram (diagram.js), loaded with it on first use: adopted after
// styles.js's and styles-views.js's sheets (it uses their --_* variables).
// /* css */: minified as CSS when built (scripts/build-js.mjs), as in styles.js.
import { sharedSheet } from './kit.js';

const CSS = /* css */ `
/* the space-time diagram */
.dg text, .dg-head-strip text { font-size: 12px; fill: var(--_fg); }
.dg.compact text, .dg-head-strip text { font-size: 11px; }
.dg-head-strip .dg-lane-name text { font-weight: 700; font-size: 12.5px; }
.dg-lane-name.down text { fill: var(--_danger); }
.dg-axis { fill: var(--_muted) !important; font-size: 11px; }
.dg-step { fill: var(--_muted) !important; font-variant-numeric: tabular-nums; font-size: 10.5px !important; }
.dg-step.chosen { fill: var(--_ok) !important; font-weight: 800; }
.dg-step.bad { fill: var(--_danger) !important; font-weight: 800; }
.dg-rule { stroke: var(--_border); stroke-width: 1; opacity: .45; }
.dg-rule.chosen { stroke: var(--_ok); opacity: .8; }
.dg-rule.bad { stroke: var(--_danger); opacity: .8; }
.dg-lane { stroke: var(--_muted); stroke-width: 1.5; opacity: .55; }
.dg-lane.future { stroke-dasharray: 2 4; opacity: .4; }
.dg-lane.down { stroke: var(--_danger); }
.dg-outage-bg { fill: color-mix(in srgb, var(--_danger) 10%, var(--_down)); stroke: var(--_danger); stroke-width: 1.2; stroke-opacity: .7; }
.dg-hatch line { stroke: var(--_danger); stroke-width: 2; opacity: .55; }
.dg-outage.ongoing .dg-outage-bg { stroke-dasharray: 4 3; }
.dg-diverge line { stroke: var(--_danger); stroke-width: 2.5; stroke-dasharray: 6 3; }
.dg-diverge text { fill: var(--_danger) !important; font-weight: 800; font-size: 11.5px !important; paint-order: stroke; stroke: var(--_bg); stroke-width: 3px; }
.dg-now line { stroke: var(--_accent); stroke-width: 2; }
.dg-now text { fill: var(--_accent) !important; font-weight: 700; font-size: 11px !important; }
.dg-msg { cursor: pointer; }
.dg-msg .dg-hit { fill: none; stroke: transparent; stroke-width: 12; }
.dg-msg .dg-line { fill: none; stroke: var(--k); stroke-width: 1.6; opacity: .85; }
.dg-mk path { fill: var(--k); }
.dg-msg.fate-pending .dg-line { stroke-dasharray: 6 4; opacity: 1; }
.dg-msg.fate-dropped .dg-line, .dg-msg.fate-lost .dg-line { opacity: .6; }
.dg-msg.doomed .dg-line { stroke: var(--_danger); stroke-dasharray: 2 4; opacity: .6; }
.dg-head.doomed .dg-chevron { stroke: var(--_danger); }
.dg-cross { stroke: var(--_danger); stroke-width: 2.2; fill: none; }
.dg-msg.fate-lost .dg-cross { stroke: var(--_muted); }
.dg-msg:hover .dg-line { stroke-width: 3; opacity: 1; }
.dg-msg.selected .dg-line { stroke-width: 3.5; opacity: 1; }
.dg-hover-label { display: none; font-weight: 600; paint-order: stroke; stroke: var(--_bg); stroke-width: 4px; stroke-linejoin: round; pointer-events: none; }
.dg-msg:hover .dg-hover-label { display: inline; }
.dg-legend-box { display: contents; }
.dg-legend { display: flex; flex-wrap: wrap; gap: 2px 12px; margin: 0; padding: 4px 8px; font-size: 11.5px; color: var(--_muted); background: var(--_panel); border-bottom: 1px solid var(--_border); flex: none; }
.dg-legend span { display: inline-flex; align-items: center; gap: 4px; }
.dg-legend .sw { display: inline-block; width: 16px; height: 0; border-top: 3px solid var(--k, var(--_muted)); }
.dg-legend .sw.dash { border-top-style: dashed; }
.dg-legend .x { color: var(--_danger); }
.dg-sel-label { font-weight: 700; paint-order: stroke; stroke: var(--_bg); stroke-width: 4px; stroke-linejoin: round; }
.dg-head { cursor: grab; touch-action: none; }
.dg-head:focus { outline: none; }
.dg-head-hit { fill: transparent; }
.dg-head .dg-chevron { fill: none; stroke: var(--k); stroke-width: 2.6; stroke-linecap: round; stroke-linejoin: round; }
.dg-head:hover .dg-head-hit, .dg-head:focus-visible .dg-head-hit { fill: var(--_hover); stroke: var(--_accent); }
.dg-head.dragging { cursor: grabbing; }
.dg-head.dragging .dg-head-hit { fill: var(--_hover); stroke: var(--_accent); stroke-width: 2; }
.dg-head-label { font-size: 11.5px !important; font-weight: 600; paint-order: stroke; stroke: var(--_bg); stroke-width: 4px; stroke-linejoin: round; }
.dg-head.held .dg-head-label { fill: var(--_muted); }
.dg-insert { display: none; stroke: var(--_accent); stroke-width: 3; }
.dg-head.insert-before .dg-insert:not(.after), .dg-head.insert-after .dg-insert.after { display: inline; }
.dg-empty { fill: var(--_muted) !important; }

`;

/** The diagram's shared stylesheet. */
export const diagramSheet = sharedSheet(CSS);
