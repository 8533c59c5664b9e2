// Browser tests of compare mode (<paxos-scope compare="A,B">, www/compare.js) with the real
// core: an action on one side (through its own buttons and keys, or its API) applies on the
// other where it means the same thing; a message with no counterpart says so; Step moves
// both; the first step where the two sides' outcomes differ is marked on both diagrams, at the
// step an independent reading of the two runs' snapshots gives. The page's Compare action
// builds the sides from the core's protocol list. The node card's BLOCKED badge.
//
// Until the commit protocols are in the core, the divergence is shown with Paxos against its
// minority-quorum variant (the broken side learns earlier); the 2pc,paxos-commit case runs
// once the vocabulary lists both (skipped before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();

/** The page with `compare` set on its element; resolves once both sides are ready. */
async function openCompare(value, { attrs = {} } = {}) {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`);
  await page.setViewportSize({ width: 1500, height: 1000 });
  await page.evaluate(async ([v, a]) => {
    const el = document.querySelector('paxos-scope');
    await el.ready;
    for (const [k, x] of Object.entries(a)) el.setAttribute(k, x);
    const built = new Promise((ok) => el.addEventListener('paxos-compare', ok, { once: true }));
    el.setAttribute('compare', v);
    await built;
    await Promise.all(el.compared.map((s) => s.ready));
  }, [value, attrs]);
  return { page, errors };
}

/** Call `method(...args)` on side 0 (left) or 1 (right). */
const onSide = (page, i, method, ...args) => page.evaluate(([k, m, a]) => document.querySelector('paxos-scope').compared[k][m](...a), [i, method, args]);
const snaps = (page) => page.evaluate(() => document.querySelector('paxos-scope').compared.map((s) => s.snapshot()));
const vocabulary = (page) => page.evaluate(() => document.querySelector('paxos-scope').protocolNames().map((p) => p.name));

/** Each side's divergence marker on its diagram: [{ step, label } | null, …]. */
async function markers(page) {
  return page.evaluate(() => document.querySelector('paxos-scope').compared.map((s) => {
    const g = s.shadowRoot.querySelector('.dg-diverge');
    return g ? { step: Number(g.getAttribute('data-step')), label: g.textContent } : null;
  }));
}

/** The first step where some node's learned value differs, from snapshots taken step by step. */
function firstDifference(rows) {
  for (const { step, left, right } of rows) {
    const node = left.nodes.find((n, k) => n.learned !== right.nodes[k].learned);
    if (node) return { step, node: node.id };
  }
  return null;
}

test('compare="paxos,paxos:minority-quorum": Step moves both, the divergence is marked on both diagrams at the first differing step', async () => {
  const { page, errors } = await openCompare('paxos,paxos:minority-quorum');
  const titles = await page.evaluate(() => [...document.querySelector('paxos-scope').shadowRoot.querySelectorAll('.compare-side h2')].map((x) => x.textContent));
  assert.deepEqual(titles, ['LeftPaxos', 'RightPaxos (minority-quorum)']);
  let [l, r] = await snaps(page);
  assert.equal(l.config.bug ?? null, null);
  assert.equal(r.config.bug, 'minority-quorum');

  // A proposal on the left is made on the right too (the same node).
  await onSide(page, 0, 'propose', 1, 'Green');
  [l, r] = await snaps(page);
  assert.equal(l.step, 1);
  assert.equal(r.step, 1);
  assert.match(r.log.at(-1).text, /propose Green/);

  // Step both with the shared button (keyboard: focus and Enter), reading both sides each step.
  const host = page.locator('main > paxos-scope');
  const stepBoth = host.locator('.compare-bar [data-action=compare-step]');
  const rows = [];
  for (let i = 0; i < 14; i++) {
    await stepBoth.focus();
    await page.keyboard.press('Enter');
    [l, r] = await snaps(page);
    assert.equal(l.step, r.step, 'both sides moved one step');
    rows.push({ step: l.step, left: l, right: r });
  }
  const expected = firstDifference(rows);
  assert.ok(expected, 'the broken side learns earlier');
  // Both diagrams (view="both" by default) carry the marker at that step, with the label.
  await page.waitForFunction(() => document.querySelector('paxos-scope').compared.every((s) => s.shadowRoot.querySelector('.dg-diverge')));
  const [ml, mr] = await markers(page);
  assert.equal(ml.step, expected.step);
  assert.equal(mr.step, expected.step);
  assert.match(mr.label, new RegExp(`diverges here: node ${expected.node} learns Green on the right, has not decided on the left`));
  assert.equal(ml.label, mr.label);
  const note = host.locator('.compare-diverge');
  assert.match(await note.textContent(), new RegExp(`diverge at step ${expected.step}: node ${expected.node} has not decided on the left \\(Paxos\\) and learns Green on the right`));

  // "Go to that step" takes both sides there; Back both goes back one on each.
  await note.getByRole('button', { name: 'Go to that step' }).click();
  [l, r] = await snaps(page);
  assert.deepEqual([l.step, r.step], [expected.step, expected.step]);
  await host.locator('[data-action=compare-undo]').click();
  [l, r] = await snaps(page);
  assert.deepEqual([l.step, r.step], [expected.step - 1, expected.step - 1]);
  // Ctrl+Z inside a side is mirrored the same way.
  await host.locator('paxos-scope[data-side=left] .shell').first().focus();
  await page.keyboard.press('Control+z');
  [l, r] = await snaps(page);
  assert.deepEqual([l.step, r.step], [expected.step - 2, expected.step - 2]);
  // Acting in the past before the divergence clears the marker on both sides.
  await onSide(page, 1, 'seek', 3);
  await onSide(page, 1, 'crash', 3);
  [l, r] = await snaps(page);
  assert.deepEqual([l.step, r.step], [4, 4]);
  assert.deepEqual(await markers(page), [null, null]);
  assert.deepEqual(errors, []);
});

test('a crash, a cut and a drop on one side apply on the other; a message with no counterpart is named', async () => {
  const { page, errors } = await openCompare('paxos,paxos:minority-quorum');
  const host = page.locator('main > paxos-scope');
  const right = host.locator('paxos-scope[data-side=right]');

  // Crash node 3 from the right side's node card, by the keyboard.
  await right.locator('.node[data-node-id="3"]').focus();
  await page.keyboard.press('Enter');
  const crash = right.locator('.details [data-action=crash]');
  await crash.waitFor();
  await crash.focus();
  await page.keyboard.press('Enter');
  let [l, r] = await snaps(page);
  assert.equal(l.nodes[2].up, false, 'crashed on the left too');
  assert.equal(r.nodes[2].up, false);
  assert.match(await host.locator('.compare-note').textContent(), /Crashed node 3 on both sides/);
  await onSide(page, 0, 'restart', 3);
  [l, r] = await snaps(page);
  assert.ok(l.nodes[2].up && r.nodes[2].up);

  // Cut a link on the left: the same link is cut on the right; heal it the same way.
  await onSide(page, 0, 'cutLink', 1, 2);
  [l, r] = await snaps(page);
  assert.deepEqual(r.cut, [[1, 2]]);
  await onSide(page, 1, 'healLink', 1, 2);
  [l, r] = await snaps(page);
  assert.deepEqual([l.cut, r.cut], [[], []]);

  // Propose, then drop on the left the Prepare from node 1 to node 3: dropped on the right too
  // (same sender, receiver and send step), by the Delete key on the left's queue row.
  await onSide(page, 0, 'propose', 1, 'Green');
  [l] = await snaps(page);
  const prep = l.messages.find((m) => m.from === 1 && m.to === 3);
  const left = host.locator('paxos-scope[data-side=left]');
  await left.locator(`li.row[data-msg-id="${prep.id}"]`).focus();
  await page.keyboard.press('Delete');
  [l, r] = await snaps(page);
  const dropped = (s) => s.history.filter((h) => h.fate === 'dropped').map((h) => `${h.from}>${h.to}@${h.sent_step}`);
  assert.deepEqual(dropped(l), [`1>3@${prep.cause}`]);
  assert.deepEqual(dropped(r), [`1>3@${prep.cause}`]);
  assert.match(await host.locator('.compare-note').textContent(), /Dropped the message from node 1 to node 3 sent at step \d+ on both sides/);

  // Deliver until the broken side (right) has sent Accepts the correct side has not: drop one
  // on the right; the left has no such message, and the note says so.
  let accept = null;
  for (let i = 0; i < 12 && !accept; i++) {
    await onSide(page, 0, 'step');
    [l, r] = await snaps(page);
    accept = r.messages.find((m) => m.kind === 'Accept' && !l.messages.some((x) => x.from === m.from && x.to === m.to && x.cause === m.cause));
  }
  assert.ok(accept, 'the minority-quorum side sends Accepts first');
  await onSide(page, 1, 'drop', accept.id);
  [l, r] = await snaps(page);
  assert.equal(r.history[accept.id - 1].fate, 'dropped');
  assert.equal(l.history.filter((h) => h.fate === 'dropped').length, 1, 'nothing more dropped on the left');
  const note = host.locator('.compare-note');
  assert.match(await note.textContent(), /the left \(Paxos\) has no such message pending, so nothing happened there/);
  assert.equal(await note.evaluate((n) => n.classList.contains('warn')), true);
  assert.deepEqual(errors, []);
});

test('compare="2pc,paxos-commit": a coordinator crash blocks 2PC and not Paxos Commit, marked where they diverge', async (t) => {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`);
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  const names = await vocabulary(page);
  if (!names.includes('2pc') || !names.includes('paxos-commit')) {
    t.skip('the core has no 2pc and paxos-commit yet');
    return;
  }
  await page.close();
  const opened = await openCompare('2pc,paxos-commit');
  const p = opened.page;
  // The coordinator's proposal starts the transaction on both sides; its vote requests are
  // delivered on the left (mirrored on the right: same sender, receiver and step), both
  // participants vote yes, and the coordinator crashes before any vote reaches it.
  await onSide(p, 0, 'propose', 1, 'Green');
  for (const to of [2, 3]) {
    const [l0] = await snaps(p);
    const m = l0.messages.find((x) => x.from === 1 && x.to === to);
    assert.ok(m, `the coordinator's request to node ${to} is in flight`);
    await onSide(p, 0, 'deliver', m.id);
  }
  await onSide(p, 0, 'crash', 1);
  // Right after the crash: 2PC's participant that voted yes is blocked, Paxos Commit's is not
  // (a majority of its acceptors is up). (Played on, the automatic policy may restart the
  // coordinator, which then aborts by presumption.)
  const [l, r] = await snaps(p);
  assert.ok(l.nodes.some((n) => n.blocked), '2PC leaves a participant blocked: ' + JSON.stringify([l.config, l.nodes.map((n) => [n.id, n.up, n.status, n.blocked])]));
  assert.ok(!r.nodes.some((n) => n.blocked), 'Paxos Commit does not');
  for (let i = 0; i < 300; i++) if (!(await onSide(p, 0, 'step'))) break;
  const [, r2] = await snaps(p);
  assert.ok(r2.nodes.filter((n) => n.up).every((n) => !n.blocked), 'Paxos Commit finishes without its coordinator');
  await p.waitForFunction(() => document.querySelector('paxos-scope').compared.every((s) => s.shadowRoot.querySelector('.dg-diverge')));
  const [ml, mr] = await markers(p);
  assert.ok(ml && mr && ml.step === mr.step, 'the divergence is marked on both diagrams');
  assert.match(mr.label, /blocked on the left/);
  assert.deepEqual([...errors, ...opened.errors], []);
});

test('the page offers Compare with the core\'s protocols and Stop comparing goes back', async () => {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`);
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  const names = await vocabulary(page);
  const form = page.locator('#compare-form');
  await form.waitFor();
  assert.deepEqual(await page.locator('#compare-left option').evaluateAll((os) => os.map((o) => o.value)), names);
  await page.locator('#compare-left').selectOption('paxos');
  await page.locator('#compare-right').selectOption('multi-paxos');
  await form.getByRole('button', { name: 'Compare' }).click();
  await page.waitForFunction(() => document.querySelector('paxos-scope').compared != null);
  assert.equal(await page.locator('main > paxos-scope').getAttribute('compare'), 'paxos,multi-paxos');
  const protocols = await page.evaluate(async () => {
    const sides = document.querySelector('paxos-scope').compared;
    await Promise.all(sides.map((s) => s.ready));
    return sides.map((s) => s.snapshot().config.protocol ?? 'paxos');
  });
  assert.deepEqual(protocols, ['paxos', 'multi-paxos']);
  await form.getByRole('button', { name: 'Stop comparing' }).click();
  assert.equal(await page.evaluate(() => document.querySelector('paxos-scope').compared), null);
  assert.equal(await page.locator('main > paxos-scope .shell').first().isVisible(), true);
  // A bad value is refused with a message naming the attribute.
  await page.evaluate(() => document.querySelector('paxos-scope').setAttribute('compare', 'paxos,nope'));
  await page.locator('main > paxos-scope .banner').filter({ hasText: 'compare="paxos,nope": nope is not a known protocol' }).waitFor();
  assert.ok(errors.every((e) => /not a known protocol/.test(e)), errors.join('\n'));
});

test('a blocked node\'s card shows a BLOCKED badge and why', async () => {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`);
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  const html = await page.evaluate(async () => {
    const { renderNodeInfo, describeNode } = await import('./render.js');
    const el = document.querySelector('paxos-scope');
    const snap = el.snapshot();
    snap.nodes[1].blocked = 'blocked: voted yes; only the coordinator knows the outcome (node 1 is down)';
    const out = renderNodeInfo(snap, 2);
    const plain = renderNodeInfo(el.snapshot(), 2);
    return { text: out.textContent, badge: out.querySelector('.badge-blocked')?.textContent, plain: plain.querySelector('.badge-blocked'), said: describeNode(snap.nodes[1]) };
  });
  assert.equal(html.badge, 'BLOCKED');
  assert.match(html.text, /BLOCKED voted yes; only the coordinator knows the outcome \(node 1 is down\)/);
  assert.equal(html.plain, null, 'no badge for a node that is not blocked');
  assert.match(html.said, /blocked: voted yes; only the coordinator knows the outcome/, 'the ring node\'s accessible name says why');
  assert.deepEqual(errors, []);
});
