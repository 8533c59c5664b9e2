// Styles for the time bar, the ring/diagram views and the space-time diagram: a second
// constructable stylesheet, adopted after styles.js's (it uses that sheet's --_* variables).
// /* css */: minified as CSS when built (scripts/build-js.mjs), as in styles.js.
import { sharedSheet } from './styles.js';

const CSS = /* css */ `
/* a click on a blank part focuses the shell (for Ctrl+Z); it is not a stop for Tab */
.shell:focus { outline: none; }

/* the time bar */
.timebar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; padding: 6px 12px;
  background: var(--_panel); border-bottom: 1px solid var(--_border);
}
.scrubber { display: flex; align-items: center; gap: 6px; flex: 1 1 260px; min-width: 0; }
.scrubber button { min-width: 32px; padding: 2px 6px; }
.scrubber button .icon { display: block; fill: currentColor; }
.scrub-label { color: var(--_muted); }
.scrub { flex: 1 1 auto; min-width: 80px; accent-color: var(--_accent); min-height: 24px; padding: 0; border: 0; background: transparent; }
.scrub-out { font-variant-numeric: tabular-nums; color: var(--_muted); min-width: 5.5em; text-align: right; }
.tb-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
.seg { display: inline-flex; border: 1px solid var(--_border); border-radius: 6px; overflow: hidden; }
.seg label { position: relative; display: flex; cursor: pointer; }
.seg input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
.seg span { padding: 5px 10px; min-height: 30px; display: flex; align-items: center; }
.seg label + label span { border-left: 1px solid var(--_border); }
.seg input:checked + span { background: var(--_accent); color: var(--_panel); font-weight: 600; }
.seg input:focus-visible + span { outline: 3px solid var(--_accent); outline-offset: -3px; }
.seg label:hover input:not(:checked) + span { background: var(--_hover); }
.share { display: flex; gap: 6px; flex-wrap: wrap; }
.tb-notice { color: var(--_ok); font-size: 13px; }
.tb-notice:empty { display: none; }
.share-fallback { flex: 1 1 100%; display: flex; gap: 6px; align-items: center; }
.share-fallback label { flex: 1; display: flex; gap: 6px; align-items: center; color: var(--_muted); min-width: 0; }
.share-url { flex: 1; min-width: 0; font-family: ui-monospace, monospace; font-size: 12px; color: var(--_fg); }

/* ring, diagram or both */
.views { flex: 1 1 auto; display: flex; min-height: 0; min-width: 0; }
.views > .stage, .views > .diagram { flex: 1 1 0; min-width: 0; }
.views[data-show=both] > .diagram { border-left: 1px solid var(--_border); }
.diagram { display: flex; flex-direction: column; min-height: 0; background: var(--_bg); }
.dg-top { flex: none; border-bottom: 1px solid var(--_border); background: var(--_panel); }
.dg-top svg { display: block; }
.dg-body { flex: 1 1 auto; min-height: 0; overflow: auto; position: relative; }
.dg-body:focus { outline: none; }
.dg-body svg { display: block; user-select: none; -webkit-user-select: none; }

@container (max-width: 760px) {
  .views { flex-direction: column; }
  .views > .stage, .views > .diagram { flex: none; }
  .views > .diagram { height: min(110cqw, 70vh); min-height: 320px; }
  .views[data-show=both] > .diagram { border-left: 0; border-top: 1px solid var(--_border); }
  .scrubber { flex-basis: 100%; }
}

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

/* event log: click a line to jump there */
.log-list li[data-step] { cursor: pointer; }
.log-list li[data-step]:hover { background: var(--_hover); }
.log-list .current { background: color-mix(in srgb, var(--_accent) 16%, transparent); font-weight: 600; }
.log-list button.when { border: 0; background: none; padding: 0 2px 0 0; min-height: 0; font: inherit; font-size: 11px; color: var(--_muted); text-decoration: none; }
.log-list button.when:hover { text-decoration: underline; }
`;

/** The views' shared stylesheet. */
export const viewsSheet = sharedSheet(CSS);
