// Links and files that replay exactly: helpers for the element's time bar (file names,
// downloads, the clipboard, checked file reads; loaded on first use by timetravel.js) and for
// a page that opens what its URL names (`?scenario=NAME`, `#<share fragment>`).

const slug = (x) => String(x).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);

/** paxoscope-<scenario or cluster>-step<N>.json */
export function traceFileName(snap) {
  const c = snap.config || {};
  let what = snap.scenario ? slug(snap.scenario) : '';
  if (!what) {
    const parts = [`${c.nodes ?? snap.nodes.length}-nodes`];
    if (c.distinguished) parts.push('leader');
    if (c.bug) parts.push(slug(c.bug));
    if (c.seed != null && c.seed !== 1) parts.push(`seed${c.seed}`);
    what = parts.join('-');
  }
  return `paxoscope-${what || 'run'}-step${snap.step}.json`;
}

/** Save `text` as a file called `name` (Blob + <a download>, inside `parent`). */
export function download(parent, name, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  parent.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copy `text` to the clipboard; resolves true on success, false if the browser refused. */
export async function copyText(text) {
  try {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function megabytes(n) {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The text of a user-chosen trace file, or an Error saying why not (more than `limit` bytes,
 * the core's limits.max_trace_bytes: checked from its size before reading a byte;
 * unreadable; empty).
 * @param {File} file
 * @param {number} limit
 */
export async function readTraceFile(file, limit) {
  const name = file && file.name ? `“${file.name}”` : 'the file';
  if (!file || typeof file.size !== 'number') return new Error('no file was chosen');
  if (file.size > limit) {
    return new Error(`${name} is ${megabytes(file.size)}; a trace file can be at most ${megabytes(limit)}, so it was not read`);
  }
  if (file.size === 0) return new Error(`${name} is empty`);
  try {
    return await file.text();
  } catch (e) {
    return new Error(`${name} could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The share fragment in a URL, a '#fragment' or a bare fragment. */
export function fragmentOf(text) {
  const t = String(text).trim();
  const i = t.indexOf('#');
  return i >= 0 ? t.slice(i + 1) : t;
}

/**
 * Open what a page URL names on `el` (a ready <paxos-scope>): `?scenario=NAME` loads that
 * story, then a `#fragment` opens that share link. A bad one shows the element's error
 * banner and leaves the simulation as it was. Returns what was opened.
 */
export function openFromLocation(/** @type {import('./paxos-scope').PaxosScope} */ el, /** @type {{ search: string, hash: string }} */ loc = globalThis.location) {
  const opened = [];
  /** @type {string | null} */
  let name = null;
  try {
    name = new URLSearchParams(loc.search).get('scenario');
  } catch { /* no search part */ }
  if (name != null) {
    try {
      el.loadScenario(name);
      opened.push('scenario');
    } catch { /* shown in the banner */ }
  }
  const hash = loc.hash && loc.hash.length > 1 ? loc.hash.slice(1) : '';
  if (hash) {
    try {
      el.openShare(hash);
      opened.push('share');
    } catch { /* shown in the banner */ }
  }
  return opened;
}
