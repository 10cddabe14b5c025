import type { Namespace, Server, Socket } from 'socket.io';
import type { Bus } from '@switchboard/bus';
import { newId, type WidgetClientToServer, type WidgetServerToClient } from '@switchboard/contracts';
import type { TokenService } from '@switchboard/auth';
import type { Logger } from '@switchboard/logging';
import type { RateLimiter } from '@switchboard/http';
import { rooms, type Fanout } from '../fanout.js';
import type { Repositories } from '../repositories/index.js';
import { messageView } from '../views.js';
import { originAllowed } from '../web-origins.js';

interface VisitorData {
  tenantId: string;
  inboxId: string;
  visitorId: string;
  visitorToken: string;
}
type WidgetSocket = Socket<WidgetClientToServer, WidgetServerToClient, Record<string, never>, VisitorData>;

const HISTORY = 100;
const fail = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

/**
 * /widget: website visitors. The inbox token picks the tenant and inbox; a visitor token (JWT we
 * signed) keeps the same visitor across reloads. Visitor messages go through sb.inbound like any
 * channel's, so they are stored exactly once by the same ingest path.
 */
export function widgetNamespace(
  io: Server,
  deps: { tokens: TokenService; repos: Repositories; bus: Bus; fanout: Fanout; logger: Logger; limiter?: RateLimiter; visitorPerMin?: number },
): Namespace {
  const ns = io.of('/widget') as unknown as Namespace<WidgetClientToServer, WidgetServerToClient, Record<string, never>, VisitorData>;
  ns.use((socket, next) => {
    const auth = socket.handshake.auth as { inboxToken?: unknown; visitorToken?: unknown };
    if (typeof auth.inboxToken !== 'string' || auth.inboxToken.length > 200) return next(new Error('SB_ERR_UNKNOWN_INBOX'));
    void (async () => {
      const inbox = await deps.repos.findInboxByWidgetToken(auth.inboxToken as string);
      if (!inbox) return next(new Error('SB_ERR_UNKNOWN_INBOX'));
      // The token is public (it is in the page's HTML); the origin list is what keeps other sites from using it.
      const origin = socket.handshake.headers.origin;
      if (!originAllowed(inbox.allowedOrigins, origin)) {
        deps.logger.info({ tenantId: inbox.tenantId, inboxId: inbox._id, origin: origin?.slice(0, 300) ?? null }, 'widget refused: origin not allowed');
        return next(new Error('SB_ERR_ORIGIN_NOT_ALLOWED'));
      }
      let visitor = null;
      if (typeof auth.visitorToken === 'string') {
        visitor = await deps.tokens.verifyVisitor(auth.visitorToken).catch(() => null);
        if (visitor && (visitor.inboxId !== inbox._id || visitor.tenantId !== inbox.tenantId)) visitor = null;
      }
      const claims = visitor ?? { tenantId: inbox.tenantId, inboxId: inbox._id, visitorId: newId() };
      const visitorToken = visitor ? (auth.visitorToken as string) : await deps.tokens.signVisitor(claims);
      socket.data = { ...claims, visitorToken };
      next();
    })().catch((err: unknown) => {
      deps.logger.error({ err }, 'widget handshake failed');
      next(new Error('SB_ERR_INTERNAL'));
    });
  });

  ns.on('connection', (socket: WidgetSocket) => {
    const v = socket.data;
    const r = deps.repos.forTenant(v.tenantId);
    const log = deps.logger.child({ tenantId: v.tenantId, inboxId: v.inboxId, visitorId: v.visitorId });
    void socket.join(rooms.visitor(v.tenantId, v.inboxId, v.visitorId));
    const findConversation = () => r.conversations.findOne({ channel: 'web', channelAccountId: v.inboxId, threadKey: v.visitorId });

    socket.on('session:resume', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const conv = await findConversation();
        const afterSeq = typeof req?.afterSeq === 'number' && req.afterSeq >= 0 ? req.afterSeq : undefined;
        let messages: ReturnType<typeof messageView>[] = [];
        if (conv) {
          const docs =
            afterSeq !== undefined
              ? await r.messages.find({ conversationId: conv._id, seq: { $gt: afterSeq } }, { sort: { seq: 1 }, limit: 500 })
              : (await r.messages.find({ conversationId: conv._id }, { sort: { seq: -1 }, limit: HISTORY })).reverse();
          messages = docs.map(messageView);
        }
        const assignee = conv?.assigneeId ? await r.agents.findById(conv.assigneeId) : null;
        ack({
          ok: true,
          data: {
            visitorToken: v.visitorToken,
            conversationId: conv?._id ?? null,
            messages,
            ...(assignee ? { agentName: assignee.name } : {}),
          },
        });
      } catch (err) {
        log.error({ err }, 'session:resume failed');
        ack(fail('SB_ERR_INTERNAL', 'Could not load the conversation; try again.'));
      }
    });

    socket.on('message:send', async (req, ack) => {
      if (typeof ack !== 'function') return;
      const clientId = req?.clientId;
      const text = req?.text;
      if (typeof clientId !== 'string' || !/^[\w-]{8,100}$/.test(clientId)) {
        return ack(fail('SB_ERR_VALIDATION', 'clientId must be 8–100 letters, digits, - or _.'));
      }
      if (typeof text !== 'string' || !text.trim() || text.length > 10_000) {
        return ack(fail('SB_ERR_VALIDATION', 'text must be 1–10000 characters.'));
      }
      if (deps.limiter && deps.visitorPerMin) {
        const decision = await deps.limiter.hit(`visitor:${v.tenantId}:${v.visitorId}`, deps.visitorPerMin);
        if (!decision.allowed) {
          return ack(fail('SB_ERR_RATE_LIMITED', `Too many messages; try again in ${decision.retryAfterSeconds} s.`));
        }
      }
      const now = new Date().toISOString();
      try {
        await deps.bus.publishInbound({
          id: newId(),
          v: 1,
          tenantId: v.tenantId,
          channel: 'web',
          channelAccountId: v.inboxId,
          kind: 'message',
          externalId: clientId,
          threadKey: v.visitorId,
          sender: { externalId: v.visitorId, name: `Visitor ${v.visitorId.slice(-4)}` },
          text,
          sentAt: now,
          receivedAt: now,
          traceId: newId(),
        });
        ack({ ok: true, data: { clientId } });
      } catch (err) {
        log.error({ err }, 'could not publish visitor message');
        ack(fail('SB_ERR_UNAVAILABLE', 'The message could not be sent right now; it will be retried.'));
      }
    });

    socket.on('typing', async (req) => {
      const conv = await findConversation().catch(() => null);
      if (conv) deps.fanout.typingToAgents(v.tenantId, conv._id, { typing: req?.typing === true, who: 'contact', name: conv.contact.name ?? 'Visitor' });
    });
  });
  return ns as unknown as Namespace;
}
