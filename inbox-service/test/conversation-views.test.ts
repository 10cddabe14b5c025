import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationView } from '@switchboard/contracts';
import { newId } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories, type ConversationRecord, type TenantRepositories } from '../src/repositories/index.js';
import { inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/** The list's views, sorts and cursors, and the unread counts per view, through the REST API. */
describe('conversation views, sorts and counts', () => {
  let hub: Instance;
  let t: SeededTenant;
  let r: TenantRepositories;
  let token = '';
  let telegramInboxId = '';
  let otherAgentId = '';
  const minute = 60_000;
  const base = Date.parse('2026-03-01T10:00:00Z');
  const at = (m: number) => new Date(base + m * minute);

  const api = (url: string, as = token) => injectApi(hub.app, 'GET', url, undefined, as);
  const ids = (body: Record<string, any>) => (body.items as ConversationView[]).map((c) => c.contact.name ?? c.id);

  async function conversation(name: string, over: Partial<ConversationRecord>): Promise<ConversationRecord> {
    return r.conversations.insertOne({
      _id: newId(),
      inboxId: t.inboxId,
      channel: 'web',
      channelAccountId: t.inboxId,
      threadKey: `thread-${name}`,
      contact: { id: newId(), name },
      status: 'open',
      assigneeId: null,
      unreadCount: 0,
      lastSeq: 1,
      lastMessage: { direction: 'in', at: at(0), text: 'hi' },
      createdAt: at(0),
      updatedAt: at(0),
      ...over,
    });
  }

  /** Every page of a sort, `limit` at a time, following nextCursor. */
  async function allPages(query: string, limit: number): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res = await api(`/conversations?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      names.push(...ids(res.body));
      cursor = res.body.nextCursor;
      if (!cursor) return names;
    }
    throw new Error('pages never ended');
  }

  beforeAll(async () => {
    hub = await startInstance();
    const repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'views');
    r = repos.forTenant(t.tenantId);
    token = await hub.platform.tokens.signAccess({ agentId: t.agentId, tenantId: t.tenantId, role: 'admin', name: 'Agent views' });
    telegramInboxId = (await r.inboxes.findOne({ channel: 'telegram' }))!._id;
    otherAgentId = newId();
    // created / updated / waiting / SLA in minutes after `base`; A..F open, G resolved.
    await conversation('Ann', { createdAt: at(1), updatedAt: at(50), assigneeId: t.agentId, unreadCount: 2, waitingSince: at(40), teamId: 'team-a', slaDueAt: at(300) });
    await conversation('Ben', { createdAt: at(2), updatedAt: at(20), waitingSince: at(5), teamId: 'team-a', slaDueAt: at(100) });
    await conversation('Cid', { createdAt: at(3), updatedAt: at(60), assigneeId: t.agentId, waitingSince: null, crmContactId: 'crm-cid' });
    await conversation('Dee', {
      createdAt: at(4),
      updatedAt: at(30),
      inboxId: telegramInboxId,
      channel: 'telegram',
      channelAccountId: t.channelAccountId,
      unreadCount: 1,
      waitingSince: at(10),
      teamId: 'team-b',
      slaDueAt: at(200),
      crmContactId: 'crm-cid',
    });
    await conversation('Eve', { createdAt: at(5), updatedAt: at(40), assigneeId: otherAgentId, inboxId: telegramInboxId, channel: 'telegram', channelAccountId: t.channelAccountId });
    await conversation('Fay', { createdAt: at(6), updatedAt: at(10), unreadCount: 3 });
    await conversation('Gus', { createdAt: at(0), updatedAt: at(70), status: 'resolved', teamId: 'team-a', unreadCount: 1 });
    const ann = (await r.conversations.findOne({ 'contact.name': 'Ann' }))!;
    const dee = (await r.conversations.findOne({ 'contact.name': 'Dee' }))!;
    for (const conv of [ann, dee]) {
      await r.mentions.insertOne({
        _id: newId(),
        agentId: t.agentId,
        conversationId: conv._id,
        ticketId: newId(),
        noteId: newId(),
        byAgentId: otherAgentId,
        byName: 'Other agent',
        excerpt: '@Agent have a look',
        createdAt: at(80),
        readAt: null,
      });
    }
    // Someone else's mention is not mine.
    await r.mentions.insertOne({ _id: newId(), agentId: otherAgentId, conversationId: (await r.conversations.findOne({ 'contact.name': 'Fay' }))!._id, ticketId: 'x', noteId: 'y', byAgentId: t.agentId, byName: 'Agent', excerpt: '@Other', createdAt: at(81), readAt: null });
  });
  afterAll(async () => {
    await hub.close();
  });

  describe('filters', () => {
    it('by inbox, channel, team and CRM contact', async () => {
      expect(ids((await api(`/conversations?inboxId=${telegramInboxId}`)).body)).toEqual(['Eve', 'Dee']);
      expect(ids((await api('/conversations?channel=web')).body)).toEqual(['Cid', 'Ann', 'Ben', 'Fay']);
      expect(ids((await api('/conversations?teamId=team-a')).body)).toEqual(['Ann', 'Ben']);
      expect(ids((await api('/conversations?teamId=team-a&status=all')).body)).toEqual(['Gus', 'Ann', 'Ben']);
      expect(ids((await api('/conversations?crmContactId=crm-cid')).body)).toEqual(['Cid', 'Dee']);
    });

    it('mentioned=me lists the conversations where the caller was @mentioned in a note', async () => {
      expect(ids((await api('/conversations?mentioned=me')).body)).toEqual(['Ann', 'Dee']);
      expect(ids((await api('/conversations?mentioned=me&assignee=me')).body)).toEqual(['Ann']);
    });

    it('filters combine with status and assignee', async () => {
      expect(ids((await api(`/conversations?inboxId=${telegramInboxId}&assignee=unassigned`)).body)).toEqual(['Dee']);
      expect(ids((await api('/conversations?assignee=me&channel=web')).body)).toEqual(['Cid', 'Ann']);
    });
  });

  describe('sorts, page by page', () => {
    it('newest: latest activity first (the default)', async () => {
      expect(await allPages('sort=newest', 2)).toEqual(['Cid', 'Ann', 'Eve', 'Dee', 'Ben', 'Fay']);
      expect(await allPages('status=open', 4)).toEqual(['Cid', 'Ann', 'Eve', 'Dee', 'Ben', 'Fay']);
    });

    it('oldest: first created first', async () => {
      expect(await allPages('sort=oldest', 2)).toEqual(['Ann', 'Ben', 'Cid', 'Dee', 'Eve', 'Fay']);
      expect(await allPages('sort=oldest&status=all', 5)).toEqual(['Gus', 'Ann', 'Ben', 'Cid', 'Dee', 'Eve', 'Fay']);
    });

    it('waiting: the customer waiting longest first, then the answered ones newest first', async () => {
      // Pages of 1, 2 and 4 cross from the waiting ones into the rest at different places.
      for (const limit of [1, 2, 4]) expect(await allPages('sort=waiting', limit)).toEqual(['Ben', 'Dee', 'Ann', 'Cid', 'Eve', 'Fay']);
    });

    it('sla: the nearest SLA due time first, conversations without one last', async () => {
      for (const limit of [1, 3]) expect(await allPages('sort=sla', limit)).toEqual(['Ben', 'Dee', 'Ann', 'Cid', 'Eve', 'Fay']);
    });

    it('a sort combines with a filter', async () => {
      expect(await allPages(`sort=waiting&inboxId=${telegramInboxId}`, 1)).toEqual(['Dee', 'Eve']);
    });
  });

  describe('bad parameters are refused with a code', () => {
    it('an unknown sort, channel or parameter', async () => {
      for (const q of ['sort=fastest', 'channel=fax', 'mentioned=you', 'colour=red', 'inboxId=']) {
        const res = await api(`/conversations?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.body.error.code, q).toBe('SB_ERR_VALIDATION');
      }
    });

    it('a cursor of another sort, or one this API never made', async () => {
      const page = await api('/conversations?sort=waiting&limit=1');
      const res = await api(`/conversations?sort=sla&cursor=${page.body.nextCursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('SB_ERR_VALIDATION');
      expect(res.body.error.message).toContain('waiting');
      const forged = await api(`/conversations?cursor=${Buffer.from('{"s":"newest","k":"yesterday","u":"x","i":"1"}').toString('base64url')}`);
      expect(forged.status).toBe(400);
      expect((await api('/conversations?cursor=not-a-cursor')).status).toBe(400);
    });
  });

  describe('counts', () => {
    it('open conversations per view and how many are unread', async () => {
      const res = await api('/conversations/counts');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        mine: { open: 2, unread: 1 },
        unassigned: { open: 3, unread: 2 },
        all: { open: 6, unread: 3 },
        mentions: { open: 2, unread: 2 },
      });
      expect(res.body.inboxes).toEqual(
        expect.arrayContaining([
          { inboxId: t.inboxId, name: 'Website', channel: 'web', open: 4, unread: 2 },
          { inboxId: telegramInboxId, name: 'Telegram', channel: 'telegram', open: 2, unread: 1 },
        ]),
      );
      expect(res.body.inboxes).toHaveLength(2);
      expect(res.body.teams).toEqual(expect.arrayContaining([{ teamId: 'team-a', open: 2, unread: 1 }, { teamId: 'team-b', open: 1, unread: 1 }]));
      expect(res.body.teams).toHaveLength(2);
    });

    it('an agent limited to some inboxes counts only those', async () => {
      const limited = newId();
      await r.agents.insertOne({ _id: limited, email: `web-only-${limited}@example.test`, name: 'Web Only', role: 'agent', passwordHash: 'x', inboxIds: [t.inboxId], createdAt: new Date() });
      const as = await hub.platform.tokens.signAccess({ agentId: limited, tenantId: t.tenantId, role: 'agent', name: 'Web Only' });
      const res = await api('/conversations/counts', as);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mine: { open: 0, unread: 0 }, unassigned: { open: 2, unread: 1 }, all: { open: 4, unread: 2 }, mentions: { open: 0, unread: 0 } });
      expect(res.body.inboxes).toEqual([{ inboxId: t.inboxId, name: 'Website', channel: 'web', open: 4, unread: 2 }]);
      expect(res.body.teams).toEqual([{ teamId: 'team-a', open: 2, unread: 1 }]);
      // And its list of a Telegram view is empty: those conversations do not exist for it.
      expect(ids((await api(`/conversations?inboxId=${telegramInboxId}`, as)).body)).toEqual([]);
    });

    it('another tenant sees none of them', async () => {
      const other = await seedTenant(new Repositories(hub.platform.store), 'views-other');
      const as = await hub.platform.tokens.signAccess({ agentId: other.agentId, tenantId: other.tenantId, role: 'admin', name: 'Other' });
      const res = await api('/conversations/counts', as);
      expect(res.body).toMatchObject({ all: { open: 0, unread: 0 }, teams: [] });
      expect(ids((await api('/conversations?teamId=team-a', as)).body)).toEqual([]);
    });
  });

  describe('waiting since', () => {
    it('starts with the customer’s first unanswered message and ends with the agent’s reply', async () => {
      await hub.platform.bus.publishInbound(inboundMessage(t, { externalId: 'wait-1', threadKey: 'chat-wait', text: 'first' }));
      const first = await eventually(() => r.messages.findOne({ externalId: 'wait-1' }));
      const conversationId = first.conversationId;
      const since = (await api(`/conversations/${conversationId}`)).body.waitingSince as string;
      expect(since).toBe(new Date(first.createdAt).toISOString());
      await hub.platform.bus.publishInbound(inboundMessage(t, { externalId: 'wait-2', threadKey: 'chat-wait', text: 'second' }));
      await eventually(() => r.messages.findOne({ externalId: 'wait-2', applied: true }));
      expect((await api(`/conversations/${conversationId}`)).body.waitingSince).toBe(since);

      const reply = await injectApi(hub.app, 'POST', `/conversations/${conversationId}/messages`, { text: 'On it', idempotencyKey: 'wait-reply-1' }, token);
      expect(reply.status).toBe(201);
      expect((await api(`/conversations/${conversationId}`)).body.waitingSince).toBeNull();

      await hub.platform.bus.publishInbound(inboundMessage(t, { externalId: 'wait-3', threadKey: 'chat-wait', text: 'third' }));
      const third = await eventually(() => r.messages.findOne({ externalId: 'wait-3', applied: true }));
      expect((await api(`/conversations/${conversationId}`)).body.waitingSince).toBe(new Date(third.createdAt).toISOString());
    });
  });
});
