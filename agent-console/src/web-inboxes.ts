import type { WebInboxView } from '@switchboard/contracts';
import { t } from './i18n/channels.js';

/**
 * Website inboxes (the chat widget's) in the admin's channel settings: the check of an allowed
 * origin before it is sent, and list updates (the REST calls are in web-inbox-api.ts). Only the
 * lazily loaded channel settings import this module, and it takes nothing from the app's modules
 * but types.
 */

export const originsHelp = (): string => t('web.originsHelp');

export type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

const ORIGIN = /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/;

/**
 * What a person typed as an allowed origin, as the API takes it (scheme, host, optional port:
 * lowercase, no trailing slash, no default port, since browsers send the Origin header without
 * it), or why it is not one.
 */
export function parseOrigin(input: string): OriginCheck {
  let s = input.trim().toLowerCase();
  if (s.endsWith('/')) s = s.slice(0, -1);
  if (!s) return { ok: false, error: t('web.noOrigin') };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(s)?.[1];
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, error: t('web.badScheme') };
  if (/^[a-z]+:\/\/[^/?#]*[/?#]/.test(s)) return { ok: false, error: t('web.path') };
  const m = ORIGIN.exec(s);
  if (!m || s.length > 300) return { ok: false, error: t('web.notOrigin') };
  const port = m[3];
  if (port !== undefined && (+port < 1 || +port > 65535)) return { ok: false, error: t('web.badPort') };
  const fallback = m[1] === 'https' ? '443' : '80';
  return { ok: true, origin: `${m[1]}://${m[2]}${port === undefined || +port === +fallback ? '' : `:${+port}`}` };
}

/** The list with `origin` appended, unless it is in it already. */
export const withOrigin = (list: readonly string[], origin: string): string[] => (list.includes(origin) ? [...list] : [...list, origin]);

export const withoutOrigin = (list: readonly string[], origin: string): string[] => list.filter((o) => o !== origin);

/** Inboxes oldest first, `inbox` replacing the one with its id or appended. */
export function putInbox(list: readonly WebInboxView[], inbox: WebInboxView): WebInboxView[] {
  return [...list.filter((x) => x.id !== inbox.id), inbox].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The question before a new token: the snippet on the website stops working. */
export const rotateQuestion = (name: string): string =>
  t('web.rotateQ', { name });
