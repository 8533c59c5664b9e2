// esbuild, as scripts/dist.sh and scripts/site.sh run it, plus one thing the CLI cannot do:
// the CSS that www/ keeps in JS template literals (the constructable stylesheets of
// styles.js and styles-views.js) is minified too, as CSS, by esbuild's CSS minifier.
// www/ itself is untouched: it runs unbundled and unminified in development.
//
//   node scripts/build-js.mjs [--bundle [--splitting]] (--outfile=F | --outdir=D [--outbase=B]) entry.js...
//
// --splitting (with --bundle and --outdir): what the entry loads with import() on first use
// (the space-time diagram, the file and clipboard helpers) becomes chunks of its own beside it,
// and code shared with them a shared chunk (named paxoscope-*.js).
//
// Which literals: the ones marked in the source by a comment right before the backtick,
//   const CSS = /* css */ `...`;                 a stylesheet
//   const DARK = /* css declarations */ `...`;   a declaration list (what goes inside { })
// Interpolations are allowed only as `${identifier}` standing for declarations inside a rule
// (`{${DARK} color-scheme: dark; }`): each becomes a placeholder declaration while the
// literal is minified, and must come out exactly once, in order, still a declaration.
// Checked, failing the build (exit 1, nothing written) rather than shipping broken CSS: any
// warning of the CSS parser (CSS is error-tolerant, so a syntax error is only a warning), a
// change in the number of rules (`{`) or, in a declaration list, of declarations, an
// unsupported interpolation, a marker with no literal after it, and no marked literal at all
// in a build that includes www/styles.js.
import * as esbuild from 'esbuild';
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';

const MARKER = /\/\*\s*css( declarations)?\s*\*\/\s*`/g;
const SLOT = (k) => `--paxos-build-slot-${k}:0`;

class CssError extends Error {}

/** The template literal starting at src[start] === '`': raw static parts, interpolated identifiers, end. */
function scanTemplate(src, start, where) {
  const parts = [];
  const exprs = [];
  let chunk = start + 1;
  for (let i = chunk; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '`') {
      parts.push(src.slice(chunk, i));
      return { parts, exprs, end: i + 1 };
    } else if (c === '$' && src[i + 1] === '{') {
      parts.push(src.slice(chunk, i));
      const close = src.indexOf('}', i + 2);
      const expr = src.slice(i + 2, close).trim();
      if (close < 0 || !/^[A-Za-z_$][\w$]*$/.test(expr)) {
        throw new CssError(`${where}: only \${identifier} interpolations are supported in a CSS literal`);
      }
      exprs.push(expr);
      i = close;
      chunk = close + 1;
    }
  }
  throw new CssError(`${where}: unterminated template literal`);
}

/** The value of a raw template chunk (no backtick, no `${` in it): escapes resolved. */
const cook = (raw) => new Function(`return \`${raw}\`;`)();
/** A string back into template-literal source. */
const uncook = (s) => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
/** CSS without comments and strings, for counting. */
const bare = (css) => css.replace(/\/\*[\s\S]*?\*\/|"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*'/g, '');
const count = (s, ch) => s.split(ch).length - 1;
/** Declarations in a declaration list (top level: not inside parentheses). */
function declarations(css) {
  let depth = 0;
  let n = 0;
  let seen = false;
  for (const c of bare(css)) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ';' && depth === 0) { if (seen) n++; seen = false; continue; }
    if (!/\s/.test(c)) seen = true;
  }
  return n + (seen ? 1 : 0);
}

/** One marked literal minified: its new source text. */
async function minifyLiteral(tpl, isDecls, where) {
  const cooked = tpl.parts.map(cook);
  cooked.slice(0, -1).forEach((before, k) => {
    // Nothing before it: the start of a declaration list, or right after another interpolation.
    const prev = bare(before).trimEnd().at(-1) ?? (isDecls || k > 0 ? ';' : '');
    if (prev !== '{' && prev !== ';') {
      throw new CssError(`${where}: \${${tpl.exprs[k]}} is not at the start of a declaration (after '{' or ';')`);
    }
  });
  let css = cooked.map((s, k) => (k ? SLOT(k - 1) + ';' : '') + s).join('');
  if (isDecls) css = `x{${css}}`;
  const out = await esbuild.transform(css, { loader: 'css', minify: true, logLevel: 'silent' });
  if (out.warnings.length) {
    const w = out.warnings[0];
    throw new CssError(`${where}: the CSS parser warns: ${w.text} (line ${w.location?.line} of the literal: ${w.location?.lineText?.trim()})`);
  }
  let min = out.code.trim();
  if (count(bare(min), '{') !== count(bare(css), '{') || count(bare(min), '}') !== count(bare(min), '{')) {
    throw new CssError(`${where}: minifying changed the number of rules (${count(bare(css), '{')} -> ${
      count(bare(min), '{')}; esbuild drops empty rules and merges duplicate ones: fix the CSS)`);
  }
  if (isDecls) {
    const m = /^x\{([^{}]*)\}$/.exec(min);
    if (!m) throw new CssError(`${where}: a declaration list did not minify to one: ${min.slice(0, 80)}`);
    min = m[1];
    if (declarations(min) !== declarations(css.slice(2, -1))) {
      throw new CssError(`${where}: minifying changed the number of declarations (${declarations(css.slice(2, -1))} -> ${declarations(min)})`);
    }
  }
  // Back to a template literal: every placeholder exactly once, in order, still a declaration.
  const pieces = min.split(/--paxos-build-slot-(\d+):0/);
  if (pieces.length !== 2 * tpl.exprs.length + 1) throw new CssError(`${where}: an interpolation was lost or duplicated by minifying`);
  let code = '`' + uncook(pieces[0]);
  for (let k = 0; k < tpl.exprs.length; k++) {
    // What precedes and follows a placeholder: a rule's brace or a semicolon (or, in a
    // declaration list, its start or end).
    const edge = isDecls ? '' : '?';
    const before = pieces[2 * k].at(-1) ?? edge;
    const after = pieces[2 * k + 2][0] ?? edge;
    if (Number(pieces[2 * k + 1]) !== k || !['{', ';', ''].includes(before) || ![';', '}', ''].includes(after)) {
      throw new CssError(`${where}: the interpolation \${${tpl.exprs[k]}} moved or stopped being a declaration`);
    }
    code += '${' + tpl.exprs[k] + '}' + uncook(pieces[2 * k + 2]);
  }
  const to = pieces.filter((_, i) => i % 2 === 0).join('').length;
  return { code: code + '`', from: tpl.parts.join('').length, to };
}

/** esbuild plugin: minifies the marked CSS literals of every JS file it loads. */
function cssLiterals(stats) {
  return {
    name: 'css-literals',
    setup(build) {
      build.onLoad({ filter: /\.m?js$/ }, async ({ path }) => {
        const src = await readFile(path, 'utf8');
        const file = relative(process.cwd(), path);
        // Markers in code, not in a // comment (where the docs of a file may mention them).
        const inCode = (i) => !src.slice(src.lastIndexOf('\n', i) + 1, i).includes('//');
        const marks = [...src.matchAll(MARKER)].filter((m) => inCode(m.index));
        const stray = [...src.matchAll(/\/\*\s*css( declarations)?\s*\*\//g)].filter((m) => inCode(m.index));
        if (!stray.length) return undefined;
        try {
          if (stray.length !== marks.length) {
            throw new CssError(`${file}: a css marker comment without a template literal right after it`);
          }
          let out = '';
          let at = 0;
          for (const m of marks) {
            const tick = m.index + m[0].length - 1;
            const where = `${file}:${count(src.slice(0, m.index), '\n') + 1}`;
            const tpl = scanTemplate(src, tick, where);
            const lit = await minifyLiteral(tpl, Boolean(m[1]), where);
            out += src.slice(at, tick) + lit.code;
            at = tpl.end;
            stats.literals++;
            stats.from += lit.from;
            stats.to += lit.to;
            stats.files.add(basename(path));
          }
          return { contents: out + src.slice(at), loader: 'js' };
        } catch (e) {
          if (e instanceof CssError) return { errors: [{ text: e.message }] };
          throw e;
        }
      });
    },
  };
}

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const entryPoints = args.filter((a) => !a.startsWith('--'));
const unknown = args.filter((a) => a.startsWith('--') && !/^--(bundle|splitting|outfile=|outdir=|outbase=)/.test(a));
if (!entryPoints.length || unknown.length) {
  console.error(`build-js: usage: node scripts/build-js.mjs [--bundle [--splitting]] (--outfile=F | --outdir=D [--outbase=B]) entry.js...${
    unknown.length ? ` (unknown: ${unknown.join(' ')})` : ''}`);
  process.exit(2);
}
const stats = { literals: 0, from: 0, to: 0, files: new Set() };
try {
  await esbuild.build({
    entryPoints,
    bundle: args.includes('--bundle'),
    splitting: args.includes('--splitting'),
    chunkNames: 'paxoscope-[name]-[hash]',
    outfile: opt('outfile'),
    outdir: opt('outdir'),
    outbase: opt('outbase'),
    // es2022: the syntax www/ is written in (#private fields and methods, ??=, 1_000
    // separators), so nothing is down-levelled (below es2022 the #private fields would become
    // WeakMaps; the element needs constructable stylesheets anyway, which came later in every
    // browser). Below es2020 import.meta would be emptied: don't.
    format: 'esm',
    minify: true,
    target: 'es2022',
    logLevel: 'warning',
    // No property mangling: private state is in #private fields, which minify by themselves.
    plugins: [cssLiterals(stats)],
  });
} catch (e) {
  // esbuild has already printed its errors (the plugin's among them).
  console.error('build-js: failed, nothing written');
  process.exit(1);
}
if (stats.files.has('styles.js') === false && entryPoints.some((e) => /(^|\/)(paxoscope|styles)\.js$/.test(e))) {
  console.error('build-js: www/styles.js was built without any /* css */ literal minified: markers lost?');
  process.exit(1);
}
if (stats.literals) {
  console.log(`build-js: CSS in ${stats.literals} template literals (${[...stats.files].join(', ')}) minified: ${stats.from} -> ${stats.to} bytes`);
}
