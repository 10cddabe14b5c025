import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId, type ConversationView, type WebInboxView, type WidgetSession, type WidgetVisitor } from '@switchboard/contracts';
import { eventually, sleep } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, agentToken, connected, emitAck, injectApi, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Who a website visitor is: identify() with and without verification, pre-chat details, read marks, business hours. */
describe('widget visitors: identity, details and read marks', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let admin = '';
  let verifying: WebInboxView;
  let open: WebInboxView;
  const sockets: Socket[] = [];

  const api = (method: string, url: string, body?: unknown) => injectApi(hub.app, method, url, body, admin);
  const visitor = async (inboxToken: string, visitorToken?: string) => {
    const s = widgetSocket(hub.url, inboxToken, visitorToken);
    sockets.push(s);
    await connected(s);
    return s;
  };
  const resume = async (s: Socket, afterSeq?: number) => {
    const res = await emitAck<AckResult<WidgetSession>>(s, 'session:resume', afterSeq === undefined ? {} : { afterSeq });
    if (!res.ok) throw new Error(res.error.message);
    return res.data;
  };
  const say = async (s: Socket, text: string) => {
    const res = await emitAck<AckResult<{ clientId: string }>>(s, 'message:send', { clientId: `c-${Math.random().toString(36).slice(2, 12)}`, text });
    expect(res.ok, JSON.stringify(res)).toBe(true);
  };
  const sign = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('hex');
  const conversationOf = (inboxId: string, text: string) =>
    eventually(async () => {
      const r = repos.forTenant(t.tenantId);
      const msg = await r.messages.findOne({ channelAccountId: inboxId, text });
      return msg ? r.conversations.findById(msg.conversationId) : null;
    }, 10_000, `conversation with "${text}"`);

  beforeAll(async () => {
    hub = await startInstance();
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'identity');
    admin = await agentToken(hub, t);
    verifying = (await api('POST', '/web-inboxes', {
      name: 'Verified shop',
      identityVerification: true,
      preChatForm: [
        { key: 'name', label: 'Name', type: 'text', required: true },
        { key: 'order_number', label: 'Order', type: 'text', required: false },
      ],
    })).body as WebInboxView;
    open = (await api('POST', '/web-inboxes', { name: 'Open shop', offlineMessage: 'Back on Monday.' })).body as WebInboxView;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  it('a new session tells the widget what the inbox asks and who the visitor is', async () => {
    const s = await visitor(verifying.widgetToken);
    const session = await resume(s);
    expect(session.visitor).toEqual({ verified: false, attributes: {} });
    expect(session.inbox).toEqual({
      preChatForm: verifying.preChatForm,
      online: true,
      offlineMessage: '',
      identityVerification: true,
      maxUploadBytes: 10 * 1024 * 1024,
    });
    expect(session.agentReadSeq).toBeUndefined();
  });

  it('outside business hours the session is offline, with the next opening and the inbox’s sentence', async () => {
    // Open one minute a week, at a time that has passed today: closed now, open again within 7 days.
    const now = new Date();
    const past = new Date(now.getTime() - 2 * 3600_000);
    const hh = String(past.getUTCHours()).padStart(2, '0');
    const from = `${hh}:00`;
    const to = `${hh}:01`;
    const day = past.getUTCDay();
    await api('PATCH', `/web-inboxes/${open.id}`, { businessHours: { timezone: 'UTC', intervals: [{ day, from, to }] } });
    const session = await resume(await visitor(open.widgetToken));
    expect(session.inbox.online).toBe(false);
    expect(session.inbox.offlineMessage).toBe('Back on Monday.');
    const next = new Date(session.inbox.nextOpenAt!);
    expect(next.getUTCDay()).toBe(day);
    expect(next.toISOString().slice(11, 16)).toBe(from);
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(next.getTime()).toBeLessThanOrEqual(now.getTime() + 7 * 86_400_000);

    await api('PATCH', `/web-inboxes/${open.id}`, { businessHours: { timezone: 'UTC', intervals: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day: d, from: '00:00', to: '24:00' })) } });
    const again = await resume(await visitor(open.widgetToken));
    expect(again.inbox.online).toBe(true);
    expect(again.inbox.nextOpenAt).toBeUndefined();
    await api('PATCH', `/web-inboxes/${open.id}`, { businessHours: null });
  });

  it('identify with the right hash: verified, and the same conversation on a second device', async () => {
    const laptop = await visitor(verifying.widgetToken);
    await resume(laptop);
    await say(laptop, 'hello before signing in');
    const conv = await conversationOf(verifying.id, 'hello before signing in');

    const res = await emitAck<AckResult<{ visitorToken: string; visitor: WidgetVisitor }>>(laptop, 'visitor:identify', {
      id: 'user-42',
      name: 'Ada Lovelace',
      email: 'Ada@Example.com',
      hash: sign(verifying.identitySecret, 'user-42'),
    });
    expect(res.ok, JSON.stringify(res)).toBe(true);
    if (!res.ok) return;
    expect(res.data.visitor).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', userId: 'user-42', verified: true, attributes: {} });

    // The widget reconnects with the new token: what it wrote before signing in came along.
    const laptopAgain = await visitor(verifying.widgetToken, res.data.visitorToken);
    const session = await resume(laptopAgain);
    expect(session.conversationId).toBe(conv._id);
    expect(session.messages.map((m) => m.text)).toEqual(['hello before signing in']);
    expect(session.visitor).toMatchObject({ userId: 'user-42', verified: true, name: 'Ada Lovelace' });

    // Another device, signed in as the same user, gets the same conversation.
    const phone = await visitor(verifying.widgetToken);
    const phoneFirst = await resume(phone);
    expect(phoneFirst.conversationId).toBeNull();
    const onPhone = await emitAck<AckResult<{ visitorToken: string; visitor: WidgetVisitor }>>(phone, 'visitor:identify', {
      id: 'user-42',
      hash: sign(verifying.identitySecret, 'user-42').toUpperCase(),
    });
    expect(onPhone.ok).toBe(true);
    if (!onPhone.ok) return;
    const phoneSession = await resume(await visitor(verifying.widgetToken, onPhone.data.visitorToken));
    expect(phoneSession.conversationId).toBe(conv._id);
    expect(phoneSession.visitor).toMatchObject({ name: 'Ada Lovelace', verified: true });

    // Agents see the verified name on the conversation.
    const seen = await api('GET', `/conversations/${conv._id}`);
    expect(seen.body.contact).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', userId: 'user-42', verified: true, channel: 'web' });
  });

  it('a wrong hash is refused where the inbox verifies: the chat stays anonymous and nothing changes', async () => {
    const s = await visitor(verifying.widgetToken);
    const before = await resume(s);
    await say(s, 'anonymous question');
    const conv = await conversationOf(verifying.id, 'anonymous question');
    for (const hash of [undefined, 'deadbeef', sign('not-the-secret', 'user-42'), sign(verifying.identitySecret, 'user-43')]) {
      const res = await emitAck<AckResult<unknown>>(s, 'visitor:identify', { id: 'user-42', name: 'Mallory', ...(hash ? { hash } : {}) });
      expect(res).toEqual({
        ok: false,
        error: { code: 'SB_ERR_IDENTITY_UNVERIFIED', message: 'The visitor’s identity could not be verified; the chat stays anonymous.' },
      });
    }
    const after = await resume(s);
    expect(after.visitorToken).toBe(before.visitorToken);
    expect(after.visitor).toEqual({ name: expect.stringMatching(/^Visitor /), verified: false, attributes: {} });
    const stored = await repos.forTenant(t.tenantId).conversations.findById(conv._id);
    expect(stored?.contact.verified).toBeUndefined();
    expect(stored?.contact.name).not.toBe('Mallory');
  });

  it('a rotated secret stops old hashes from verifying', async () => {
    const rotated = (await api('POST', `/web-inboxes/${verifying.id}/rotate-secret`)).body as WebInboxView;
    const s = await visitor(verifying.widgetToken);
    await resume(s);
    const old = await emitAck<AckResult<unknown>>(s, 'visitor:identify', { id: 'user-7', hash: sign(verifying.identitySecret, 'user-7') });
    expect(old.ok).toBe(false);
    const fresh = await emitAck<AckResult<{ visitor: WidgetVisitor }>>(s, 'visitor:identify', { id: 'user-7', hash: sign(rotated.identitySecret, 'user-7') });
    expect(fresh.ok && fresh.data.visitor.verified).toBe(true);
    verifying = rotated;
  });

  it('without verification, identify names the visitor but proves nothing and moves no conversation', async () => {
    const s = await visitor(open.widgetToken);
    const before = await resume(s);
    await say(s, 'who am I');
    const conv = await conversationOf(open.id, 'who am I');
    const res = await emitAck<AckResult<{ visitorToken: string; visitor: WidgetVisitor }>>(s, 'visitor:identify', { id: 'user-9', name: 'Grace' });
    expect(res.ok, JSON.stringify(res)).toBe(true);
    if (!res.ok) return;
    expect(res.data.visitor).toEqual({ name: 'Grace', userId: 'user-9', verified: false, attributes: {} });
    expect(res.data.visitorToken).toBe(before.visitorToken);
    // Someone else claiming the same id on another device gets none of Grace's conversation.
    const other = await visitor(open.widgetToken);
    await resume(other);
    const claim = await emitAck<AckResult<{ visitorToken: string }>>(other, 'visitor:identify', { id: 'user-9' });
    expect(claim.ok).toBe(true);
    if (!claim.ok) return;
    expect((await resume(await visitor(open.widgetToken, claim.data.visitorToken))).conversationId).toBeNull();
    // Agents see the name, marked unverified.
    await eventually(async () => (await api('GET', `/conversations/${conv._id}`)).body.contact?.name === 'Grace');
    expect((await api('GET', `/conversations/${conv._id}`)).body.contact).toMatchObject({ userId: 'user-9', verified: false });
  });

  it('a message sent before identify but stored after it keeps the name identify gave', async () => {
    const s = await visitor(open.widgetToken);
    await resume(s);
    await say(s, 'first words');
    await conversationOf(open.id, 'first words');
    const res = await emitAck<AckResult<unknown>>(s, 'visitor:identify', { id: 'user-hedy', name: 'Hedy', email: 'hedy@example.test' });
    expect(res.ok, JSON.stringify(res)).toBe(true);
    const r = repos.forTenant(t.tenantId);
    const contact = await eventually(() => r.contacts.findOne({ channel: 'web', name: 'Hedy' }), 10_000, 'Hedy identified');
    // What the widget socket published before identify, consumed only now: the anonymous snapshot.
    const now = new Date().toISOString();
    await hub.platform.bus.publishInbound({
      id: newId(),
      v: 1,
      tenantId: t.tenantId,
      channel: 'web',
      channelAccountId: open.id,
      kind: 'message',
      externalId: `late-${newId()}`,
      threadKey: contact.externalId,
      sender: { externalId: contact.externalId, name: `Visitor ${contact.externalId.slice(-4)}` },
      text: 'sent before identify',
      sentAt: now,
      receivedAt: now,
    });
    await conversationOf(open.id, 'sent before identify');
    expect(await r.contacts.findById(contact._id)).toMatchObject({ name: 'Hedy', email: 'hedy@example.test' });
  });

  it('refuses identify values that cannot be right, with a sentence', async () => {
    const s = await visitor(open.widgetToken);
    await resume(s);
    for (const bad of [{}, { id: '' }, { id: 'x'.repeat(201) }, { id: 'u', email: 'not-an-email' }, { id: 'u', name: 'n'.repeat(301) }, { id: 'u', phone: 42 }]) {
      const res = await emitAck<AckResult<unknown>>(s, 'visitor:identify', bad);
      expect(res.ok, JSON.stringify(bad)).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toBe('SB_ERR_VALIDATION');
        expect(res.error.message).toMatch(/\.$/);
      }
    }
    expect((await resume(s)).visitor).toEqual({ verified: false, attributes: {} });
  });

  it('visitor:update stores the pre-chat answers on the contact and the conversation agents see', async () => {
    const s = await visitor(verifying.widgetToken);
    await resume(s);
    await say(s, 'my parcel is late');
    const conv = await conversationOf(verifying.id, 'my parcel is late');
    const agent = agentSocket(hub.url, admin);
    sockets.push(agent);
    const updates: ConversationView[] = [];
    agent.on('conversation:updated', (c: ConversationView) => updates.push(c));
    await connected(agent);

    const res = await emitAck<AckResult<{ visitor: WidgetVisitor }>>(s, 'visitor:update', {
      name: 'Bob Parcel',
      email: 'bob@example.com',
      attributes: { order_number: 'A-1001', plan: 'gold' },
    });
    expect(res).toEqual({ ok: true, data: { visitor: { name: 'Bob Parcel', email: 'bob@example.com', verified: false, attributes: { order_number: 'A-1001', plan: 'gold' } } } });
    const live = await eventually(() => updates.find((c) => c.id === conv._id && c.contact.name === 'Bob Parcel'), 5000, 'agents told');
    expect(live.contact).toMatchObject({ email: 'bob@example.com', attributes: { order_number: 'A-1001', plan: 'gold' } });

    // A later message keeps the details: the sender carries the name, and the summary its attributes.
    const cleared = await emitAck<AckResult<{ visitor: WidgetVisitor }>>(s, 'visitor:update', { attributes: { plan: '' } });
    expect(cleared.ok && cleared.data.visitor.attributes).toEqual({ order_number: 'A-1001' });
    await say(s, 'any news?');
    await conversationOf(verifying.id, 'any news?');
    const stored = await repos.forTenant(t.tenantId).conversations.findById(conv._id);
    expect(stored?.contact).toMatchObject({ name: 'Bob Parcel', email: 'bob@example.com', attributes: { order_number: 'A-1001' } });
    const lastMsg = await repos.forTenant(t.tenantId).messages.findOne({ text: 'any news?' });
    expect(lastMsg?.author.name).toBe('Bob Parcel');
  });

  it('visitor:update refuses bad details and stores none of them', async () => {
    const s = await visitor(open.widgetToken);
    await resume(s);
    const tooMany = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    for (const bad of [
      { email: 'nope' },
      { name: 'Ok', attributes: { 'Bad Key': 'x' } },
      { attributes: { note: 'x'.repeat(501) } },
      { attributes: { count: 3 } },
      { attributes: ['a'] },
      { attributes: tooMany },
    ]) {
      const res = await emitAck<AckResult<unknown>>(s, 'visitor:update', bad);
      expect(res.ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('SB_ERR_VALIDATION');
    }
    expect((await resume(s)).visitor).toEqual({ verified: false, attributes: {} });
  });

  it('an agent reading the conversation shows the visitor "Seen"; the visitor’s own read mark is kept', async () => {
    const s = await visitor(open.widgetToken);
    await resume(s);
    const reads: { upToSeq: number }[] = [];
    s.on('messages:read', (ev: { upToSeq: number }) => reads.push(ev));
    await say(s, 'please read me');
    const conv = await conversationOf(open.id, 'please read me');
    await say(s, 'and me');
    await conversationOf(open.id, 'and me');
    const read = await api('POST', `/conversations/${conv._id}/read`);
    expect(read.status).toBe(200);
    const got = await eventually(() => reads[0], 5000, 'messages:read reached the visitor');
    const lastSeq = (await repos.forTenant(t.tenantId).conversations.findById(conv._id))!.lastSeq;
    expect(got).toEqual({ upToSeq: lastSeq });
    expect((await resume(s)).agentReadSeq).toBe(lastSeq);

    s.emit('messages:read', { upToSeq: lastSeq });
    await eventually(async () => (await repos.forTenant(t.tenantId).conversations.findById(conv._id))?.contactReadSeq === lastSeq, 5000, 'contact read mark stored');
    // An older mark, or one past the end, never moves it the wrong way.
    s.emit('messages:read', { upToSeq: 1 });
    s.emit('messages:read', { upToSeq: lastSeq + 50 });
    await sleep(300);
    expect((await repos.forTenant(t.tenantId).conversations.findById(conv._id))?.contactReadSeq).toBe(lastSeq);
  });
});
