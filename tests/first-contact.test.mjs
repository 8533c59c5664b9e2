// First contact (issue 11): www/index.html with no query and no fragment opens a short story
// with an obvious first action ("Press Next to begin"), or free play; any query or fragment
// opens exactly what it names, as before, with no welcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openPage } from './harness.mjs';

const site = useSite();
const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());

async function open(suffix = '') {
  const { page, errors } = await openPage(site.browser, site.server.url + suffix, { context: { viewport: { width: 1280, height: 800 } } });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}

test('the bare page opens the happy-path story under a welcome; Enter on "Press Next to begin" takes step 1 and keeps going from the keyboard', async () => {
  const { page, errors } = await open();
  await page.waitForFunction(() => document.querySelector('paxos-scope').snapshot().scenario === 'happy-path');
  const welcome = page.getByRole('region', { name: 'Paxos you can hold in your hands' });
  await welcome.waitFor({ state: 'visible' });
  assert.equal((await snap(page)).step, 0);
  assert.equal(await page.locator('paxos-scope .caption').isVisible(), true, 'the story caption shows');
  const start = welcome.getByRole('button', { name: 'Press Next to begin ▶' });
  const box = await start.boundingBox();
  assert.ok(box && box.y < 200, 'the first action is at the top of the page');

  // The keyboard: Tab reaches the call to action first, Enter begins.
  await page.keyboard.press('Tab');
  assert.equal(await start.evaluate((b) => b === document.activeElement), true, 'the first Tab stop');
  await page.keyboard.press('Enter');
  assert.equal((await snap(page)).step, 1);
  await welcome.waitFor({ state: 'hidden' });
  // Focus moved to the widget's Next: Enter again takes step 2.
  await page.keyboard.press('Enter');
  assert.equal((await snap(page)).step, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the welcome goes when the story is begun inside the widget; "Free play" opens the empty cluster', async () => {
  const { page, errors } = await open();
  await page.waitForFunction(() => document.querySelector('paxos-scope').snapshot().scenario === 'happy-path');
  const welcome = page.locator('#welcome');
  await welcome.waitFor({ state: 'visible' });
  await page.locator('paxos-scope').getByRole('button', { name: 'Next ▶' }).click();
  await welcome.waitFor({ state: 'hidden' });
  assert.equal((await snap(page)).step, 1);
  await page.close();

  const again = await open();
  await again.page.locator('#welcome').waitFor({ state: 'visible' });
  await again.page.getByRole('link', { name: 'Free play' }).click();
  await again.page.waitForURL(/\?free$/);
  await again.page.evaluate(() => document.querySelector('paxos-scope').ready);
  const s = await snap(again.page);
  assert.equal(s.scenario ?? null, null, 'no story');
  assert.equal(s.step, 0);
  assert.equal(s.nodes.length, 3);
  assert.equal(await again.page.locator('#welcome').isHidden(), true);
  assert.deepEqual([...errors, ...again.errors], []);
  await again.page.close();
});

test('links with a query or a fragment open what they name, with no welcome', async () => {
  const story = await open('?scenario=dueling-proposers');
  await story.page.waitForFunction(() => document.querySelector('paxos-scope').snapshot().scenario === 'dueling-proposers');
  assert.equal(await story.page.locator('#welcome').isHidden(), true);
  // A share link made on free play opens that state exactly.
  const free = await open('?free');
  await free.page.evaluate(() => { const el = document.querySelector('paxos-scope'); el.run(3); });
  const made = await snap(free.page);
  const link = await free.page.evaluate(() => document.querySelector('paxos-scope').shareUrl());
  const shared = await open(`#${link.split('#')[1]}`);
  await shared.page.waitForFunction((h) => document.querySelector('paxos-scope').snapshot().hash === h, made.hash);
  assert.equal((await snap(shared.page)).scenario ?? null, null);
  assert.equal(await shared.page.locator('#welcome').isHidden(), true);
  assert.deepEqual([...story.errors, ...free.errors, ...shared.errors], []);
  for (const p of [story, free, shared]) await p.page.close();
});
