// Browser tests for partitions (cut/heal links from the node details panel, cut links drawn on
// the ring, doomed messages) and for outages in the space-time diagram.
// State is checked through el.snapshot(); gestures are real clicks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

// A missing core must fail the tests, not skip them: `make test` builds it first.
const skip = false;

const site = useSite();

const el = 'paxos-scope';

async function open() {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`); // ?free: the empty cluster, not the welcome story
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(async () => {
    const x = document.querySelector('paxos-scope');
    await x.ready;
    window.__errors = [];
    window.addEventListener('paxos-error', (e) => window.__errors.push(e.detail.message));
  });
  return { page, errors };
}

const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);
const banner = (page) => page.locator(`${el} .banner`);

test('cutting links from the node panel partitions node 1; healing one lets Green be chosen', { skip }, async () => {
  const { page, errors } = await open();
  await page.locator(`${el} .node[data-node-id="1"]`).click();
  const details = page.locator(`${el} .details`);
  await details.locator('button[data-link]').first().waitFor(); // the panel's code loads on first use
  assert.equal(await details.isVisible(), true, 'the details panel opens');
  const links = details.locator('button[data-link]');
  assert.deepEqual(await links.evaluateAll((bs) => bs.map((b) => [b.dataset.link, b.textContent])),
    [['1-2', 'Cut link to node 2'], ['1-3', 'Cut link to node 3']]);

  await details.locator('button[data-link="1-2"]').click();
  await details.locator('button[data-link="1-3"]').click();
  let s = await snap(page);
  assert.deepEqual(s.cut, [[1, 2], [1, 3]]);
  assert.equal(await details.locator('button[data-link="1-2"]').textContent(), 'Heal link to node 2');
  assert.equal(await details.locator('button[data-link="1-3"]').textContent(), 'Heal link to node 3');
  // Drawn on the ring: a dashed line and a mark per cut link.
  assert.equal(await page.locator(`${el} .ring line.cut[data-cut="1-2"]`).count(), 1);
  assert.equal(await page.locator(`${el} .ring line.cut[data-cut="1-3"]`).count(), 1);
  assert.equal(await page.locator(`${el} .ring .cut-mark`).count(), 2);

  await details.locator('form.propose input').fill('Green');
  await details.locator('form.propose button[type=submit]').click();
  s = await snap(page);
  const over = s.messages.filter((m) => m.from !== m.to);
  assert.ok(over.length >= 2, 'Prepares to nodes 2 and 3 are pending');
  for (const m of over) {
    assert.match(await page.locator(`${el} .env[data-msg-id="${m.id}"]`).getAttribute('class'), /\bdoomed\b/, `message ${m.id} looks doomed`);
    assert.match(await page.locator(`${el} .arrow[data-arrow-for="${m.id}"]`).getAttribute('class'), /\bdoomed\b/);
  }

  // Clicking an envelope over a cut link: a clear message, nothing changes.
  const before = s.hash;
  await page.locator(`${el} .env[data-msg-id="${over[0].id}"]`).click();
  await banner(page).waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await banner(page).locator('.msg').textContent(), /deliver: .*link between nodes 1 and \d is cut/);
  assert.equal((await snap(page)).hash, before, 'the state is unchanged');
  assert.equal(await page.evaluate(() => window.__errors.length), 1, 'one paxos-error');

  await page.locator(`${el} [data-action=run]`).click();
  s = await snap(page);
  assert.equal(s.chosen, null, 'nothing is chosen while node 1 is cut off');
  assert.deepEqual(s.cut, [[1, 2], [1, 3]]);

  await details.locator('button[data-link="1-2"]').click();
  assert.deepEqual((await snap(page)).cut, [[1, 3]]);
  assert.equal(await details.locator('button[data-link="1-2"]').textContent(), 'Cut link to node 2');
  await page.locator(`${el} [data-action=run]`).click();
  s = await snap(page);
  assert.equal(s.chosen, 'Green', 'with node 2 reachable again, a majority accepts Green');
  assert.deepEqual(errors, []);
  await page.close();
});

test('cutLink/healLink: bad input throws, shows the banner, emits paxos-error and changes nothing', { skip }, async () => {
  const { page, errors } = await open();
  const before = (await snap(page)).hash;
  for (const [m, args, re] of [
    ['cutLink', [1, 1], /^cutLink: .*two different nodes/],
    ['cutLink', [1, 9], /^cutLink: .*no node 9/],
    ['cutLink', ['x', 2], /^cutLink: the node id must be a whole number/],
    ['healLink', [1, 2], /^healLink: .*not cut/],
  ]) {
    const r = await page.evaluate(([mm, a]) => {
      try { document.querySelector('paxos-scope')[mm](...a); return null; } catch (e) { return e instanceof Error ? e.message : 'not an Error'; }
    }, [m, args]);
    assert.match(r ?? 'did not throw', re);
    assert.equal(await banner(page).isVisible(), true);
    assert.match(await banner(page).locator('.msg').textContent(), re);
    assert.equal((await snap(page)).hash, before);
  }
  assert.equal(await page.evaluate(() => window.__errors.length), 4);
  await call(page, 'cutLink', 3, 2);
  assert.deepEqual((await snap(page)).cut, [[2, 3]]);
  assert.equal(await banner(page).isVisible(), false, 'a successful action hides the banner');
  await call(page, 'healLink', 2, 3);
  assert.deepEqual((await snap(page)).cut, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the diagram shows when a node was down', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'setView', 'diagram');
  // The diagram's code loads on first use: wait until it is drawn.
  await page.locator(`${el} [data-view="diagram"] svg.dg`).waitFor();
  await call(page, 'propose', 1, 'Green');
  await call(page, 'crash', 2);
  await call(page, 'step');
  await call(page, 'step');
  const diagram = page.locator(`${el} [data-view="diagram"]`);
  const ongoing = diagram.locator('[data-outage="2"]');
  assert.equal(await ongoing.count(), 1, 'an ongoing outage is drawn up to now');
  const s0 = await snap(page);
  const from = s0.outages[0].from_step;
  assert.equal(await ongoing.locator('title').textContent(), `node 2 down (since step ${from})`);
  await call(page, 'restart', 2);
  const s = await snap(page);
  assert.deepEqual(s.outages.map((o) => o.node), [2]);
  const band = diagram.locator('[data-outage="2"]');
  assert.equal(await band.count(), 1);
  assert.equal(await band.locator('title').textContent(), `node 2 down (steps ${from}–${s.outages[0].to_step})`);
  // On node 2's lane.
  const lane = await diagram.locator('.dg-lane:not(.future)').nth(1).boundingBox();
  const box = await band.boundingBox();
  assert.ok(Math.abs(box.x + box.width / 2 - (lane.x + lane.width / 2)) < 2, 'the band is on node 2\'s lane');
  assert.deepEqual(errors, []);
  await page.close();
});

test('timeout(node, timer) fires that very timer; a timer not running is refused and changes nothing', { skip }, async () => {
  const { page, errors } = await open();
  await page.evaluate(() => document.querySelector('paxos-scope').reset({ nodes: 3, proposers: [1, 2], distinguished: true }));
  await call(page, 'propose', 1, 'Green');
  const timers = (await snap(page)).timers.filter((t) => t.node === 1).map((t) => t.kind).sort();
  assert.deepEqual(timers, ['heartbeat', 'retry'], 'the leader has a heartbeat and a retry timer');
  const before = (await snap(page)).hash;
  for (const [args, re] of [
    [[2, 'retry'], /^timeout: node 2 has no "retry" timer running; running: leader/],
    [[3, 'retry'], /^timeout: node 3 has no timer running/],
    [[1, 7], /^timeout: the timer is a name like "retry"/],
  ]) {
    const r = await page.evaluate((a) => {
      try { document.querySelector('paxos-scope').timeout(...a); return null; } catch (e) { return e instanceof Error ? e.message : 'not an Error'; }
    }, args);
    assert.match(r ?? 'did not throw', re);
    assert.equal((await snap(page)).hash, before);
  }
  await call(page, 'timeout', 1, 'retry');
  const s = await snap(page);
  assert.match(s.log[s.log.length - 1].text, /Node 1's retry timer fires; node 1 sends Prepare/);
  assert.ok(s.timers.some((t) => t.node === 1 && t.kind === 'heartbeat'), 'the heartbeat timer still runs');
  assert.deepEqual(errors, []);
  await page.close();
});
