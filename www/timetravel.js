// Time travel, the space-time diagram and links/files that replay exactly: a component of
// <paxos-scope> with an explicit interface. It builds the time bar (timeline.js) and the two
// panes (the ring's stage, given, and the diagram's), keeps the message selection (a rule in
// its own stylesheet, so the ring needs no redraw) and turns the bar's intents into hooks.
// The diagram (diagram.js) and the file and clipboard helpers (share.js) load on first use.
//
//   const tt = new TimeTravel(stage, hooks);   tt.bar, tt.views: for the left column;
//                                              tt.sheet: to adopt in the shadow root
//   tt.update(model, frame)                    after every change
//   tt.view / tt.setView(v)                    'ring' | 'diagram' | 'both' (v checked by the caller)
//   tt.selected / tt.select(id)                the selected message (null: none)
//   tt.clear()                                 a new simulation: no selection
//   tt.diagramReady                            resolves when the diagram (if shown) is drawn
// hooks: {
//   seek(step)                     the scrubber (the caller pauses first)
//   view(v)                        the view toggle
//   reorder(id, beforeId)          an open arrowhead dragged (beforeId null: last)
//   shift(id, delta)               Alt+Up/Down on an open arrowhead
//   dragging(active)
//   shareUrl() -> url | undefined  Copy link (undefined: failed, already reported)
//   exportTrace() -> json | undefined
//   importTrace(text, name) -> boolean   a chosen file's text
//   report(err)                    show an error
// }

import { h } from './render.js';
import { TimeBar } from './timeline.js';
import { words } from './core.js';

export class TimeTravel {
  #hooks;
  /** @type {import('./types').Model | null} */ #model = null;
  #view = 'ring';
  /** @type {number | null} */ #selected = null;
  #stage;
  #pane = h('div', { class: 'diagram', 'data-view': 'diagram', part: 'diagram', hidden: true });
  /** @type {import('./diagram.js').DiagramView | null} */ #diagram = null;
  /** @type {Promise<void> | null} */ #loading = null;
  /** @type {{ step: number, label: string } | null} */ #marker = null;
  sheet = new CSSStyleSheet();
  bar;
  views;

  /**
   * @param {HTMLElement} stage the ring's stage
   * @param {{ seek(step: number): void, view(v: string): void, reorder(id: number, beforeId: number | null): void, shift(id: number, delta: number): void, dragging(on: boolean): void, shareUrl(): string | undefined, exportTrace(): string | undefined, importTrace(text: string, name: string): boolean, report(err: Error): void, selected(id: number | null): void }} hooks
   */
  constructor(stage, hooks) {
    this.#hooks = hooks;
    this.#stage = stage;
    this.bar = new TimeBar({
      seek: hooks.seek,
      view: hooks.view,
      copyLink: () => this.#copyLink(),
      exportFile: () => this.#exportFile(),
      importFile: (/** @type {File} */ file) => this.#importFile(file),
    });
    this.views = h('div', { class: 'views', 'data-show': 'ring' }, stage, this.#pane);
  }

  get view() { return this.#view; }

  /** Show the ring, the diagram or both (`v` is one of them); the diagram loads on first use. */
  setView(/** @type {string} */ v) {
    this.#view = v;
    this.views.dataset.show = v;
    this.#stage.hidden = v === 'diagram';
    this.bar.setView(v);
    this.#pane.hidden = v === 'ring';
    if (v !== 'ring') this.#showDiagram();
  }

  /** Resolves once the diagram, if it is shown, has been loaded and drawn. */
  get diagramReady() { return this.#loading ?? Promise.resolve(); }

  get selected() { return this.#selected; }

  /** Select message `id` (null: none), highlighted in the ring, the queue and the diagram. */
  select(/** @type {number | null} */ id, redraw = true) {
    if (this.#selected === id) return;
    this.#selected = id;
    this.sheet.replaceSync(id == null ? '' : `
      .env[data-msg-id="${id}"] .box { stroke: var(--_fg); stroke-width: 3.5; }
      .arrow[data-arrow-for="${id}"] { stroke-width: 4; opacity: 1; }
      li.row[data-msg-id="${id}"] { outline: 2px solid var(--_fg); outline-offset: -1px; }
    `);
    if (redraw && this.#diagram && this.#model) this.#diagram.update(this.#model, id);
    // The ring labels the selected message (a grouped mark included) at once.
    this.#hooks.selected(id);
  }

  /** Compare mode: mark `step` on the diagram with `label` (null: no mark). */
  setMarker(/** @type {{ step: number, label: string } | null} */ marker) {
    this.#marker = marker;
    if (this.#diagram) {
      this.#diagram.marker = marker;
      this.#diagram.render();
    }
  }

  /** A new simulation: nothing is selected. */
  clear() { this.select(null, false); }

  /**
   * @param {import('./types').Model} model
   * @param {import('./types').Frame} frame
   */
  update(model, frame) {
    this.#model = model;
    this.bar.update(model);
    if (this.#diagram) this.#diagram.update(model, this.#selected, frame);
  }

  #showDiagram() {
    if (this.#diagram) {
      this.#diagram.render();
      return;
    }
    this.#loading ??= import('./diagram.js').then(({ DiagramView }) => {
      const hooks = this.#hooks;
      this.#diagram = new DiagramView(this.#pane, {
        select: (id, toggle) => this.select(toggle && this.#selected === id ? null : id),
        reorder: (id, beforeId) => {
          this.select(id, false);
          hooks.reorder(id, beforeId);
        },
        shift: (id, delta) => {
          this.select(id, false);
          hooks.shift(id, delta);
        },
        dragging: hooks.dragging,
      });
      this.#diagram.marker = this.#marker;
      // Everything it missed: one complete pass.
      if (this.#model) this.#diagram.update(this.#model, this.#selected, { full: true, history: [] });
    }, (e) => {
      this.#loading = null;
      this.#hooks.report(new Error(`the space-time diagram could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
    });
  }

  async #copyLink() {
    const url = this.#hooks.shareUrl();
    if (!url) return;
    const { copyText } = await import('./share.js');
    if (await copyText(url)) {
      this.bar.urlRow.hidden = true;
      this.bar.say('Link copied: it replays this run to this step.');
    } else {
      this.bar.showUrl(url);
      this.bar.say('Copy the link below by hand.');
    }
  }

  async #exportFile() {
    const json = this.#hooks.exportTrace();
    if (json == null || !this.#model) return;
    const { download, traceFileName } = await import('./share.js');
    const name = traceFileName(this.#model);
    download(this.bar.el, name, json);
    this.bar.say(`Saved ${name}`);
  }

  async #importFile(/** @type {File} */ file) {
    const { readTraceFile } = await import('./share.js');
    const text = await readTraceFile(file, words().limits.max_trace_bytes);
    if (text instanceof Error) {
      this.#hooks.report(new Error(`Import: ${text.message}. The simulation is unchanged`));
      return;
    }
    if (this.#hooks.importTrace(text, file.name) && this.#model) this.bar.say(`Opened ${file.name} at step ${this.#model.step}`);
  }
}
