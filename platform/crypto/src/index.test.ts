import { describe, expect, it } from 'vitest';
import { SecretBox, hmacSha256Hex, safeEqual } from './index.js';

describe('SecretBox', () => {
  it('opens what it sealed, and the sealed form does not contain the secret', () => {
    const box = new SecretBox('k'.repeat(40));
    const sealed = box.seal('123456:telegram-bot-token');
    expect(sealed).not.toContain('telegram-bot-token');
    expect(box.open(sealed)).toBe('123456:telegram-bot-token');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered value or another key', () => {
    const box = new SecretBox('k'.repeat(40));
    const sealed = box.seal('secret');
    const parts = sealed.split(':');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox('z'.repeat(40)).open(sealed)).toThrow(/another SECRETS_KEY/);
  });

  it('seals all values of a credentials object', () => {
    const box = new SecretBox('k'.repeat(40));
    const sealed = box.sealAll({ token: 'a', secret: 'b' });
    expect(box.openAll(sealed)).toEqual({ token: 'a', secret: 'b' });
  });
});

describe('hmac helpers', () => {
  it('computes HMAC-SHA256 as documented (RFC 4231 test case 2)', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'ab')).toBe(false);
  });
});
