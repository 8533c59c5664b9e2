// Browser tests of the explorer in the page (www/explore.js, explore-worker.js, the explorer's
// wasm module crate/src/wasm/explore.rs): "Can it still break from here?" from a state built
// by hand agrees with `paxoscope check --from` on the same trace; cancel stops the worker;
// the page answers clicks while it runs; the path found opens as a story with its new steps
// marked; Export ITF writes Paxos.tla's variables; bad bounds are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, openPage, useSite } from './harness.mjs';

const site = useSite();
const tmp = mkdtempSync(join(tmpdir(), 'paxoscope-explore-'));
const el = 'paxos-scope';

async function open(suffix = '?free') {
  const { page, errors } = await openPage(site.browser, site.server.url + suffix);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}
const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);

/** Deliver the pending message `kind` from `from` to `to`. */
async function deliver(page, kind, from, to) {
  const s = await snap(page);
  const m = s.messages.find((x) => x.kind === kind && x.from === from && x.to === to);
  assert.ok(m, `a pending ${kind} ${from} -> ${to} (pending: ${s.messages.map((x) => `${x.kind} ${x.from}->${x.to}`).join(', ')})`);
  await call(page, 'deliver', m.id);
}

/**
 * By hand, on the proposer-ignores-promises variant: node 1 gets Green accepted by nodes 1
 * and 3 (chosen), and node 2 is asked to propose Blue. What can follow?
 */
async function handBuilt(page) {
  await call(page, 'reset', { nodes: 3, proposers: [1, 2], seed: 1, bug: 'proposer-ignores-promises' });
  await call(page, 'propose', 1, 'Green');
  await deliver(page, 'Prepare', 1, 1);
  await deliver(page, 'Prepare', 1, 3);
  await deliver(page, 'Promise', 1, 1);
  await deliver(page, 'Promise', 3, 1);
  await deliver(page, 'Accept', 1, 1);
  await deliver(page, 'Accept', 1, 3);
  await call(page, 'propose', 2, 'Blue');
  const s = await snap(page);
  assert.equal(s.violations.length, 0);
  return s;
}


/** Open the explorer's panel (its code loads on first use). */
async function openPanel(page) {
  await page.locator(`${el} details.explore > summary`).click();
  await page.locator(`${el} .explore-panel`).waitFor();
}

test('the worker finds the shortest continuation the CLI finds from the same trace, and it opens as a story', { timeout: 300_000 }, async () => {
  const bin = cli();
  const { page, errors } = await open();
  const before = await handBuilt(page);
  const trace = await call(page, 'exportTrace');
  await openPanel(page);
  // The panel's own button, with its default bounds (1 extra round, no faults, 1 M states).
  const done = page.evaluate(() => new Promise((ok) => document.querySelector('paxos-scope')
    .addEventListener('paxos-explore-done', (e) => ok(e.detail), { once: true })));
  await page.locator(`${el} button[data-ex=run]`).click();
  const o = await done;
  assert.equal(o.verdict, 'violation', o.text);
  assert.equal(o.property, 'at-most-one');
  assert.equal(o.start, before.step);
  assert.ok(o.shortest);
  assert.ok(o.steps.length > 0 && o.steps.length === o.steps.at(-1).step - o.start, 'the new steps follow the run');
  const verdict = await page.locator(`${el} .ex-verdict`).textContent();
  assert.match(verdict, /Not safe from here: \d+ new steps? break “At most one value is chosen”/);
  assert.deepEqual(await snap(page).then((s) => s.step), before.step, 'exploring changed nothing');

  // The CLI, from the same trace with the same bounds: the same property, the same length.
  const file = join(tmp, 'hand.json');
  writeFileSync(file, trace);
  let out = '';
  try {
    execFileSync(bin, ['check', '--from', file, '--threads', '1'], { encoding: 'utf8' });
    assert.fail('the CLI finds a violation (exit 1)');
  } catch (e) {
    out = String(e.stdout);
  }
  assert.match(out, /VIOLATION: At most one value is chosen/);
  const moves = Number(/shortest counterexample, (\d+) explored moves \((\d+) simulator steps\)/.exec(out)?.[1]);
  const steps = Number(/shortest counterexample, (\d+) explored moves \((\d+) simulator steps\)/.exec(out)?.[2]);
  assert.equal(o.moves, moves, out);
  assert.equal(o.steps.length, steps, out);
  assert.equal(o.states, Number(/^explored (\d+) states/m.exec(out)?.[1]), 'the same search: the same number of states');

  // Open it as a story: the run at the step the search began, the new steps marked.
  await page.locator(`${el} button[data-ex=open]`).click();
  let s = await snap(page);
  assert.equal(s.step, o.start);
  assert.equal(s.trace_len, o.start + o.steps.length);
  const caption = page.locator(`${el} .caption-text`);
  assert.match(await caption.textContent(), /^Explorer: your run, at step \d+\. The next \d+ steps are new/);
  assert.match(await page.locator(`${el} input.scrub`).getAttribute('aria-description'), /are new: the explorer's path/);
  const band = await page.locator(`${el} .scrub-band`).evaluate((b) => ({ shown: !b.hidden, left: parseFloat(b.style.left), width: parseFloat(b.style.width) }));
  assert.ok(band.shown && Math.abs(band.left - (100 * o.start) / s.trace_len) < 0.01 && band.width > 0, `the time bar marks the new steps: ${JSON.stringify(band)}`);
  await page.locator(`${el} .caption button[data-action=next]`).click();
  s = await snap(page);
  assert.equal(s.step, o.start + 1);
  assert.equal(await caption.textContent(), `New step 1 of ${o.steps.length}: ${o.steps[0].text}`);
  await call(page, 'seek', s.trace_len);
  s = await snap(page);
  assert.ok(s.violations.some((v) => v.property === 'at-most-one'), 'the path ends where the property breaks');
  assert.match(await caption.textContent(), new RegExp(`^New step ${o.steps.length} of ${o.steps.length}: .* — At most one value is chosen`));
  // Acting within it is allowed (a new future); the run stays explorable.
  await call(page, 'seek', o.start + 1);
  const pending = (await snap(page)).messages[0];
  await call(page, 'drop', pending.id);
  s = await snap(page);
  assert.equal(s.step, o.start + 2);
  assert.ok(s.branch, 'the explored path is kept as the other future');
  assert.deepEqual(errors, []);
  await page.close();
});

test('cancel stops the worker, the page answers clicks while it runs, and the next search runs', { timeout: 120_000 }, async () => {
  const { page, errors } = await open();
  await call(page, 'reset', { nodes: 5, proposers: [1, 2], seed: 3 });
  await call(page, 'propose', 1, 'Green');
  await call(page, 'propose', 2, 'Blue');
  await openPanel(page);
  await page.evaluate(() => {
    const el = document.querySelector('paxos-scope');
    window.__progress = [];
    el.addEventListener('paxos-explore-progress', (e) => window.__progress.push(e.detail));
    window.__search = el.explore({ rounds: 3, drops: true, dups: true, crashes: 1, maxStates: 20_000_000 })
      .then((o) => ({ outcome: o }), (e) => ({ error: e.name, message: e.message }));
  });
  await page.waitForFunction(() => window.__progress.some((p) => p.states > 0), null, { timeout: 60_000 });
  // The main thread is free: Step, clicked three times, takes three steps.
  const at = (await snap(page)).step;
  for (let i = 0; i < 3; i++) await page.locator(`${el} header.bar button[data-action=step]`).click();
  assert.equal((await snap(page)).step, at + 3, 'the page answered every click while the worker explored');
  const figures = page.locator(`${el} .ex-figures`);
  assert.match(await figures.textContent(), /[\d,]+ states · depth \d+ · [\d,]+ states\/s · tables [\d.]+ MB · memory [\d.]+ MB/);
  await page.locator(`${el} button[data-ex=cancel]`).click();
  const r = await page.evaluate(() => window.__search);
  assert.equal(r.error, 'Cancelled', JSON.stringify(r));
  assert.match(await page.locator(`${el} .ex-verdict`).textContent(), /^Cancelled at .*nothing was concluded/);
  const count = await page.evaluate(() => window.__progress.length);
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => window.__progress.length), count, 'no progress after cancel: the worker is gone');
  assert.equal(await page.locator(`${el} button[data-ex=cancel]`).isHidden(), true);
  assert.equal(await page.locator(`${el} button[data-ex=run]`).isEnabled(), true);
  // The next search runs in a new worker, from the step the run is at now.
  const o = await call(page, 'explore', { rounds: 1, maxStates: 100_000 });
  assert.ok(['safe', 'unfinished', 'violation'].includes(o.verdict));
  assert.equal(o.start, at + 3);
  assert.ok(o.states > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a correct run is safe from here, with the figures and the chosen value in words', { timeout: 60_000 }, async () => {
  const { page, errors } = await open('?scenario=happy-path');
  const s0 = await snap(page);
  await call(page, 'seek', 6); // node 1 has its promises; its Accepts are not yet sent
  const o = await call(page, 'explore', { rounds: 1, crashes: 1 });
  assert.equal(o.verdict, 'safe', o.text);
  assert.equal(o.complete, true);
  assert.match(o.text, /^Safe from here within these bounds \(rounds up to \d+, no drops, 1 crash\): all [\d,]+ states reachable were explored and no property breaks\./);
  assert.equal(o.trace, null);
  assert.equal((await snap(page)).scenario, s0.scenario, 'the story is still open');
  assert.deepEqual(errors, []);
  await page.close();
});

test('liveness: a value can still be chosen (the shortest path, opened), and dueling proposers can livelock', { timeout: 120_000 }, async () => {
  const { page, errors } = await open();
  await call(page, 'reset', { nodes: 3, proposers: [1, 2], seed: 1 });
  await call(page, 'propose', 1, 'Green');
  const c = await call(page, 'explore', { goal: 'chosen' });
  assert.equal(c.goal, 'chosen');
  assert.equal(c.verdict, 'chosen', c.text);
  assert.match(c.text, /^A value can still be chosen from here: in \d+ new steps at the least, Green is chosen/);
  await call(page, 'openExplored', c);
  await call(page, 'seek', c.start + c.steps.length);
  assert.equal((await snap(page)).chosen, 'Green', 'the path ends with Green chosen');

  // Two proposers, each asked once: they can preempt each other forever.
  await call(page, 'reset', { nodes: 3, proposers: [1, 2], seed: 1 });
  await call(page, 'propose', 1, 'Green');
  await call(page, 'propose', 2, 'Blue');
  const l = await call(page, 'explore', { goal: 'livelock' });
  assert.equal(l.verdict, 'livelock', l.text);
  assert.match(l.text, /^Livelock possible: after \d+ new steps?, a cycle of \d+ steps can repeat forever, each time with every ballot 1 round higher, and no value is ever chosen/);
  assert.ok(l.cycle && l.cycle.steps > 0 && l.cycle.shift === 1);
  assert.equal(l.steps.length, l.cycle.from - 1 - l.start + 2 * l.cycle.steps, 'the path: the prefix, then the cycle twice');
  await page.locator(`${el} details.explore`).evaluate((d) => { d.open = true; });
  await page.locator(`${el} button[data-ex=open]`).click();
  const s = await snap(page);
  assert.equal(s.step, l.start);
  assert.match(await page.locator(`${el} .caption-text`).textContent(), /into a cycle of \d+ steps \(from step \d+\) that can repeat forever/);
  await call(page, 'seek', l.cycle.from + l.cycle.steps);
  assert.match(await page.locator(`${el} .caption-text`).textContent(), /\(the cycle, turn 2\)/);
  await call(page, 'seek', s.trace_len);
  assert.equal((await snap(page)).chosen, null, 'no value chosen after two turns');
  // One proposer cannot duel.
  await call(page, 'reset', { nodes: 3, proposers: [1], seed: 1 });
  await call(page, 'propose', 1, 'Green');
  const none = await call(page, 'explore', { goal: 'livelock' });
  assert.equal(none.verdict, 'no-livelock', none.text);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the explorer takes whichever protocol is loaded: Multi-Paxos and 3PC from their stories', { timeout: 120_000 }, async () => {
  const { page, errors } = await open('?scenario=multi-paxos-steady-leader');
  let s = await snap(page);
  await call(page, 'seek', s.trace_len);
  const m = await call(page, 'explore', { crashes: 1, maxStates: 200_000 });
  assert.ok(['safe', 'unfinished'].includes(m.verdict), m.text);
  assert.ok(m.states > 0);
  await call(page, 'loadScenario', '3pc-partition');
  s = await snap(page);
  await call(page, 'seek', 5);
  const t = await call(page, 'explore', { maxStates: 200_000 });
  assert.ok(t.states > 0, t.text);
  // Liveness by round shift is single-decree Paxos's: refused in words, nothing changed.
  const msg = await page.evaluate(() => document.querySelector('paxos-scope').explore({ goal: 'livelock' }).then(() => null, (e) => e.message));
  assert.match(String(msg), /livelock search is for single-decree Paxos/);
  assert.equal((await snap(page)).step, 5);
  assert.ok(errors.every((e) => /livelock search is for single-decree Paxos/.test(e)), errors.join('\n'));
  await page.close();
});

test('Export ITF writes the run as a behaviour of Paxos.tla', { timeout: 60_000 }, async () => {
  const { page, errors } = await open('?scenario=happy-path');
  const s = await snap(page);
  await call(page, 'seek', s.trace_len);
  await openPanel(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`${el} button[data-ex=itf]`).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.itf\.json$/);
  const file = join(tmp, 'run.itf.json');
  await download.saveAs(file);
  const itf = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(typeof itf['#meta'], 'object');
  assert.deepEqual(itf.vars.slice().sort(), ['maxBal', 'maxVBal', 'maxVal', 'msgs']);
  assert.ok(itf.states.length >= 2);
  for (const st of itf.states) {
    assert.ok(Array.isArray(st.msgs['#set']));
    for (const v of ['maxBal', 'maxVBal', 'maxVal']) assert.ok(Array.isArray(st[v]['#map']), v);
  }
  const last = itf.states.at(-1);
  assert.ok(last.msgs['#set'].some((m) => m.type === '2b'), 'the run accepted something');
  // The API gives the same text; other protocols are refused in words.
  const text = await call(page, 'exportItf');
  assert.deepEqual(JSON.parse(text), itf);
  await call(page, 'reset', { protocol: 'multi-paxos', nodes: 3 });
  const err = await page.evaluate(() => document.querySelector('paxos-scope').exportItf().then(() => null, (e) => e.message));
  assert.match(err, /single-decree Paxos/);
  assert.ok(errors.every((e) => /single-decree Paxos/.test(e)), errors.join('\n'));
  await page.close();
});

test('bad bounds are refused in words and change nothing', { timeout: 60_000 }, async () => {
  const { page } = await open();
  await handBuilt(page);
  const before = await snap(page);
  for (const [bounds, want] of [
    [{ rounds: -1 }, /bounds\.rounds/],
    [{ maxStates: 1e12 }, /bounds\.maxStates must be at most 20000000/],
    [{ drops: 'yes' }, /bounds\.drops/],
    [{ warp: 9 }, /warp/],
  ]) {
    const msg = await page.evaluate((b) => document.querySelector('paxos-scope').explore(b).then(() => null, (e) => e.message), bounds);
    assert.match(String(msg), want, JSON.stringify(bounds));
  }
  const after = await snap(page);
  assert.equal(after.hash, before.hash);
  assert.equal(after.step, before.step);
  await page.close();
});
