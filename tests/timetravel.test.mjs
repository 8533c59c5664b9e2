// Browser tests for time travel, the guided scenarios, the space-time diagram, share links
// and trace files (www/timetravel.js, diagram.js, timeline.js, share.js, page.js).
// State is checked through el.snapshot(); gestures are real mouse/keyboard input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { WWW, cli, startServer, launchBrowser, openPage } from './harness.mjs';

const root = process.env.PAXOSCOPE_WWW || WWW;
// A missing core must fail the tests, not skip them: `make test` builds it first.
const skip = false;

const OUTCOMES = {
  'happy-path': { chosen: 'Green' },
  'proposer-fails-before-accept': { chosen: 'Blue' },
  'proposer-fails-during-accept': { chosen: 'Green' },
  'acceptor-fails': { chosen: 'Green' },
  'dueling-proposers': { chosen: null },
  'distinguished-proposer': { chosen: 'Green' },
  'lossy-network': { chosen: 'Green' },
  'bug-acceptor-forgets': { violation: 'at-most-one' },
  'bug-proposer-ignores-promises': { violation: 'at-most-one' },
  'bug-minority-quorum': { violation: 'learned-chosen' },
  'bug-accept-below-promise': { violation: 'at-most-one' },
  'bug-proposer-forgets-round': { violation: 'at-most-one' },
  'leader-election': { chosen: 'Leader 2' },
  'multi-paxos-steady-leader': { chosen: 'Green#4.1' },
  'multi-paxos-leader-fails': { chosen: 'Green#1.1' },
  'multi-paxos-partition': { chosen: 'Blue#2.1' },
  'multi-paxos-lagging-replica': { chosen: 'Green#1.1' },
  'multi-paxos-retried-command': { chosen: 'Green#4.1' },
  'spc-commit': { chosen: 'Green' },
  'spc-coordinator-fails-before-informing': { chosen: 'Blue' },
  'spc-coordinator-fails-after-informing': { chosen: 'Green' },
  'spc-two-coordinators': { violation: 'at-most-one' },
  // Commit protocols: nothing is chosen (they decide); 3PC's partition breaks agreement.
  '2pc-coordinator-dies': { chosen: null },
  '3pc-partition': { violation: 'agreement' },
  'paxos-commit-survives': { chosen: 'Prepared' },
  // Multi-Paxos's broken variants: each shortest counterexample, opened in the page.
  'bug-new-leader-skips-phase1': { violation: 'at-most-one' },
  'bug-noop-overwrites': { violation: 'at-most-one' },
  'bug-apply-out-of-order': { violation: 'same-sequence' },
};

let server;
let browser;
let tmp;
before(async () => {
  if (skip) return;
  server = await startServer({ root });
  browser = await launchBrowser();
  tmp = mkdtempSync(join(tmpdir(), 'paxoscope-tt-'));
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page at `suffix` (e.g. '?scenario=x' or '#fragment'; default ?free, the empty cluster) with the element ready. */
async function open(suffix = '?free', { width = 1280, height = 800 } = {}) { // ?free: the empty cluster, not the welcome story
  const { page, errors } = await openPage(browser, server.url + suffix);
  await page.setViewportSize({ width, height });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}

const el = 'paxos-scope';
const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);
const banner = (page) => page.locator(`${el} .banner`);

/** The state without what depends on the redo buffer (which undo fills). */
function state(s) {
  const { can_undo: _u, can_redo: _r, trace_len: _t, log: _l, ...rest } = s;
  return JSON.stringify(rest);
}

/** Hide the banner, run `act`, then wait for the banner to show again; returns its text. */
async function expectBanner(page, act) {
  await page.evaluate(() => { document.querySelector('paxos-scope').shadowRoot.querySelector('.banner').hidden = true; });
  await act();
  await banner(page).waitFor({ state: 'visible', timeout: 5000 });
  return banner(page).locator('.msg').textContent();
}

function center(box) {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

// ------------------------------------------------------------------ scenarios

test('every built-in scenario opens at step 0 and ends as its story says', { skip }, async () => {
  const { page, errors } = await open();
  const names = await call(page, 'scenarioNames');
  assert.deepEqual([...names].sort(), Object.keys(OUTCOMES).sort(), 'the core offers exactly these scenarios');
  for (const [name, want] of Object.entries(OUTCOMES)) {
    await call(page, 'loadScenario', name);
    const start = await snap(page);
    assert.equal(start.step, 0, `${name} starts at step 0`);
    assert.equal(start.scenario, name);
    assert.ok(start.trace_len > 0 && start.can_redo, `${name} has its story ahead`);
    assert.ok(start.caption, `${name} has a caption at step 0`);
    await call(page, 'seek', start.trace_len);
    const s = await snap(page);
    assert.equal(s.step, start.trace_len);
    if ('chosen' in want) {
      assert.equal(s.chosen, want.chosen, `${name}: chosen value`);
      assert.deepEqual(s.violations, [], `${name} is safe`);
    } else {
      assert.ok(s.violations.some((v) => v.property === want.violation),
        `${name}: violation ${want.violation}, got ${JSON.stringify(s.violations.map((v) => v.property))}`);
      assert.ok(await page.locator(`${el} .prop.broken[data-property="${want.violation}"]`).count() > 0, `${name}: the property is red`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('?scenario=NAME opens that story; an unknown name says so and keeps the default cluster', { skip }, async () => {
  const { page, errors } = await open('?scenario=dueling-proposers');
  await page.waitForFunction(() => document.querySelector('paxos-scope').snapshot().scenario === 'dueling-proposers');
  assert.equal((await snap(page)).step, 0);
  assert.equal(await page.locator(`${el} .caption`).isVisible(), true, 'the caption bar shows the story');
  await page.close();

  const plain = await open();
  const fresh = await snap(plain.page);
  await plain.page.close();
  const bad = await open('?scenario=no-such-story');
  await banner(bad.page).waitFor({ state: 'visible' });
  assert.match(await banner(bad.page).textContent(), /unknown scenario "no-such-story".*happy-path/);
  const s = await snap(bad.page);
  assert.equal(s.hash, fresh.hash, 'the default cluster stays');
  assert.equal(s.scenario ?? null, null);
  assert.deepEqual([...errors, ...bad.errors], []);
  await bad.page.close();
});

// ------------------------------------------------------------------ time travel

test('undo and redo return to identical snapshots (buttons and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y)', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'propose', 1, 'Green');
  const states = [await snap(page)];
  for (let i = 0; i < 4; i++) {
    const s = await snap(page);
    await call(page, i === 2 ? 'drop' : 'deliver', s.messages[i === 1 ? 1 : 0].id);
    states.push(await snap(page));
  }
  const top = states[states.length - 1];

  await call(page, 'undo');
  let s = await snap(page);
  assert.equal(s.hash, states[3].hash);
  assert.equal(state(s), state(states[3]), 'undo gives back the previous state exactly');
  await call(page, 'redo');
  s = await snap(page);
  assert.equal(s.hash, top.hash);
  assert.equal(JSON.stringify(s), JSON.stringify(top), 'undo then redo: the very same snapshot');

  // Keyboard, with focus inside the element (on the Step button).
  await page.locator(`${el} header button[data-action=step]`).focus();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  s = await snap(page);
  assert.equal(s.step, top.step - 2, 'Ctrl+Z twice');
  assert.equal(state(s), state(states[2]));
  await page.keyboard.press('Control+Shift+Z');
  assert.equal(state(await snap(page)), state(states[3]), 'Ctrl+Shift+Z redoes');
  await page.keyboard.press('Control+y');
  assert.equal(JSON.stringify(await snap(page)), JSON.stringify(top), 'Ctrl+Y redoes');

  // The header buttons.
  await page.locator(`${el} header`).getByRole('button', { name: 'Undo' }).click();
  assert.equal((await snap(page)).hash, states[3].hash);
  await page.locator(`${el} header`).getByRole('button', { name: 'Redo' }).click();
  assert.equal((await snap(page)).hash, top.hash);
  // After a click on a blank part of the ring, Ctrl+Z still reaches the element.
  await page.locator(`${el} .stage`).click({ position: { x: 6, y: 6 } });
  await page.keyboard.press('Control+z');
  assert.equal((await snap(page)).hash, states[3].hash, 'Ctrl+Z after clicking the stage');
  await page.keyboard.press('Control+y');

  // Acting in the past starts a new future.
  await call(page, 'seek', 1);
  s = await snap(page);
  assert.equal(s.trace_len, top.step, 'seeking keeps the future');
  await call(page, 'drop', s.messages[0].id);
  s = await snap(page);
  assert.equal(s.step, 2);
  assert.equal(s.trace_len, 2, 'an action in the past truncates the old future');
  assert.equal(s.can_redo, false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the scrubber, the log and seek() move through time; a bad seek changes nothing', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'loadScenario', 'happy-path');
  const len = (await snap(page)).trace_len;
  const range = page.locator(`${el} input.scrub`);
  assert.equal(await range.getAttribute('max'), String(len));
  await range.focus();
  await page.keyboard.press('End');
  assert.equal((await snap(page)).step, len, 'End on the scrubber goes to the last step');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await snap(page)).step, len - 2, 'the arrow keys step back');
  assert.equal(await page.locator(`${el} .scrub-out`).textContent(), `${len - 2} / ${len}`);

  // Click a line of the event log: jump to that step.
  await page.locator(`${el} .log-list li[data-step="5"] .what`).click();
  let s = await snap(page);
  assert.equal(s.step, 5, 'clicking log line #5 seeks to step 5');
  assert.equal(await page.locator(`${el} .log-list li.current`).getAttribute('data-step'), '5');
  assert.equal(s.trace_len, len, 'the story is still ahead');

  // Click the scrubber itself near its right end.
  const box = await range.boundingBox();
  await page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
  assert.equal((await snap(page)).step, len);

  const before = await snap(page);
  const err = await page.evaluate((n) => {
    try {
      document.querySelector('paxos-scope').seek(n);
      return null;
    } catch (e) {
      return e.message;
    }
  }, len + 5);
  assert.match(err, /seek/);
  s = await snap(page);
  assert.equal(s.hash, before.hash);
  assert.equal(s.step, before.step);
  assert.equal(await banner(page).isVisible(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

// ------------------------------------------------------------------ the diagram

test('the space-time diagram: lanes, arrows, hover titles, shared selection; dragging an open arrowhead reorders deliveries', { skip }, async () => {
  const { page, errors } = await open();
  await page.locator(`${el} .seg label`, { hasText: 'Diagram' }).click();
  const diagram = page.locator(`${el} [data-view="diagram"]`);
  await diagram.locator('svg.dg').waitFor(); // its code loads on first use
  assert.equal(await diagram.isVisible(), true, 'the diagram is shown');
  assert.equal(await page.locator(`${el} .stage`).isVisible(), false, 'the ring is hidden in diagram view');
  await call(page, 'propose', 1, 'Green');
  let s = await snap(page);
  await call(page, 'deliver', s.messages.find((m) => m.to === 1).id); // a delivered arrow
  await call(page, 'drop', (await snap(page)).messages.find((m) => m.to === 3).id); // a dropped one
  s = await snap(page);
  const order = s.messages.map((m) => m.id);
  assert.ok(order.length >= 2, `two or more pending: ${JSON.stringify(s.messages)}`);
  assert.equal(await diagram.locator('.dg-msg').count(), s.history.length, 'one arrow per message ever sent');
  assert.equal(await diagram.locator('.dg-msg.fate-dropped .dg-cross').count(), 1, 'the dropped one ends in a cross');
  assert.equal(await diagram.locator('.dg-head').count(), order.length, 'one open arrowhead per pending message');
  const first = s.messages[0];
  assert.equal(await diagram.locator(`.dg-msg[data-msg-id="${first.id}"]`).getAttribute('data-msg-kind'), first.kind);
  assert.match(await diagram.locator(`.dg-msg[data-msg-id="${first.id}"] > title`).textContent(), new RegExp(first.label));

  // Real drag: the first open arrowhead below the last one -> delivered last.
  const a = await diagram.locator(`.dg-head[data-msg-id="${order[0]}"] .dg-head-hit`).boundingBox();
  const z = await diagram.locator(`.dg-head[data-msg-id="${order[order.length - 1]}"] .dg-head-hit`).boundingBox();
  const from = center(a);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x, from.y + 6, { steps: 2 });
  await page.mouse.move(from.x, z.y + z.height + 6, { steps: 10 });
  await page.mouse.up();
  s = await snap(page);
  assert.deepEqual(s.messages.map((m) => m.id), [...order.slice(1), order[0]], 'the dragged message is now delivered last');
  const heads = await diagram.locator('.dg-head').evaluateAll((els) => els.map((e) => Number(e.dataset.msgId)));
  assert.deepEqual(heads, s.messages.map((m) => m.id), 'the arrowheads show the new order');

  // Keyboard alternative: Alt+Up on the focused arrowhead moves it one place earlier.
  await diagram.locator(`.dg-head[data-msg-id="${order[0]}"]`).focus();
  await page.keyboard.press('Alt+ArrowUp');
  const now = (await snap(page)).messages.map((m) => m.id);
  assert.deepEqual(now, [...order.slice(1, -1), order[0], order[order.length - 1]]);

  // Both views: selecting an arrow in the diagram highlights that envelope in the ring.
  await page.locator(`${el} .seg label`, { hasText: 'Both' }).click();
  assert.equal(await page.locator(`${el} .stage`).isVisible(), true);
  const pick = now[now.length - 1];
  await diagram.locator(`.dg-head[data-msg-id="${pick}"] .dg-head-hit`).click();
  assert.equal(await page.evaluate(() => document.querySelector('paxos-scope').selectedMessage), pick);
  assert.equal(await diagram.locator(`.dg-msg.selected[data-msg-id="${pick}"]`).count(), 1);
  const stroke = await page.locator(`${el} .env[data-msg-id="${pick}"] .box`).evaluate((e) => getComputedStyle(e).strokeWidth);
  assert.equal(stroke, '3.5px', 'the ring highlights the same message');
  // A delivered message (no longer in the ring) is selected by clicking its arrow.
  const done = (await snap(page)).history.find((r) => r.fate === 'delivered');
  const mid = await diagram.locator(`.dg-msg[data-msg-id="${done.id}"] .dg-line`).evaluate((p) => {
    // A point on its arrow that no other arrow covers.
    for (const f of [0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2]) {
      const pt = p.getPointAtLength(p.getTotalLength() * f).matrixTransform(p.getScreenCTM());
      const top = p.getRootNode().elementFromPoint(pt.x, pt.y);
      if (top && top.closest('.dg-msg') === p.parentNode) return { x: pt.x, y: pt.y };
    }
    return null;
  });
  assert.ok(mid, 'some point of the arrow can be clicked');
  await page.mouse.click(mid.x, mid.y);
  assert.equal(await page.evaluate(() => document.querySelector('paxos-scope').selectedMessage), done.id, 'clicking an arrow selects it');
  assert.match(await diagram.locator('.dg-msg.selected .dg-sel-label').textContent(), new RegExp(done.kind), 'its label is shown on the arrow');
  // ...and focusing an envelope in the ring selects it in the diagram.
  await page.locator(`${el} .env[data-msg-id="${now[0]}"]`).focus();
  assert.equal(await diagram.locator(`.dg-msg.selected[data-msg-id="${now[0]}"]`).count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

// ------------------------------------------------------------------ links

test('a share link replays exactly: same hash and step in a new page; copy link, or the URL by hand', { skip }, async () => {
  const { page, errors } = await open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await call(page, 'loadScenario', 'lossy-network');
  await call(page, 'seek', 30);
  const s0 = await snap(page);
  await call(page, 'drop', s0.messages[s0.messages.length - 1].id); // leave the script: a new future
  await call(page, 'run', 25);
  await call(page, 'undo');
  const want = await snap(page);
  const url = await call(page, 'shareUrl');
  assert.ok(url.startsWith(server.url + '?free#'), url); // the page's own address (?free) and the fragment

  const other = await open(url.slice(server.url.length));
  await other.page.waitForFunction((h) => document.querySelector('paxos-scope').snapshot().hash === h, want.hash, { timeout: 5000 });
  const got = await snap(other.page);
  assert.equal(got.step, want.step);
  assert.equal(got.trace_len, want.trace_len, 'the redo part travels too');
  assert.equal(got.hash, want.hash);
  assert.deepEqual(other.errors, []);
  await other.page.close();

  await page.locator(`${el} button[data-tb=copy]`).click();
  await page.waitForFunction(() => document.querySelector('paxos-scope').shadowRoot.querySelector('.tb-notice').textContent !== '');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url, 'the link is on the clipboard');
  // A browser that refuses the clipboard: the link is shown, selected, to copy by hand.
  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
  await page.locator(`${el} button[data-tb=copy]`).click();
  const field = page.locator(`${el} input.share-url`);
  await field.waitFor({ state: 'visible' });
  assert.equal(await field.inputValue(), url);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a malformed, truncated, oversized or tampered link shows a message and changes nothing', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'loadScenario', 'happy-path');
  await call(page, 'seek', 9);
  const good = (await call(page, 'shareUrl')).split('#')[1];
  await call(page, 'seek', 4);
  const before = await snap(page);
  const mid = Math.floor(good.length / 2);
  const flip = good[mid] === 'A' ? 'B' : 'A';
  const bad = {
    malformed: 'this-is-not-a-paxoscope-link',
    truncated: good.slice(0, mid),
    oversized: `${good}${'A'.repeat(2_000_001)}`,
    tampered: good.slice(0, mid) + flip + good.slice(mid + 1),
  };
  for (const [kind, fragment] of Object.entries(bad)) {
    const text = await expectBanner(page, () => page.evaluate((f) => { location.hash = f; }, fragment));
    assert.match(text, /link/i, `${kind}: the message is about the link: ${text}`);
    const s = await snap(page);
    assert.equal(s.hash, before.hash, `${kind}: the simulation is untouched`);
    assert.equal(s.step, before.step);
  }
  assert.deepEqual(errors, [], 'no console error');
  await page.close();

  // On page load: the message, and the default cluster.
  const plain = await open();
  const fresh = await snap(plain.page);
  await plain.page.close();
  const loaded = await open(`#${bad.truncated}`);
  await banner(loaded.page).waitFor({ state: 'visible' });
  assert.match(await banner(loaded.page).textContent(), /link/i);
  assert.equal((await snap(loaded.page)).hash, fresh.hash);
  assert.deepEqual(loaded.errors, []);
  await loaded.page.close();
});

// ------------------------------------------------------------------ files


const hashIn = (out) => /hash=([0-9a-f]{16})/.exec(out)?.[1];

test('trace files round-trip between the CLI and the page', { skip, timeout: 300_000 }, async () => {
  const bin = cli();
  // CLI export -> page import: the hash the CLI printed.
  const file = join(tmp, 'cli.json');
  const out = execFileSync(bin, ['run', '--scenario', 'bug-minority-quorum', '--export', file, '--quiet'], { encoding: 'utf8' });
  const cliHash = hashIn(out);
  assert.ok(cliHash, out);
  const { page, errors } = await open();
  await page.locator(`${el} input[type=file]`).setInputFiles(file);
  await page.waitForFunction((h) => document.querySelector('paxos-scope').snapshot().hash === h, cliHash, { timeout: 5000 });
  const imported = await snap(page);
  assert.equal(imported.scenario, 'bug-minority-quorum');
  assert.ok(imported.violations.length > 0);

  // Page export (a hand-made run) -> `paxoscope replay` exits 0 with the same hash.
  await call(page, 'reset', { nodes: 5, proposers: [1, 2], seed: 7 });
  await call(page, 'setPolicy', { loss_ppm: 100_000, dup_ppm: 50_000 });
  await call(page, 'propose', 1, 'Green');
  await call(page, 'propose', 2, 'Blue');
  await call(page, 'run', 40);
  const s = await snap(page);
  await call(page, 'drop', s.messages[0].id);
  const want = await snap(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`${el} button[data-tb=export]`).click(),
  ]);
  assert.equal(download.suggestedFilename(), `paxoscope-5-nodes-seed7-step${want.step}.json`);
  const saved = join(tmp, 'page.json');
  await download.saveAs(saved);
  assert.equal(readFileSync(saved, 'utf8'), await call(page, 'exportTrace'), 'the file is exportTrace()');
  const replay = execFileSync(bin, ['replay', saved], { encoding: 'utf8' }); // throws on a non-zero exit
  assert.equal(hashIn(replay.split('\n').filter(Boolean).pop()), want.hash, 'the CLI replays it to the same hash');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a malformed, truncated, oversized or tampered file shows a message and changes nothing', { skip }, async () => {
  const { page, errors } = await open();
  await call(page, 'propose', 1, 'Green');
  await call(page, 'run', 5);
  const good = await call(page, 'exportTrace');
  await call(page, 'undo');
  const before = await snap(page);
  const parsed = JSON.parse(good);
  const tampered = structuredClone(parsed);
  tampered.actions[0].propose[1] = 'Blue';
  const bad = {
    malformed: Buffer.from('this is not a trace'),
    truncated: Buffer.from(good.slice(0, Math.floor(good.length / 2))),
    oversized: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20),
    tampered: Buffer.from(JSON.stringify(tampered)),
  };
  const input = page.locator(`${el} input[type=file]`);
  for (const [kind, buffer] of Object.entries(bad)) {
    const text = await expectBanner(page, () => input.setInputFiles({ name: `${kind}.json`, mimeType: 'application/json', buffer }));
    assert.match(text, kind === 'oversized' ? /16(\.0)? MB/ : /trace/i, `${kind}: ${text}`);
    const s = await snap(page);
    assert.equal(s.hash, before.hash, `${kind}: the simulation is untouched`);
    assert.equal(s.step, before.step);
  }
  // The element API too: a bad trace throws a clear Error.
  const err = await page.evaluate(() => {
    try {
      document.querySelector('paxos-scope').importTrace('{"format":"paxoscope-trace"');
      return null;
    } catch (e) {
      return e instanceof Error && e.message;
    }
  });
  assert.match(err, /importTrace/);
  assert.equal((await snap(page)).hash, before.hash);
  assert.deepEqual(errors, [], 'no console error');
  await page.close();
});
