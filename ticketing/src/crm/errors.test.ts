import { describe, expect, it } from 'vitest';
import { checkFailure, isRetryableStatus, parseRetryAfter, statusError, transportError } from './errors.js';
import { describeHubSpotError } from './hubspot.js';
import { describeKommoError } from './kommo.js';
import { CrmError } from './types.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers) });

describe('which failures are worth trying again', () => {
  it('retries rate limits, timeouts and server errors; never a wrong request or credentials', () => {
    for (const s of [408, 425, 429, 500, 502, 503, 504, 521]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 402, 403, 404, 409, 422]) expect(isRetryableStatus(s)).toBe(false);
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('turns answers and transport failures into CrmErrors with a sentence', () => {
    const e = statusError('HubSpot', 429, 'You have reached your secondly limit.', 1000);
    expect(e).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1000, message: 'HubSpot answered 429: You have reached your secondly limit.' });
    expect(statusError('Kommo', 401, undefined).message).toBe('Kommo answered 401.');
    const timeout = transportError('Kommo', Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 500);
    expect(timeout).toMatchObject({ retryable: true, message: 'Kommo did not answer within 500 ms.' });
    const refused = transportError('HubSpot', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 500);
    expect(refused.retryable).toBe(true);
    expect(refused.message).toContain('ECONNREFUSED');
    expect(checkFailure('Kommo', new CrmError('Kommo answered 401.', false, 401))).toMatchObject({ ok: false, reason: expect.stringContaining('refused the credentials') });
    expect(() => checkFailure('Kommo', new Error('bug'))).toThrow('bug');
  });
});

describe('provider error bodies', () => {
  it('HubSpot: the message, and a wait per rate-limit policy when there is no Retry-After', () => {
    const secondly = { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' };
    expect(describeHubSpotError(answer(429, secondly))).toEqual({ detail: 'You have reached your secondly limit.', retryAfterMs: 1000 });
    expect(describeHubSpotError(answer(429, secondly, { 'retry-after': '4' })).retryAfterMs).toBe(4000);
    expect(describeHubSpotError(answer(429, { ...secondly, message: 'You have reached your daily limit.', policyName: 'DAILY' })).retryAfterMs).toBe(3_600_000);
    const burst = answer(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING' }, {
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-remaining': '0',
    });
    expect(describeHubSpotError(burst).retryAfterMs).toBe(10_000);
    const invalid = { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR', errors: [{ message: 'Property "x" does not exist' }] };
    expect(describeHubSpotError(answer(400, invalid))).toEqual({ detail: 'Property values were not valid Property "x" does not exist' });
  });

  it('Kommo: detail, hint and validation errors; a second for a 429', () => {
    const v = {
      'validation-errors': [{ request_id: '0', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_id', detail: 'The value you selected is not a valid choice.' }] }],
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    };
    expect(describeKommoError(answer(400, v)).detail).toBe('Request validation failed — custom_fields_values.0.field_id: The value you selected is not a valid choice.');
    expect(describeKommoError(answer(401, { title: 'Unauthorized', status: 401, detail: 'Denied.', hint: 'Token has been revoked' })).detail).toBe('Denied. (Token has been revoked)');
    expect(describeKommoError(answer(429, { title: 'Too Many Requests', status: 429 })).retryAfterMs).toBe(1000);
  });
});
