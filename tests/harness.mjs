// Test harness for the browser tests (node:test + playwright-core + Debian's Chromium).
//
//   import { startServer, launchBrowser, openPage } from './harness.mjs';
//   const server = await startServer();            // serves www/ on 127.0.0.1:<free port>
//   const browser = await launchBrowser();         // /usr/bin/chromium, headless
//   const { page, errors } = await openPage(browser, server.url);
//   ... drive the page ...
//   assert.deepEqual(errors, []);                  // console errors + uncaught page errors
//   await browser.close(); await server.close();
//
// No browser is ever downloaded: playwright-core only drives the system Chromium.
import * as testHooks from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
// The site under test: www/ unless PAXOSCOPE_WWW names another (e.g. dist/ after `make build`).
export const WWW = resolve(ROOT, process.env.PAXOSCOPE_WWW ?? 'www');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Static file server for `root` (default www/) on 127.0.0.1, on a free port.
 * GET/HEAD only; `/dir/` serves `/dir/index.html`; no caching; a missing /favicon.ico is a 204.
 * `mounts` serves other directories under URL prefixes ({'/paxoscope/': 'dist'}); `headers(path)`
 * adds response headers per URL path (e.g. a Content-Security-Policy for one test page).
 * Every response allows any origin (CORS), so a page on http://localhost:<port>/ can load
 * modules from http://127.0.0.1:<port>/ as another origin.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>} url ends with '/'.
 */
export async function startServer({ root = WWW, mounts = {}, headers = () => ({}) } = {}) {
  root = resolve(root);
  const dirs = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(ROOT, dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (req, res) => {
    try {
      const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let path = urlPath;
      if (path.endsWith('/')) path += 'index.html';
      const [prefix, base] = dirs.find(([p]) => path.startsWith(p)) ?? ['/', root];
      const file = normalize(join(base, path.slice(prefix.length - 1)));
      if (file !== base && !file.startsWith(base + sep)) throw new Error('outside root');
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'Access-Control-Allow-Origin': '*',
        ...headers(urlPath),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      // Chromium asks for /favicon.ico by itself; a 404 there would be a console error the
      // page did not cause. A missing favicon gets an empty 204, anything else missing a 404.
      if (req.url === '/favicon.ico') return res.writeHead(204).end();
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** Debian's Chromium, headless, quiet on the (closed) network. Playwright gives it a fresh profile. */
export function launchBrowser({ executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium' } = {}) {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

/**
 * A new page (own context) at `url`, loaded. `errors` collects every console error and
 * uncaught page error as a string, from before the first script runs; tests assert it empty.
 * Options: `context` (playwright context options: viewport, colorScheme, reducedMotion, …),
 * `init` (a function run in the page before its own scripts, in every frame).
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[]}>}
 */
export async function openPage(browser, url, { context: contextOptions = {}, init } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const { url: where = '', lineNumber = 0 } = msg.location() ?? {};
      errors.push(`console.error: ${msg.text()}${where ? ` (${where}:${lineNumber + 1})` : ''}`);
    }
  });
  page.on('pageerror', (err) => {
    // A module link error has an empty stack: always start with name and message.
    const head = `${err.name}: ${err.message}`;
    const stack = err.stack ?? '';
    errors.push(`pageerror: ${stack.startsWith(head) ? stack : stack ? `${head}\n${stack}` : head}`);
  });
  page.on('close', () => context.close().catch(() => {}));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

/**
 * One server (PAXOSCOPE_WWW or www/) and one Chromium for a test file, started before its
 * tests and closed after. Returns an object whose `server` and `browser` are set by then.
 */
export function useSite() {
  const site = { root: process.env.PAXOSCOPE_WWW || WWW, server: null, browser: null };
  testHooks.before(async () => {
    site.server = await startServer({ root: site.root });
    site.browser = await launchBrowser();
  });
  testHooks.after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/** The release CLI (target/release/paxoscope), built first when missing or older than the crate's sources (cargo does nothing when fresh). */
export function cli() {
  const bin = join(ROOT, 'target', 'release', 'paxoscope');
  const newest = (/** @type {string} */ dir) => readdirSync(dir, { withFileTypes: true }).reduce((t, d) => {
    const p = join(dir, d.name);
    return Math.max(t, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
  if (!existsSync(bin) || statSync(bin).mtimeMs < newest(join(ROOT, 'crate', 'src'))) {
    execFileSync('cargo', ['build', '--release', '-q', '--bin', 'paxoscope'], { cwd: ROOT, stdio: 'inherit' });
  }
  return bin;
}
