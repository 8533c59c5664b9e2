// Browser tests of embedding: dist/ (what an author copies) served under /paxoscope/ next to
// the test pages in tests/pages/ (and www/, for the embedding guide, under /site/), every page
// with a strict Content-Security-Policy (cross.html: plus the other origin it loads from).
// dist/ is re-assembled first when www/ is newer (scripts/dist.sh --if-stale, cheap).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, openPage } from './harness.mjs';

// A missing core must fail the tests, not skip them: `make test` builds it first.
const skip = false;
const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

let server;
let browser;
before(async () => {
  if (skip) return;
  execFileSync('bash', [join(ROOT, 'scripts/dist.sh'), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = await startServer({
    root: join(ROOT, 'tests/pages'),
    mounts: { '/paxoscope/': 'dist', '/site/': 'www' },
    headers: (path) => {
      if (path.endsWith('.wasm') || path.endsWith('.js') || path.endsWith('.css')) return {};
      if (path === '/cross.html') {
        const other = `http://127.0.0.1:${server.port}`;
        return { 'Content-Security-Policy': `default-src 'self'; script-src 'self' ${other} 'wasm-unsafe-eval'; connect-src 'self' ${other}` };
      }
      return { 'Content-Security-Policy': STRICT };
    },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs in the page (every frame) before its scripts: records events, CSP violations and wasm fetches. */
function recorder() {
  window.__events = [];
  window.__csp = [];
  for (const type of ['paxos-ready', 'paxos-change', 'paxos-chosen', 'paxos-violation', 'paxos-error']) {
    addEventListener(type, (e) => window.__events.push({
      type, target: e.target.id || e.target.localName, message: e.detail && e.detail.message,
    }));
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
  });
}

async function open(path, { width = 1000, height = 800, origin = server.url, ...context } = {}) {
  const wasm = [];
  const { page, errors } = await openPage(browser, 'about:blank', {
    context: { viewport: { width, height }, ...context }, init: recorder,
  });
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto(new URL(path, origin).href);
  return { page, errors, wasm };
}

/** Await `ready` of the elements matching `sel` (default: all), within 10 s. */
const ready = (page, sel = 'paxos-scope') => page.evaluate((s) => Promise.race([
  Promise.all([...document.querySelectorAll(s)].map((el) => el.ready.then(() => el.id))),
  new Promise((_, no) => setTimeout(() => no(new Error(`${s}: not ready within 10 s`)), 10_000)),
]), sel);
const snap = (page, id) => page.evaluate((i) => document.getElementById(i).snapshot(), id);
const call = (page, id, method, ...args) => page.evaluate(([i, m, a]) => document.getElementById(i)[m](...a), [id, method, args]);
const banner = (page, id) => page.evaluate((i) => {
  const b = document.getElementById(i).shadowRoot.querySelector('.banner');
  return b.hidden ? null : b.querySelector('.msg').textContent;
}, id);
const shown = (page, id, sel) => page.evaluate(([i, s]) => {
  const e = document.getElementById(i).shadowRoot.querySelector(s);
  return !!e && e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';
}, [id, sel]);
const tick = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));

test('two widgets on a page are independent, and share one fetch of the wasm', { skip }, async () => {
  const { page, errors, wasm } = await open('two.html');
  await page.evaluate(() => [...document.querySelectorAll('paxos-scope')].forEach((el) => el.start()));
  assert.deepEqual(await ready(page), ['a', 'b']);
  let a = await snap(page, 'a');
  let b = await snap(page, 'b');
  assert.equal(a.scenario, 'proposer-fails-during-accept', 'a runs its story');
  assert.equal(a.step, 0);
  assert.equal(b.nodes.length, 5, 'b has its own cluster');
  assert.equal(b.config.seed, 7);
  assert.deepEqual(b.config.proposers, [1, 2]);

  // Each widget's own controls drive only that widget.
  await page.locator('#a').getByRole('button', { name: 'Next ▶' }).click();
  assert.equal((await snap(page, 'a')).step, 1, "a's Next moved a");
  assert.equal((await snap(page, 'b')).step, 0, 'b did not move');
  await call(page, 'b', 'propose', 2, 'Blue');
  await page.locator('#b header').getByRole('button', { name: 'Run' }).click();
  b = await snap(page, 'b');
  assert.equal(b.chosen, 'Blue', 'b ran to a decision');
  a = await snap(page, 'a');
  assert.equal(a.step, 1, 'a is where it was');
  assert.equal(a.chosen, null);
  assert.equal(await shown(page, 'a', '.side'), false, 'a is compact: no side panel');
  assert.equal(await shown(page, 'b', '.side'), true, 'b has the full controls');
  const chosen = await page.evaluate(() => window.__events.filter((e) => e.type === 'paxos-chosen').map((e) => e.target));
  assert.deepEqual(chosen, ['b'], 'events come from the widget they are about');

  assert.equal(wasm.length, 1, `the wasm is fetched once for both: ${wasm.join(', ')}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('attribute changes apply live (one new cluster per burst of changes)', { skip }, async () => {
  const { page, errors } = await open('two.html', { reducedMotion: 'no-preference' });
  await page.evaluate(() => document.getElementById('b').start());
  await ready(page, '#b');
  const changes = () => page.evaluate(() => window.__events.filter((e) => e.type === 'paxos-change' && e.target === 'b').length);
  const before = await changes();
  await page.evaluate(() => {
    const el = document.getElementById('b');
    el.setAttribute('nodes', '3');
    el.setAttribute('seed', '9');
    el.setAttribute('proposers', '1,3');
  });
  await tick(page);
  let b = await snap(page, 'b');
  assert.equal(b.nodes.length, 3);
  assert.equal(b.config.seed, 9);
  assert.deepEqual(b.config.proposers, [1, 3]);
  assert.equal(await changes(), before + 1, 'three attributes set together make one new cluster');

  const bg = () => page.evaluate(() => getComputedStyle(document.getElementById('b').shadowRoot.querySelector('.shell')).color);
  const light = await bg();
  await page.evaluate(() => document.getElementById('b').setAttribute('theme', 'dark'));
  await tick(page);
  assert.notEqual(await bg(), light, 'theme="dark" changes the colours');
  await page.evaluate(() => document.getElementById('b').setAttribute('theme', 'light'));
  await tick(page);
  assert.equal(await bg(), light);

  await page.evaluate(() => document.getElementById('b').setAttribute('controls', 'compact'));
  await tick(page);
  assert.equal(await shown(page, 'b', '.side'), false, 'controls="compact" hides the side panel');
  assert.equal(await shown(page, 'b', 'button[data-action=play]'), true, '... but keeps Play');
  await page.evaluate(() => document.getElementById('b').setAttribute('controls', 'none'));
  await tick(page);
  assert.equal(await shown(page, 'b', 'header'), false, 'controls="none" hides the toolbar');
  assert.equal(await shown(page, 'b', '.stage svg'), true, '... and keeps the ring');

  await page.evaluate(() => document.getElementById('b').setAttribute('height', '420'));
  await tick(page);
  assert.equal(Math.round((await page.locator('#b').boundingBox()).height), 420, 'height="420" is 420 px');
  await page.evaluate(() => document.getElementById('b').setAttribute('height', '20em'));
  await tick(page);
  assert.equal(Math.round((await page.locator('#b').boundingBox()).height), 20 * 14, 'height="20em" (the element is 14 px)');

  await page.evaluate(() => document.getElementById('b').setAttribute('speed', '4'));
  await tick(page);
  assert.equal(await page.evaluate(() => document.getElementById('b').speed), 4);

  await page.evaluate(() => document.getElementById('b').setAttribute('scenario', 'happy-path'));
  await tick(page);
  b = await snap(page, 'b');
  assert.equal(b.scenario, 'happy-path', 'scenario= loads the story');
  assert.equal(b.step, 0);
  assert.equal(await shown(page, 'b', '.caption'), true, 'with its caption');

  await page.evaluate(() => document.getElementById('b').setAttribute('autoplay', ''));
  await tick(page);
  assert.equal(await page.evaluate(() => document.getElementById('b').playing), true, 'autoplay plays');
  await page.waitForFunction(() => document.getElementById('b').snapshot().step >= 1, null, { timeout: 5000 });
  assert.equal((await snap(page, 'b')).scenario, 'happy-path', 'playing a story walks the story');
  await page.evaluate(() => document.getElementById('b').removeAttribute('autoplay'));
  await tick(page);
  assert.equal(await page.evaluate(() => document.getElementById('b').playing), false, 'removing autoplay pauses');

  await page.evaluate(() => document.getElementById('b').setAttribute('view', 'both'));
  await tick(page);
  const view = await page.evaluate(() => document.getElementById('b').view);
  if (view !== undefined) assert.equal(view, 'both', 'view="both" switches the view');
  assert.equal(await banner(page, 'b'), null, 'no error along the way');
  assert.deepEqual(errors, []);
  await page.close();
});

test('it follows prefers-color-scheme (theme= overrides it) and prefers-reduced-motion (autoplay waits)', { skip }, async () => {
  const { page, errors } = await open('one.html', { reducedMotion: 'reduce', colorScheme: 'dark' });
  await page.evaluate(() => document.getElementById('w1').setAttribute('autoplay', ''));
  await ready(page);
  assert.equal(await page.evaluate(() => document.getElementById('w1').playing), false, 'no autoplay with reduced motion');
  const text = () => page.evaluate(() => getComputedStyle(document.getElementById('w1').shadowRoot.querySelector('.shell')).color
    .match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b));
  assert.ok(await text() > 600, 'a dark page: light text');
  await page.evaluate(() => document.getElementById('w1').setAttribute('theme', 'light'));
  await tick(page);
  assert.ok(await text() < 150, 'theme="light": dark text on a dark-preferring page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('invalid attributes show a clear message in the element and fire paxos-error', { skip }, async () => {
  const { page, errors } = await open('invalid.html');
  await page.evaluate(() => [...document.querySelectorAll('paxos-scope')].forEach((el) => el.start()));
  await ready(page);
  const expect = {
    nodes: /1 to 9 nodes, not 12.*default cluster/,
    scenario: /scenario="no-such-story" is not a built-in story; use one of: .*proposer-fails-during-accept/,
    controls: /controls="tiny" is not valid; use full, compact or none/,
    theme: /theme="purple" is not valid; use auto, light, dark or inherit/,
    height: /height="tall" is not valid; use a CSS height such as 480/,
    speed: /speed="fast" is not valid; use a number/,
    view: /view="3d" is not valid; use ring, diagram or both/,
    bug: /bug="everything" is not a known variant; use one of: .*minority-quorum/,
  };
  const evs = await page.evaluate(() => window.__events.filter((e) => e.type === 'paxos-error'));
  for (const [id, re] of Object.entries(expect)) {
    const msg = await banner(page, id);
    assert.match(msg ?? '(no message)', re, `#${id} shows why`);
    assert.ok(evs.some((e) => e.target === id && re.test(e.message)), `#${id} fired paxos-error`);
    assert.equal(await shown(page, id, '.stage svg'), true, `#${id} still shows a cluster, not a blank box`);
  }
  // Fixing the attribute clears the message; a bad live change keeps the cluster running.
  await page.evaluate(() => document.getElementById('controls').setAttribute('controls', 'compact'));
  await tick(page);
  assert.equal(await banner(page, 'controls'), null, 'fixed: the message goes');
  const before = await snap(page, 'controls');
  await page.evaluate(() => document.getElementById('controls').setAttribute('nodes', 'many'));
  await tick(page);
  assert.match(await banner(page, 'controls'), /whole number.*"many".*current cluster is kept/);
  assert.equal((await snap(page, 'controls')).hash, before.hash, 'the cluster is unchanged');
  assert.deepEqual(errors, [], 'reported in the elements, not on the console');
  await page.close();
});

test('a strict Content-Security-Policy page runs with no violation, and styles stay on their side', { skip }, async () => {
  const { page, errors } = await open('csp.html', { height: 3000 });
  await ready(page);
  const frame = page.frames().find((f) => f.url().includes('/frame.html'));
  assert.ok(frame, 'the iframe loaded');
  await frame.evaluate(() => document.querySelector('paxos-scope').ready);
  await page.locator('#a').getByRole('button', { name: 'Next ▶' }).click();
  await call(page, 'b', 'propose', 1, 'Green');
  await call(page, 'b', 'run', 1000);
  assert.equal((await snap(page, 'b')).chosen, 'Green');
  await frame.evaluate(() => document.querySelector('paxos-scope').step());

  const look = await page.evaluate(() => {
    const inner = document.getElementById('b').shadowRoot.querySelector('header button');
    const cs = getComputedStyle(inner);
    const h2 = getComputedStyle(document.querySelector('.bar h2'));
    const pageButton = getComputedStyle(document.querySelector('.bar button'));
    return {
      innerBg: cs.backgroundColor, innerSize: cs.fontSize, innerSpacing: cs.letterSpacing,
      h2Transform: h2.textTransform, barDisplay: getComputedStyle(document.querySelector('.bar')).display,
      pageButtonBg: pageButton.backgroundColor, pageButtonRadius: pageButton.borderTopLeftRadius,
      darkShell: getComputedStyle(document.getElementById('a').shadowRoot.querySelector('.shell')).color,
    };
  });
  assert.notEqual(look.innerBg, 'rgb(255, 105, 180)', "the page's button rule does not reach inside");
  assert.notEqual(look.innerSize, '30px');
  assert.equal(look.innerSpacing, 'normal', "the page's inherited letter-spacing stops at the widget");
  assert.equal(look.h2Transform, 'none', "the widget's h2 rule does not leak out");
  assert.equal(look.barDisplay, 'block', "the widget's .bar rule does not leak out");
  assert.equal(look.pageButtonBg, 'rgb(255, 105, 180)');
  assert.equal(look.pageButtonRadius, '0px', "the widget's button rule does not leak out");
  const [r, g, bl] = look.darkShell.match(/\d+/g).map(Number);
  assert.ok(r + g + bl > 600, `theme="dark": light text (${look.darkShell})`);

  await page.waitForLoadState('networkidle');
  const csp = [...await page.evaluate(() => window.__csp), ...await frame.evaluate(() => window.__csp)];
  assert.deepEqual(csp, [], 'no Content-Security-Policy violation');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the iframe page takes the attributes as query parameters', { skip }, async () => {
  const { page, errors } = await open('iframe.html');
  const frame = page.frames().find((f) => f.url().includes('/frame.html'));
  assert.ok(frame);
  await frame.waitForFunction(() => customElements.get('paxos-scope'));
  await frame.evaluate(() => document.querySelector('paxos-scope').ready);
  const got = await frame.evaluate(() => {
    const el = document.querySelector('paxos-scope');
    const s = el.snapshot();
    return { scenario: s.scenario, controls: el.getAttribute('controls'), theme: el.getAttribute('theme'), speed: el.speed };
  });
  assert.deepEqual(got, { scenario: 'proposer-fails-during-accept', controls: 'compact', theme: 'dark', speed: 2 });
  await frame.locator('paxos-scope').getByRole('button', { name: 'Next ▶' }).click();
  assert.equal(await frame.evaluate(() => document.querySelector('paxos-scope').snapshot().step), 1);
  const box = await page.locator('iframe').boundingBox();
  const el = await frame.locator('paxos-scope').boundingBox();
  assert.ok(Math.abs(el.height - (box.height - 2)) <= 1, `the widget fills the frame (${el.height} in ${box.height})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('ten widgets: only those near the viewport start; scrolling starts the others', { skip }, async () => {
  const { page, errors, wasm } = await open('ten.html', { width: 800, height: 600 });
  await ready(page, '#w1');
  await tick(page);
  const started = () => page.evaluate(() => [...document.querySelectorAll('paxos-scope')].filter((e) => e.started).map((e) => e.id));
  assert.deepEqual(await started(), ['w1'], 'only the visible widget started');
  await page.locator('#w6').scrollIntoViewIfNeeded();
  await ready(page, '#w6');
  const now = await started();
  assert.ok(now.includes('w6') && !now.includes('w10'), `scrolling to w6 started it, not w10: ${now}`);
  assert.equal((await snap(page, 'w6')).config.seed, 6);
  assert.equal(await page.evaluate(() => document.getElementById('w10').shadowRoot.querySelector('.placeholder').textContent),
    'Paxoscope starts when you scroll to it.', 'a widget not started yet says so');
  assert.equal(wasm.length, 1, 'one fetch of the wasm');
  assert.deepEqual(errors, []);
  await page.close();
});

test('hosted on another origin: the assets resolve from the module, not the page', { skip }, async () => {
  const other = `http://127.0.0.1:${server.port}/paxoscope/paxoscope.js`;
  const { page, errors, wasm } = await open(`cross.html?src=${encodeURIComponent(other)}`, { origin: `http://localhost:${server.port}/` });
  await ready(page);
  assert.equal((await snap(page, 'a')).scenario, 'happy-path');
  assert.deepEqual(wasm, [`http://127.0.0.1:${server.port}/paxoscope/paxoscope_bg.wasm`]);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('320 px wide: the widgets fit, nothing sticks out sideways', { skip }, async () => {
  const { page, errors } = await open('two.html', { width: 320, height: 640 });
  await page.evaluate(() => [...document.querySelectorAll('paxos-scope')].forEach((el) => el.start()));
  await ready(page);
  await tick(page);
  const over = await page.evaluate(() => [...document.querySelectorAll('paxos-scope')].map((el) => {
    const box = el.getBoundingClientRect();
    const out = [...el.shadowRoot.querySelectorAll('*')].filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
    }).map((e) => `${e.localName}.${e.className.baseVal ?? e.className}`);
    return { id: el.id, width: box.width, scroll: el.scrollWidth, client: el.clientWidth, out: out.slice(0, 5) };
  }));
  for (const o of over) {
    assert.deepEqual(o.out, [], `#${o.id}: nothing sticks out`);
    assert.ok(o.scroll <= o.client, `#${o.id} does not scroll sideways (${o.scroll} > ${o.client})`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, 'the page does not scroll sideways');
  assert.deepEqual(errors, []);
  await page.close();
});

test("the embedding guide's worked example: prose buttons drive the widget", { skip }, async () => {
  const { page, errors } = await open('site/embed.html');
  const worked = page.locator('#worked');
  await worked.scrollIntoViewIfNeeded();
  await ready(page, '#worked');
  await page.waitForFunction(() => !document.querySelector('[data-do=play]').disabled);
  assert.equal((await snap(page, 'worked')).step, 7, 'the guide put the story at step 7');
  await page.getByRole('button', { name: 'drop the Accept to node 2' }).click();
  let s = await snap(page, 'worked');
  assert.equal(s.messages.filter((m) => m.kind === 'Accept' && m.to === 2).length, 0, 'the Accept to node 2 is gone');
  await page.getByRole('button', { name: 'press play' }).click();
  await page.waitForFunction(() => document.getElementById('worked').snapshot().chosen, null, { timeout: 10_000 });
  s = await snap(page, 'worked');
  assert.equal(s.chosen, 'Green');
  assert.equal(s.nodes.find((n) => n.id === 2).accepted, null, 'chosen without node 2');
  assert.match(await page.locator('[data-out=worked]').textContent(), /Green is chosen at step \d+/);
  await page.getByRole('button', { name: 'start over' }).click();
  assert.equal((await snap(page, 'worked')).step, 7);
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'the guide keeps to the policy it documents');
  assert.deepEqual(errors, []);
  await page.close();
});

test("dist's stylesheets, their CSS minified at build time, hold the same rules as www's", { skip }, async () => {
  // scripts/build-js.mjs minifies the CSS literals of styles.js and styles-views.js; the
  // browser's own serialization of every rule must not tell the two apart.
  const rules = async (path, sel) => {
    const { page, errors } = await open(path);
    await page.locator(sel).scrollIntoViewIfNeeded();
    await ready(page, sel);
    const sheets = await page.evaluate((s) => document.querySelector(s).shadowRoot.adoptedStyleSheets
      .map((sheet) => [...sheet.cssRules].map((r) => r.cssText))
      .filter((texts) => texts.length > 5), sel);
    assert.deepEqual(errors, []);
    await page.close();
    return sheets;
  };
  const dist = await rules('one.html', '#w1');
  const www = await rules('site/embed.html', '#quick');
  assert.equal(www.length, 2, "www's two shared sheets (styles.js, styles-views.js)");
  assert.equal(dist.length, 2);
  // Declarations holding var() are kept as written, so only their spacing may differ.
  const norm = (text) => text.replace(/\s*([,()])\s*/g, '$1');
  for (let i = 0; i < 2; i++) {
    assert.equal(dist[i].length, www[i].length, `sheet ${i}: as many rules`);
    assert.deepEqual(dist[i].map(norm), www[i].map(norm), `sheet ${i}: the same rules`);
  }
});

test("the explorer and 'why' from dist/, under a strict Content-Security-Policy: the bundled worker and its wasm load beside the kit", { skip, timeout: 60_000 }, async () => {
  const { page, errors, wasm } = await open('csp.html', { height: 3000 });
  await ready(page);
  await call(page, 'b', 'propose', 1, 'Green');
  const o = await page.evaluate(() => document.getElementById('b').explore({ goal: 'chosen' }));
  assert.equal(o.verdict, 'chosen', o.text);
  await call(page, 'b', 'run', 1000);
  const r = await page.evaluate(() => document.getElementById('b').why({ chosen: true }));
  assert.equal(r.value, 'Green');
  assert.ok(wasm.some((u) => u.endsWith('/paxoscope/paxoscope_explore_bg.wasm')), wasm.join(', '));
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no Content-Security-Policy violation');
  assert.deepEqual(errors, []);
  await page.close();
});

test('hosted on another origin: the explorer starts its worker from a blob importing the kit\'s (a page must allow blob: workers)', { skip, timeout: 60_000 }, async () => {
  const other = `http://127.0.0.1:${server.port}/paxoscope/paxoscope.js`;
  const { page } = await open(`cross.html?src=${encodeURIComponent(other)}`, { origin: `http://localhost:${server.port}/` });
  await ready(page);
  const msg = await page.evaluate(() => document.getElementById('a').explore({}).then((o) => o.verdict, (e) => `error: ${e.message}`));
  // cross.html's policy names no blob: worker source: refused, in words, and nothing else breaks.
  assert.match(msg, /^error: the explorer's worker failed: .*worker-src blob:/, msg);
  const csp = await page.evaluate(() => window.__csp);
  assert.ok(csp.some((c) => /blob/.test(c)), csp.join('\n'));
  await page.close();
});
