// Bundles the widget: dist/widget.js, the small classic script pages load with a script tag (the
// loader), and dist/widget/*.js, the chat as ES modules the loader imports when needed — the core
// (chat-<hash>.js and the chunks it imports) and the chunks the core imports on first need
// (another language, pre-chat form, offline form, emoji grid, suggestions, alerts).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dist = here('./dist/');
const chatDir = `${dist}widget/`;

const common = {
  bundle: true,
  platform: 'browser',
  // Browsers with ES modules, dynamic import() and class fields (2021 on): nothing to lower, no helpers.
  target: ['chrome91', 'edge91', 'firefox90', 'safari15'],
  minify: true,
  // External: the hub serves only the scripts; the maps stay beside them for debugging.
  sourcemap: 'external',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  metafile: true,
  // The same output, names and hashes included, whichever directory the build runs from.
  absWorkingDir: here('.'),
};

// Hashed names only: files of an earlier build must not linger and be served or counted.
rmSync(chatDir, { recursive: true, force: true });
rmSync(`${dist}widget-chat.js`, { force: true });
rmSync(`${dist}widget-chat.js.map`, { force: true });

const chat = await build({
  ...common,
  entryPoints: { chat: here('./src/main.tsx') },
  outdir: chatDir,
  format: 'esm',
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
});

/** The output files the entry needs before it runs: itself, then every chunk it imports statically, transitively. */
const outputs = chat.metafile.outputs;
const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint && file.endsWith('.js'));
const core = [entry];
for (const file of core) {
  for (const { path, kind } of outputs[file].imports) if (kind === 'import-statement' && !core.includes(path)) core.push(path);
}
const relative = (file) => `widget/${file.split('/').pop()}`;

await build({
  ...common,
  entryPoints: [here('./src/loader.ts')],
  outfile: `${dist}widget.js`,
  format: 'iife',
  define: { ...common.define, __SB_CHAT_FILES__: JSON.stringify(core.map(relative)) },
});

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (file) => gzipSync(readFileSync(resolve(here('.'), file)), { level: 9 }).length;
const loader = gz(`${dist}widget.js`);
const coreSize = core.reduce((sum, file) => sum + gz(file), 0);
const all = Object.keys(outputs).filter((file) => file.endsWith('.js'));
console.log(`widget: dist/widget.js (loader) ${kb(loader)} gzip`);
console.log(`widget: core (${core.map(relative).join(' ')}) ${kb(coreSize)} gzip; first chat (loader + core) ${kb(loader + coreSize)} gzip`);
for (const file of all.filter((f) => !core.includes(f))) console.log(`widget: ${relative(file)} (lazy) ${kb(gz(file))} gzip`);
