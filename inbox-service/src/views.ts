import { sanitizeHtml } from '@switchboard/http';
import type { AgentView, ConversationView, MessageView, WidgetVisitor } from '@switchboard/contracts';
import type { AgentRecord, ContactRecord, ContactSummary, ConversationRecord, MessageRecord } from './repositories/index.js';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * What a conversation keeps of its contact, so lists need no join: who they are, and for a
 * website visitor the site's user id, whether identify() was verified, and custom attributes.
 */
export function contactSummary(c: ContactRecord): ContactSummary {
  const summary: ContactSummary = { id: c._id };
  for (const key of ['name', 'handle', 'phone', 'email', 'avatarUrl', 'userId'] as const) {
    const value = c[key];
    if (value !== undefined && value !== null && value !== '') summary[key] = value;
  }
  if (c.verified !== undefined) summary.verified = c.verified;
  if (c.attributes && Object.keys(c.attributes).length) summary.attributes = { ...c.attributes };
  return summary;
}

/** The visitor as the widget knows it; an unknown visitor is anonymous and unverified. */
export function widgetVisitorView(c: ContactRecord | null): WidgetVisitor {
  return {
    ...(c?.name ? { name: c.name } : {}),
    ...(c?.email ? { email: c.email } : {}),
    ...(c?.phone ? { phone: c.phone } : {}),
    ...(c?.userId ? { userId: c.userId } : {}),
    verified: c?.verified === true,
    attributes: { ...(c?.attributes ?? {}) },
  };
}

export function conversationView(c: ConversationRecord): ConversationView {
  return {
    id: c._id,
    inboxId: c.inboxId,
    channel: c.channel,
    status: c.status,
    ...(c.status === 'snoozed' && c.snoozedUntil ? { snoozedUntil: iso(c.snoozedUntil) } : {}),
    contact: { ...c.contact, channel: c.channel },
    ...(c.crmContactId ? { crmContactId: c.crmContactId } : {}),
    assigneeId: c.assigneeId,
    unreadCount: c.unreadCount,
    lastMessage: c.lastMessage ? { ...c.lastMessage, at: iso(c.lastMessage.at) } : null,
    lastSeq: c.lastSeq,
    ...(c.teamId !== undefined ? { teamId: c.teamId } : {}),
    ...(c.waitingSince !== undefined ? { waitingSince: c.waitingSince && iso(c.waitingSince) } : {}),
    ...(c.slaDueAt !== undefined ? { slaDueAt: c.slaDueAt && iso(c.slaDueAt) } : {}),
    ...(c.csat ? { csat: { rating: c.csat.rating, ...(c.csat.comment ? { comment: c.csat.comment } : {}), answeredAt: iso(c.csat.answeredAt) } } : {}),
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
  // A deleted message keeps its place in its thread.
  if (m.thread) view.thread = m.thread;
  if (m.deletedAt) return { ...view, deletedAt: iso(m.deletedAt) };
  if (m.text !== undefined) view.text = m.text;
  // Channel HTML (email bodies, rich messages) is untrusted: only harmless formatting reaches a screen.
  if (m.html !== undefined) view.html = sanitizeHtml(m.html);
  if (m.replyTo !== undefined) view.replyTo = m.replyTo;
  if (m.clientId !== undefined) view.clientId = m.clientId;
  if (m.status !== undefined) view.status = m.status;
  if (m.error !== undefined) view.error = m.error;
  if (m.retries) view.retries = m.retries;
  if (m.email !== undefined) view.email = m.email;
  if (m.editedAt) view.editedAt = iso(m.editedAt);
  return view;
}

export function agentView(a: AgentRecord): AgentView {
  return { id: a._id, tenantId: a.tenantId, email: a.email, name: a.name, role: a.role };
}
