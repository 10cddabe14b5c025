import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChat, type Chat, type ChatState } from '../src/chat.js';
import { memoryStorage, storageKeys, type KeyValueStorage } from '../src/storage.js';
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
    socketOptions: { forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200, transports: ['websocket'] },
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
    expect(storage.get(storageKeys.visitor(INBOX))).toBe('visitor-1-1');
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
    expect(storage.get(storageKeys.outbox(INBOX))).toBeNull();
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
    expect(storage.get(storageKeys.visitor(INBOX))).toBe('visitor-2-1');
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
