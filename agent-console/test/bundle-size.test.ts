import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * Byte budget for what an agent's browser downloads (gzip). Raise it on purpose, in the same
 * change that needs the bytes, never to make this pass.
 */
const BUDGET = { 'app.js': 45 * 1024, 'app.css': 8 * 1024 };

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const built = existsSync(join(dist, 'app.js'));

describe('agent console bundle size', () => {
  it('is built (npm test builds it; alone: npm run build -w @switchboard/agent-console)', () => {
    expect(built).toBe(true);
  });

  for (const [file, budget] of Object.entries(BUDGET)) {
    it(`dist/${file} stays under ${(budget / 1024).toFixed(0)} kB gzip`, () => {
      const gz = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
      expect(gz).toBeLessThan(budget);
    });
  }

  it('index.html loads the bundle from /console/', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" src="\/console\/app\.js\?v=[0-9a-f]+"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/console\/app\.css\?v=[0-9a-f]+">/);
  });

  it('carries no runtime schema library (contracts are imported as types only)', () => {
    const js = readFileSync(join(dist, 'app.js'), 'utf8');
    expect(js).not.toMatch(/typebox/i);
  });
});
