import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HASH_EXAMPLE, masked, rotateSecretQuestion } from './web-identity.js';

describe('identity verification', () => {
  it('hides the secret, a dot a character, at most 32', () => {
    expect(masked('abc')).toBe('•••');
    expect(masked('a'.repeat(64))).toBe('•'.repeat(32));
    expect(masked('a'.repeat(64))).not.toContain('a');
  });

  it('warns before a new secret that the site’s hashes stop verifying', () => {
    expect(rotateSecretQuestion('Shop')).toMatch(/“Shop”.*stop verifying.*new secret/);
  });

  it('the Node example prints the hex HMAC-SHA256 of the user id', () => {
    const [, script] = /^node -e "(.*)" SECRET USER_ID$/.exec(HASH_EXAMPLE)!;
    const out = execFileSync(process.execPath, ['-e', script!, 's3cret', 'user-42'], { encoding: 'utf8' }).trim();
    expect(out).toBe(createHmac('sha256', 's3cret').update('user-42').digest('hex'));
  });
});
