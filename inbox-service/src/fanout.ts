import type { Server } from 'socket.io';
import type {
  AgentServerToClient,
  ConversationView,
  MessageView,
  WidgetCsat,
  WidgetServerToClient,
} from '@switchboard/contracts';

/** Room names. Every room carries the tenant id, so no emit can cross tenants. */
export const rooms = {
  /** Every console of the tenant: only for what carries no conversation (presence). */
  agents: (tenantId: string) => `t:${tenantId}`,
  /** Consoles of agents who may see every inbox. */
  allInboxes: (tenantId: string) => `ia:${tenantId}`,
  /** Consoles of agents limited to some inboxes join one of these per inbox they may see. */
  inbox: (tenantId: string, inboxId: string) => `i:${tenantId}:${inboxId}`,
  conversation: (tenantId: string, conversationId: string) => `c:${tenantId}:${conversationId}`,
  /** One agent's own sockets (every tab), joined on connect. */
  agent: (tenantId: string, agentId: string) => `a:${tenantId}:${agentId}`,
  visitor: (tenantId: string, inboxId: string, visitorId: string) => `v:${tenantId}:${inboxId}:${visitorId}`,
};

/** The inbox rooms a console joins: all inboxes, or one room per inbox the agent may see. */
export const inboxRooms = (tenantId: string, inboxIds: readonly string[] | null): string[] =>
  inboxIds === null ? [rooms.allInboxes(tenantId)] : inboxIds.map((id) => rooms.inbox(tenantId, id));

/**
 * Emits to agents and visitors. Called only after the store committed what is emitted, so a
 * client that reconnects and fetches from its cursor never misses anything that was emitted.
 */
export class Fanout {
  /**
   * @param forVisitor turns a message view into the one a website visitor gets (signed file
   *   links); default: the same view.
   */
  constructor(
    private readonly io: Server,
    private readonly forVisitor: (tenantId: string, msg: MessageView) => MessageView = (_t, msg) => msg,
  ) {}

  private get agentNs() {
    return this.io.of('/agent') as unknown as import('socket.io').Namespace<Record<string, never>, AgentServerToClient>;
  }
  private get widgetNs() {
    return this.io.of('/widget') as unknown as import('socket.io').Namespace<Record<string, never>, WidgetServerToClient>;
  }

  /** The consoles that may see a conversation of this inbox. */
  private seeing(tenantId: string, inboxId: string) {
    return this.agentNs.to([rooms.allInboxes(tenantId), rooms.inbox(tenantId, inboxId)]);
  }

  messageToAgents(tenantId: string, msg: MessageView, conv: ConversationView, isNew: boolean): void {
    const room = this.seeing(tenantId, conv.inboxId);
    room.emit(isNew ? 'message:new' : 'message:updated', msg);
    room.emit('conversation:updated', conv);
  }

  conversationToAgents(tenantId: string, conv: ConversationView): void {
    this.seeing(tenantId, conv.inboxId).emit('conversation:updated', conv);
  }

  messageToVisitor(tenantId: string, inboxId: string, visitorId: string, msg: MessageView, isNew: boolean): void {
    this.widgetNs.to(rooms.visitor(tenantId, inboxId, visitorId)).emit(isNew ? 'message:new' : 'message:updated', this.forVisitor(tenantId, msg));
  }

  /** An agent read the visitor's conversation up to `upToSeq` (the widget shows "Seen"). */
  readToVisitor(tenantId: string, inboxId: string, visitorId: string, upToSeq: number): void {
    this.widgetNs.to(rooms.visitor(tenantId, inboxId, visitorId)).emit('messages:read', { upToSeq });
  }

  /** The visitor's rating survey, asked for or changed (csat/). */
  csatToVisitor(tenantId: string, inboxId: string, visitorId: string, survey: WidgetCsat): void {
    this.widgetNs.to(rooms.visitor(tenantId, inboxId, visitorId)).emit('csat:request', survey);
  }

  typingToVisitor(tenantId: string, inboxId: string, visitorId: string, typing: boolean, name?: string): void {
    this.widgetNs.to(rooms.visitor(tenantId, inboxId, visitorId)).emit('typing', { typing, ...(name ? { name } : {}) });
  }

  typingToAgents(
    tenantId: string,
    conversationId: string,
    ev: { typing: boolean; who: 'contact' | 'agent'; name?: string; agentId?: string },
    exceptSocketId?: string,
  ): void {
    let target = this.agentNs.to(rooms.conversation(tenantId, conversationId));
    if (exceptSocketId) target = target.except(exceptSocketId);
    target.emit('typing', { conversationId, ...ev });
  }
}
