import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BusinessHours, ConversationView, MessageView, WebInboxCreate, WebInboxView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium, restApi } from '../support/console.js';
import { freePort, startHubProcess, type HubProcess } from '../support/hub-process.js';

/**
 * The website widget as a visitor on someone's shop meets it, against the real `npm start` hub,
 * in Debian's Chromium: the shop is served from another origin than the hub, pastes the snippet
 * the admin API hands out, and styles everything as badly as real sites do (fixtures/hostile.css).
 * Agents answer over REST. Run `npm run build -w @switchboard/widget` first when running it alone.
 */

const HOSTILE_CSS = readFileSync(new URL('./fixtures/hostile.css', import.meta.url));
/** A 2×2 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
/** The largest file a visitor may send in this run (WIDGET_MAX_UPLOAD_BYTES). */
const MAX_UPLOAD = 200_000;
const HUB_ENV = { WIDGET_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) };
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type SwitchboardWindow = { Switchboard: { identify(v: object): Promise<unknown> } };

/** The shop's web server: one page per path, each built from an inbox's snippet, plus the hostile stylesheet. */
async function startShop(): Promise<{ port: number; page(path: string, html: string): void; close(): Promise<void> }> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/hostile.css') return void res.writeHead(200, { 'content-type': 'text/css' }).end(HOSTILE_CSS);
    const html = pages.get(path);
    if (html === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    page: (path, html) => void pages.set(path, html),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A shop page with the inbox's snippet as the admin API hands it out; `calls` runs between the
 * queue stub and widget.js (so they are queued before the widget exists), `body` is the page's own.
 */
function shopPage(inbox: WebInboxView, { calls = '', body = '' } = {}): string {
  const [stub, tag] = inbox.snippet.split('\n');
  expect(stub).toMatch(/^<script>window\.Switchboard=/);
  expect(tag).toMatch(/<script src="[^"]+\/widget\.js" data-inbox-token="[^"]+" async><\/script>$/);
  return `<!doctype html><html lang="en"><head><title>Shop</title><link rel="stylesheet" href="/hostile.css"></head>
<body><main><h1>Shop</h1>${body}</main>
<script>Object.defineProperty(window, '__keysBefore', { value: Object.keys(window), enumerable: false });</script>
${stub}
<script>${calls}</script>
${tag}
</body></html>`;
}

// Each test drives browsers through several waits of a few seconds; the machine may be busy.
describe('website widget on a shop’s own page, against the real hub', { timeout: 60_000 }, () => {
  const data = tempDir('sb-e2e-widget');
  let hub: HubProcess;
  let hubPort = '';
  let shop: Awaited<ReturnType<typeof startShop>>;
  let browser: Browser;
  let token = '';
  const contexts: BrowserContext[] = [];

  const api = restApi(() => hub.url, () => token);
  const createInbox = (body: Partial<WebInboxCreate> = {}) =>
    api<WebInboxView>('POST', '/api/v1/web-inboxes', { name: `Shop ${randomUUID().slice(0, 8)}`, ...body });
  const conversationsOf = async (inbox: WebInboxView) =>
    (await api<{ items: ConversationView[] }>('GET', '/api/v1/conversations?status=all&assignee=all&limit=200')).items.filter((c) => c.inboxId === inbox.id);
  const messagesOf = async (conversationId: string) =>
    (await api<{ items: MessageView[] }>('GET', `/api/v1/conversations/${conversationId}/messages`)).items;
  /** The inbox's conversation that holds a visitor message with this text, once it arrived. */
  const conversationWith = (inbox: WebInboxView, text: string) =>
    eventually(
      async () => {
        for (const c of await conversationsOf(inbox)) if ((await messagesOf(c.id)).some((m) => m.direction === 'in' && m.text === text)) return c;
        return undefined;
      },
      15_000,
      `“${text}” reaches the team`,
    );

  /** A visitor with their own browser storage (another person, or the same person on another device). */
  const newVisitor = async (): Promise<BrowserContext> => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context;
  };
  /** Serves `html` at a fresh path of the shop and opens it in a tab of `context`; `host` picks the origin. */
  const visit = async (context: BrowserContext, html: string, host = '127.0.0.1'): Promise<Page> => {
    const path = `/p/${randomUUID()}`;
    shop.page(path, html);
    const tab = await context.newPage();
    await tab.goto(`http://${host}:${shop.port}${path}`);
    return tab;
  };
  const sb = (tab: Page, hook: string) => tab.locator(`[data-sb="${hook}"]`);
  const message = (tab: Page, text: string) => sb(tab, 'message').filter({ hasText: text });
  const send = async (tab: Page, text: string) => {
    await sb(tab, 'composer').fill(text);
    await sb(tab, 'send').click();
  };
  const sent = (tab: Page, text: string) =>
    expect.poll(() => message(tab, text).getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');

  beforeAll(async () => {
    hubPort = String(await freePort());
    [hub, shop, browser] = await Promise.all([
      startHubProcess({ PORT: hubPort, PUBLIC_URL: `http://127.0.0.1:${hubPort}`, ...HUB_ENV }, data.dir),
      startShop(),
      launchChromium(),
    ]);
    token = await apiToken(hub.url);
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await shop?.close();
    await hub?.stop();
    data.remove();
  });

  describe('one visitor: pre-chat form, files, history', () => {
    let inbox: WebInboxView;
    let visitor: BrowserContext;
    let tab: Page;
    let conversation: ConversationView;
    let html = '';

    it('calls queued before widget.js are replayed, the pre-chat form comes first, and the agent sees the answers and the message', async () => {
      inbox = await createInbox({
        preChatForm: [
          { key: 'name', label: 'Your name', type: 'text', required: true },
          { key: 'email', label: 'Email', type: 'email', required: false },
          { key: 'order', label: 'Order number', type: 'text', required: false },
        ],
      });
      html = shopPage(inbox, { calls: `Switchboard.setAttributes({ plan: 'pro' }); Switchboard.open();` });
      visitor = await newVisitor();
      tab = await visit(visitor, html);

      // Nobody clicked: the queued open() opened the panel, and the form is up before any conversation.
      await sb(tab, 'panel').waitFor({ timeout: 15_000 });
      const form = sb(tab, 'prechat');
      await form.waitFor({ timeout: 15_000 });
      expect(await sb(tab, 'composer').count()).toBe(0);
      await form.getByLabel('Email').fill('ada@example.com');
      await form.getByRole('button', { name: 'Start chat' }).click();
      await expect.poll(() => form.textContent()).toContain('Your name is required.');

      await form.getByLabel('Your name').fill('Ada Lovelace');
      await form.getByLabel('Order number').fill('A-1042');
      await form.getByRole('button', { name: 'Start chat' }).click();
      await sb(tab, 'composer').waitFor({ timeout: 10_000 });
      expect(await sb(tab, 'prechat').count()).toBe(0);

      await send(tab, 'Where is my parcel?');
      await sent(tab, 'Where is my parcel?');
      conversation = await conversationWith(inbox, 'Where is my parcel?');
      expect(conversation.channel).toBe('web');
      expect(conversation.contact).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
      expect(conversation.contact.attributes).toEqual({ plan: 'pro', order: 'A-1042' });
    });

    it('the agent replies; the visitor sees the reply with the agent’s name', async () => {
      await api('POST', `/api/v1/conversations/${conversation.id}/messages`, { text: 'It ships tomorrow.', idempotencyKey: randomUUID() });
      const reply = message(tab, 'It ships tomorrow.');
      await reply.waitFor({ timeout: 10_000 });
      expect(await reply.getAttribute('data-author')).toBe('agent');
      expect(await reply.locator('.name').textContent()).toBe('Demo Admin');
    });

    it('a picture shows as a preview that loads and reaches the agent; a file over the limit fails with a sentence', async () => {
      const files = sb(tab, 'panel').locator('input[type=file]');
      await files.setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PNG });
      const picture = sb(tab, 'attachment').locator('img');
      await picture.waitFor({ timeout: 10_000 });
      expect(await picture.getAttribute('alt')).toBe('parcel.png');
      await expect.poll(() => sb(tab, 'message').last().getAttribute('data-status'), { timeout: 15_000 }).toBe('sent');
      await expect.poll(() => picture.getAttribute('src'), { timeout: 10_000 }).toMatch(new RegExp(`^${hub.url}/api/v1/widget/files/`));
      await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(2);

      const withFile = await eventually(async () => (await messagesOf(conversation.id)).find((m) => m.attachments.length > 0), 10_000, 'the picture reaches the team');
      expect(withFile.direction).toBe('in');
      expect(withFile.attachments).toEqual([expect.objectContaining({ name: 'parcel.png', mime: 'image/png', size: PNG.length })]);

      await files.setInputFiles({ name: 'catalogue.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(MAX_UPLOAD + 1, 1) });
      const refused = sb(tab, 'message').last();
      await expect.poll(() => refused.getAttribute('data-status'), { timeout: 10_000 }).toBe('failed');
      expect(await refused.textContent()).toContain('catalogue.pdf');
      expect(await refused.locator('.meta').textContent()).toMatch(/^Not sent: \S.+\./);
      expect((await messagesOf(conversation.id)).flatMap((m) => m.attachments.map((a) => a.name))).toEqual(['parcel.png']);
    });

    it('after a reload, and in a second tab, the history is there: both sides and the picture', async () => {
      const history = ['Where is my parcel?', 'It ships tomorrow.', 'parcel.png'];
      /** What each message's bubble holds: its text, or the picture's name. */
      const shown = (page: Page) =>
        sb(page, 'message').evaluateAll((els) =>
          els
            .filter((el) => el.getAttribute('data-status') !== 'failed')
            .map((el) => el.querySelector('.bubble')!.textContent!.trim() || el.querySelector('.bubble img')?.getAttribute('alt')),
        );
      await tab.reload();
      await sb(tab, 'panel').waitFor({ timeout: 15_000 });
      await expect.poll(() => shown(tab), { timeout: 15_000 }).toEqual(history);
      expect(await sb(tab, 'prechat').count()).toBe(0);
      const picture = sb(tab, 'attachment').locator('img');
      await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(2);
      expect(await message(tab, 'It ships tomorrow.').getAttribute('data-author')).toBe('agent');

      const second = await visitor.newPage();
      await second.goto(tab.url());
      await sb(second, 'panel').waitFor({ timeout: 15_000 });
      await expect.poll(() => shown(second), { timeout: 15_000 }).toEqual(history);
      await second.close();
    });
  });

  it('outside business hours the banner says when the team is back and asks for an email, which reaches the contact', async () => {
    // Open only three days from now (UTC): outside the hours whatever the time, and named by its weekday even past midnight.
    const back = (new Date().getUTCDay() + 3) % 7;
    const businessHours: BusinessHours = { timezone: 'UTC', intervals: [{ day: back, from: '09:00', to: '17:00' }] };
    const inbox = await createInbox({ businessHours, offlineMessage: 'The team is at the warehouse.' });
    const tab = await visit(await newVisitor(), shopPage(inbox, { calls: 'Switchboard.open();' }));

    const offline = sb(tab, 'offline');
    await offline.waitFor({ timeout: 15_000 });
    expect(await offline.getByRole('status').textContent()).toBe(`The team is at the warehouse. Back ${WEEKDAYS[back]} at 09:00.`);
    await offline.getByLabel("We'll reply by email:").fill('grace@example.com');
    await offline.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => offline.textContent(), { timeout: 10_000 }).toContain("We'll reply by email to grace@example.com.");

    // Messages go all the same; the team sees where to answer.
    await send(tab, 'Are you open on Sunday?');
    await sent(tab, 'Are you open on Sunday?');
    const conversation = await conversationWith(inbox, 'Are you open on Sunday?');
    expect(conversation.contact.email).toBe('grace@example.com');
  });

  it('identify() with a good hash continues as the verified user on any device; a bad hash is refused and the chat stays anonymous', async () => {
    const inbox = await createInbox({ identityVerification: true });
    const hash = createHmac('sha256', inbox.identitySecret).update('user-42').digest('hex');
    const html = shopPage(inbox, { calls: 'Switchboard.open();' });
    const identify = (tab: Page, h: string) =>
      tab.evaluate((values) => (window as unknown as SwitchboardWindow).Switchboard.identify(values), { id: 'user-42', name: 'Ada', hash: h });

    const laptop = await visit(await newVisitor(), html);
    expect(await identify(laptop, hash)).toEqual({ ok: true });
    await sb(laptop, 'composer').waitFor({ timeout: 15_000 });
    await send(laptop, 'Hello from my laptop');
    await sent(laptop, 'Hello from my laptop');
    const verified = await conversationWith(inbox, 'Hello from my laptop');
    expect(verified.contact).toMatchObject({ verified: true, userId: 'user-42', name: 'Ada' });

    // Another device, identified the same way, continues the same conversation.
    const phone = await visit(await newVisitor(), html);
    expect(await identify(phone, hash)).toEqual({ ok: true });
    await message(phone, 'Hello from my laptop').waitFor({ timeout: 15_000 });
    await send(phone, 'And from my phone');
    await sent(phone, 'And from my phone');
    expect((await conversationWith(inbox, 'And from my phone')).id).toBe(verified.id);

    const forger = await visit(await newVisitor(), html);
    expect(await identify(forger, 'ab'.repeat(32))).toMatchObject({ ok: false, code: 'SB_ERR_IDENTITY_UNVERIFIED' });
    await sb(forger, 'composer').waitFor({ timeout: 15_000 });
    expect(await message(forger, 'Hello from my laptop').count()).toBe(0);
    await send(forger, 'I am user 42, honest');
    await sent(forger, 'I am user 42, honest');
    const anonymous = await conversationWith(inbox, 'I am user 42, honest');
    expect(anonymous.id).not.toBe(verified.id);
    expect(anonymous.contact.verified).not.toBe(true);
    expect(anonymous.contact.userId).toBeUndefined();
  });

  it('a page on an origin the inbox does not allow cannot open a chat; the allowed one can', async () => {
    const inbox = await createInbox({ allowedOrigins: [`http://127.0.0.1:${shop.port}`] });
    const html = shopPage(inbox, { calls: 'Switchboard.open();' });

    // Same page, same port, another host name: another origin.
    const elsewhere = await visit(await newVisitor(), html, 'localhost');
    await sb(elsewhere, 'connection').filter({ hasText: 'Chat is unavailable right now.' }).waitFor({ timeout: 15_000 });
    await send(elsewhere, 'Sent from the wrong site');
    expect(await message(elsewhere, 'Sent from the wrong site').getAttribute('data-status')).not.toBe('sent');

    // The allowed origin chats; by the time its message is in, the refused one has never arrived.
    const allowed = await visit(await newVisitor(), html);
    await send(allowed, 'Sent from the shop');
    await sent(allowed, 'Sent from the shop');
    await conversationWith(inbox, 'Sent from the shop');
    const conversations = await conversationsOf(inbox);
    expect(conversations).toHaveLength(1);
    expect((await messagesOf(conversations[0]!.id)).map((m) => m.text)).toEqual(['Sent from the shop']);
    expect(await message(elsewhere, 'Sent from the wrong site').getAttribute('data-status')).not.toBe('sent');
  });

  it('while the hub restarts the widget says it is reconnecting, and a message typed meanwhile is delivered once', async () => {
    const inbox = await createInbox();
    const tab = await visit(await newVisitor(), shopPage(inbox, { calls: 'Switchboard.open();' }));
    await send(tab, 'Before the restart');
    await sent(tab, 'Before the restart');
    const conversation = await conversationWith(inbox, 'Before the restart');

    // A graceful stop ends the open sockets itself (a tab slow to answer the close frame gets a
    // second) rather than waiting for the 10 s watchdog.
    const stopping = Date.now();
    await hub.stop('SIGTERM');
    const stopMs = Date.now() - stopping;
    try {
      await sb(tab, 'connection').filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 15_000 });
      await send(tab, 'Typed while you were away');
      await expect.poll(() => message(tab, 'Typed while you were away').getAttribute('data-status')).toBe('pending');
    } finally {
      // The tests after this one need the hub back whatever happened here.
      hub = await startHubProcess({ PORT: hubPort, PUBLIC_URL: `http://127.0.0.1:${hubPort}`, ...HUB_ENV }, data.dir);
      token = await apiToken(hub.url);
    }
    expect(stopMs).toBeLessThan(5_000);
    await expect.poll(() => message(tab, 'Typed while you were away').getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    await expect.poll(() => sb(tab, 'connection').count(), { timeout: 10_000 }).toBe(0);

    const texts = async () => (await messagesOf(conversation.id)).map((m) => m.text);
    await expect.poll(texts, { timeout: 10_000 }).toEqual(['Before the restart', 'Typed while you were away']);
    expect(await message(tab, 'Typed while you were away').count()).toBe(1);
    // A fresh page loads the history from the hub: still one copy.
    await tab.reload();
    await message(tab, 'Before the restart').waitFor({ timeout: 15_000 });
    expect(await message(tab, 'Typed while you were away').count()).toBe(1);
    expect(await texts()).toEqual(['Before the restart', 'Typed while you were away']);
  }, 90_000);

  it('on a page that styles everything, the widget keeps its looks, its CSS does not leak, and it adds only window.Switchboard', async () => {
    const inbox = await createInbox();
    // The page's own elements that happen to share the widget's class names and hooks.
    const body = `<section><div class="launcher" id="own-launcher">Our launcher</div><div class="panel" id="own-panel">Our panel</div></section>`;
    const tab = await visit(await newVisitor(), shopPage(inbox, { body }));

    const launcher = sb(tab, 'launcher');
    await launcher.waitFor({ timeout: 15_000 });
    const viewport = tab.viewportSize()!;
    const box = (await launcher.boundingBox())!;
    expect(box).toEqual({ x: viewport.width - 20 - 56, y: viewport.height - 20 - 56, width: 56, height: 56 });
    const launcherStyle = await launcher.evaluate((el) => {
      const s = getComputedStyle(el);
      return { position: s.position, background: s.backgroundColor, radius: s.borderRadius, opacity: s.opacity, transform: s.transform };
    });
    expect(launcherStyle).toEqual({ position: 'fixed', background: 'rgb(79, 70, 229)', radius: '50%', opacity: '1', transform: 'none' });

    await launcher.click();
    const panel = sb(tab, 'panel');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
    // Measured once the opening animation (a transform) is over.
    await panel.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    const panelStyle = await panel.evaluate((el) => {
      const s = getComputedStyle(el);
      return { position: s.position, display: s.display, width: s.width, font: s.fontSize, color: s.color, background: s.backgroundColor, letters: s.letterSpacing, italic: s.fontStyle };
    });
    expect(panelStyle).toEqual({ position: 'fixed', display: 'flex', width: '370px', font: '14px', color: 'rgb(15, 23, 42)', background: 'rgb(255, 255, 255)', letters: 'normal', italic: 'normal' });
    const panelBox = (await panel.boundingBox())!;
    expect(panelBox.x + panelBox.width).toBe(viewport.width - 20);
    expect(panelBox.y + panelBox.height).toBe(viewport.height - 88);
    // It still works there.
    await send(tab, 'Hello from a loud page');
    await sent(tab, 'Hello from a loud page');

    // The page's own .launcher and .panel keep the page's looks, none of the widget's.
    for (const id of ['own-launcher', 'own-panel']) {
      const own = await tab.locator(`#${id}`).evaluate((el) => {
        const s = getComputedStyle(el);
        return { position: s.position, left: s.left, width: s.width, radius: s.borderRadius, shadow: s.boxShadow, background: s.backgroundColor, overflow: s.overflow };
      });
      expect(own, id).toEqual({ position: 'absolute', left: '-9999px', width: '700px', radius: '0px', shadow: 'none', background: 'rgb(255, 255, 0)', overflow: 'visible' });
    }

    const added = await tab.evaluate(() => {
      const before = (window as unknown as { __keysBefore: string[] }).__keysBefore;
      return Object.keys(window).filter((k) => !before.includes(k));
    });
    expect(added).toEqual(['Switchboard']);
  });
});
