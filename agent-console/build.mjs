// Builds the agent console into dist/: app.js (ESM, minified) with its code-split chunks, app.css
// and index.html. The hub serves dist/ under /console/ and index.html at /. Screens not every
// agent opens (knowledge base authoring, channel settings) are `import()`ed on first use, so they
// ship as chunks fetched relative to app.js; code they share with app.js sits in chunk-<hash>.js
// files that app.js imports and index.html preloads. Prints raw and gzip sizes.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ruCompact } from './ru-compact.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.tsx' },
  outdir: 'dist',
  // A lazily loaded screen is named after its file (kb-view-<hash>.js); shared code is chunk-<hash>.js.
  splitting: true,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  metafile: true,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  // Russian text as itself, not \uXXXX escapes: the Russian catalogue is ~15% smaller gzipped.
  // The hub sends scripts as UTF-8.
  charset: 'utf8',
  // The Russian catalogue's areas as arrays in the English keys' order: no keys in the ru chunk.
  plugins: [ruCompact()],
  logLevel: 'warning',
});

await build({
  entryPoints: [join(root, 'src/styles.css')],
  outfile: join(dist, 'app.css'),
  bundle: true,
  minify: true,
  target: ['chrome111', 'firefox113', 'safari16.4'],
  logLevel: 'warning',
});

/** Output files app.js needs before it runs: itself and what it imports statically, transitively. */
function initialFiles(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  return [...seen].map((f) => basename(f));
}
const initial = initialFiles('dist/app.js');

const js = await readFile(join(dist, 'app.js'));
const css = await readFile(join(dist, 'app.css'));
// Content hashes in the URLs, so a new build is never mixed with a cached old one (chunks carry theirs in the name).
const v = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 10);

const favicon =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%234f46e5'/%3E%3Cpath d='M9 10.5c6 0 8 11 14 11M9 21.5c6 0 8-11 14-11' fill='none' stroke='%23fff' stroke-width='2.6' stroke-linecap='round'/%3E%3C/svg%3E";

// Preloading the shared chunks fetches them alongside app.js instead of after it.
const preloads = initial
  .filter((f) => f !== 'app.js')
  .map((f) => `<link rel="modulepreload" href="/console/${f}">\n`)
  .join('');

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#4f46e5">
<title>Switchboard</title>
<link rel="icon" href="${favicon}">
<link rel="stylesheet" href="/console/app.css?v=${v(css)}">
<script type="module" src="/console/app.js?v=${v(js)}"></script>
${preloads}</head>
<body>
<div id="app"></div>
<noscript>The Switchboard agent console needs JavaScript.</noscript>
</body>
</html>
`;
await writeFile(join(dist, 'index.html'), html);

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const line = (name, buf, note = '') =>
  console.log(`agent-console dist/${name.padEnd(30)} ${kb(buf.length).padStart(9)} raw  ${kb(gzipSync(buf, { level: 9 }).length).padStart(8)} gzip${note}`);
const scripts = Object.keys(metafile.outputs)
  .filter((f) => f.endsWith('.js'))
  .map((f) => basename(f))
  .sort((a, b) => (a === 'app.js' ? -1 : b === 'app.js' ? 1 : a.localeCompare(b)));
for (const name of scripts) line(name, await readFile(join(dist, name)), initial.includes(name) ? '  (loads with the page)' : '  (loaded on first use)');
line('app.css', css);
line('index.html', Buffer.from(html));
