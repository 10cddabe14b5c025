import type { AdminTeam, Strategy, TeamMember } from './admin-api.js';
import { t as tr } from '../i18n/admin.js';

/** The Teams tab's words and form checks. */

export const STRATEGIES: Strategy[] = ['manual', 'round_robin', 'load_balanced'];
/** "Round robin — online members in turn". */
export const strategyName = (s: Strategy): string => tr(`strategy.${s}`);

export interface MemberRow {
  agentId: string;
  /** As typed; empty = no limit. */
  capacity: string;
}

export interface TeamForm {
  name: string;
  strategy: Strategy;
  members: MemberRow[];
}

export function teamForm(t?: AdminTeam): TeamForm {
  if (!t) return { name: '', strategy: 'round_robin', members: [] };
  return { name: t.name, strategy: t.strategy, members: t.members.map((m) => ({ agentId: m.agentId, capacity: m.capacity === null ? '' : String(m.capacity) })) };
}

/** The team as the server takes it, or the first thing to fix. */
export function teamBody(f: TeamForm): { ok: true; body: Omit<AdminTeam, 'id'> } | { ok: false; error: string } {
  const name = f.name.trim();
  if (!name) return { ok: false, error: tr('teams.noName') };
  if (name.length > 100) return { ok: false, error: tr('teams.longName') };
  const members: TeamMember[] = [];
  for (const m of f.members) {
    const c = m.capacity.trim();
    if (c && (!/^\d+$/.test(c) || Number(c) < 1 || Number(c) > 1000)) {
      return { ok: false, error: tr('teams.badCapacity') };
    }
    if (!members.some((x) => x.agentId === m.agentId)) members.push({ agentId: m.agentId, capacity: c ? Number(c) : null });
  }
  return { ok: true, body: { name, strategy: f.strategy, members } };
}

/** "3 members · Round robin" */
export function teamSummary(t: AdminTeam): string {
  const n = t.members.length;
  const who = n === 0 ? tr('teams.noMembers') : tr('teams.members', { count: n });
  return `${who} · ${strategyName(t.strategy).split(' — ')[0]}`;
}
