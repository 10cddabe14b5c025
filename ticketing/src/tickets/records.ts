import type { Channel, DomainEvent, TicketPriority, TicketStatus } from '@switchboard/contracts';
import type { TenantDoc } from '@switchboard/tenancy';
import type { CrmKind } from '../crm/types.js';
import type { BusinessCalendar, SlaPolicy, SlaTimer } from '../sla/types.js';
import type { AssignmentStrategy } from '../assignment/types.js';

export interface CrmLink {
  status: 'none' | 'pending' | 'linked' | 'failed';
  provider?: CrmKind;
  contactId?: string;
  url?: string;
  error?: string;
  /** Link attempts made so far (the outbox retries with back-off). */
  attempts: number;
  nextAttemptAt: Date | null;
}

export interface TicketRecord extends TenantDoc {
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  fields: Record<string, string | number | null>;
  conversationIds: string[];
  /** Inboxes of the linked conversations: agents limited to some inboxes see only their tickets. */
  inboxIds: string[];
  channels: Channel[];
  /** Who asked, as the channel named them; the CRM link says who they are across channels. */
  requester: { channel: Channel; externalId: string; name?: string; email?: string; phone?: string; handle?: string };
  crm: CrmLink;
  sla: SlaTimer[];
  /** Earliest running dueAt: what the breach scheduler looks for. */
  slaDueAt: Date | null;
  slaBreached: boolean;
  /** none / ok / paused / breached, kept for filtering. */
  slaState: 'none' | 'ok' | 'paused' | 'breached';
  /** Message ids already applied to the SLA clocks (a redelivered message.created changes nothing). */
  seenMessageIds: string[];
  /** Domain events written with the change they describe, published and removed by the dispatcher (an outbox in the document). */
  outbox: DomainEvent[];
  outboxPending: boolean;
  mergedInto?: string;
  assignedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
  solvedAt?: Date | null;
  closedAt?: Date | null;
}

export interface TicketEventRecord extends TenantDoc {
  ticketId: string;
  at: Date;
  actor: { kind: 'agent' | 'apiKey' | 'system'; id?: string; name?: string };
  type: string;
  changes: { field: string; from: unknown; to: unknown }[];
  note?: string;
}

export interface TicketNoteRecord extends TenantDoc {
  ticketId: string;
  author: { id?: string; name?: string };
  text: string;
  /** Agents @mentioned in the note. */
  mentions?: string[];
  createdAt: Date;
}

/** Which ticket a conversation belongs to: the idempotency key of automatic ticket creation. */
export interface ConversationTicketRecord extends TenantDoc {
  conversationId: string;
  ticketId: string;
}

export interface TicketFieldRecord extends TenantDoc {
  key: string;
  label: string;
  type: 'text' | 'number' | 'select' | 'date';
  options?: string[];
  createdAt: Date;
}

export interface TeamRecord extends TenantDoc {
  name: string;
  strategy: AssignmentStrategy;
  members: { agentId: string; capacity: number | null }[];
  lastAssignedAgentId: string | null;
  /** When each member was last given a ticket automatically (load-balancing tie-breaker). */
  lastAssignedAt?: Record<string, Date>;
  createdAt: Date;
  updatedAt: Date;
}

/** One tenant's ticketing settings (`_id` = `settings`). */
export interface TicketSettingsRecord extends TenantDoc {
  /** auto: every conversation gets a ticket; manual: agents make them. */
  mode: 'auto' | 'manual';
  /** Solved tickets close after this many days (0 = never). */
  autoCloseDays: number;
  /** Open tickets of an agent offline longer than this go back to the team's strategy (null = never). */
  reassignOfflineMinutes: number | null;
  /** Team new tickets start in. */
  defaultTeamId: string | null;
  calendar: BusinessCalendar;
  sla: SlaPolicy;
  /** Which CRM holds the tenant's people; credentials sealed with SECRETS_KEY. */
  crm: { kind: CrmKind; settings: Record<string, string>; credentials: Record<string, string> } | null;
  updatedAt: Date;
}

export interface TicketCounterRecord extends TenantDoc {
  next: number;
}
