import type { Role } from '@switchboard/contracts';
import type { AdminAgent, InboxChoice } from './admin-api.js';
import { t } from '../i18n/admin.js';

/** The Agents tab's words and form checks. */

export const ROLES: Role[] = ['admin', 'supervisor', 'agent'];
export const roleName = (r: Role): string => t(`role.${r}`);

export type AgentState = 'pending' | 'active' | 'deactivated';

export function agentState(a: Pick<AdminAgent, 'active' | 'invitationPending'>): AgentState {
  if (!a.active) return 'deactivated';
  return a.invitationPending ? 'pending' : 'active';
}

export const stateName = (s: AgentState): string => t(`state.${s}`);

/** Which inboxes an agent sees, in words. Only role "agent" can be limited. */
export function inboxAccessText(a: Pick<AdminAgent, 'role' | 'inboxIds'>, inboxes: InboxChoice[]): string {
  if (a.role !== 'agent' || a.inboxIds === null) return t('allInboxes');
  if (a.inboxIds.length === 0) return t('noInbox');
  const names = new Map(inboxes.map((i) => [i.id, i.name]));
  return a.inboxIds.map((id) => names.get(id) ?? t('removedInbox')).join(', ');
}

export interface InviteForm {
  email: string;
  name: string;
  role: Role;
  /** All inboxes, or only the ones picked (role "agent"). */
  allInboxes: boolean;
  inboxIds: string[];
}

export type InviteBody = { email: string; name: string; role: Role; inboxIds?: string[] | null };

/** The invitation to send, or the first thing to fix with the field it concerns. */
export function inviteBody(f: InviteForm): { ok: true; body: InviteBody } | { ok: false; field: 'email' | 'name' | 'inboxes'; error: string } {
  const email = f.email.trim().toLowerCase();
  const name = f.name.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { ok: false, field: 'email', error: t('invite.badEmail') };
  if (!name) return { ok: false, field: 'name', error: t('invite.noName') };
  if (name.length > 200) return { ok: false, field: 'name', error: t('invite.longName') };
  const body: InviteBody = { email, name, role: f.role };
  if (f.role === 'agent' && !f.allInboxes) {
    if (f.inboxIds.length === 0) return { ok: false, field: 'inboxes', error: t('pickInbox') };
    body.inboxIds = [...f.inboxIds];
  }
  return { ok: true, body };
}

/** The PATCH for an access change: the role and, for role "agent", the inboxes (null = all). */
export function accessChange(
  role: Role,
  allInboxes: boolean,
  inboxIds: string[],
  name?: { now: string; was: string },
): { ok: true; change: { name?: string; role: Role; inboxIds: string[] | null } } | { ok: false; error: string } {
  // The name goes along only when it changed (the input holds at most 200 characters).
  const n = name?.now.trim();
  if (n === '') return { ok: false, error: t('invite.noName') };
  const named = n && n !== name!.was ? { name: n } : {};
  if (role !== 'agent' || allInboxes) return { ok: true, change: { ...named, role, inboxIds: null } };
  if (inboxIds.length === 0) return { ok: false, error: t('pickInbox') };
  return { ok: true, change: { ...named, role, inboxIds: [...inboxIds] } };
}

/** Ticks or unticks one inbox, keeping the list's order stable. */
export function toggleId(ids: string[], id: string, on: boolean): string[] {
  const without = ids.filter((x) => x !== id);
  return on ? [...without, id] : without;
}
