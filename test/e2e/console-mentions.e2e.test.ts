import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AgentView, ConversationView, MentionList, TicketView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi, signInToConsole } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

interface Recorded {
  title: string;
  body?: string;
  tag?: string;
}
declare global {
  interface Window {
    __notes: (Recorded & { instance: Notification })[];
  }
}

/**
 * @mentions and the contact card, against the real `npm start` server in Chromium. The demo admin
 * (Ada's seat) writes a note mentioning Bea; Bea's console, with notifications allowed and its
 * `Notification` recorded (as in console-notify), is told. Three website visitors become three
 * contacts of the built-in directory; merging them joins their conversations on the card.
 */
describe('console: @mentions in notes and the contact card', () => {
  const data = tempDir('sb-e2e-mentions');
  const bea = { email: 'bea@demo.switchboard.local', password: 'bea-long-password', name: 'Bea Brown' };
  let hub: HubProcess;
  let browser: Browser;
  let ada: Page;
  let beaPage: Page;
  let token = '';
  let beaToken = '';
  let me: AgentView;
  const convs: ConversationView[] = [];
  const contactOf: string[] = [];

  const api = restApi(() => hub.url, () => token);
  const asBea = restApi(() => hub.url, () => beaToken);
  const conversationWith = async (text: string) =>
    (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=100')).items.find((c) => c.lastMessage?.text === text);
  const linkedContact = (id: string) =>
    eventually(async () => (await api<ConversationView>('GET', `/api/v1/conversations/${id}`)).crmContactId, 20_000, `conversation ${id} linked to a CRM contact`);

  const visit = async (text: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(hub.url + '/demo');
    await page.locator('[data-sb="launcher"]').click();
    await page.locator('[data-sb="composer"]').fill(text);
    await page.locator('[data-sb="send"]').click();
    await eventually(async () => !!(await conversationWith(text)), 15_000, `“${text}” reaches the team`);
    await page.context().close();
    return (await conversationWith(text))!;
  };
  const notes = () => beaPage.evaluate(() => window.__notes.map(({ title, body, tag }) => ({ title, body, tag })));
  const openIn = async (page: Page, id: string) => {
    await page.evaluate((hash) => (location.hash = hash), `#/c/${encodeURIComponent(id)}`);
    await page.getByTestId('ticket-number').waitFor({ timeout: 15_000 });
  };
  const cardConversations = (page: Page) => page.getByTestId('contact-conversation').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());

  beforeAll(async () => {
    const port = await freePort();
    hub = await startHubProcess({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, data.dir);
    token = await apiToken(hub.url);
    me = await api<AgentView>('GET', '/api/v1/me');
    await api('POST', '/api/v1/agents', { email: bea.email, name: bea.name, role: 'agent', password: bea.password });
    beaToken = await apiToken(hub.url, bea.email, bea.password);
    await api('PATCH', '/api/v1/ticket-settings', { crm: { kind: 'builtin' } });
    browser = await launchChromium();
    ada = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const beaContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['notifications'] });
    await beaContext.addInitScript(() => {
      window.__notes = [];
      const Real = window.Notification;
      class RecordedNotification extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          window.__notes.push({ title, body: options?.body, tag: options?.tag, instance: this });
        }
      }
      Object.defineProperty(RecordedNotification, 'permission', { get: () => Real.permission });
      window.Notification = RecordedNotification;
    });
    beaPage = await beaContext.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    data.remove();
  });

  it('three website visitors write; each becomes a contact of the directory', async () => {
    for (const text of ['My blender makes a noise', 'Is the blender covered by warranty?', 'Where do I send the blender?']) {
      const conv = await visit(`${text} ${Date.now()}`);
      convs.push(conv);
      contactOf.push(await linkedContact(conv.id));
    }
    expect(new Set(contactOf).size).toBe(3);
  }, 90_000);

  it('Ada types “@Be” in a note, picks Bea with Enter, and adds the note', async () => {
    await signInToConsole(beaPage, hub.url, bea.email, bea.password);
    await signInToConsole(ada, hub.url);
    await openIn(ada, convs[0]!.id);
    const box = ada.getByTestId('ticket-note-input');
    await box.click();
    await box.pressSequentially('Could you call her back, @Be');
    const option = ada.getByTestId('mention-option');
    await expect.poll(() => option.allTextContents()).toEqual([bea.name]);
    expect(await box.getAttribute('aria-activedescendant')).toMatch(/^note-mention-/);
    await box.press('Enter');
    await box.pressSequentially('please?');
    expect(await box.inputValue()).toBe(`Could you call her back, @${bea.name} please?`);
    expect(await ada.getByTestId('mention-options').isHidden()).toBe(true);
    await ada.getByTestId('ticket-note-add').click();
    await ada.getByTestId('ticket-note').filter({ hasText: `@${bea.name} please?` }).waitFor({ timeout: 10_000 });
    // The note may arrive live (ticket:note) before the POST answers and the box empties.
    await expect.poll(() => box.inputValue()).toBe('');
  });

  it('Bea, looking at no conversation, gets a desktop notification; the conversation is under her Mentions view', async () => {
    await expect.poll(notes, { timeout: 10_000 }).toHaveLength(1);
    expect(await notes()).toEqual([{ title: `${me.name} mentioned you in a note`, body: `Could you call her back, @${bea.name} please?`, tag: convs[0]!.id }]);
    const mine = await asBea<MentionList>('GET', '/api/v1/mentions');
    expect(mine.unread).toBe(1);
    expect(mine.items.map((m) => [m.conversationId, m.byName, m.readAt])).toEqual([[convs[0]!.id, me.name, null]]);
    await beaPage.locator('[data-testid="view"][data-view="mentions"]').click();
    await beaPage.locator(`[data-testid="conversation-item"][data-id="${convs[0]!.id}"]`).waitFor({ timeout: 10_000 });
  });

  it('clicking the notification opens the conversation and marks the mention read; a later note reaches her live', async () => {
    await beaPage.evaluate(() => window.__notes[0]!.instance.onclick?.(new Event('click')));
    await expect.poll(() => beaPage.evaluate(() => location.hash)).toBe(`#/c/${convs[0]!.id}`);
    await beaPage.getByTestId('ticket-number').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await asBea<MentionList>('GET', '/api/v1/mentions')).unread, { timeout: 10_000 }).toBe(0);

    const text = `Refund approved, no need to call ${Date.now()}`;
    const ticket = (await api<{ items: TicketView[] }>('GET', `/api/v1/tickets?conversationId=${convs[0]!.id}`)).items[0]!;
    await api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text });
    await beaPage.getByTestId('ticket-note').filter({ hasText: text }).waitFor({ timeout: 10_000 });
    expect(await notes()).toHaveLength(1);
  });

  it('the contact card shows the person’s other conversation once their contacts are one', async () => {
    await api('POST', `/api/v1/directory/contacts/${contactOf[0]}/merge`, { from: contactOf[1] });
    await eventually(async () => (await api<ConversationView>('GET', `/api/v1/conversations/${convs[1]!.id}`)).crmContactId === contactOf[0], 10_000, 'the second conversation follows the merge');
    // Through another conversation and back: the card of the first is fetched afresh.
    await openIn(ada, convs[2]!.id);
    await openIn(ada, convs[0]!.id);
    const card = ada.getByTestId('contact-card');
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => cardConversations(ada), { timeout: 10_000 }).toEqual([convs[1]!.id]);
    expect(await card.getByTestId('contact-conversation').textContent()).toContain('Is the blender covered by warranty?');
  });

  it('merging with the third visitor’s contact from the card lists the conversations of both; clicking one opens it', async () => {
    await api('PATCH', `/api/v1/directory/contacts/${contactOf[2]}`, { name: 'Carla Third' });
    const card = ada.getByTestId('contact-card');
    await card.getByTestId('contact-merge-open').click();
    await card.getByTestId('contact-merge-search').fill('Carla');
    const result = card.getByTestId('contact-merge-result');
    await expect.poll(() => result.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('Carla Third')]);
    await result.click();
    await card.getByTestId('contact-merge-confirm').click();
    await card.getByRole('status').filter({ hasText: 'Carla Third was merged into this contact.' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => cardConversations(ada), { timeout: 10_000 }).toEqual([convs[1]!.id, convs[2]!.id].sort());
    const survivor = await api<{ id: string; handles: unknown[] }>('GET', `/api/v1/directory/contacts/${contactOf[2]}`);
    expect(survivor.id).toBe(contactOf[0]);
    expect(survivor.handles).toHaveLength(3);

    await card.locator(`[data-testid="contact-conversation"][data-id="${convs[2]!.id}"]`).click();
    await expect.poll(() => ada.evaluate(() => location.hash)).toBe(`#/c/${convs[2]!.id}`);
  });
});
