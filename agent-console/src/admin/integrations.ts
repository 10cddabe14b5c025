import type { ApiKey, CrmBody, CrmKind, WebhookDelivery } from './admin-api.js';
import { t } from '../i18n/admin.js';

/** The CRM, Webhooks and API keys tabs: form checks and words. */

export const CRM_KINDS: (CrmKind | 'none')[] = ['none', 'builtin', 'hubspot', 'kommo'];
export const crmName = (kind: CrmKind | 'none'): string => (kind === 'none' ? t('crm.none') : kind === 'builtin' ? t('crm.builtin') : kind === 'hubspot' ? 'HubSpot' : kind === 'kommo' ? 'Kommo' : kind);

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
  const name = crmName(f.kind);
  if (token.length < 10) return { ok: false, error: t('crm.pasteToken', { name }) };
  if (baseUrl && !URL_RE.test(baseUrl)) return { ok: false, error: t('crm.badUrl') };
  if (f.kind === 'kommo') {
    if (!baseUrl) return { ok: false, error: t('crm.kommoUrl') };
    return { ok: true, crm: { kind: 'kommo', token, baseUrl } };
  }
  return { ok: true, crm: baseUrl ? { kind: 'hubspot', token, baseUrl } : { kind: 'hubspot', token } };
}

/** The current CRM in words, from the settings' `crm` (kind only). */
export function crmText(crm: { kind: string; baseUrl?: string } | null): string {
  if (!crm) return crmName('none');
  const name = crmName(crm.kind as CrmKind);
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
  if (!URL_RE.test(url) || url.length > 2000) return { ok: false, error: t('hooks.badUrl') };
  const events = f.all ? ['*'] : WEBHOOK_EVENTS.filter((e) => f.events.includes(e));
  if (events.length === 0) return { ok: false, error: t('hooks.noEvents') };
  const description = f.description.trim();
  if (description.length > 500) return { ok: false, error: t('hooks.longDescription') };
  return { ok: true, body: description ? { url, events, description } : { url, events } };
}

export function eventsText(events: string[]): string {
  return events.includes('*') ? t('hooks.allEvents') : events.join(', ');
}

/** "Delivered · 200", "Failed after 3 attempts · 500 · connection refused", "Retrying (2 attempts)". */
export function deliveryText(d: WebhookDelivery): string {
  const code = d.responseStatus === null ? '' : ` · ${d.responseStatus}`;
  if (d.status === 'delivered') return `${t('hooks.delivered')}${code}`;
  const tries = t('hooks.attempts', { count: d.attempts });
  const why = d.error ? ` · ${d.error}` : '';
  return d.status === 'failed' ? `${t('hooks.failedAfter', { tries })}${code}${why}` : `${t('hooks.retrying', { tries })}${code}${why}`;
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
  if (!n) return { ok: false, error: t('keys.noName') };
  if (n.length > 200) return { ok: false, error: t('invite.longName') };
  const picked = API_SCOPES.filter((s) => scopes.includes(s));
  if (picked.length === 0) return { ok: false, error: t('keys.noScope') };
  return { ok: true, body: { name: n, scopes: picked } };
}

/** "Active", "Revoked". */
export function keyState(k: Pick<ApiKey, 'revokedAt'>): 'Active' | 'Revoked' {
  return k.revokedAt ? 'Revoked' : 'Active';
}
