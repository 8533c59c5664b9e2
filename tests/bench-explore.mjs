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
import { existsSync, statSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, WWW, startServer, launchBrowser, openPage } from './harness.mjs';

const MAX_STATES = Number(process.argv[2] ?? 3_000_000);
const CLI = join(ROOT, 'target', 'release', 'paxoscope');
const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((t, d) => {
  const p = join(dir, d.name);
  return Math.max(t, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
}, 0);
if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'crate', 'src'))) {
  execFileSync('cargo', ['build', '--release', '-q', '--bin', 'paxoscope'], { cwd: ROOT, stdio: 'inherit' });
}

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
const bounds = { rounds: 2, drops: true, crashes: 1, maxStates: MAX_STATES };

/** One search in the page: its outcome, ms to the first progress with states, the frames. */
async function search() {
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

const cold = await search();
const warm = await search();
await browser.close();
await server.close();

const dir = mkdtempSync(join(tmpdir(), 'paxoscope-bench-'));
const file = join(dir, 'start.json');
writeFileSync(file, trace);
const args = ['check', '--from', file, '--max-round', String(warm.o.max_round), '--drops', '--crashes', '1',
  '--max-states', String(MAX_STATES), '--threads', '1'];
let out;
try {
  out = execFileSync(CLI, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch (e) {
  out = String(e.stdout);
}
const m = /^explored (\d+) states and \d+ transitions to depth \d+ in ([\d.]+) s \((\d+) states\/s/m.exec(out);
if (!m) throw new Error(`cannot read the CLI's figures:\n${out}`);
const native = { states: Number(m[1]), rate: Number(m[3]) };

const rate = (r) => (r.o.states * 1000) / r.o.ms;
const n = (x) => Math.round(x).toLocaleString('en-US');
console.log(`explorer from a run's current step (3 nodes, proposers 1 and 2 asked once; rounds up to ${warm.o.max_round}, drops, 1 crash, budget ${n(MAX_STATES)} states)`);
console.log(`  worker (wasm, 1 thread): ${n(warm.o.states)} states in ${(warm.o.ms / 1000).toFixed(2)} s, ${n(rate(warm))} states/s (first search ${n(rate(cold))} states/s), verdict ${warm.o.verdict}, tables ${(warm.o.bytes / 1e6).toFixed(1)} MB, wasm memory ${(warm.o.memory / 1e6).toFixed(1)} MB`);
console.log(`  native CLI (1 thread):   ${n(native.states)} states, ${n(native.rate)} states/s`);
if (native.states !== warm.o.states) console.log(`  NOTE: the two searches counted different states (${native.states} vs ${warm.o.states})`);
console.log(`  ratio worker/native: ${(rate(warm) / native.rate).toFixed(2)}`);
console.log(`  first progress update: ${cold.first?.toFixed(0)} ms on a page's first search (chunk, worker and wasm loaded), ${warm.first?.toFixed(0)} ms on the next`);
console.log(`  main thread while searching: longest frame gap ${warm.longest.toFixed(0)} ms (first search ${cold.longest.toFixed(0)} ms); long tasks over 50 ms: ${warm.long.length} (first search ${cold.long.length}${cold.long.length ? `, longest ${Math.max(...cold.long).toFixed(0)} ms` : ''})`);
