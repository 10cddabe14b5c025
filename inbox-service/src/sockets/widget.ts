import { createHash, createHmac } from 'node:crypto';
import type { Namespace, Server, Socket } from 'socket.io';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { attachmentKindOf, type BlobStore } from '@switchboard/blob';
import type { Bus } from '@switchboard/bus';
import {
  newId,
  type Attachment,
  type WidgetClientToServer,
  type WidgetInboxSettings,
  type WidgetServerToClient,
} from '@switchboard/contracts';
import type { TokenService } from '@switchboard/auth';
import { safeEqual } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import type { RateLimiter } from '@switchboard/http';
import { isOpen, nextOpenAt } from '../business-hours.js';
import { rooms, type Fanout } from '../fanout.js';
import type { ContactRecord, ConversationRecord, InboxRecord, Repositories, TenantRepositories } from '../repositories/index.js';
import { contactSummary, conversationView, messageView, widgetVisitorView } from '../views.js';
import { originAllowed } from '../web-origins.js';
import type { WidgetFiles } from '../widget-uploads.js';
import type { CsatService } from '../csat/service.js';

interface VisitorData {
  tenantId: string;
  inboxId: string;
  visitorId: string;
  visitorToken: string;
}
type WidgetSocket = Socket<WidgetClientToServer, WidgetServerToClient, Record<string, never>, VisitorData>;

const HISTORY = 100;
const MAX_ATTACHMENTS = 10;
const MAX_ATTRIBUTES = 30;
const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const fail = (code: string, message: string) => ({ ok: false as const, error: { code, message } });
const isEmail = Compile(Type.String({ format: 'email', maxLength: 320 }));

/** A refusal's sentence; nothing is stored when one is thrown. */
class Refusal extends Error {}

/** An optional contact field: absent, or a string of at most `max` characters (blank = absent). */
function field(value: unknown, name: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) throw new Refusal(`${name} must be text of at most ${max} characters.`);
  return value.trim() || undefined;
}

function emailField(value: unknown): string | undefined {
  const email = field(value, 'email', 320);
  const valid: boolean = email === undefined || isEmail.Check(email);
  if (!valid) throw new Refusal(`"${(email ?? '').slice(0, 80)}" is not an email address.`);
  return email?.toLowerCase();
}

/** name, email and phone, checked; only the ones given. */
function contactFields(req: Record<string, unknown>): Partial<Pick<ContactRecord, 'name' | 'email' | 'phone'>> {
  const out: Partial<Pick<ContactRecord, 'name' | 'email' | 'phone'>> = {};
  const name = field(req.name, 'name', 300);
  const email = emailField(req.email);
  const phone = field(req.phone, 'phone', 50);
  if (name !== undefined) out.name = name;
  if (email !== undefined) out.email = email;
  if (phone !== undefined) out.phone = phone;
  return out;
}

/** The stable visitor id of a site's user in one inbox: the same on every device the user signs in on. */
export function userVisitorId(inboxId: string, userId: string): string {
  return `u_${createHash('sha256').update(`${inboxId}\n${userId}`).digest('hex').slice(0, 40)}`;
}

/** Whether `hash` is the hex HMAC-SHA256 of the user id keyed with the inbox's identity secret. */
function hashMatches(secret: string | undefined, userId: string, hash: unknown): boolean {
  if (!secret || typeof hash !== 'string' || hash.length > 200) return false;
  return safeEqual(hash.trim().toLowerCase(), createHmac('sha256', secret).update(userId).digest('hex'));
}

export interface WidgetNamespaceDeps {
  tokens: TokenService;
  repos: Repositories;
  bus: Bus;
  fanout: Fanout;
  logger: Logger;
  blobs: BlobStore;
  files: WidgetFiles;
  /** Largest file a visitor may upload, bytes (told to the widget). */
  maxUploadBytes: number;
  limiter?: RateLimiter;
  visitorPerMin?: number;
  /** Rating surveys of resolved conversations; absent = none asked. */
  csat?: CsatService;
}

/**
 * /widget: website visitors. The inbox token picks the tenant and inbox; a visitor token (JWT we
 * signed) keeps the same visitor across reloads. Visitor messages go through sb.inbound like any
 * channel's, so they are stored exactly once by the same ingest path.
 */
export function widgetNamespace(io: Server, deps: WidgetNamespaceDeps): Namespace {
  const ns = io.of('/widget') as unknown as Namespace<WidgetClientToServer, WidgetServerToClient, Record<string, never>, VisitorData>;
  ns.use((socket, next) => {
    const auth = socket.handshake.auth as { inboxToken?: unknown; visitorToken?: unknown };
    if (typeof auth.inboxToken !== 'string' || auth.inboxToken.length > 200) return next(new Error('SB_ERR_UNKNOWN_INBOX'));
    void (async () => {
      const inbox = await deps.repos.findInboxByWidgetToken(auth.inboxToken as string);
      if (!inbox) return next(new Error('SB_ERR_UNKNOWN_INBOX'));
      // The token is public (it is in the page's HTML); the origin list is what keeps other sites from using it.
      const origin = socket.handshake.headers.origin;
      if (!originAllowed(inbox.allowedOrigins, origin)) {
        deps.logger.info({ tenantId: inbox.tenantId, inboxId: inbox._id, origin: origin?.slice(0, 300) ?? null }, 'widget refused: origin not allowed');
        return next(new Error('SB_ERR_ORIGIN_NOT_ALLOWED'));
      }
      let visitor = null;
      if (typeof auth.visitorToken === 'string') {
        visitor = await deps.tokens.verifyVisitor(auth.visitorToken).catch(() => null);
        if (visitor && (visitor.inboxId !== inbox._id || visitor.tenantId !== inbox.tenantId)) visitor = null;
      }
      const claims = visitor ?? { tenantId: inbox.tenantId, inboxId: inbox._id, visitorId: newId() };
      const visitorToken = visitor ? (auth.visitorToken as string) : await deps.tokens.signVisitor(claims);
      socket.data = { ...claims, visitorToken };
      next();
    })().catch((err: unknown) => {
      deps.logger.error({ err }, 'widget handshake failed');
      next(new Error('SB_ERR_INTERNAL'));
    });
  });

  /** What the inbox asks of the widget right now (business hours are evaluated per session). */
  const inboxSettings = (inbox: InboxRecord | null, now: Date): WidgetInboxSettings => {
    const hours = inbox?.businessHours ?? null;
    const online = isOpen(hours, now);
    const next = online ? null : nextOpenAt(hours, now);
    return {
      preChatForm: inbox?.preChatForm ?? [],
      online,
      ...(next ? { nextOpenAt: next.toISOString() } : {}),
      offlineMessage: inbox?.offlineMessage ?? '',
      identityVerification: inbox?.identityVerification === true,
      maxUploadBytes: deps.maxUploadBytes,
    };
  };

  /** Puts a changed contact on its conversation (if any), so agents see the name, verification and attributes. */
  const refreshSummary = async (r: TenantRepositories, inboxId: string, visitorId: string, contact: ContactRecord) => {
    const conv = await r.conversations.findOneAndUpdate(
      { channel: 'web', channelAccountId: inboxId, threadKey: visitorId },
      { $set: { contact: contactSummary(contact) } },
      { returnDocument: 'after' },
    );
    if (conv) deps.fanout.conversationToAgents(r.tenantId, conversationView(conv));
    // The search index (and whoever else listens) learns the visitor's new name, email or phone.
    await deps.bus
      .publishEvent({ id: newId(), v: 1, type: 'contact.updated', tenantId: r.tenantId, at: new Date().toISOString(), data: { contactId: contact._id, channel: 'web' } })
      .catch((err: unknown) => deps.logger.warn({ err, tenantId: r.tenantId, contactId: contact._id }, 'contact.updated event not published'));
  };

  /**
   * The visitor has seen the agents' replies up to `seq`: those still 'sent' or 'delivered' become
   * 'read' (never backwards, never a failed one), and each changed one goes to the agents' consoles
   * as message:updated, like a read receipt from any other channel. A repeated mark costs one query
   * here and emits nothing.
   */
  const markRepliesRead = async (r: TenantRepositories, conv: ConversationRecord, seq: number): Promise<number> => {
    const unread = { conversationId: conv._id, direction: 'out', seq: { $lte: seq }, status: { $in: ['sent', 'delivered'] } };
    const found = await r.messages.find(unread, { sort: { seq: 1 }, limit: 500 });
    if (found.length === 0) return 0;
    const ids = found.map((m) => m._id);
    const res = await r.messages.updateMany({ ...unread, _id: { $in: ids } }, { $set: { status: 'read' } });
    // Another tab (or a failure report) may have changed one in between: announce only what now reads 'read'.
    const changed = res.modified === found.length ? found : await r.messages.find({ _id: { $in: ids }, status: 'read' });
    const view = conversationView(conv);
    for (const m of changed) deps.fanout.messageToAgents(r.tenantId, messageView({ ...m, status: 'read' }), view, false);
    return res.modified;
  };

  ns.on('connection', (socket: WidgetSocket) => {
    const v = socket.data;
    const r = deps.repos.forTenant(v.tenantId);
    const log = deps.logger.child({ tenantId: v.tenantId, inboxId: v.inboxId, visitorId: v.visitorId });
    void socket.join(rooms.visitor(v.tenantId, v.inboxId, v.visitorId));
    const findConversation = () => r.conversations.findOne({ channel: 'web', channelAccountId: v.inboxId, threadKey: v.visitorId });
    const findContact = (visitorId = v.visitorId) => r.contacts.findOne({ channel: 'web', externalId: visitorId });
    const findInbox = () => r.inboxes.findOne({ _id: v.inboxId, channel: 'web' });

    socket.on('session:resume', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const [conv, inbox, contact] = await Promise.all([findConversation(), findInbox(), findContact()]);
        const afterSeq = typeof req?.afterSeq === 'number' && req.afterSeq >= 0 ? req.afterSeq : undefined;
        let messages: ReturnType<typeof messageView>[] = [];
        if (conv) {
          const docs =
            afterSeq !== undefined
              ? await r.messages.find({ conversationId: conv._id, seq: { $gt: afterSeq } }, { sort: { seq: 1 }, limit: 500 })
              : (await r.messages.find({ conversationId: conv._id }, { sort: { seq: -1 }, limit: HISTORY })).reverse();
          messages = docs.map((m) => deps.files.forVisitor(v.tenantId, messageView(m)));
        }
        const assignee = conv?.assigneeId ? await r.agents.findById(conv.assigneeId) : null;
        const csat = await deps.csat?.forVisitor(r, conv);
        ack({
          ok: true,
          data: {
            visitorToken: v.visitorToken,
            conversationId: conv?._id ?? null,
            messages,
            ...(assignee ? { agentName: assignee.name } : {}),
            ...(assignee?.avatarUrl ? { agentAvatarUrl: assignee.avatarUrl } : {}),
            visitor: widgetVisitorView(contact),
            inbox: inboxSettings(inbox, new Date()),
            ...(conv?.agentReadSeq ? { agentReadSeq: conv.agentReadSeq } : {}),
            ...(csat ? { csat } : {}),
          },
        });
      } catch (err) {
        log.error({ err }, 'session:resume failed');
        ack(fail('SB_ERR_INTERNAL', 'Could not load the conversation; try again.'));
      }
    });

    socket.on('message:send', async (req, ack) => {
      if (typeof ack !== 'function') return;
      const clientId = req?.clientId;
      const text = req?.text;
      const refs: unknown = req?.attachments ?? [];
      if (typeof clientId !== 'string' || !/^[\w-]{8,100}$/.test(clientId)) {
        return ack(fail('SB_ERR_VALIDATION', 'clientId must be 8–100 letters, digits, - or _.'));
      }
      if (!Array.isArray(refs) || refs.length > MAX_ATTACHMENTS || !refs.every((a) => typeof (a as { ref?: unknown })?.ref === 'string' && (a as { ref: string }).ref.length <= 300)) {
        return ack(fail('SB_ERR_VALIDATION', `attachments must be at most ${MAX_ATTACHMENTS} files, each { ref } as the upload answered.`));
      }
      if (text !== undefined && (typeof text !== 'string' || text.length > 10_000 || (!text.trim() && refs.length === 0))) {
        return ack(fail('SB_ERR_VALIDATION', 'text must be 1–10000 characters.'));
      }
      if (text === undefined && refs.length === 0) {
        return ack(fail('SB_ERR_VALIDATION', 'A message needs text, a file, or both.'));
      }
      if (deps.limiter && deps.visitorPerMin) {
        const decision = await deps.limiter.hit(`visitor:${v.tenantId}:${v.visitorId}`, deps.visitorPerMin);
        if (!decision.allowed) {
          return ack(fail('SB_ERR_RATE_LIMITED', `Too many messages; try again in ${decision.retryAfterSeconds} s.`));
        }
      }
      const attachments: Attachment[] = [];
      for (const [i, a] of (refs as { ref: string }[]).entries()) {
        const blobRef = deps.files.blobRefOf(v, a.ref);
        const meta = blobRef ? await deps.blobs.stat(v.tenantId, blobRef) : null;
        if (!meta) return ack(fail('SB_ERR_VALIDATION', `File ${i + 1} is not one this visitor uploaded; upload it again.`));
        attachments.push({ kind: attachmentKindOf(meta.mime), name: meta.name, mime: meta.mime, size: meta.size, ref: meta.ref });
      }
      const contact = await findContact().catch(() => null);
      const now = new Date().toISOString();
      try {
        await deps.bus.publishInbound({
          id: newId(),
          v: 1,
          tenantId: v.tenantId,
          channel: 'web',
          channelAccountId: v.inboxId,
          kind: 'message',
          externalId: clientId,
          threadKey: v.visitorId,
          sender: {
            externalId: v.visitorId,
            name: contact?.name ?? `Visitor ${v.visitorId.slice(-4)}`,
            ...(contact?.email ? { email: contact.email } : {}),
            ...(contact?.phone ? { phone: contact.phone } : {}),
          },
          ...(text !== undefined && text.trim() ? { text } : {}),
          ...(attachments.length ? { attachments } : {}),
          sentAt: now,
          receivedAt: now,
          traceId: newId(),
        });
        ack({ ok: true, data: { clientId } });
      } catch (err) {
        log.error({ err }, 'could not publish visitor message');
        ack(fail('SB_ERR_UNAVAILABLE', 'The message could not be sent right now; it will be retried.'));
      }
    });

    socket.on('visitor:identify', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const userId = req?.id;
        if (typeof userId !== 'string' || !userId.trim() || userId.length > 200) throw new Refusal('id must be the user’s id on your site, 1–200 characters.');
        const fields = contactFields(req as unknown as Record<string, unknown>);
        const inbox = await findInbox();
        const verified = hashMatches(inbox?.identitySecret, userId, req.hash);
        if (inbox?.identityVerification && !verified) {
          log.info({ userIdLength: userId.length }, 'identify refused: hash does not match');
          return ack(fail('SB_ERR_IDENTITY_UNVERIFIED', 'The visitor’s identity could not be verified; the chat stays anonymous.'));
        }
        const current = await findContact();
        // Only a verified user id moves the visitor to the user's own conversation, which follows
        // them across devices; an unverified one just names this visitor (anyone can claim an id).
        let visitorId = v.visitorId;
        if (verified) visitorId = userVisitorId(v.inboxId, userId);
        else if (current?.verified && current.userId !== userId) visitorId = newId();
        const previous = visitorId === v.visitorId ? current : await findContact(visitorId);
        const now = new Date();
        const contact = await r.contacts.findOneAndUpdate(
          { channel: 'web', externalId: visitorId },
          {
            $set: { ...fields, userId, verified: verified || (previous?.verified === true && previous.userId === userId), updatedAt: now },
            $setOnInsert: { _id: newId(), createdAt: now },
          },
          { upsert: true, returnDocument: 'after' },
        );
        if (!contact) throw new Error('contact upsert returned nothing');
        if (visitorId !== v.visitorId && verified) {
          // What the visitor wrote before signing in stays theirs, unless the user already has a conversation.
          const mine = await findConversation();
          const theirs = await r.conversations.findOne({ channel: 'web', channelAccountId: v.inboxId, threadKey: visitorId });
          if (mine && !theirs) await r.conversations.updateOne({ _id: mine._id, threadKey: v.visitorId }, { $set: { threadKey: visitorId } });
        }
        await refreshSummary(r, v.inboxId, visitorId, contact);
        const visitorToken = visitorId === v.visitorId ? v.visitorToken : await deps.tokens.signVisitor({ tenantId: v.tenantId, inboxId: v.inboxId, visitorId });
        log.info({ verified, moved: visitorId !== v.visitorId }, 'visitor identified');
        ack({ ok: true, data: { visitorToken, visitor: widgetVisitorView(contact) } });
      } catch (err) {
        if (err instanceof Refusal) return ack(fail('SB_ERR_VALIDATION', err.message));
        log.error({ err }, 'visitor:identify failed');
        ack(fail('SB_ERR_INTERNAL', 'Could not identify the visitor; try again.'));
      }
    });

    socket.on('visitor:update', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        if (!req || typeof req !== 'object') throw new Refusal('Send { name?, email?, phone?, attributes? }.');
        const fields = contactFields(req as unknown as Record<string, unknown>);
        const attributes: unknown = req.attributes ?? {};
        if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) throw new Refusal('attributes must be an object of text values.');
        const set: Record<string, string> = {};
        const unset: Record<string, ''> = {};
        for (const [key, value] of Object.entries(attributes)) {
          if (!ATTRIBUTE_KEY.test(key)) throw new Refusal(`Attribute "${key.slice(0, 50)}" must start with a-z and hold only a-z, 0-9 and _ (at most 40).`);
          if (typeof value !== 'string' || value.length > 500) throw new Refusal(`Attribute "${key}" must be text of at most 500 characters.`);
          if (value.trim()) set[`attributes.${key}`] = value.trim();
          else unset[`attributes.${key}`] = '';
        }
        const current = await findContact();
        const kept = new Set(Object.keys(current?.attributes ?? {}));
        for (const k of Object.keys(set)) kept.add(k.slice('attributes.'.length));
        for (const k of Object.keys(unset)) kept.delete(k.slice('attributes.'.length));
        if (kept.size > MAX_ATTRIBUTES) throw new Refusal(`A visitor may have at most ${MAX_ATTRIBUTES} attributes.`);
        const now = new Date();
        const contact = await r.contacts.findOneAndUpdate(
          { channel: 'web', externalId: v.visitorId },
          { $set: { ...fields, ...set, updatedAt: now }, ...(Object.keys(unset).length ? { $unset: unset } : {}), $setOnInsert: { _id: newId(), createdAt: now } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!contact) throw new Error('contact upsert returned nothing');
        await refreshSummary(r, v.inboxId, v.visitorId, contact);
        ack({ ok: true, data: { visitor: widgetVisitorView(contact) } });
      } catch (err) {
        if (err instanceof Refusal) return ack(fail('SB_ERR_VALIDATION', err.message));
        log.error({ err }, 'visitor:update failed');
        ack(fail('SB_ERR_INTERNAL', 'Could not save the visitor’s details; try again.'));
      }
    });

    socket.on('messages:read', async (req, ack) => {
      const answer = typeof ack === 'function' ? ack : () => undefined;
      const upToSeq = req?.upToSeq;
      if (typeof upToSeq !== 'number' || !Number.isInteger(upToSeq) || upToSeq < 0) {
        return answer(fail('SB_ERR_VALIDATION', 'upToSeq must be a whole number of 0 or more.'));
      }
      try {
        const conv = await findConversation();
        if (!conv || upToSeq === 0) return answer({ ok: true, data: { marked: 0 } });
        const seq = Math.min(upToSeq, conv.lastSeq);
        const after = (conv.contactReadSeq ?? 0) >= seq ? conv : await r.conversations.findOneAndUpdate({ _id: conv._id }, { $max: { contactReadSeq: seq } }, { returnDocument: 'after' });
        answer({ ok: true, data: { marked: await markRepliesRead(r, after ?? conv, seq) } });
      } catch (err) {
        log.warn({ err }, 'messages:read not stored');
        answer(fail('SB_ERR_INTERNAL', 'The read mark could not be stored; try again.'));
      }
    });

    socket.on('csat:answer', async (req, ack) => {
      if (typeof ack !== 'function') return;
      if (deps.limiter && deps.visitorPerMin && !(await deps.limiter.hit(`visitor:${v.tenantId}:${v.visitorId}`, deps.visitorPerMin)).allowed) {
        return ack(fail('SB_ERR_RATE_LIMITED', 'Too many requests; try again in a minute.'));
      }
      const conv = await findConversation().catch(() => null);
      ack(deps.csat ? await deps.csat.answerFromWidget(r, conv, req) : fail('SB_ERR_NOT_FOUND', 'The survey was not found.'));
    });

    socket.on('typing', async (req) => {
      const conv = await findConversation().catch(() => null);
      if (conv) deps.fanout.typingToAgents(v.tenantId, conv._id, { typing: req?.typing === true, who: 'contact', name: conv.contact.name ?? 'Visitor' });
    });
  });
  return ns as unknown as Namespace;
}
