import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

interface Rule {
  id: string;
  name: string;
  trigger: unknown;
  conditions: unknown[];
  actions: unknown[];
  stats: { runs: number };
}

/**
 * Automation rules and macros in the console against the real `npm start` server in Chromium: the
 * admin builds a rule "a customer message containing 'refund' → tag it and assign it to me", a
 * visitor asks for a refund and the conversation is tagged and assigned, the rule shows that it
 * ran once, and a dry run on that conversation shows it matching. Then the admin makes a macro
 * "Resolve with thanks" and an agent runs it from the conversation's header.
 */
describe('console: automation rules and macros', () => {
  const data = tempDir('sb-e2e-automation');
  let hub: HubProcess;
  let browser: Browser;
  let admin: Page;
  let token = '';
  let adminId = '';
  let conversationId = '';
  const api = restApi(() => hub.url, () => token);
  const tab = async (id: string) => {
    await admin.goto(`${hub.url}/#/admin/${id}`);
    await admin.getByTestId(`admin-tab-${id}`).waitFor({ timeout: 15_000 });
  };

  beforeAll(async () => {
    hub = await startHubProcess({}, data.dir);
    token = await apiToken(hub.url);
    adminId = (await api<{ id: string }>('GET', '/api/v1/me')).id;
    await api('POST', '/api/v1/agents', { email: 'sam@demo.switchboard.local', name: 'Sam Second', role: 'agent', password: 'sam-second-secret-1' });
    browser = await launchChromium();
    admin = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(admin, hub.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('an admin builds a rule in the console: message received + text contains "refund" → add tag refund, assign to me', async () => {
    await tab('rules');
    await admin.getByTestId('rule-new').click();
    const form = admin.getByTestId('rule-form');
    // Saving without a name is refused at the name field, before anything is sent.
    await form.getByTestId('rule-save').click();
    await form.locator('[data-testid="field-error"][data-path="/name"]').waitFor({ timeout: 5000 });

    await form.getByTestId('rule-name').fill('Refunds');
    expect(await form.getByTestId('trigger-kind').inputValue()).toBe('message_received');
    await form.getByTestId('condition-add').click();
    await form.getByTestId('condition-kind').selectOption('text');
    await form.getByTestId('condition-op').selectOption('contains');
    await form.getByTestId('condition-value').fill('refund');
    const actions = form.getByTestId('action-row');
    await actions.nth(0).getByTestId('action-type').selectOption('add_tags');
    await actions.nth(0).getByTestId('action-tags').fill('refund');
    await form.getByTestId('action-add').click();
    await actions.nth(1).getByTestId('action-type').selectOption('assign_agent');
    await actions.nth(1).getByTestId('action-agent').selectOption({ label: 'Demo Admin' });
    await form.getByTestId('rule-save').click();

    const item = admin.getByTestId('admin-rule').filter({ hasText: 'Refunds' });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.getByTestId('rule-stats').textContent()).toContain('Never ran');
    const { items } = await api<{ items: Rule[] }>('GET', '/api/v1/automation/rules');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Refunds',
      enabled: true,
      trigger: { kind: 'message_received' },
      match: 'all',
      conditions: [{ kind: 'text', op: 'contains', value: 'refund' }],
      actions: [
        { type: 'add_tags', tags: ['refund'] },
        { type: 'assign_agent', agentId: adminId },
      ],
    });
  });

  it('a visitor asking for a refund gets the tag and the assignee; the rule shows it ran once', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    await visitor.locator('[data-sb="composer"]').fill('I want a refund');
    await visitor.locator('[data-sb="send"]').click();
    await visitor.locator('[data-sb="message"]', { hasText: 'I want a refund' }).waitFor({ timeout: 10_000 });

    await expect
      .poll(async () => {
        const list = await api<{ items: { id: string; lastMessage?: { text?: string } }[] }>('GET', '/api/v1/conversations?status=all');
        conversationId = list.items.find((c) => c.lastMessage?.text === 'I want a refund')?.id ?? '';
        return conversationId;
      }, { timeout: 15_000 })
      .not.toBe('');
    await expect
      .poll(async () => {
        const conv = await api<{ assigneeId: string | null }>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}`);
        const tickets = await api<{ items: { tags: string[]; assigneeId: string | null }[] }>('GET', `/api/v1/tickets?conversationId=${encodeURIComponent(conversationId)}`);
        return { assignee: conv.assigneeId, tags: tickets.items[0]?.tags ?? [], ticketAssignee: tickets.items[0]?.assigneeId };
      }, { timeout: 20_000 })
      .toEqual({ assignee: adminId, tags: ['refund'], ticketAssignee: adminId });
    await visitor.context().close();

    await expect.poll(async () => (await api<{ items: Rule[] }>('GET', '/api/v1/automation/rules')).items[0]?.stats.runs, { timeout: 10_000 }).toBe(1);
    await admin.reload();
    const stats = admin.getByTestId('admin-rule').filter({ hasText: 'Refunds' }).getByTestId('rule-stats');
    await stats.waitFor({ timeout: 15_000 });
    expect(await stats.getAttribute('data-runs')).toBe('1');
    expect(await stats.textContent()).toMatch(/Ran once, last (just now|\d+ min ago)/);
  });

  it('a dry run on that conversation shows the rule matching, with its planned actions, and changes nothing', async () => {
    await admin.getByTestId('dry-run-query').fill(conversationId);
    await admin.getByTestId('dry-run-submit').click();
    const result = admin.getByTestId('dry-run-result').filter({ hasText: 'Refunds' });
    await result.waitFor({ timeout: 10_000 });
    expect(await result.getAttribute('data-matched')).toBe('true');
    const text = await result.textContent();
    expect(text).toContain('The rule matches.');
    expect(text).toContain('the message contains “refund”: yes');
    expect(text).toContain('assign to Demo Admin');
    expect((await api<{ items: Rule[] }>('GET', '/api/v1/automation/rules')).items[0]?.stats.runs).toBe(1);
  });

  it('the admin makes the macro "Resolve with thanks"; an agent runs it from the header: the reply is in the thread and the conversation is resolved', { timeout: 90_000 }, async () => {
    await tab('macros');
    await admin.getByTestId('macro-new').click();
    const form = admin.getByTestId('macro-form');
    await form.getByTestId('macro-name').fill('Resolve with thanks');
    const actions = form.getByTestId('action-row');
    await actions.nth(0).getByTestId('action-type').selectOption('auto_reply');
    await actions.nth(0).getByTestId('action-text').fill('Thanks for writing! Your refund is on its way.');
    await form.getByTestId('action-add').click();
    await actions.nth(1).getByTestId('action-type').selectOption('close');
    await form.getByTestId('macro-save').click();
    await admin.getByTestId('admin-macro').filter({ hasText: 'Resolve with thanks' }).waitFor({ timeout: 10_000 });

    const agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(agent, hub.url, 'sam@demo.switchboard.local', 'sam-second-secret-1');
    await agent.goto(`${hub.url}/#/c/${encodeURIComponent(conversationId)}`);
    await agent.reload(); // opens the conversation the address names
    await agent.getByTestId('macros').click();
    await agent.getByTestId('macro-menu').getByRole('menuitem', { name: 'Resolve with thanks' }).click();
    await agent.locator('.toast', { hasText: '“Resolve with thanks” ran: 2 actions done.' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => agent.getByTestId('conversation-status').getAttribute('class'), { timeout: 10_000 }).toContain('status-resolved');
    await agent.getByText('Thanks for writing! Your refund is on its way.').first().waitFor({ timeout: 10_000 });

    expect(await api<{ status: string }>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}`)).toMatchObject({ status: 'resolved' });
    const messages = await api<{ items: { direction: string; text?: string; author: { name?: string } }[] }>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`);
    expect(messages.items.filter((m) => m.direction === 'out').map((m) => [m.text, m.author.name])).toContainEqual(['Thanks for writing! Your refund is on its way.', 'Sam Second']);
  });
});
