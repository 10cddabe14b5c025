import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import type { AgentView, ConversationView, MessageView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, openConversation, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * The reply box and the thread's items, against the real `npm start` server in Chromium: a
 * customer writes on the loopback channel (its "provider" is a tiny HTTP server here that can
 * refuse a delivery), the agent inserts a canned response with "/", sees another agent replying,
 * retries a reply the channel refused, and sees a customer's reply to an earlier message quoted.
 */
describe('console: composer and thread items', () => {
  const data = tempDir('sb-e2e-composer');
  const secret = 'loopback-e2e-secret-0123456789';
  let hub: HubProcess;
  let provider: Server;
  let providerUrl = '';
  /** Statuses the provider answers the next deliveries with, before 200 again. */
  const refuseNext: number[] = [];
  const delivered: { text: string; idempotencyKey: string }[] = [];
  let browser: Browser;
  let page: Page;
  let token = '';
  let me: AgentView;
  let accountId = '';
  let conv: ConversationView;
  let ana: Socket | null = null;

  const api = restApi(() => hub.url, () => token);
  const messages = async () => (await api<{ items: MessageView[] }>('GET', `/api/v1/conversations/${conv.id}/messages`)).items;
  /** The customer writes on the loopback channel (a signed webhook, as a provider would send it). */
  const customerSays = async (id: string, text: string, replyTo?: string) => {
    const raw = JSON.stringify({ id, chatId: 'chat-composer', from: { id: 'grace', name: 'Grace Hopper' }, text, ...(replyTo ? { replyTo } : {}) });
    const res = await fetch(`${hub.url}/webhooks/loopback/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-loopback-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
      body: raw,
    });
    expect(res.status).toBe(200);
  };
  const msg = (id: string) => page.locator(`[data-testid="message"][data-id="${id}"]`);

  beforeAll(async () => {
    provider = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = refuseNext.shift();
        if (status) return void res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"chat is muted"}');
        delivered.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string; idempotencyKey: string });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `lb-${delivered.length}` }));
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/deliver`;

    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    token = await apiToken(hub.url);
    me = await api<AgentView>('GET', '/api/v1/me');
    accountId = (await api<{ accountId: string }>('POST', '/api/v1/channels/loopback', { name: 'Loop', credentials: { secret }, settings: { deliverUrl: providerUrl } })).accountId;
    await api('POST', '/api/v1/canned-responses', { shortcut: 'thanks', title: 'Thanks for waiting', text: 'Hi {{contact.name}}, {{agent.name}} here. Your order {{order.id}} is on its way.' });
    await api('POST', '/api/v1/canned-responses', { shortcut: 'hours', title: 'Opening hours', text: 'We answer 9–17 on weekdays.' });

    await customerSays('m-1', 'Where is my parcel?');
    await customerSays('m-2', 'Any news on this?', 'm-1');
    conv = await eventually(async () => {
      const list = await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100');
      const found = list.items.find((c) => c.channel === 'loopback');
      return found && found.lastSeq >= 2 ? found : null;
    }, 15_000, 'the customer’s messages are stored');

    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signInToConsole(page, hub.url);
    await openConversation(page, conv.id);
  }, 120_000);

  afterAll(async () => {
    ana?.disconnect();
    await browser?.close();
    await hub?.stop();
    await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
    data.remove();
  });

  it('a customer’s reply shows a quote of the message it answers; a click marks the original', async () => {
    const [first, second] = await messages();
    expect(second!.replyTo).toBe(first!.id);
    const quote = msg(second!.id).getByTestId('reply-quote');
    await expect.poll(() => quote.getAttribute('data-state'), { timeout: 10_000 }).toBe('loaded');
    expect(await quote.textContent()).toContain('Grace Hopper');
    expect(await quote.textContent()).toContain('Where is my parcel?');
    await quote.click();
    await expect.poll(() => msg(first!.id).getAttribute('class')).toContain('msg-flash');
  });

  it('"/" opens the canned responses, typing filters them, Enter inserts the text with the placeholders filled', async () => {
    const composer = page.getByTestId('composer');
    await composer.click();
    await composer.pressSequentially('/');
    const options = page.getByTestId('canned-option');
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBe(2);
    await composer.pressSequentially('tha');
    await expect.poll(() => options.count()).toBe(1);
    expect(await options.first().getAttribute('data-shortcut')).toBe('thanks');
    await composer.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe(`Hi Grace Hopper, ${me.name} here. Your order {{order.id}} is on its way.`);
    expect(await page.getByTestId('canned-picker').count()).toBe(0);
    expect(await messages()).toHaveLength(2);
  });

  it('a reply the channel refuses shows why; Retry sends it once more and it turns sent, delivered once', async () => {
    refuseNext.push(400);
    const composer = page.getByTestId('composer');
    await composer.fill('Your parcel left the warehouse today.');
    await composer.press('Enter');
    const reply = await eventually(async () => (await messages()).find((m) => m.text === 'Your parcel left the warehouse today.'), 10_000, 'reply stored');
    await expect.poll(() => msg(reply.id).getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    expect(await msg(reply.id).locator('.msg-error').textContent()).toContain('400');
    await msg(reply.id).getByTestId('message-retry').click();
    await expect.poll(() => msg(reply.id).getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');
    expect(await msg(reply.id).getByTestId('message-retry').count()).toBe(0);
    expect(delivered.filter((d) => d.text === 'Your parcel left the warehouse today.')).toHaveLength(1);
  });

  it('the customer answering that reply shows it quoted, with the agent’s name', async () => {
    const providerId = `lb-${delivered.findIndex((d) => d.text === 'Your parcel left the warehouse today.') + 1}`;
    await customerSays('m-3', 'Great, thank you!', providerId);
    const answer = await eventually(async () => (await messages()).find((m) => m.text === 'Great, thank you!'), 10_000, 'answer stored');
    const quote = msg(answer.id).getByTestId('reply-quote');
    await expect.poll(() => quote.getAttribute('data-state'), { timeout: 10_000 }).toBe('loaded');
    expect(await quote.textContent()).toBe(`${me.name}Your parcel left the warehouse today.`);
  });

  it('an admin adds, edits and deletes canned responses in Administration; a taken shortcut is refused in words', async () => {
    await page.goto(`${hub.url}/#/admin/canned`);
    await page.getByTestId('canned-admin').waitFor({ timeout: 10_000 });
    const item = (shortcut: string) => page.locator(`[data-testid="canned-item"][data-shortcut="${shortcut}"]`);
    await item('thanks').waitFor();

    await page.getByTestId('canned-new').click();
    await page.getByTestId('canned-shortcut').fill('Bad Shortcut');
    await page.getByTestId('canned-title').fill('Goodbye');
    await page.getByTestId('canned-text').fill('Bye, {{contact.name}}!');
    await page.getByTestId('canned-save').click();
    expect(await page.getByTestId('canned-error').textContent()).toContain('lowercase letters');
    await page.getByTestId('canned-shortcut').fill('hours');
    await page.getByTestId('canned-save').click();
    await expect.poll(() => page.getByTestId('canned-error').textContent()).toBe('Another canned response already uses the shortcut "/hours".');
    await page.getByTestId('canned-shortcut').fill('/bye');
    await page.getByTestId('canned-save').click();
    await item('bye').waitFor();

    await item('bye').getByTestId('canned-edit').click();
    await page.getByTestId('canned-title').fill('Farewell');
    await page.getByTestId('canned-save').click();
    await expect.poll(() => item('bye').textContent()).toContain('Farewell');
    await item('bye').getByTestId('canned-delete').click();
    await item('bye').getByTestId('canned-delete-confirm').click();
    await expect.poll(() => item('bye').count()).toBe(0);
    const left = await api<{ items: { shortcut: string }[] }>('GET', '/api/v1/canned-responses');
    expect(left.items.map((c) => c.shortcut)).toEqual(['hours', 'thanks']);
    await page.goto(`${hub.url}/#/c/${conv.id}`);
    await page.getByTestId('composer').waitFor();
  });

  it('another agent typing in the conversation shows "… is replying"; it goes when their reply arrives', async () => {
    await api('POST', '/api/v1/agents', { email: 'ana@demo.switchboard.local', name: 'Ana Lima', role: 'agent', password: 'another-long-password' });
    const anaToken = await apiToken(hub.url, 'ana@demo.switchboard.local', 'another-long-password');
    ana = connect(`${hub.url}/agent`, { auth: { token: anaToken }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => (ana!.once('connect', () => resolve()), ana!.once('connect_error', reject)));
    expect(await ana.timeout(5000).emitWithAck('conversation:join', { conversationId: conv.id })).toMatchObject({ ok: true });
    ana.emit('typing', { conversationId: conv.id, typing: true });
    const notice = page.getByTestId('collision-notice');
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toBe('Ana Lima is replying — you might answer twice');

    const res = await fetch(`${hub.url}/api/v1/conversations/${conv.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${anaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'I am on it, Grace.', idempotencyKey: `ana-${Date.now()}` }),
    });
    expect(res.status).toBe(201);
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(0);
  });
});
