// The element's styles, applied through one constructable stylesheet shared by every
// <paxos-scope> in the document (no inline styles, so a strict CSP works).
//
// Public custom properties (set them on paxos-scope or any ancestor):
//   --paxos-bg --paxos-fg --paxos-panel --paxos-muted --paxos-border --paxos-accent
//   --paxos-ok --paxos-danger --paxos-font
//   --paxos-prepare --paxos-promise --paxos-accept --paxos-accepted --paxos-nack --paxos-heartbeat
//   --paxos-radius (the element's corner radius; its border is --paxos-border)
// theme="light" | "dark" forces a palette; the default follows prefers-color-scheme; theme="inherit"
// follows the host page (host-theme.js sets :state(host-light) or :state(host-dark)).
// The /* css */ markers: scripts/build-js.mjs minifies these literals as CSS in dist/ and
// target/site/ (checked; an interpolation may only stand for declarations, like ${DARK}).

// The dark palette: used under prefers-color-scheme: dark (unless theme="light" or a light host
// under theme="inherit"), with theme="dark" and under a dark host with theme="inherit".
const DARK = /* css declarations */ `
    --_bg: var(--paxos-bg, #121419);
    --_fg: var(--paxos-fg, #e6e8ee);
    --_panel: var(--paxos-panel, #1b1e25);
    --_muted: var(--paxos-muted, #a3aab8);
    --_border: var(--paxos-border, #363b47);
    --_accent: var(--paxos-accent, #86a8ff);
    --_ok: var(--paxos-ok, #4cc471);
    --_danger: var(--paxos-danger, #ff6b6b);
    --_prepare: var(--paxos-prepare, #8ab4ff);
    --_promise: var(--paxos-promise, #5eead4);
    --_accept: var(--paxos-accept, #fdba74);
    --_accepted: var(--paxos-accepted, #c4b5fd);
    --_nack: var(--paxos-nack, #fca5a5);
    --_heartbeat: var(--paxos-heartbeat, #cbd5e1);
    --_env-fg: #101216;
    --_on-danger: #1a0808;
`;

const CSS = /* css */ `
:host {
  --_bg: var(--paxos-bg, #f6f7f9);
  --_fg: var(--paxos-fg, #1b1d22);
  --_panel: var(--paxos-panel, #ffffff);
  --_muted: var(--paxos-muted, #596070);
  --_border: var(--paxos-border, #d3d7df);
  --_accent: var(--paxos-accent, #2d5bd0);
  --_ok: var(--paxos-ok, #187a34); /* 4.8:1 on --_ok-bg (axe: 4.5:1 for text) */
  --_danger: var(--paxos-danger, #c21f1f);
  --_danger-bg: color-mix(in srgb, var(--_danger) 10%, var(--_panel));
  --_ok-bg: color-mix(in srgb, var(--_ok) 9%, var(--_panel));
  --_hover: color-mix(in srgb, var(--_accent) 12%, transparent);
  --_down: color-mix(in srgb, var(--_muted) 14%, var(--_panel));
  --_prepare: var(--paxos-prepare, #2563eb);
  --_promise: var(--paxos-promise, #0f766e);
  --_accept: var(--paxos-accept, #c2410c);
  --_accepted: var(--paxos-accepted, #7c3aed);
  --_nack: var(--paxos-nack, #b91c1c);
  --_heartbeat: var(--paxos-heartbeat, #5b6472);
  --_env-fg: #ffffff;
  --_on-danger: #ffffff;
  --_font: var(--paxos-font, system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif);
  display: block;
  position: relative;
  box-sizing: border-box;
  border: 1px solid var(--_border);
  border-radius: var(--paxos-radius, 8px);
  height: 100%;
  min-height: 360px;
  overflow: auto;
  container-type: inline-size;
  color-scheme: light dark;
  font: 14px/1.4 var(--_font);
  color: var(--_fg);
  background: var(--_bg);
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme=light]):not(:state(host-light))) {${DARK}}
}
/* One selector per rule: a browser without :state() drops only the :state() rules, and there
   theme="inherit" falls back to the OS like auto. */
@supports not selector(:state(x)) {
  @media (prefers-color-scheme: dark) {
    :host(:not([theme=light])) {${DARK}}
  }
}
:host([theme=dark]) {${DARK}  color-scheme: dark;
}
:host(:state(host-dark)) {${DARK}  color-scheme: dark;
}
:host([theme=light]) { color-scheme: light; }
:host(:state(host-light)) { color-scheme: light; }
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }

/* other protocols' kinds: the muted colour unless named below */
[class*=kind-] { --k: var(--_muted); }
.kind-Prepare { --k: var(--_prepare); }
.kind-Promise { --k: var(--_promise); }
.kind-Accept { --k: var(--_accept); }
.kind-Accepted { --k: var(--_accepted); }
.kind-Nack { --k: var(--_nack); }
.kind-Heartbeat { --k: var(--_heartbeat); }

.shell { height: 100%; }
.main { flex: 1 1 auto; }
[hidden] { display: none !important; }

button, select, input { font: inherit; color: inherit; }
button {
  background: var(--_panel); border: 1px solid var(--_border); border-radius: 6px;
  padding: 4px 10px; min-height: 32px; cursor: pointer;
}
button:hover:not(:disabled) { background: var(--_hover); }
button:disabled { opacity: .45; cursor: default; }
button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_panel); font-weight: 600; }
button.primary:hover:not(:disabled) { background: color-mix(in srgb, var(--_accent) 82%, var(--_fg)); }
button.link { border: 0; background: none; padding: 0 2px; min-height: 0; color: inherit; text-decoration: underline; }
:focus-visible { outline: 3px solid var(--_accent); outline-offset: 1px; }
input, select { background: var(--_panel); border: 1px solid var(--_border); border-radius: 6px; padding: 3px 6px; min-height: 32px; }

/* error banner: over the top of the main area, under the toolbar (the same grid cell as
   .main), so that it never pushes the page down nor hides the buttons */
.shell { display: grid; grid-template-rows: auto minmax(0, 1fr); grid-template-columns: minmax(0, 1fr); }
.shell > .bar { grid-row: 1; grid-column: 1; }
.shell > .main { grid-row: 2; grid-column: 1; }
.shell > .banner { grid-row: 2; grid-column: 1; align-self: start; position: relative; z-index: 5; }
.banner {
  box-shadow: 0 2px 8px rgb(0 0 0 / .3);
  display: flex; align-items: center; gap: 12px; padding: 8px 12px;
  background: var(--_danger); color: var(--_on-danger); font-weight: 600;
}
.banner .msg { flex: 1; }
.banner button { background: transparent; color: inherit; border-color: currentColor; }

/* header */
.bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; padding: 8px 12px;
  background: var(--_panel); border-bottom: 1px solid var(--_border);
}
.brand { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; margin-right: auto; }
.title { font-size: 18px; font-weight: 700; letter-spacing: .01em; margin: 0; }
.unsafe {
  background: var(--_danger); color: var(--_on-danger); font-weight: 800; letter-spacing: .06em;
  padding: 2px 8px; border-radius: 4px; font-size: 12px; white-space: nowrap;
}
.transport { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.transport label { display: flex; align-items: center; gap: 4px; color: var(--_muted); }
/* the status takes the rest of the bar, so that its growing text ("chosen Green") never moves
   the buttons before it */
.status { font-variant-numeric: tabular-nums; color: var(--_muted); min-width: 9em; flex: 1 1 16em; }
.status strong { color: var(--_ok); }
.status .violated { color: var(--_danger); font-weight: 800; white-space: nowrap; }

/* main area */
.main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 380px); min-height: 0; }
.left { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.stage { position: relative; flex: 1 1 auto; min-width: 0; min-height: 0; overflow: hidden; }
.caption {
  display: flex; align-items: center; gap: 8px 12px; flex-wrap: wrap; padding: 8px 12px;
  background: var(--_hover); border-bottom: 1px solid var(--_border);
}
.caption-text { margin: 0; flex: 1 1 16em; font-size: 15px; }
.caption-nav { display: flex; gap: 6px; }
.caption.off-script .caption-text { font-style: italic; }
/* another future set aside: controls.js BranchBar */
.branch {
  display: flex; align-items: center; gap: 8px 12px; flex-wrap: wrap; padding: 6px 12px;
  background: var(--_panel); border-bottom: 1px solid var(--_border); border-left: 4px solid var(--_accent);
}
.branch .msg { flex: 1 1 14em; }
.stage > svg { position: absolute; inset: 0; display: block; user-select: none; -webkit-user-select: none; }
.hint {
  position: absolute; left: 12px; top: 10px; margin: 0; padding: 2px 8px; border-radius: 4px;
  background: var(--_panel); border: 1px solid var(--_border); color: var(--_muted); font-size: 12px;
  pointer-events: none;
}
.side {
  overflow: auto; min-height: 0; padding: 4px 12px 24px;
  background: var(--_panel); border-left: 1px solid var(--_border);
}
section, details.settings { border-bottom: 1px solid var(--_border); padding: 8px 0 10px; }
h2, summary { font-size: 13px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--_muted); margin: 4px 0 8px; }
summary { cursor: pointer; }
.sec-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.sec-head h2 { text-transform: none; font-size: 16px; color: var(--_fg); letter-spacing: 0; }
.empty { color: var(--_muted); margin: 4px 0; }
.tip { color: var(--_muted); font-size: 12px; margin: -4px 0 6px; }

@container (max-width: 760px) {
  .shell { height: auto; min-height: 100%; }
  .main { grid-template-columns: minmax(0, 1fr); }
  .stage { flex: none; height: min(125cqw, 80vh); min-height: 340px; }
  .side { border-left: 0; border-top: 1px solid var(--_border); overflow: visible; }
  .status { min-width: 0; }
}
/* a documentation column (560 to 760 px, e.g. 750): the queue and the log stay beside the
   ring, scrolling in a column as tall as the ring's, instead of 700 px more below it */
@container (min-width: 560px) and (max-width: 760px) {
  :host(:not([controls=compact]):not([controls=none])) .main { grid-template-columns: minmax(0, 1fr) minmax(230px, 36%); }
  :host(:not([controls=compact]):not([controls=none])) .stage { height: clamp(340px, 72cqw, 70vh); }
  :host(:not([controls=compact]):not([controls=none])) .side {
    border-top: 0; border-left: 1px solid var(--_border); overflow: auto; contain: size; padding: 4px 8px 16px;
  }
  .queue-list > .row { grid-template-columns: 14px 20px minmax(0, 1fr); grid-template-areas: "handle pos label" "handle pos meta" "handle pos actions"; }
  .queue-list > .row .row-actions { justify-self: start; }
  .queue-list > .row .row-actions button { padding: 0 4px; }
}

/* the ring */
.ring text { font-size: 12px; fill: var(--_fg); }
.ring.compact text { font-size: 10.5px; }
.ring.small .node text { font-size: 9.5px; }
.guide { fill: none; stroke: var(--_border); stroke-dasharray: 2 6; }
.node { cursor: pointer; }
.node:focus { outline: none; }
.node .card { fill: var(--_panel); stroke: var(--_border); stroke-width: 1.5; }
.node.has-learned .card { stroke: var(--_ok); stroke-width: 2; }
.node.leader .card { stroke: var(--_accent); }
.node.drag-target .card { stroke: var(--_accent); stroke-width: 3; stroke-dasharray: 6 3; }
.node.selected .card, .node:focus-visible .card { stroke: var(--_accent); stroke-width: 3.5; }
.node .nid { font-weight: 700; }
.node .roles, .node .k { fill: var(--_muted); }
.node .star { fill: var(--_accent); }
.node .learned .v.some { fill: var(--_ok); font-weight: 700; }
.node.blocked .card { stroke: var(--_danger); stroke-width: 2.5; }
.node.blocked .line.state { fill: var(--_danger); font-weight: 700; }
.node.down .card { fill: var(--_down); stroke: var(--_muted); stroke-dasharray: 6 4; }
.node.down text, .node.down .learned .v.some { fill: var(--_muted); }
.node .crashed-tag rect { fill: var(--_danger); }
.ring .node .crashed-tag text { fill: #fff; font-weight: 800; letter-spacing: .06em; font-size: 10px; }
.node .cross { stroke: var(--_danger); stroke-width: 1.5; opacity: .35; }
.cut { stroke: var(--_danger); stroke-width: 3; stroke-dasharray: 9 6; stroke-linecap: round; opacity: .85; }
.cut-mark { pointer-events: none; }
.cut-mark circle { fill: var(--_panel); stroke: var(--_danger); stroke-width: 2.5; }
.cut-mark path { stroke: var(--_danger); stroke-width: 3; stroke-linecap: round; fill: none; }
.arrow.doomed { stroke: var(--_danger); stroke-dasharray: 2 5; opacity: .55; }
.env.doomed { opacity: .7; }
.env.doomed .box { stroke: var(--_danger); stroke-width: 2.5; stroke-dasharray: 4 3; }
.row.doomed .meta .cut-note { color: var(--_danger); font-weight: 600; }
.env.doomed:focus-visible, .env.doomed.menu-open { opacity: 1; }
.arrow { fill: none; stroke: var(--k); stroke-width: 2; opacity: .7; }
.arrow.held { stroke-dasharray: 5 5; opacity: .5; }
.mk path { fill: var(--k); }
.env { cursor: grab; touch-action: none; }
.env:focus { outline: none; }
.env .hit { fill: transparent; }
.env .box { fill: var(--k); stroke: var(--_bg); stroke-width: 1.5; }
.env .elabel { fill: var(--_env-fg); font-weight: 600; pointer-events: none; }
.env.held .box { fill: var(--_panel); stroke: var(--k); stroke-width: 2; stroke-dasharray: 4 3; }
.env.held .elabel { fill: var(--_fg); }
.env:focus-visible .box, .env.menu-open .box { stroke: var(--_fg); stroke-width: 3; }
.env.dragging { cursor: grabbing; opacity: .85; }
.env.will-drop .box { stroke: var(--_danger); stroke-width: 3; }
/* many messages (.grouped): marks per link with a count; labels in the tip layer */
.env.mark .box { stroke: var(--_bg); stroke-width: 1.5; }
.env.mark.held .box { fill: var(--_panel); stroke: var(--k); stroke-width: 2; stroke-dasharray: none; }
.env.mark:focus-visible .box, .env.mark.menu-open .box, .env.mark:hover .box { stroke: var(--_fg); stroke-width: 2.5; }
.arrow.link { stroke: var(--_muted); opacity: .45; }
.count { font-weight: 700; paint-order: stroke; stroke: var(--_bg); stroke-width: 4px; stroke-linejoin: round; cursor: default; }
.env-tip { pointer-events: none; }
.env-tip .box { fill: var(--k); stroke: var(--_fg); stroke-width: 1.5; }
.env-tip .elabel { fill: var(--_env-fg); font-weight: 600; }
.env-tip.held .box { fill: var(--_panel); stroke: var(--k); stroke-width: 2; }
.env-tip.held .elabel { fill: var(--_fg); }
/* timers: a countdown arc per armed timer on the node's card */
.timer-track { fill: var(--_panel); stroke: var(--_border); stroke-width: 1.5; }
.timer-arc { fill: none; stroke: var(--_accent); stroke-width: 2.5; stroke-linecap: round; }
.ring .timer-letter { font-size: 8px; font-weight: 700; fill: var(--_muted); pointer-events: none; }
.node .votes { fill: var(--_fg); }
/* the legend of the role letters (and timers, counts) in the stage's corner */
.legend {
  position: absolute; left: 8px; top: 6px; margin: 0; display: flex; flex-wrap: wrap; gap: 2px 10px;
  max-width: calc(50% - 90px); font-size: 11px; color: var(--_muted); pointer-events: auto;
}
.legend b { color: var(--_fg); }
.legend .lg-arc {
  display: inline-block; width: 9px; height: 9px; border-radius: 50%; vertical-align: -1px;
  border: 2px solid var(--_border); border-top-color: var(--_accent); border-right-color: var(--_accent);
}
.stage:has(> .placeholder:not([hidden])) > .legend { display: none; }
.dropzone rect { fill: var(--_danger-bg); stroke: var(--_danger); stroke-width: 1.5; stroke-dasharray: 7 5; }
.dropzone text { fill: var(--_danger); font-weight: 600; }
.dropzone.over rect { fill: color-mix(in srgb, var(--_danger) 30%, var(--_panel)); stroke-width: 3; }
.menu-bg { fill: var(--_panel); stroke: var(--_border); }
.menuitem { cursor: pointer; }
.menuitem:focus { outline: none; }
.menuitem rect { fill: transparent; }
.menuitem:hover rect, .menuitem:focus rect { fill: var(--_hover); }
.ring .menuitem text { font-size: 13px; }

/* delivery queue */
.queue-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.row {
  display: grid; grid-template-columns: 14px 20px minmax(0, 1fr) auto;
  grid-template-areas: "handle pos label label" "handle pos meta actions";
  align-items: center; gap: 2px 6px; padding: 4px 6px 4px 4px;
  border: 1px solid var(--_border); border-left: 5px solid var(--k); border-radius: 6px;
  background: var(--_panel); cursor: grab; user-select: none; -webkit-user-select: none;
}
/* rows out of sight are not laid out nor painted (a queue of hundreds stays cheap) */
.queue-list > .row { content-visibility: auto; contain-intrinsic-size: auto 58px; }
.row:focus-visible { outline: 3px solid var(--_accent); outline-offset: 0; }
.row.held { border-style: dashed; border-left-style: solid; }
.row.dragging { opacity: .5; }
.row.insert-before { box-shadow: 0 -3px 0 0 var(--_accent); }
.row.insert-after { box-shadow: 0 3px 0 0 var(--_accent); }
.row .handle { grid-area: handle; color: var(--_muted); touch-action: none; cursor: grab; text-align: center; }
.row .pos { grid-area: pos; color: var(--_muted); font-variant-numeric: tabular-nums; text-align: right; }
.row .label { grid-area: label; font-weight: 600; overflow-wrap: anywhere; }
.row .meta { grid-area: meta; color: var(--_muted); font-size: 12px; }
.row .row-actions { grid-area: actions; display: flex; gap: 3px; }
.row .row-actions button { min-height: 26px; padding: 0 6px; font-size: 12px; }

/* safety */
.chosen { margin: 2px 0 8px; }
.chosen.yes strong { color: var(--_ok); }
.props { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.prop {
  display: grid; grid-template-columns: 18px 1fr auto; gap: 2px 6px; align-items: baseline;
  padding: 4px 8px; border-radius: 6px; border: 1px solid transparent;
}
.prop.ok { background: var(--_ok-bg); }
.prop.ok .icon, .prop.ok .verdict { color: var(--_ok); font-weight: 700; }
.prop.broken { background: var(--_danger-bg); border-color: var(--_danger); }
.prop.broken .icon, .prop.broken .verdict { color: var(--_danger); font-weight: 800; }
.prop .verdict { font-size: 12px; }
.prop .why { grid-column: 2 / 4; }
.prop .why p { margin: 2px 0; }
.steps { font-size: 13px; }

/* log */
.log-list { list-style: none; margin: 0; padding: 0; max-height: 16em; overflow: auto; font-size: 13px; }
.log-list .entry { padding: 1px 0; border-bottom: 1px dotted var(--_border); }
.log-list .when { color: var(--_muted); font-variant-numeric: tabular-nums; font-size: 11px; }
.log-list { position: relative; }
/* the undone future: muted and italic, not faded (opacity .45 gave 2.0:1; --_muted is ≥ 5.8:1 in both themes) */
.log-list .future .what { color: var(--_muted); font-style: italic; }
.log-list .next { border-top: 2px solid var(--_accent); }
.log-list .bad .what { color: var(--_danger); font-weight: 600; }

.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

/* the host page's inherited text styles stop at the shell (its custom properties do not) */
.shell {
  font: 14px/1.4 var(--_font); color: var(--_fg); letter-spacing: normal; word-spacing: normal;
  text-transform: none; text-indent: 0; text-align: start; text-shadow: none; white-space: normal;
  font-style: normal; font-variant: normal; cursor: auto; visibility: visible;
}

/* before the core starts (and if it cannot): a message, never a blank box */
.placeholder {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  margin: 0; padding: 12px; text-align: center; color: var(--_muted);
}

/* embedding: controls="compact" (transport + stage + caption; node details when one is
   selected) and controls="none" (the stage and the story caption only) */
:host([controls=compact]) .main, :host([controls=none]) .main { grid-template-columns: minmax(0, 1fr); }
:host([controls=compact]) .stage, :host([controls=none]) .stage {
  flex: 1 1 auto; height: auto; min-height: clamp(280px, 62cqw, 480px);
}
:host([controls=compact]) .views > .diagram, :host([controls=none]) .views > .diagram {
  flex: 1 1 auto; height: auto; min-height: clamp(280px, 62cqw, 480px);
}
/* a height attribute: the stage (and the diagram) take what the bars leave of it */
:host([height][controls=compact]) .stage, :host([height][controls=none]) .stage,
:host([height][controls=compact]) .views > .diagram, :host([height][controls=none]) .views > .diagram { min-height: 200px; }
:host([controls=compact]) .title, :host([controls=compact]) [data-action=run],
:host([controls=compact]) .transport label, :host([controls=compact]) .side > :not(.details),
:host([controls=compact]) .side:not(:has(> .details:not([hidden]))),
:host([controls=none]) .bar, :host([controls=none]) .side, :host([controls=none]) .caption-nav,
:host([controls=compact]) .timebar, :host([controls=none]) .timebar { display: none; }
:host([controls=compact]) .bar { padding: 6px 8px; }
:host([controls=compact]) .side { border-left: 0; border-top: 1px solid var(--_border); overflow: visible; }
/* 320 px wide (the element ~290 px): the time bar's scrubber fits */
@container (max-width: 400px) {
  .scrubber .scrub, .scrubber .scrub-track { min-width: 40px; }
  .scrubber .scrub-out { min-width: 0; }
}

@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}
`;

/**
 * A function returning one constructable stylesheet of `css`, made on first use and then shared
 * by every element in this document realm.
 */
export function sharedSheet(/** @type {string} */ css) {
  /** @type {CSSStyleSheet | null} */
  let shared = null;
  return () => {
    if (!shared) {
      const made = new CSSStyleSheet();
      made.replaceSync(css);
      shared = made;
    }
    return shared;
  };
}

/** The element's shared stylesheet. */
export const sheet = sharedSheet(CSS);
