// The explorer panel's pure parts (www/explore.js), DOM-free: reading an outcome's path, the
// diagram's mark, the caption of every step of a path opened as a story, the progress figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exploredPath, exploredMarker, exploredCaption, figures } from '../../www/explore.js';

const steps = (from, n) => Array.from({ length: n }, (_, i) => ({ step: from + i, time: 0, text: `line ${from + i}` }));

test('an outcome without a path has none to open', () => {
  for (const o of [null, undefined, 7, {}, { trace: null, steps: [], start: 3 }, { trace: '{}', steps: 'x', start: 3 }, { trace: '{}', steps: [], start: 1.5 }]) {
    assert.equal(exploredPath(o), null, JSON.stringify(o));
  }
});

test('a violation: told step by step, the last says what broke', () => {
  const x = exploredPath({ trace: '{}', start: 4, steps: steps(5, 3), goal: 'safety', title: 'At most one value is chosen', explanation: 'Green and Blue', cycle: null });
  assert.deepEqual({ start: x.start, end: x.end }, { start: 4, end: 7 });
  assert.deepEqual(exploredMarker(x), { step: 4, label: 'explorer: 3 new steps from here' });
  assert.equal(exploredCaption(x, 2), 'Explorer: from step 4, 3 new steps lead to a state where “At most one value is chosen” breaks: the shortest way.');
  assert.match(exploredCaption(x, 4), /^Explorer: your run, at step 4\. The next 3 steps are new and lead to a state where “At most one value is chosen” breaks/);
  assert.equal(exploredCaption(x, 5), 'New step 1 of 3: line 5');
  assert.equal(exploredCaption(x, 7), 'New step 3 of 3: line 7 — At most one value is chosen: Green and Blue');
});

test('a chosen value and a livelock: their own words; the cycle by turn', () => {
  const c = exploredPath({ trace: '{}', start: 0, steps: steps(1, 1), goal: 'chosen', title: 'Green is chosen', explanation: null, cycle: null });
  assert.match(exploredCaption(c, 0), /The next 1 step is new and leads to a chosen value \(Green is chosen\)/);
  const l = exploredPath({ trace: '{}', start: 2, steps: steps(3, 2 + 2 * 4), goal: 'livelock', title: 'the cycle repeats', explanation: null, cycle: { from: 5, steps: 4, shift: 1 } });
  assert.deepEqual(exploredMarker(l), { step: 4, label: 'explorer: the cycle starts here' });
  assert.match(exploredCaption(l, 2), /into a cycle of 4 steps \(from step 5\) that can repeat forever, every ballot 1 round higher each turn, no value ever chosen — shown twice/);
  assert.equal(exploredCaption(l, 4), 'New step 2 of 10: line 4');
  assert.equal(exploredCaption(l, 5), 'New step 3 of 10 (the cycle, turn 1): line 5');
  assert.equal(exploredCaption(l, 9), 'New step 7 of 10 (the cycle, turn 2): line 9');
  assert.equal(exploredCaption(l, 12), 'New step 10 of 10 (the cycle, turn 2): line 12 — and the cycle can begin again, forever.');
});

test('progress figures in words', () => {
  assert.equal(figures({ states: 1234567, depth: 14, ms: 2000, bytes: 25_000_000, memory: 70_100_000 }),
    '1,234,567 states · depth 14 · 617,284 states/s · tables 25.0 MB · memory 70.1 MB');
  assert.match(figures({ states: 0, depth: 0, ms: 0, bytes: 0, memory: 0 }), /^0 states · depth 0 · 0 states\/s/);
});
