// Stories that survive curiosity (issue 11), in the controller without a DOM: Step means
// Next while a story has steps left, any other action branches and keeps the story,
// switchFuture() and undo bring it back, fast-forward to the next caption, the readable pace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, storyState, readingMs } from '../../www/controller.js';
import { Simulation } from '../../www/core.js';
import { loadCoreInNode } from './core.mjs';

const STORY = 'proposer-fails-during-accept';

function controller(hooks = {}) {
  const ctl = new Controller({ change() {}, event() {}, error: (e) => { throw e; }, ...hooks });
  return ctl;
}

async function story(name = STORY) {
  await loadCoreInNode();
  const ctl = controller();
  ctl.loadScenario(name);
  return ctl;
}

test('in a story, Step means Next: the story keeps all its steps', async () => {
  const ctl = await story();
  const len = ctl.model.trace_len;
  assert.equal(len, 31);
  for (let i = 0; i < 3; i++) ctl.redo();
  assert.equal(storyState(ctl.model).ahead, true);
  const caption = ctl.model.caption;
  assert.equal(ctl.step(), true);
  assert.equal(ctl.model.step, 4);
  assert.equal(ctl.model.trace_len, len, 'the history keeps its 31 steps');
  assert.equal(ctl.model.branch, null, 'nothing was set aside');
  assert.equal(storyState(ctl.model).ahead, true, 'Next still works');
  assert.ok(ctl.model.caption, `a caption at step 4 (was ${caption})`);
});

test('any other action branches: the story is kept; switchFuture brings it back with its caption', async () => {
  const ctl = await story();
  for (let i = 0; i < 3; i++) ctl.redo();
  const caption = ctl.model.caption;
  ctl.run(50);
  let st = storyState(ctl.model);
  assert.equal(st.left, 3, 'left the story at step 3');
  assert.equal(st.ahead, false);
  assert.equal(ctl.model.caption, null, 'no caption off script');
  assert.equal(ctl.model.branch.steps, 28);
  assert.ok(ctl.model.step > 3);
  ctl.step(); // off script, Step is the simulator's step again
  ctl.switchFuture();
  st = storyState(ctl.model);
  assert.equal(ctl.model.step, 3);
  assert.equal(ctl.model.trace_len, 31, 'the story is back');
  assert.equal(ctl.model.caption, caption, 'with its caption');
  assert.equal(st.ahead, true);
  assert.equal(st.left, null);
  assert.equal(ctl.model.branch.story, false, 'the detour is kept in its place');
  ctl.redo();
  assert.equal(ctl.model.step, 4);
});

test('undo back to the branch point brings the story back (a click on a message, a crash)', async () => {
  const ctl = await story();
  for (let i = 0; i < 3; i++) ctl.redo();
  const id = ctl.model.messages[0].id;
  ctl.deliver(id);
  assert.equal(storyState(ctl.model).left, 3);
  ctl.crash(2);
  ctl.undo();
  assert.equal(storyState(ctl.model).left, 3, 'one undo: still off script');
  ctl.undo();
  assert.equal(ctl.model.step, 3);
  assert.equal(ctl.model.trace_len, 31);
  assert.equal(storyState(ctl.model).ahead, true);
  assert.ok(ctl.model.caption);
});

test('outside a story, acting in the past keeps the old future one undo away', async () => {
  await loadCoreInNode();
  const ctl = controller();
  ctl.install(new Simulation({ nodes: 3, proposers: [1] }));
  ctl.propose(1, 'Green');
  ctl.run(100);
  const end = ctl.model.step;
  ctl.seek(2);
  ctl.step();
  const st = storyState(ctl.model);
  assert.deepEqual(st.other, { at: 2, steps: end - 2 });
  assert.equal(st.left, null);
  ctl.switchFuture();
  assert.equal(ctl.model.step, 2);
  assert.equal(ctl.model.trace_len, end, 'the old future is back');
  assert.throws(() => controller().switchFuture(), /switchFuture: the simulator is not ready/);
  const fresh = controller();
  fresh.install(new Simulation({}));
  assert.throws(() => fresh.switchFuture(), /^Error: switchFuture: there is no other future/);
});

test('fast-forward lands on next_caption; at the end there is none', async () => {
  const ctl = await story('lossy-network');
  let guard = 0;
  while (storyState(ctl.model).ahead && guard++ < 100) {
    const target = ctl.model.next_caption ?? ctl.model.trace_len;
    ctl.nextCaption();
    assert.equal(ctl.model.step, target);
  }
  assert.equal(ctl.model.step, ctl.model.trace_len);
  assert.throws(() => ctl.nextCaption(), /nextCaption: there is no story ahead/);
});

test('playing a story: one captioned beat at a time, each left up long enough to read; it stops at the end', async () => {
  await loadCoreInNode();
  const queue = [];
  const ctl = controller({ schedule: (cb) => queue.push(cb), cancel() {} });
  ctl.loadScenario('happy-path');
  ctl.play();
  let ts = 0;
  const tick = (ms) => { ts += ms; queue.shift()?.(ts); };
  tick(0);
  // the first beat comes soon after Play
  for (let i = 0; i < 9; i++) tick(100);
  assert.equal(ctl.model.step, 1, 'first beat after 0.8 s');
  const wait = readingMs(ctl.model.caption);
  assert.ok(wait >= 2000 && wait <= 9000);
  for (let t = 0; t < wait - 200; t += 100) tick(100);
  assert.equal(ctl.model.step, 1, 'the caption stays while it is read');
  for (let i = 0; i < 4; i++) tick(100);
  assert.ok(ctl.model.step > 1, 'then the next beat');
  assert.ok(ctl.model.next_caption == null || ctl.model.caption, 'it lands on a caption');
  ctl.speed = 64;
  for (let i = 0; i < 2000 && ctl.playing; i++) tick(100);
  assert.equal(ctl.playing, false, 'play stops at the story end');
  assert.equal(ctl.model.step, ctl.model.trace_len);
  assert.equal(ctl.model.branch, null, 'and never ran past its script');
  assert.ok(readingMs('x'.repeat(200)) > readingMs('short'));
});
