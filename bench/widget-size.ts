/**
 * What the website widget costs every visitor of every customer site, in gzipped JavaScript, next
 * to the two libraries it would otherwise be made of, bundled in the same run the same way.
 *
 *   node --import tsx bench/widget-size.ts [--no-build]
 *
 * Builds the widget (`widget/build.mjs`; `--no-build` reads widget/dist as it is), then prints the
 * loader (dist/widget.js, what the snippet loads), the core (the chat entry, one file: what every
 * chatting visitor downloads), each lazy chunk (loaded on first need), "first
 * chat" (loader + core: chatting in English with an inbox online and no pre-chat form) and
 * "everything" against the figures of widget/test/bundle-size.test.ts; then socket.io-client
 * alone and preact alone, bundled here with the widget's esbuild options, and where the core's
 * bytes come from. Sizes are gzip level 9 per file, like the budget test.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { chatFiles, coreFiles, lazyFiles, LOADER, read } from '../widget/test/dist-files.js';
import { recordResults, target } from './lib/results.js';
import { machine, table } from './lib/stats.js';

const LOADER_BUDGET = 3 * 1024;
/** The issue's figure for the whole widget; the test holds "first chat" to it once reached. */
const ISSUE_TARGET = 15 * 1024;

const widget = (p: string) => fileURLToPath(new URL(`../widget/${p}`, import.meta.url));
const gzip = (code: Uint8Array | string) => gzipSync(code, { level: 9 }).length;
const brotli = (code: Uint8Array | string) => brotliCompressSync(code).length;
const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;

/** The widget's own esbuild options (widget/build.mjs), so the libraries are measured as the widget would ship them. */
const options: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome91', 'edge91', 'firefox90', 'safari15'],
  minify: true,
  legalComments: 'none',
  write: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
};

/** Bundle a few lines of source that use a library the way a widget would; returns the minified code. */
async function bundle(contents: string): Promise<Uint8Array> {
  const out = await build({ ...options, stdin: { contents, resolveDir: widget('src'), loader: 'ts' } });
  return out.outputFiles![0]!.contents;
}

async function main(): Promise<void> {
  console.log(`widget-size: gzip -9 of what a page downloads — ${await machine()}`);
  if (!process.argv.includes('--no-build')) execFileSync(process.execPath, [widget('build.mjs')], { stdio: 'ignore' });
  const size = (files: string[]) => files.reduce((sum, file) => sum + gzip(read(file)), 0);
  const loader = gzip(read(LOADER));
  const core = size(coreFiles());
  const firstChat = loader + core;
  const everything = loader + size(chatFiles());

  table('widget (widget/dist)', [
    ['widget.js (loader)', `${bytes(loader)} gzip, ${bytes(read(LOADER).length)} raw — budget ${bytes(LOADER_BUDGET)}, ${roomOf(loader, LOADER_BUDGET)}`],
    ...coreFiles().map((file): [string, string] => [`${file} (core)`, `${bytes(gzip(read(file)))} gzip`]),
    ['core', `${bytes(core)} gzip`],
    ...lazyFiles().map((file): [string, string] => [`${file} (lazy)`, `${bytes(gzip(read(file)))} gzip`]),
    ['first chat (loader + core)', `${bytes(firstChat)} gzip (${kib(firstChat)}) — issue target ${bytes(ISSUE_TARGET)}, ${roomOf(firstChat, ISSUE_TARGET)}`],
    ['first chat, brotli', bytes(brotli(read(LOADER)) + coreFiles().reduce((sum, file) => sum + brotli(read(file)), 0))],
    ['everything (loader + every chunk)', `${bytes(everything)} gzip (${kib(everything)})`],
  ]);

  // The client the widget no longer ships, with the transports it would use; and the UI library it does ship.
  const socketIo = await bundle(`import { io } from 'socket.io-client'; (globalThis as any).c = io('https://hub.example/widget', { auth: (cb: any) => cb({}) });`);
  const preact = await bundle(`export * from 'preact'; export * from 'preact/hooks'; export * from 'preact/jsx-runtime';`);
  const wire = await bundle(`import { createWire } from './wire.ts'; (globalThis as any).c = createWire('https://hub.example', '/widget', { auth: () => ({}) });`);
  table('the same run, bundled alone with the widget’s esbuild options', [
    ['socket.io-client (io() + manager, polling + websocket)', `${bytes(gzip(socketIo))} gzip`],
    ['widget/src/wire.ts (what replaces it)', `${bytes(gzip(wire))} gzip — ${ratio(gzip(wire), gzip(socketIo))} of socket.io-client`],
    ['preact + preact/hooks + jsx-runtime (everything)', `${bytes(gzip(preact))} gzip`],
    ['first chat ÷ socket.io-client', ratio(firstChat, gzip(socketIo))],
    ['first chat ÷ preact', ratio(firstChat, gzip(preact))],
  ]);

  // Where the core's bytes come from: minified bytes per source file (gzip cannot be split per file),
  // from the metafile of the build's core (widget/build.mjs writes it beside dist/widget/).
  const inputs = JSON.parse(readFileSync(widget('dist/core-inputs.json'), 'utf8')) as Record<string, { bytesInOutput: number }>;
  const groups = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const group = input.includes('node_modules/preact') ? 'preact' : input.replace(/^.*widget\/src\//, 'src/');
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
  }
  const minified = [...groups.values()].reduce((a, b) => a + b, 0);
  table(
    'the core by source (minified bytes, share)',
    [...groups.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([group, n]): [string, string] => [group, `${bytes(n).padStart(9)}  ${((n / minified) * 100).toFixed(1).padStart(5)} %`]),
  );
  recordResults(
    'widget-size',
    {
      loaderGzipBytes: loader,
      coreGzipBytes: core,
      firstChatGzipBytes: firstChat,
      everythingGzipBytes: everything,
      lazyGzipBytes: Object.fromEntries(lazyFiles().map((file) => [file, gzip(read(file))])),
      socketIoClientGzipBytes: gzip(socketIo),
      wireGzipBytes: gzip(wire),
      preactGzipBytes: gzip(preact),
      coreMinifiedBytesBySource: Object.fromEntries(groups),
    },
    [
      target('widget.js (loader) gzip ≤ budget', loader, 'atMost', LOADER_BUDGET, 'B'),
      target('first chat (loader + core) gzip ≤ issue target', firstChat, 'atMost', ISSUE_TARGET, 'B'),
    ],
    { build: !process.argv.includes('--no-build') },
  );
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const roomOf = (used: number, budget: number) => (used <= budget ? `${bytes(budget - used)} left` : `${bytes(used - budget)} OVER`);

await main();
