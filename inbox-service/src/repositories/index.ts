import type { Principal } from '@switchboard/auth';
import type { DocumentStore } from '@switchboard/store';
import { TenantCollection } from '@switchboard/tenancy';
import { restrictTo } from '../access/inbox-scope.js';
import type {
  AgentRecord,
  ApiKeyRecord,
  AuditRecord,
  CannedResponseRecord,
  CsatRecord,
  PasswordResetRecord,
  InvitationRecord,
  ContactRecord,
  ConversationRecord,
  InboxRecord,
  MentionRecord,
  MessageRecord,
  RefreshTokenRecord,
  TenantRecord,
} from './records.js';

export * from './records.js';

/** Everything one tenant's requests may touch; each collection is pinned to the tenant. */
export interface TenantRepositories {
  tenantId: string;
  agents: TenantCollection<AgentRecord>;
  inboxes: TenantCollection<InboxRecord>;
  contacts: TenantCollection<ContactRecord>;
  conversations: TenantCollection<ConversationRecord>;
  messages: TenantCollection<MessageRecord>;
  refreshTokens: TenantCollection<RefreshTokenRecord>;
  apiKeys: TenantCollection<ApiKeyRecord>;
  audit: TenantCollection<AuditRecord>;
  passwordResets: TenantCollection<PasswordResetRecord>;
  mentions: TenantCollection<MentionRecord>;
  cannedResponses: TenantCollection<CannedResponseRecord>;
  invitations: TenantCollection<InvitationRecord>;
  csat: TenantCollection<CsatRecord>;
}

/**
 * The repository layer. `forTenant` is what handlers use. The few look-ups that must find the
 * tenant first (login by email, a widget's inbox token, a channel account) are named methods here,
 * never a bare collection.
 */
export class Repositories {
  constructor(private readonly store: DocumentStore) {}

  private get tenants() {
    return this.store.collection<TenantRecord>('tenants');
  }

  forTenant(tenantId: string): TenantRepositories {
    const s = this.store;
    return {
      tenantId,
      agents: new TenantCollection(s.collection<AgentRecord>('agents'), tenantId),
      inboxes: new TenantCollection(s.collection<InboxRecord>('inboxes'), tenantId),
      contacts: new TenantCollection(s.collection<ContactRecord>('contacts'), tenantId),
      conversations: new TenantCollection(s.collection<ConversationRecord>('conversations'), tenantId),
      messages: new TenantCollection(s.collection<MessageRecord>('messages'), tenantId),
      refreshTokens: new TenantCollection(s.collection<RefreshTokenRecord>('refresh_tokens'), tenantId),
      apiKeys: new TenantCollection(s.collection<ApiKeyRecord>('api_keys'), tenantId),
      audit: new TenantCollection(s.collection<AuditRecord>('audit_log'), tenantId),
      passwordResets: new TenantCollection(s.collection<PasswordResetRecord>('password_resets'), tenantId),
      mentions: new TenantCollection(s.collection<MentionRecord>('mentions'), tenantId),
      cannedResponses: new TenantCollection(s.collection<CannedResponseRecord>('canned_responses'), tenantId),
      invitations: new TenantCollection(s.collection<InvitationRecord>('invitations'), tenantId),
      csat: new TenantCollection(s.collection<CsatRecord>('csat'), tenantId),
    };
  }

  /**
   * What one caller may touch: the tenant's collections, with conversations narrowed to the
   * caller's inboxes when the agent is limited to some. Request handlers use this.
   */
  forPrincipal(principal: Pick<Principal, 'tenantId' | 'inboxIds'>): TenantRepositories {
    const r = this.forTenant(principal.tenantId);
    if (!principal.inboxIds) return r;
    const conversations = restrictTo(this.store.collection<ConversationRecord>('conversations'), 'inboxId', principal.inboxIds);
    return { ...r, conversations: new TenantCollection(conversations, principal.tenantId) };
  }

  /** Unique keys that make ingest idempotent and look-ups fast. Safe to call on every start. */
  async ensureIndexes(): Promise<void> {
    const s = this.store;
    await s.collection('agents').createIndex({ keys: { email: 1 }, unique: true });
    await s.collection('inboxes').createIndex({ keys: { tenantId: 1, channel: 1, channelAccountId: 1 }, unique: true });
    await s.collection('inboxes').createIndex({ keys: { widgetToken: 1 }, unique: true, partial: { widgetToken: { $exists: true } } });
    await s.collection('contacts').createIndex({ keys: { tenantId: 1, channel: 1, externalId: 1 }, unique: true });
    await s
      .collection('conversations')
      .createIndex({ keys: { tenantId: 1, channel: 1, channelAccountId: 1, threadKey: 1 }, unique: true });
    await s.collection('conversations').createIndex({ keys: { tenantId: 1, updatedAt: -1 } });
    // A contact's conversations: the search indexer reads them on each new message, erasure and export too.
    await s.collection('conversations').createIndex({ keys: { tenantId: 1, 'contact.id': 1 } });
    // The list's other sorts: oldest first, customer waiting longest, nearest SLA due time.
    await s.collection('conversations').createIndex({ keys: { tenantId: 1, createdAt: 1 } });
    await s.collection('conversations').createIndex({ keys: { tenantId: 1, waitingSince: 1 } });
    await s.collection('conversations').createIndex({ keys: { tenantId: 1, slaDueAt: 1 } });
    await s.collection('conversations').createIndex({ keys: { status: 1, snoozedUntil: 1 } });
    await s
      .collection('messages')
      .createIndex({ keys: { tenantId: 1, channel: 1, channelAccountId: 1, externalId: 1 }, unique: true });
    await s.collection('messages').createIndex({ keys: { tenantId: 1, conversationId: 1, seq: 1 } });
    await s.collection('refresh_tokens').createIndex({ keys: { familyId: 1 } });
    await s.collection('audit_log').createIndex({ keys: { tenantId: 1, at: -1 } });
    await s.collection('mentions').createIndex({ keys: { tenantId: 1, agentId: 1, createdAt: -1 } });
    await s.collection('canned_responses').createIndex({ keys: { tenantId: 1, shortcut: 1 }, unique: true });
    // One survey per round of a conversation; a link finds its survey by the token's hash.
    await s.collection('csat').createIndex({ keys: { tenantId: 1, conversationId: 1, round: 1 }, unique: true });
    await s.collection('csat').createIndex({ keys: { tokenHash: 1 }, unique: true });
    await s.collection('csat').createIndex({ keys: { tenantId: 1, requestedAt: -1 } });
  }

  createTenant(tenant: TenantRecord): Promise<TenantRecord> {
    return this.tenants.insertOne(tenant);
  }

  getTenant(id: string): Promise<TenantRecord | null> {
    return this.tenants.findOne({ _id: id });
  }

  /** A tenant changes only its own record: callers pass the principal's tenantId. */
  updateTenant(id: string, set: Partial<Omit<TenantRecord, '_id'>>): Promise<TenantRecord | null> {
    return this.tenants.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
  }

  /** Undoes a sign-up whose first admin could not be created. */
  async deleteTenantRecord(id: string): Promise<void> {
    await this.tenants.deleteOne({ _id: id });
  }

  countTenants(): Promise<number> {
    return this.tenants.countDocuments({});
  }

  /** Every tenant's id (background jobs that visit each tenant, like the search reconcile). */
  async tenantIds(): Promise<string[]> {
    return (await this.tenants.find({}, { projection: { _id: 1 }, limit: 1_000_000 })).map((t) => t._id);
  }

  /** Login: emails are unique across the hub. */
  findAgentByEmail(email: string): Promise<AgentRecord | null> {
    return this.store.collection<AgentRecord>('agents').findOne({ email: email.trim().toLowerCase() });
  }

  findInboxByWidgetToken(token: string): Promise<InboxRecord | null> {
    return this.store.collection<InboxRecord>('inboxes').findOne({ widgetToken: token });
  }

  /** An API key is presented without a tenant; the id inside it is the key. */
  findApiKey(id: string): Promise<ApiKeyRecord | null> {
    return this.store.collection<ApiKeyRecord>('api_keys').findOne({ _id: id });
  }

  /** A password-reset link carries only its token; the token's hash is the key. */
  findPasswordReset(hash: string): Promise<PasswordResetRecord | null> {
    return this.store.collection<PasswordResetRecord>('password_resets').findOne({ _id: hash });
  }

  /** An invitation link carries only its token; the token's hash is the key. */
  findInvitation(hash: string): Promise<InvitationRecord | null> {
    return this.store.collection<InvitationRecord>('invitations').findOne({ _id: hash });
  }

  /** The snooze waker sweeps every tenant: snoozed conversations whose time has come, oldest first. */
  async dueSnoozes(now: Date, limit: number): Promise<{ id: string; tenantId: string }[]> {
    const due = await this.store
      .collection<ConversationRecord>('conversations')
      .find({ status: 'snoozed', snoozedUntil: { $lte: now } }, { sort: { snoozedUntil: 1 }, limit });
    return due.map((c) => ({ id: c._id, tenantId: c.tenantId }));
  }

  /** A CSAT link carries only its token; the survey is found by the token's hash. */
  findCsatByTokenHash(hash: string): Promise<CsatRecord | null> {
    return this.store.collection<CsatRecord>('csat').findOne({ tokenHash: hash });
  }

  /** A refresh token is presented without a tenant; its hash is the key. */
  findRefreshToken(hash: string): Promise<RefreshTokenRecord | null> {
    return this.store.collection<RefreshTokenRecord>('refresh_tokens').findOne({ _id: hash });
  }
}
