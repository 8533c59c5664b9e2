// Time travel, the space-time diagram and links/files that replay exactly, as a mixin for
// <paxos-scope> (element.js: `class PaxosScope extends TimeTravel(HTMLElement)`).
//
// Public API added here: exportTrace(), importTrace(json), shareUrl(), openShare(link),
// setView(v) / view, selectMessage(id) / selectedMessage. (loadScenario, undo, redo, seek
// live in element.js.)
//
// What the element provides (element.js): _sim, _snap, _$, _root, _need(action),
// _report(err) (banner + paxos-error; returns err), _hideBanner(), _install(sim), _ui(fn),
// _act(action, fn), _dragging, _moveTo(id, beforeId), _reorder(id, delta), undo(), redo(),
// seek(step). Hooks it calls here: _ttShell($) while building the shell (returns the
// elements for the left column) and _ttRender(snap) at the end of every render.

import { Simulation } from './pkg/paxoscope.js';
import { h } from './render.js';
import { DiagramView } from './diagram.js';
import { TimeBar, VIEWS, undoKeys } from './timeline.js';
import {
  MAX_TRACE_BYTES, MAX_FRAGMENT_CHARS, traceFileName, download, copyText, readTraceFile, fragmentOf,
} from './share.js';
import { viewsSheet } from './styles-views.js';

function message(e) {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : (e && e.message) || String(e);
}

const describeValue = (x) => (typeof x === 'string' ? `a ${x.length}-character string` : JSON.stringify(x) ?? String(x));

export const TimeTravel = (Base) => class extends Base {
  // ---------------------------------------------------------------- public API

  /** The view: 'ring', 'diagram' or 'both'. */
  get view() { return this._view || 'ring'; }

  /** Show the ring, the space-time diagram, or both side by side. */
  setView(v) {
    if (!VIEWS.includes(v)) {
      throw this._report(new Error(`setView: the view must be ${VIEWS.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(v) ?? String(v)}`));
    }
    this._view = v;
    const tt = this._tt;
    if (!tt) return;
    tt.views.dataset.show = v;
    this._$.stage.hidden = v === 'diagram';
    tt.bar.setView(v);
    tt.diagram.hidden = v === 'ring';
  }

  /** The message selected in the ring, the queue or the diagram (highlighted in all), or null. */
  get selectedMessage() { return this._selMsg ?? null; }

  /** Select a message (any id from snapshot.history) or clear the selection with null. */
  selectMessage(id) {
    if (id != null && !(Number.isInteger(id) && id >= 0)) {
      throw this._report(new Error(`selectMessage: the message id must be a whole number or null, got ${JSON.stringify(id) ?? String(id)}`));
    }
    this._ttSelect(id ?? null);
  }

  /** The trace up to the current step as JSON text (the CLI's `--export` format). */
  exportTrace() {
    this._need('exportTrace');
    try {
      return this._sim.exportTrace();
    } catch (e) {
      throw this._report(new Error(`exportTrace: ${message(e)}`));
    }
  }

  /**
   * Replace the simulation with a trace (JSON text from exportTrace() or the CLI), replayed
   * to its end. A malformed, truncated, oversized or tampered trace throws and changes nothing.
   */
  importTrace(json) {
    this._ttImport(json, 'importTrace', 'this trace');
  }

  /** A link to this page that replays this run exactly, at this step. */
  shareUrl() {
    this._need('shareUrl');
    let fragment;
    try {
      fragment = this._sim.shareFragment();
    } catch (e) {
      throw this._report(new Error(`shareUrl: ${message(e)}`));
    }
    return `${String(globalThis.location.href).split('#')[0]}#${fragment}`;
  }

  /**
   * Open a share link (a whole URL, '#fragment' or the bare fragment). A malformed,
   * truncated, oversized or tampered one throws and changes nothing.
   */
  openShare(link) {
    this._need('openShare');
    if (typeof link !== 'string') {
      throw this._report(new Error(`openShare: the link must be a string, got ${describeValue(link)}`));
    }
    const fragment = fragmentOf(link);
    if (!fragment) throw this._report(new Error('openShare: the link is empty (nothing after #). The simulation is unchanged'));
    if (fragment.length > MAX_FRAGMENT_CHARS) {
      throw this._report(new Error(`openShare: this link is too long (${fragment.length} characters; at most ${MAX_FRAGMENT_CHARS}). The simulation is unchanged`));
    }
    let sim;
    try {
      sim = Simulation.fromShare(fragment);
    } catch (e) {
      throw this._report(new Error(`openShare: this link cannot be opened: ${message(e).replace(/^invalid trace: /, '')}. The simulation is unchanged`));
    }
    this._install(sim);
    this._hideBanner();
  }

  // ---------------------------------------------------------------- hooks for element.js

  /** Build the time bar and the diagram; returns [timebar, views] for the left column. */
  _ttShell($) {
    this._selMsg = null;
    this._selSheet = new CSSStyleSheet();
    const bar = new TimeBar({
      seek: (step) => {
        this.pause(); // scrubbing while playing would step on from the past and cut the future
        this._ui(() => this.seek(step));
      },
      view: (v) => this._ui(() => this.setView(v)),
      copyLink: () => this._ttCopyLink(),
      exportFile: () => this._ttExportFile(),
      importFile: (file) => this._ttImportFile(file),
    });
    const diagram = new DiagramView({
      select: (id, toggle) => this._ttSelect(toggle && this._selMsg === id ? null : id),
      reorder: (id, beforeId) => {
        this._ttSelect(id, false);
        this._moveTo(id, beforeId);
      },
      shift: (id, delta) => {
        this._ttSelect(id, false);
        this._reorder(id, delta);
      },
      dragging: (on) => {
        this._dragging = on;
        if (!on) this._lastTs = null;
      },
    });
    $.stage.dataset.view = 'ring';
    const views = h('div', { class: 'views', 'data-show': 'ring' }, $.stage, diagram.el);
    this._tt = { bar, diagram, views };

    const root = this._root;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, viewsSheet(), this._selSheet];
    undoKeys(root, {
      undo: () => this._sim && this._snap && this._snap.can_undo && this._ui(() => this.undo()),
      redo: () => this._sim && this._snap && this._snap.can_redo && this._ui(() => this.redo()),
    });
    // Click any line of the event log to jump to that step.
    root.addEventListener('click', (e) => {
      const t = e.composedPath()[0];
      const entry = t instanceof Element && t.closest('.log-list li[data-step]');
      if (!entry || !this._sim) return;
      const step = Number(entry.dataset.step);
      const viaButton = !!t.closest('button');
      this.pause();
      this._ui(() => this.seek(step));
      if (viaButton) {
        const again = root.querySelector(`.log-list li[data-step="${step}"] button`);
        if (again) again.focus({ preventScroll: true });
      }
    });
    // A message focused in the ring or the queue is the selected one (the diagram follows).
    root.addEventListener('focusin', (e) => {
      const t = e.composedPath()[0];
      if (t instanceof Element && t.matches('.env[data-msg-id], li.row[data-msg-id], .dg-head[data-msg-id]')) {
        this._ttSelect(Number(t.dataset.msgId));
      }
    });
    queueMicrotask(() => {
      // A click on a blank part of the element focuses its shell, so Ctrl+Z still reaches it.
      const shell = root.querySelector('.shell');
      if (shell && !shell.hasAttribute('tabindex')) shell.setAttribute('tabindex', '-1');
      if (this._view && this._view !== 'ring') this.setView(this._view);
    });
    return [bar.el, views];
  }

  /** At the end of every render: the scrubber, the diagram, the selection. */
  _ttRender(snap) {
    const tt = this._tt;
    if (!tt) return;
    if (this._ttSim !== this._sim) {
      this._ttSim = this._sim;
      this._selMsg = null;
      this._ttSelSheet();
    }
    tt.bar.update(snap);
    tt.diagram.update(snap, this._selMsg);
  }

  // ---------------------------------------------------------------- internals

  _ttSelect(id, render = true) {
    if (this._selMsg === id) return;
    this._selMsg = id;
    this._ttSelSheet();
    if (render && this._snap && this._tt) this._tt.diagram.update(this._snap, id);
  }

  /** The selection as a rule in the element's own sheet: no re-render of the ring needed. */
  _ttSelSheet() {
    const id = this._selMsg;
    this._selSheet.replaceSync(id == null ? '' : `
      .env[data-msg-id="${id}"] .box { stroke: var(--_fg); stroke-width: 3.5; }
      .arrow[data-arrow-for="${id}"] { stroke-width: 4; opacity: 1; }
      li.row[data-msg-id="${id}"] { outline: 2px solid var(--_fg); outline-offset: -1px; }
    `);
  }

  async _ttCopyLink() {
    const url = this._ui(() => this.shareUrl());
    if (!url) return;
    const bar = this._tt.bar;
    if (await copyText(url)) {
      bar.urlRow.hidden = true;
      bar.say('Link copied: it replays this run to this step.');
    } else {
      bar.showUrl(url);
      bar.say('Copy the link below by hand.');
    }
  }

  _ttExportFile() {
    const json = this._ui(() => this.exportTrace());
    if (json == null) return;
    const name = traceFileName(this._snap);
    download(this._tt.bar.el, name, json);
    this._tt.bar.say(`Saved ${name}`);
  }

  /** importTrace(), with `what` naming the trace in messages (a file's name for Import…). */
  _ttImport(json, action, what) {
    this._need(action);
    if (typeof json !== 'string') {
      throw this._report(new Error(`${action}: the trace must be JSON text (a string), got ${describeValue(json)}`));
    }
    if (json.length > MAX_TRACE_BYTES) {
      throw this._report(new Error(`${action}: ${what} is ${(json.length / 1048576).toFixed(1)} MB; at most 16 MB is accepted. The simulation is unchanged`));
    }
    let sim;
    try {
      sim = Simulation.importTrace(json);
    } catch (e) {
      let why = message(e).replace(/^invalid trace: /, '');
      if (/not valid JSON/i.test(why)) why += ' (is it a Paxoscope trace, and complete?)';
      throw this._report(new Error(`${action}: ${what} cannot be opened as a trace: ${why}. The simulation is unchanged`));
    }
    this._install(sim);
    this._hideBanner();
  }

  async _ttImportFile(file) {
    if (!this._sim) return;
    const text = await readTraceFile(file, MAX_TRACE_BYTES);
    if (text instanceof Error) {
      this._report(new Error(`Import: ${text.message}. The simulation is unchanged`));
      return;
    }
    const ok = this._ui(() => {
      this._ttImport(text, 'Import', `“${file.name}”`);
      return true;
    });
    if (ok) this._tt.bar.say(`Opened ${file.name} at step ${this._snap.step}`);
  }
};
