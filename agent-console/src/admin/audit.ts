import type { ExtraApi } from '../api.js';
import { t } from '../i18n/manage.js';

/** The audit log as GET /api/v1/audit pages it (inbox-service AuditEntryView), newest first. */
export interface AuditEntry {
  id: string;
  type: string;
  agentId: string | null;
  email?: string;
  ip: string;
  details?: Record<string, unknown>;
  at: string;
}
export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export const AUDIT_PAGE = 50;

export const auditPage = (http: Pick<ExtraApi, 'call'>, cursor: string | null): Promise<AuditPage> =>
  http.call('GET', `/api/v1/audit?limit=${AUDIT_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

/** The team's agents, deactivated ones too, id → name (GET /api/v1/agents). */
export const agentNames = (http: Pick<ExtraApi, 'call'>): Promise<Map<string, string>> =>
  http.call<{ items: { id: string; name: string }[] }>('GET', '/api/v1/agents?includeInactive=true').then((r) => new Map(r.items.map((a) => [a.id, a.name])));

/** Who acted: the agent's name (ids → names of the team), else the email the entry kept, an API key, or the system. */
export function auditWho(e: AuditEntry, names: ReadonlyMap<string, string>): string {
  return (e.agentId && names.get(e.agentId)) || e.email || (e.details?.apiKey ? t('audit.key') : e.agentId) || t('audit.system');
}

/**
 * What was changed, as far as the entry tells: the agent it concerned by name, a webhook's address,
 * a channel account's or rule's name, a canned response's shortcut; then the fields changed.
 */
export function auditTarget(e: AuditEntry, names: ReadonlyMap<string, string>): string {
  const d = e.details ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const target = str('target');
  const what = (target && names.get(target)) || str('name') || str('url') || (str('shortcut') && `/${str('shortcut')}`) || target || str('keyId');
  const fields = Array.isArray(d.fields) ? (d.fields as unknown[]).join(', ') : '';
  return [what, fields].filter(Boolean).join(' · ');
}
