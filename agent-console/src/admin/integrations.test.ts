import { describe, expect, it } from 'vitest';
import { apiKeyBody, crmBody, crmText, deliveryText, eventsText, webhookBody } from './integrations.js';

describe('CRM form', () => {
  it('sends only what the chosen CRM needs', () => {
    expect(crmBody({ kind: 'none', token: 'x', baseUrl: '' })).toEqual({ ok: true, crm: null });
    expect(crmBody({ kind: 'builtin', token: 'left over', baseUrl: '' })).toEqual({ ok: true, crm: { kind: 'builtin' } });
    expect(crmBody({ kind: 'hubspot', token: ' pat-na1-0123456789 ', baseUrl: '' })).toEqual({ ok: true, crm: { kind: 'hubspot', token: 'pat-na1-0123456789' } });
    expect(crmBody({ kind: 'kommo', token: 'long-lived-token', baseUrl: 'https://team.kommo.com/' })).toEqual({
      ok: true,
      crm: { kind: 'kommo', token: 'long-lived-token', baseUrl: 'https://team.kommo.com' },
    });
  });

  it('asks for a token and, for Kommo, the account address', () => {
    expect(crmBody({ kind: 'hubspot', token: 'short', baseUrl: '' })).toMatchObject({ ok: false, error: expect.stringContaining('HubSpot access token') });
    expect(crmBody({ kind: 'kommo', token: 'long-lived-token', baseUrl: '' })).toMatchObject({ ok: false, error: expect.stringContaining('Kommo account address') });
    expect(crmBody({ kind: 'hubspot', token: 'long-lived-token', baseUrl: 'ftp://x' })).toMatchObject({ ok: false });
  });

  it('names the current CRM without its credentials', () => {
    expect(crmText(null)).toBe('No CRM');
    expect(crmText({ kind: 'kommo', baseUrl: 'https://team.kommo.com' })).toBe('Kommo (https://team.kommo.com)');
    expect(crmText({ kind: 'builtin' })).toBe('Built-in contact directory');
  });
});

describe('webhooks', () => {
  it('subscribes to picked events in a stable order, or to all', () => {
    expect(webhookBody({ url: 'https://ex.com/h', all: false, events: ['ticket.created', 'message.created'], description: ' ' })).toEqual({
      ok: true,
      body: { url: 'https://ex.com/h', events: ['message.created', 'ticket.created'] },
    });
    expect(webhookBody({ url: 'https://ex.com/h', all: true, events: [], description: 'CRM' })).toEqual({ ok: true, body: { url: 'https://ex.com/h', events: ['*'], description: 'CRM' } });
    expect(webhookBody({ url: 'ex.com', all: true, events: [], description: '' })).toMatchObject({ ok: false });
    expect(webhookBody({ url: 'https://ex.com', all: false, events: [], description: '' })).toEqual({ ok: false, error: 'Pick at least one event, or all events.' });
    expect(eventsText(['*'])).toBe('All events');
  });

  it('describes a delivery', () => {
    const d = { id: 'd', eventType: 'message.created', attempts: 1, responseStatus: 200, error: null, createdAt: '' };
    expect(deliveryText({ ...d, status: 'delivered' })).toBe('Delivered · 200');
    expect(deliveryText({ ...d, status: 'failed', attempts: 3, responseStatus: 500, error: 'Server error' })).toBe('Failed after 3 attempts · 500 · Server error');
    expect(deliveryText({ ...d, status: 'pending', attempts: 2, responseStatus: null, error: 'timeout' })).toBe('Retrying (2 attempts) · timeout');
  });
});

describe('API keys', () => {
  it('needs a name and a scope', () => {
    expect(apiKeyBody(' Zapier ', ['tickets:read', 'conversations:read'])).toEqual({ ok: true, body: { name: 'Zapier', scopes: ['conversations:read', 'tickets:read'] } });
    expect(apiKeyBody('', ['tickets:read'])).toMatchObject({ ok: false });
    expect(apiKeyBody('Zapier', [])).toEqual({ ok: false, error: 'Pick at least one scope.' });
  });
});
