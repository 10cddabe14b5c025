import type { Namespace, Server, Socket } from 'socket.io';
import type { AgentClientToServer, AgentServerToClient } from '@switchboard/contracts';
import { TokenError, type AgentClaims, type TokenService } from '@switchboard/auth';
import type { Logger } from '@switchboard/logging';
import { rooms, type Fanout } from '../fanout.js';
import type { Repositories } from '../repositories/index.js';

type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, { agent: AgentClaims }>;

/**
 * /agent: the console's live channel. The JWT is checked in the handshake, before any room is
 * joined; a conversation room is joined only after the conversation is found in the agent's tenant.
 */
export function agentNamespace(io: Server, deps: { tokens: TokenService; repos: Repositories; fanout: Fanout; logger: Logger }): Namespace {
  const ns = io.of('/agent') as unknown as Namespace<AgentClientToServer, AgentServerToClient, Record<string, never>, { agent: AgentClaims }>;
  ns.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('SB_ERR_UNAUTHORIZED'));
    deps.tokens.verifyAccess(token).then(
      (agent) => {
        socket.data.agent = agent;
        next();
      },
      (err: unknown) => next(new Error(err instanceof TokenError && err.reason === 'expired' ? 'SB_ERR_TOKEN_EXPIRED' : 'SB_ERR_UNAUTHORIZED')),
    );
  });
  ns.on('connection', (socket: AgentSocket) => {
    const { agent } = socket.data;
    const r = deps.repos.forTenant(agent.tenantId);
    void socket.join(rooms.agents(agent.tenantId));

    socket.on('conversation:join', async (req, ack) => {
      if (typeof ack !== 'function') return;
      const id = typeof req?.conversationId === 'string' ? req.conversationId : '';
      const conv = id ? await r.conversations.findById(id).catch(() => null) : null;
      if (!conv) return ack({ ok: false, error: { code: 'SB_ERR_NOT_FOUND', message: 'The conversation was not found.' } });
      await socket.join(rooms.conversation(agent.tenantId, conv._id));
      ack({ ok: true, data: { conversationId: conv._id } });
    });

    socket.on('conversation:leave', (req) => {
      if (typeof req?.conversationId === 'string') void socket.leave(rooms.conversation(agent.tenantId, req.conversationId));
    });

    socket.on('typing', async (req) => {
      const id = typeof req?.conversationId === 'string' ? req.conversationId : '';
      // Only a conversation this socket joined (so already authorized) can be typed into.
      if (!id || !socket.rooms.has(rooms.conversation(agent.tenantId, id))) return;
      const typing = req.typing === true;
      deps.fanout.typingToAgents(agent.tenantId, id, { typing, who: 'agent', name: agent.name, agentId: agent.agentId }, socket.id);
      const conv = await r.conversations.findById(id).catch(() => null);
      if (conv?.channel === 'web') deps.fanout.typingToVisitor(agent.tenantId, conv.inboxId, conv.threadKey, typing, agent.name);
    });
  });
  return ns as unknown as Namespace;
}
