import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, ERR_NETWORK, ERR_SESSION_ENDED, newIdempotencyKey } from './api.js';
import { memoryStorage, readSession, writeSession, SESSION_KEY, type KeyValueStorage } from './session.js';

const agent = { id: 'agent-1', tenantId: 't1', email: 'ada@example.com', name: 'Ada', role: 'agent' as const };

interface Call {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}

/** A tiny server double: routes answer from a function so each test scripts its own story. */
function fakeServer(route: (call: Call, n: number) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: String(input),
      auth: headers.authorization ?? null,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const { status, body } = await route(call, calls.length);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const expired = { status: 401, body: { error: { code: 'SB_ERR_TOKEN_EXPIRED', message: 'Access token expired.' } } };

function signedIn(storage: KeyValueStorage = memoryStorage()) {
  writeSession(storage, { accessToken: 'access-1', refreshToken: 'refresh-1', agent });
  return storage;
}

describe('signing in', () => {
  it('keeps the tokens and the agent under sb:auth', async () => {
    const storage = memoryStorage();
    const server = fakeServer(() => ({ status: 200, body: { accessToken: 'a', refreshToken: 'r', agent } }));
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => {} });
    const session = await api.login('ada@example.com', 'pw');
    expect(session.agent.name).toBe('Ada');
    expect(JSON.parse(storage.getItem(SESSION_KEY)!)).toMatchObject({ accessToken: 'a', refreshToken: 'r', agent: { id: 'agent-1' } });
    expect(server.calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/auth/login', auth: null, body: { email: 'ada@example.com', password: 'pw' } });
  });

  it('reports wrong credentials with the server’s code and sentence', async () => {
    const server = fakeServer(() => ({ status: 401, body: { error: { code: 'SB_ERR_BAD_CREDENTIALS', message: 'Email or password is wrong.' } } }));
    let signedOut = 0;
    const api = new ApiClient({ storage: memoryStorage(), fetch: server.fetch, onSignedOut: () => signedOut++ });
    await expect(api.login('ada@example.com', 'nope')).rejects.toMatchObject({ code: 'SB_ERR_BAD_CREDENTIALS', message: 'Email or password is wrong.' });
    expect(signedOut).toBe(0);
  });
});

describe('an expired access token', () => {
  it('is refreshed once and the call retried, invisibly to the agent', async () => {
    const storage = signedIn();
    const server = fakeServer((call) => {
      if (call.path === '/api/v1/auth/refresh') return { status: 200, body: { accessToken: 'access-2', refreshToken: 'refresh-2' } };
      return call.auth === 'Bearer access-2' ? { status: 200, body: agent } : expired;
    });
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => {} });
    await expect(api.me()).resolves.toMatchObject({ name: 'Ada' });
    expect(server.calls.map((c) => `${c.path} ${c.auth ?? ''}`.trim())).toEqual([
      '/api/v1/me Bearer access-1',
      '/api/v1/auth/refresh',
      '/api/v1/me Bearer access-2',
    ]);
    expect(server.calls[1]?.body).toEqual({ refreshToken: 'refresh-1' });
    expect(readSession(storage)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', agent: { name: 'Ada' } });
  });

  it('is refreshed only once when several calls expire together', async () => {
    const storage = signedIn();
    const server = fakeServer(async (call) => {
      if (call.path === '/api/v1/auth/refresh') {
        await new Promise((r) => setTimeout(r, 10));
        return { status: 200, body: { accessToken: 'access-2', refreshToken: 'refresh-2' } };
      }
      return call.auth === 'Bearer access-2' ? { status: 200, body: { items: [], nextCursor: null } } : expired;
    });
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => {} });
    await Promise.all([
      api.listConversations({ status: 'open', assignee: 'all' }),
      api.getConversation('c1'),
      api.markRead('c2'),
    ]);
    expect(server.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('sends the agent to the login when the refresh is refused', async () => {
    const storage = signedIn();
    const server = fakeServer((call) =>
      call.path === '/api/v1/auth/refresh' ? { status: 401, body: { error: { code: 'SB_ERR_TOKEN_INVALID', message: 'Refresh token revoked.' } } } : expired,
    );
    let signedOut = 0;
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => signedOut++ });
    await expect(api.me()).rejects.toMatchObject({ code: ERR_SESSION_ENDED });
    expect(signedOut).toBe(1);
    expect(storage.getItem(SESSION_KEY)).toBeNull();
  });

  it('uses the tokens another tab just rotated instead of signing out', async () => {
    const storage = signedIn();
    const server = fakeServer((call) => {
      if (call.path === '/api/v1/auth/refresh') {
        // The other tab won the race: refresh-1 is spent, its new tokens are already stored.
        writeSession(storage, { accessToken: 'access-9', refreshToken: 'refresh-9', agent });
        return { status: 401, body: { error: { code: 'SB_ERR_TOKEN_INVALID', message: 'Refresh token already used.' } } };
      }
      return call.auth === 'Bearer access-9' ? { status: 200, body: agent } : expired;
    });
    let signedOut = 0;
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => signedOut++ });
    await expect(api.me()).resolves.toMatchObject({ id: 'agent-1' });
    expect(signedOut).toBe(0);
  });

  it('keeps the session when the refresh fails for a server error', async () => {
    const storage = signedIn();
    const server = fakeServer((call) => (call.path === '/api/v1/auth/refresh' ? { status: 503, body: { error: { code: 'SB_ERR_UNAVAILABLE', message: 'Try again.' } } } : expired));
    let signedOut = 0;
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => signedOut++ });
    await expect(api.me()).rejects.toMatchObject({ status: 503 });
    expect(signedOut).toBe(0);
    expect(readSession(storage)?.refreshToken).toBe('refresh-1');
  });
});

describe('other failures', () => {
  it('ends the session on a 401 that is not an expiry (token rejected)', async () => {
    const storage = signedIn();
    const server = fakeServer(() => ({ status: 401, body: { error: { code: 'SB_ERR_UNAUTHORIZED', message: 'Bad token.' } } }));
    let signedOut = 0;
    const api = new ApiClient({ storage, fetch: server.fetch, onSignedOut: () => signedOut++ });
    await expect(api.me()).rejects.toMatchObject({ code: ERR_SESSION_ENDED });
    expect(signedOut).toBe(1);
    expect(server.calls).toHaveLength(1);
  });

  it('passes other errors through with their code and sentence', async () => {
    const server = fakeServer(() => ({ status: 404, body: { error: { code: 'SB_ERR_NOT_FOUND', message: 'Conversation not found.' } } }));
    const api = new ApiClient({ storage: signedIn(), fetch: server.fetch, onSignedOut: () => {} });
    const err = await api.getConversation('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'SB_ERR_NOT_FOUND', message: 'Conversation not found.' });
  });

  it('says the server cannot be reached when the network fails', async () => {
    const api = new ApiClient({
      storage: signedIn(),
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch,
      onSignedOut: () => {},
    });
    await expect(api.me()).rejects.toMatchObject({ code: ERR_NETWORK, status: 0 });
  });

  it('gives a sentence even when an error body is not JSON', async () => {
    const fetch = (async () => new Response('<html>Bad gateway</html>', { status: 502 })) as typeof globalThis.fetch;
    const api = new ApiClient({ storage: signedIn(), fetch, onSignedOut: () => {} });
    await expect(api.me()).rejects.toMatchObject({ status: 502, code: 'SB_ERR_HTTP_502', message: expect.stringMatching(/try again/i) });
  });
});

describe('request shapes', () => {
  it('builds list and message queries the server expects', async () => {
    const server = fakeServer(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    const api = new ApiClient({ storage: signedIn(), fetch: server.fetch, onSignedOut: () => {} });
    await api.listConversations({ status: 'pending', assignee: 'me', cursor: 'abc=' });
    await api.listMessages('c/1', { afterSeq: 12, limit: 100 });
    await api.sendMessage('c1', { text: 'hi', idempotencyKey: 'k' });
    expect(server.calls.map((c) => c.path)).toEqual([
      '/api/v1/conversations?status=pending&assignee=me&limit=50&cursor=abc%3D',
      '/api/v1/conversations/c%2F1/messages?afterSeq=12&limit=100',
      '/api/v1/conversations/c1/messages',
    ]);
    expect(server.calls[2]).toMatchObject({ method: 'POST', body: { text: 'hi', idempotencyKey: 'k' }, auth: 'Bearer access-1' });
  });

  it('makes v4 UUID idempotency keys', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('uploading a file', () => {
  it('sends the raw bytes with the file’s type and the name in the query, refreshing an expired token', async () => {
    const storage = signedIn();
    const sent: Array<{ path: string; type: string | undefined; auth: string | undefined; body: unknown }> = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({ path: String(input), type: headers['content-type'], auth: headers.authorization, body: init?.body });
      if (String(input) === '/api/v1/auth/refresh') return Response.json({ accessToken: 'access-2', refreshToken: 'refresh-2' });
      if (headers.authorization === 'Bearer access-1') return Response.json(expired.body, { status: 401 });
      return Response.json({ ref: 'blob:1', name: 'scan 1.pdf', mime: 'application/pdf', size: 3, kind: 'file' }, { status: 201 });
    };
    const api = new ApiClient({ storage, fetch: fetch as typeof globalThis.fetch, onSignedOut: () => {} });
    const file = new Blob([new Uint8Array([1, 2, 3])], { type: 'application/pdf' });
    await expect(api.uploadFile(file, 'scan 1.pdf')).resolves.toMatchObject({ ref: 'blob:1', kind: 'file' });
    expect(sent.map((s) => [s.path, s.type, s.auth])).toEqual([
      ['/api/v1/blobs?name=scan+1.pdf', 'application/pdf', 'Bearer access-1'],
      ['/api/v1/auth/refresh', 'application/json', undefined],
      ['/api/v1/blobs?name=scan+1.pdf', 'application/pdf', 'Bearer access-2'],
    ]);
    expect(sent[2]?.body).toBe(file);
  });

  it('answers a refusal with the server’s sentence', async () => {
    const refuse = async () => Response.json({ error: { code: 'SB_ERR_BLOB_TOO_LARGE', message: 'The file is larger than 25 MB, the most an upload may be.' } }, { status: 413 });
    const api = new ApiClient({ storage: signedIn(), fetch: refuse as typeof globalThis.fetch, onSignedOut: () => {} });
    await expect(api.uploadFile(new Blob(['x']), 'big.bin')).rejects.toMatchObject({ status: 413, code: 'SB_ERR_BLOB_TOO_LARGE', message: expect.stringContaining('25 MB') });
  });
});

describe('ticket calls', () => {
  it('finds a conversation’s tickets, changes one with PATCH and adds a note', async () => {
    const server = fakeServer((call) => ({ status: call.method === 'POST' ? 201 : 200, body: call.path.includes('?') ? { items: [], nextCursor: null } : { id: 't/1' } }));
    const api = new ApiClient({ storage: signedIn(), fetch: server.fetch, onSignedOut: () => {} });
    await api.ticketsOfConversation('c 1');
    await api.updateTicket('t/1', { status: 'pending', tags: ['vip'] });
    await api.addTicketNote('t/1', 'Called back.');
    expect(server.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['GET', '/api/v1/tickets?conversationId=c+1&limit=50', undefined],
      ['PATCH', '/api/v1/tickets/t%2F1', { status: 'pending', tags: ['vip'] }],
      ['POST', '/api/v1/tickets/t%2F1/notes', { text: 'Called back.' }],
    ]);
  });

  it('answers a closed ticket’s 409 with the server’s sentence', async () => {
    const sentence = "Ticket #1042 is closed; the customer's next message opens a follow-up ticket.";
    const server = fakeServer(() => ({ status: 409, body: { error: { code: 'SB_ERR_CONFLICT', message: sentence } } }));
    const api = new ApiClient({ storage: signedIn(), fetch: server.fetch, onSignedOut: () => {} });
    await expect(api.updateTicket('t1', { status: 'open' })).rejects.toMatchObject({ status: 409, message: sentence });
  });
});

describe('other JSON calls (the knowledge base screens)', () => {
  it('send PUT and DELETE with the token; a 204 answers nothing; an expired token is refreshed', async () => {
    const server = fakeServer((call, n) => {
      if (n === 1) return expired;
      if (call.path === '/api/v1/auth/refresh') return { status: 200, body: { accessToken: 'access-2', refreshToken: 'refresh-2' } };
      return call.method === 'DELETE' ? { status: 204 } : { status: 200, body: { id: 'a1' } };
    });
    const api = new ApiClient({ storage: signedIn(), fetch: server.fetch, onSignedOut: () => {} });
    expect(await api.call('PUT', '/api/v1/kb/articles/a1/translations/en', { title: 'T', body: 'b', baseRevision: 1 })).toEqual({ id: 'a1' });
    expect(await api.call('DELETE', '/api/v1/kb/categories/c1')).toBeUndefined();
    expect(server.calls.map((c) => [c.method, c.path, c.auth])).toEqual([
      ['PUT', '/api/v1/kb/articles/a1/translations/en', 'Bearer access-1'],
      ['POST', '/api/v1/auth/refresh', null],
      ['PUT', '/api/v1/kb/articles/a1/translations/en', 'Bearer access-2'],
      ['DELETE', '/api/v1/kb/categories/c1', 'Bearer access-2'],
    ]);
  });

  it('answer a refusal with the server’s code and sentence', async () => {
    const sentence = 'This category still holds 2 articles; move or delete them first.';
    const server = fakeServer(() => ({ status: 409, body: { error: { code: 'SB_ERR_KB_CATEGORY_NOT_EMPTY', message: sentence } } }));
    const api = new ApiClient({ storage: signedIn(), fetch: server.fetch, onSignedOut: () => {} });
    await expect(api.call('DELETE', '/api/v1/kb/categories/c1')).rejects.toMatchObject({ status: 409, code: 'SB_ERR_KB_CATEGORY_NOT_EMPTY', message: sentence });
  });
});
