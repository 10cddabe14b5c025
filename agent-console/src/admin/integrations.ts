import type { ApiKey, CrmBody, CrmKind, WebhookDelivery } from './admin-api.js';

/** The CRM, Webhooks and API keys tabs: form checks and words. */

export const CRM_NAMES: Record<CrmKind | 'none', string> = { none: 'No CRM', builtin: 'Built-in contact directory', hubspot: 'HubSpot', kommo: 'Kommo' };

export interface CrmForm {
  kind: CrmKind | 'none';
  token: string;
  baseUrl: string;
}

const URL_RE = /^https?:\/\/\S+$/;

/** The `crm` of PATCH /ticket-settings. Credentials are typed anew each time: the server never shows them. */
export function crmBody(f: CrmForm): { ok: true; crm: CrmBody } | { ok: false; error: string } {
  if (f.kind === 'none') return { ok: true, crm: null };
  if (f.kind === 'builtin') return { ok: true, crm: { kind: 'builtin' } };
  const token = f.token.trim();
  const baseUrl = f.baseUrl.trim().replace(/\/+$/, '');
  const name = CRM_NAMES[f.kind];
  if (token.length < 10) return { ok: false, error: `Paste the ${name} access token (at least 10 characters).` };
  if (baseUrl && !URL_RE.test(baseUrl)) return { ok: false, error: 'The address starts with https:// (or http://).' };
  if (f.kind === 'kommo') {
    if (!baseUrl) return { ok: false, error: 'Enter your Kommo account address, like https://yourteam.kommo.com.' };
    return { ok: true, crm: { kind: 'kommo', token, baseUrl } };
  }
  return { ok: true, crm: baseUrl ? { kind: 'hubspot', token, baseUrl } : { kind: 'hubspot', token } };
}

/** The current CRM in words, from the settings' `crm` (kind only). */
export function crmText(crm: { kind: string; baseUrl?: string } | null): string {
  if (!crm) return CRM_NAMES.none;
  const name = CRM_NAMES[crm.kind as CrmKind] ?? crm.kind;
  return crm.baseUrl ? `${name} (${crm.baseUrl})` : name;
}

/** Event types a webhook can subscribe to (inbox-service/src/webhooks/events.ts); '*' = all. */
export const WEBHOOK_EVENTS = [
  'message.created',
  'message.updated',
  'conversation.created',
  'conversation.updated',
  'ticket.created',
  'ticket.updated',
  'sla.breached',
  'contact.created',
  'contact.merged',
  'contact.erased',
  'webhook.disabled',
] as const;

export interface WebhookForm {
  url: string;
  /** Every event, now and later ('*'). */
  all: boolean;
  events: string[];
  description: string;
}

export function webhookBody(f: WebhookForm): { ok: true; body: { url: string; events: string[]; description?: string } } | { ok: false; error: string } {
  const url = f.url.trim();
  if (!URL_RE.test(url) || url.length > 2000) return { ok: false, error: 'Enter the address events are sent to, starting with https://.' };
  const events = f.all ? ['*'] : WEBHOOK_EVENTS.filter((e) => f.events.includes(e));
  if (events.length === 0) return { ok: false, error: 'Pick at least one event, or all events.' };
  const description = f.description.trim();
  if (description.length > 500) return { ok: false, error: 'A description has at most 500 characters.' };
  return { ok: true, body: description ? { url, events, description } : { url, events } };
}

export function eventsText(events: string[]): string {
  return events.includes('*') ? 'All events' : events.join(', ');
}

/** "Delivered · 200", "Failed after 3 attempts · 500 · connection refused", "Retrying (2 attempts)". */
export function deliveryText(d: WebhookDelivery): string {
  const code = d.responseStatus === null ? '' : ` · ${d.responseStatus}`;
  if (d.status === 'delivered') return `Delivered${code}`;
  const tries = d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`;
  const why = d.error ? ` · ${d.error}` : '';
  return d.status === 'failed' ? `Failed after ${tries}${code}${why}` : `Retrying (${tries})${code}${why}`;
}

/** Scopes an API key can have (platform/auth API_SCOPES). */
export const API_SCOPES = [
  'conversations:read',
  'conversations:write',
  'channels:read',
  'channels:write',
  'webhooks:read',
  'webhooks:write',
  'contacts:read',
  'contacts:write',
  'tickets:read',
  'tickets:write',
  'kb:read',
  'kb:write',
] as const;

export function apiKeyBody(name: string, scopes: string[]): { ok: true; body: { name: string; scopes: string[] } } | { ok: false; error: string } {
  const n = name.trim();
  if (!n) return { ok: false, error: 'Name the key after what uses it, like "CRM sync".' };
  if (n.length > 200) return { ok: false, error: 'A name has at most 200 characters.' };
  const picked = API_SCOPES.filter((s) => scopes.includes(s));
  if (picked.length === 0) return { ok: false, error: 'Pick at least one scope.' };
  return { ok: true, body: { name: n, scopes: picked } };
}

/** "Active", "Revoked". */
export function keyState(k: Pick<ApiKey, 'revokedAt'>): 'Active' | 'Revoked' {
  return k.revokedAt ? 'Revoked' : 'Active';
}
