import type { ConversationView, MessageView, TicketView } from '@switchboard/contracts';

/** Builders for tests: a plausible conversation or message with only what a test cares about set. */

export function conversation(id: string, over: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    inboxId: 'inbox-1',
    channel: 'web',
    status: 'open',
    contact: { id: `contact-${id}`, name: `Contact ${id}`, channel: 'web' },
    assigneeId: null,
    unreadCount: 0,
    lastMessage: { text: 'hello', direction: 'in', at: '2025-03-12T10:00:00.000Z' },
    lastSeq: 1,
    createdAt: '2025-03-12T09:00:00.000Z',
    updatedAt: '2025-03-12T10:00:00.000Z',
    ...over,
  };
}

export function message(conversationId: string, seq: number, over: Partial<MessageView> = {}): MessageView {
  const direction = over.direction ?? 'in';
  return {
    id: `${conversationId}-m${seq}`,
    conversationId,
    seq,
    direction,
    author: direction === 'in' ? { kind: 'contact', name: 'Contact' } : { kind: 'agent', id: 'agent-1', name: 'Ada' },
    text: `message ${seq}`,
    attachments: [],
    createdAt: new Date(Date.parse('2025-03-12T10:00:00.000Z') + seq * 1000).toISOString(),
    ...(direction === 'out' ? { status: 'sent' as const } : {}),
    ...over,
  };
}

export function ticket(id: string, over: Partial<TicketView> = {}): TicketView {
  return {
    id,
    number: 1042,
    subject: 'Order 42 arrived broken',
    status: 'open',
    priority: 'normal',
    assigneeId: null,
    teamId: null,
    tags: [],
    fields: {},
    conversationIds: ['c1'],
    channels: ['web'],
    requester: { name: 'Olga' },
    crm: { status: 'none' },
    sla: [],
    slaState: 'none',
    createdAt: '2025-03-12T09:00:00.000Z',
    updatedAt: '2025-03-12T10:00:00.000Z',
    ...over,
  };
}
