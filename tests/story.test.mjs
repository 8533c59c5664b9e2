// Stories that survive curiosity (issue 11) in Chromium, with the real mouse and keyboard:
// Step means Next in a story, other actions branch and keep the story (the bar, Return, undo),
// the compact embed, focus after every action, the live region, fast-forward to a caption.
// State is checked through el.snapshot().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();
const el = 'paxos-scope';

/** A page at `path` (relative to the site) with the element ready. */
async function open(path = '', { width = 1280, height = 800 } = {}) {
  const { page, errors } = await openPage(site.browser, site.server.url + path);
  await page.setViewportSize({ width, height });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}

const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);
const next = (page) => page.locator(`${el} .caption button[data-action=next]`);
const skipButton = (page) => page.locator(`${el} .caption button[data-action=skip]`);
const stepButton = (page) => page.locator(`${el} header button[data-action=step]`);
const bar = (page) => page.locator(`${el} .branch`);
const captionText = (page) => page.locator(`${el} .caption-text`).textContent();
/** What has the focus: the element's shadow's active element (a description), or 'body'. */
const focused = (page) => page.evaluate(() => {
  const host = document.activeElement;
  if (!host || host.localName !== 'paxos-scope') return host ? host.localName : 'none';
  const a = host.shadowRoot.activeElement;
  if (!a) return 'host only';
  return a.dataset.action ? `button:${a.dataset.action}` : a.className.baseVal ?? a.className;
});

test("the issue's example: Next three times, then Step: the story keeps its 31 steps and Next still works", async () => {
  const { page, errors } = await open('?scenario=proposer-fails-during-accept');
  assert.equal((await snap(page)).trace_len, 31);
  assert.equal(await stepButton(page).textContent(), 'Next', 'in a story, Step reads Next');
  for (let i = 0; i < 3; i++) await next(page).click();
  await stepButton(page).click();
  let s = await snap(page);
  assert.equal(s.step, 4);
  assert.equal(s.trace_len, 31, 'the history keeps 31 steps');
  assert.equal(s.branch, null);
  assert.equal(await next(page).isEnabled(), true, 'Next is still enabled');
  await next(page).click();
  s = await snap(page);
  assert.equal(s.step, 5);
  // The keyboard shortcut: N is Step, which is Next here.
  await next(page).focus();
  await page.keyboard.press('n');
  s = await snap(page);
  assert.equal(s.step, 6);
  assert.equal(s.trace_len, 31);
  assert.equal(await bar(page).isVisible(), false, 'no branch bar: still in the story');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a story survives Run, a click on an envelope and an undo; Return brings it back with its caption', async () => {
  const { page, errors } = await open('?scenario=proposer-fails-during-accept');
  for (let i = 0; i < 3; i++) await next(page).click();
  const caption = await captionText(page);
  // Run: off script; the bar says where the story was left.
  await page.locator(`${el} header button[data-action=run]`).click();
  let s = await snap(page);
  assert.ok(s.step > 3);
  assert.deepEqual(s.branch, { at: 3, steps: 28, story: true });
  assert.equal(await bar(page).isVisible(), true);
  assert.match(await bar(page).textContent(), /You left the story at step 3/);
  assert.match(await captionText(page), /^Off script/);
  assert.equal(await next(page).isEnabled(), false);
  assert.equal(await stepButton(page).textContent(), 'Step', 'off script, Step is a step again');
  // Return to the story.
  await bar(page).getByRole('button', { name: 'Return to the story' }).click();
  s = await snap(page);
  assert.equal(s.step, 3);
  assert.equal(s.trace_len, 31);
  assert.equal(await captionText(page), caption, 'the caption is back');
  assert.equal(await bar(page).isVisible(), false);
  assert.equal(await next(page).isEnabled(), true);
  assert.match(await focused(page), /button:next/, 'the focus goes on to Next');
  // A click on an envelope: delivered, off script; Ctrl+Z (the focus stayed in the element)
  // undoes it, back to the branch point: the story is back.
  const m = s.messages[0];
  await page.locator(`${el} .env[data-msg-id="${m.id}"]`).click();
  s = await snap(page);
  assert.equal(s.step, 4);
  assert.equal(s.branch?.story, true);
  assert.equal(await bar(page).isVisible(), true);
  assert.notEqual(await focused(page), 'body');
  await page.keyboard.press('Control+z');
  s = await snap(page);
  assert.equal(s.step, 3);
  assert.equal(s.trace_len, 31, 'undo back to the branch point brings the story back');
  assert.equal(await captionText(page), caption);
  assert.equal(await bar(page).isVisible(), false);
  assert.equal(await next(page).isEnabled(), true);
  await next(page).click();
  assert.equal((await snap(page)).step, 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the compact embed: Step is Next, a click leaves the story, Return brings it back', async () => {
  const { page, errors } = await open('frame.html?scenario=proposer-fails-during-accept&controls=compact', { width: 700, height: 640 });
  for (let i = 0; i < 3; i++) await stepButton(page).click();
  let s = await snap(page);
  assert.equal(s.step, 3);
  assert.equal(s.trace_len, 31);
  const caption = await captionText(page);
  await page.locator(`${el} .env[data-msg-id="${s.messages[0].id}"]`).click();
  assert.equal(await bar(page).isVisible(), true, 'the bar shows in the compact embed');
  await bar(page).getByRole('button', { name: 'Return to the story' }).click();
  s = await snap(page);
  assert.equal(s.step, 3);
  assert.equal(s.trace_len, 31);
  assert.equal(await captionText(page), caption);
  await stepButton(page).click();
  assert.equal((await snap(page)).trace_len, 31);
  assert.deepEqual(errors, []);
  await page.close();
});

test('outside a story, acting in the past starts a new future and the bar switches back to the old one', async () => {
  const { page, errors } = await open('?free');
  await call(page, 'propose', 1, 'Green');
  await call(page, 'run', 100);
  const end = await snap(page);
  await call(page, 'seek', 2);
  await stepButton(page).click();
  let s = await snap(page);
  assert.equal(s.step, 3);
  assert.equal(s.trace_len, 3);
  assert.match(await bar(page).textContent(), /A new future from step 2/);
  await bar(page).getByRole('button', { name: 'Switch back' }).click();
  s = await snap(page);
  assert.equal(s.step, 2);
  assert.equal(s.trace_len, end.trace_len, 'the old future is back');
  await call(page, 'seek', end.trace_len);
  assert.equal((await snap(page)).hash, end.hash);
  assert.deepEqual(errors, []);
  await page.close();
});

test('focus stays in the element: Ctrl+Z right after a drag to the drop zone; Next disabled at the end moves it to Back', async () => {
  const { page, errors } = await open('?free');
  await call(page, 'propose', 1, 'Green');
  // Drop every envelope by dragging it to the drop zone, then undo the last drop by keyboard.
  let s = await snap(page);
  const zone = await page.locator(`${el} [data-drop-zone]`).boundingBox();
  const center = (b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
  while (s.messages.length) {
    const from = center(await page.locator(`${el} .env[data-msg-id="${s.messages[0].id}"]`).boundingBox());
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 4, from.y + 4, { steps: 2 });
    await page.mouse.move(center(zone).x, center(zone).y, { steps: 12 });
    await page.mouse.up();
    const after = await snap(page);
    assert.equal(after.messages.length, s.messages.length - 1, 'dropped');
    assert.notEqual(await focused(page), 'body', 'the focus stays in the element after a drop');
    s = after;
  }
  await page.keyboard.press('Control+z');
  s = await snap(page);
  assert.equal(s.messages.length, 1, 'Ctrl+Z right after the drop undid it');

  // A story's end: Next, focused, becomes disabled: Back takes the focus.
  await call(page, 'loadScenario', 'happy-path');
  const len = (await snap(page)).trace_len;
  await call(page, 'seek', len - 1);
  await next(page).focus();
  await page.keyboard.press('Enter');
  assert.equal((await snap(page)).step, len);
  assert.equal(await next(page).isDisabled(), true);
  assert.equal(await focused(page), 'button:undo', 'Back has the focus, not the body');
  await page.keyboard.press('Enter');
  assert.equal((await snap(page)).step, len - 1, 'and works');
  assert.deepEqual(errors, []);
  await page.close();
});

test('fast-forward (⏭ and Shift+N) lands on the next caption', async () => {
  const { page, errors } = await open('?scenario=lossy-network');
  let s = await snap(page);
  let target = s.next_caption;
  assert.ok(target != null);
  await skipButton(page).click();
  s = await snap(page);
  assert.equal(s.step, target);
  assert.equal(await captionText(page), s.caption);
  for (let i = 0; i < 3; i++) {
    target = s.next_caption ?? s.trace_len;
    await skipButton(page).focus();
    await page.keyboard.press('Shift+N');
    s = await snap(page);
    assert.equal(s.step, target);
  }
  // To the end: ⏭ and Next are disabled, the focus stays in the element.
  for (let i = 0; i < 100 && (await skipButton(page).isEnabled()); i++) await skipButton(page).click();
  s = await snap(page);
  assert.equal(s.step, s.trace_len);
  assert.notEqual(await focused(page), 'body');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the live region narrates each step: the caption in a story, the log line outside; at most once a second while playing', async () => {
  const { page, errors } = await open('?scenario=happy-path');
  const live = page.locator(`${el} [part=narrator]`);
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  await next(page).click();
  const s = await snap(page);
  await page.waitForFunction((c) => document.querySelector('paxos-scope').shadowRoot.querySelector('[part=narrator]').textContent.includes(c), s.caption);
  // A free run that keeps busy (two proposers, a lossy network), played fast: the
  // announcements for three seconds, with their times.
  await call(page, 'reset', { nodes: 5, proposers: [1, 2] });
  await call(page, 'setPolicy', { loss_ppm: 300000 });
  await call(page, 'propose', 1, 'Green');
  await call(page, 'propose', 2, 'Blue');
  await page.evaluate(() => {
    const region = document.querySelector('paxos-scope').shadowRoot.querySelector('[part=narrator]');
    window.__said = [];
    new MutationObserver(() => window.__said.push([performance.now(), region.textContent]))
      .observe(region, { childList: true, characterData: true, subtree: true });
  });
  const from = (await snap(page)).step;
  await page.evaluate(() => { const x = document.querySelector('paxos-scope'); x.speed = 4; x.play(); });
  await page.waitForTimeout(3000);
  await call(page, 'pause');
  const said = await page.evaluate(() => window.__said);
  const steps = (await snap(page)).step - from;
  assert.ok(said.length >= 2 && said.length <= 4, `throttled: ${said.length} announcements in 3 s for ${steps} steps: ${JSON.stringify(said)}`);
  assert.ok(steps > said.length, `it played more steps (${steps}) than it announced`);
  for (let i = 1; i < said.length; i++) assert.ok(said[i][0] - said[i - 1][0] >= 900, 'at most one a second');
  assert.ok(said.every(([, t]) => /^Step \d+/.test(t)), `each names its step: ${JSON.stringify(said)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a focused queue row stays in view, also when a redraw brings the focus back to it (Alt+Down to the end)', async () => {
  const { page, errors } = await open('', { width: 1280, height: 600 });
  await call(page, 'reset', { nodes: 7, proposers: [1, 2, 3] });
  for (const n of [1, 2, 3]) await call(page, 'propose', n, 'Green');
  const s = await snap(page);
  assert.ok(s.messages.length >= 15, `a long queue (${s.messages.length})`);
  // Alt+Down moves the focused row one place later: the queue is drawn anew and the focus
  // comes back to the row (without the browser scrolling it into view by itself).
  const last = s.messages[0].id;
  await page.locator(`${el} li.row[data-msg-id="${last}"]`).focus();
  for (let i = 1; i < s.messages.length; i++) await page.keyboard.press('Alt+ArrowDown');
  const order = (await snap(page)).messages.map((m) => m.id);
  assert.equal(order[order.length - 1], last, 'the row went to the end');
  const seen = await page.evaluate((id) => {
    const row = document.querySelector('paxos-scope').shadowRoot.querySelector(`li.row[data-msg-id="${id}"]`);
    if (row !== row.getRootNode().activeElement) return 'not focused';
    const r = row.getBoundingClientRect();
    // Every scrolled ancestor (and the window) shows the row.
    for (let p = row.parentElement; p; p = p.parentElement) {
      const b = p.getBoundingClientRect();
      if (p.scrollHeight > p.clientHeight + 1 && (r.top < b.top - 1 || r.bottom > b.bottom + 1)) return `hidden by ${p.className}`;
    }
    return r.top >= 0 && r.bottom <= innerHeight + 1 ? 'visible' : `outside the window (${r.top}..${r.bottom})`;
  }, last);
  assert.equal(seen, 'visible');
  assert.deepEqual(errors, []);
  await page.close();
});
