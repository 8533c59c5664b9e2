// Styles for the time bar and the ring/diagram panes: a second constructable stylesheet,
// adopted after styles.js's (it uses that sheet's --_* variables). The space-time diagram's
// own styles load with it (styles-diagram.js).
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
.scrub-track { flex: 1 1 auto; min-width: 80px; position: relative; display: flex; }
.scrub { flex: 1 1 auto; min-width: 80px; accent-color: var(--_accent); min-height: 24px; padding: 0; border: 0; background: transparent; }
.scrub-band { position: absolute; bottom: 0; height: 4px; border-radius: 2px; background: var(--_danger); pointer-events: none; }
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

/* event log: click a line to jump there */
.log-list li[data-step] { cursor: pointer; }
.log-list li[data-step]:hover { background: var(--_hover); }
.log-list .current { background: color-mix(in srgb, var(--_accent) 16%, transparent); font-weight: 600; }
.log-list button.when { border: 0; background: none; padding: 0 2px 0 0; min-height: 0; font: inherit; font-size: 11px; color: var(--_muted); text-decoration: none; }
.log-list button.when:hover { text-decoration: underline; }
`;

/** The views' shared stylesheet. */
export const viewsSheet = sharedSheet(CSS);
