import { describe, expect, it } from 'vitest';
import type { ExtraApi, HttpMethod } from '../api.js';
import type { Webhook } from './admin-api.js';
import { webhookBody } from './integrations.js';
import { hookCalls, hookChange, hookForm, hookTestText, replaceHook, toggleEvent } from './webhook-edit.js';

const hook = (over: Partial<Webhook> = {}): Webhook => ({
  id: 'w1',
  url: 'https://example.test/h',
  events: ['ticket.updated'],
  enabled: true,
  disabledReason: null,
  consecutiveFailures: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('editing a webhook', () => {
  it('fills the form from the subscription as it is', () => {
    expect(hookForm(hook({ description: 'CRM' }))).toEqual({ url: 'https://example.test/h', all: false, events: ['ticket.updated'], description: 'CRM' });
    expect(hookForm(hook({ events: ['*'] }))).toEqual({ url: 'https://example.test/h', all: true, events: [], description: '' });
  });

  it('sends address, events and description checked like a new webhook, and `enabled` only when switched', () => {
    const h = hook({ description: 'old' });
    expect(hookChange(h, { url: ' https://example.test/new ', all: false, events: ['sla.breached'], description: '' }, true, webhookBody)).toEqual({
      ok: true,
      change: { url: 'https://example.test/new', events: ['sla.breached'], description: '' },
    });
    expect(hookChange(h, hookForm(h), false, webhookBody)).toMatchObject({ ok: true, change: { enabled: false } });
    expect(hookChange(h, { ...hookForm(h), all: true }, true, webhookBody)).toMatchObject({ ok: true, change: { events: ['*'] } });
    expect(hookChange(h, { ...hookForm(h), url: 'example.test' }, true, webhookBody)).toEqual({ ok: false, error: 'Enter the address events are sent to, starting with https://.' });
    expect(hookChange(h, { ...hookForm(h), events: [] }, true, webhookBody)).toEqual({ ok: false, error: 'Pick at least one event, or all events.' });
  });

  it('ticks events in a stable order and replaces the changed subscription in the list', () => {
    expect(toggleEvent(['a', 'b'], 'c', true)).toEqual(['a', 'b', 'c']);
    expect(toggleEvent(['a', 'b'], 'a', false)).toEqual(['b']);
    expect(toggleEvent(['a'], 'a', true)).toEqual(['a']);
    const list = [hook(), hook({ id: 'w2' })];
    expect(replaceHook(hook({ url: 'https://x.test/' }))(list)?.map((h) => h.url)).toEqual(['https://x.test/', 'https://example.test/h']);
    expect(replaceHook(hook())(null)).toBeNull();
  });

  it('tells what the receiver answered to the test event', () => {
    expect(hookTestText({ ok: true, status: 204, durationMs: 35, error: null })).toBe('Test event delivered: HTTP 204 in 35 ms.');
    expect(hookTestText({ ok: false, status: 500, durationMs: 12, error: 'the receiver answered HTTP 500' })).toBe('Test event not delivered: the receiver answered HTTP 500.');
    expect(hookTestText({ ok: false, status: null, durationMs: 5000, error: 'no answer within 5000 ms.' })).toBe('Test event not delivered: no answer within 5000 ms.');
  });

  it('calls PATCH, …/test and …/secret on the webhook', async () => {
    const calls: [HttpMethod, string, unknown][] = [];
    const http: Pick<ExtraApi, 'call'> = { call: async <T>(m: HttpMethod, p: string, b?: unknown) => (calls.push([m, p, b]), {} as T) };
    const c = hookCalls(http, 'w/1');
    await c.update({ url: 'https://x.test/', events: ['*'], description: '' });
    await c.test();
    await c.rotate();
    expect(calls).toEqual([
      ['PATCH', '/api/v1/webhooks/w%2F1', { url: 'https://x.test/', events: ['*'], description: '' }],
      ['POST', '/api/v1/webhooks/w%2F1/test', undefined],
      ['POST', '/api/v1/webhooks/w%2F1/secret', undefined],
    ]);
  });
});
