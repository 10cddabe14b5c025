// Bundles the widget: dist/widget.js, the small classic script pages load with a script tag (the
// loader), and dist/widget/*.js, the chat as ES modules the loader imports when needed — the core
// (chat-<hash>.js, one file) and the chunks the core imports on first need (another language,
// the pre-chat and offline forms, emoji grid, suggestions, rating, alerts).
//
// The core and the lazy chunks are two builds. The lazy chunks do not bundle their own Preact,
// hooks or texts: their imports of the modules in SHARED resolve to one module of `let`s that the
// core fills, through the chunk's `link()` export, with the values of src/shared.ts (same names,
// same order) before it uses the chunk. So the core is one file with nothing split off, and one
// Preact and one language serve the whole chat.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

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
  jsx: 'automatic',
  jsxImportSource: 'preact',
};

/** The chunks loaded on first need: the name the core imports (relative to src/) → the chunk's name. */
const LAZY = {
  './emoji.js': 'emoji',
  './forms.js': 'forms',
  './notify.js': 'notify',
  './suggestions-view.js': 'suggestions-view',
  './csat.js': 'csat',
};
/** Lazy chunks with nothing to link (no Preact, no texts): languages (plain text), uploads, identify/setAttributes. */
const PLAIN = { './locales/ru.js': 'ru', './upload.js': 'upload', './visitor.js': 'visitor' };
/** Modules the lazy chunks take from the core instead of bundling a copy (src/shared.ts lists what they may import). */
const SHARED = /^(preact|preact\/hooks|preact\/jsx-runtime|\.\/i18n\.js)$/;
const sharedNames = readFileSync(here('./src/shared.ts'), 'utf8')
  .match(/export const shared = \[([^\]]*)\]/)[1]
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

/**
 * A second pass of terser over esbuild's output (a few hundred bytes less for every visitor), with
 * safe options only, composing the source map. The names keep esbuild's hash: terser's output is a
 * function of esbuild's (the version is pinned by the lockfile).
 */
async function terse(file, module) {
  const code = readFileSync(file, 'utf8').replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '');
  const name = file.split('/').pop();
  const out = await minify(code, {
    module,
    ecma: 2020,
    compress: { passes: 3 },
    mangle: { toplevel: module },
    format: { comments: false },
    sourceMap: { content: readFileSync(`${file}.map`, 'utf8'), url: `${name}.map`, filename: name },
  });
  writeFileSync(file, out.code);
  writeFileSync(`${file}.map`, out.map);
}
const terseAll = (metafile, module) =>
  Promise.all(Object.keys(metafile.outputs).filter((file) => file.endsWith('.js')).map((file) => terse(resolve(here('.'), file), module)));

// Hashed names only: files of an earlier build must not linger and be served or counted.
rmSync(chatDir, { recursive: true, force: true });
rmSync(`${dist}widget-chat.js`, { force: true });
rmSync(`${dist}widget-chat.js.map`, { force: true });

const src = (p) => here(`./src/${p.slice(2).replace(/\.js$/, '')}`);
const lazyBuild = await build({
  ...common,
  entryPoints: Object.fromEntries([
    ...Object.entries(LAZY).map(([path, name]) => [name, `sb-lazy:${path}`]),
    ...Object.entries(PLAIN).map(([path, name]) => [name, src(path) + '.ts']),
  ]),
  outdir: chatDir,
  format: 'esm',
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  plugins: [
    {
      name: 'link-to-core',
      setup(b) {
        b.onResolve({ filter: /^sb-lazy:/ }, (args) => ({ path: args.path.slice('sb-lazy:'.length), namespace: 'sb-lazy' }));
        b.onLoad({ filter: /.*/, namespace: 'sb-lazy' }, (args) => ({
          contents: `export * from ${JSON.stringify(args.path)}; export { link } from 'sb:shared';`,
          resolveDir: here('./src'),
          loader: 'js',
        }));
        b.onResolve({ filter: /^sb:shared$/ }, () => ({ path: 'shared', namespace: 'sb-shared' }));
        b.onResolve({ filter: SHARED }, () => ({ path: 'shared', namespace: 'sb-shared' }));
        b.onLoad({ filter: /.*/, namespace: 'sb-shared' }, () => ({
          contents: `export let ${sharedNames.join(', ')};\nexport const link = (core) => { [${sharedNames.join(', ')}] = core; };`,
          loader: 'js',
        }));
      },
    },
  ],
});

await terseAll(lazyBuild.metafile, true);
const lazyOutputs = lazyBuild.metafile.outputs;
/** A chunk's file name, by the name the core imports it with. */
const chunkFile = {};
for (const [file, { entryPoint }] of Object.entries(lazyOutputs)) {
  if (!entryPoint || !file.endsWith('.js')) continue;
  const key = entryPoint.startsWith('sb-lazy:')
    ? entryPoint.slice('sb-lazy:'.length)
    : Object.keys(PLAIN).find((path) => entryPoint.endsWith(path.slice(2).replace(/\.js$/, '.ts')));
  chunkFile[key] = `./${file.split('/').pop()}`;
  // A chunk the core does not link must not take anything from it: its values would stay unset.
  const takes = (out) => Object.keys(lazyOutputs[out].inputs).includes('sb-shared:shared') || lazyOutputs[out].imports.some(({ path }) => takes(path));
  if (!entryPoint.startsWith('sb-lazy:') && takes(file)) throw new Error(`widget build: ${key} imports Preact or the texts; list it in LAZY`);
}

const chat = await build({
  ...common,
  entryPoints: { chat: here('./src/main.tsx') },
  outdir: chatDir,
  format: 'esm',
  entryNames: '[name]-[hash]',
  plugins: [
    {
      name: 'lazy-chunks',
      setup(b) {
        b.onResolve({ filter: /^\.\/(?:[\w-]+|locales\/\w+)\.js$/ }, (args) => {
          if (args.kind !== 'dynamic-import') return undefined;
          const file = chunkFile[args.path];
          if (!file) throw new Error(`widget build: ${args.path} is imported lazily but is not in LAZY or PLAIN`);
          return { path: file, external: true };
        });
      },
    },
  ],
});

await terseAll(chat.metafile, true);
const outputs = chat.metafile.outputs;
const core = Object.keys(outputs).filter((file) => outputs[file].entryPoint && file.endsWith('.js'));
const relative = (file) => `widget/${file.split('/').pop()}`;
// Where the core's bytes come from, for bench/widget-size.ts (not served: the hub serves dist/widget/*.js only).
writeFileSync(`${dist}core-inputs.json`, JSON.stringify(outputs[core[0]].inputs, null, 1));

const loaderBuild = await build({
  ...common,
  entryPoints: [here('./src/loader.ts')],
  outfile: `${dist}widget.js`,
  format: 'iife',
  define: { ...common.define, __SB_CHAT_FILES__: JSON.stringify(core.map(relative)) },
});
await terseAll(loaderBuild.metafile, false);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (file) => gzipSync(readFileSync(resolve(here('.'), file)), { level: 9 }).length;
const loader = gz(`${dist}widget.js`);
const coreSize = core.reduce((sum, file) => sum + gz(file), 0);
console.log(`widget: dist/widget.js (loader) ${kb(loader)} gzip`);
console.log(`widget: core (${core.map(relative).join(' ')}) ${kb(coreSize)} gzip; first chat (loader + core) ${kb(loader + coreSize)} gzip`);
for (const file of Object.keys(lazyOutputs).filter((f) => f.endsWith('.js'))) console.log(`widget: ${relative(file)} (lazy) ${kb(gz(file))} gzip`);
