import type { AdminTeam, Strategy, TeamMember } from './admin-api.js';

/** The Teams tab's words and form checks. */

export const STRATEGY_NAMES: Record<Strategy, string> = {
  manual: 'Manual — agents take tickets',
  round_robin: 'Round robin — online members in turn',
  load_balanced: 'Load balanced — the least busy online member',
};

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
  if (!name) return { ok: false, error: 'Give the team a name.' };
  if (name.length > 100) return { ok: false, error: 'A team name has at most 100 characters.' };
  const members: TeamMember[] = [];
  for (const m of f.members) {
    const c = m.capacity.trim();
    if (c && (!/^\d+$/.test(c) || Number(c) < 1 || Number(c) > 1000)) {
      return { ok: false, error: 'Capacity is a whole number from 1 to 1000 open tickets, or empty for no limit.' };
    }
    if (!members.some((x) => x.agentId === m.agentId)) members.push({ agentId: m.agentId, capacity: c ? Number(c) : null });
  }
  return { ok: true, body: { name, strategy: f.strategy, members } };
}

/** "3 members · Round robin" */
export function teamSummary(t: AdminTeam): string {
  const n = t.members.length;
  const who = n === 0 ? 'No members' : n === 1 ? '1 member' : `${n} members`;
  return `${who} · ${STRATEGY_NAMES[t.strategy].split(' — ')[0]}`;
}
