// Browser tests of the protocols the core registers beside single-decree Paxos, with the real
// core (no fake snapshots): the protocol picker lists all three and starts a Multi-Paxos
// cluster with log strips; a Multi-Paxos story played to its end shows chosen and applied
// slots in the strips and every per-slot property holding; the single-proposer commit's
// two-coordinators story ends with at-most-one broken. State is checked through
// el.snapshot() and the drawn SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();
const el = 'paxos-scope';

async function open(path = '?free') {
  const { page, errors } = await openPage(site.browser, site.server.url + path);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}

const snap = (page) => page.evaluate(() => document.querySelector('paxos-scope').snapshot());
const call = (page, method, ...args) => page.evaluate(([m, a]) => document.querySelector('paxos-scope')[m](...a), [method, args]);

/** Play the open story to its end. */
async function toTheEnd(page) {
  const { trace_len: n } = await snap(page);
  await call(page, 'seek', n);
  const s = await snap(page);
  assert.equal(s.step, n);
  return s;
}

/** Each node's log strip cells: { node: [class, …] } (nodes without a strip left out). */
async function strips(page) {
  await page.locator(`${el} .node .strip`).first().waitFor();
  return page.evaluate(() => {
    const root = document.querySelector('paxos-scope').shadowRoot;
    const out = {};
    for (const card of root.querySelectorAll('.node[data-node-id]')) {
      const cells = [...card.querySelectorAll('.strip .cell')];
      if (cells.length) out[card.dataset.nodeId] = cells.map((c) => ({ cls: c.getAttribute('class'), mark: c.querySelector('text')?.textContent ?? '' }));
    }
    return out;
  });
}

/** The safety panel: { property: 'ok' | 'broken' }. */
const safety = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelector('paxos-scope').shadowRoot.querySelectorAll('.prop')].map((p) => [p.dataset.property, p.classList.contains('broken') ? 'broken' : 'ok'])));

test('the protocol picker lists the registered protocols; a Multi-Paxos cluster shows log strips', async () => {
  const { page, errors } = await open();
  const host = page.locator(el);
  await host.locator('summary', { hasText: 'New cluster' }).click();
  const form = host.locator('form.cluster');
  await form.waitFor();
  const picker = form.getByRole('combobox', { name: 'Protocol', exact: true });
  assert.deepEqual(await picker.locator('option').evaluateAll((os) => os.map((o) => o.value)), ['paxos', 'multi-paxos', 'single-proposer-commit', '2pc', '3pc', 'paxos-commit']);
  await picker.selectOption('multi-paxos');
  await form.getByLabel('Log slots').fill('4');
  await form.getByRole('button', { name: 'Start new cluster' }).click();
  await page.waitForFunction(() => document.querySelector('paxos-scope').snapshot().config.protocol === 'multi-paxos');
  const s = await snap(page);
  assert.equal(s.config.slots, 4);
  // Node 1 has sent Prepare for every slot; nothing is accepted yet, so the strips are empty.
  const cells = await strips(page);
  assert.deepEqual(Object.keys(cells).sort(), ['1', '2', '3'], 'every server has a strip');
  for (const c of Object.values(cells)) assert.ok(c.every((x) => x.cls === 'cell empty'), JSON.stringify(c));
  // The safety panel lists Multi-Paxos's properties, the per-slot ones and the log's.
  assert.deepEqual(Object.keys(await safety(page)), ['only-proposed', 'at-most-one', 'learned-chosen', 'same-sequence', 'applied-once', 'one-leader']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the stories are grouped by protocol, each under the one it runs', async () => {
  const { page, errors } = await open();
  const scenarios = await page.evaluate(async () => (await import('/core.js')).words().scenarios);
  const of = (name) => scenarios.find((x) => x.name === name)?.protocol;
  assert.equal(of('happy-path'), 'paxos');
  assert.equal(of('multi-paxos-steady-leader'), 'multi-paxos');
  assert.equal(of('bug-noop-overwrites'), 'multi-paxos');
  assert.equal(of('spc-two-coordinators'), 'single-proposer-commit');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a steady leader\'s story played to its end: three slots chosen and applied on every replica, every property holding', async () => {
  const { page, errors } = await open('?scenario=multi-paxos-steady-leader');
  const s = await toTheEnd(page);
  assert.equal(s.config.protocol, 'multi-paxos');
  assert.match(s.caption ?? (await page.locator(`${el} .caption-text`).textContent()), /#4\.3 is done/);
  const cells = await strips(page);
  for (const n of ['1', '2', '3']) {
    assert.deepEqual(cells[n].map((c) => c.cls), ['cell applied', 'cell applied', 'cell applied', 'cell empty'], `node ${n}`);
    assert.deepEqual(cells[n].slice(0, 3).map((c) => c.mark), ['G', 'B', 'A'], `node ${n}`);
  }
  // The client keeps no log: no strip, and its status says every command was answered.
  assert.equal(cells['4'], undefined, 'the client has no log strip');
  const client = s.nodes.find((n) => n.id === 4);
  assert.deepEqual(client.slots, []);
  assert.equal(client.status, 'all commands answered');
  const props = await safety(page);
  assert.deepEqual(Object.values(props).filter((v) => v !== 'ok'), [], JSON.stringify(props));
  assert.equal(Object.keys(props).length, 6);
  assert.deepEqual(errors, []);
  await page.close();
});

test('opened by the element API, the leader-fails story ends with the gap filled by a no-op and slot 3 re-proposed', async () => {
  const { page, errors } = await open();
  await call(page, 'loadScenario', 'multi-paxos-leader-fails');
  await page.waitForFunction(() => document.querySelector('paxos-scope').snapshot().config.protocol === 'multi-paxos');
  await toTheEnd(page);
  const cells = await strips(page);
  // Node 3: Green applied, the no-op in slot 2 and Amber in slot 3 applied; node 1 is down.
  assert.deepEqual(cells['3'].map((c) => c.cls), ['cell applied', 'cell applied', 'cell applied']);
  assert.deepEqual(cells['3'].map((c) => c.mark), ['G', '∅', 'A']);
  const props = await safety(page);
  assert.deepEqual(Object.values(props).filter((v) => v !== 'ok'), [], JSON.stringify(props));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the lagging replica\'s strip: slot 3 chosen but waiting for slots 1 and 2, then all applied in order', async () => {
  const { page, errors } = await open('?scenario=multi-paxos-lagging-replica');
  await call(page, 'seek', 39);
  let cells = await strips(page);
  assert.deepEqual(cells['3'].map((c) => c.cls), ['cell empty', 'cell empty', 'cell chosen', 'cell empty']);
  assert.deepEqual(cells['1'].map((c) => c.cls), ['cell applied', 'cell applied', 'cell applied', 'cell empty']);
  await toTheEnd(page);
  cells = await strips(page);
  assert.deepEqual(cells['3'].map((c) => c.cls), ['cell applied', 'cell applied', 'cell applied', 'cell empty']);
  assert.deepEqual(cells['3'].slice(0, 3).map((c) => c.mark), ['G', 'B', 'A']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the retried command: chosen in slots 1 and 2, in every live ledger once', async () => {
  const { page, errors } = await open('?scenario=multi-paxos-retried-command');
  const s = await toTheEnd(page);
  const cells = await strips(page);
  for (const n of ['1', '3']) {
    assert.deepEqual(cells[n].slice(0, 2).map((c) => [c.cls, c.mark]), [['cell applied', 'G'], ['cell applied', 'G']], `node ${n}`);
    const ledger = s.nodes.find((x) => String(x.id) === n).rows.find((r) => r.key === 'ledger');
    assert.equal(ledger.text, 'Green', `node ${n}'s ledger`);
  }
  assert.equal(s.nodes.find((x) => x.id === 4).status, 'all commands answered');
  const props = await safety(page);
  assert.deepEqual(Object.values(props).filter((v) => v !== 'ok'), [], JSON.stringify(props));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the single-proposer commit\'s two coordinators: the story ends with at-most-one broken', async () => {
  const { page, errors } = await open('?scenario=spc-two-coordinators');
  const s = await toTheEnd(page);
  assert.equal(s.config.protocol, 'single-proposer-commit');
  assert.ok(s.violations.some((v) => v.property === 'at-most-one'));
  const props = await safety(page);
  assert.deepEqual(props, { 'only-proposed': 'ok', 'at-most-one': 'broken', 'learned-chosen': 'ok' });
  assert.match(await page.locator(`${el} .caption-text`).textContent(), /Multi-Paxos's ballots close exactly this gap/);
  // Node 2 learned Blue, node 3 Green: both strips show slot 1 chosen, with different values.
  const cells = await strips(page);
  assert.equal(cells['2'][0].mark, 'B');
  assert.equal(cells['3'][0].mark, 'G');
  assert.deepEqual(errors, []);
  await page.close();
});
