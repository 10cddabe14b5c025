import { sanitizeHtml } from '@switchboard/http';
import type { AgentView, ConversationView, MessageView } from '@switchboard/contracts';
import type { AgentRecord, ConversationRecord, MessageRecord } from './repositories/index.js';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function conversationView(c: ConversationRecord): ConversationView {
  return {
    id: c._id,
    inboxId: c.inboxId,
    channel: c.channel,
    status: c.status,
    contact: { ...c.contact, channel: c.channel },
    ...(c.crmContactId ? { crmContactId: c.crmContactId } : {}),
    assigneeId: c.assigneeId,
    unreadCount: c.unreadCount,
    lastMessage: c.lastMessage ? { ...c.lastMessage, at: iso(c.lastMessage.at) } : null,
    lastSeq: c.lastSeq,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function messageView(m: MessageRecord): MessageView {
  const view: MessageView = {
    id: m._id,
    conversationId: m.conversationId,
    seq: m.seq,
    direction: m.direction,
    author: m.author,
    attachments: m.attachments,
    createdAt: iso(m.createdAt),
  };
  if (m.deletedAt) return { ...view, deletedAt: iso(m.deletedAt) };
  if (m.text !== undefined) view.text = m.text;
  // Channel HTML (email bodies, rich messages) is untrusted: only harmless formatting reaches a screen.
  if (m.html !== undefined) view.html = sanitizeHtml(m.html);
  if (m.replyTo !== undefined) view.replyTo = m.replyTo;
  if (m.clientId !== undefined) view.clientId = m.clientId;
  if (m.status !== undefined) view.status = m.status;
  if (m.error !== undefined) view.error = m.error;
  if (m.email !== undefined) view.email = m.email;
  if (m.editedAt) view.editedAt = iso(m.editedAt);
  return view;
}

export function agentView(a: AgentRecord): AgentView {
  return { id: a._id, tenantId: a.tenantId, email: a.email, name: a.name, role: a.role };
}
