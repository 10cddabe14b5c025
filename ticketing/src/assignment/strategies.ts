/**
 * Who gets the next ticket, from a snapshot of the team. Pure: the service gathers candidates
 * (presence, open-ticket counts) and stores the answer; nothing here reads the clock or a store.
 */
import type { AssignmentCandidate } from './types.js';

/**
 * Round robin: among online agents below capacity, in agentId order, the first one after
 * `lastAgentId` (wrapping to the start). `lastAgentId` need not be a candidate any more (gone
 * offline, full, removed): the turn still passes to the next agentId after it. Null when nobody
 * can take a ticket.
 */
export function pickRoundRobin(candidates: AssignmentCandidate[], lastAgentId: string | null): string | null {
  const ids = available(candidates)
    .map((c) => c.agentId)
    .sort(compareIds);
  const first = ids[0];
  if (first === undefined) return null;
  if (lastAgentId === null) return first;
  return ids.find((id) => compareIds(id, lastAgentId) > 0) ?? first;
}

/**
 * Load balanced: among online agents below capacity, the least loaded. Load is compared relative
 * to capacity (3 of 10 before 1 of 2) when every such agent has a capacity; as soon as one has
 * none there is no common scale, so absolute load is compared for all. Ties go to the agent
 * assigned longest ago (never assigned first), then to the smaller agentId. Null when nobody can
 * take a ticket.
 */
export function pickLoadBalanced(candidates: AssignmentCandidate[]): string | null {
  const pool = available(candidates);
  const relative = pool.every((c) => c.capacity !== null);
  const compareLoad = (a: AssignmentCandidate, b: AssignmentCandidate): number =>
    // Cross-multiplied so equal ratios (1/3 and 2/6) tie exactly.
    relative ? a.load * (b.capacity ?? 1) - b.load * (a.capacity ?? 1) : a.load - b.load;
  let best: AssignmentCandidate | undefined;
  for (const c of pool) {
    if (best === undefined) {
      best = c;
      continue;
    }
    const order = compareLoad(c, best) || compareLastAssigned(c, best) || compareIds(c.agentId, best.agentId);
    if (order < 0) best = c;
  }
  return best?.agentId ?? null;
}

/**
 * Whether an agent's open tickets go back to the strategy: offline (since `offlineSince`; null =
 * online) for longer than the tenant's `afterMinutes` at `now`.
 */
export function shouldReassign(offlineSince: Date | null, now: Date, afterMinutes: number): boolean {
  if (offlineSince === null) return false;
  return now.getTime() - offlineSince.getTime() > afterMinutes * 60_000;
}

/** Online and below capacity (null capacity = no limit). */
function available(candidates: AssignmentCandidate[]): AssignmentCandidate[] {
  return candidates.filter((c) => c.online && (c.capacity === null || c.load < c.capacity));
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Never assigned first, then the oldest assignment first. */
function compareLastAssigned(a: AssignmentCandidate, b: AssignmentCandidate): number {
  if (a.lastAssignedAt === null || b.lastAssignedAt === null) {
    return (a.lastAssignedAt === null ? 0 : 1) - (b.lastAssignedAt === null ? 0 : 1);
  }
  return a.lastAssignedAt.getTime() - b.lastAssignedAt.getTime();
}
