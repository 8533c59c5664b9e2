// The controller (www/controller.js) without a DOM, on the real core, and the attribute
// parser (www/attributes.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller } from '../../www/controller.js';
import { clusterConfig, simSpec, uiValue } from '../../www/attributes.js';
import { words, Simulation } from '../../www/core.js';
import { loadCoreInNode } from './core.mjs';

function controller() {
  const events = [];
  const frames = [];
  const ctl = new Controller({
    change: (model, frame) => frames.push(frame),
    event: (type, detail) => events.push({ type, detail }),
    error: (e) => { throw e; },
  });
  return { ctl, events, frames };
}

test('vocabulary: the page offers the explorer\'s values, and the core\'s lists', async () => {
  await loadCoreInNode();
  const w = words();
  assert.deepEqual(w.values.slice(0, 5), ['Green', 'Blue', 'Red', 'Amber', 'Violet']);
  assert.deepEqual(w.kinds, ['Prepare', 'Promise', 'Accept', 'Accepted', 'Nack', 'Heartbeat']);
  assert.deepEqual(w.properties.map((p) => p.name), ['only-proposed', 'at-most-one', 'learned-chosen']);
  assert.ok(w.bugs.every((b) => b.title.startsWith('UNSAFE') && b.note && !b.note.startsWith('UNSAFE')));
  assert.equal(w.limits.max_trace_bytes, 16 * 1024 * 1024);
});

test('a drag to the end of the queue is one undo step (and one redo step)', async () => {
  await loadCoreInNode();
  const { ctl } = controller();
  ctl.install(new Simulation({ nodes: 5, proposers: [1] }));
  ctl.propose(1, 'Green');
  const before = ctl.model.messages.map((m) => m.id);
  assert.ok(before.length >= 4);
  const step = ctl.model.step;
  ctl.moveMessageTo(before[0], null);
  assert.deepEqual(ctl.model.messages.map((m) => m.id), [...before.slice(1), before[0]], 'the first goes last');
  ctl.undo();
  assert.equal(ctl.model.step, step, 'one undo undoes the whole drag');
  assert.deepEqual(ctl.model.messages.map((m) => m.id), before);
  ctl.redo();
  assert.deepEqual(ctl.model.messages.map((m) => m.id), [...before.slice(1), before[0]], 'one redo redoes it');
  ctl.undo();
  ctl.deliver(before[1]); // acting in the past cuts the redo part, and the gesture in it
  ctl.undo();
  assert.equal(ctl.model.step, step);
});

test('events: paxos-change every commit, paxos-chosen once, errors name the action', async () => {
  await loadCoreInNode();
  const { ctl, events } = controller();
  ctl.install(new Simulation({ nodes: 3, proposers: [1] }));
  ctl.propose(1, 'Green');
  ctl.run(100);
  assert.equal(events.filter((e) => e.type === 'paxos-chosen').length, 1);
  assert.deepEqual(events.find((e) => e.type === 'paxos-chosen').detail.value, 'Green');
  assert.ok(events.filter((e) => e.type === 'paxos-change').length >= 3);
  assert.throws(() => ctl.deliver(-1), /^Error: deliver: the message id must be a whole number/);
  assert.throws(() => ctl.crash(42), /^Error: crash: /);
  assert.throws(() => new Controller({ change() {}, event() {}, error() {} }).step(), /step: the simulator is not ready yet/);
});

test('the play loop steps as events fall due, with a scheduler of its own', async () => {
  await loadCoreInNode();
  const queue = [];
  const ctl = new Controller({ change() {}, event() {}, error: (e) => { throw e; }, schedule: (cb) => queue.push(cb), cancel() {} });
  ctl.install(new Simulation({ nodes: 3, proposers: [1] }));
  ctl.propose(1, 'Green');
  ctl.speed = 8;
  ctl.play();
  let ts = 0;
  for (let i = 0; i < 400 && queue.length && ctl.model.chosen == null; i++) queue.shift()((ts += 100));
  assert.equal(ctl.model.chosen, 'Green', 'playing chose the value');
  ctl.pause();
  assert.equal(ctl.playing, false);
});

test('attributes: a cluster, a story, and clear errors', () => {
  const get = (attrs) => (n) => attrs[n] ?? null;
  assert.deepEqual(clusterConfig(get({ nodes: '5', proposers: '1, 2', seed: '7', distinguished: '' })),
    { nodes: 5, proposers: [1, 2], seed: 7, start_round: 42, distinguished: true });
  assert.throws(() => clusterConfig(get({ nodes: 'x' })), /nodes attribute: nodes must be a whole number/);
  const known = { scenarios: ['happy-path'], bugs: ['minority-quorum'] };
  assert.deepEqual(simSpec(get({ scenario: 'happy-path', nodes: '5' }), known), { scenario: 'happy-path' });
  assert.throws(() => simSpec(get({ scenario: 'nope' }), known), /not a built-in story; use one of: happy-path/);
  assert.throws(() => simSpec(get({ bug: 'nope' }), known), /not a known variant/);
  assert.equal(uiValue('view', 'both'), 'both');
  assert.throws(() => uiValue('view', '3d'), /view="3d" is not valid; use ring, diagram or both/);
  assert.equal(uiValue('height', '480'), ':host { height: 480px; min-height: 0; }');
  assert.throws(() => uiValue('speed', '0'), /above 0 and at most 64/);
  assert.equal(uiValue('autoplay', 'false'), false);
});

test('attributes: protocol and its options (slots, clients, leases); a bug must be the protocol\'s', () => {
  const get = (attrs) => (n) => attrs[n] ?? null;
  assert.deepEqual(clusterConfig(get({ protocol: 'multi-paxos', nodes: '4', slots: '4', clients: '4', leases: '' })),
    { nodes: 4, proposers: [1], seed: 1, start_round: 42, protocol: 'multi-paxos', slots: 4, clients: [4], leases: true });
  assert.deepEqual(clusterConfig(get({ protocol: 'paxos', leases: 'false' })), { nodes: 3, proposers: [1], seed: 1, start_round: 42 },
    'protocol="paxos" is left out, as the core leaves it out');
  assert.throws(() => clusterConfig(get({ slots: 'many' })), /slots attribute: slots must be a whole number/);
  assert.throws(() => clusterConfig(get({ clients: '4 x' })), /clients attribute: each client must be a whole number/);
  const protocols = [{ name: 'paxos', bugs: ['minority-quorum'] }, { name: 'multi-paxos', bugs: ['noop-overwrites'] }];
  const known = { scenarios: [], bugs: ['minority-quorum', 'noop-overwrites'], protocols };
  assert.throws(() => simSpec(get({ protocol: 'raft' }), known), /protocol="raft" is not a known protocol; use one of: paxos, multi-paxos/);
  assert.throws(() => simSpec(get({ bug: 'noop-overwrites' }), known), /bug="noop-overwrites" is not a known variant; use one of: minority-quorum/);
  assert.throws(() => simSpec(get({ protocol: 'multi-paxos', bug: 'minority-quorum' }), known), /not a known variant of multi-paxos; use one of: noop-overwrites \(or leave it out for correct multi-paxos\)/);
  assert.equal(/** @type {any} */ (simSpec(get({ protocol: 'multi-paxos', bug: 'noop-overwrites' }), known)).config.bug, 'noop-overwrites');
});
