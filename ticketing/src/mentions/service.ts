import type { MentionView } from '@switchboard/contracts';
import { SbError } from '@switchboard/http';
import type { AgentRecord, ConversationRecord, MentionRecord, Repositories } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError } from '@switchboard/store';
import type { TicketNoteRecord, TicketRecord } from '../tickets/records.js';

/** The note's opening shown in the notification and the Mentions list. */
export const EXCERPT_LENGTH = 140;

export interface MentionServiceDeps {
  inbox: Repositories;
  logger: Logger;
  /** Sends a /agent event to one agent's own sockets (every tab). */
  toAgent?(tenantId: string, agentId: string, mention: MentionView): void;
}

/** 400 naming the mentioned id that is not an agent who may read the ticket's conversation. */
function unknownAgent(agentId: string, index: number): SbError {
  return new SbError('SB_ERR_MENTION_UNKNOWN_AGENT', 400, `${agentId} is not an active agent of this team who can see this conversation; nobody was mentioned.`, {
    agentId,
    path: `/mentions/${index}`,
  });
}

const sees = (agent: AgentRecord, conv: ConversationRecord) => !agent.inboxIds || agent.inboxIds.includes(conv.inboxId);

export function mentionView(m: MentionRecord): MentionView {
  return {
    id: m._id,
    agentId: m.agentId,
    conversationId: m.conversationId,
    ticketId: m.ticketId,
    noteId: m.noteId,
    byAgentId: m.byAgentId,
    byName: m.byName,
    excerpt: m.excerpt,
    createdAt: m.createdAt.toISOString(),
    readAt: m.readAt ? m.readAt.toISOString() : null,
  };
}

/**
 * @mentions in ticket notes: checked before the note is stored, recorded once per (note,
 * mentioned agent, conversation the agent may see) in the inbox's `mentions` collection (the
 * console's Mentions view reads it), and sent live to the mentioned agent's own room.
 */
export class MentionService {
  constructor(private readonly deps: MentionServiceDeps) {}

  /** The ids, each once, when every one is an active agent who can see one of the ticket's conversations; else a 400 naming the first that is not. */
  async check(tenantId: string, ticket: Pick<TicketRecord, 'conversationIds'>, ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const r = this.deps.inbox.forTenant(tenantId);
    const conversations = await r.conversations.find({ _id: { $in: ticket.conversationIds } });
    for (const id of unique) {
      const agent = await r.agents.findById(id);
      if (!agent || agent.active === false || !conversations.some((c) => sees(agent, c))) throw unknownAgent(id, ids.indexOf(id));
    }
    return unique;
  }

  /** Records the note's mentions and tells each mentioned agent once; the author mentioning themselves is not told. Idempotent. */
  async noteAdded(tenantId: string, ticket: Pick<TicketRecord, '_id' | 'conversationIds'>, note: TicketNoteRecord): Promise<void> {
    const mentioned = (note.mentions ?? []).filter((id) => id !== note.author.id);
    if (mentioned.length === 0) return;
    const r = this.deps.inbox.forTenant(tenantId);
    const conversations = await r.conversations.find({ _id: { $in: ticket.conversationIds } });
    const excerpt = note.text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_LENGTH);
    for (const agentId of mentioned) {
      const agent = await r.agents.findById(agentId);
      if (!agent) continue;
      let first: MentionRecord | null = null;
      for (const conv of conversations.filter((c) => sees(agent, c))) {
        const record: MentionRecord = {
          _id: `${note._id}:${agentId}:${conv._id}`,
          tenantId,
          agentId,
          conversationId: conv._id,
          ticketId: ticket._id,
          noteId: note._id,
          byAgentId: note.author.id ?? '',
          byName: note.author.name ?? 'Someone',
          excerpt,
          createdAt: note.createdAt,
          readAt: null,
        };
        try {
          await r.mentions.insertOne(record);
        } catch (err) {
          if (!(err instanceof DuplicateKeyError)) throw err;
        }
        first ??= record;
      }
      if (first) this.deps.toAgent?.(tenantId, agentId, mentionView(first));
      this.deps.logger.info({ tenantId, ticketId: ticket._id, noteId: note._id, agentId }, 'agent mentioned in a note');
    }
  }

  /** The agent's mentions, newest first; with `unreadFirst` the unread ones come before the read ones. */
  async list(tenantId: string, agentId: string, opts: { limit: number; unreadFirst: boolean; conversationId?: string }): Promise<{ items: MentionRecord[]; unread: number }> {
    const r = this.deps.inbox.forTenant(tenantId);
    const base = { agentId, ...(opts.conversationId ? { conversationId: opts.conversationId } : {}) };
    const newest = { sort: { createdAt: -1 as const, _id: -1 as const } };
    const unread = await r.mentions.countDocuments({ agentId, readAt: null });
    if (!opts.unreadFirst) return { items: await r.mentions.find(base, { ...newest, limit: opts.limit }), unread };
    const fresh = await r.mentions.find({ ...base, readAt: null }, { ...newest, limit: opts.limit });
    const rest = fresh.length < opts.limit ? await r.mentions.find({ ...base, readAt: { $ne: null } }, { ...newest, limit: opts.limit - fresh.length }) : [];
    return { items: [...fresh, ...rest], unread };
  }

  /** Marks the agent's mentions in one conversation read; answers how many were unread. */
  async markRead(tenantId: string, agentId: string, conversationId: string): Promise<number> {
    const res = await this.deps.inbox.forTenant(tenantId).mentions.updateMany({ agentId, conversationId, readAt: null }, { $set: { readAt: new Date() } });
    return res.modified;
  }
}
