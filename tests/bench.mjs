// Browser benchmarks for the page (issue 3); prints numbers, asserts nothing. `make bench`.
// 1. The page's payload: every response the page loads, by type, raw and gzipped.
// 2. Simulator steps per second inside Chromium on the shared workload (sim::workload, written
//    here through the public API: the module ships no benchmark hook), against the same
//    workload natively (`paxoscope bench`): a ratio.
// 3. Frame times while 7 nodes have 100 and 200 messages in flight, playing slowly (so they stay
//    in flight) with envelopes travelling along their arrows (p50, p95); then the time of one
//    scripted action (deliver) with 200 in flight. BENCH_ONLY=frames runs this part alone.
// 5. Frame cost over a 5,000-step run: the core's sim.frame(mark) (what the element asks after
//    every action), a complete sim.snapshot(), and the element's whole step (core step, frame,
//    applyFrame, every view), at about step 100 and step 5,000 (as tests/frames.test.mjs).
// 4. Opening the most expensive share link within the limits (sim::workload::worst_link,
//    written here through the public API), in a fresh page: time and wasm memory grown, against
//    the native time (`paxoscope bench`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, launchBrowser, openPage, startServer } from './harness.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
// BENCH_ONLY=frames: only section 3 (the ring's frames and one scripted action).
const ONLY = process.env.BENCH_ONLY ?? '';
// The page as `make run` serves it (scripts/site.sh), if built; else www/ as written; or the
// directory PAXOSCOPE_WWW names (e.g. an older www/ to measure before and after).
const site = join(ROOT, 'target/site');
const server = await startServer(!process.env.PAXOSCOPE_WWW && existsSync(join(site, 'index.html')) ? { root: site } : {});
const browser = await launchBrowser();
try {
  if (ONLY === 'frames') {
    const { page } = await openPage(browser, server.url);
    await framesBench(page);
  } else await all();
} finally {
  await browser.close();
  await server.close();
}

async function all() {
  // 1. Payload.
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = {};
  page.on('response', async (r) => {
    const body = await r.body().catch(() => null);
    if (!body) return;
    const path = new URL(r.url()).pathname;
    const kind = path.endsWith('.wasm') ? 'wasm' : path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css'
      : path.endsWith('.html') || path.endsWith('/') ? 'html' : 'other';
    const s = (sizes[kind] ??= { files: 0, raw: 0, gzip: 0 });
    s.files += 1;
    s.raw += body.length;
    s.gzip += gzipSync(body, { level: 9 }).length;
  });
  await page.goto(server.url, { waitUntil: 'networkidle' });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  await page.waitForTimeout(300);
  let total = { raw: 0, gzip: 0 };
  for (const [kind, s] of Object.entries(sizes).sort()) {
    console.log(`payload: ${kind.padEnd(5)} ${String(s.files).padStart(2)} files ${String(s.raw).padStart(8)} B raw ${String(s.gzip).padStart(7)} B gzipped`);
    total.raw += s.raw;
    total.gzip += s.gzip;
  }
  console.log(`payload: total ${String(total.raw).padStart(17)} B raw ${String(total.gzip).padStart(7)} B gzipped (budget 150 KB gzipped)`);
  await context.close();

  // 2. Steps per second, browser vs native.
  const { page: p2 } = await openPage(browser, server.url);
  const browserRate = await p2.evaluate(async (secs) => {
    const m = await import('./pkg/paxoscope.js');
    await m.default();
    // sim::workload::random_run: 5 nodes, proposers 1 (Green) and 2 (Blue), this policy,
    // the automatic policy for at most 20000 steps.
    const policy = { loss_ppm: 100000, dup_ppm: 100000, delay_ppm: 50000, min_latency: 5, max_latency: 50 };
    const run = (seed) => {
      const sim = new m.Simulation({ nodes: 5, proposers: [1, 2], seed, policy });
      sim.propose(1, 'Green');
      sim.propose(2, 'Blue');
      const n = sim.run(20000);
      sim.free();
      return n;
    };
    let steps = 0, seed = 1;
    const t0 = performance.now();
    while (performance.now() - t0 < secs * 1000) steps += run(seed++);
    return steps / ((performance.now() - t0) / 1000);
  }, SECONDS);
  const cli = join(ROOT, 'target/release/paxoscope');
  if (!existsSync(cli)) execFileSync('cargo', ['build', '--release', '-q'], { cwd: ROOT, stdio: 'inherit' });
  const out = execFileSync(cli, ['bench', '--seconds', String(SECONDS)], { encoding: 'utf8' });
  const nativeRate = Number(/sim: (\d+) steps\/s/.exec(out)[1]);
  console.log(`steps/s: Chromium ${browserRate.toFixed(0)}, native ${nativeRate}, ratio ${(browserRate / nativeRate).toFixed(2)} (same workload: 5 nodes, random policy)`);
  const nativeWorst = /worst link within the limits: .*opened in ([\d.]+) s/.exec(out);

  // 4. The worst link within the limits: made in this page, opened in a fresh one.
  const link = await p2.evaluate(async () => {
    const m = await import('./pkg/paxoscope.js');
    await m.default();
    // sim::workload::worst_link: 9 nodes all proposing, every message duplicated, latency
    // 1..1,000,000; 10,000 proposals of distinct values, smallest last; automatic steps to 50,000.
    const sim = new m.Simulation({ nodes: 9, proposers: [1, 2, 3, 4, 5, 6, 7, 8, 9], policy: { dup_ppm: 1000000, min_latency: 1, max_latency: 1000000 } });
    for (let i = 0; i < 10000; i++) sim.propose(1 + (i % 9), String(10000 - i).padStart(23, '0'));
    sim.run(40000);
    const fragment = sim.shareFragment();
    sim.free();
    return fragment;
  });
  const { page: p3 } = await openPage(browser, server.url);
  const worst = await p3.evaluate(async (fragment) => {
    const m = await import('./pkg/paxoscope.js');
    const w = await m.default();
    const before = w.memory.buffer.byteLength;
    const times = [];
    let hash = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const s = m.Simulation.fromShare(fragment); // throws unless it replays to its hash
      times.push(performance.now() - t0);
      hash = s.hash();
      s.free();
    }
    return { hash, best: Math.min(...times), first: times[0], grown: w.memory.buffer.byteLength - before };
  }, link);
  console.log(`worst link: ${link.length} characters (state hash ${worst.hash}): Chromium opens it in ${(worst.best / 1000).toFixed(3)} s (best of 3; first ${(worst.first / 1000).toFixed(3)} s), wasm memory grew ${(worst.grown / 1e6).toFixed(1)} MB; native ${nativeWorst ? nativeWorst[1] : '?'} s`);

  // 5. Frame cost at step 100 and 5,000.
  const cost = await p2.evaluate(async () => {
    const el = document.querySelector('paxos-scope');
    await el.ready;
    const config = { nodes: 5, proposers: [1, 2], distinguished: true, seed: 3, policy: { loss_ppm: 100000, dup_ppm: 100000, min_latency: 5, max_latency: 50 } };
    const m = await import('./pkg/paxoscope.js');
    const twin = new m.Simulation(config);
    el.reset(config);
    for (const x of [el, twin]) { x.propose(1, 'Green'); x.propose(2, 'Blue'); }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const measure = () => {
      const r = { element: [], core: [], frame: [], snapshot: [] };
      let mark = twin.frame(null).mark;
      for (let i = 0; i < 21; i++) {
        let t = performance.now();
        el.step();
        r.element.push(performance.now() - t);
        t = performance.now();
        twin.step();
        r.core.push(performance.now() - t);
        t = performance.now();
        mark = twin.frame(mark).mark;
        r.frame.push(performance.now() - t);
        t = performance.now();
        twin.snapshot();
        r.snapshot.push(performance.now() - t);
      }
      return { step: twin.snapshot().step, element: median(r.element), core: median(r.core), frame: median(r.frame), snapshot: median(r.snapshot) };
    };
    for (const x of [el, twin]) x.run(90);
    const early = measure();
    for (const x of [el, twin]) x.run(5000 - early.step - 10);
    const late = measure();
    twin.free();
    return [early, late];
  });
  for (const r of cost) {
    console.log(`frame cost at step ${r.step}: sim.frame(mark) ${r.frame.toFixed(2)} ms; frame + applyFrame + views ${Math.max(0, r.element - r.core).toFixed(2)} ms ` +
      `(the element's step ${r.element.toFixed(2)} ms less the core's step ${r.core.toFixed(2)} ms); a complete snapshot ${r.snapshot.toFixed(2)} ms (medians of 21)`);
  }

  // 3. Frame times with 7 nodes and 100 and 200 messages in flight, and one scripted action.
  await framesBench(p2);
}

/**
 * Frame deltas (requestAnimationFrame to requestAnimationFrame) while playing slowly, so that
 * the messages stay in flight and travel along their arrows: 7 nodes, every one proposing
 * until `n` messages are pending. Then one scripted action with 200 in flight (deliver the
 * first message through the element's API): its synchronous time and the time to the next
 * frame after it (style, layout and paint included).
 */
async function framesBench(page) {
  for (const want of [100, 200]) {
    const frames = await page.evaluate(async ({ secs, want }) => {
      const el = document.querySelector('paxos-scope');
      await el.ready;
      el.pause();
      el.reset({ nodes: 7, proposers: [1, 2, 3, 4, 5, 6, 7], policy: { min_latency: 200, max_latency: 400 } });
      for (let i = 0; el.snapshot().messages.length < want; i++) el.propose(1 + (i % 7), `V${i}`);
      const inFlight = el.snapshot().messages.length;
      el.speed = 1;
      el.play();
      const deltas = [];
      let last = performance.now();
      await new Promise((done) => {
        const t0 = last;
        const tick = (now) => {
          deltas.push(now - last);
          last = now;
          if (now - t0 < secs * 1000) requestAnimationFrame(tick); else done();
        };
        requestAnimationFrame(tick);
      });
      el.pause();
      deltas.shift(); // rAF's time is its frame's start, which may precede `last`
      const first = deltas.shift(); // the first frame playing, which lays out every envelope anew
      deltas.sort((a, b) => a - b);
      const q = (f) => deltas[Math.min(deltas.length - 1, Math.floor(deltas.length * f))];
      return { inFlight, after: el.snapshot().messages.length, n: deltas.length, first, p50: q(0.5), p95: q(0.95), max: deltas[deltas.length - 1] };
    }, { secs: SECONDS, want });
    console.log(`frames: 7 nodes, ${frames.inFlight} messages in flight (${frames.after} after), playing: first frame ${frames.first.toFixed(1)} ms, ` +
      `then ${frames.n} frames, p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms (goal p95 <= 16.7 ms)`);
  }
  const action = await page.evaluate(async () => {
    const el = document.querySelector('paxos-scope');
    el.pause();
    el.reset({ nodes: 7, proposers: [1, 2, 3, 4, 5, 6, 7], policy: { min_latency: 200, max_latency: 400 } });
    for (let i = 0; el.snapshot().messages.length < 200; i++) el.propose(1 + (i % 7), `V${i}`);
    const inFlight = el.snapshot().messages.length;
    const paint = () => new Promise((ok) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => ok(); c.port2.postMessage(0); }));
    const sync = [];
    const framed = [];
    for (let i = 0; i < 15; i++) {
      await paint();
      const id = el.snapshot().messages[0].id;
      const t0 = performance.now();
      el.deliver(id);
      sync.push(performance.now() - t0);
      await paint();
      framed.push(performance.now() - t0);
      el.undo();
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { inFlight, sync: med(sync), framed: med(framed) };
  });
  console.log(`scripted action: deliver with ${action.inFlight} in flight: ${action.sync.toFixed(1)} ms in the element's call, ` +
    `${action.framed.toFixed(1)} ms to the next frame painted (medians of 15)`);
}
