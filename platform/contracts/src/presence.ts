import { Type, type Static } from 'typebox';

/**
 * An agent's presence. online: a console is connected and the agent has not stepped away;
 * away: set by the agent, or by the console after a while without activity (`auto`);
 * offline: no console connected, or the agent chose to appear offline.
 */
export const PresenceStatus = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
export type PresenceStatus = Static<typeof PresenceStatus>;

export const AgentPresenceView = Type.Object(
  {
    agentId: Type.String(),
    status: PresenceStatus,
    /** Since when the status holds; null when the agent was never seen. */
    since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** true when the console set it for idleness (activity brings the agent back online). */
    auto: Type.Boolean(),
  },
  {},
);
export type AgentPresenceView = Static<typeof AgentPresenceView>;
