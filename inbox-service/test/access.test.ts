import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Socket } from 'socket.io-client';
import { createKeyValue } from '@switchboard/kv';
import { eventually, testRedisUrl, uniqueName } from '@switchboard/testkit';
import { totpCode } from '../src/access/totp.js';
import { Repositories } from '../src/repositories/index.js';
import { agentSocket, connected, emitAck, inboundMessage, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

interface Mail {
  to: string;
  body: string;
}

/** A loopback SMTP sink: what the hub sends arrives here over real SMTP. */
async function smtpSink(): Promise<{ url: string; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Mail bodies arrive quoted-printable encoded; a mail client shows them decoded. */
function quotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('accounts and access control (Redis KV, loopback SMTP)', () => {
  let hub: Instance;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let t: SeededTenant;
  let admin = '';
  let closeKv: () => Promise<void> = async () => undefined;
  const sockets: Socket[] = [];

  const api = async (method: string, url: string, opts: { token?: string; body?: unknown; ua?: string } = {}) => {
    const res = await hub.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        'user-agent': opts.ua ?? 'access-test',
      },
      ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    });
    return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers };
  };
  const login = (email: string, password: string, extra: Record<string, unknown> = {}) => api('POST', '/auth/login', { body: { email, password, ...extra } });

  beforeAll(async () => {
    smtp = await smtpSink();
    const kv = await createKeyValue({ driver: 'redis', url: testRedisUrl, prefix: `${uniqueName('sbacc')}:` });
    hub = await startInstance({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://support.example.test' }, { kv });
    closeKv = () => kv.close();
    t = await seedTenant(new Repositories(hub.platform.store), 'acc');
    admin = (await login(t.email, t.password)).body.accessToken;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
    await smtp.close();
    await closeKv();
  });

  it('signs a new team up, and only its admin changes its settings', async () => {
    const res = await api('POST', '/signup', { body: { company: 'Acme', name: 'Ann', email: `ann-${uniqueName()}@acme.test`, password: 'acme acme acme' } });
    expect(res.status).toBe(201);
    expect(res.body.agent.role).toBe('admin');
    const token = res.body.accessToken;
    expect((await api('GET', '/tenant', { token })).body).toMatchObject({ name: 'Acme', timezone: 'UTC' });
    const patched = await api('PATCH', '/tenant', { token, body: { timezone: 'Europe/Berlin' } });
    expect(patched.body.timezone).toBe('Europe/Berlin');
    expect((await api('PATCH', '/tenant', { token, body: { timezone: 'Mars/Base' } })).status).toBe(400);
    const again = await api('POST', '/signup', { body: { company: 'Other', name: 'X', email: res.body.agent.email, password: 'acme acme acme' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SB_ERR_EMAIL_TAKEN');
  });

  it('limits an agent to some inboxes: conversations of other inboxes do not exist for them, over REST and sockets', async () => {
    const repos = new Repositories(hub.platform.store);
    await hub.platform.bus.publishInbound(inboundMessage(t, { threadKey: 'tg-thread', text: 'telegram secret' }));
    await hub.platform.bus.publishInbound({ ...inboundMessage(t, { threadKey: 'web-visitor', text: 'web hello' }), channel: 'web', channelAccountId: t.inboxId });
    const r = repos.forTenant(t.tenantId);
    const tg = await eventually(() => r.conversations.findOne({ threadKey: 'tg-thread' }));
    const web = await eventually(() => r.conversations.findOne({ threadKey: 'web-visitor' }));

    const email = `web-only-${uniqueName()}@example.test`;
    const created = await api('POST', '/agents', { token: admin, body: { email, name: 'Web Only', role: 'agent', password: 'web only agent', inboxIds: [t.inboxId] } });
    expect(created.status).toBe(201);
    expect(created.body.inboxIds).toEqual([t.inboxId]);
    const token = (await login(email, 'web only agent')).body.accessToken;

    const list = await api('GET', '/conversations?status=all', { token });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([web._id]);
    expect((await api('GET', `/conversations/${tg._id}`, { token })).status).toBe(404);
    expect((await api('POST', `/conversations/${tg._id}/status`, { token, body: { status: 'resolved' } })).status).toBe(404);
    expect((await api('GET', `/conversations/${web._id}`, { token })).status).toBe(200);
    expect((await api('PATCH', '/tenant', { token, body: { name: 'Mine now' } })).body.error.code).toBe('SB_ERR_FORBIDDEN');

    const s = agentSocket(hub.url, token);
    sockets.push(s);
    await connected(s);
    expect(await emitAck(s, 'conversation:join', { conversationId: tg._id })).toMatchObject({ ok: false, error: { code: 'SB_ERR_NOT_FOUND' } });
    expect(await emitAck(s, 'conversation:join', { conversationId: web._id })).toMatchObject({ ok: true });

    // Widening the access takes effect on the next request, without signing in again.
    await api('PATCH', `/agents/${created.body.id}`, { token: admin, body: { inboxIds: null } });
    expect((await api('GET', `/conversations/${tg._id}`, { token })).status).toBe(200);
  });

  it('deactivating an agent ends their sessions at once', async () => {
    const email = `leaver-${uniqueName()}@example.test`;
    const created = await api('POST', '/agents', { token: admin, body: { email, name: 'Leaver', role: 'supervisor', password: 'leaving soon ok' } });
    const session = await login(email, 'leaving soon ok');
    expect((await api('GET', '/me', { token: session.body.accessToken })).status).toBe(200);
    expect((await api('POST', `/agents/${created.body.id}/deactivate`, { token: admin })).body.active).toBe(false);
    expect((await api('GET', '/me', { token: session.body.accessToken })).status).toBe(401);
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: session.body.refreshToken } })).status).toBe(401);
    expect((await login(email, 'leaving soon ok')).body.error.code).toBe('SB_ERR_ACCOUNT_DEACTIVATED');
    expect((await api('GET', '/agents', { token: admin })).body.items.map((a: { email: string }) => a.email)).not.toContain(email);
  });

  it('logout ends this session; logout-all ends every session and every access token', async () => {
    const one = await login(t.email, t.password);
    const two = await login(t.email, t.password);
    expect((await api('POST', '/auth/logout', { token: one.body.accessToken })).status).toBe(200);
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: one.body.refreshToken } })).status).toBe(401);
    const rotated = await api('POST', '/auth/refresh', { body: { refreshToken: two.body.refreshToken } });
    expect(rotated.status).toBe(200);

    expect((await api('POST', '/auth/logout-all', { token: rotated.body.accessToken })).status).toBe(200);
    for (const token of [rotated.body.accessToken, admin]) expect((await api('GET', '/me', { token })).body.error.code).toBe('SB_ERR_UNAUTHORIZED');
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
    admin = (await login(t.email, t.password)).body.accessToken;
    expect((await api('GET', '/me', { token: admin })).status).toBe(200);
  });

  it('locks an email and IP out after 5 failures, with Retry-After, and audits it', async () => {
    const email = `locked-${uniqueName()}@example.test`;
    await api('POST', '/agents', { token: admin, body: { email, name: 'Locked', role: 'agent', password: 'the right password' } });
    for (let i = 0; i < 4; i++) expect((await login(email, `wrong-${i}`)).body.error.code).toBe('SB_ERR_BAD_CREDENTIALS');
    expect((await login(email, 'wrong-5')).body.error.code).toBe('SB_ERR_LOCKED');
    const locked = await login(email, 'the right password');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('SB_ERR_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    const audit = await api('GET', `/audit?type=login.lockout`, { token: admin });
    expect(audit.body.items[0]).toMatchObject({ type: 'login.lockout', email, userAgent: 'access-test' });
    expect(audit.body.items[0].ip).toBeTruthy();
    const failures = await api('GET', `/audit?type=login.failure&limit=200`, { token: admin });
    expect(failures.body.items.filter((e: { email?: string }) => e.email === email).length).toBeGreaterThanOrEqual(5);
  });

  it('two-step sign-in: enroll, confirm, then login needs a fresh code', async () => {
    const email = `totp-${uniqueName()}@example.test`;
    await api('POST', '/agents', { token: admin, body: { email, name: 'Tess', role: 'agent', password: 'tess password ok' } });
    const token = (await login(email, 'tess password ok')).body.accessToken;
    const enrolled = await api('POST', '/auth/2fa/enroll', { token });
    expect(enrolled.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Switchboard:/);
    expect((await api('POST', '/auth/2fa/confirm', { token, body: { code: '000000' } })).body.error.code).toBe('SB_ERR_TOTP_INVALID');
    expect((await api('POST', '/auth/2fa/confirm', { token, body: { code: totpCode(enrolled.body.secret) } })).status).toBe(200);
    const stored = await new Repositories(hub.platform.store).findAgentByEmail(email);
    expect(JSON.stringify(stored?.totp)).not.toContain(enrolled.body.secret);

    expect((await login(email, 'tess password ok')).body.error.code).toBe('SB_ERR_TOTP_REQUIRED');
    const next = totpCode(enrolled.body.secret, Date.now() + 30_000);
    expect((await login(email, 'tess password ok', { totpCode: next })).status).toBe(200);
    expect((await login(email, 'tess password ok', { totpCode: next })).body.error.code).toBe('SB_ERR_TOTP_INVALID');
    const types = (await api('GET', '/audit?limit=200', { token: admin })).body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['totp.enrolled', 'totp.enabled']));
  });

  it('resets a forgotten password through a single-use link sent over SMTP', async () => {
    const email = `forgot-${uniqueName()}@example.test`;
    await api('POST', '/agents', { token: admin, body: { email, name: 'Forgetful', role: 'agent', password: 'the old password' } });
    const old = await login(email, 'the old password');
    expect((await api('POST', '/auth/password-reset/request', { body: { email: 'nobody@example.test' } })).status).toBe(202);
    expect((await api('POST', '/auth/password-reset/request', { body: { email } })).status).toBe(202);
    const mail = await eventually(() => smtp.mails.find((m) => m.to === email));
    expect(smtp.mails.some((m) => m.to === 'nobody@example.test')).toBe(false);
    const token = decodeURIComponent(/https:\/\/support\.example\.test\/reset-password\?token=([^\s]+)/.exec(quotedPrintable(mail.body))?.[1] ?? '');
    expect(token.length).toBeGreaterThan(20);

    expect((await api('POST', '/auth/password-reset/confirm', { body: { token, password: 'a fresh new password' } })).status).toBe(200);
    expect((await api('POST', '/auth/password-reset/confirm', { body: { token, password: 'another new password' } })).body.error.code).toBe('SB_ERR_RESET_TOKEN_INVALID');
    expect((await login(email, 'the old password')).status).toBe(401);
    expect((await login(email, 'a fresh new password')).status).toBe(200);
    expect((await api('GET', '/me', { token: old.body.accessToken })).status).toBe(401);
  });

  it('API keys: shown once, stored hashed, limited to their scopes, revocable', async () => {
    const created = await api('POST', '/api-keys', { token: admin, body: { name: 'CRM sync', scopes: ['conversations:read'] } });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^sbk_/);
    const stored = await new Repositories(hub.platform.store).findApiKey(created.body.id);
    expect(JSON.stringify(stored)).not.toContain(key);

    expect((await api('GET', '/conversations?status=all', { token: key })).status).toBe(200);
    const write = await api('POST', '/conversations/any/status', { token: key, body: { status: 'resolved' } });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({ code: 'SB_ERR_FORBIDDEN', message: expect.stringContaining('conversations:write') });
    expect((await api('GET', '/agents', { token: key })).body.error.code).toBe('SB_ERR_FORBIDDEN');
    expect((await api('POST', '/api-keys', { token: key, body: { name: 'escalate', scopes: ['conversations:write'] } })).status).toBe(403);

    const listed = await api('GET', '/api-keys', { token: admin });
    const mine = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(key);

    expect((await api('DELETE', `/api-keys/${created.body.id}`, { token: admin })).body.revokedAt).not.toBeNull();
    expect((await api('GET', '/conversations', { token: key })).status).toBe(401);
  });

  it('the audit log is for admins only', async () => {
    const email = `plain-${uniqueName()}@example.test`;
    await api('POST', '/agents', { token: admin, body: { email, name: 'Plain', role: 'agent', password: 'plain agent pw' } });
    const token = (await login(email, 'plain agent pw')).body.accessToken;
    expect((await api('GET', '/audit', { token })).status).toBe(403);
    const page = await api('GET', '/audit?limit=2', { token: admin });
    expect(page.body.items).toHaveLength(2);
    const next = await api('GET', `/audit?limit=2&cursor=${page.body.nextCursor}`, { token: admin });
    expect(next.body.items[0].id < page.body.items[1].id).toBe(true);
  });
});
