import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the build's plugin is plain JavaScript without types
import { compact } from '../ru-compact.mjs';

const i18n = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'i18n');
const areas = readdirSync(join(i18n, 'ru')).filter((f) => f.endsWith('.ts'));

/** What the build ships for an area: its messages in the English keys' order. */
function built(file: string): unknown[] {
  const js = (compact as (ru: string, en: string, file: string) => string)(readFileSync(join(i18n, 'ru', file), 'utf8'), readFileSync(join(i18n, file), 'utf8'), file);
  return new Function(js.replace(/^export const \w+ = /, 'return '))() as unknown[];
}

describe('the built Russian catalogue (ru-compact.mjs)', () => {
  for (const file of areas) {
    it(`${file}: every message at its English key's position`, async () => {
      const en = ((await import(join(i18n, file))) as { en: Record<string, unknown> }).en;
      const ru = Object.values((await import(join(i18n, 'ru', file))) as Record<string, Record<string, unknown>>)[0]!;
      expect(built(file)).toEqual(Object.keys(en).map((k) => ru[k]));
    });
  }
});
