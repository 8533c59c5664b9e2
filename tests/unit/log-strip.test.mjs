// The log strip and the protocol-neutral card text (www/log-strip.js, www/render.js), DOM-free,
// over fake snapshots of a protocol with a log: what the page draws comes from the nodes'
// rows, slots and status, with no protocol's words in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logIndexes, logCells, describeLog, describeSlot, chosenSlots, mark } from '../../www/log-strip.js';
import * as strip from '../../www/log-strip.js';
import { describeNode, envelopeText, cardNeeds, logLength, voteLines, ringLayout, useStrip } from '../../www/render.js';

const slot = (n, value, { ballot = '3.1', chosen = false, applied = false } = {}) => ({ slot: n, ballot, value, chosen, applied });

/** A node of a fake log protocol. */
function node(id, slots, extra = {}) {
  return {
    id, roles: ['proposer', 'acceptor', 'learner'], up: true, leader: false, proposer: null,
    promised: null, accepted: null, learned: null,
    rows: [{ key: 'ballot', label: 'ballot', short: 'b', text: '3.1' }, { key: 'log', label: 'log', short: 'g', text: `${slots.length} slots` }],
    slots, status: null, ...extra,
  };
}

function snapshot(nodes, config = {}) {
  return { config: { nodes: nodes.length, proposers: [1], seed: 1, distinguished: false, bug: null, start_round: 1, protocol: 'multi-paxos', slots: 4, ...config }, nodes };
}

test('logIndexes: commit is the contiguous chosen prefix, applied the contiguous applied prefix', () => {
  assert.deepEqual(logIndexes([]), { commit: 0, applied: 0 });
  const slots = [slot(1, 'Green', { chosen: true, applied: true }), slot(2, 'Blue', { chosen: true }), slot(4, 'Red', { chosen: true })];
  assert.deepEqual(logIndexes(slots), { commit: 2, applied: 1 }, 'slot 3 unknown: the commit index stops at 2');
  // A slot applied out of order (apply-out-of-order) shows its mark but moves no index.
  assert.deepEqual(logIndexes([slot(2, 'Blue', { chosen: true, applied: true })]), { commit: 0, applied: 0 });
  // Unsorted input is fine.
  assert.deepEqual(logIndexes([slot(2, 'B', { chosen: true }), slot(1, 'A', { chosen: true })]).commit, 2);
});

test('logCells: one cell per slot up to the log length (or beyond, if a node knows more), with its state and mark', () => {
  const cells = logCells([slot(1, 'Green', { chosen: true, applied: true }), slot(2, 'no-op', { chosen: true }), slot(3, 'Blue')], 4);
  assert.deepEqual(cells.map((c) => c.state), ['applied', 'chosen', 'accepted', 'empty']);
  assert.deepEqual(cells.map((c) => c.mark), ['G', '∅', 'B', '']);
  assert.equal(logCells([slot(6, 'Red')], 4).length, 6, 'a slot past the configured length still shows');
  assert.equal(logCells([{ slot: 1, ballot: null, value: null, chosen: false, applied: false }], 1)[0].state, 'empty');
  assert.equal(mark('Amber#4.1'), 'A');
  assert.equal(mark(null), '');
});

test('describeSlot and describeLog: the log in words for the card\'s description', () => {
  const cells = logCells([slot(1, 'Green', { chosen: true, applied: true }), slot(2, 'Blue')], 3);
  assert.equal(describeSlot(cells[0]), 'slot 1: Green, ballot 3.1, chosen, applied');
  assert.equal(describeSlot(cells[1]), 'slot 2: Blue, ballot 3.1');
  assert.equal(describeSlot(cells[2]), 'slot 3: empty');
  assert.equal(describeLog([slot(1, 'Green', { chosen: true, applied: true }), slot(2, 'Blue')]),
    'log: slot 1: Green, ballot 3.1, chosen, applied; slot 2: Blue, ballot 3.1; commit index 1, applied 1');
  assert.equal(describeLog([]), 'log: empty; commit index 0, applied 0');
});

test('chosenSlots: every slot some node knows chosen, by slot; a disagreement shows both values', () => {
  const s = snapshot([
    node(1, [slot(1, 'Green', { chosen: true }), slot(2, 'Blue', { chosen: true })]),
    node(2, [slot(1, 'Green', { chosen: true }), slot(2, 'Red', { chosen: true })]),
    node(3, [slot(1, 'Green')]),
  ]);
  assert.deepEqual(chosenSlots(s), [
    { slot: 1, value: 'Green', nodes: [1, 2] },
    { slot: 2, value: 'Blue', nodes: [1] },
    { slot: 2, value: 'Red', nodes: [2] },
  ]);
});

test('describeNode: the card\'s description is the core\'s rows, status and (once loaded) log', () => {
  const n = node(2, [slot(1, 'Green', { chosen: true })], { status: 'follows node 1' });
  useStrip(null);
  assert.equal(describeNode(n), 'Node 2; proposer, acceptor, learner; up; ballot 3.1; log 1 slots; follows node 1');
  useStrip(strip);
  try {
    assert.equal(describeNode({ ...n, leader: true, status: 'leader of ballot 3.1' }),
      'Node 2; proposer, acceptor, learner; up; ballot 3.1; log 1 slots; leader of ballot 3.1; believes itself leader; log: slot 1: Green, ballot 3.1, chosen; commit index 1, applied 0');
  } finally {
    useStrip(null);
  }
  // Single-decree Paxos reads as before: "promised nothing" from the row's dash.
  const paxos = { ...n, status: null, slots: [], rows: [
    { key: 'promised', label: 'promised', short: 'p', text: '—' },
    { key: 'accepted', label: 'accepted', short: 'a', text: '42.1: Green' },
    { key: 'learned', label: 'learned', short: 'l', text: '—' }] };
  assert.equal(describeNode(paxos), 'Node 2; proposer, acceptor, learner; up; promised nothing; accepted 42.1: Green; learned nothing');
});

test('envelopeText: the compact label carries the slot', () => {
  assert.equal(envelopeText({ kind: 'Accept', ballot: '3.1', slot: 2, label: 'Accept 3.1 [s2] Blue' }, true), 'Accept 3.1 [s2]');
  assert.equal(envelopeText({ kind: 'Accept', ballot: '3.1', slot: 2, label: 'Accept 3.1 [s2] Blue' }, false), 'Accept 3.1 [s2] Blue');
  assert.equal(envelopeText({ kind: 'Prepare', ballot: '42.1', label: 'Prepare 42.1' }, true), 'Prepare 42.1', 'no slot: as before');
  assert.equal(envelopeText({ kind: 'Prepare', ballot: '42.1', slot: null, label: 'Prepare 42.1' }, true), 'Prepare 42.1');
});

test('cardNeeds and ringLayout: room for more rows, a status line and a strip; single-decree cards unchanged', () => {
  const paxos = { config: { nodes: 3 }, nodes: [1, 2, 3].map((id) => ({ ...node(id, []), rows: [1, 2, 3].map((k) => ({ key: `r${k}`, label: 'x', short: 'x', text: '—' })), proposer: id === 1 ? {} : null })) };
  assert.deepEqual(cardNeeds(/** @type {any} */ (paxos)), { votes: true, lines: 0, strip: 0 });
  const plain = ringLayout([1, 2, 3], { width: 800, height: 600, votes: true });
  assert.deepEqual(ringLayout([1, 2, 3], { width: 800, height: 600, ...cardNeeds(/** @type {any} */ (paxos)) }).card, plain.card);

  const log = snapshot([node(1, [slot(1, 'Green')]), node(2, [])]);
  const needs = cardNeeds(/** @type {any} */ (log));
  assert.deepEqual(needs, { votes: false, lines: 1, strip: 4 }, 'two rows (no extra), a status line, four slots');
  const L = ringLayout([1, 2], { width: 800, height: 600, ...needs });
  assert.ok(L.card.h > ringLayout([1, 2], { width: 800, height: 600 }).card.h + L.card.lh, 'taller by the status line and the strip');
  assert.equal(L.strip, 4);
  assert.equal(logLength(/** @type {any} */ (snapshot([node(1, [slot(6, 'Red')])]))), 6, 'a slot past config.slots widens the strip');
  assert.equal(logLength(/** @type {any} */ ({ config: {}, nodes: [node(1, [])] })), 0, 'no log');
});

test('voteLines follows the protocol\'s phases; without promises, only acceptances and the quorum', () => {
  const p = (phase, ballot, promises, accepts) => ({ proposer: { phase, ballot, value: 'v', promises, accepts, quorum: 2 } });
  const spc = { phases: ['idle', 'proposing', 'done'], promises: false };
  assert.deepEqual(voteLines(p('idle', null, 0, 0), 3, false, spc), ['proposer idle', '']);
  assert.deepEqual(voteLines(p('proposing', '1.1', 0, 1), 3, false, spc), ['1/3 accepts, quorum 2', '']);
  assert.deepEqual(voteLines(p('proposing', '1.1', 0, 1), 3, true, spc), ['1/3 acc, q 2', '']);
  const multi = { phases: ['idle', 'preparing', 'leading'], promises: true };
  assert.deepEqual(voteLines(p('preparing', '3.1', 1, 0), 3, false, multi), ['1/3 promises, quorum 2', '']);
  assert.deepEqual(voteLines(p('leading', '3.1', 2, 1), 3, false, multi), ['2/3 promises, quorum 2', '1/3 accepts']);
});
