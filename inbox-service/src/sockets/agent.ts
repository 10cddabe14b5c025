import type { Namespace, Server, Socket } from 'socket.io';
import type { AgentClientToServer, AgentPresenceView, AgentServerToClient } from '@switchboard/contracts';
import { authorize, TokenError, type Access, type AgentClaims, type Principal, type TokenService } from '@switchboard/auth';
import { errors, SbError } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { AccessAuthenticator } from '../access/authenticator.js';
import { presenceView, type Presence } from '../presence.js';
import { inboxRooms, rooms, type Fanout } from '../fanout.js';
import type { ConversationRecord, Repositories, TenantRepositories } from '../repositories/index.js';

type SocketData = { agent: AgentClaims; inboxIds: string[] | null };
type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, SocketData>;
type AckResult = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * Every client → server event of /agent with the policy it needs. The isolation suite sends each
 * of them with another tenant's ids, so an event added here without a check fails that suite.
 */
export const AGENT_SOCKET_EVENTS = {
  'conversation:join': { access: {}, conversationId: true },
  'conversation:leave': { access: {}, conversationId: true },
  typing: { access: {}, conversationId: true },
  'presence:set': { access: {}, conversationId: false },
  'presence:heartbeat': { access: {}, conversationId: false },
} as const satisfies Record<keyof AgentClientToServer, { access: Access; conversationId: boolean }>;

type EventName = keyof typeof AGENT_SOCKET_EVENTS;

interface EventContext {
  principal: Principal;
  /** The caller's repositories: tenant-pinned and narrowed to the agent's inboxes. */
  r: TenantRepositories;
  /** The conversation named by the event, found through `r` (so visible to this agent), when the event names one. */
  conversation: ConversationRecord | null;
}

const notFound = { ok: false as const, error: { code: 'SB_ERR_NOT_FOUND', message: 'The conversation was not found.' } };
const refusal = (err: unknown) =>
  err instanceof SbError ? { ok: false as const, error: { code: err.code, message: err.message } } : { ok: false as const, error: { code: 'SB_ERR_INTERNAL', message: 'Something went wrong on our side; it has been logged.' } };

/**
 * /agent: the console's live channel. The JWT is checked in the handshake, before any room is
 * joined. Every event then goes through `on()`: the session must still hold (not signed out,
 * not deactivated), the policy must allow it, and a conversation id must name a conversation
 * the agent may see — otherwise the answer is { ok: false } and nothing happens.
 */
export function agentNamespace(
  io: Server,
  deps: {
    tokens: TokenService;
    authenticator: AccessAuthenticator;
    repos: Repositories;
    fanout: Fanout;
    logger: Logger;
    presence?: Presence;
    /** Told every presence the team is shown (the hub publishes it as `agent.presence` for reports). */
    onPresence?: (tenantId: string, view: AgentPresenceView) => void;
  },
): Namespace {
  const ns = io.of('/agent') as unknown as Namespace<AgentClientToServer, AgentServerToClient, Record<string, never>, SocketData>;
  ns.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('SB_ERR_UNAUTHORIZED'));
    deps.tokens
      .verifyAccess(token)
      .then(async (agent) => {
        socket.data.inboxIds = (await deps.authenticator.agentPrincipal(agent)).inboxIds ?? null;
        socket.data.agent = agent;
        next();
      })
      .catch((err: unknown) => next(new Error(err instanceof TokenError && err.reason === 'expired' ? 'SB_ERR_TOKEN_EXPIRED' : 'SB_ERR_UNAUTHORIZED')));
  });

  /** The team's consoles hear an agent's presence as it changes. */
  async function announcePresence(tenantId: string, agentId: string): Promise<AgentPresenceView | null> {
    if (!deps.presence) return null;
    const view = presenceView(agentId, await deps.presence.of(tenantId, agentId));
    ns.to(rooms.agents(tenantId)).emit('presence', view);
    deps.onPresence?.(tenantId, view);
    return view;
  }

  /**
   * An agent changed (role, inbox access, deactivated, signed out everywhere): each of their
   * consoles, on any instance, checks its session again and is moved to the inbox rooms it may
   * now see, or disconnected — so nothing of an inbox taken away reaches it after the change.
   */
  async function resync(tenantId: string, agentId: string): Promise<void> {
    const sockets = await ns.in(rooms.agent(tenantId, agentId)).fetchSockets();
    if (sockets.length === 0) return;
    const everyInbox = (await deps.repos.forTenant(tenantId).inboxes.find({})).map((i) => rooms.inbox(tenantId, i._id));
    for (const s of sockets) {
      let principal: Principal;
      try {
        principal = await deps.authenticator.agentPrincipal(s.data.agent);
      } catch {
        s.disconnect(true);
        continue;
      }
      for (const room of [rooms.allInboxes(tenantId), ...everyInbox]) s.leave(room);
      s.join(inboxRooms(tenantId, principal.inboxIds ?? null));
    }
  }
  deps.authenticator.onChanged((tenantId, agentId) =>
    resync(tenantId, agentId).catch((err: unknown) => deps.logger.warn({ err, tenantId, agentId }, 'consoles not moved after an agent changed')),
  );

  ns.on('connection', (socket: AgentSocket) => {
    const { agent } = socket.data;
    void socket.join([rooms.agents(agent.tenantId), ...inboxRooms(agent.tenantId, socket.data.inboxIds)]);
    const ownRoom = rooms.agent(agent.tenantId, agent.agentId);
    void socket.join(ownRoom);
    const presence = deps.presence;
    if (presence) {
      // Only signs of life from the console itself count (its presence:heartbeat, or its client
      // answering socket.io's ping): a console that froze or lost its network goes offline after
      // the TTL even while this instance still holds its socket.
      const beat = () => void alive().catch((err: unknown) => deps.logger.warn({ err, tenantId: agent.tenantId, agentId: agent.agentId }, 'presence not recorded'));
      void presence
        .seen(agent.tenantId, agent.agentId)
        .then(() => announcePresence(agent.tenantId, agent.agentId))
        .catch((err: unknown) => deps.logger.warn({ err, tenantId: agent.tenantId, agentId: agent.agentId }, 'presence not recorded'));
      socket.conn.on('heartbeat', beat);
      socket.on('disconnect', () => {
        socket.conn.off('heartbeat', beat);
        // Another tab (here or on another instance) keeps the agent online.
        void ns
          .in(ownRoom)
          .fetchSockets()
          .then(async (left) => {
            if (left.length > 0) return;
            // Already offline since its last heartbeat (a console that froze before its socket
            // dropped; the sweeper tells the team): that stays the time it went, told once.
            if (!(await presence.of(agent.tenantId, agent.agentId)).online) return;
            await presence.left(agent.tenantId, agent.agentId);
            await announcePresence(agent.tenantId, agent.agentId);
          })
          .catch((err: unknown) => deps.logger.warn({ err }, 'presence not updated on disconnect'));
      });
    }

    function on(event: EventName, handler: (ctx: EventContext, req: Record<string, unknown>) => Promise<unknown> | unknown): void {
      const policy = AGENT_SOCKET_EVENTS[event];
      (socket as unknown as Socket).on(event, async (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (res: AckResult) => void) : undefined;
        const req = args[0] && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : {};
        let principal: Principal;
        try {
          principal = await deps.authenticator.agentPrincipal(agent);
        } catch (err) {
          ack?.(refusal(err));
          socket.disconnect(true);
          return;
        }
        const decision = authorize(principal, policy.access);
        if (!decision.ok) return ack?.({ ok: false, error: { code: 'SB_ERR_FORBIDDEN', message: decision.reason } });
        const r = deps.repos.forPrincipal(principal);
        let conversation: ConversationRecord | null = null;
        if (policy.conversationId) {
          const id = typeof req.conversationId === 'string' && req.conversationId.length <= 100 ? req.conversationId : '';
          conversation = id ? await r.conversations.findById(id).catch(() => null) : null;
          if (!conversation) return ack?.(notFound);
        }
        try {
          const data = await handler({ principal, r, conversation }, req);
          ack?.({ ok: true, data: data ?? null });
        } catch (err) {
          if (!(err instanceof SbError)) deps.logger.error({ err, tenantId: agent.tenantId, event }, 'agent socket event failed');
          ack?.(refusal(err));
        }
      });
    }

    on('conversation:join', async ({ conversation }) => {
      const conv = conversation as ConversationRecord;
      await socket.join(rooms.conversation(agent.tenantId, conv._id));
      return { conversationId: conv._id };
    });

    on('conversation:leave', async ({ conversation }) => {
      const conv = conversation as ConversationRecord;
      await socket.leave(rooms.conversation(agent.tenantId, conv._id));
      return { conversationId: conv._id };
    });

    on('presence:set', async (_ctx, req) => {
      const status = req.status;
      if (status !== 'online' && status !== 'away' && status !== 'offline') throw errors.validation('status is online, away or offline.', { path: '/status' });
      if (!deps.presence) throw errors.unavailable('Presence is not kept by this server.');
      const changed = await deps.presence.choose(agent.tenantId, agent.agentId, status, req.auto === true);
      if (changed) deps.logger.info({ tenantId: agent.tenantId, agentId: agent.agentId, status, auto: req.auto === true }, 'agent presence set');
      return changed ? announcePresence(agent.tenantId, agent.agentId) : presenceView(agent.agentId, await deps.presence.of(agent.tenantId, agent.agentId));
    });

    on('presence:heartbeat', async () => {
      if (!deps.presence) throw errors.unavailable('Presence is not kept by this server.');
      await alive();
      return { everyMs: deps.presence.heartbeatMs };
    });

    /** A sign of life from the console; one back after the TTL ran out is announced online again. */
    async function alive(): Promise<void> {
      const presence = deps.presence!;
      const wasOnline = (await presence.of(agent.tenantId, agent.agentId)).online;
      await presence.seen(agent.tenantId, agent.agentId);
      if (!wasOnline) await announcePresence(agent.tenantId, agent.agentId);
    }

    on('typing', ({ principal, conversation }, req) => {
      const conv = conversation as ConversationRecord;
      // Only a conversation this socket joined can be typed into.
      if (!socket.rooms.has(rooms.conversation(agent.tenantId, conv._id))) throw new SbError('SB_ERR_NOT_JOINED', 409, 'Join the conversation first.');
      const typing = req.typing === true;
      const name = principal.name ?? agent.name;
      deps.fanout.typingToAgents(agent.tenantId, conv._id, { typing, who: 'agent', name, agentId: agent.agentId }, socket.id);
      if (conv.channel === 'web') deps.fanout.typingToVisitor(agent.tenantId, conv.inboxId, conv.threadKey, typing, name);
      return { conversationId: conv._id };
    });
  });
  return ns as unknown as Namespace;
}
