import { signal } from '@preact/signals';
import type { AgentPresenceView, PresenceStatus } from '@switchboard/contracts';
import { t } from './i18n/core.js';

/**
 * Who of the team is online, away or offline, as GET /api/v1/agents/presence lists it and the
 * `presence` socket event updates it. One board for the page: the sidebar's presence menu keeps
 * it current, the ticket panel's assignee list reads it.
 */
export const teamPresence = signal<Record<string, AgentPresenceView>>({});

/** The board after one agent's presence changed. */
export function withPresence(board: Record<string, AgentPresenceView>, p: AgentPresenceView): Record<string, AgentPresenceView> {
  const held = board[p.agentId];
  if (held && held.status === p.status && held.auto === p.auto && held.since === p.since) return board;
  return { ...board, [p.agentId]: p };
}

/** The board as a listing has it. */
export function presenceBoard(items: readonly AgentPresenceView[]): Record<string, AgentPresenceView> {
  return Object.fromEntries(items.map((p) => [p.agentId, p]));
}

/** A socket payload that is a presence, or null. */
export function asPresence(payload: unknown): AgentPresenceView | null {
  const p = payload as Partial<AgentPresenceView> | null;
  return p && typeof p.agentId === 'string' && (p.status === 'online' || p.status === 'away' || p.status === 'offline') ? (p as AgentPresenceView) : null;
}

const DOT: Record<PresenceStatus, string> = { online: '🟢', away: '🟡', offline: '⚪' };

/** An agent in a list of assignees (a <select> option holds text only): "🟡 Ann (away)". */
export function presenceOption(name: string, status: PresenceStatus): string {
  return `${DOT[status]} ${name}${status === 'online' ? '' : ` (${t(`presence.${status}`).toLowerCase()})`}`;
}
