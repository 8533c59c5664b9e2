// Smoke test: the demo page (www/index.html) loads in Chromium without a console error or an
// uncaught exception, and registers the <paxos-scope> custom element (which needs the wasm).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WWW, startServer, launchBrowser, openPage } from './harness.mjs';

const page = join(WWW, 'index.html');
const skip = existsSync(page) ? false : `no ${page} yet (the front end is not written)`;

let server, browser;
before(async () => {
  if (skip) return;
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('www/index.html loads with no errors and defines <paxos-scope>', { skip }, async () => {
  const { page, errors } = await openPage(browser, server.url);
  const defined = await page.evaluate(() => Promise.race([
    customElements.whenDefined('paxos-scope').then(() => true),
    new Promise((ok) => setTimeout(() => ok(false), 10_000)),
  ]));
  assert.equal(defined, true,
    `customElements.whenDefined('paxos-scope') did not resolve in 10 s; errors:\n${errors.join('\n')}`);
  assert.equal(await page.evaluate(() => typeof customElements.get('paxos-scope')), 'function');
  await page.waitForLoadState('networkidle');   // late module/wasm errors land before we look
  assert.deepEqual(errors, []);
});
