import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';
import { invitationToken, smtpSink } from './mail-sink.js';

describe('inviting agents by email (loopback SMTP)', () => {
  let hub: Instance;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let t: SeededTenant;
  let admin = '';

  const api = async (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => {
    const res = await hub.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    });
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  };
  const login = (email: string, password: string) => api('POST', '/auth/login', { body: { email, password } });
  const invite = (email: string, extra: Record<string, unknown> = {}) => api('POST', '/agents/invitations', { token: admin, body: { email, name: 'Ivy New', role: 'agent', ...extra } });
  const tokenFor = (email: string, nth = 1) => eventually(() => (smtp.mails.filter((m) => m.to === email).length >= nth ? invitationToken(smtp.mails, email) : null));

  beforeAll(async () => {
    smtp = await smtpSink();
    hub = await startInstance({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://support.example.test' });
    t = await seedTenant(new Repositories(hub.platform.store), 'inv');
    admin = (await login(t.email, t.password)).body.accessToken;
  });
  afterAll(async () => {
    await hub.close();
    await smtp.close();
  });

  it('an invited agent gets a link, cannot sign in before accepting, and is signed in by accepting', async () => {
    const email = `ivy-${uniqueName()}@example.test`;
    const created = await invite(email, { inboxIds: [t.inboxId] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'agent', inboxIds: [t.inboxId], invitationPending: true, invitationSent: true });

    const token = await tokenFor(email);
    expect(smtp.mails.find((m) => m.to === email)?.text).toContain(`https://support.example.test/#/invite/`);
    const stored = await new Repositories(hub.platform.store).forTenant(t.tenantId).invitations.find({});
    expect(JSON.stringify(stored)).not.toContain(token);

    const listed = await api('GET', '/agents', { token: admin });
    expect(listed.body.items.find((a: { email: string }) => a.email === email)).toMatchObject({ invitationPending: true, active: true });
    expect((await login(email, '')).status).toBe(400);
    expect((await login(email, 'any password at all')).body.error.code).toBe('SB_ERR_BAD_CREDENTIALS');

    const accepted = await api('POST', '/auth/invitations/accept', { body: { token, password: 'my own password' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.agent).toMatchObject({ email, role: 'agent' });
    expect((await api('GET', '/me', { token: accepted.body.accessToken })).body.email).toBe(email);
    expect((await login(email, 'my own password')).status).toBe(200);
    expect((await api('GET', '/agents', { token: admin })).body.items.find((a: { email: string }) => a.email === email).invitationPending).toBe(false);

    const again = await api('POST', '/auth/invitations/accept', { body: { token, password: 'someone else pw' } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('SB_ERR_INVITATION_INVALID');
    expect((await api('POST', `/agents/${created.body.id}/invitation`, { token: admin })).body.error.code).toBe('SB_ERR_INVITATION_NOT_PENDING');

    const audit = await api('GET', '/audit?limit=50', { token: admin });
    const types = audit.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['agent.invited', 'invitation.accepted']));
  });

  it('re-inviting sends a fresh link and the old one stops working', async () => {
    const email = `resend-${uniqueName()}@example.test`;
    const created = await invite(email);
    const first = await tokenFor(email, 1);
    const resent = await api('POST', `/agents/${created.body.id}/invitation`, { token: admin });
    expect(resent.status).toBe(200);
    expect(resent.body.invitationSent).toBe(true);
    const second = await tokenFor(email, 2);
    expect(second).not.toBe(first);

    expect((await api('POST', '/auth/invitations/accept', { body: { token: first, password: 'old link password' } })).body.error.code).toBe('SB_ERR_INVITATION_INVALID');
    expect((await api('POST', '/auth/invitations/accept', { body: { token: second, password: 'new link password' } })).status).toBe(200);
  });

  it('an expired or unknown link is refused with a code', async () => {
    const email = `late-${uniqueName()}@example.test`;
    const created = await invite(email);
    const token = await tokenFor(email);
    await new Repositories(hub.platform.store)
      .forTenant(t.tenantId)
      .invitations.updateMany({ agentId: created.body.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await api('POST', '/auth/invitations/accept', { body: { token, password: 'too late password' } });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('SB_ERR_INVITATION_EXPIRED');

    const unknown = await api('POST', '/auth/invitations/accept', { body: { token: 'not-a-real-invitation-token', password: 'some password ok' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('SB_ERR_INVITATION_INVALID');
  });

  it('only admins invite, and an email in use is refused', async () => {
    const email = `sup-${uniqueName()}@example.test`;
    await api('POST', '/agents', { token: admin, body: { email, name: 'Sue', role: 'supervisor', password: 'supervisor password' } });
    const supervisor = (await login(email, 'supervisor password')).body.accessToken;
    expect((await api('POST', '/agents/invitations', { token: supervisor, body: { email: `x-${uniqueName()}@example.test`, name: 'X', role: 'agent' } })).status).toBe(403);
    expect((await invite(email)).body.error.code).toBe('SB_ERR_EMAIL_TAKEN');
  });
});
