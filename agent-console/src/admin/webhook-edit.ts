import type { ExtraApi } from '../api.js';
import { t } from '../i18n/manage.js';
import type { Webhook } from './admin-api.js';
import type { WebhookForm, webhookBody } from './integrations.js';

/**
 * Changing a webhook in place (PATCH /api/v1/webhooks/:id), sending it a test event
 * (POST …/test) and replacing its signing secret (POST …/secret): docs/webhooks.md. Used by the
 * chunk ui/admin/webhook-tools.tsx only, which imports nothing of the administration's shared
 * chunks (its own catalogue, i18n/manage.ts), so it stays a small download of its own.
 */

/** POST /api/v1/webhooks/:id/test's answer. */
export interface HookTest {
  ok: boolean;
  status: number | null;
  durationMs: number;
  error: string | null;
}

export interface HookChange {
  url: string;
  events: string[];
  description: string;
  enabled?: boolean;
}

/** The edit form filled from the subscription as it is. */
export const hookForm = (h: Webhook): WebhookForm => ({ url: h.url, all: h.events.includes('*'), events: h.events.filter((e) => e !== '*'), description: h.description ?? '' });

/**
 * PATCH's body: address, events and description as `check` — the new-webhook form's own check,
 * integrations.ts `webhookBody`, handed over by the Webhooks tab — finds them (an empty
 * description clears it); `enabled` when switched.
 */
export function hookChange(h: Webhook, f: WebhookForm, enabled: boolean, check: typeof webhookBody): { ok: true; change: HookChange } | { ok: false; error: string } {
  const r = check(f);
  if (!r.ok) return r;
  return { ok: true, change: { url: r.body.url, events: r.body.events, description: r.body.description ?? '', ...(enabled !== h.enabled ? { enabled } : {}) } };
}

/** The list with one subscription replaced by its changed self. */
export const replaceHook =
  (h: Webhook) =>
  (list: Webhook[] | null): Webhook[] | null =>
    list?.map((x) => (x.id === h.id ? h : x)) ?? null;

/** Ticks or unticks one event, keeping the order stable. */
export const toggleEvent = (events: string[], ev: string, on: boolean): string[] => [...events.filter((e) => e !== ev), ...(on ? [ev] : [])];

/** "Test event delivered: HTTP 200 in 35 ms." or why not, in words. */
export const hookTestText = (r: HookTest): string =>
  r.ok ? t('hook.testOk', { status: r.status ?? '', ms: r.durationMs }) : t('hook.testFailed', { error: (r.error ?? String(r.status)).replace(/\.$/, '') });

export function hookCalls(http: Pick<ExtraApi, 'call'>, id: string) {
  const path = `/api/v1/webhooks/${encodeURIComponent(id)}`;
  return {
    update: (change: HookChange) => http.call<Webhook>('PATCH', path, change),
    test: () => http.call<HookTest>('POST', `${path}/test`),
    rotate: () => http.call<Webhook & { secret: string }>('POST', `${path}/secret`),
  };
}
