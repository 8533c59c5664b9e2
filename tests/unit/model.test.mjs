// applyFrame (www/model.js) against the contract (docs/wasm-api.md, sim.frame(mark)):
// complete frames, deltas, seeking back, a cut trace; and against the real core: frames
// merged after every action of random runs equal sim.snapshot().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFrame, lastAtOrBefore } from '../../www/model.js';
import { loadCoreInNode } from './core.mjs';
import { Simulation } from '../../www/core.js';

const line = (step) => ({ step, time: step * 10, text: `step ${step}` });
const rec = (id, sent, end, fate) => ({ id, from: 1, to: 2, kind: 'Prepare', label: `m${id}`, sent_step: sent, end_step: end, fate });
/** A frame with the bookkeeping fields; `rest` overrides. */
function frame({ full, log, history, log_from = 0, log_len, history_len, ...rest }) {
  return { step: 0, time: 0, messages: [], nodes: [], mark: rest.step ?? 0, full, log, history, log_from,
    log_len: log_len ?? log.length, history_len: history_len ?? history.length, ...rest };
}

test('a complete frame is the snapshot: every field, log and history as given', () => {
  const f = frame({ full: true, step: 3, log: [line(1), line(2), line(3)], history: [rec(1, 1, 2, 'delivered'), rec(2, 3, null, 'pending')] });
  const m = applyFrame(null, f);
  assert.equal(m.step, 3);
  assert.deepEqual(m.log, f.log);
  assert.deepEqual(m.history, f.history);
  for (const k of ['mark', 'full', 'log_from', 'log_len', 'history_len']) assert.equal(k in m, false, `no ${k} in the model: it is a snapshot`);
});

test('a delta appends log lines from log_from and replaces changed records in place', () => {
  let m = applyFrame(null, frame({ full: true, step: 2, log: [line(1), line(2)], history: [rec(1, 1, null, 'pending')] }));
  const log = m.log;
  const history = m.history;
  m = applyFrame(m, frame({ full: false, step: 3, log_from: 2, log_len: 3, log: [line(3)], history_len: 2,
    history: [rec(1, 1, 3, 'delivered'), rec(2, 3, null, 'pending')] }));
  assert.equal(m.log, log, 'the same log array, changed in place');
  assert.equal(m.history, history, 'the same history array, changed in place');
  assert.deepEqual(m.log.map((l) => l.step), [1, 2, 3]);
  assert.deepEqual(m.history.map((r) => r.fate), ['delivered', 'pending']);
  assert.equal(m.step, 3);
});

test('seeking back: fewer records (messages not yet sent go), delivered ones pending again; the log stays', () => {
  let m = applyFrame(null, frame({ full: true, step: 3, log: [line(1), line(2), line(3)],
    history: [rec(1, 1, 2, 'delivered'), rec(2, 2, 3, 'delivered'), rec(3, 3, null, 'pending')] }));
  m = applyFrame(m, frame({ full: false, step: 1, log_from: 3, log_len: 3, log: [], history_len: 1, history: [rec(1, 1, null, 'pending')] }));
  assert.equal(m.log.length, 3, 'the redo part of the log is kept');
  assert.deepEqual(m.history, [rec(1, 1, null, 'pending')]);
});

test('a cut trace truncates the log at log_from, then appends', () => {
  let m = applyFrame(null, frame({ full: true, step: 1, log: [line(1), line(2), line(3)], history: [] }));
  m = applyFrame(m, frame({ full: false, step: 2, log_from: 1, log_len: 2, log: [{ step: 2, time: 5, text: 'another step 2' }], history: [] }));
  assert.deepEqual(m.log.map((l) => l.text), ['step 1', 'another step 2']);
});

test('a complete frame after deltas replaces everything', () => {
  let m = applyFrame(null, frame({ full: true, log: [line(1)], history: [rec(1, 1, null, 'pending')] }));
  m = applyFrame(m, frame({ full: true, log: [line(7)], history: [] }));
  assert.deepEqual(m.log, [line(7)]);
  assert.deepEqual(m.history, []);
});

test('a delta that does not fit what is known is refused', () => {
  const m = applyFrame(null, frame({ full: true, log: [line(1)], history: [] }));
  assert.throws(() => applyFrame(m, frame({ full: false, log_from: 5, log_len: 6, log: [line(6)], history: [] })), /log starts at line 5/);
  assert.throws(() => applyFrame(m, frame({ full: false, log_from: 1, log_len: 9, log: [line(2)], history: [] })), /frame says 9/);
});

test('lastAtOrBefore: binary search in a sorted list', () => {
  const xs = [1, 3, 3, 5, 9].map((step) => ({ step }));
  const at = (x) => lastAtOrBefore(xs, (e) => e.step, x);
  assert.deepEqual([0, 1, 3, 4, 5, 9, 10].map(at), [-1, 0, 2, 2, 3, 4, 4]);
});

test('with the core: frames merged after every action equal sim.snapshot() (undo, redo, seek, acting in the past, import)', async () => {
  await loadCoreInNode();
  let seed = 7;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let run = 0; run < 4; run++) {
    let sim = new Simulation({ nodes: 3, proposers: [1, 2], seed: run + 1, policy: { loss_ppm: 100000, dup_ppm: 100000 } });
    let model = null;
    let mark = null;
    const check = (what) => {
      const f = sim.frame(mark);
      mark = f.mark;
      model = applyFrame(model, f);
      assert.deepEqual(model, sim.snapshot(), `run ${run}, after ${what}`);
    };
    check('start');
    sim.propose(1, 'Green');
    sim.propose(2, 'Blue');
    check('propose');
    for (let i = 0; i < 60; i++) {
      const s = sim.snapshot();
      const k = rand(10);
      let what = 'step';
      if (k < 5) sim.step();
      else if (k === 5 && s.can_undo) { sim.undo(); what = 'undo'; }
      else if (k === 6 && s.can_redo) { sim.redo(); what = 'redo'; }
      else if (k === 7) { sim.seek(rand(s.trace_len + 1)); what = 'seek'; }
      else if (k === 8 && s.messages.length) { sim.drop(s.messages[rand(s.messages.length)].id); what = 'drop (in the past too)'; }
      else if (k === 9) {
        const next = Simulation.importTrace(sim.exportTrace());
        sim.free();
        sim = next;
        what = 'import';
      } else sim.run(3);
      check(what);
    }
    sim.free();
  }
});
