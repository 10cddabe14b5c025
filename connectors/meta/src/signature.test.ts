import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { answerChallenge, hubSignature, verifyHubSignature } from './signature.js';

const secret = 'app-secret-from-the-dashboard';
// Meta escapes non-ASCII as \uXXXX in the body it signs; the check must run on those exact bytes.
const raw = Buffer.from('{"object":"instagram","entry":[{"text":"caf\\u00e9 \\/ ok"}]}');

describe('X-Hub-Signature-256', () => {
  it('accepts the signature Meta computes over the raw body', () => {
    const header = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    expect(hubSignature(raw, secret)).toBe(header);
    expect(verifyHubSignature(raw, header, secret)).toBe(true);
  });

  it('refuses a missing, malformed or wrong signature, or one over re-serialized JSON', () => {
    expect(verifyHubSignature(raw, undefined, secret)).toBe(false);
    expect(verifyHubSignature(raw, 'sha1=abc', secret)).toBe(false);
    expect(verifyHubSignature(raw, hubSignature(raw, 'another-secret'), secret)).toBe(false);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(verifyHubSignature(raw, hubSignature(reserialized, secret), secret)).toBe(false);
  });
});

describe('hub.challenge', () => {
  it('echoes the challenge only for a subscribe with the right verify token', () => {
    const q = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok-1', 'hub.challenge': '1158201444' };
    expect(answerChallenge(q, 'tok-1')).toBe('1158201444');
    expect(answerChallenge({ ...q, 'hub.verify_token': 'nope' }, 'tok-1')).toBeNull();
    expect(answerChallenge({ ...q, 'hub.mode': 'unsubscribe' }, 'tok-1')).toBeNull();
  });
});
