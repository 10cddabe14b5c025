import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';
import { createChat, type Chat, type ChatState } from '../src/chat.js';
import { memoryStorage, storageKey, type KeyValueStorage } from '../src/storage.js';
import type { WebSocketFactory } from '../src/wire.js';
import { INBOX, startStandInHub, type StandInHub } from './stand-in-hub.js';

/**
 * The widget's chat logic against a real socket.io server standing in for the hub: what a visitor
 * sees across sends, drops, restarts and page loads.
 */

let hub: StandInHub;
const chats: Chat[] = [];

beforeEach(async () => {
  hub = await startStandInHub();
});
afterEach(async () => {
  for (const c of chats.splice(0)) c.close();
  await hub.stop();
});

function open(storage: KeyValueStorage = memoryStorage(), inboxToken = INBOX): Chat {
  const chat = createChat({
    hubOrigin: hub.url,
    inboxToken,
    storage,
    ackTimeoutMs: 2000,
    refusedRetryMs: 200,
    sendRetryMs: 100,
    wire: { WebSocket: WebSocket as unknown as WebSocketFactory, reconnectionDelay: 50, reconnectionDelayMax: 200 },
  });
  chats.push(chat);
  return chat;
}

const until = (chat: Chat, test: (s: ChatState) => boolean) =>
  vi.waitFor(() => expect(test(chat.state.get())).toBe(true), { timeout: 5000, interval: 20 });
const shown = (chat: Chat) => chat.state.get().messages.map((m) => `${m.author}:${m.text}:${m.status}`);

describe('widget chat against the hub', () => {
  it('starts a new visitor, keeps the token it gets, and presents it on the next page load', async () => {
    const storage = memoryStorage();
    const first = open(storage);
    await until(first, (s) => s.connection === 'online');
    expect(hub.resumes).toEqual([undefined]);
    expect(storage.get(storageKey('visitor', INBOX))).toBe('visitor-1-1');
    first.send('hello');
    await until(first, (s) => s.messages[0]?.seq === 1);
    first.close();

    const second = open(storage);
    await until(second, (s) => s.connection === 'online');
    expect(hub.handshakes.at(-1)).toEqual({ inboxToken: INBOX, visitorToken: 'visitor-1-1' });
    expect(shown(second)).toEqual(['visitor:hello:sent']);
  });

  it('shows a sent message at once as pending, then once as sent', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    chat.send('  where is my order?  ');
    expect(shown(chat)).toEqual(['visitor:where is my order?:pending']);
    await until(chat, (s) => s.messages[0]?.status === 'sent' && s.messages[0].seq === 1);
    expect(shown(chat)).toEqual(['visitor:where is my order?:sent']);
    expect(hub.stored()).toHaveLength(1);
  });

  it('shows agent replies with the agent name, and "typing" until the reply lands', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    hub.agentTyping(true);
    await until(chat, (s) => s.typing === 'Anna');
    hub.agentReply('Hi! Let me check.');
    await until(chat, (s) => s.messages.length === 1);
    expect(chat.state.get().typing).toBeNull();
    expect(chat.state.get().messages[0]).toMatchObject({ author: 'agent', authorName: 'Anna', text: 'Hi! Let me check.' });
  });

  it('after a drop, fetches what it missed from its cursor, without duplicates', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    hub.agentReply('one');
    await until(chat, (s) => s.messages.length === 1);
    hub.dropConnections();
    await until(chat, (s) => s.connection !== 'online');
    hub.agentReply('two'); // sent while the visitor is away: no one is in the room
    await until(chat, (s) => s.connection === 'online');
    await until(chat, (s) => s.messages.length === 2);
    expect(hub.resumes).toEqual([undefined, 1]);
    expect(shown(chat)).toEqual(['agent:one:sent', 'agent:two:sent']);
    expect(new Set(hub.handshakes.map((h) => h.visitorToken))).toEqual(new Set([undefined, 'visitor-1-1']));
  });

  it('on the hub\'s resync, fetches what it missed from its cursor while staying connected', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    hub.agentReply('one');
    await until(chat, (s) => s.messages.length === 1);
    hub.agentReplyLost('two');
    hub.resync();
    await until(chat, (s) => s.messages.length === 2);
    expect(hub.resumes).toEqual([undefined, 1]);
    expect(hub.handshakes).toHaveLength(1);
    expect(shown(chat)).toEqual(['agent:one:sent', 'agent:two:sent']);
  });

  it('keeps messages typed while the hub is down and delivers them in order, once, when it is back', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    await hub.stop();
    await until(chat, (s) => s.connection === 'reconnecting');
    chat.send('first');
    chat.send('second');
    chat.send('third');
    expect(shown(chat)).toEqual(['visitor:first:pending', 'visitor:second:pending', 'visitor:third:pending']);
    await hub.start();
    await until(chat, (s) => s.messages.every((m) => m.status === 'sent' && m.seq !== undefined));
    expect(hub.stored().map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect(shown(chat)).toEqual(['visitor:first:sent', 'visitor:second:sent', 'visitor:third:sent']);
  });

  it('stores a message once when the acknowledgement was lost and the widget sent it again', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    hub.loseNextAck();
    chat.send('did you get this?');
    await until(chat, (s) => s.connection === 'online' && s.messages[0]?.status === 'sent' && s.messages.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.stored().map((m) => m.text)).toEqual(['did you get this?']);
    expect(shown(chat)).toEqual(['visitor:did you get this?:sent']);
  });

  it('keeps unsent messages across a page load and sends them from the next page', async () => {
    const storage = memoryStorage();
    await hub.stop();
    const before = open(storage);
    before.send('sent from page one');
    before.close();
    await hub.start();
    const after = open(storage);
    expect(shown(after)).toEqual(['visitor:sent from page one:pending']);
    await until(after, (s) => s.messages[0]?.status === 'sent');
    expect(hub.stored().map((m) => m.text)).toEqual(['sent from page one']);
    expect(storage.get(storageKey('outbox', INBOX))).toBeNull();
  });

  it('tells the agent the visitor is typing, and that they stopped when they send', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    chat.composing('hel');
    chat.composing('hello');
    chat.send('hello');
    await vi.waitFor(() => expect(hub.typing).toEqual([true, false]));
  });

  it('says the chat is unavailable when the hub refuses the inbox, and recovers when it accepts', async () => {
    hub.refuse(true);
    const chat = open();
    await until(chat, (s) => s.connection === 'unavailable');
    hub.refuse(false);
    await until(chat, (s) => s.connection === 'online');
  });

  it('starts a fresh conversation when the hub no longer knows the visitor', async () => {
    const storage = memoryStorage();
    const chat = open(storage);
    await until(chat, (s) => s.connection === 'online');
    hub.agentReply('from the old conversation');
    await until(chat, (s) => s.messages.length === 1);
    hub.forgetEverything();
    hub.dropConnections();
    await until(chat, (s) => s.connection === 'online' && s.messages.length === 0);
    expect(storage.get(storageKey('visitor', INBOX))).toBe('visitor-2-1');
  });

  it('sends again after "try later", but shows a refusal with its reason and lets the visitor retry', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    hub.failNextSend('SB_ERR_UNAVAILABLE');
    chat.send('first');
    await until(chat, (s) => s.messages[0]?.status === 'sent');
    expect(hub.stored().map((m) => m.text)).toEqual(['first']);

    hub.failNextSend('SB_ERR_VALIDATION');
    chat.send('second');
    await until(chat, (s) => s.messages[1]?.status === 'failed');
    expect(chat.state.get().messages[1]?.error).toBe('failed with SB_ERR_VALIDATION');
    chat.retry(chat.state.get().messages[1]!.clientId!);
    await until(chat, (s) => s.messages[1]?.status === 'sent' && s.messages[1].seq === 2);
  });
});

describe('widget chat: who the visitor is, read marks and files', () => {
  const online = (chat: Chat) => until(chat, (s) => s.connection === 'online');

  it('learns the visitor, the inbox settings and the agent from the session, and shows how far the agent read', async () => {
    const chat = open();
    await online(chat);
    expect(chat.state.get()).toMatchObject({
      visitor: { verified: false, attributes: {} },
      inbox: { online: true, maxUploadBytes: 1024 * 1024, preChatForm: [] },
      agentName: 'Anna',
      agentAvatarUrl: `${hub.url}/avatars/anna.png`,
      agentReadSeq: 0,
    });
    chat.send('one');
    chat.send('two');
    await until(chat, (s) => s.messages.every((m) => m.seq));
    hub.agentRead(1);
    await until(chat, (s) => s.agentReadSeq === 1);

    const next = open();
    await online(next);
    expect(next.state.get().agentReadSeq).toBe(0);
    hub.agentRead(2, hub.lastVisitor());
    await until(next, (s) => s.agentReadSeq === 2);
  });

  it('continues as the site’s user after identify, even when called before the connection: their history, their token', async () => {
    hub.seedUser('u-42', ['Welcome back, Sam']);
    const storage = memoryStorage();
    const chat = open(storage);
    const answer = chat.identify({ id: 'u-42', name: 'Sam', email: 'sam@example.com' });
    expect(chat.state.get().connection).toBe('connecting');
    expect(await answer).toEqual({ ok: true });
    expect(storage.get(storageKey('visitor', INBOX))).toBe('user-u-42');
    await until(chat, (s) => s.connection === 'online' && s.messages.length === 1);
    expect(shown(chat)).toEqual(['agent:Welcome back, Sam:sent']);
    expect(chat.state.get().visitor).toMatchObject({ userId: 'u-42', name: 'Sam', email: 'sam@example.com' });
    expect(hub.handshakes.at(-1)).toEqual({ inboxToken: INBOX, visitorToken: 'user-u-42' });
    chat.send('thanks');
    await until(chat, (s) => s.messages[1]?.status === 'sent');
    expect(hub.stored('user-u-42').map((m) => m.text)).toEqual(['Welcome back, Sam', 'thanks']);
  });

  it('keeps what the visitor wrote before logging in when the user is new to the hub', async () => {
    const chat = open();
    await online(chat);
    chat.send('before login');
    await until(chat, (s) => s.messages[0]?.status === 'sent');
    expect(await chat.identify({ id: 'new-user' })).toEqual({ ok: true });
    await until(chat, (s) => s.connection === 'online' && s.messages.length === 1);
    expect(shown(chat)).toEqual(['visitor:before login:sent']);
  });

  it('answers identify with the hub’s refusal when the hash does not verify, and accepts the right one', async () => {
    hub.identitySecret = 'shh';
    const chat = open();
    expect(await chat.identify({ id: 'u-1', hash: 'wrong' })).toEqual({
      ok: false,
      code: 'SB_ERR_IDENTITY_UNVERIFIED',
      message: 'The identity hash does not match this visitor id.',
    });
    expect(chat.state.get().visitor?.userId).toBeUndefined();
    const hash = createHmac('sha256', 'shh').update('u-1').digest('hex');
    expect(await chat.identify({ id: 'u-1', hash })).toEqual({ ok: true });
    await until(chat, (s) => s.connection === 'online' && s.visitor?.verified === true);
  });

  it('updates contact details and attributes in call order, and passes on a refusal', async () => {
    const chat = open();
    const first = chat.update({ name: 'Kim', attributes: { plan: 'pro' } });
    const second = chat.update({ attributes: { seats: '4' } });
    const bad = chat.update({ email: 'not-an-email' });
    expect(await first).toEqual({ ok: true });
    expect(await second).toEqual({ ok: true });
    expect(await bad).toEqual({ ok: false, code: 'SB_ERR_VALIDATION', message: 'Enter a valid email address.' });
    expect(hub.updates.map((u) => Object.keys(u.attributes ?? {}))).toEqual([['plan'], ['seats'], []]);
    expect(chat.state.get().visitor).toMatchObject({ name: 'Kim', attributes: { plan: 'pro', seats: '4' } });
  });

  it('forgets the visitor on reset: a new anonymous visitor, an empty history, no unsent messages', async () => {
    const storage = memoryStorage();
    const chat = open(storage);
    await online(chat);
    hub.agentReply('hello');
    await until(chat, (s) => s.messages.length === 1);
    storage.set(storageKey('seen', INBOX), '1');
    await hub.stop();
    await until(chat, (s) => s.connection === 'reconnecting');
    chat.send('never sent');
    await hub.start();
    chat.reset();
    expect(chat.state.get()).toMatchObject({ messages: [], visitor: null, conversationId: null });
    expect(storage.get(storageKey('outbox', INBOX))).toBeNull();
    expect(storage.get(storageKey('seen', INBOX))).toBeNull();
    await online(chat);
    expect(storage.get(storageKey('visitor', INBOX))).toBe('visitor-1-2');
    expect(hub.handshakes.at(-1)).toEqual({ inboxToken: INBOX, visitorToken: undefined });
    await new Promise((r) => setTimeout(r, 200));
    expect(chat.state.get().messages).toEqual([]);
    expect(hub.stored('visitor-1-1').map((m) => m.text)).toEqual(['hello']);
  });

  it('tells the hub once per new message that the visitor has read up to it', async () => {
    const chat = open();
    chat.markRead(); // nothing held yet
    await online(chat);
    hub.agentReply('one');
    await until(chat, (s) => s.messages.length === 1);
    chat.markRead();
    chat.markRead();
    hub.agentReply('two');
    await until(chat, (s) => s.messages.length === 2);
    chat.markRead();
    await vi.waitFor(() => expect(hub.reads).toEqual([1, 2]));
    await new Promise((r) => setTimeout(r, 100));
    expect(hub.reads).toEqual([1, 2]);
  });

  it('reports agent messages that arrive while it runs, including ones missed during a drop, but not the history', async () => {
    const storage = memoryStorage();
    const first = open(storage);
    await online(first);
    hub.agentReply('history');
    await until(first, (s) => s.messages.length === 1);
    first.close();

    const heard: string[] = [];
    const chat = createChat({
      hubOrigin: hub.url,
      inboxToken: INBOX,
      storage,
      wire: { WebSocket: WebSocket as unknown as WebSocketFactory, reconnectionDelay: 50, reconnectionDelayMax: 200 },
      onAgentMessage: (m) => heard.push(m.text),
    });
    chats.push(chat);
    await until(chat, (s) => s.connection === 'online' && s.messages.length === 1);
    hub.agentReply('live');
    chat.send('mine');
    await until(chat, (s) => s.messages.length === 3);
    hub.dropConnections();
    await until(chat, (s) => s.connection !== 'online');
    hub.agentReply('while away');
    await until(chat, (s) => s.messages.length === 4);
    expect(heard).toEqual(['live', 'while away']);
  });

  const png = () => new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], 'photo.png', { type: 'image/png' });

  it('shows a picked image at once with a local preview, uploads it with the visitor token, and sends it once', async () => {
    const storage = memoryStorage();
    const chat = open(storage);
    await online(chat);
    chat.sendFile(png());
    const [pending] = chat.state.get().messages;
    expect(pending).toMatchObject({ author: 'visitor', status: 'pending', text: '' });
    expect(pending!.attachments).toEqual([{ name: 'photo.png', mime: 'image/png', size: 7, url: expect.stringMatching(/^blob:/), image: true, local: true }]);
    await until(chat, (s) => s.messages[0]?.seq === 1 && s.messages[0].status === 'sent');
    expect(hub.uploads).toEqual([{ visitorToken: storage.get(storageKey('visitor', INBOX)), name: 'photo.png', size: 7 }]);
    const [sent] = chat.state.get().messages;
    expect(sent!.key).toBe(pending!.key);
    expect(sent!.attachments).toEqual([{ name: 'photo.png', mime: 'image/png', size: 7, url: expect.stringContaining(`${hub.url}/api/v1/widget/files/`), image: true }]);
    const stored = hub.stored();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.attachments).toMatchObject([{ kind: 'image', name: 'photo.png', size: 7 }]);
    const bytes = await fetch(sent!.attachments[0]!.url!).then((r) => r.arrayBuffer());
    expect(new Uint8Array(bytes)).toEqual(new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
  });

  it('refuses a file over the inbox limit before uploading, with a sentence', async () => {
    const chat = open();
    await online(chat);
    chat.sendFile(new File([new Uint8Array(1024 * 1024 + 1)], 'big.pdf', { type: 'application/pdf' }));
    await vi.waitFor(() => expect(chat.state.get().messages[0]).toMatchObject({ status: 'failed', error: 'This file is too large: the limit is 1 MB.' }));
    expect(chat.state.get().messages[0]!.attachments[0]).toMatchObject({ name: 'big.pdf', image: false, local: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(hub.uploads).toEqual([]);
  });

  it('shows the hub’s refusal of an upload, and uploads again on retry while the file is in memory', async () => {
    const chat = open();
    await online(chat);
    hub.inbox.maxUploadBytes = 4; // the hub's limit is now lower than the one the widget got
    chat.sendFile(png());
    await until(chat, (s) => s.messages[0]?.status === 'failed');
    expect(chat.state.get().messages[0]!.error).toBe(`This file is larger than the ${4 / (1024 * 1024)} MiB allowed.`);
    expect(hub.uploads.map((u) => u.refused)).toEqual(['SB_ERR_BLOB_TOO_LARGE']);

    chat.sendFile(new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' }));
    await until(chat, (s) => s.messages[1]?.status === 'failed');
    expect(chat.state.get().messages[1]!.error).toBe('This kind of file cannot be sent.');

    hub.inbox.maxUploadBytes = 1024 * 1024;
    chat.retry(chat.state.get().messages[0]!.clientId!);
    expect(chat.state.get().messages[0]!.status).toBe('pending');
    await until(chat, (s) => s.messages[0]?.status === 'sent' && s.messages[0].seq === 1);
    expect(hub.stored()).toHaveLength(1);
  });

  it('uploads a file picked while offline once the chat is back', async () => {
    const chat = open();
    await online(chat);
    await hub.stop();
    await until(chat, (s) => s.connection === 'reconnecting');
    chat.sendFile(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    expect(chat.state.get().messages[0]).toMatchObject({ status: 'pending', attachments: [{ name: 'notes.txt', image: false, local: true }] });
    await hub.start();
    await until(chat, (s) => s.messages[0]?.status === 'sent' && s.messages[0].seq === 1);
    expect(hub.stored()[0]!.attachments).toMatchObject([{ kind: 'file', name: 'notes.txt', mime: 'text/plain', size: 5 }]);
  });
});
