// axe-core (node_modules/axe-core/axe.min.js, injected into the page under test: never a CDN)
// in Chromium: no serious or critical violation from Paxoscope on the demo page, a story,
// the embedding guide and the iframe page, in light and in dark (colorScheme emulation).
// axe looks inside open Shadow DOM by itself, so the widget's own UI is checked too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, useSite, openPage } from './harness.mjs';

const site = useSite();
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');

/** Every widget in every frame of `page` ready (or failed: the test's errors list says why). */
async function widgetsReady(page) {
  // A lazy iframe loads only when scrolled to.
  const iframes = page.locator('iframe');
  for (let i = 0; i < await iframes.count(); i++) {
    await iframes.nth(i).scrollIntoViewIfNeeded();
    const frame = await (await iframes.nth(i).elementHandle()).contentFrame();
    await frame.waitForLoadState('load');
  }
  for (const frame of page.frames()) {
    await frame.waitForFunction(() => customElements.get('paxos-scope') || !document.querySelector('paxos-scope'));
    // start() rather than ready: a widget below the fold starts only when scrolled to.
    await frame.evaluate(() => Promise.all([...document.querySelectorAll('paxos-scope')].map((el) => el.start())));
  }
}

/** axe's serious and critical violations in every frame, one readable line per node. */
async function axeProblems(page) {
  const lines = [];
  for (const frame of page.frames()) {
    await frame.addScriptTag({ path: AXE });
    const violations = await frame.evaluate(async () => {
      // @ts-ignore: axe is the injected global
      const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), why: n.failureSummary.split('\n').slice(1).join(' ').trim() })),
      }));
    });
    for (const v of violations) {
      for (const n of v.nodes) lines.push(`${frame.url()}: ${v.impact} ${v.id} at ${n.target}: ${n.why}`);
    }
  }
  return lines;
}

const PAGES = [
  ['the demo page, first contact', 'index.html'],
  ['free play with the diagram', 'index.html?view=both'],
  ['a story, part way', 'index.html?scenario=dueling-proposers', 4],
  ['the embedding guide', 'embed.html'],
  ['the iframe page', 'frame.html?scenario=happy-path&controls=compact&view=both', 3],
  ['the explorer\'s answer and "why is Green safe?"', 'index.html?scenario=proposer-fails-during-accept&view=both', 0, true],
];

for (const scheme of ['light', 'dark']) {
  for (const [what, path, steps = 0, tools = false] of PAGES) {
    test(`axe: ${what}, ${scheme}: no serious or critical violation`, async () => {
      const { page, errors } = await openPage(site.browser, site.server.url + path, {
        context: { colorScheme: scheme, viewport: { width: 1280, height: 900 } },
      });
      await widgetsReady(page);
      if (steps) {
        // Some steps in, so the log has past and future lines, envelopes are in flight.
        const frame = page.frames().find((f) => f.url().includes(path.split('?')[0])) ?? page.mainFrame();
        await frame.evaluate((n) => { const el = document.querySelector('paxos-scope'); for (let i = 0; i < n; i++) el.step(); el.seek(Math.max(0, el.snapshot().step - 1)); }, steps);
        // A queue row focused: its action buttons (Deliver, Hold, Dup, Drop) show and are checked too.
        const rows = page.locator('paxos-scope .queue-list .row');
        if (await rows.count()) await rows.first().focus();
      }
      if (tools) {
        // The panels loaded on first use, with their contents: a verdict with a path's steps, a reason.
        await page.evaluate(async () => {
          const el = document.querySelector('paxos-scope');
          el.seek(el.snapshot().trace_len);
          await el.why({ chosen: true });
          await el.explore({ crashes: 1 });
        });
      }
      if (path.includes('view=both')) {
        // index.html applies ?view only via the attribute; set it so the diagram is drawn.
        await page.evaluate(() => document.querySelector('paxos-scope')?.setAttribute('view', 'both'));
      }
      await page.waitForTimeout(100);
      const problems = await axeProblems(page);
      assert.deepEqual(problems, [], problems.join('\n'));
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}
