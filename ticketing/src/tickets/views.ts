import type { SlaState, TicketHistoryEntry, TicketNoteView, TicketView } from '@switchboard/contracts';
import type { TicketEventRecord, TicketNoteRecord, TicketRecord } from './records.js';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function slaState(t: Pick<TicketRecord, 'sla'>): SlaState {
  if (t.sla.some((s) => s.status === 'breached' && !s.metAt)) return 'breached';
  if (t.sla.some((s) => s.status === 'running')) return 'ok';
  if (t.sla.some((s) => s.status === 'paused')) return 'paused';
  return 'none';
}

export function ticketView(t: TicketRecord): TicketView {
  const { channel: _c, externalId: _e, ...requester } = t.requester;
  return {
    id: t._id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    assigneeId: t.assigneeId,
    teamId: t.teamId,
    tags: t.tags,
    fields: t.fields,
    conversationIds: t.conversationIds,
    channels: t.channels,
    requester,
    crm: {
      status: t.crm.status,
      ...(t.crm.provider ? { provider: t.crm.provider } : {}),
      ...(t.crm.contactId ? { contactId: t.crm.contactId } : {}),
      ...(t.crm.url ? { url: t.crm.url } : {}),
      ...(t.crm.error ? { error: t.crm.error } : {}),
    },
    sla: t.sla.map((s) => ({
      metric: s.metric,
      status: s.status,
      targetMinutes: s.targetMinutes,
      dueAt: s.dueAt ? iso(s.dueAt) : null,
      ...(s.breachedAt ? { breachedAt: iso(s.breachedAt) } : {}),
      ...(s.metAt ? { metAt: iso(s.metAt) } : {}),
    })),
    slaState: slaState(t),
    ...(t.mergedInto ? { mergedInto: t.mergedInto } : {}),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    ...(t.solvedAt ? { solvedAt: iso(t.solvedAt) } : {}),
    ...(t.closedAt ? { closedAt: iso(t.closedAt) } : {}),
  };
}

export function historyView(e: TicketEventRecord): TicketHistoryEntry {
  return { id: e._id, at: iso(e.at), actor: e.actor, type: e.type, changes: e.changes, ...(e.note ? { note: e.note } : {}) };
}

export function noteView(n: TicketNoteRecord): TicketNoteView {
  return { id: n._id, ticketId: n.ticketId, author: n.author, text: n.text, ...(n.mentions?.length ? { mentions: n.mentions } : {}), createdAt: iso(n.createdAt) };
}
