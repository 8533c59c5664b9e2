// Browser tests of what the page draws for protocols other than single-decree Paxos: the
// protocol picker of the new-cluster form (with its options and variants), and a log
// protocol's cards (rows, status, log strip) rendered from a fake snapshot by the page's own
// modules. Until the core registers a second protocol, the picker is tested with one added to
// the page's vocabulary object (the same module instance the element reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSite } from './harness.mjs';

const site = useSite();

async function open() {
  const { page, errors } = await openPage(site.browser, `${site.server.url}?free`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => document.querySelector('paxos-scope').ready);
  return { page, errors };
}

/** Open the "New cluster" section and wait for its form (loaded on first use). */
async function clusterForm(page) {
  const el = page.locator('paxos-scope');
  await el.locator('summary', { hasText: 'New cluster' }).click();
  const form = el.locator('form.cluster');
  await form.waitFor();
  return form;
}

test('one protocol: no picker, and the Paxos form as before', async () => {
  const { page, errors } = await open();
  const protocols = await page.evaluate(async () => (await import('/core.js')).words().protocols.map((p) => p.name));
  assert.ok(protocols.includes('paxos'));
  const form = await clusterForm(page);
  if (protocols.length === 1) {
    assert.equal(await form.getByRole('combobox', { name: 'Protocol', exact: true, includeHidden: true }).isVisible(), false, 'no picker with a single protocol');
  }
  assert.equal(await form.getByLabel('Distinguished proposer (leader) mode').isVisible(), true);
  assert.equal(await form.getByLabel('Log slots').isVisible(), false);
  assert.equal(await form.getByLabel('Master leases (they assume bounded clock drift)').isVisible(), false);
  const variants = await form.getByRole('combobox', { name: 'Protocol variant' }).locator('option').allTextContents();
  assert.equal(variants[0], 'Correct Paxos (safe)');
  assert.equal(variants.length, 6, 'Paxos\'s five broken variants');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the protocol picker shows the chosen protocol\'s options and variants, and starts its cluster', async () => {
  const { page, errors } = await open();
  // A second protocol, as the core will list it (its bugs: one of Paxos's, to see the filter).
  await page.evaluate(async () => {
    const { words } = await import('/core.js');
    const w = words();
    if (!w.protocols.some((p) => p.name === 'multi-paxos')) {
      w.protocols.push({ ...w.protocols[0], name: 'multi-paxos', title: 'Multi-Paxos', bugs: ['minority-quorum'], options: ['slots', 'clients', 'leases'] });
    }
    const el = document.querySelector('paxos-scope');
    window.__reset = [];
    el.reset = (config) => window.__reset.push(JSON.parse(JSON.stringify(config ?? {}, (k, v) => (v === undefined ? '(undefined)' : v))));
  });
  const form = await clusterForm(page);
  const picker = form.getByRole('combobox', { name: 'Protocol', exact: true, includeHidden: true });
  assert.equal(await picker.isVisible(), true, 'two protocols: the picker shows');
  assert.equal(await picker.inputValue(), 'paxos', 'the running protocol is selected');
  // By the keyboard: focus the picker and choose Multi-Paxos.
  await picker.focus();
  await picker.selectOption('multi-paxos');
  assert.equal(await form.getByLabel('Distinguished proposer (leader) mode').isVisible(), false, 'Paxos\'s option goes');
  assert.equal(await form.getByLabel('Log slots').isVisible(), true);
  // Leases are not implemented: the core does not offer them (and refuses the option).
  assert.equal(await form.getByLabel('Master leases (they assume bounded clock drift)').isVisible(), false);
  const clients = form.getByRole('group', { name: 'Clients (only send commands)' });
  assert.equal(await clients.isVisible(), true);
  const variants = await form.getByRole('combobox', { name: 'Protocol variant' }).locator('option').allTextContents();
  const bugs = await page.evaluate(async () => (await import('/core.js')).words().protocols.find((p) => p.name === 'multi-paxos').bugs.length);
  assert.equal(variants.length, 1 + bugs, 'the correct protocol and its broken variants only');
  assert.match(variants[0], /^Correct Multi-Paxos .*\(safe\)$/);
  await form.getByLabel('Log slots').fill('3');
  await clients.getByLabel('Node 3').check();
  await form.getByRole('button', { name: 'Start new cluster' }).click();
  const [config] = await page.evaluate(() => window.__reset);
  assert.equal(config.protocol, 'multi-paxos');
  assert.equal(config.slots, 3);
  assert.deepEqual(config.clients, [3]);
  assert.equal(config.leases, '(undefined)', 'an option the protocol does not offer is left out');
  assert.equal(config.distinguished, '(undefined)', 'an option of another protocol is left out');
  // Back to Paxos: its options, and the config names no protocol (as the core writes Paxos's).
  await picker.selectOption('paxos');
  assert.equal(await form.getByLabel('Log slots').isVisible(), false);
  await form.getByRole('button', { name: 'Start new cluster' }).click();
  const second = (await page.evaluate(() => window.__reset))[1];
  assert.equal(second.protocol, '(undefined)');
  assert.equal(second.slots, '(undefined)');
  assert.equal(typeof second.distinguished, 'boolean');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a log protocol\'s cards: the core\'s rows and status, and a log strip with its indexes', async () => {
  const { page, errors } = await open();
  const out = await page.evaluate(async () => {
    const render = await import('/render.js');
    const strip = await import('/log-strip.js');
    const slot = (n, value, chosen, applied) => ({ slot: n, ballot: '3.1', value, chosen, applied });
    const node = (id, slots, extra) => ({
      id, roles: ['proposer', 'acceptor', 'learner'], up: true, leader: false, proposer: null, promised: null, accepted: null, learned: null,
      rows: [{ key: 'ballot', label: 'ballot', short: 'b', text: '3.1' }], slots, status: null, ...extra,
    });
    const snap = {
      step: 0, time: 0, config: { nodes: 3, proposers: [1], protocol: 'multi-paxos', slots: 4 },
      nodes: [
        node(1, [slot(1, 'Green', true, true), slot(2, 'no-op', true, false), slot(3, 'Blue', false, false)], { leader: true, status: 'leader of ballot 3.1' }),
        node(2, [slot(1, 'Green', true, true)], { status: 'follows node 1' }),
        { ...node(3, [], {}), roles: ['client'] },
      ],
      messages: [{ id: 9, from: 1, to: 2, kind: 'Accept', slot: 3, ballot: '3.1', value: 'Blue', prior: null, status: 'in-flight', sent_at: 0, due: 10, cause: 1, label: 'Accept 3.1 [s3] Blue' }],
      timers: [], cut: [], violations: [], chosen: 'Green', chosen_step: 3,
    };
    render.useStrip(strip);
    try {
      const { svg } = render.renderRing(snap, { width: 800, height: 600, time: 0, animate: false, selected: null });
      const card = svg.querySelector('.node[data-node-id="1"]');
      const safety = render.renderSafety(snap);
      return {
        cells: [...card.querySelectorAll('.strip .cell')].map((c) => c.getAttribute('class')),
        marks: [...card.querySelectorAll('.strip .cell text')].map((t) => t.textContent),
        indexes: card.querySelector('.strip .indexes').textContent,
        lines: [...card.querySelectorAll('text.line')].map((t) => t.textContent),
        label: card.getAttribute('aria-label'),
        title: card.querySelector('title').textContent,
        leader: card.classList.contains('leader'),
        client: svg.querySelector('.node[data-node-id="3"]').classList.contains('client'),
        envelope: svg.querySelector('.env[data-msg-id="9"]').textContent,
        chosen: safety.querySelector('.chosen').textContent,
        props: [...safety.querySelectorAll('.prop')].map((p) => p.dataset.property),
      };
    } finally {
      render.useStrip(null);
    }
  });
  assert.deepEqual(out.cells, ['cell applied', 'cell chosen', 'cell accepted', 'cell empty']);
  assert.deepEqual(out.marks, ['G', '∅', 'B']);
  assert.equal(out.indexes, 'commit 2 · applied 1');
  assert.ok(out.lines.includes('ballot 3.1') && out.lines.includes('leader of ballot 3.1'), out.lines.join(' | '));
  assert.match(out.label, /Node 1 .*ballot 3\.1 .*leader of ballot 3\.1 .*commit 2 · applied 1/);
  assert.doesNotMatch(out.label, /\bG ∅ B\b/, 'the cells\' marks are not read out; the title spells the log out');
  assert.match(out.title, /log: slot 1: Green, ballot 3\.1, chosen, applied; slot 2: no-op, ballot 3\.1, chosen; slot 3: Blue, ballot 3\.1; commit index 2, applied 1/);
  assert.equal(out.leader, true);
  assert.equal(out.client, true);
  assert.match(out.envelope, /Accept 3\.1 \[s3\] Blue/);
  assert.equal(out.chosen, 'Chosen: s1 Green, s2 no-op');
  const listed = await page.evaluate(async () => (await import('/core.js')).words().protocols.find((p) => p.name === 'multi-paxos')?.properties.map((p) => p.name));
  assert.deepEqual(out.props, listed ?? ['only-proposed', 'at-most-one', 'learned-chosen'], 'the protocol\'s own list (Paxos\'s when the vocabulary does not list it)');
  assert.deepEqual(errors, []);
  await page.close();
});
