import { describe, expect, it } from 'vitest';
import { comparablePhone, formatHandles, handleKey, normalizeEmail, normalizePhone, parseHandles, union } from './normalize.js';

describe('normalize', () => {
  it('lower-cases and trims emails, and refuses what is not one', () => {
    expect(normalizeEmail('  Olga.Petrova@Example.COM ')).toBe('olga.petrova@example.com');
    expect(normalizeEmail('olga@localhost')).toBeNull();
    expect(normalizeEmail('not an email')).toBeNull();
    expect(normalizeEmail('a@b@c.d')).toBeNull();
  });

  it('writes phones in E.164 from any spelling; national numbers need a default country', () => {
    expect(normalizePhone('+7 (916) 123-45-67')).toBe('+79161234567');
    expect(normalizePhone('00 7 916 123 45 67')).toBe('+79161234567');
    expect(normalizePhone('8 (916) 123-45-67', 'RU')).toBe('+79161234567');
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('8 (916) 123-45-67')).toBeNull();
    expect(normalizePhone('call me')).toBeNull();
    expect(normalizePhone('+7 12')).toBeNull();
    expect(comparablePhone('+7 12')).toBe('+712');
    expect(comparablePhone('8-916-123-45-67', 'RU')).toBe('+79161234567');
  });

  it('keeps handles in one text field and reads them back, whatever the id holds', () => {
    const handles = [
      { channel: 'Telegram', id: ' 12345 ' },
      { channel: 'email', id: 'a;b%c@example.com' },
      { channel: 'whatsapp', id: '+79161234567' },
    ];
    const text = formatHandles(handles);
    expect(text).toBe('telegram:12345;email:a%3Bb%25c@example.com;whatsapp:+79161234567');
    expect(parseHandles(text)).toEqual([
      { channel: 'telegram', id: '12345' },
      { channel: 'email', id: 'a;b%c@example.com' },
      { channel: 'whatsapp', id: '+79161234567' },
    ]);
    expect(parseHandles('garbage;:x;y:;ok:1')).toEqual([{ channel: 'ok', id: '1' }]);
    expect(handleKey({ channel: ' Slack ', id: 'U1' })).toBe('slack:U1');
    expect(union(['a', 'b'], ['b', 'c', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
