// The example documentation site: docs/book built with mdBook, dist/ copied in as
// paxoscope/ (scripts/build-book.sh), served and read in Chromium. Its chapter embeds two
// widgets; both must run. Skipped when mdbook is not installed (scripts/install.sh installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, openPage } from './harness.mjs';

const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');
const PATH = `${cargoBin}:${process.env.PATH}`;
function hasMdbook() {
  try {
    execFileSync('mdbook', ['--version'], { env: { ...process.env, PATH }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = !existsSync(join(ROOT, 'www/pkg/paxoscope_bg.wasm')) ? 'the wasm core is not built (run make build)'
  : !hasMdbook() ? 'mdbook is not installed (scripts/install.sh installs it)' : false;

let server;
let browser;
before(async () => {
  if (skip) return;
  execFileSync('bash', [join(ROOT, 'scripts/build-book.sh')], { env: { ...process.env, PATH }, stdio: ['ignore', 'ignore', 'inherit'] });
  server = await startServer({ root: join(ROOT, 'target/book') });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the mdBook chapter embeds two widgets that run', { skip }, async () => {
  const { page, errors } = await openPage(browser, `${server.url}leader-dies.html`, { context: { viewport: { width: 1100, height: 900 } } });
  assert.match(await page.title(), /leader dies/i, 'an mdBook page');
  assert.equal(await page.locator('paxos-scope').count(), 2);
  await page.evaluate(() => document.getElementById('story').ready);

  // The story: Next walks it, with its caption.
  const story = page.locator('#story');
  const caption = story.locator('.caption-text');
  const first = await caption.textContent();
  await story.getByRole('button', { name: 'Next ▶' }).click();
  assert.equal(await page.evaluate(() => document.getElementById('story').snapshot().step), 1);
  assert.notEqual(await caption.textContent(), first, 'the caption follows the story');

  // The sandbox, further down, starts when scrolled to; then click a node, propose, run.
  const sandbox = page.locator('#sandbox');
  await sandbox.scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('sandbox').ready);
  await sandbox.locator('.node[data-node-id="2"]').click();
  await sandbox.locator('section.details').getByRole('textbox').fill('Blue');
  await sandbox.locator('section.details').getByRole('button', { name: 'Propose' }).click();
  await sandbox.locator('header').getByRole('button', { name: 'Run' }).click();
  const s = await page.evaluate(() => document.getElementById('sandbox').snapshot());
  assert.equal(s.nodes.length, 5);
  assert.equal(s.chosen, 'Blue');
  assert.equal(await page.evaluate(() => document.getElementById('story').snapshot().step), 1, 'the story did not move');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(errors, []);
  await page.close();
});

// theme="inherit" follows mdBook's theme (its class on <html>), live, whatever the OS prefers.
test('the widgets follow the theme picked in mdBook, not the OS', { skip }, async () => {
  for (const os of ['light', 'dark']) {
    const { page, errors } = await openPage(browser, `${server.url}leader-dies.html`, {
      context: { viewport: { width: 1100, height: 900 }, colorScheme: os },
    });
    await page.evaluate(() => document.getElementById('story').ready);
    const bg = () => page.evaluate(() => getComputedStyle(document.getElementById('story')).backgroundColor);
    const LIGHT = 'rgb(246, 247, 249)';
    const DARK = 'rgb(18, 20, 25)';
    const pick = async (theme) => {
      // The paintbrush opens the list (it may still be open from the last pick).
      if (!(await page.locator('#mdbook-theme-list').isVisible())) await page.locator('#mdbook-theme-toggle').click();
      await page.locator(`#mdbook-theme-${theme}`).click();
      assert.ok(await page.evaluate((t) => document.documentElement.classList.contains(t), theme), `mdBook switched to ${theme}`);
    };
    // mdBook starts on its light theme, or its dark one (navy) when the OS is dark.
    assert.equal(await bg(), os === 'dark' ? DARK : LIGHT, `OS ${os}: the book's default theme`);
    for (const [theme, want] of [['coal', DARK], ['light', LIGHT], ['navy', DARK], ['rust', LIGHT], ['ayu', DARK]]) {
      await pick(theme);
      await page.waitForFunction((w) => getComputedStyle(document.getElementById('story')).backgroundColor === w, want, { timeout: 2000 })
        .catch(() => {});
      assert.equal(await bg(), want, `OS ${os}, mdBook ${theme}: the story widget`);
    }
    // The sandbox, started later, reads the theme the book has now (ayu: dark).
    await page.locator('#sandbox').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('sandbox').ready);
    assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('sandbox')).backgroundColor), DARK);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
