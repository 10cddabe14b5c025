// Bundles the widget into one IIFE script, dist/widget.js, that pages load with a script tag.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const outfile = here('./dist/widget.js');

await build({
  entryPoints: [here('./src/main.tsx')],
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  // External: the hub serves only widget.js; the map stays beside it for debugging.
  sourcemap: 'external',
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const code = readFileSync(outfile);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`widget: dist/widget.js ${kb(code.length)} raw, ${kb(gzipSync(code, { level: 9 }).length)} gzip`);
