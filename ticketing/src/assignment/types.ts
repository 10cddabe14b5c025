/** Automatic assignment, decided from plain data (who is online, how loaded) so it is tested alone. */

export type AssignmentStrategy = 'manual' | 'round_robin' | 'load_balanced';

export interface AssignmentCandidate {
  agentId: string;
  /** Available now (presence 'online'): a console connected, and the agent neither away nor appearing offline. */
  online: boolean;
  /** Open tickets assigned now (status new, open, pending or on-hold). */
  load: number;
  /** Most open tickets this agent takes; null = no limit. */
  capacity: number | null;
  /** When this agent was last given a ticket automatically (tie-breaker; older first). */
  lastAssignedAt: Date | null;
}
