// The ring's new pure geometry (issue 11), without a browser: grouping messages per link,
// positions along an arrow, a message's progress in flight, the timers' countdown arcs and
// the vote counts a proposer's card shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByLink, flightProgress, pointAlong, timerLeft, arcPath, voteLines, ringLayout, placeMessages, GROUP_THRESHOLD } from '../../www/render.js';

const msg = (id, from, to, extra = {}) => ({ id, from, to, kind: 'Prepare', status: 'in-flight', sent_at: 0, due: 20, ...extra });

test('groupByLink: one group per directed link, ids in queue order, counts per kind', () => {
  const g = groupByLink([msg(1, 1, 2), msg(2, 2, 1), msg(3, 1, 2, { kind: 'Accept' }), msg(4, 1, 2), msg(5, 3, 3)]);
  assert.deepEqual(g.map((x) => [x.key, x.ids]), [['1>2', [1, 3, 4]], ['2>1', [2]], ['3>3', [5]]]);
  assert.deepEqual(g[0].kinds, { Prepare: 2, Accept: 1 });
  assert.deepEqual(groupByLink([]), []);
});

test('flightProgress: 0 when sent, 1 when due, clamped; a zero span counts as one tick', () => {
  const m = msg(1, 1, 2, { sent_at: 100, due: 140 });
  assert.equal(flightProgress(m, 100), 0);
  assert.equal(flightProgress(m, 120), 0.5);
  assert.equal(flightProgress(m, 140), 1);
  assert.equal(flightProgress(m, 90), 0);
  assert.equal(flightProgress(m, 999), 1);
  assert.equal(flightProgress(msg(2, 1, 2, { sent_at: 5, due: 5 }), 5), 0);
});

test('pointAlong: the ends and the middle of a segment', () => {
  assert.deepEqual(pointAlong(0, 0, 10, 20, 0), { x: 0, y: 0 });
  assert.deepEqual(pointAlong(0, 0, 10, 20, 1), { x: 10, y: 20 });
  assert.deepEqual(pointAlong(0, 0, 10, 20, 0.5), { x: 5, y: 10 });
});

test('timerLeft: 1 when armed, 0 when due, linear between; a timer armed and due at once', () => {
  const t = { kind: 'retry', since: 60, at: 300 };
  assert.equal(timerLeft(t, 60), 1);
  assert.equal(timerLeft(t, 180), 0.5);
  assert.equal(timerLeft(t, 300), 0);
  assert.equal(timerLeft(t, 400), 0);
  assert.equal(timerLeft(t, 0), 1);
  assert.equal(timerLeft({ kind: 'retry', since: 50, at: 50 }, 40), 1);
  assert.equal(timerLeft({ kind: 'retry', since: 50, at: 50 }, 50), 0);
});

test('arcPath: nothing, a quarter, a half, more than half (large-arc flag), a full circle', () => {
  assert.equal(arcPath(10, 0), '');
  assert.equal(arcPath(10, 0.25), 'M0 -10 A10 10 0 0 1 10 0');
  assert.equal(arcPath(10, 0.5), 'M0 -10 A10 10 0 0 1 0 10');
  assert.equal(arcPath(10, 0.75), 'M0 -10 A10 10 0 1 1 -10 0');
  assert.equal(arcPath(10, 1), 'M0 -10 A10 10 0 1 1 0 10 A10 10 0 1 1 0 -10');
  assert.equal(arcPath(10, 2), arcPath(10, 1));
});

test('voteLines: promises out of the acceptors with the quorum, kept in phase 2; accepts from phase 2 on', () => {
  const node = (proposer) => ({ id: 1, proposer });
  assert.equal(voteLines(node(null), 3), null);
  assert.deepEqual(voteLines(node({ phase: 'idle', ballot: null, promises: 0, accepts: 0, quorum: 2 }), 3), ['proposer idle', '']);
  assert.deepEqual(voteLines(node({ phase: 'preparing', ballot: '42.1', promises: 1, accepts: 0, quorum: 2 }), 3), ['1/3 promises, quorum 2', '']);
  assert.deepEqual(voteLines(node({ phase: 'accepting', ballot: '42.1', promises: 2, accepts: 1, quorum: 2 }), 3), ['2/3 promises, quorum 2', '1/3 accepts']);
  assert.deepEqual(voteLines(node({ phase: 'accepting', ballot: '42.1', promises: 2, accepts: 1, quorum: 2 }), 3, true), ['2/3 prom, q 2', '1/3 acc']);
});

test('placeMessages grouped: the marks of one link on one line, in queue order, between the cards', () => {
  const L = ringLayout([1, 2, 3], { width: 800, height: 600, votes: true });
  assert.equal(L.votes, true);
  assert.ok(L.card.h > ringLayout([1, 2, 3], { width: 800, height: 600 }).card.h, 'room for the vote lines');
  const ms = Array.from({ length: GROUP_THRESHOLD + 1 }, (_, i) => msg(i + 1, 1, 2));
  const places = placeMessages({ time: 0, nodes: [], messages: ms }, L, { grouped: true });
  const a = L.positions.get(1);
  const b = L.positions.get(2);
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const along = (p) => ((p.x - a.x) * vx + (p.y - a.y) * vy) / (vx * vx + vy * vy);
  const side = (p) => ((p.x - a.x) * -vy + (p.y - a.y) * vx) / Math.hypot(vx, vy);
  const ts = ms.map((m) => along(places.get(m.id)));
  for (let i = 1; i < ts.length; i++) assert.ok(ts[i] > ts[i - 1], 'in queue order along the arrow');
  const offs = ms.map((m) => side(places.get(m.id)));
  for (const o of offs) assert.ok(Math.abs(o - offs[0]) < 1e-6, 'one line');
  assert.equal(new Set(ms.map((m) => places.get(m.id).path)).size, 1, 'one arrow per link');
  assert.ok(places.get(1).mid, 'where the count goes');
  // Animated: a message's place follows its progress.
  const moving = placeMessages({ time: 10, nodes: [], messages: [msg(1, 1, 2, { sent_at: 0, due: 20 })] }, L, { grouped: true, animate: true, time: 10 });
  const t = along(moving.get(1));
  assert.ok(t > 0.4 && t < 0.6, `halfway in time, halfway along: ${t}`);
});
