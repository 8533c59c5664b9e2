// The simulation behind one <paxos-scope>, without the DOM: the core's Simulation, the model
// the views draw (frames merged by applyFrame), history with gestures as single undo steps,
// the element's events, and the play loop. Testable in node with a loaded core.
//
// Order of use: new Controller(hooks); install(sim) (or newCluster/loadScenario); then
// actions, each of which commits: one frame from the core, merged into `model`, then
// hooks.change(model, frame) and the events (hooks.event). Errors are thrown as
// Error('<action>: <why>') and the simulation is unchanged.

import { Simulation, words } from './core.js';
import { applyFrame } from './model.js';

export const TICKS_PER_SECOND = 20; // animated logical ticks per second at speed 1
export const STORY_FIRST_MS = 800; // playing a story: the first beat comes soon after Play
/**
 * Playing a story: how long a caption stays before the next beat, at speed 1 (about 45 ms
 * a character, as a slow reader reads, between 2 and 9 s). Divided by the speed.
 */
export function readingMs(/** @type {string | null | undefined} */ caption) {
  return Math.min(9000, Math.max(2000, 1000 + 45 * (caption ? caption.length : 0)));
}

/**
 * Where a model stands in its story. `ahead`: a story is loaded, on its script, with steps
 * left (Step means Next). `left`: the story's script is set aside (acting off script): the
 * step where the run left it, else null. `other`: outside a story, another future set aside
 * by acting in the past: where the two part and its length, else null.
 * @param {import('./types').Model} model
 */
export function storyState(model) {
  const b = model.branch;
  const left = model.scenario && b && b.story ? b.at : null;
  return {
    ahead: !!model.scenario && model.can_redo && left == null,
    left,
    other: !model.scenario && b && model.step >= b.at ? { at: b.at, steps: b.steps } : null,
  };
}
const EVENTS_PER_FRAME = 8;

/** @param {unknown} e */
export function toError(e) {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : String((e && /** @type {any} */ (e).message) || e));
}

/** @param {string} action @param {string} message */
export function fail(action, message) {
  return new Error(`${action}: ${message}`);
}

/** A whole number 0..2^32-1 (a numeric string is read), or an Error naming `action` and `what`. */
export function wholeNumber(/** @type {string} */ action, /** @type {string} */ what, /** @type {unknown} */ x) {
  const n = typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw fail(action, `${what} must be a whole number, got ${JSON.stringify(x) ?? String(x)}`);
  }
  return n;
}

const msgId = (/** @type {string} */ action, /** @type {unknown} */ x) => wholeNumber(action, 'the message id', x);
const nodeId = (/** @type {string} */ action, /** @type {unknown} */ x) => wholeNumber(action, 'the node id', x);

/**
 * @typedef {import('./types').Model} Model
 * @typedef {import('./types').Frame} Frame
 * @typedef {object} ControllerHooks
 * @property {(model: Model, frame: Frame, fromLoop: boolean) => void} change  after every commit
 * @property {(type: string, detail: unknown) => void} event  paxos-change, paxos-chosen, paxos-violation
 * @property {(err: Error) => void} error  the play loop failed (it has paused)
 * @property {(time: number) => void} [animate]  playing, nothing happened: move the envelopes
 * @property {() => void} [transport]  playing or paused
 * @property {() => void} [installed]  a new simulation is about to be committed
 * @property {(cb: (ts: number) => void) => number} [schedule]  requestAnimationFrame
 * @property {(id: number) => void} [cancel]  cancelAnimationFrame
 */

export class Controller {
  /** @type {Simulation | null} */ #sim = null;
  /** @type {Model | null} */ #model = null;
  /** @type {unknown} */ #mark = null;
  /** @type {string | null} */ #prevChosen = null;
  #prevViolations = 0;
  /** Gestures of several recorded actions, undone and redone as one: [from, to] steps. @type {[number, number][]} */
  #gestures = [];
  #playing = false;
  #speed = 1;
  #animTime = 0;
  #storyClock = 0;
  #storyWait = STORY_FIRST_MS;
  /** @type {number | null} */ #lastTs = null;
  #raf = 0;
  #running = true;
  #holding = false;
  /** @type {ControllerHooks} */ #hooks;

  /** @param {ControllerHooks} hooks */
  constructor(hooks) {
    this.#hooks = hooks;
  }

  /** True once a simulation is installed. */
  get hasSim() { return this.#sim != null; }
  /** The current model (a snapshot, merged from frames), or null before the first install. */
  get model() { return this.#model; }
  get playing() { return this.#playing; }
  get speed() { return this.#speed; }
  set speed(v) {
    const n = Number(v);
    if (!(n > 0 && n <= 64)) throw fail('speed', `must be a number between 0 and 64, got ${JSON.stringify(v)}`);
    this.#speed = n;
  }
  /** The animated logical time (runs ahead of the model's while playing). */
  get animTime() { return this.#animTime; }
  /** The automatic policy in force. */
  get policy() { return this.#model ? this.#model.policy : null; }

  /** While a view is dragging, the play loop keeps still (set true, then false). */
  set holding(on) {
    this.#holding = on;
    if (!on) this.#lastTs = null;
  }

  // ------------------------------------------------------------ simulations

  /** Replace the simulation (the old one is freed) and commit a complete frame. */
  install(/** @type {Simulation} */ sim) {
    if (this.#sim) this.#sim.free();
    this.#sim = sim;
    this.#model = null;
    this.#mark = null;
    this.#prevChosen = null;
    this.#prevViolations = 0;
    this.#gestures = [];
    this.#hooks.installed?.();
    this.#animTime = this.#commit(false).time;
  }

  /** @param {import('./paxos-scope').PaxosConfig} config */
  newCluster(config, action = 'reset') {
    let sim;
    try {
      sim = new Simulation(config);
    } catch (e) {
      throw fail(action, toError(e).message);
    }
    this.install(sim);
  }

  loadScenario(/** @type {unknown} */ name, action = 'loadScenario') {
    if (typeof name !== 'string' || !name) throw fail(action, 'the scenario name must be a non-empty string');
    let sim;
    try {
      sim = Simulation.scenario(name);
    } catch (e) {
      throw fail(action, toError(e).message);
    }
    this.install(sim);
  }

  /** Replace the simulation with a trace (JSON text); `what` names it in messages. */
  importTrace(/** @type {unknown} */ json, action = 'importTrace', what = 'this trace') {
    this.#need(action);
    if (typeof json !== 'string') throw fail(action, `the trace must be JSON text (a string), got ${describeValue(json)}`);
    const max = words().limits.max_trace_bytes;
    if (json.length > max) {
      throw fail(action, `${what} is ${(json.length / 1048576).toFixed(1)} MB; at most ${max / 1048576} MB is accepted. The simulation is unchanged`);
    }
    let sim;
    try {
      sim = Simulation.importTrace(json);
    } catch (e) {
      let why = toError(e).message.replace(/^invalid trace: /, '');
      if (/not valid JSON/i.test(why)) why += ' (is it a Paxoscope trace, and complete?)';
      throw fail(action, `${what} cannot be opened as a trace: ${why}. The simulation is unchanged`);
    }
    this.install(sim);
  }

  /** Open a share link: a whole URL, '#fragment' or the bare fragment. */
  openShare(/** @type {unknown} */ link) {
    const action = 'openShare';
    this.#need(action);
    if (typeof link !== 'string') throw fail(action, `the link must be a string, got ${describeValue(link)}`);
    const t = link.trim();
    const fragment = t.includes('#') ? t.slice(t.indexOf('#') + 1) : t;
    if (!fragment) throw fail(action, 'the link is empty (nothing after #). The simulation is unchanged');
    const max = words().limits.max_fragment_chars;
    if (fragment.length > max) {
      throw fail(action, `this link is too long (${fragment.length} characters; at most ${max}). The simulation is unchanged`);
    }
    let sim;
    try {
      sim = Simulation.fromShare(fragment);
    } catch (e) {
      throw fail(action, `this link cannot be opened: ${toError(e).message.replace(/^invalid trace: /, '')}. The simulation is unchanged`);
    }
    this.install(sim);
  }

  exportTrace() { return this.#read('exportTrace', (s) => s.exportTrace()); }
  shareFragment() { return this.#read('shareUrl', (s) => s.shareFragment()); }
  /** The complete snapshot, straight from the core. */
  snapshot() { return this.#read('snapshot', (s) => s.snapshot()); }

  // ------------------------------------------------------------ actions

  deliver(/** @type {unknown} */ id) { return this.act('deliver', (s) => s.deliver(msgId('deliver', id))); }
  drop(/** @type {unknown} */ id) { return this.act('drop', (s) => s.drop(msgId('drop', id))); }
  duplicate(/** @type {unknown} */ id) { return this.act('duplicate', (s) => s.duplicate(msgId('duplicate', id))); }
  hold(/** @type {unknown} */ id) { return this.act('hold', (s) => s.hold(msgId('hold', id))); }
  release(/** @type {unknown} */ id) { return this.act('release', (s) => s.release(msgId('release', id))); }
  moveMessageBefore(/** @type {unknown} */ id, /** @type {unknown} */ otherId, action = 'moveMessageBefore') {
    return this.act(action, (s) => s.moveBefore(msgId(action, id), wholeNumber(action, 'the other message id', otherId)));
  }

  /**
   * Deliver `id` right before `beforeId`, or last (null): one gesture, one undo step. The core
   * records a move before another message; last takes two moves (id before the last one, then
   * the last one before id), which undo() and redo() then take as one step.
   */
  moveMessageTo(/** @type {number} */ id, /** @type {number | null} */ beforeId) {
    if (beforeId != null) return this.moveMessageBefore(id, beforeId);
    const order = this.#need('moveMessageBefore').messages.map((m) => m.id);
    const last = order[order.length - 1];
    if (last === id || last == null) return undefined;
    if (order[order.length - 2] === id) return this.moveMessageBefore(last, id);
    const from = this.#need('moveMessageBefore').step;
    this.act('moveMessageBefore', (s) => {
      s.moveBefore(id, last);
      try {
        s.moveBefore(last, id);
      } catch (e) {
        s.undo();
        throw e;
      }
    });
    this.#gestures.push([from, from + 2]);
    return undefined;
  }

  crash(/** @type {unknown} */ node) { return this.act('crash', (s) => s.crash(nodeId('crash', node))); }
  restart(/** @type {unknown} */ node) { return this.act('restart', (s) => s.restart(nodeId('restart', node))); }
  timeout(/** @type {unknown} */ node, /** @type {unknown} */ timer) {
    return this.act('timeout', (s) => {
      if (timer !== undefined && typeof timer !== 'string') throw new Error(`the timer is a name like "retry", not ${String(timer)}`);
      return s.timeout(nodeId('timeout', node), timer);
    });
  }
  cutLink(/** @type {unknown} */ a, /** @type {unknown} */ b) { return this.act('cutLink', (s) => s.cutLink(nodeId('cutLink', a), nodeId('cutLink', b))); }
  healLink(/** @type {unknown} */ a, /** @type {unknown} */ b) { return this.act('healLink', (s) => s.healLink(nodeId('healLink', a), nodeId('healLink', b))); }
  propose(/** @type {unknown} */ node, /** @type {unknown} */ value) {
    return this.act('propose', (s) => {
      const n = nodeId('propose', node);
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw fail('propose', `the value must be a string, got ${JSON.stringify(value) ?? String(value)}`);
      }
      const v = String(value).trim();
      if (!v) throw fail('propose', 'the value must not be empty');
      return s.propose(n, v);
    });
  }
  /** One automatic step; in a story with steps left, the story's next step (redo) instead. */
  step() {
    if (storyState(this.#need('step')).ahead) {
      this.redo();
      return true;
    }
    return this.act('step', (s) => s.step());
  }

  /** A story with steps left: on to its next captioned step (or its end). Returns the steps taken. */
  nextCaption() {
    const m = this.#need('nextCaption');
    if (!storyState(m).ahead) throw fail('nextCaption', 'there is no story ahead (load a story, or return to it)');
    const from = m.step;
    this.act('nextCaption', (s) => s.seek(m.next_caption ?? m.trace_len), true);
    return this.#need('nextCaption').step - from;
  }

  /**
   * Bring back the future set aside by acting in the past (in a story: the story, at the
   * step where the run left it) and set the current one aside in its place.
   */
  switchFuture() {
    if (!this.#need('switchFuture').branch) throw fail('switchFuture', 'there is no other future to switch to');
    return this.act('switchFuture', (s) => s.switchFuture(), true);
  }
  run(maxSteps = 1000) { return this.act('run', (s) => s.run(wholeNumber('run', 'maxSteps', maxSteps))); }
  seek(/** @type {unknown} */ step) { return this.act('seek', (s) => s.seek(wholeNumber('seek', 'the step', step)), true); }

  /** One step back; a gesture of several recorded actions goes back as one. */
  undo() {
    const at = this.#need('undo').step;
    const g = this.#gestures.find(([, to]) => to === at);
    return this.act('undo', (s) => (g ? s.seek(g[0]) : s.undo()), true);
  }

  redo() {
    const m = this.#need('redo');
    const g = this.#gestures.find(([from, to]) => from === m.step && to <= m.trace_len);
    return this.act('redo', (s) => (g ? s.seek(g[1]) : s.redo()), true);
  }

  /** @param {unknown} policy the fields to change; the others stay as they are */
  setPolicy(policy) {
    return this.act('setPolicy', (s) => {
      if (!policy || typeof policy !== 'object') throw fail('setPolicy', 'the policy must be an object');
      return s.setPolicy({ ...this.policy, ...policy });
    });
  }

  /**
   * Run `fn` on the simulation as `action`, then commit. A failure throws
   * Error('<action>: <why>'). `keepsTrace`: undo/redo/seek move in the trace without cutting it.
   * @template T
   * @param {string} action
   * @param {(sim: Simulation) => T} fn
   * @returns {T}
   */
  act(action, fn, keepsTrace = false) {
    const step = this.#need(action).step;
    const sim = /** @type {Simulation} */ (this.#sim);
    let result;
    try {
      result = fn(sim);
    } catch (e) {
      const err = toError(e);
      throw err.message.startsWith(`${action}:`) ? err : fail(action, err.message);
    }
    // An action in the past cuts the redo part, and the gestures in it.
    if (!keepsTrace) this.#gestures = this.#gestures.filter(([, to]) => to <= step);
    this.#commit(false);
    return result;
  }

  // ------------------------------------------------------------ play

  play() {
    if (this.#playing) return;
    this.#playing = true;
    this.#storyClock = 0;
    this.#storyWait = STORY_FIRST_MS;
    this.#hooks.transport?.();
    this.#loop();
  }

  pause() {
    if (!this.#playing) return;
    this.#playing = false;
    this.#stopLoop();
    this.#hooks.transport?.();
  }

  /** The element left the page (false) or came back (true): the loop stops and resumes. */
  set running(on) {
    this.#running = on;
    if (on) this.#loop();
    else this.#stopLoop();
  }

  /**
   * One animation frame of play at `ts` (ms): animated time advances by the elapsed time
   * (at most 100 ms), and up to 8 automatic events that fall due are stepped; a story with
   * steps ahead is walked like pressing Next instead. Exposed for tests; the loop calls it.
   */
  tick(/** @type {number} */ ts) {
    this.#raf = 0;
    const sim = this.#sim;
    const model = this.#model;
    if (!this.#playing || !sim || !model) return;
    const dt = this.#lastTs == null ? 0 : Math.min(100, ts - this.#lastTs);
    this.#lastTs = ts;
    try {
      if (this.#holding) {
        // a drag in progress: hold still
      } else if (storyState(model).ahead) {
        // A story plays one captioned beat at a time, each caption left up long enough to read.
        this.#storyClock += dt * this.#speed;
        if (this.#storyClock >= this.#storyWait) {
          this.#storyClock = 0;
          sim.seek(model.next_caption ?? model.trace_len);
          const now = this.#commit(true);
          this.#storyWait = readingMs(now.caption);
          if (!storyState(now).ahead) {
            // The story is over: stop there rather than run on past its script.
            this.pause();
            return;
          }
        }
      } else {
        this.#animTime += (dt / 1000) * TICKS_PER_SECOND * this.#speed;
        let changed = false;
        // The core says when the next event is due: no frame per step, one per animation frame.
        for (let i = 0; i < EVENTS_PER_FRAME; i++) {
          const next = sim.nextEventTime();
          if (!Number.isFinite(next)) {
            this.#animTime = sim.time();
            break;
          }
          if (this.#animTime < next || !sim.step()) break;
          changed = true;
        }
        if (changed) this.#commit(true);
        else this.#hooks.animate?.(this.#animTime);
      }
    } catch (e) {
      this.pause();
      this.#hooks.error(fail('play', toError(e).message));
      return;
    }
    this.#loop();
  }

  // ------------------------------------------------------------ internals

  #loop() {
    if (this.#raf || !this.#playing || !this.#running || !this.#sim) return;
    const schedule = this.#hooks.schedule ?? ((cb) => requestAnimationFrame(cb));
    this.#raf = schedule((ts) => this.tick(ts));
  }

  #stopLoop() {
    if (this.#raf) (this.#hooks.cancel ?? cancelAnimationFrame)(this.#raf);
    this.#raf = 0;
    this.#lastTs = null;
  }

  /** The model, or an error saying the simulator is not ready. */
  #need(/** @type {string} */ action) {
    if (!this.#sim || !this.#model) throw fail(action, 'the simulator is not ready yet (await el.ready)');
    return this.#model;
  }

  /**
   * @template T
   * @param {string} action
   * @param {(sim: Simulation) => T} fn
   * @returns {T}
   */
  #read(action, fn) {
    this.#need(action);
    try {
      return fn(/** @type {Simulation} */ (this.#sim));
    } catch (e) {
      throw fail(action, toError(e).message);
    }
  }

  #commit(/** @type {boolean} */ fromLoop) {
    const sim = /** @type {Simulation} */ (this.#sim);
    /** @type {Frame} */
    const frame = sim.frame(this.#mark);
    this.#mark = frame.mark;
    const model = applyFrame(this.#model, frame);
    this.#model = model;
    if (!this.#playing || model.time > this.#animTime) this.#animTime = model.time;
    this.#hooks.change(model, frame, fromLoop);
    const fire = this.#hooks.event;
    fire('paxos-change', model);
    if (this.#prevChosen == null && model.chosen != null) {
      fire('paxos-chosen', { value: model.chosen, step: model.chosen_step ?? model.step });
    }
    this.#prevChosen = model.chosen;
    const v = model.violations;
    if (v.length > this.#prevViolations) fire('paxos-violation', v.slice(this.#prevViolations));
    this.#prevViolations = v.length;
    return model;
  }
}

/** @param {unknown} x */
function describeValue(x) {
  return typeof x === 'string' ? `a ${x.length}-character string` : JSON.stringify(x) ?? String(x);
}
