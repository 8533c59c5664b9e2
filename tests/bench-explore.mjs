// The explorer in the page against the native CLI (`make bench`, or
// `node tests/bench-explore.mjs [maxStates]`), printing numbers:
//   - states/s of the search in the Web Worker (wasm, one thread) and of
//     `paxoscope check --from TRACE --threads 1` on the same trace with the same bounds, and
//     their ratio (the same search: the same number of states is checked);
//   - time from explore() to the first progress update with states in it, on the first search
//     of a page (the explorer's chunk, worker and wasm fetched and compiled) and on a second one;
//   - the main thread while the worker searches: the longest gap between animation frames and
//     the long tasks (over 50 ms) seen.
// The page's critical path is measured by tests/bench-embed.mjs (the explorer is not on it).
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { WWW, cli, startServer, launchBrowser, openPage } from './harness.mjs';

// Two searches from the same start: a complete one (each proposer's first round only, drops,
// a crash) and one stopped at the budget (a round more, drops): single-threaded breadth first
// is deterministic, so both sides count the same states in the same order.
const CONFIGS = [
  { rounds: 0, drops: true, crashes: 1, maxStates: 20_000_000 },
  { rounds: 1, drops: true, crashes: 0, maxStates: Number(process.argv[2] ?? 5_000_000) },
];
const CLI = cli();

const server = await startServer({ root: process.env.PAXOSCOPE_WWW || WWW });
const browser = await launchBrowser();
const { page } = await openPage(browser, `${server.url}?free`);
await page.evaluate(() => document.querySelector('paxos-scope').ready);

// The start: 3 nodes, proposers 1 and 2 each asked once, nothing delivered yet.
await page.evaluate(() => {
  const el = document.querySelector('paxos-scope');
  el.reset({ nodes: 3, proposers: [1, 2], seed: 1 });
  el.propose(1, 'Green');
  el.propose(2, 'Blue');
});
const trace = await page.evaluate(() => document.querySelector('paxos-scope').exportTrace());
async function search(bounds) {
  return page.evaluate(async (b) => {
    const el = document.querySelector('paxos-scope');
    const t0 = performance.now();
    let first = null;
    const onProgress = (e) => { if (first == null && e.detail.states > 0) first = performance.now() - t0; };
    el.addEventListener('paxos-explore-progress', onProgress);
    let longest = 0;
    let last = performance.now();
    let running = true;
    const frame = (t) => { longest = Math.max(longest, t - last); last = t; if (running) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    const long = [];
    const po = new PerformanceObserver((l) => { for (const x of l.getEntries()) long.push(x.duration); });
    try { po.observe({ type: 'longtask' }); } catch { /* not supported */ }
    const o = await el.explore(b);
    running = false;
    po.disconnect();
    el.removeEventListener('paxos-explore-progress', onProgress);
    return { o, first, longest, long, total: performance.now() - t0 };
  }, bounds);
}

/** The CLI on the same trace with the same bounds: its states and states/s. */
function native(bounds, maxRound, file) {
  const args = ['check', '--from', file, '--max-round', String(maxRound), '--crashes', String(bounds.crashes),
    '--max-states', String(bounds.maxStates), '--threads', '1', ...(bounds.drops ? ['--drops'] : [])];
  let out;
  try {
    out = execFileSync(CLI, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    out = String(e.stdout);
  }
  const m = /^explored (\d+) states and \d+ transitions to depth \d+ in ([\d.]+) s \((\d+) states\/s/m.exec(out);
  if (!m) throw new Error(`cannot read the CLI's figures:\n${out}`);
  return { states: Number(m[1]), rate: Number(m[3]) };
}

const dir = mkdtempSync(join(tmpdir(), 'paxoscope-bench-'));
const file = join(dir, 'start.json');
writeFileSync(file, trace);
const n = (x) => Math.round(x).toLocaleString('en-US');
const rate = (r) => (r.o.states * 1000) / r.o.ms;
console.log('explorer in the page (Web Worker, wasm, 1 thread) against `paxoscope check --from` (native, 1 thread), from the same run: 3 nodes, proposers 1 and 2 asked once');
let first = true;
for (const bounds of CONFIGS) {
  const cold = await search(bounds);
  const warm = await search(bounds);
  const nat = native(bounds, warm.o.max_round, file);
  console.log(`- rounds up to ${warm.o.max_round}, ${bounds.drops ? 'drops' : 'no drops'}, ${bounds.crashes} crash(es), budget ${n(bounds.maxStates)} states: ${warm.o.verdict}${warm.o.complete ? ' (complete)' : ' (stopped at the budget)'}`);
  console.log(`  worker: ${n(warm.o.states)} states in ${(warm.o.ms / 1000).toFixed(2)} s, ${n(rate(warm))} states/s (the page's ${first ? 'first' : 'previous'} search: ${n(rate(cold))}); tables ${(warm.o.bytes / 1e6).toFixed(1)} MB, wasm memory ${(warm.o.memory / 1e6).toFixed(1)} MB`);
  console.log(`  native: ${n(nat.states)} states, ${n(nat.rate)} states/s${nat.states === warm.o.states ? ' (the same states)' : ` -- NOTE: a different count (${nat.states})`}`);
  console.log(`  ratio worker/native: ${(rate(warm) / nat.rate).toFixed(2)}`);
  console.log(`  first progress update: ${cold.first?.toFixed(0)} ms${first ? " on the page's first search (the explorer's chunk, worker and wasm fetched and compiled)" : ''}, ${warm.first?.toFixed(0)} ms on the next`);
  console.log(`  main thread while it searched: longest gap between frames ${Math.max(cold.longest, warm.longest).toFixed(0)} ms; long tasks (over 50 ms): ${cold.long.length + warm.long.length}`);
  first = false;
}
await browser.close();
await server.close();
