// Browser tests of the real page (www/index.html + the wasm core) in Chromium.
// Every assertion checks the simulator's state through el.snapshot(); gestures are real
// pointer/keyboard input (page.mouse / page.keyboard), not synthetic DOM events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

// A missing core must fail the tests, not skip them: `make test` builds it first.
const skip = false;

const site = useSite();

/** A fresh page with the element ready; `errors` collects console errors and page errors. */
async function open() {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`); // ?free: the empty cluster, not the welcome story
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(async () => {
    const el = document.querySelector('paxos-scope');
    await el.ready;
    window.__events = [];
    for (const type of ['paxos-change', 'paxos-chosen', 'paxos-violation', 'paxos-error']) {
      // Listen on window: the events bubble and are composed.
      window.addEventListener(type, (e) => window.__events.push({ type, detail: type === 'paxos-change' ? null : JSON.parse(JSON.stringify(e.detail, (k, v) => (k === 'error' ? undefined : v))) }));
    }
  });
  return { page, errors };
}

const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);
const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => e.type === t), type);

function center(box) {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Press on `from`, move in small steps to `to`, release: a real pointer drag. */
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 4, from.y + 4, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

/** After node 1 proposes: one Prepare that goes to another node. */
async function proposeAndPick(page) {
  await call(page, 'propose', 1, 'Green');
  const s = await snap(page);
  const m = s.messages.find((x) => x.kind === 'Prepare' && x.from !== x.to);
  assert.ok(m, `a Prepare to another node after propose: ${JSON.stringify(s.messages)}`);
  return { s, m };
}

test('the page loads with the element, its ring and no console error', { skip }, async () => {
  const { page, errors } = await open();
  const s = await snap(page);
  assert.equal(s.nodes.length, 3);
  assert.equal(await page.locator('paxos-scope [data-node-id]').count(), 3);
  assert.equal(await page.locator('paxos-scope [data-drop-zone]').count(), 1);
  assert.deepEqual(s.messages, []);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging an envelope onto the drop zone drops that message', { skip }, async () => {
  const { page, errors } = await open();
  const { s, m } = await proposeAndPick(page);
  const env = page.locator(`paxos-scope .env[data-msg-id="${m.id}"]`);
  assert.equal(await env.getAttribute('data-msg-kind'), 'Prepare');
  const zone = await page.locator('paxos-scope [data-drop-zone]').boundingBox();
  await drag(page, center(await env.boundingBox()), center(zone));
  const after = await snap(page);
  assert.equal(after.messages.find((x) => x.id === m.id), undefined, 'the dragged message is gone');
  assert.deepEqual(after.messages.map((x) => x.id), s.messages.filter((x) => x.id !== m.id).map((x) => x.id),
    'the other messages are untouched');
  assert.ok(after.nodes.find((n) => n.id === m.to).promised == null, 'it was dropped, not delivered');
  assert.equal(await env.count(), 0, 'its envelope is gone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging an envelope back toward its sender holds it', { skip }, async () => {
  const { page, errors } = await open();
  const { m } = await proposeAndPick(page);
  const env = page.locator(`paxos-scope .env[data-msg-id="${m.id}"]`);
  const sender = await page.locator(`paxos-scope .node[data-node-id="${m.from}"]`).boundingBox();
  await drag(page, center(await env.boundingBox()), center(sender));
  const after = await snap(page);
  assert.equal(after.messages.find((x) => x.id === m.id)?.status, 'held');
  assert.ok(after.nodes.find((n) => n.id === m.to).promised == null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('clicking an envelope delivers it', { skip }, async () => {
  const { page, errors } = await open();
  const { m } = await proposeAndPick(page);
  await page.locator(`paxos-scope .env[data-msg-id="${m.id}"]`).click();
  const after = await snap(page);
  assert.equal(after.messages.find((x) => x.id === m.id), undefined, 'delivered messages leave the queue');
  assert.equal(after.nodes.find((n) => n.id === m.to).promised, m.ballot, 'the receiver promised the ballot');
  assert.ok(after.messages.some((x) => x.kind === 'Promise' && x.from === m.to && x.to === m.from),
    'the receiver answered with a Promise');
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging a queue row reorders delivery (moveBefore)', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'propose', 1, 'Green');
  const before = (await snap(page)).messages.map((x) => x.id);
  assert.ok(before.length >= 3, 'three Prepares are pending');
  const last = before[before.length - 1];
  const row = page.locator(`paxos-scope li.row[data-msg-id="${last}"] .label`);
  const first = await page.locator(`paxos-scope li.row[data-msg-id="${before[0]}"]`).boundingBox();
  await drag(page, center(await row.boundingBox()), { x: first.x + first.width / 2, y: first.y + 4 });
  const after = (await snap(page)).messages.map((x) => x.id);
  assert.deepEqual(after, [last, ...before.slice(0, -1)], 'the last message now goes first');
  const rows = await page.locator('paxos-scope li.row').evaluateAll((els) => els.map((e) => Number(e.dataset.msgId)));
  assert.deepEqual(rows, after, 'the queue shows the new order');
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: Enter delivers, Delete drops, H holds and releases, D duplicates, Alt+Up reorders', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'propose', 1, 'Green');
  let s = await snap(page);
  const b = s.messages.find((x) => x.to === 2);
  const c = s.messages.find((x) => x.to === 3);

  await page.locator(`paxos-scope .env[data-msg-id="${b.id}"]`).focus();
  await page.keyboard.press('Enter');
  s = await snap(page);
  assert.equal(s.messages.find((x) => x.id === b.id), undefined, 'Enter on an envelope delivers it');
  assert.equal(s.nodes.find((n) => n.id === 2).promised, b.ballot);

  await page.locator(`paxos-scope li.row[data-msg-id="${c.id}"]`).focus();
  await page.keyboard.press('Delete');
  s = await snap(page);
  assert.equal(s.messages.find((x) => x.id === c.id), undefined, 'Delete on a row drops it');
  assert.ok(s.nodes.find((n) => n.id === 3).promised == null, 'a dropped message is not delivered');

  const a = s.messages[0];
  await page.locator(`paxos-scope li.row[data-msg-id="${a.id}"]`).focus();
  await page.keyboard.press('h');
  assert.equal((await snap(page)).messages.find((x) => x.id === a.id).status, 'held', 'H holds');
  await page.keyboard.press('h');
  assert.equal((await snap(page)).messages.find((x) => x.id === a.id).status, 'in-flight', 'H again releases');

  const count = (await snap(page)).messages.length;
  await page.keyboard.press('d');
  s = await snap(page);
  assert.equal(s.messages.length, count + 1, 'D duplicates');
  const copy = s.messages.find((x) => x.id !== a.id && x.kind === a.kind && x.from === a.from && x.to === a.to);
  assert.ok(copy, 'the copy has the same kind and route');

  const order = s.messages.map((x) => x.id);
  const lastId = order[order.length - 1];
  await page.locator(`paxos-scope li.row[data-msg-id="${lastId}"]`).focus();
  await page.keyboard.press('Alt+ArrowUp');
  const moved = (await snap(page)).messages.map((x) => x.id);
  assert.deepEqual(moved, [...order.slice(0, -2), lastId, order[order.length - 2]], 'Alt+Up moves it one place earlier');
  assert.equal(await page.evaluate(() => document.querySelector('paxos-scope').shadowRoot.activeElement?.dataset.msgId),
    String(lastId), 'focus stays on the moved row');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a node can be crashed and restarted from its details', { skip }, async () => {
  const { page, errors } = await open();
  await page.locator('paxos-scope .node[data-node-id="3"]').click();
  const details = page.locator('paxos-scope section.details');
  await details.getByRole('button', { name: 'Crash' }).waitFor(); // the panel's code loads on first use
  assert.equal(await details.isVisible(), true, 'clicking a node opens its details');
  await details.getByRole('button', { name: 'Crash' }).click();
  assert.equal((await snap(page)).nodes.find((n) => n.id === 3).up, false);
  assert.equal(await page.locator('paxos-scope .node.down[data-node-id="3"]').count(), 1, 'it looks crashed');
  await details.getByRole('button', { name: 'Restart' }).click();
  assert.equal((await snap(page)).nodes.find((n) => n.id === 3).up, true);
  assert.equal(await page.locator('paxos-scope .node.down').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('proposing a value and running to the end chooses it and fires paxos-chosen once', { skip }, async () => {
  const { page, errors } = await open();
  await page.locator('paxos-scope .node[data-node-id="1"]').click();
  const details = page.locator('paxos-scope section.details');
  await details.getByRole('textbox').fill('Blue');
  await details.getByRole('button', { name: 'Propose' }).click();
  assert.ok((await snap(page)).messages.length > 0, 'the proposal sent messages');
  await page.locator('paxos-scope header').getByRole('button', { name: 'Run' }).click();
  const s = await snap(page);
  assert.equal(s.chosen, 'Blue');
  assert.deepEqual(s.violations, []);
  for (const n of s.nodes) assert.equal(n.learned, 'Blue', `node ${n.id} learned the value`);
  const chosen = await events(page, 'paxos-chosen');
  assert.equal(chosen.length, 1, 'paxos-chosen fired exactly once');
  assert.equal(chosen[0].detail.value, 'Blue');
  assert.equal(typeof chosen[0].detail.step, 'number');
  assert.ok((await events(page, 'paxos-change')).length >= 2, 'paxos-change fired on each change');
  assert.equal(await page.locator('paxos-scope .prop.broken').count(), 0, 'the safety panel is green');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad action throws a clear error, shows it, emits paxos-error and changes nothing', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'propose', 1, 'Green');
  const before = await snap(page);
  const result = await page.evaluate(() => {
    const el = document.querySelector('paxos-scope');
    const out = [];
    for (const f of [() => el.deliver(9999), () => el.crash(42), () => el.propose(1, ''), () => el.moveBefore('x', 1)]) {
      try {
        f();
        out.push(null);
      } catch (e) {
        out.push({ isError: e instanceof Error, message: e.message });
      }
    }
    return out;
  });
  for (const r of result) {
    assert.ok(r && r.isError, 'each bad call throws an Error');
    assert.ok(r.message.length > 10, `the message says what is wrong: ${r.message}`);
  }
  assert.match(result[0].message, /9999/, 'the message names the missing message');
  assert.match(result[1].message, /42/, 'the message names the missing node');
  const after = await snap(page);
  assert.equal(after.step, before.step);
  assert.equal(after.hash, before.hash);
  assert.deepEqual(after.messages, before.messages);
  assert.deepEqual(after.nodes, before.nodes);
  const banner = page.locator('paxos-scope .banner');
  assert.equal(await banner.isVisible(), true, 'an error banner is shown');
  assert.equal(await banner.locator('.msg').textContent(), result[3].message, 'it shows the latest error');
  const errs = await events(page, 'paxos-error');
  assert.equal(errs.length, 4, 'one paxos-error per failure');
  assert.equal(errs[0].detail.message, result[0].message);
  assert.deepEqual(errors, [], 'failures are reported in the banner, not on the console');
  await page.close();
});

test('a touch drag (pointer events from touch) drops the envelope too', { skip }, async () => {
  const { page, errors } = await open();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  const { m } = await proposeAndPick(page);
  const from = center(await page.locator(`paxos-scope .env[data-msg-id="${m.id}"]`).boundingBox());
  const to = center(await page.locator('paxos-scope [data-drop-zone]').boundingBox());
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  for (let i = 1; i <= 10; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove', touchPoints: [{ x: from.x + ((to.x - from.x) * i) / 10, y: from.y + ((to.y - from.y) * i) / 10 }],
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const after = await snap(page);
  assert.equal(after.messages.find((x) => x.id === m.id), undefined, 'the touched message is gone');
  assert.ok(after.nodes.find((n) => n.id === m.to).promised == null, 'dropped, not delivered');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an unsafe story breaks safety: red panel, paxos-violation with the new violations', { skip }, async (t) => {
  const { page, errors } = await open();
  const names = await page.evaluate(() => document.querySelector('paxos-scope').scenarioNames());
  const story = names.find((n) => n.startsWith('bug-'));
  if (!story) {
    t.skip('the core has no unsafe story');
    await page.close();
    return;
  }
  await call(page, 'loadScenario', story);
  const start = await snap(page);
  assert.equal(start.step, 0, 'a story starts at its first step');
  assert.ok(start.config.bug, 'an unsafe story runs a broken variant');
  assert.equal(await page.locator('paxos-scope .unsafe').isVisible(), true, 'the UNSAFE label is shown');
  await call(page, 'seek', start.trace_len);
  const s = await snap(page);
  assert.ok(s.violations.length > 0, `${story} ends with a violation`);
  const ev = await events(page, 'paxos-violation');
  assert.equal(ev.length, 1);
  assert.deepEqual(ev[0].detail.map((v) => v.property), s.violations.map((v) => v.property));
  const broken = page.locator('paxos-scope .prop.broken');
  assert.ok(await broken.count() > 0, 'the broken property is red');
  assert.match(await broken.first().textContent(), new RegExp(s.violations[0].explanation.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the controls set the network policy and start a new cluster (kept across the reset)', { skip }, async () => {
  const { page, errors } = await open();
  const el = page.locator('paxos-scope');
  await el.locator('summary', { hasText: 'Network' }).click();
  await el.locator('input[name=loss]').focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  let s = await snap(page);
  assert.match(s.log[s.log.length - 1].text, /10% loss/, 'setPolicy was recorded with 10% loss');
  assert.equal(await el.locator('input[name=loss]').inputValue(), '10', 'the slider shows the policy in force');

  await el.locator('summary', { hasText: 'New cluster' }).click();
  await el.locator('input[name=nodes][value="5"]').check();
  await el.locator('.proposers input[value="2"]').check();
  await el.locator('input[name=distinguished]').check();
  const bug = await el.locator('select[name=bug] option').nth(1).getAttribute('value');
  await el.locator('select[name=bug]').selectOption(bug);
  assert.match(await el.locator('.unsafe-note').textContent(), /UNSAFE/);
  await el.getByRole('button', { name: 'Start new cluster' }).click();
  s = await snap(page);
  assert.equal(s.step, 0);
  assert.equal(s.nodes.length, 5);
  assert.deepEqual(s.config.proposers, [1, 2]);
  assert.equal(s.config.distinguished, true);
  assert.equal(s.config.bug, bug);
  assert.equal(s.config.policy.loss_ppm, 100_000, 'the new cluster keeps the policy');
  assert.equal(await el.locator('[data-node-id]').count(), 5);
  assert.match(await el.locator('header .unsafe').textContent(), /UNSAFE/, 'the broken variant is marked unsafe');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the event log follows the run, keeps a reader\'s place, and shows the current story step', { skip }, async () => {
  const { page, errors } = await open();
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const list = () => page.evaluate(() => {
    const l = document.querySelector('paxos-scope').shadowRoot.querySelector('.log-list');
    return { top: l.scrollTop, bottom: l.scrollTop + l.clientHeight, height: l.scrollHeight };
  });
  await call(page, 'propose', 1, 'Green');
  await call(page, 'run', 200);
  await frame();
  let l = await list();
  assert.ok(l.height > l.bottom - l.top + 50, `the log overflows its box: ${JSON.stringify(l)}`);
  assert.ok(l.bottom >= l.height - 4, `scrolled to the end: ${JSON.stringify(l)}`);

  // A reader scrolls up; the next action rebuilds the log but keeps their place.
  await page.evaluate(() => { document.querySelector('paxos-scope').shadowRoot.querySelector('.log-list').scrollTop = 40; });
  await frame();
  await call(page, 'crash', 3);
  await frame();
  l = await list();
  assert.equal(l.top, 40, 'the reader\'s place is kept');
  // Back at the end, the log follows again.
  await page.evaluate(() => { const l = document.querySelector('paxos-scope').shadowRoot.querySelector('.log-list'); l.scrollTop = l.scrollHeight; });
  await frame();
  await call(page, 'restart', 3);
  await frame();
  l = await list();
  assert.ok(l.bottom >= l.height - 4, `following the end again: ${JSON.stringify(l)}`);

  // A story with steps ahead: the current step and the next are in view.
  await call(page, 'loadScenario', 'dueling-proposers');
  for (let i = 0; i < 30; i++) await call(page, 'redo');
  await frame();
  const inView = await page.evaluate(() => {
    const l = document.querySelector('paxos-scope').shadowRoot.querySelector('.log-list');
    const next = l.querySelector('.future');
    const box = l.getBoundingClientRect(), n = next.getBoundingClientRect();
    return n.top >= box.top - 1 && n.bottom <= box.bottom + 1 && l.scrollTop > 0;
  });
  assert.ok(inView, 'the next story step is scrolled into view');
  assert.deepEqual(errors, []);
});
