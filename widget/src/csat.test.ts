import { afterEach, describe, expect, it } from 'vitest';
import { CSAT_TEXTS, changeable, csatTexts } from './csat.js';
import { setLocale } from './i18n.js';

describe('CSAT survey in the widget', () => {
  afterEach(() => setLocale('en'));

  it('may be answered while open, and changed only until the hub’s deadline', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(changeable({ rating: null }, now)).toBe(true);
    expect(changeable({ rating: 4, editableUntil: '2026-12-03T11:59:00Z' }, now)).toBe(true);
    expect(changeable({ rating: 4, editableUntil: '2026-12-02T11:59:00Z' }, now)).toBe(false);
    expect(changeable({ rating: 4 }, now)).toBe(false);
  });

  it('speaks the chat’s language: Russian for any Russian locale, English otherwise', () => {
    setLocale('ru-RU');
    expect(csatTexts().ask).toBe('Как мы справились?');
    setLocale('de');
    expect(csatTexts().ask).toBe('How did we do?');
  });

  it('has every text in both languages, with a label for each of the five ratings', () => {
    expect(Object.keys(CSAT_TEXTS.ru)).toEqual(Object.keys(CSAT_TEXTS.en));
    for (const texts of Object.values(CSAT_TEXTS)) {
      expect(texts.ratings).toHaveLength(5);
      expect(texts.score).toContain('{n}');
      expect(texts.score).toContain('{label}');
      expect(texts.yours).toContain('{n}');
    }
  });
});
