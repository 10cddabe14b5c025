import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { hashPassword } from '@switchboard/auth';
import { newId, WIDGET_QUEUE_STUB, type WebInboxView } from '@switchboard/contracts';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, connected, emitAck, injectApi, seedTenant, startInstance, widgetSocket, type Instance, type SeededTenant } from './harness.js';

const PUBLIC_URL = 'https://support.example';

/** Website inboxes as a site owner manages them, and the widget handshake they govern. */
describe('website inboxes', () => {
  let hub: Instance;
  let repos: Repositories;
  let t: SeededTenant;
  let admin = '';
  let agent = '';
  const sockets: Socket[] = [];

  const api = (method: string, url: string, body?: unknown, token = admin) => injectApi(hub.app, method, url, body, token);
  const visitor = (token: string, origin?: string) => {
    const s = widgetSocket(hub.url, token, undefined, origin);
    sockets.push(s);
    return s;
  };
  /** The handshake's outcome: 'connected' or the refusal's code. */
  const handshake = async (token: string, origin?: string) => {
    const s = visitor(token, origin);
    try {
      await connected(s);
      return 'connected';
    } catch (err) {
      return (err as Error).message;
    } finally {
      s.disconnect();
    }
  };
  const create = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/web-inboxes', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as WebInboxView;
  };

  beforeAll(async () => {
    hub = await startInstance({ PUBLIC_URL });
    repos = new Repositories(hub.platform.store);
    t = await seedTenant(repos, 'web');
    admin = await agentToken(hub, t);
    const agentId = newId();
    await repos.forTenant(t.tenantId).agents.insertOne({
      _id: agentId,
      email: `agent-${agentId.slice(-6)}@example.test`,
      name: 'Plain agent',
      role: 'agent',
      passwordHash: await hashPassword('a long password'),
      createdAt: new Date(),
    });
    agent = await hub.platform.tokens.signAccess({ agentId, tenantId: t.tenantId, role: 'agent', name: 'Plain agent' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await hub.close();
  });

  it('an admin creates one: a fresh unguessable token and a snippet that carries it', async () => {
    const inbox = await create({ name: '  Shop  ' });
    expect(inbox).toMatchObject({ name: 'Shop', allowedOrigins: [] });
    expect(inbox.widgetToken).toMatch(/^wt_[A-Za-z0-9_-]{32}$/);
    expect(inbox.snippet).toBe(`<script>${WIDGET_QUEUE_STUB}</script>\n<script src="${PUBLIC_URL}/widget.js" data-inbox-token="${inbox.widgetToken}" async></script>`);
    expect(inbox).toMatchObject({ preChatForm: [], businessHours: null, offlineMessage: '', identityVerification: false });
    expect(inbox.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(inbox.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const other = await create({ name: 'Shop' });
    expect(other.widgetToken).not.toBe(inbox.widgetToken);
    const stored = await repos.forTenant(t.tenantId).inboxes.findById(inbox.id);
    expect(stored).toMatchObject({ channel: 'web', channelAccountId: inbox.id, widgetToken: inbox.widgetToken });
  });

  it('lists only the team’s website inboxes', async () => {
    const inbox = await create({ name: 'Listed' });
    const other = await seedTenant(repos, 'other');
    const res = await api('GET', '/web-inboxes');
    expect(res.status).toBe(200);
    const items = res.body.items as WebInboxView[];
    expect(items.map((i) => i.id)).toContain(inbox.id);
    expect(items.map((i) => i.id)).toContain(t.inboxId);
    expect(items.map((i) => i.id)).not.toContain(other.inboxId);
    // The seeded Telegram inbox is not a website inbox.
    expect(items.every((i) => i.snippet.includes('data-inbox-token'))).toBe(true);
    expect(items).toHaveLength((await repos.forTenant(t.tenantId).inboxes.countDocuments({ channel: 'web' })));
  });

  it('renames and sets origins, normalized and without repeats; a path is refused', async () => {
    const inbox = await create({ name: 'Before' });
    const renamed = await api('PATCH', `/web-inboxes/${inbox.id}`, { name: 'After' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: inbox.id, name: 'After', widgetToken: inbox.widgetToken, allowedOrigins: [] });

    const origins = await api('PATCH', `/web-inboxes/${inbox.id}`, {
      allowedOrigins: ['https://Shop.Example', 'https://shop.example/', 'https://shop.example:443', 'http://localhost:8080'],
    });
    expect(origins.status, JSON.stringify(origins.body)).toBe(200);
    expect(origins.body.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:8080']);
    expect(origins.body.name).toBe('After');

    for (const bad of ['https://x/path', 'ftp://shop.example', 'shop.example', 'https://shop.example?q=1']) {
      const res = await api('PATCH', `/web-inboxes/${inbox.id}`, { allowedOrigins: [bad] });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('SB_ERR_VALIDATION');
    }
    expect((await api('POST', '/web-inboxes', { name: 'Bad', allowedOrigins: ['https://x/path'] })).status).toBe(400);
    expect((await api('PATCH', `/web-inboxes/${inbox.id}`, { name: '   ' })).status).toBe(400);
    const stored = await repos.forTenant(t.tenantId).inboxes.findById(inbox.id);
    expect(stored?.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:8080']);
  });

  it('is for admins: an agent gets 403 on every route', async () => {
    const inbox = await create({ name: 'Admins only' });
    for (const [method, url, body] of [
      ['GET', '/web-inboxes', undefined],
      ['POST', '/web-inboxes', { name: 'By agent' }],
      ['PATCH', `/web-inboxes/${inbox.id}`, { name: 'By agent' }],
      ['POST', `/web-inboxes/${inbox.id}/rotate-token`, undefined],
      ['POST', `/web-inboxes/${inbox.id}/rotate-secret`, undefined],
    ] as const) {
      const res = await api(method, url, body, agent);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.code).toBe('SB_ERR_FORBIDDEN');
    }
    expect((await repos.forTenant(t.tenantId).inboxes.findById(inbox.id))?.name).toBe('Admins only');
  });

  it('an unknown id, another team’s inbox or a non-website inbox is 404', async () => {
    const other = await seedTenant(repos, 'foreign');
    const telegram = await repos.forTenant(t.tenantId).inboxes.findOne({ channel: 'telegram' });
    for (const id of ['no-such-inbox', other.inboxId, telegram!._id]) {
      const patch = await api('PATCH', `/web-inboxes/${id}`, { name: 'Taken' });
      expect(patch.status, id).toBe(404);
      expect(patch.body.error.code).toBe('SB_ERR_NOT_FOUND');
      expect((await api('POST', `/web-inboxes/${id}/rotate-token`)).status, id).toBe(404);
    }
    expect((await repos.forTenant(other.tenantId).inboxes.findById(other.inboxId))).toMatchObject({ name: 'Website', widgetToken: other.widgetToken });
  });

  it('with origins, the widget connects only from those pages', async () => {
    const inbox = await create({ name: 'Restricted', allowedOrigins: ['https://shop.example'] });
    expect(await handshake(inbox.widgetToken, 'https://evil.example')).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');
    expect(await handshake(inbox.widgetToken, 'https://shop.example.evil.example')).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');
    expect(await handshake(inbox.widgetToken)).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');

    const s = visitor(inbox.widgetToken, 'https://shop.example');
    await connected(s);
    const sent = await emitAck<{ ok: boolean }>(s, 'message:send', { clientId: `c-${newId()}`, text: 'Hello from the shop' });
    expect(sent).toEqual({ ok: true, data: { clientId: expect.any(String) } });
    await eventually(
      async () => (await repos.forTenant(t.tenantId).conversations.findOne({ inboxId: inbox.id }))?.lastMessage?.text === 'Hello from the shop',
      10_000,
      'the visitor message is stored in the restricted inbox',
    );
    // The browser's serialization of the same origin (default port, upper case) still matches.
    expect(await handshake(inbox.widgetToken, 'https://SHOP.example:443')).toBe('connected');
  });

  it('without origins, any page may use the widget', async () => {
    const inbox = await create({ name: 'Open' });
    expect(await handshake(inbox.widgetToken, 'https://anywhere.example')).toBe('connected');
    expect(await handshake(inbox.widgetToken)).toBe('connected');
    // Clearing the list opens a restricted inbox again.
    await api('PATCH', `/web-inboxes/${inbox.id}`, { allowedOrigins: ['https://shop.example'] });
    expect(await handshake(inbox.widgetToken, 'https://anywhere.example')).toBe('SB_ERR_ORIGIN_NOT_ALLOWED');
    await api('PATCH', `/web-inboxes/${inbox.id}`, { allowedOrigins: [] });
    expect(await handshake(inbox.widgetToken, 'https://anywhere.example')).toBe('connected');
  });

  it('rotating the token stops the old one at once; the new one works', async () => {
    const inbox = await create({ name: 'Rotated', allowedOrigins: ['https://shop.example'] });
    const res = await api('POST', `/web-inboxes/${inbox.id}/rotate-token`);
    expect(res.status).toBe(200);
    const rotated = res.body as WebInboxView;
    expect(rotated.widgetToken).toMatch(/^wt_/);
    expect(rotated.widgetToken).not.toBe(inbox.widgetToken);
    expect(rotated.snippet).toContain(`data-inbox-token="${rotated.widgetToken}"`);
    expect(rotated).toMatchObject({ id: inbox.id, name: 'Rotated', allowedOrigins: ['https://shop.example'] });
    expect(await handshake(inbox.widgetToken, 'https://shop.example')).toBe('SB_ERR_UNKNOWN_INBOX');
    expect(await handshake(rotated.widgetToken, 'https://shop.example')).toBe('connected');
    const audit = await repos.forTenant(t.tenantId).audit.find({ type: 'inbox.token.rotated' });
    expect(audit.map((a) => a.details?.target)).toContain(inbox.id);
  });

  it('stores the pre-chat form, business hours, offline message and identity verification', async () => {
    const inbox = await create({
      name: 'Configured',
      preChatForm: [{ key: 'email', label: 'Your email', type: 'email', required: true }],
      businessHours: { timezone: 'Europe/Berlin', intervals: [{ day: 1, from: '09:00', to: '17:30' }] },
    });
    expect(inbox.preChatForm).toEqual([{ key: 'email', label: 'Your email', type: 'email', required: true }]);
    expect(inbox.businessHours).toEqual({ timezone: 'Europe/Berlin', intervals: [{ day: 1, from: '09:00', to: '17:30' }] });
    const changed = await api('PATCH', `/web-inboxes/${inbox.id}`, {
      preChatForm: [
        { key: 'name', label: 'Name', type: 'text', required: true },
        { key: 'order_number', label: 'Order number', type: 'text', required: false },
      ],
      businessHours: { timezone: 'America/New_York', intervals: [{ day: 5, from: '08:00', to: '24:00' }] },
      offlineMessage: '  We answer on weekdays.  ',
      identityVerification: true,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Configured',
      preChatForm: [{ key: 'name' }, { key: 'order_number', required: false }],
      businessHours: { timezone: 'America/New_York', intervals: [{ day: 5, from: '08:00', to: '24:00' }] },
      offlineMessage: 'We answer on weekdays.',
      identityVerification: true,
      identitySecret: inbox.identitySecret,
    });
    const always = await api('PATCH', `/web-inboxes/${inbox.id}`, { businessHours: null });
    expect(always.body.businessHours).toBeNull();
    const audit = await repos.forTenant(t.tenantId).audit.find({ type: 'inbox.updated' });
    expect(audit.some((a) => a.details?.target === inbox.id && (a.details.fields as string[]).includes('identityVerification'))).toBe(true);
  });

  it('refuses settings that cannot work, with a sentence, and stores nothing', async () => {
    const inbox = await create({ name: 'Strict', businessHours: { timezone: 'UTC', intervals: [{ day: 2, from: '10:00', to: '12:00' }] } });
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ businessHours: { timezone: 'Mars/Olympus_Mons', intervals: [] } }, /Mars\/Olympus_Mons" is not a time zone/],
      [{ businessHours: { timezone: 'UTC', intervals: [{ day: 1, from: '17:00', to: '09:00' }] } }, /ends \(09:00\) before it starts \(17:00\)/],
      [{ businessHours: { timezone: 'UTC', intervals: [{ day: 1, from: '09:00', to: '09:00' }] } }, /ends/],
      [{ businessHours: { timezone: 'UTC', intervals: [{ day: 7, from: '09:00', to: '10:00' }] } }, /./],
      [{ businessHours: { timezone: 'UTC', intervals: [{ day: 1, from: '9:00', to: '10:00' }] } }, /./],
      [{ preChatForm: [{ key: 'Email', label: 'Email', type: 'email', required: true }] }, /./],
      [{ preChatForm: [{ key: 'email', label: 'Email', type: 'url', required: true }] }, /./],
      [
        {
          preChatForm: [
            { key: 'email', label: 'Email', type: 'email', required: true },
            { key: 'email', label: 'Email again', type: 'email', required: false },
          ],
        },
        /asks for "email" twice/,
      ],
      [{ offlineMessage: 'x'.repeat(501) }, /./],
      [{ identitySecret: 'mine' }, /./],
    ];
    for (const [body, sentence] of refusals) {
      const res = await api('PATCH', `/web-inboxes/${inbox.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('SB_ERR_VALIDATION');
      expect(res.body.error.message).toMatch(sentence);
    }
    expect((await api('POST', '/web-inboxes', { name: 'Bad zone', businessHours: { timezone: 'Nowhere/City', intervals: [] } })).status).toBe(400);
    const stored = await repos.forTenant(t.tenantId).inboxes.findById(inbox.id);
    expect(stored).toMatchObject({ businessHours: { timezone: 'UTC', intervals: [{ day: 2, from: '10:00', to: '12:00' }] } });
    expect(stored?.preChatForm).toBeUndefined();
    expect(await repos.forTenant(t.tenantId).inboxes.countDocuments({ name: 'Bad zone' })).toBe(0);
  });

  it('gives an inbox made before identity verification a secret the first time an admin sees it', async () => {
    const legacy = await seedTenant(repos, 'legacy');
    const token = await agentToken(hub, legacy);
    expect((await repos.forTenant(legacy.tenantId).inboxes.findById(legacy.inboxId))?.identitySecret).toBeUndefined();
    const listed = (await api('GET', '/web-inboxes', undefined, token)).body.items as WebInboxView[];
    const secret = listed.find((i) => i.id === legacy.inboxId)?.identitySecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const again = (await api('GET', '/web-inboxes', undefined, token)).body.items as WebInboxView[];
    expect(again.find((i) => i.id === legacy.inboxId)?.identitySecret).toBe(secret);
    expect((await repos.forTenant(legacy.tenantId).inboxes.findById(legacy.inboxId))?.identitySecret).toBe(secret);
  });

  it('rotating the identity secret gives a new one and records who did it', async () => {
    const inbox = await create({ name: 'Secret', identityVerification: true });
    const res = await api('POST', `/web-inboxes/${inbox.id}/rotate-secret`);
    expect(res.status).toBe(200);
    const rotated = res.body as WebInboxView;
    expect(rotated.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.identitySecret).not.toBe(inbox.identitySecret);
    expect(rotated).toMatchObject({ id: inbox.id, widgetToken: inbox.widgetToken, identityVerification: true });
    const audit = await repos.forTenant(t.tenantId).audit.find({ type: 'inbox.secret.rotated' });
    expect(audit.find((a) => a.details?.target === inbox.id)?.agentId).toBe(t.agentId);
    expect((await api('POST', '/web-inboxes/no-such-inbox/rotate-secret')).status).toBe(404);
  });
});
