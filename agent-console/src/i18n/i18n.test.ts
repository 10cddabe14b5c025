import { afterEach, describe, expect, it } from 'vitest';
import { clockTime, dayLabel, relativeTime } from '../relative-time.js';
import { en as admin } from './admin.js';
import { en as automation } from './automation.js';
import { en as bulk } from './bulk.js';
import { en as channels } from './channels.js';
import { en as connect } from './connect.js';
import { en as contact } from './contact.js';
import { en as core, t } from './core.js';
import { en as identity } from './identity.js';
import { format, locale, preferredLocale, setLocale, type Message, type Messages } from './index.js';
import { en as invite } from './invite.js';
import { en as kb } from './kb.js';
import { en as manage } from './manage.js';
import { en as notify } from './notify.js';
import { en as pickers } from './pickers.js';
import { en as reports } from './reports.js';
import { ru } from './ru.js';
import { en as search } from './search.js';
import { en as shortcuts } from './shortcuts.js';
import { en as webSettings } from './web-settings.js';

/** Every area's English messages, as the Russian bundle names them. */
const ENGLISH: Record<keyof typeof ru, Messages> = { admin, automation, bulk, channels, connect, contact, core, identity, invite, kb, manage, notify, pickers, reports, search, shortcuts, webSettings };

const placeholders = (m: Message): string[] => {
  const texts = typeof m === 'string' ? [m] : [m.other];
  return [...new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!)))].sort();
};

afterEach(() => setLocale('en'));

describe('the Russian catalogue', () => {
  it('covers every area of the console', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(ENGLISH).sort());
  });

  for (const area of Object.keys(ENGLISH) as (keyof typeof ru)[]) {
    it(`${area}: has exactly the English keys, with the same {placeholders}`, () => {
      const english = ENGLISH[area];
      const russian = ru[area] as Messages;
      expect(Object.keys(russian).sort()).toEqual(Object.keys(english).sort());
      for (const [key, message] of Object.entries(english)) {
        const translated = russian[key]!;
        expect(typeof translated, key).toBe(typeof message);
        const forms = typeof translated === 'string' ? [translated] : Object.values(translated);
        for (const form of forms) expect(placeholders(form), `${area}.${key}: ${form}`).toEqual(placeholders(message));
        expect(translated, key).not.toEqual('');
      }
    });
  }

  it('gives every Russian plural its one, few and many forms (and English its one and other)', () => {
    for (const [area, messages] of Object.entries(ru)) {
      for (const [key, m] of Object.entries(messages as Messages)) if (typeof m !== 'string') expect(Object.keys(m).sort(), `${area}.${key}`).toEqual(['few', 'many', 'one', 'other']);
    }
    for (const [area, messages] of Object.entries(ENGLISH)) {
      for (const [key, m] of Object.entries(messages)) if (typeof m !== 'string') expect(Object.keys(m).sort(), `${area}.${key}`).toEqual(['one', 'other']);
    }
  });
});

describe('plurals and placeholders', () => {
  it('picks the Russian form by the number: 1 and 21 one, 2 few, 5 and 11 many', () => {
    const says = (count: number) => format('ru', ru.bulk.conversations, { count });
    expect([1, 2, 5, 21, 11, 22, 111].map(says)).toEqual(['1 диалог', '2 диалога', '5 диалогов', '21 диалог', '11 диалогов', '22 диалога', '111 диалогов']);
    expect(format('ru', ru.kb.articles, { count: 3 })).toBe('3 статьи');
  });

  it('picks the English form: 1 one, everything else other', () => {
    expect([1, 2, 0].map((count) => format('en', bulk.conversations, { count }))).toEqual(['1 conversation', '2 conversations', '0 conversations']);
  });

  it('fills {names} and leaves unknown ones and {{template}} variables alone', () => {
    expect(format('en', 'Hi {name}, {missing} {{contact.name}}', { name: 'Ann' })).toBe('Hi Ann, {missing} {{contact.name}}');
  });
});

describe('the language', () => {
  it('defaults to Russian for a browser that prefers any Russian, else English', () => {
    expect(preferredLocale(['ru-RU', 'en-US'])).toBe('ru');
    expect(preferredLocale(['ru'])).toBe('ru');
    expect(preferredLocale(['en-GB', 'ru'])).toBe('en');
    expect(preferredLocale(['de-DE', 'ru-RU'])).toBe('ru');
    expect(preferredLocale(['de-DE'])).toBe('en');
    expect(preferredLocale([])).toBe('en');
  });

  it('switches every message once the Russian chunk is loaded, and back', async () => {
    expect(t('thread.assignMe')).toBe('Assign to me');
    await setLocale('ru');
    expect(locale.value).toBe('ru');
    expect(t('thread.assignMe')).toBe('Назначить мне');
    expect(t('thread.resolve')).toBe('Решено');
    await setLocale('en');
    expect(t('thread.assignMe')).toBe('Assign to me');
  });
});

describe('dates and times follow the language', () => {
  const now = Date.parse('2025-03-12T15:00:00Z'); // a Wednesday
  const utc = { timeZone: 'UTC' };

  it('in English', () => {
    expect(relativeTime('2025-03-12T14:55:00Z', now, utc)).toBe('5m');
    expect(relativeTime('2025-03-04T09:00:00Z', now, utc)).toBe('Mar 4');
    expect(dayLabel('2025-03-11T09:00:00Z', now, utc)).toBe('Yesterday');
  });

  it('in Russian: words, month names and the 24-hour clock', async () => {
    await setLocale('ru');
    expect(relativeTime('2025-03-12T14:59:40Z', now, utc)).toBe('сейчас');
    expect(relativeTime('2025-03-12T14:55:00Z', now, utc)).toBe('5 мин');
    expect(relativeTime('2025-03-12T12:00:00Z', now, utc)).toBe('3 ч');
    expect(relativeTime('2025-03-11T09:00:00Z', now, utc)).toBe('Вчера');
    expect(relativeTime('2025-03-09T09:00:00Z', now, utc)).toBe('вс');
    expect(relativeTime('2025-03-04T09:00:00Z', now, utc)).toBe('4 мар.');
    expect(dayLabel('2025-03-12T09:00:00Z', now, utc)).toBe('Сегодня');
    expect(dayLabel('2025-03-04T09:00:00Z', now, utc)).toBe('вторник, 4 марта');
    expect(clockTime('2025-03-12T14:05:00Z', utc)).toBe('14:05');
  });
});
