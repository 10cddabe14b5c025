import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createChat, type Chat, type ChatState } from '../src/chat.js';
import { memoryStorage, type KeyValueStorage } from '../src/storage.js';
import type { WebSocketFactory } from '../src/wire.js';
import { INBOX, startStandInHub, type StandInHub } from './stand-in-hub.js';

/** The survey of a resolved conversation, as the chat logic receives and answers it over real socket.io. */
let hub: StandInHub;
const chats: Chat[] = [];

beforeEach(async () => {
  hub = await startStandInHub();
});
afterEach(async () => {
  for (const c of chats.splice(0)) c.close();
  await hub.stop();
});

function open(storage: KeyValueStorage = memoryStorage()): Chat {
  const chat = createChat({
    hubOrigin: hub.url,
    inboxToken: INBOX,
    storage,
    ackTimeoutMs: 2000,
    wire: { WebSocket: WebSocket as unknown as WebSocketFactory, reconnectionDelay: 50, reconnectionDelayMax: 200 },
  });
  chats.push(chat);
  return chat;
}

const until = (chat: Chat, test: (s: ChatState) => boolean) => vi.waitFor(() => expect(test(chat.state.get())).toBe(true), { timeout: 5000, interval: 20 });

describe('widget CSAT', () => {
  it('shows the survey when the agent resolves, sends the rating, and follows the hub’s answer', async () => {
    const chat = open();
    await until(chat, (s) => s.connection === 'online');
    expect(chat.state.get().csat).toBeUndefined();
    hub.resolve();
    await until(chat, (s) => s.csat?.rating === null);

    const refused = await chat.rate({ rating: 7 });
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('SB_ERR_VALIDATION');
    const res = await chat.rate({ rating: 4, comment: 'Helpful' });
    expect(res.ok).toBe(true);
    expect(hub.csatAnswers.at(-1)).toEqual({ rating: 4, comment: 'Helpful' });
    await until(chat, (s) => s.csat?.rating === 4 && s.csat.comment === 'Helpful' && Boolean(s.csat.editableUntil));
  });

  it('asks again on the next page load while the survey is open', async () => {
    const storage = memoryStorage();
    const first = open(storage);
    await until(first, (s) => s.connection === 'online');
    hub.resolve();
    await until(first, (s) => s.csat !== undefined);
    first.close();

    const next = open(storage);
    await until(next, (s) => s.connection === 'online');
    expect(next.state.get().csat).toEqual({ rating: null });
  });
});
