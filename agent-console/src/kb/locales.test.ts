import { describe, expect, it } from 'vitest';
import { addableLocales, COMMON_LOCALES, localeName } from './locales.js';

describe('translation languages', () => {
  it('offers the help center’s languages first, then common ones, never one the article already shows', () => {
    const offered = addableLocales(['en', 'ru'], ['en', 'ru', 'kk']);
    expect(offered[0]).toBe('kk');
    expect(offered).toContain('de');
    expect(offered).not.toContain('en');
    expect(offered).not.toContain('ru');
    expect(new Set(offered).size).toBe(offered.length);
    expect(addableLocales([], [])).toEqual(COMMON_LOCALES);
  });

  it('names languages in words, keeping a tag it cannot name', () => {
    expect(localeName('ru')).toBe('Russian');
    expect(localeName('pt-BR')).toMatch(/Portuguese/);
    expect(localeName('not a tag!')).toBe('not a tag!');
  });
});
