import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dictionaries, fileSize, loadLocale, pickLocale, setLocale, t, translator } from './i18n.js';
import { formTexts, ft } from './form-texts.js';
import { newMessages, notifyTexts } from './notify.js';
import { backAt } from './offline.js';
import { suggestTexts } from './suggestions-view.js';

const placeholders = (text: string) => [...new Set(text.match(/\{\w+\}/g))].sort();

describe('widget texts', () => {
  beforeAll(() => loadLocale('ru-RU'));
  afterEach(() => setLocale('en'));

  it('speaks English until another language’s texts are loaded, then that language', async () => {
    expect(translator('uk')('close')).toBe('Close chat');
    await loadLocale('uk');
    expect(dictionaries.uk).toBeUndefined();
  });

  it('has every English text in Russian, with the same values to fill in', () => {
    const { en, ru } = dictionaries;
    for (const key of Object.keys(en!) as Array<keyof typeof en>) {
      expect(ru![key], key).toBeTruthy();
      expect(placeholders(ru![key]), key).toEqual(placeholders(en![key]));
    }
  });

  it('has every text of the lazy chunks in Russian too, and speaks it once the page is in Russian', () => {
    for (const texts of [formTexts, suggestTexts, notifyTexts] as Array<Record<'en' | 'ru', Record<string, string>>>) {
      expect(Object.keys(texts.ru)).toEqual(Object.keys(texts.en));
      for (const key of Object.keys(texts.en)) expect(placeholders(texts.ru[key]!), key).toEqual(placeholders(texts.en[key]!));
    }
    expect(ft('required', { label: 'Email' })).toBe('Email is required.');
    setLocale('ru-RU');
    expect(ft('required', { label: 'Email' })).toBe('Заполните поле «Email».');
    setLocale('fr');
    expect(ft('start')).toBe('Start chat');
  });

  it('speaks the page’s chosen locale, else <html lang>, else the browser’s language, else English', () => {
    expect(pickLocale('ru', 'en', 'en-US')).toBe('ru');
    expect(pickLocale('', 'ru-RU', 'en-US')).toBe('ru-RU');
    expect(pickLocale(undefined, '', 'RU')).toBe('RU');
    expect(pickLocale('de', 'fr-FR', 'ru-RU')).toBe('ru-RU');
    expect(pickLocale('de', 'fr', 'ja')).toBe('en');
    expect(translator('ru-RU')('close')).toBe('Закрыть чат');
    expect(translator('fr')('close')).toBe('Close chat');
  });

  it('fills in values and picks the plural form the language needs', () => {
    const en = translator('en');
    expect(en('typing', { name: 'Anna' })).toBe('Anna is typing…');
    expect(en('unread', { n: 3 })).toBe('Open chat, 3 unread');
    expect(newMessages(1)).toBe('(1) New message');
    expect(newMessages(2)).toBe('(2) New messages');
    setLocale('ru');
    expect([1, 2, 5, 11, 21, 22, 25].map(newMessages)).toEqual([
      '(1) Новое сообщение',
      '(2) Новых сообщения',
      '(5) Новых сообщений',
      '(11) Новых сообщений',
      '(21) Новое сообщение',
      '(22) Новых сообщения',
      '(25) Новых сообщений',
    ]);
  });

  it('says when the team is back in the visitor’s time zone and words: today, tomorrow, or the weekday', () => {
    // Local times on both sides: the sentence is about the visitor's own clock.
    const now = new Date(2024, 5, 7, 20, 0); // Friday 7 June 2024, 20:00
    expect(backAt(new Date(2024, 5, 7, 22, 30).toISOString(), now)).toBe('Back today at 10:30 PM.');
    expect(backAt(new Date(2024, 5, 8, 9, 0).toISOString(), now)).toBe('Back tomorrow at 09:00 AM.');
    expect(backAt(new Date(2024, 5, 10, 9, 0).toISOString(), now)).toBe('Back Monday at 09:00 AM.');
    setLocale('ru-RU');
    expect(t('close')).toBe('Закрыть чат');
    expect(backAt(new Date(2024, 5, 8, 9, 0).toISOString(), now)).toBe('Вернёмся: завтра, 09:00.');
    expect(backAt(new Date(2024, 5, 10, 9, 0).toISOString(), now)).toBe('Вернёмся: понедельник, 09:00.');
  });

  it('writes file sizes the local way', () => {
    expect(fileSize(12_345)).toBe('12.3 kB');
    expect(fileSize(2_500_000)).toBe('2.5 MB');
    setLocale('ru');
    expect(fileSize(2_500_000)).toBe('2,5 МБ');
  });
});
