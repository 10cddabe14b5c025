import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * Byte budget for what every visitor of every customer site downloads. Raise it only on purpose,
 * with the reason in the change. preact + socket.io-client are about 20 KiB of the gzipped total.
 */
const BUDGET_GZIP = 28 * 1024;
const BUNDLE = new URL('../dist/widget.js', import.meta.url);

describe('widget bundle', () => {
  it('is built (npm test builds it; alone: npm run build -w @switchboard/widget)', () => {
    expect(existsSync(BUNDLE)).toBe(true);
  });

  it(`stays within ${BUDGET_GZIP / 1024} KiB gzipped`, () => {
    const code = readFileSync(BUNDLE);
    const gzip = gzipSync(code, { level: 9 }).length;
    console.log(`widget.js: ${code.length} B raw, ${gzip} B gzip (budget ${BUDGET_GZIP})`);
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP);
  });

  it('is a self-contained script with no development code', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toContain('process.env');
    expect(code).not.toContain('typebox');
  });
});
