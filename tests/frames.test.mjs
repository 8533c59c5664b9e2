// Frame cost over a long run (issue 10): a 5,000-step run in the element, with the cost of one
// action's frame printed at about step 100 and step 5,000: the core's sim.frame(mark), the
// element's whole step (the core's step, frame, applyFrame and every view's update), and a
// complete sim.snapshot() for comparison. Figures are printed, not asserted (timings on a
// shared machine are noise); what is asserted is that the element's merged model is the
// core's complete snapshot at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();

// Leader mode keeps heartbeats going, so the automatic policy always has a next step.
const CONFIG = { nodes: 5, proposers: [1, 2], distinguished: true, seed: 3, policy: { loss_ppm: 100000, dup_ppm: 100000, min_latency: 5, max_latency: 50 } };

test('a 5,000-step run: frame cost at step 100 and step 5,000 (printed); the merged model equals snapshot()', async () => {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`); // ?free: the empty cluster, not the welcome story
  await page.setViewportSize({ width: 1280, height: 800 });
  const out = await page.evaluate(async (config) => {
    const el = document.querySelector('paxos-scope');
    await el.ready;
    let last = null;
    el.addEventListener('paxos-change', (e) => { last = e.detail; });
    el.reset(config);
    el.propose(1, 'Green');
    el.propose(2, 'Blue');
    const core = await import('./pkg/paxoscope.js');
    // A twin of the run outside the element: the core's own costs at the same steps.
    const twin = new core.Simulation(config);
    twin.propose(1, 'Green');
    twin.propose(2, 'Blue');
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const measure = (n) => {
      const element = [];
      const core = [];
      const frame = [];
      const snapshot = [];
      let mark = twin.frame(null).mark;
      for (let i = 0; i < n; i++) {
        let t = performance.now();
        el.step();
        element.push(performance.now() - t);
        t = performance.now();
        twin.step();
        core.push(performance.now() - t);
        t = performance.now();
        mark = twin.frame(mark).mark;
        frame.push(performance.now() - t);
        t = performance.now();
        twin.snapshot();
        snapshot.push(performance.now() - t);
      }
      return { step: el.snapshot().step, element: median(element), core: median(core), frame: median(frame), snapshot: median(snapshot) };
    };
    el.run(90);
    twin.run(90);
    const early = measure(21);
    el.run(5000 - early.step - 10);
    twin.run(5000 - early.step - 10);
    const late = measure(21);
    const snap = el.snapshot();
    // applyFrame alone on this run's state: a complete frame, and a delta of one line and one
    // record (what the serde branch's frames will mostly be).
    const { applyFrame } = await import('./model.js');
    const bookkeeping = { mark: 1, log_from: 0, log_len: snap.log.length, history_len: snap.history.length };
    const timeIt = (f) => {
      const t = performance.now();
      for (let i = 0; i < 200; i++) f();
      return (performance.now() - t) / 200;
    };
    let base = applyFrame(null, { ...snap, ...bookkeeping, full: true });
    const applyFull = timeIt(() => { base = applyFrame(base, { ...snap, ...bookkeeping, full: true }); });
    const end = snap.log.length - 1;
    const rec = snap.history[snap.history.length - 1];
    const delta = { ...snap, ...bookkeeping, full: false, log_from: end, log: [snap.log[end]], history: [rec] };
    const applyDelta = timeIt(() => { base = applyFrame(base, delta); });
    const model = last;
    twin.free();
    return { early, late, applyFull, applyDelta, hash: snap.hash, modelHash: model.hash, model, snap, log: snap.log.length, history: snap.history.length };
  }, CONFIG);
  const ms = (x) => `${x.toFixed(2)} ms`;
  for (const [label, r] of [['~100', out.early], ['~5,000', out.late]]) {
    console.log(`frame cost at step ${label} (step ${r.step}): sim.frame(mark) ${ms(r.frame)}; frame + applyFrame + views ` +
      `${ms(Math.max(0, r.element - r.core))} (the element's step ${ms(r.element)} less the core's step ${ms(r.core)}); ` +
      `a complete sim.snapshot() ${ms(r.snapshot)} (medians of 21)`);
  }
  console.log(`  at the end: ${out.log} log lines, ${out.history} messages in the history`);
  console.log(`  applyFrame at the end: a complete frame ${ms(out.applyFull)}, a delta of one line and one record ${(out.applyDelta * 1000).toFixed(1)} µs (mean of 200)`);
  assert.ok(out.late.step >= 5000, `the run reached step 5,000 (${out.late.step})`);
  assert.equal(out.modelHash, out.hash, 'the merged model has the state hash of a fresh snapshot()');
  assert.deepEqual(out.model, out.snap, 'the merged model (log and history included) is the complete snapshot');
  assert.deepEqual(errors, []);
  await page.close();
});
