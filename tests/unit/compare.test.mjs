// The pure parts of compare mode, in node: the compare attribute's parser (attributes.js) and
// the outcome reading and divergence search (compare.js). The browser side is
// tests/compare.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSpec } from '../../www/attributes.js';
import { outcomeOf, describeOutcome, firstDivergence } from '../../www/compare.js';

const PROTOCOLS = [
  { name: 'paxos', title: 'Single-decree Paxos', bugs: ['minority-quorum'] },
  { name: 'multi-paxos', title: 'Multi-Paxos (a replicated log)', bugs: [] },
  { name: '2pc', title: 'Two-phase commit', bugs: [] },
];

test('compareSpec: two protocols of the vocabulary, a variant after a colon, clear refusals', () => {
  assert.equal(compareSpec(null, PROTOCOLS), null);
  assert.equal(compareSpec('  ', PROTOCOLS), null);
  assert.deepEqual(compareSpec('paxos, 2pc', PROTOCOLS), [
    { protocol: 'paxos', bug: null, title: 'Paxos' },
    { protocol: '2pc', bug: null, title: 'Two-phase commit' },
  ]);
  assert.deepEqual(compareSpec('paxos,paxos:minority-quorum', PROTOCOLS)[1], { protocol: 'paxos', bug: 'minority-quorum', title: 'Paxos (minority-quorum)' });
  assert.throws(() => compareSpec('paxos', PROTOCOLS), /compare="paxos" is not valid; name two protocols.*known: paxos, multi-paxos, 2pc/);
  assert.throws(() => compareSpec('paxos,2pc,multi-paxos', PROTOCOLS), /name two protocols/);
  assert.throws(() => compareSpec('paxos,3pc', PROTOCOLS), /3pc is not a known protocol; use two of: paxos, multi-paxos, 2pc/);
  assert.throws(() => compareSpec('paxos,2pc:oops', PROTOCOLS), /oops is not a variant of 2pc; use one of: \(none\)/);
});

const node = (id, extra = {}) => ({ id, up: true, roles: [], rows: [], slots: [], status: null, learned: null, ...extra });

test('outcomeOf: blocked first, then learned, a decision row, chosen slots; undecided is null', () => {
  assert.equal(outcomeOf(node(1)), null);
  assert.equal(outcomeOf(node(1, { learned: 'Green' })), 'Green');
  assert.equal(outcomeOf(node(1, { learned: 'Green', blocked: 'blocked: waiting' })), 'blocked');
  assert.equal(outcomeOf(node(2, { rows: [{ key: 'decision', label: 'decision', short: 'd', text: 'commit' }] })), 'commit');
  assert.equal(outcomeOf(node(2, { rows: [{ key: 'decision', label: 'decision', short: 'd', text: '—' }] })), null);
  assert.equal(outcomeOf(node(3, { slots: [{ slot: 1, value: 'a', chosen: true }, { slot: 2, value: 'b', chosen: false }] })), 'a');
  assert.deepEqual(['commit', 'aborted', 'blocked', null, 'Green'].map(describeOutcome),
    ['commits', 'aborts', 'is blocked', 'has not decided', 'learns Green']);
});

test('firstDivergence: the lowest step recorded on both sides where a node differs', () => {
  const m = (o) => new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));
  const a = [m({ 1: null, 2: null }), undefined, m({ 1: null, 2: 'commit' }), m({ 1: 'commit', 2: 'commit' })];
  const b = [m({ 1: null, 2: null }), m({ 1: null, 2: 'x' }), m({ 1: null, 2: 'blocked' })];
  assert.deepEqual(firstDivergence(a, b), { step: 2, node: 2, left: 'commit', right: 'blocked' });
  assert.equal(firstDivergence(a.slice(0, 2), b), null);
});
