// Browser tests of "Why is this value safe?" in the page (www/why.js, the core's analysis
// crate/src/why.rs asked through the explorer's worker): the safety panel's button explains
// Green in proposer-fails-during-accept by node 3's promise and the quorum overlap, with node
// 3 highlighted on the ring and in the diagram and the chain's steps one click away; a broken
// variant shows where its chain is cut, red and dashed; a bad target is refused in words and
// changes nothing; the node details' button and the ring's envelope menu work from the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();
const el = 'paxos-scope';

/** The page with story `name` loaded and played to its end. */
async function story(name) {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?scenario=${name}`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  await page.waitForFunction((n) => document.querySelector('paxos-scope').snapshot().scenario === n, name);
  const s = await snap(page);
  await call(page, 'seek', s.trace_len);
  return { page, errors, end: s.trace_len };
}
const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);
/** A computed style property of the first element matching `sel` in the element's shadow root. */
const style = (page, sel, prop) => page.evaluate(([s, p]) => {
  const x = document.querySelector('paxos-scope').shadowRoot.querySelector(s);
  return x ? getComputedStyle(x).getPropertyValue(p) : null;
}, [sel, prop]);
/** A theme colour (a --_* variable) as the browser computes it. */
const themeColor = (page, v) => page.evaluate((name) => {
  const root = document.querySelector('paxos-scope').shadowRoot;
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  root.querySelector('.shell').append(probe);
  const c = getComputedStyle(probe).color;
  probe.remove();
  return c;
}, v);
const panel = `${el} section.why-panel`;

test('why Green is safe in proposer-fails-during-accept: node 3’s promise, the overlap, the highlights, the steps', { timeout: 90_000 }, async () => {
  const { page, errors, end } = await story('proposer-fails-during-accept');
  await call(page, 'setView', 'both');
  const before = await snap(page);
  assert.equal(before.chosen, 'Green');

  // The safety panel's button, beside the chosen value.
  await page.locator(`${el} .safety .chosen button[data-action=why]`).click();
  await page.locator(`${panel}:not([hidden]) .why-chain li`).first().waitFor();
  assert.equal(await page.locator(`${panel} #why-title`).textContent(), 'Why is Green safe?');
  assert.match(await page.locator(`${panel} .why-at`).textContent(), new RegExp(`the chosen value .*at step ${end}`));
  const adopted = page.locator(`${panel} .why-chain li[data-kind=adopted]`);
  assert.equal(await adopted.count(), 1);
  assert.equal(await adopted.getAttribute('data-from'), '3', 'node 3’s promise');
  assert.equal(await adopted.getAttribute('data-node'), '2', 'made node 2 adopt Green');
  assert.match(await adopted.textContent(), /Node 3's promise for 42\.2 carried 42\.1: Green/);
  assert.match(await page.locator(`${panel} .why-quorum`).textContent(), /in every intersection: nodes? [\d, ]*3/);
  assert.ok((await page.locator(`${panel} .why-rule`).textContent()).length > 20, 'the rule in words');
  assert.equal(await page.locator(`${panel} .why-cut`).isHidden(), true, 'a correct run has no cut');

  // The API gives the same reason: node 3 is in the quorum overlap.
  const r = await call(page, 'why', { chosen: true });
  assert.equal(r.value, 'Green');
  assert.ok(r.overlap.some((o) => o.intersection.includes(3) && o.carried), JSON.stringify(r.overlap));
  const key = new Set(r.overlap.flatMap((o) => o.intersection));
  const other = before.nodes.map((n) => n.id).find((id) => !key.has(id));
  assert.ok(other != null, 'some node is outside the intersection');

  // Node 3's card on the ring and its lane in the diagram are highlighted; another node's are not.
  const accent = await themeColor(page, '--_accent');
  await page.locator(`${el} .dg-lane[data-lane="3"]`).first().waitFor({ state: 'attached' });
  assert.equal(await style(page, '.node[data-node-id="3"] .card', 'stroke-width'), '4.5px');
  assert.equal(await style(page, '.node[data-node-id="3"] .card', 'stroke'), accent);
  assert.notEqual(await style(page, `.node[data-node-id="${other}"] .card`, 'stroke-width'), '4.5px');
  assert.equal(await style(page, '.dg-lane[data-lane="3"]', 'stroke-width'), '5px');
  assert.notEqual(await style(page, `.dg-lane[data-lane="${other}"]`, 'stroke-width'), '5px');
  // The adopted promise's arrow in the diagram too.
  const msg = Number(await adopted.getAttribute('data-msg'));
  assert.equal(await style(page, `.dg-msg[data-msg-id="${msg}"] .dg-line`, 'stroke'), accent);

  // A step of the chain: the run goes there (its message selected); the reason says it is stale.
  const step = Number(await adopted.getAttribute('data-step'));
  assert.ok(step < end);
  await adopted.locator('button.why-step').click();
  let s = await snap(page);
  assert.equal(s.step, step);
  assert.equal(await call(page, 'snapshot').then(() => page.evaluate(() => document.querySelector('paxos-scope').selectedMessage)), msg);
  assert.match(await page.locator(`${panel} .why-stale`).textContent(), new RegExp(`this reason is for step ${end}; the run is at step ${step} now`));
  assert.equal(await style(page, '.node[data-node-id="3"] .card', 'stroke-width'), '4.5px', 'the same run: the highlights stay');
  // Back to where it was asked: fresh again.
  await page.locator(`${panel} .why-stale button`, { hasText: `Back to step ${end}` }).click();
  s = await snap(page);
  assert.equal(s.step, end);
  assert.equal(await page.locator(`${panel} .why-stale`).isHidden(), true);

  // Asked about the promise itself (the message entry point's target).
  const m = await call(page, 'why', { message: msg });
  assert.match(m.summary, new RegExp(`^Message ${msg} \\(Promise 42\\.2 from node 3\\) carries 42\\.1: Green`));

  // Close: the panel and the highlights go.
  await page.locator(`${panel} button[data-why=close]`).click();
  assert.equal(await page.locator(panel).isHidden(), true);
  assert.notEqual(await style(page, '.node[data-node-id="3"] .card', 'stroke-width'), '4.5px');
  assert.equal((await snap(page)).hash, before.hash, 'asking changed nothing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a broken variant: the chain is cut at the ignored promise, red and dashed', { timeout: 90_000 }, async () => {
  const { page, errors } = await story('bug-proposer-ignores-promises');
  await call(page, 'setView', 'both');
  await page.locator(`${el} .safety .chosen button[data-action=why]`).click();
  const cut = page.locator(`${panel}:not([hidden]) .why-cut`);
  await cut.waitFor();
  assert.match(await cut.textContent(), /^The chain is cut here: .*ignored its own acceptor's promise carrying 1\.1: Green and proposed its own Blue/);
  const danger = await themeColor(page, '--_danger');
  // In the chain: the cut link, dashed and red.
  const link = page.locator(`${panel} .why-chain li.cut`);
  assert.equal(await link.count(), 1);
  assert.equal(await link.getAttribute('data-kind'), 'cut');
  assert.equal(await style(page, '.why-chain li.cut', 'border-left-style'), 'dashed');
  assert.equal(await style(page, '.why-chain li.cut', 'color'), danger);
  // The ignored promise's arrow in the diagram: red and dashed.
  const r = await call(page, 'why', { chosen: true });
  assert.ok(r.cut && r.cut.msg != null, JSON.stringify(r.cut));
  const rec = (await snap(page)).history.find((x) => x.id === r.cut.msg);
  assert.equal(rec.label, 'Promise 1.2 (1.1: Green)');
  await page.locator(`${el} .dg-msg[data-msg-id="${r.cut.msg}"]`).waitFor();
  assert.equal(await style(page, `.dg-msg[data-msg-id="${r.cut.msg}"] .dg-line`, 'stroke'), danger);
  assert.notEqual(await style(page, `.dg-msg[data-msg-id="${r.cut.msg}"] .dg-line`, 'stroke-dasharray'), 'none');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad target is refused in words and changes nothing', { timeout: 60_000 }, async () => {
  const { page } = await story('proposer-fails-during-accept');
  const before = await snap(page);
  await page.evaluate(() => {
    window.__errors = [];
    document.querySelector('paxos-scope').addEventListener('paxos-error', (e) => window.__errors.push(e.detail.message));
  });
  for (const [target, want] of [
    [{ accepted: 9 }, /^why: .*\b9\b/],
    [{}, /^why: the target must be exactly one of/],
    [{ accepted: 1, learned: 1 }, /^why: the target must be exactly one of/],
    [{ chosen: false }, /^why: \{ chosen \} must be true/],
    [{ node: 1 }, /^why: unknown target field "node"/],
    [{ message: -1 }, /^why: \{ message \} must be a message id/],
    [null, /^why: the target must be one of/],
  ]) {
    const msg = await page.evaluate((t) => document.querySelector('paxos-scope').why(t).then(() => null, (e) => e.message), target);
    assert.match(String(msg), want, JSON.stringify(target));
  }
  const reported = await page.evaluate(() => window.__errors);
  assert.equal(reported.length, 7, reported.join('\n'));
  assert.match(await page.locator(`${el} .banner .msg`).textContent(), /^why: /);
  const after = await snap(page);
  assert.equal(after.hash, before.hash);
  assert.equal(after.step, before.step);
  assert.equal(await page.locator(panel).isHidden(), true, 'no reason view for a bad target');
  await page.close();
});

test('the node details’ button, from the keyboard', { timeout: 60_000 }, async () => {
  const { page, errors } = await story('proposer-fails-during-accept');
  const s = await snap(page);
  const n3 = s.nodes.find((n) => n.id === 3);
  assert.ok(n3.accepted, 'node 3 accepted something');
  // Enter on node 3's card opens its details; Enter on the button beside its accepted value asks.
  await page.locator(`${el} .node[data-node-id="3"]`).focus();
  await page.keyboard.press('Enter');
  const button = page.locator(`${el} section.details dd[data-row=accepted] button[data-action=why]`);
  await button.waitFor();
  assert.equal(await button.evaluate((b) => b.tagName), 'BUTTON');
  await button.focus();
  await page.keyboard.press('Enter');
  await page.locator(`${panel}:not([hidden]) .why-chain li`).first().waitFor();
  assert.equal(await page.locator(`${panel} #why-title`).textContent(), `Why is ${n3.accepted.value} safe?`);
  assert.match(await page.locator(`${panel} .why-at`).textContent(), new RegExp(`^About what node 3 accepted \\(${n3.accepted.ballot.replace('.', '\\.')}: ${n3.accepted.value}\\)`));
  // The focus follows to the reason (its heading), still inside the element.
  await page.waitForFunction(() => document.querySelector('paxos-scope').shadowRoot.activeElement?.id === 'why-title');
  // A new simulation closes it.
  await call(page, 'reset', {});
  assert.equal(await page.locator(panel).isHidden(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the ring’s envelope menu asks about a pending Accept', { timeout: 60_000 }, async () => {
  const { page, errors } = await story('proposer-fails-during-accept');
  await call(page, 'seek', 7);
  const m = (await snap(page)).messages.find((x) => x.kind === 'Accept');
  assert.ok(m, 'an Accept is pending at step 7');
  await page.locator(`${el} .env[data-msg-id="${m.id}"]`).focus();
  await page.keyboard.press('m');
  const item = page.locator(`${el} .menuitem[data-menu-action=why]`);
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('Enter');
  await page.locator(`${panel}:not([hidden]) .why-chain li`).first().waitFor();
  assert.match(await page.locator(`${panel} .why-summary`).textContent(), new RegExp(`^Message ${m.id} \\(${m.label} from node ${m.from}\\) carries`));
  assert.equal(await page.locator(`${el} .menu`).count(), 0, 'the menu closed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('W asks about the selected message, a delivered one too (selected in the diagram)', { timeout: 60_000 }, async () => {
  const { page, errors } = await story('proposer-fails-during-accept');
  await call(page, 'setView', 'both');
  const s = await snap(page);
  const promise = s.history.find((r) => r.kind === 'Promise' && r.from === 3 && r.to === 2 && r.fate === 'delivered');
  assert.ok(promise, 'node 3’s promise to node 2 was delivered');
  // A click on its arrow in the diagram selects it.
  await page.locator(`${el} [data-view=diagram] [data-msg-id="${promise.id}"]`).first().click({ force: true });
  assert.equal(await page.evaluate(() => document.querySelector('paxos-scope').selectedMessage), promise.id);
  await page.keyboard.press('w');
  const title = page.locator(`${el} #why-title`);
  await title.waitFor();
  assert.equal(await title.textContent(), 'Why is Green safe?');
  assert.match(await page.locator(`${el} .why-panel`).textContent(), /Message \d+ \(Promise 42\.2 from node 3\) carries 42\.1: Green/);
  assert.deepEqual(errors, []);
  await page.close();
});
