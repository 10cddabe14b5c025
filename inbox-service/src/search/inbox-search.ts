import type { Principal } from '@switchboard/auth';
import type { Channel } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { IndexSchema, SearchDoc, SearchIndex } from '@switchboard/search';
import type { ContactRecord, ConversationRecord, MessageRecord, Repositories, TenantRepositories } from '../repositories/index.js';

/** One document per stored message with text (or an email subject) that is not deleted. */
export const MESSAGE_INDEX = 'conversation_messages';
/** One document per contact (the people conversations are with). */
export const CONTACT_INDEX = 'contacts';

const MESSAGE_SCHEMA: IndexSchema = {
  fields: {
    text: 'text',
    subject: 'text',
    contactName: 'text',
    conversationId: 'keyword',
    inboxId: 'keyword',
    contactId: 'keyword',
    channel: 'keyword',
    seq: 'number',
    createdAt: 'date',
  },
  boost: { subject: 2 },
};

const CONTACT_SCHEMA: IndexSchema = {
  fields: {
    name: 'text',
    email: 'text',
    phone: 'text',
    handle: 'text',
    channel: 'keyword',
    // The inboxes the contact has conversations in: an agent limited to some inboxes sees only those contacts.
    inboxIds: 'keyword',
    conversationId: 'keyword',
    updatedAt: 'date',
  },
  boost: { name: 3, email: 2 },
};

const copy = (s: IndexSchema): IndexSchema => ({ fields: { ...s.fields }, ...(s.boost ? { boost: { ...s.boost } } : {}) });
const BATCH = 300;
const SNIPPET_CHARS = 160;

/** Cyrillic text is searched with the Russian stemmer, the rest with the English one (as tickets are). */
const localeOf = (text: string) => (/[\u0400-\u04ff]/.test(text) ? 'ru' : 'en');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));

/** The messages the index holds: not deleted, with text or an email subject. Same rule as `messageDoc`. */
const INDEXED_MESSAGES = {
  deletedAt: { $exists: false },
  $or: [{ text: { $exists: true, $ne: '' } }, { 'email.subject': { $exists: true, $ne: '' } }],
};

export interface MessageHit {
  conversationId: string;
  messageId: string;
  seq: number;
  snippet: string;
  channel: Channel;
  contactName: string | null;
  createdAt: string;
}

export interface ContactHit {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  channel: Channel;
  conversationId: string | null;
}

/**
 * Message and contact search through the SearchIndex seam. Both indexes are projections of the
 * store: every `refresh…` makes the documents match what the store holds now (so the sb.events
 * follower may see an event twice, late or out of order), `reindex` rebuilds a tenant, and
 * `reconcile` rebuilds the tenants whose counts drifted. Same design as the knowledge base's.
 */
export class InboxSearch {
  constructor(
    private readonly index: SearchIndex,
    private readonly repos: Repositories,
    private readonly logger: Logger,
  ) {}

  async ensure(): Promise<void> {
    await this.index.ensureIndex(MESSAGE_INDEX, copy(MESSAGE_SCHEMA));
    await this.index.ensureIndex(CONTACT_INDEX, copy(CONTACT_SCHEMA));
  }

  /**
   * The message as the store has it now: indexed when it has text and is not deleted, else
   * removed. Returns the id of its conversation's contact (null when the message is gone).
   */
  async refreshMessage(tenantId: string, messageId: string): Promise<string | null> {
    const r = this.repos.forTenant(tenantId);
    const message = await r.messages.findById(messageId);
    const conversation = message && (await r.conversations.findById(message.conversationId));
    const doc = message && conversation ? messageDoc(message, conversation) : null;
    if (doc) await this.index.index(MESSAGE_INDEX, doc);
    else await this.index.delete(MESSAGE_INDEX, tenantId, messageId);
    return conversation?.contact.id ?? null;
  }

  /** Every message of a conversation as the store has it now (after an erasure, or a contact's new name). */
  async refreshConversation(tenantId: string, conversationId: string): Promise<void> {
    const r = this.repos.forTenant(tenantId);
    const conversation = await r.conversations.findById(conversationId);
    const live = new Set<string>();
    if (conversation) {
      for (let skip = 0; ; skip += BATCH) {
        const batch = await r.messages.find({ conversationId, ...INDEXED_MESSAGES }, { sort: { seq: 1 }, skip, limit: BATCH });
        const docs = batch.map((m) => messageDoc(m, conversation)).filter((d): d is SearchDoc => d !== null);
        for (const d of docs) live.add(d.id);
        if (docs.length) await this.index.indexMany(MESSAGE_INDEX, docs);
        if (batch.length < BATCH) break;
      }
    }
    const stale: string[] = [];
    for (let offset = 0; offset < 10_000; offset += 100) {
      const page = await this.index.query(MESSAGE_INDEX, { tenantId, text: '', filters: { conversationId }, limit: 100, offset, highlight: false });
      for (const hit of page.hits) if (!live.has(hit.id)) stale.push(hit.id);
      if (page.hits.length < 100) break;
    }
    for (const id of stale) await this.index.delete(MESSAGE_INDEX, tenantId, id);
  }

  /** The contact's document as the store has it now; `withMessages` also refreshes the messages that carry its name. */
  async refreshContact(tenantId: string, contactId: string, withMessages = false): Promise<void> {
    const r = this.repos.forTenant(tenantId);
    const contact = await r.contacts.findById(contactId);
    const conversations = await r.conversations.find({ 'contact.id': contactId }, { sort: { updatedAt: -1 }, limit: 1000 });
    if (contact) await this.index.index(CONTACT_INDEX, contactDoc(contact, conversations));
    else await this.index.delete(CONTACT_INDEX, tenantId, contactId);
    if (withMessages) for (const c of conversations) await this.refreshConversation(tenantId, c._id);
  }

  /** Rebuilds one tenant's documents in both indexes; returns how many of each were indexed. */
  async reindex(tenantId: string): Promise<{ messages: number; contacts: number }> {
    await this.index.deleteTenant(MESSAGE_INDEX, tenantId);
    await this.index.deleteTenant(CONTACT_INDEX, tenantId);
    const messages = await this.feedMessages(tenantId);
    const contacts = await this.feedContacts(tenantId);
    this.logger.info({ tenantId, messages, contacts }, 'message and contact search index rebuilt');
    return { messages, contacts };
  }

  /** Empties both indexes and rebuilds every tenant's part (the `npm run reindex` command). */
  async reindexAll(): Promise<{ tenants: number; messages: number; contacts: number }> {
    await this.index.reset(MESSAGE_INDEX, copy(MESSAGE_SCHEMA));
    await this.index.reset(CONTACT_INDEX, copy(CONTACT_SCHEMA));
    const tenants = await this.repos.tenantIds();
    let messages = 0;
    let contacts = 0;
    for (const tenantId of tenants) {
      messages += await this.feedMessages(tenantId);
      contacts += await this.feedContacts(tenantId);
    }
    this.logger.info({ tenants: tenants.length, messages, contacts }, 'message and contact search index rebuilt for every tenant');
    return { tenants: tenants.length, messages, contacts };
  }

  /**
   * Rebuilds each tenant whose indexes hold another number of documents than the store has
   * messages with text and contacts. Run at start, after the follower subscribed: it catches up
   * what was stored before the follower's group existed (events published then are dropped) and
   * an embedded snapshot a crash cut short. Returns the tenants rebuilt.
   */
  async reconcile(): Promise<number> {
    let rebuilt = 0;
    for (const tenantId of await this.repos.tenantIds()) {
      const r = this.repos.forTenant(tenantId);
      const [messages, contacts, indexedMessages, indexedContacts] = await Promise.all([
        r.messages.countDocuments(INDEXED_MESSAGES),
        r.contacts.countDocuments({}),
        this.count(MESSAGE_INDEX, tenantId),
        this.count(CONTACT_INDEX, tenantId),
      ]);
      if (messages === indexedMessages && contacts === indexedContacts) continue;
      await this.reindex(tenantId);
      rebuilt++;
    }
    return rebuilt;
  }

  async deleteTenant(tenantId: string): Promise<number> {
    return (await this.index.deleteTenant(MESSAGE_INDEX, tenantId)) + (await this.index.deleteTenant(CONTACT_INDEX, tenantId));
  }

  /**
   * Messages matching every word, best first. An agent limited to some inboxes gets hits of those
   * inboxes only: the filter is in the index query, and the conversations are read again through
   * the caller's repositories (which hide other inboxes) for the contact's current name.
   */
  async messages(principal: Pick<Principal, 'tenantId' | 'inboxIds'>, r: TenantRepositories, text: string, limit: number): Promise<MessageHit[]> {
    if (principal.inboxIds && principal.inboxIds.length === 0) return [];
    const result = await this.index.query(MESSAGE_INDEX, {
      tenantId: principal.tenantId,
      text,
      ...(principal.inboxIds ? { filters: { inboxId: principal.inboxIds } } : {}),
      limit,
    });
    if (result.hits.length === 0) return [];
    const ids = [...new Set(result.hits.map((h) => String(h.fields.conversationId)))];
    const conversations = new Map((await r.conversations.find({ _id: { $in: ids } }, { limit: ids.length })).map((c) => [c._id, c]));
    const out: MessageHit[] = [];
    for (const hit of result.hits) {
      const conversation = conversations.get(String(hit.fields.conversationId));
      if (!conversation) continue;
      const body = typeof hit.fields.text === 'string' ? hit.fields.text : typeof hit.fields.subject === 'string' ? hit.fields.subject : '';
      out.push({
        conversationId: conversation._id,
        messageId: hit.id,
        seq: typeof hit.fields.seq === 'number' ? hit.fields.seq : 0,
        snippet: hit.highlights.text?.[0] ?? hit.highlights.subject?.[0] ?? escapeHtml(shorten(body)),
        channel: conversation.channel,
        contactName: conversation.contact.name ?? null,
        createdAt: (hit.fields.createdAt instanceof Date ? hit.fields.createdAt : new Date(0)).toISOString(),
      });
    }
    return out;
  }

  /** Contacts matching every word in their name, email, phone or handle, best first (same inbox rule as messages). */
  async contacts(principal: Pick<Principal, 'tenantId' | 'inboxIds'>, text: string, limit: number): Promise<ContactHit[]> {
    if (principal.inboxIds && principal.inboxIds.length === 0) return [];
    const result = await this.index.query(CONTACT_INDEX, {
      tenantId: principal.tenantId,
      text,
      ...(principal.inboxIds ? { filters: { inboxIds: principal.inboxIds } } : {}),
      limit,
      highlight: false,
    });
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return result.hits.map((h) => ({
      id: h.id,
      name: str(h.fields.name),
      email: str(h.fields.email),
      phone: str(h.fields.phone),
      channel: String(h.fields.channel) as Channel,
      conversationId: str(h.fields.conversationId),
    }));
  }

  private async count(name: string, tenantId: string): Promise<number> {
    return (await this.index.query(name, { tenantId, text: '', limit: 1, highlight: false })).total;
  }

  private async feedMessages(tenantId: string): Promise<number> {
    const r = this.repos.forTenant(tenantId);
    const conversations = new Map<string, ConversationRecord | null>();
    let count = 0;
    for (let skip = 0; ; skip += BATCH) {
      const batch = await r.messages.find(INDEXED_MESSAGES, { sort: { _id: 1 }, skip, limit: BATCH });
      const missing = [...new Set(batch.map((m) => m.conversationId))].filter((id) => !conversations.has(id));
      if (missing.length) for (const c of await r.conversations.find({ _id: { $in: missing } }, { limit: missing.length })) conversations.set(c._id, c);
      for (const id of missing) if (!conversations.has(id)) conversations.set(id, null);
      const docs = batch
        .map((m) => {
          const c = conversations.get(m.conversationId);
          return c ? messageDoc(m, c) : null;
        })
        .filter((d): d is SearchDoc => d !== null);
      if (docs.length) await this.index.indexMany(MESSAGE_INDEX, docs);
      count += docs.length;
      if (batch.length < BATCH) return count;
    }
  }

  private async feedContacts(tenantId: string): Promise<number> {
    const r = this.repos.forTenant(tenantId);
    let count = 0;
    for (let skip = 0; ; skip += BATCH) {
      const batch = await r.contacts.find({}, { sort: { _id: 1 }, skip, limit: BATCH });
      const ids = batch.map((c) => c._id);
      const conversations = await r.conversations.find({ 'contact.id': { $in: ids } }, { sort: { updatedAt: -1 }, limit: 100_000 });
      const docs = batch.map((c) => contactDoc(c, conversations.filter((conv) => conv.contact.id === c._id)));
      if (docs.length) await this.index.indexMany(CONTACT_INDEX, docs);
      count += docs.length;
      if (batch.length < BATCH) return count;
    }
  }
}

function messageDoc(m: MessageRecord, c: ConversationRecord): SearchDoc | null {
  const text = m.text ?? '';
  const subject = m.email?.subject ?? '';
  if (m.deletedAt || (!text && !subject)) return null;
  return {
    tenantId: m.tenantId,
    id: m._id,
    locale: localeOf(`${subject} ${text}`),
    fields: {
      text: text || null,
      subject: subject || null,
      contactName: c.contact.name ?? null,
      conversationId: m.conversationId,
      inboxId: c.inboxId,
      contactId: c.contact.id,
      channel: m.channel,
      seq: m.seq,
      createdAt: new Date(m.createdAt),
    },
  };
}

/** `conversations`: the contact's, most recently updated first. */
function contactDoc(c: ContactRecord, conversations: readonly ConversationRecord[]): SearchDoc {
  return {
    tenantId: c.tenantId,
    id: c._id,
    locale: localeOf(c.name ?? ''),
    fields: {
      name: c.name ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      handle: c.handle ?? null,
      channel: c.channel,
      inboxIds: [...new Set(conversations.map((conv) => conv.inboxId))],
      conversationId: conversations[0]?._id ?? null,
      updatedAt: new Date(c.updatedAt),
    },
  };
}

/** The start of a long message, cut at a space, for a hit matched by the contact's name only. */
function shorten(text: string): string {
  if (text.length <= SNIPPET_CHARS) return text;
  const cut = text.lastIndexOf(' ', SNIPPET_CHARS);
  return `${text.slice(0, cut > SNIPPET_CHARS / 2 ? cut : SNIPPET_CHARS)}…`;
}
