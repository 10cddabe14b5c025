import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, tempDir } from '@switchboard/testkit';
import { invitationToken, smtpSink } from '../../inbox-service/test/mail-sink.js';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * The console's administration area against the real `npm start` server in Chromium, with mail
 * going over SMTP to a loopback sink: an admin invites an agent, the invitee opens the emailed
 * link in another browser, chooses a password and lands in the console; the admin makes a team
 * and a ticket field; an API key is shown once; an agent who is not an admin gets no admin link.
 */
describe('console: administration', () => {
  const data = tempDir('sb-e2e-admin');
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let hub: HubProcess;
  let browser: Browser;
  let admin: Page;
  let token = '';
  const api = restApi(() => hub.url, () => token);
  const tab = (id: string) => admin.getByTestId(`admin-tab-${id}`).click();

  beforeAll(async () => {
    smtp = await smtpSink();
    hub = await startHubProcess({ SMTP_URL: smtp.url }, data.dir);
    token = await apiToken(hub.url);
    browser = await launchChromium();
    admin = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(admin, hub.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await smtp?.close();
    data.remove();
  });

  it('an admin invites an agent by email; the invitee sets a password from the link and lands in the console', async () => {
    await admin.getByTestId('admin-link').click();
    await admin.getByTestId('invite-email').fill('ivy@example.test');
    await admin.getByTestId('invite-name').fill('Ivy Invitee');
    await admin.getByTestId('invite-submit').click();
    await admin.getByText('Invitation sent to ivy@example.test.').waitFor({ timeout: 10_000 });
    const row = admin.getByTestId('admin-agent').filter({ hasText: 'Ivy Invitee' });
    expect(await row.getByTestId('agent-state').textContent()).toBe('Invitation pending');

    const link = await eventually(() => invitationToken(smtp.mails, 'ivy@example.test'), 15_000, 'the invitation email');
    expect(smtp.mails.find((m) => m.to === 'ivy@example.test')?.text).toContain('/#/invite/');

    const invitee = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await invitee.goto(`${hub.url}/#/invite/${encodeURIComponent(link)}`);
    await invitee.getByTestId('invite-password').fill('ivy has a password');
    await invitee.getByTestId('invite-repeat').fill('ivy has a password');
    await invitee.getByTestId('invite-submit').click();
    await invitee.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    expect(await invitee.locator('.account-name').textContent()).toBe('Ivy Invitee');
    expect(await invitee.getByTestId('admin-link').count()).toBe(0);
    expect(new URL(invitee.url()).hash).toBe('');

    // The link works once.
    const again = await fetch(`${hub.url}/api/v1/auth/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link, password: 'a second password' }),
    });
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_INVITATION_INVALID');

    await admin.reload();
    await expect.poll(() => admin.getByTestId('admin-agent').filter({ hasText: 'Ivy Invitee' }).getByTestId('agent-state').textContent(), { timeout: 10_000 }).toBe('Active');
  });

  it('an admin makes a team with a member and their capacity, and a select ticket field', async () => {
    await tab('teams');
    await admin.getByTestId('team-new').click();
    await admin.getByTestId('team-name').fill('Billing');
    await admin.getByTestId('team-form').getByLabel('Ivy Invitee').check();
    await admin.getByLabel('Capacity of Ivy Invitee').fill('3');
    await admin.getByTestId('team-save').click();
    const team = admin.getByTestId('admin-team').filter({ hasText: 'Billing' });
    await team.waitFor({ timeout: 10_000 });
    expect(await team.textContent()).toContain('Ivy Invitee (3)');
    const teams = await api<{ items: { name: string; strategy: string; members: { capacity: number | null }[] }[] }>('GET', '/api/v1/teams');
    expect(teams.items.find((t) => t.name === 'Billing')).toMatchObject({ strategy: 'round_robin', members: [{ capacity: 3 }] });

    await tab('fields');
    await admin.getByTestId('field-label').fill('Contact reason');
    await admin.getByTestId('field-type').selectOption('select');
    await admin.getByTestId('field-options').fill('Refund\nDelivery\n');
    await admin.getByTestId('field-submit').click();
    await admin.getByTestId('admin-field').filter({ hasText: 'Contact reason' }).waitFor({ timeout: 10_000 });
    const fields = await api<{ items: { key: string; type: string; options?: string[] }[] }>('GET', '/api/v1/ticket-fields');
    expect(fields.items).toContainEqual({ id: expect.any(String), key: 'contact_reason', label: 'Contact reason', type: 'select', options: ['Refund', 'Delivery'] });
  });

  it('an API key is shown once, works, and is not shown again', async () => {
    await tab('api-keys');
    await admin.getByTestId('api-key-name').fill('Reporting');
    await admin.getByTestId('api-key-form').getByLabel('tickets:read').check();
    await admin.getByTestId('api-key-submit').click();
    const shown = admin.getByTestId('api-key-value');
    await shown.waitFor({ timeout: 10_000 });
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^sbk_/);
    expect((await fetch(`${hub.url}/api/v1/tickets`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);

    await admin.getByRole('button', { name: 'Done' }).click();
    expect(await shown.count()).toBe(0);
    await admin.reload();
    const listed = admin.getByTestId('admin-api-key').filter({ hasText: 'Reporting' });
    await listed.waitFor({ timeout: 10_000 });
    expect(await listed.textContent()).toContain(`…${key.slice(-4)}`);
    expect(await admin.content()).not.toContain(key);
  });

  it('an agent who is not an admin gets no admin link, and the area says so', async () => {
    await api('POST', '/api/v1/agents', { email: 'sam@example.test', name: 'Sam Agent', role: 'agent', password: 'sam the agent pw' });
    const sam = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(sam, hub.url, 'sam@example.test', 'sam the agent pw');
    expect(await sam.getByTestId('admin-link').count()).toBe(0);
    await sam.goto(`${hub.url}/#/admin`);
    await sam.getByTestId('admin-denied').waitFor({ timeout: 10_000 });
    expect(await sam.getByTestId('admin-denied').textContent()).toBe('Only admins can change these settings.');
    expect(await sam.getByTestId('invite-form').count()).toBe(0);
  });
});
