import type { Role } from '@switchboard/contracts';
import type { ExtraApi, HttpMethod } from '../api.js';

/**
 * The administration area's REST calls (docs/api.md, docs/ticketing.md, docs/webhooks.md) on the
 * API client's authenticated `call`, with the views as the server sends them.
 */

/** GET /api/v1/agents?includeInactive=true (inbox-service TeamMemberView). */
export interface AdminAgent {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  inboxIds: string[] | null;
  totpEnabled: boolean;
  invitationPending: boolean;
  createdAt: string;
}
export type InvitedAgent = AdminAgent & { invitationSent: boolean };

export type Strategy = 'manual' | 'round_robin' | 'load_balanced';
export interface TeamMember {
  agentId: string;
  capacity: number | null;
}
export interface AdminTeam {
  id: string;
  name: string;
  strategy: Strategy;
  members: TeamMember[];
}

export type FieldType = 'text' | 'number' | 'select' | 'date';
export interface AdminField {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  options?: string[];
}

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type SlaTarget = 'first_response' | 'next_response' | 'resolution';
export type SlaPolicy = Record<Priority, Partial<Record<SlaTarget, number>>>;
export interface WeeklyHours {
  /** 1 = Monday … 7 = Sunday. */
  day: number;
  start: string;
  end: string;
}
export interface Calendar {
  timezone: string;
  weekly: WeeklyHours[];
  holidays: string[];
}
export type CrmKind = 'builtin' | 'hubspot' | 'kommo';
export interface TicketSettings {
  mode: 'auto' | 'manual';
  autoCloseDays: number;
  reassignOfflineMinutes: number | null;
  defaultTeamId: string | null;
  calendar: Calendar;
  sla: SlaPolicy;
  /** Never the credentials: only which CRM and its address. */
  crm: { kind: string; baseUrl?: string } | null;
}
export type CrmBody = null | { kind: 'builtin' } | { kind: 'hubspot'; token: string; baseUrl?: string } | { kind: 'kommo'; token: string; baseUrl: string };

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description?: string;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
}
export interface WebhookDelivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An inbox an agent may be limited to: channel accounts' and website inboxes' ids with names. */
export interface InboxChoice {
  id: string;
  name: string;
}

type Items<T> = Promise<{ items: T[] }>;
const enc = encodeURIComponent;

export function adminApi(http: Pick<ExtraApi, 'call' | 'listChannels'>) {
  const call = <T>(method: HttpMethod, path: string, body?: unknown) => http.call<T>(method, path, body);
  return {
    agents: (): Items<AdminAgent> => call('GET', '/api/v1/agents?includeInactive=true'),
    invite: (body: { email: string; name: string; role: Role; inboxIds?: string[] | null }): Promise<InvitedAgent> => call('POST', '/api/v1/agents/invitations', body),
    resendInvitation: (id: string): Promise<InvitedAgent> => call('POST', `/api/v1/agents/${enc(id)}/invitation`),
    updateAgent: (id: string, change: { name?: string; role?: Role; inboxIds?: string[] | null }): Promise<AdminAgent> => call('PATCH', `/api/v1/agents/${enc(id)}`, change),
    setActive: (id: string, active: boolean): Promise<AdminAgent> => call('POST', `/api/v1/agents/${enc(id)}/${active ? 'activate' : 'deactivate'}`),
    async inboxes(): Promise<InboxChoice[]> {
      const [channels, web] = await Promise.all([http.listChannels(), call<{ items: { id: string; name: string }[] }>('GET', '/api/v1/web-inboxes')]);
      return mergeInboxes(channels.items.map((a) => ({ id: a.inboxId, name: a.name })), web.items);
    },
    teams: (): Items<AdminTeam> => call('GET', '/api/v1/teams'),
    createTeam: (body: Omit<AdminTeam, 'id'>): Promise<AdminTeam> => call('POST', '/api/v1/teams', body),
    updateTeam: (id: string, change: Partial<Omit<AdminTeam, 'id'>>): Promise<AdminTeam> => call('PATCH', `/api/v1/teams/${enc(id)}`, change),
    deleteTeam: (id: string): Promise<void> => call('DELETE', `/api/v1/teams/${enc(id)}`),
    fields: (): Items<AdminField> => call('GET', '/api/v1/ticket-fields'),
    createField: (body: Omit<AdminField, 'id'>): Promise<AdminField> => call('POST', '/api/v1/ticket-fields', body),
    deleteField: (id: string): Promise<void> => call('DELETE', `/api/v1/ticket-fields/${enc(id)}`),
    settings: (): Promise<TicketSettings> => call('GET', '/api/v1/ticket-settings'),
    updateSettings: (change: Partial<Omit<TicketSettings, 'crm'>> & { crm?: CrmBody }): Promise<TicketSettings> => call('PATCH', '/api/v1/ticket-settings', change),
    webhooks: (): Items<Webhook> => call('GET', '/api/v1/webhooks'),
    createWebhook: (body: { url: string; events: string[]; description?: string }): Promise<Webhook & { secret: string }> => call('POST', '/api/v1/webhooks', body),
    deleteWebhook: (id: string): Promise<void> => call('DELETE', `/api/v1/webhooks/${enc(id)}`),
    deliveries: (id: string): Items<WebhookDelivery> => call('GET', `/api/v1/webhooks/${enc(id)}/deliveries?limit=10`),
    apiKeys: (): Items<ApiKey> => call('GET', '/api/v1/api-keys'),
    createApiKey: (body: { name: string; scopes: string[] }): Promise<ApiKey & { key: string }> => call('POST', '/api/v1/api-keys', body),
    revokeApiKey: (id: string): Promise<ApiKey> => call('DELETE', `/api/v1/api-keys/${enc(id)}`),
  };
}
export type AdminApi = ReturnType<typeof adminApi>;

/** One entry per inbox id, first name wins, sorted by name. */
export function mergeInboxes(...lists: InboxChoice[][]): InboxChoice[] {
  const byId = new Map<string, InboxChoice>();
  for (const list of lists) for (const i of list) if (!byId.has(i.id)) byId.set(i.id, { id: i.id, name: i.name });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
