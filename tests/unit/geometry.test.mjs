// The pure geometry and layout functions, without a browser: the ring's layout, where
// messages are drawn (placeMessages), what releasing a dragged envelope means (dragTarget),
// where a dragged row lands (insertionIndex), and the space-time diagram's placement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ringLayout, placeMessages, dragTarget, insertionIndex } from '../../www/render.js';
import { diagramLayout, visibleRecords } from '../../www/diagram.js';

const msg = (id, from, to, extra = {}) => ({ id, from, to, kind: 'Prepare', status: 'in-flight', sent_at: 0, due: 20, ...extra });
const snap = (messages, step = 0) => ({ time: 10, step, nodes: [1, 2, 3].map((id) => ({ id })), messages, history: [] });

test('ringLayout: nodes on an ellipse, node 1 on top, the drop zone along the bottom', () => {
  const L = ringLayout([1, 2, 3], { width: 800, height: 600 });
  assert.equal(L.compact, false);
  const p1 = L.positions.get(1);
  assert.ok(Math.abs(p1.x - L.cx) < 1e-9 && p1.y < L.cy, 'node 1 is at the top');
  for (const id of [2, 3]) assert.ok(L.positions.get(id).y > p1.y);
  assert.ok(L.dropZone.y + L.dropZone.h <= 600 && L.dropZone.w > 700);
  assert.equal(ringLayout([1, 2, 3, 4, 5, 6], { width: 400, height: 400 }).small, true, 'six nodes on a small stage: small cards');
});

test('placeMessages: one place per message, on its arrow, between the cards; held ones near the sender', () => {
  const L = ringLayout([1, 2, 3], { width: 800, height: 600 });
  const a = L.positions.get(1);
  const b = L.positions.get(2);
  const places = placeMessages(snap([msg(1, 1, 2), msg(2, 1, 2, { status: 'held' }), msg(3, 3, 3)]), L);
  assert.equal(places.size, 3);
  const along = (p) => ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / ((b.x - a.x) ** 2 + (b.y - a.y) ** 2);
  const t1 = along(places.get(1));
  const t2 = along(places.get(2));
  assert.ok(t1 > 0.2 && t1 < 0.9, `in flight: along the arrow (${t1})`);
  assert.ok(t2 < t1 && t2 < 0.35, `held: nearer the sender (${t2})`);
  assert.equal(places.get(3).self, true, 'a message to itself loops');
  assert.match(places.get(1).path, /^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
});

test('placeMessages animates by time: the envelope moves from sender to receiver', () => {
  const L = ringLayout([1, 2, 3], { width: 800, height: 600 });
  const s = snap([msg(1, 1, 2, { sent_at: 0, due: 100 })]);
  const at = (time) => placeMessages(s, L, { time, animate: true }).get(1);
  const b = L.positions.get(2);
  const d = (p) => Math.hypot(p.x - b.x, p.y - b.y);
  assert.ok(d(at(90)) < d(at(50)) && d(at(50)) < d(at(10)), 'closer to the receiver as time goes on');
});

test('dragTarget: drop zone, off the stage, the receiver, the sender, back toward the sender', () => {
  const L = ringLayout([1, 2, 3], { width: 800, height: 600 });
  const m = msg(1, 1, 2);
  const z = L.dropZone;
  const a = L.positions.get(1);
  const b = L.positions.get(2);
  assert.equal(dragTarget(L, m, { x: z.x + z.w / 2, y: z.y + z.h / 2 }), 'drop');
  assert.equal(dragTarget(L, m, { x: -5, y: 100 }), 'drop', 'off the stage');
  assert.equal(dragTarget(L, m, b), 'deliver');
  assert.equal(dragTarget(L, m, a), 'hold');
  assert.equal(dragTarget(L, { ...m, status: 'held' }, a), null, 'a held message dragged to its sender stays');
  const late = { x: a.x + (b.x - a.x) * 0.7, y: a.y + (b.y - a.y) * 0.7 };
  assert.equal(dragTarget(L, { ...m, status: 'held' }, late), 'release', 'a held message dragged on toward the receiver goes');
  assert.equal(dragTarget(L, m, { x: L.cx, y: L.cy }), null, 'the middle of the ring: snap back');
});

test('insertionIndex: where a row dragged to y lands', () => {
  assert.deepEqual([0, 15, 25, 100].map((y) => insertionIndex([10, 20, 30], y)), [0, 1, 2, 3]);
  assert.equal(insertionIndex([], 5), 0);
});

test('diagramLayout: lanes left to right, a row per step, open arrowheads below now', () => {
  const s = { step: 4, nodes: [1, 2, 3].map((id) => ({ id })), messages: [msg(1, 1, 2), msg(2, 2, 3)] };
  const L = diagramLayout(s, { width: 600 });
  assert.ok(L.lanes.get(1) < L.lanes.get(2) && L.lanes.get(2) < L.lanes.get(3));
  assert.equal(L.yNow, L.yOf(4));
  assert.equal(L.yOf(1) - L.yOf(0), L.rowH);
  assert.ok(L.slotY(0) > L.yNow && L.slotY(1) > L.slotY(0));
  assert.ok(L.height >= L.slotY(1));
  assert.equal(diagramLayout(s, { width: 400 }).compact, true);
});

test('visibleRecords: the records crossing the band, found by binary search, and every pending one', () => {
  const history = [];
  for (let i = 1; i <= 1000; i++) history.push({ id: i, from: 1, to: 2, sent_step: i, end_step: i + 2, fate: 'delivered' });
  history[4] = { ...history[4], end_step: 600 }; // a long one, sent at step 5
  history[9] = { ...history[9], end_step: null, fate: 'pending' }; // pending since step 10
  const s = { step: 1000, nodes: [1, 2].map((id) => ({ id })), messages: [{ id: 10 }], history };
  const L = diagramLayout(s, { width: 600 });
  const win = { from: L.yOf(500), to: L.yOf(520) };
  const ids = (longest) => visibleRecords(s, L, win, longest).map((r) => r.id).sort((x, y) => x - y);
  const got = ids(595);
  assert.ok(got.includes(5), 'the long message that crosses the band');
  assert.ok(got.includes(10), 'the pending one');
  for (let i = 498; i <= 520; i++) assert.ok(got.includes(i), `message ${i}`);
  assert.ok(!got.includes(700), 'not one below the band');
  assert.ok(ids(2).length < 40, 'with short messages only a few records are looked at');
  assert.equal(visibleRecords(s, L, { from: -Infinity, to: Infinity }, 5).length, 1000, 'no band: all of them');
});
