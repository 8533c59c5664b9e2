// Embedding benchmarks (`make bench`, or `node tests/bench-embed.mjs [runs]`), printing numbers:
//   1. dist/: every file raw and gzipped (gzip -9); the wasm; the JS on the critical path (what
//      a page with one widget fetches before that widget is interactive), the JS loaded on
//      demand (the chunks the element imports on first use: the diagram, the file helpers),
//      the kit's total, and the one-widget page against the budget (100 KB gzipped, aim 80).
//   2. Headless Chromium on localhost: time from navigation start to the first widget
//      interactive (its `paxos-ready` event: wasm fetched, compiled, cluster built and drawn),
//      for a page with one widget and for a page with ten; median, min and max of N fresh loads.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, startServer, launchBrowser } from './harness.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const BUDGET = 100 * 1024;
const AIM = 80 * 1024;
const DIST = join(ROOT, 'dist');

execFileSync('bash', [join(ROOT, 'scripts/dist.sh'), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  }).sort();
}

const sizes = new Map();
for (const f of files(DIST)) {
  const body = readFileSync(f);
  sizes.set(relative(DIST, f), { raw: body.length, gz: gzipSync(body, { level: 9 }).length });
}
const sum = (pred) => [...sizes].filter(([p]) => pred(p)).reduce((a, [, s]) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz }), { raw: 0, gz: 0 });

console.log('dist/ (what an author copies)');
console.log(`  ${pad('file', 28)} ${lpad('raw', 10)} ${lpad('gzip -9', 10)}`);
for (const [p, s] of sizes) console.log(`  ${pad(p, 28)} ${lpad(kb(s.raw), 10)} ${lpad(kb(s.gz), 10)}`);
const all = sum(() => true);
const js = sum((p) => p.endsWith('.js'));
// The explorer (its panel's chunk, its worker, its wasm) loads when first used.
const isExplorer = (p) => p.startsWith('explore') || p === 'paxoscope_explore_bg.wasm';
const wasm = sum((p) => p.endsWith('.wasm') && !isExplorer(p));
const explorer = sum(isExplorer);
console.log(`  ${pad('all files', 28)} ${lpad(kb(all.raw), 10)} ${lpad(kb(all.gz), 10)}`);
console.log(`  ${pad('  JS (*.js)', 28)} ${lpad(kb(js.raw), 10)} ${lpad(kb(js.gz), 10)}`);
console.log(`  ${pad('  wasm (the core)', 28)} ${lpad(kb(wasm.raw), 10)} ${lpad(kb(wasm.gz), 10)}`);
console.log(`  ${pad('  explorer (first use)', 28)} ${lpad(kb(explorer.raw), 10)} ${lpad(kb(explorer.gz), 10)}`);

const server = await startServer({ root: join(ROOT, 'tests/pages'), mounts: { '/paxoscope/': 'dist' } });
const browser = await launchBrowser();

/**
 * One fresh load of `path`: ms from navigation start to the first paxos-ready, the dist files
 * fetched by then, and the ones fetched after (showing the diagram, as a reader might).
 */
async function load(path) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const fetched = new Set();
  let ready = false;
  const later = new Set();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/paxoscope/')) (ready ? later : fetched).add(u.pathname.slice('/paxoscope/'.length));
  });
  await page.addInitScript(() => {
    window.__firstReady = new Promise((ok) => addEventListener('paxos-ready', () => ok(performance.now()), { once: true }));
  });
  await page.goto(server.url + path);
  const ms = await page.evaluate(() => window.__firstReady);
  ready = true;
  const started = await page.evaluate(() => [...document.querySelectorAll('paxos-scope')].filter((e) => e.started).length);
  // Then start every widget on the page at once: the cost of the rest, as if all were in view.
  const allMs = await page.evaluate(async () => {
    const t0 = performance.now();
    await Promise.all([...document.querySelectorAll('paxos-scope')].map((e) => e.start()));
    return performance.now() - t0;
  });
  await page.evaluate(async () => {
    const el = document.querySelector('paxos-scope');
    el.setView('both');
    await new Promise((ok) => setTimeout(ok, 300));
  });
  await context.close();
  return { ms, started, allMs, fetched: [...fetched], later: [...later] };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms (min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)})`;
};

console.log(`\nnavigation -> first widget interactive (paxos-ready), headless Chromium, localhost, ${RUNS} fresh loads each`);
let fetched = [];
let later = [];
for (const [label, path] of [['1 widget ', 'one.html'], ['10 widgets', 'ten.html']]) {
  await load(path); // warm up the browser and the server
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load(path));
  if (path === 'one.html') ({ fetched, later } = runs[0]);
  console.log(`  ${label}: ${stats(runs.map((r) => r.ms))}; started at load: ${runs[0].started} of ${path === 'one.html' ? 1 : 10}; ` +
    `starting all the others then took ${stats(runs.map((r) => r.allMs))}`);
}
await browser.close();
await server.close();

const page = sum((p) => fetched.includes(p));
const critical = sum((p) => fetched.includes(p) && p.endsWith('.js'));
const demand = sum((p) => p.endsWith('.js') && !fetched.includes(p) && p !== 'frame.js' && !isExplorer(p));
const explorerEarly = fetched.filter(isExplorer);
console.log(`\nbytes, gzip -9 (raw):`);
console.log(`  wasm                          ${lpad(kb(wasm.gz), 9)} (${kb(wasm.raw)})`);
console.log(`  JS on the critical path       ${lpad(kb(critical.gz), 9)} (${kb(critical.raw)}): ${fetched.filter((p) => p.endsWith('.js')).join(', ')}`);
console.log(`  JS loaded on demand           ${lpad(kb(demand.gz), 9)} (${kb(demand.raw)}): the chunks fetched on first use; showing the diagram fetched ${later.join(', ') || 'nothing more'}`);
console.log(`  the explorer, on first use    ${lpad(kb(explorer.gz), 9)} (${kb(explorer.raw)}): ${[...sizes.keys()].filter(isExplorer).join(', ')}; ${explorerEarly.length ? `ON THE CRITICAL PATH: ${explorerEarly.join(', ')}` : 'none of it on the critical path'}`);
console.log(`  kit total (dist/, all files)  ${lpad(kb(all.gz), 9)} (${kb(all.raw)})`);
console.log(`  one-widget page               ${lpad(kb(page.gz), 9)} (${kb(page.raw)}): ${fetched.length} files from dist/ before the widget is interactive`);
const verdict = page.gz <= AIM ? 'within the aim' : page.gz <= BUDGET ? 'within the budget, above the aim' : 'OVER BUDGET';
console.log(`budget 100 KB gzipped (aim 80 KB): ${kb(page.gz)} — ${verdict}`);
