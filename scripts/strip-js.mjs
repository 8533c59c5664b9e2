#!/usr/bin/env node
// Strips comments, indentation and blank lines from ES modules, in place, for dist/ only:
//   node scripts/strip-js.mjs FILE.js...
// No renaming, no rewriting: every token is kept as written, line breaks are kept (so
// automatic semicolon insertion cannot change), template literals are copied verbatim.
// Dependency-free on purpose (no bundler or minifier package). A file is left as it was when
//   - scanning it fails (an unterminated string, template, comment or regex), or
//   - the stripped text does not scan to the same tokens, or
//   - the stripped text is not a valid module (`node --input-type=module --check`), or
//   - something other than whitespace and comments was removed.
// Regex-or-division is decided by the previous token, as usual; the code in www/ never puts
// a regex literal right after `)`, `]` or `}`.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const REGEX_AFTER_KW = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** Scan `src`; returns { out, tokens } (tokens: significant tokens, for the self-check). */
export function scan(src) {
  let out = '';
  const tokens = [];
  let i = 0;
  const n = src.length;
  const tpl = []; // brace depth at each open `${`
  let depth = 0;
  let prev = ''; // previous significant token
  let prevKind = ''; // 'id' | 'num' | 'str' | 'punct' | 'regex' | 'tpl'
  const emitSpace = () => { if (out && !/[\s]$/.test(out)) out += ' '; };
  const emitNewline = () => {
    out = out.replace(/[ \t]+$/, '');
    if (out && !out.endsWith('\n')) out += '\n';
  };
  const regexAllowed = () => prevKind === '' || (prevKind === 'punct' && !/^[)\]}]$/.test(prev)) || (prevKind === 'id' && REGEX_AFTER_KW.has(prev));

  function readTemplate() { // at a backtick or after a `}` closing `${`; copies verbatim
    let s = '';
    while (i < n) {
      const c = src[i];
      if (c === '\\') { s += src.slice(i, i + 2); i += 2; continue; }
      if (c === '`') { s += c; i++; return { s, done: true }; }
      if (c === '$' && src[i + 1] === '{') { s += '${'; i += 2; return { s, done: false }; }
      s += c; i++;
    }
    throw new Error('unterminated template');
  }

  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '\n') { emitNewline(); i++; while (i < n && (src[i] === ' ' || src[i] === '\t')) i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { emitSpace(); i++; continue; }
    if (c === '/' && d === '/') { while (i < n && src[i] !== '\n') i++; continue; }
    if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      if (src.slice(i, end).includes('\n')) emitNewline(); else emitSpace();
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c) { if (src[j] === '\\') j++; if (src[j] === '\n') throw new Error('newline in string'); j++; }
      const s = src.slice(i, j + 1);
      out += s; tokens.push(s); i = j + 1; prev = s; prevKind = 'str';
      continue;
    }
    if (c === '`') {
      i++;
      const { s, done } = readTemplate();
      out += '`' + s; tokens.push('`' + s);
      if (!done) { tpl.push(depth); depth++; prevKind = 'punct'; prev = '${'; } else { prevKind = 'tpl'; prev = '`'; }
      continue;
    }
    if (c === '}' && tpl.length && tpl[tpl.length - 1] === depth - 1) {
      tpl.pop(); depth--; i++;
      const { s, done } = readTemplate();
      out += '}' + s; tokens.push('}' + s);
      if (!done) { tpl.push(depth); depth++; prevKind = 'punct'; prev = '${'; } else { prevKind = 'tpl'; prev = '`'; }
      continue;
    }
    if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let cls = false;
      while (j < n) {
        const x = src[j];
        if (x === '\\') { j += 2; continue; }
        if (x === '\n') throw new Error(`newline in regex at ${i}`);
        if (x === '[') cls = true; else if (x === ']') cls = false; else if (x === '/' && !cls) break;
        j++;
      }
      j++;
      while (j < n && /[a-z]/i.test(src[j])) j++;
      const s = src.slice(i, j);
      out += s; tokens.push(s); i = j; prev = s; prevKind = 'regex';
      continue;
    }
    if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$\u0080-\uffff]/.test(src[j])) j++;
      const s = src.slice(i, j);
      out += s; tokens.push(s); i = j; prev = s; prevKind = 'id';
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(d))) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(src[j])) j++;
      const s = src.slice(i, j);
      out += s; tokens.push(s); i = j; prev = s; prevKind = 'num';
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    out += c; tokens.push(c); i++; prev = c; prevKind = 'punct';
  }
  return { out: out.replace(/^\n/, ''), tokens };
}

/** Every character removed from `src` is whitespace or part of a comment that starts with // or /*. */
function onlyCommentsRemoved(src, out) {
  let i = 0;
  for (let j = 0; j < out.length; j++) {
    const c = out[j];
    if (/\s/.test(c)) continue;
    for (;;) {
      if (i >= src.length) return false;
      if (src[i] === c) break;
      if (/\s/.test(src[i])) { i++; continue; }
      if (src.startsWith('//', i)) { const e = src.indexOf('\n', i); i = e < 0 ? src.length : e; continue; }
      if (src.startsWith('/*', i)) { const e = src.indexOf('*/', i + 2); if (e < 0) return false; i = e + 2; continue; }
      return false;
    }
    i++;
  }
  return true;
}

/** The stripped source, or null when any check fails (then the file is shipped as it is). */
export function strip(src) {
  let a;
  let b;
  try {
    a = scan(src);
    b = scan(a.out);
  } catch {
    return null;
  }
  if (a.tokens.length !== b.tokens.length || a.tokens.some((t, k) => t !== b.tokens[k])) return null;
  if (!onlyCommentsRemoved(src, a.out)) return null;
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: a.out });
  return check.status === 0 ? a.out : null;
}

let before = 0;
let after = 0;
for (const file of process.argv.slice(2)) {
  const src = readFileSync(file, 'utf8');
  const out = strip(src);
  before += src.length;
  after += (out ?? src).length;
  if (out == null) console.error(`strip-js: ${file} left as it is (a check failed)`);
  else writeFileSync(file, out);
}
if (process.argv.length > 2) console.log(`strip-js: ${process.argv.length - 2} files, ${before} -> ${after} bytes`);
