import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId, type MentionView, type TicketNoteView, type TicketView } from '@switchboard/contracts';
import { Repositories } from '@switchboard/inbox-service';
import { createLogger } from '@switchboard/logging';
import { eventually, sleep } from '@switchboard/testkit';
import { agentSocket, connected, emitAck } from '../../inbox-service/test/harness.js';
import { MentionService } from '../src/mentions/service.js';
import { startTicketWorld, type TicketWorld } from './harness.js';

/**
 * @mentions in ticket notes, through the REST API and the /agent socket of a real server:
 * who may be mentioned, the records the Mentions view reads, the live event to the mentioned
 * agent only, marking read, and another team seeing none of it.
 */
let w: TicketWorld;
let repos: Repositories;
let ticket: TicketView;
let conversationId: string;
const ids = { ben: '', cleo: '', dan: '', eve: '' };
const tokens = { ben: '', eve: '' };
const heard: Record<'ada' | 'ben' | 'eve', [string, unknown][]> = { ada: [], ben: [], eve: [] };
const sockets: Socket[] = [];

const note = (text: string, mentions?: string[], token?: string) =>
  w.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text, ...(mentions ? { mentions } : {}) }, token);
const mentionsOf = (token: string, query = '') => w.api('GET', `/api/v1/mentions${query}`, undefined, token);
const events = (who: keyof typeof heard, name: string) => heard[who].filter(([e]) => e === name).map(([, p]) => p);

async function listen(who: keyof typeof heard, token: string, join?: string): Promise<void> {
  const s = agentSocket(w.url, token);
  sockets.push(s);
  await connected(s);
  if (join) expect(await emitAck(s, 'conversation:join', { conversationId: join })).toMatchObject({ ok: true });
  s.onAny((event: string, payload: unknown) => heard[who].push([event, payload]));
}

beforeAll(async () => {
  w = await startTicketWorld();
  repos = new Repositories(w.platform.store);
  ({ conversationId } = await w.customerWrites({ thread: 'mira', text: 'The blender I bought makes a grinding noise', sender: { name: 'Mira Customer' } }));
  ticket = await eventually(async () => ((await w.api('GET', `/api/v1/tickets?conversationId=${conversationId}`)).json.items as TicketView[])[0], 10_000, 'ticket');
  ids.ben = await w.addAgent('Ben Agent');
  ids.cleo = await w.addAgent('Cleo Elsewhere');
  ids.dan = await w.addAgent('Dan Gone');
  ids.eve = await w.addAgent('Eve Agent');
  const agents = repos.forTenant(w.tenantId).agents;
  await agents.updateOne({ _id: ids.cleo }, { $set: { inboxIds: ['an-inbox-she-works-in'] } });
  await agents.updateOne({ _id: ids.dan }, { $set: { active: false } });
  tokens.ben = await w.tokenFor(ids.ben, 'agent');
  tokens.eve = await w.tokenFor(ids.eve, 'agent');
  await listen('ada', await w.tokenFor(w.adminId), conversationId);
  await listen('ben', tokens.ben);
  await listen('eve', tokens.eve);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await w?.close();
});

describe('who can be mentioned', () => {
  it('an id that is no agent, a deactivated agent, or one who cannot see the conversation: 400 naming it, and no note', async () => {
    for (const bad of ['no-such-agent', ids.dan, ids.cleo]) {
      const res = await note('Please look @someone', [ids.ben, bad]);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('SB_ERR_MENTION_UNKNOWN_AGENT');
      expect(res.json.error.details).toEqual({ agentId: bad, path: '/mentions/1' });
      expect(res.json.error.message).toContain(bad);
    }
    expect((await w.api('GET', `/api/v1/tickets/${ticket.id}/notes`)).json.items).toEqual([]);
    expect((await mentionsOf(tokens.ben)).json).toEqual({ items: [], unread: 0 });
    expect(events('ben', 'mention')).toEqual([]);
  });

  it('more than 20 mentions is a validation error', async () => {
    const res = await note('Everyone!', Array.from({ length: 21 }, (_, i) => `agent-${i}`));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('SB_ERR_VALIDATION');
  });
});

describe('a note that mentions Ben', () => {
  let added: TicketNoteView;
  const text = `@Ben Agent can you check whether the motor is covered by the warranty? ${'She sent a video of the noise. '.repeat(6)}`;

  it('is stored with its mentions; Ben alone gets the mention event, with the note’s opening', async () => {
    const res = await note(text, [ids.ben, ids.ben]);
    expect(res.status).toBe(201);
    added = res.json;
    expect(added.mentions).toEqual([ids.ben]);
    const [mention] = await eventually(() => events('ben', 'mention').length > 0 && (events('ben', 'mention') as MentionView[]), 5_000, 'Ben hears the mention');
    expect(mention).toMatchObject({ agentId: ids.ben, conversationId, ticketId: ticket.id, noteId: added.id, byAgentId: w.adminId, byName: 'Ada Admin', readAt: null });
    expect(mention!.excerpt).toBe(text.replace(/\s+/g, ' ').trim().slice(0, 140));
    await sleep(200);
    expect(events('ben', 'mention')).toHaveLength(1);
    expect(events('eve', 'mention')).toEqual([]);
    expect(events('ada', 'mention')).toEqual([]);
  });

  it('reaches agents with the conversation open as a live note; agents without it open hear nothing of it', async () => {
    await eventually(() => events('ada', 'ticket:note').length > 0, 5_000, 'the live note');
    expect(events('ada', 'ticket:note')).toEqual([added]);
    expect(events('eve', 'ticket:note')).toEqual([]);
    expect(events('ben', 'ticket:note')).toEqual([]);
  });

  it('is in Ben’s mentions, unread; Eve has none', async () => {
    const ben = (await mentionsOf(tokens.ben)).json;
    expect(ben.unread).toBe(1);
    expect(ben.items).toHaveLength(1);
    expect(ben.items[0]).toMatchObject({ noteId: added.id, conversationId, readAt: null });
    expect((await mentionsOf(tokens.eve)).json).toEqual({ items: [], unread: 0 });
  });

  it('opening the conversation marks Ben’s mentions there read, once', async () => {
    const first = await w.api('POST', '/api/v1/mentions/read', { conversationId }, tokens.ben);
    expect(first).toEqual({ status: 200, json: { marked: 1 } });
    const ben = (await mentionsOf(tokens.ben)).json;
    expect(ben.unread).toBe(0);
    expect(ben.items[0].readAt).toEqual(expect.any(String));
    expect((await w.api('POST', '/api/v1/mentions/read', { conversationId }, tokens.ben)).json).toEqual({ marked: 0 });
  });

  it('a newer mention comes first; with unreadFirst an older unread one comes before read ones', async () => {
    ({ conversationId: ticketTwoConversation } = await w.customerWrites({ thread: 'noor', text: 'Where is my refund?', sender: { name: 'Noor' } }));
    const other = await eventually(async () => ((await w.api('GET', `/api/v1/tickets?conversationId=${ticketTwoConversation}`)).json.items as TicketView[])[0], 10_000, 'second ticket');
    const older = await w.api('POST', `/api/v1/tickets/${other.id}/notes`, { text: 'Refund question for you', mentions: [ids.ben] });
    expect(older.status).toBe(201);
    const newer = await note('And one more thing about the blender', [ids.ben]);
    expect((await w.api('POST', '/api/v1/mentions/read', { conversationId }, tokens.ben)).json).toEqual({ marked: 1 });
    const newest = (await mentionsOf(tokens.ben)).json.items as MentionView[];
    expect(newest.map((m) => m.noteId)).toEqual([newer.json.id, older.json.id, added.id]);
    const unreadFirst = (await mentionsOf(tokens.ben, '?unreadFirst=true')).json;
    expect(unreadFirst.unread).toBe(1);
    expect((unreadFirst.items as MentionView[]).map((m) => m.noteId)).toEqual([older.json.id, newer.json.id, added.id]);
  });
});
let ticketTwoConversation = '';

describe('a ticket with two conversations', () => {
  it('records one mention per conversation and tells the agent once', async () => {
    const { conversationId: second } = await w.customerWrites({ thread: 'mira-mail', channel: 'email', text: 'Same blender, by mail', sender: { name: 'Mira Customer', email: 'mira@example.test' } });
    const its = await eventually(async () => ((await w.api('GET', `/api/v1/tickets?conversationId=${second}`)).json.items as TicketView[])[0], 10_000, 'ticket of the mail');
    expect((await w.api('POST', `/api/v1/tickets/${ticket.id}/merge`, { sourceIds: [its.id] })).status).toBe(200);
    const before = events('eve', 'mention').length;
    const res = await note('@Eve Agent both threads are one customer', [ids.eve]);
    expect(res.status).toBe(201);
    const mine = await eventually(async () => {
      const items = (await mentionsOf(tokens.eve)).json.items as MentionView[];
      return items.length === 2 && items;
    }, 5_000, 'two records');
    expect(mine.map((m) => m.conversationId).sort()).toEqual([conversationId, second].sort());
    await eventually(() => events('eve', 'mention').length > before, 5_000, 'Eve hears it');
    await sleep(200);
    expect(events('eve', 'mention').length).toBe(before + 1);
  });

  it('recording the same note again adds nothing (a retry is harmless)', async () => {
    const service = new MentionService({ inbox: repos, logger: createLogger({ level: 'silent', format: 'json' }) });
    const stored = (await w.platform.store.collection('ticket_notes').findOne({ tenantId: w.tenantId, mentions: ids.eve })) as never;
    const count = () => repos.forTenant(w.tenantId).mentions.countDocuments({ agentId: ids.eve });
    expect(await count()).toBe(2);
    await service.noteAdded(w.tenantId, { _id: ticket.id, conversationIds: (await w.api('GET', `/api/v1/tickets/${ticket.id}`)).json.conversationIds }, stored);
    expect(await count()).toBe(2);
  });
});

describe('another team', () => {
  it('sees none of these mentions and cannot mark them read', async () => {
    const tenantId = newId();
    await repos.createTenant({ _id: tenantId, name: 'Other Co', createdAt: new Date() });
    const agentId = newId();
    await repos.forTenant(tenantId).agents.insertOne({ _id: agentId, email: `zed-${agentId}@other.test`, name: 'Zed', role: 'admin', passwordHash: 'x', createdAt: new Date() });
    const token = await w.platform.tokens.signAccess({ agentId, tenantId, role: 'admin', name: 'Zed' });
    expect((await mentionsOf(token)).json).toEqual({ items: [], unread: 0 });
    const res = await w.api('POST', '/api/v1/mentions/read', { conversationId }, token);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('SB_ERR_NOT_FOUND');
    // This team's ticket is not found for them, whatever the mentions name.
    expect((await w.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text: 'hi', mentions: [ids.ben] }, token)).status).toBe(404);
    expect((await mentionsOf(tokens.ben, '?unreadFirst=true')).json.unread).toBe(1);
  });
});
