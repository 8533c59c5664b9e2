// Browser tests of the ring that stays readable (issue 11): many messages as marks grouped per
// link, messages that move while playing (not under reduced motion), timers on the nodes, vote
// counts through a phase change, the legends, no layout jumps and a 750 px column. Real mouse
// and keyboard (page.mouse, page.keyboard); the state is read through el.snapshot().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();

async function open(query = '', context = {}) {
  const { page, errors } = await openPage(site.browser, site.server.url + query, { context: { viewport: { width: 1280, height: 800 }, ...context } });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}

const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());

/** 7 nodes, every one proposing, until at least `n` messages are in flight (slow network). */
async function crowd(page, n) {
  await page.evaluate((want) => {
    const el = document.querySelector('paxos-scope');
    el.reset({ nodes: 7, proposers: [1, 2, 3, 4, 5, 6, 7], policy: { min_latency: 200, max_latency: 400 } });
    for (let i = 0; el.snapshot().messages.length < want; i++) el.propose(1 + (i % 7), `V${i}`);
  }, n);
  return snap(page);
}

const focusedMsg = (page) => page.evaluate(() => {
  const a = document.querySelector('paxos-scope').shadowRoot.activeElement;
  return a && a.matches('.env[data-msg-id]') ? Number(/** @type {HTMLElement} */ (a).dataset.msgId) : null;
});

test('beyond 20 messages: marks grouped per link with counts, cards over them, every message reachable by keyboard and in the queue', async () => {
  const { page, errors } = await open();
  const few = await crowd(page, 14);
  assert.ok(few.messages.length <= 20);
  assert.equal(await page.locator('paxos-scope svg.ring.grouped').count(), 0, 'few messages: labelled envelopes');
  const s = await crowd(page, 100);
  assert.ok(s.messages.length >= 100, `${s.messages.length} in flight`);
  assert.equal(await page.locator('paxos-scope svg.ring.grouped').count(), 1);
  const counts = await page.locator('paxos-scope .count').evaluateAll((xs) => xs.map((x) => x.lastChild.textContent));
  assert.ok(counts.length > 0 && counts.every((t) => /^×\d+$/.test(t)), `counts: ${counts.slice(0, 5)}`);
  const perLink = new Map();
  for (const m of s.messages) perLink.set(`${m.from}>${m.to}`, (perLink.get(`${m.from}>${m.to}`) ?? 0) + 1);
  for (const [key, n] of perLink) {
    const c = page.locator(`paxos-scope .count[data-count-for="${key}"]`);
    if (n > 1) assert.equal(await c.evaluate((x) => x.lastChild.textContent), `×${n}`, `link ${key}`);
    else assert.equal(await c.count(), 0);
  }
  // Every message: one mark, one queue row; no label drawn until hover, focus or selection.
  assert.equal(await page.locator('paxos-scope .env.mark[data-msg-id]').count(), s.messages.length);
  assert.equal(await page.locator('paxos-scope li.row[data-msg-id]').count(), s.messages.length);
  assert.equal(await page.locator('paxos-scope .env-tip').count(), 0);
  // The cards are drawn over the marks (later in the SVG).
  assert.ok(await page.evaluate(() => {
    const svg = document.querySelector('paxos-scope').shadowRoot.querySelector('svg.ring');
    const kids = [...svg.children];
    return kids.indexOf(svg.querySelector('.envelopes')) < kids.indexOf(svg.querySelector('.nodes'));
  }));

  // The keyboard reaches every mark (Tab), and the focused one shows its label over the cards.
  await page.locator('paxos-scope .env.mark').first().focus();
  const seen = new Set();
  for (let i = 0; i < s.messages.length + 5; i++) {
    const id = await focusedMsg(page);
    if (id == null) break;
    seen.add(id);
    if (i === 3) {
      const tip = page.locator(`paxos-scope .tips .env-tip.focus[data-tip-for="${id}"]`);
      assert.equal(await tip.count(), 1, 'the focused mark is labelled');
      const m = s.messages.find((x) => x.id === id);
      assert.ok((await tip.textContent()).includes(m.label), `${await tip.textContent()} names ${m.label}`);
    }
    await page.keyboard.press('Tab');
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), s.messages.map((m) => m.id).sort((a, b) => a - b));

  // The real mouse: hovering a mark labels it; Enter on a focused mark delivers it.
  const mark = page.locator('paxos-scope .env.mark').nth(10);
  const hid = Number(await mark.getAttribute('data-msg-id'));
  const box = await mark.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(50);
  if (await page.locator('paxos-scope .env-tip.hover').count()) {
    // (a card may cover the mark: then the card is under the pointer, as drawn)
    assert.equal(await page.locator(`paxos-scope .env-tip.hover[data-tip-for="${hid}"]`).count(), 1);
  }
  await page.locator('paxos-scope .env.mark').first().focus();
  const first = await focusedMsg(page);
  await page.keyboard.press('Enter');
  const after = await snap(page);
  assert.equal(after.messages.length, s.messages.length - 1 + after.messages.filter((m) => !s.messages.some((x) => x.id === m.id)).length);
  assert.ok(!after.messages.some((m) => m.id === first), 'Enter delivered the focused mark');
  assert.deepEqual(errors, []);
});

test('the selected message keeps its label in the grouped mode, and a focused queue row scrolls into view', async () => {
  const { page, errors } = await open();
  const s = await crowd(page, 100);
  const row = page.locator('paxos-scope li.row[data-msg-id]').first();
  await row.focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
  const id = s.messages[40].id;
  const inView = await page.evaluate((mid) => {
    const root = document.querySelector('paxos-scope').shadowRoot;
    const r = root.activeElement;
    if (!r || Number(/** @type {HTMLElement} */ (r).dataset.msgId) !== mid) return `focus on ${r && r.outerHTML.slice(0, 60)}`;
    const side = root.querySelector('.side').getBoundingClientRect();
    const b = r.getBoundingClientRect();
    return b.top >= side.top - 1 && b.bottom <= side.bottom + 1 && b.bottom <= innerHeight + 1 ? true : `row ${b.top}-${b.bottom}, side ${side.top}-${side.bottom}`;
  }, id);
  assert.equal(inView, true);
  // Focusing a row selects its message: its mark is labelled in the ring.
  assert.equal(await page.locator(`paxos-scope .tips .env-tip[data-tip-for="${id}"]`).count(), 1);
  assert.deepEqual(errors, []);
});

test('messages travel along their arrows while playing, and stay still under reduced motion', async () => {
  const positions = (page) => page.evaluate(() => [...document.querySelector('paxos-scope').shadowRoot.querySelectorAll('.env[data-msg-id]')]
    .map((e) => `${e.getAttribute('data-msg-id')}:${e.getAttribute('transform')}`).join(' '));
  for (const reduce of [false, true]) {
    const { page, errors } = await open('', { reducedMotion: reduce ? 'reduce' : 'no-preference' });
    await crowd(page, 30);
    await page.evaluate(() => document.querySelector('paxos-scope').play());
    await page.waitForTimeout(150);
    const a = await positions(page);
    await page.waitForTimeout(600);
    const b = await positions(page);
    await page.evaluate(() => document.querySelector('paxos-scope').pause());
    if (reduce) assert.equal(a, b, 'reduced motion: no envelope moves');
    else assert.notEqual(a, b, 'the envelopes move between events');
    assert.deepEqual(errors, []);
  }
});

test('an arc per armed timer on its node, named, turning as time passes', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => {
    const el = document.querySelector('paxos-scope');
    el.reset({ nodes: 3, proposers: [1, 2], distinguished: true, policy: { min_latency: 200, max_latency: 400 } });
    el.propose(1, 'Green');
    el.propose(2, 'Blue');
  });
  const s = await snap(page);
  assert.ok(s.timers.length >= 2, `timers: ${JSON.stringify(s.timers)}`);
  assert.equal(await page.locator('paxos-scope .node .timer').count(), s.timers.length);
  for (const t of s.timers) {
    const g = page.locator(`paxos-scope .node[data-node-id="${t.node}"] .timer[data-timer="${t.kind}"]`).first();
    assert.equal(await g.count(), 1, `node ${t.node}'s ${t.kind} timer`);
    assert.match(await g.locator('title').textContent(), new RegExp(`^${t.kind} timer: armed at t${t.since}, fires at t${t.at}`));
    assert.ok((await g.locator('.timer-arc').getAttribute('d')).startsWith('M'), 'an arc is drawn');
  }
  const arcs = () => page.locator('paxos-scope .timer-arc').evaluateAll((xs) => xs.map((x) => x.getAttribute('d')).join('|'));
  const before = await arcs();
  await page.evaluate(() => document.querySelector('paxos-scope').play());
  await page.waitForTimeout(700);
  const after = await arcs(); // (paused, the ring shows the simulator's own time again)
  await page.evaluate(() => document.querySelector('paxos-scope').pause());
  assert.notEqual(after, before, `the arcs count down: ${before} / ${after}`);
  assert.deepEqual(errors, []);
});

test('the proposer card keeps "2/3 promises, quorum 2" through the phase change (happy path, Next by mouse)', async () => {
  const { page, errors } = await open('?scenario=happy-path');
  const next = page.locator('paxos-scope .caption [data-action=next]');
  const card = page.locator('paxos-scope .node[data-node-id="1"]');
  let s = await snap(page);
  for (let i = 0; i < 30 && !/two promises are a majority/i.test(s.caption ?? ''); i++) {
    await next.click();
    s = await snap(page);
  }
  assert.match(s.caption ?? '', /two promises are a majority/i);
  assert.match(await card.textContent(), /2\/3 promises, quorum 2/);
  let phase2 = 0;
  for (let i = 0; i < 6; i++) {
    await next.click();
    s = await snap(page);
    if (s.nodes[0].proposer.phase !== 'accepting') continue;
    phase2 += 1;
    assert.match(await card.textContent(), /2\/3 promises, quorum 2/, `step ${s.step}, phase 2`);
  }
  assert.ok(phase2 > 0, 'some steps in phase 2');
  assert.deepEqual(errors, []);
});

test('legends: the role letters in the ring; the diagram\'s colours, and labels on delivered arrows on hover', async () => {
  const { page, errors } = await open('?scenario=happy-path');
  const legend = page.locator('paxos-scope .stage .legend');
  assert.ok(await legend.isVisible());
  const text = await legend.textContent();
  for (const w of ['P proposer', 'A acceptor', 'L learner', 'timer']) assert.ok(text.includes(w), `${w} in ${text}`);
  for (let i = 0; i < 5; i++) await page.locator('paxos-scope .caption [data-action=next]').click();
  await page.locator('paxos-scope .seg label', { hasText: 'Diagram' }).click();
  const dg = page.locator('paxos-scope .dg-legend');
  await dg.waitFor();
  const kinds = await page.evaluate(() => document.querySelector('paxos-scope').constructor.vocabulary?.kinds ?? null);
  const dgText = await dg.textContent();
  for (const k of kinds ?? ['Prepare', 'Promise', 'Accept', 'Accepted']) assert.ok(dgText.includes(k), `${k} in the diagram legend`);
  const label = page.locator('paxos-scope .dg-msg.fate-delivered .dg-hover-label').first();
  assert.equal(await label.evaluate((e) => getComputedStyle(e).display), 'none');
  // The real mouse on the middle of a delivered arrow (a point on its path, in page pixels).
  const at = await page.evaluate(() => {
    const root = document.querySelector('paxos-scope').shadowRoot;
    for (const g of root.querySelectorAll('.dg-msg.fate-delivered')) {
      const path = /** @type {SVGPathElement} */ (g.querySelector('.dg-line'));
      const p = path.getPointAtLength(path.getTotalLength() * 0.4);
      const m = path.getScreenCTM();
      const x = m.a * p.x + m.c * p.y + m.e;
      const y = m.b * p.x + m.d * p.y + m.f;
      const hit = root.elementFromPoint(x, y);
      if (hit && hit.closest('.dg-msg') === g) return { x, y, id: g.getAttribute('data-msg-id') };
    }
    return null;
  });
  assert.ok(at, 'a delivered arrow the mouse can reach');
  await page.mouse.move(at.x, at.y);
  const shown = page.locator(`paxos-scope .dg-msg[data-msg-id="${at.id}"] .dg-hover-label`);
  assert.notEqual(await shown.evaluate((e) => getComputedStyle(e).display), 'none', 'hovered: labelled');
  assert.deepEqual(errors, []);
});

test('no layout jumps: the toolbar stays put when a value is chosen; the error banner overlays', async () => {
  const { page, errors } = await open('?scenario=happy-path');
  const where = () => page.evaluate(() => {
    const root = document.querySelector('paxos-scope').shadowRoot;
    const r = (sel) => { const b = root.querySelector(sel).getBoundingClientRect(); return [Math.round(b.x), Math.round(b.y)]; };
    return { step: r('[data-action=step]'), undo: r('.bar [data-action=undo]'), stage: r('.stage') };
  });
  const before = await where();
  let s = await snap(page);
  while (s.chosen == null && s.can_redo) {
    await page.locator('paxos-scope .caption [data-action=next]').click();
    s = await snap(page);
  }
  assert.equal(s.chosen, 'Green');
  assert.match(await page.locator('paxos-scope .status').textContent(), /chosen Green/);
  assert.deepEqual(await where(), before, 'chosen Green moved nothing');
  await page.evaluate(() => { try { document.querySelector('paxos-scope').deliver(99999); } catch { /* reported */ } });
  assert.ok(await page.locator('paxos-scope .banner').isVisible(), 'the banner shows');
  assert.deepEqual(await where(), before, 'the banner pushed nothing down');
  errors.length = 0; // the deliberate error is reported on the console
});

test('a full-controls widget in a 750 px column: the queue beside the ring, under 1,000 px tall', async () => {
  const { page, errors } = await open('embed.html', { viewport: { width: 1100, height: 900 } });
  const r = await page.evaluate(async () => {
    await customElements.whenDefined('paxos-scope');
    document.body.replaceChildren();
    const col = document.createElement('div');
    col.style.width = '750px';
    const el = document.createElement('paxos-scope');
    el.setAttribute('scenario', 'happy-path');
    col.append(el);
    document.body.append(col);
    await el.ready;
    for (let i = 0; i < 8; i++) el.redo();
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const root = el.shadowRoot;
    const box = (sel) => root.querySelector(sel).getBoundingClientRect();
    const stage = box('.stage');
    const queue = box('.queue');
    return { height: el.getBoundingClientRect().height, stageRight: stage.right, queueLeft: queue.left, rows: root.querySelectorAll('li.row').length };
  });
  assert.ok(r.height < 1000, `${Math.round(r.height)} px tall`);
  assert.ok(r.queueLeft >= r.stageRight - 1, 'the queue is beside the ring');
  assert.ok(r.rows > 0);
  assert.deepEqual(errors, []);
});

test('grouped mode: a mark drags to the drop zone like an envelope (real mouse)', async () => {
  const { page, errors } = await open();
  const s = await crowd(page, 30);
  assert.equal(await page.locator('paxos-scope svg.ring.grouped').count(), 1);
  // A mark the pointer can reach (not under a card or a count).
  const at = await page.evaluate(() => {
    const root = document.querySelector('paxos-scope').shadowRoot;
    for (const env of root.querySelectorAll('.env.mark[data-msg-id]')) {
      const b = env.querySelector('.box').getBoundingClientRect();
      const x = b.x + b.width / 2;
      const y = b.y + b.height / 2;
      const hit = root.elementFromPoint(x, y);
      if (hit && hit.closest('.env') === env) return { x, y, id: Number(env.getAttribute('data-msg-id')) };
    }
    return null;
  });
  assert.ok(at, 'a reachable mark');
  const zone = await page.locator('paxos-scope [data-drop-zone] rect').boundingBox();
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 4, at.y + 4, { steps: 2 });
  await page.mouse.move(zone.x + zone.width / 2, zone.y + zone.height / 2, { steps: 12 });
  await page.mouse.up();
  const after = await snap(page);
  assert.ok(!after.messages.some((m) => m.id === at.id), 'dropped');
  assert.equal(after.messages.length, s.messages.length - 1);
  assert.equal(after.history.find((r) => r.id === at.id).fate, 'dropped');
  assert.deepEqual(errors, []);
});
