import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { chromiumPath } from '@switchboard/testkit';
import { launchChromium } from '@switchboard/testkit/browser';
import { coreFiles } from './dist-files.js';
import { INBOX, startStandInHub, type StandInHub } from './stand-in-hub.js';

/**
 * The widget's panel as a visitor meets it, in Debian's Chromium on the built, minified bundle:
 * pre-chat form, offline hours, files, emoji, Russian, read receipts, the phone-size modal panel,
 * and the tab title blinking for a reply. Run `npm run build -w @switchboard/widget` first when
 * running this file alone.
 */

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const html = (hub: StandInHub, { lang = 'en', attrs = '', title = 'Shop' } = {}) => `<!doctype html><html lang="${lang}"><head><title>${title}</title></head>
<body><h1>Shop</h1><button id="help">Help</button><script src="${hub.url}/widget.js" data-inbox-token="${INBOX}" ${attrs} async></script></body></html>`;

describe('widget panel in the browser', () => {
  it('has Chromium and the built bundle (npm test provides both)', () => {
    expect(existsSync(chromiumPath), chromiumPath).toBe(true);
    expect(coreFiles(), 'widget/dist/widget/chat-<hash>.js').not.toEqual([]);
  });

  let browser: Browser;
  let hub: StandInHub;
  let context: BrowserContext;
  let tab: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    hub = await startStandInHub();
  });
  afterEach(async () => {
    await context?.close();
    await hub.stop();
  });

  /** A visitor's tab on the shop page (served by the stand-in hub), in the given browser setup. */
  async function visit(page = html(hub), options: BrowserContextOptions = {}) {
    context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', ...options });
    tab = await context.newPage();
    hub.page('/shop', page);
    await tab.goto(`${hub.url}/shop`);
  }
  const sb = (hook: string) => tab.locator(`[data-sb="${hook}"]`);
  /** What has focus inside the widget's shadow root: its data-sb hook, aria-label, or tag. */
  const focused = () =>
    tab.evaluate(() => {
      const el = document.getElementById('switchboard-widget')?.shadowRoot?.activeElement;
      return el ? el.getAttribute('data-sb') ?? el.getAttribute('aria-label') ?? el.tagName.toLowerCase() : null;
    });
  const open = async () => {
    await sb('launcher').click();
    await sb('panel').waitFor();
  };

  it('asks the pre-chat form first, explains each wrong field, then starts the chat with the answers', async () => {
    hub.inbox.preChatForm = [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'email', label: 'Email', type: 'email', required: true },
      { key: 'order', label: 'Order number', type: 'text', required: false },
    ];
    await visit();
    await open();
    await sb('prechat').waitFor();
    expect(await sb('composer').count()).toBe(0);
    expect(await focused()).toBe('input');

    await sb('prechat').getByRole('button', { name: 'Start chat' }).click();
    expect(await sb('prechat').locator('.err').allTextContents()).toEqual(['Name is required.', 'Email is required.']);
    expect(await sb('prechat').getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await tab.evaluate(() => document.getElementById('switchboard-widget')!.shadowRoot!.activeElement?.getAttribute('name'))).toBe('name');

    await sb('prechat').getByLabel('Name').fill('Ann Lee');
    await sb('prechat').getByLabel('Email').fill('ann@');
    await sb('prechat').getByLabel('Order number').fill('A-1042');
    await sb('prechat').getByLabel('Email').press('Enter');
    expect(await sb('prechat').locator('.err').allTextContents()).toEqual(['Invalid email address.']);
    expect(hub.updates).toEqual([]);

    await sb('prechat').getByLabel('Email').fill('ann@example.com');
    await sb('prechat').getByRole('button', { name: 'Start chat' }).click();
    await sb('composer').waitFor();
    expect(hub.updates).toEqual([{ name: 'Ann Lee', email: 'ann@example.com', attributes: { order: 'A-1042' } }]);
    expect(await sb('prechat').count()).toBe(0);
    await expect.poll(focused).toBe('composer');

    // Answered once, not asked again on the next page.
    await tab.reload();
    await sb('panel').waitFor();
    await sb('composer').waitFor();
    expect(await sb('prechat').count()).toBe(0);
  });

  it('outside business hours says when the team is back, asks for an email, and still sends', async () => {
    const back = new Date(Date.now() + 3 * 864e5);
    back.setUTCHours(9, 0, 0, 0);
    const weekday = back.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
    hub.inbox = { ...hub.inbox, online: false, nextOpenAt: back.toISOString(), offlineMessage: 'Our team answers Monday to Friday.' };
    await visit();
    await open();
    const banner = sb('offline');
    expect(await banner.locator('p').first().textContent()).toBe(`Our team answers Monday to Friday. Back ${weekday} at 09:00.`);

    const email = banner.getByLabel("We'll reply by email:");
    await email.fill('not-an-address');
    await banner.getByRole('button', { name: 'Save' }).click();
    expect(await banner.getByRole('alert').textContent()).toBe('Invalid email address.');
    await email.fill('ann@example.com');
    await email.press('Enter');
    await expect.poll(() => banner.locator('p').nth(1).textContent()).toBe("We'll reply by email to ann@example.com.");
    expect(hub.updates).toEqual([{ email: 'ann@example.com' }]);

    await sb('composer').fill('Where is my parcel?');
    await sb('composer').press('Enter');
    await expect.poll(() => sb('message').getAttribute('data-status')).toBe('sent');
    expect(hub.stored().map((m) => m.text)).toEqual(['Where is my parcel?']);
  });

  it('sends a picture with a preview that opens in a new tab, a file as a link with its size, and shows a refused size', async () => {
    await visit();
    await open();
    const files = tab.locator('.composer input[type=file]');
    await files.setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: PNG });
    const picture = sb('message').locator('img');
    await picture.waitFor();
    expect(await picture.getAttribute('alt')).toBe('cat.png');
    await expect.poll(() => sb('message').getAttribute('data-status')).toBe('sent');
    await expect.poll(() => picture.getAttribute('src')).toMatch(new RegExp(`^${hub.url}/api/v1/widget/files/`));
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    const link = sb('attachment').first();
    expect(await link.getAttribute('target')).toBe('_blank');
    const [opened] = await Promise.all([context.waitForEvent('page'), picture.click()]);
    expect(opened.url()).toBe(await picture.getAttribute('src'));

    await files.setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(12_345, 1) });
    const chip = sb('attachment').filter({ hasText: 'invoice.pdf' });
    await expect.poll(() => chip.textContent()).toBe('📎 invoice.pdf · 12.3 kB');
    await expect.poll(() => sb('message').last().getAttribute('data-status')).toBe('sent');
    expect(await chip.getAttribute('href')).toMatch(new RegExp(`^${hub.url}/api/v1/widget/files/`));

    await files.setInputFiles({ name: 'video.mov', mimeType: 'video/quicktime', buffer: Buffer.alloc(hub.inbox.maxUploadBytes + 1) });
    const refused = sb('message').last();
    await expect.poll(() => refused.getAttribute('data-status')).toBe('failed');
    expect(await refused.locator('.meta').textContent()).toMatch(/^Not sent: .+/);
    expect(hub.stored().flatMap((m) => m.attachments.map((a) => a.name))).toEqual(['cat.png', 'invoice.pdf']);
  });

  /** A DataTransfer in the page holding these files, as the browser hands one to a drop. */
  const dragged = (list: Array<{ name: string; type: string; base64?: string; size?: number }>) =>
    tab.evaluateHandle((list) => {
      const data = new DataTransfer();
      for (const f of list) {
        const bytes = f.base64 ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : new Uint8Array(f.size ?? 0);
        data.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return data;
    }, list);

  it('takes files dropped on the panel, with a drop zone while they are over it, the same preview and size limit as the attach button, and focus left in the composer', async () => {
    await visit();
    await open();
    await expect.poll(focused).toBe('composer');
    const panel = sb('panel');
    const picture = await dragged([{ name: 'cat.png', type: 'image/png', base64: PNG.toString('base64') }]);
    await panel.dispatchEvent('dragover', { dataTransfer: picture });
    const zone = sb('dropzone');
    await zone.waitFor();
    expect(await zone.textContent()).toBe('Drop files here to send them');
    // Seen, not announced: the drop zone is a pointer affordance; the attach button stays the keyboard's way.
    expect(await zone.getAttribute('aria-hidden')).toBe('true');
    await panel.dispatchEvent('dragleave', { dataTransfer: picture });
    await zone.waitFor({ state: 'detached' });
    // Dragged text is not for the widget: no drop zone, nothing sent.
    const words = await tab.evaluateHandle(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'hello');
      return data;
    });
    await panel.dispatchEvent('dragover', { dataTransfer: words });
    expect(await zone.count()).toBe(0);

    await panel.dispatchEvent('dragover', { dataTransfer: picture });
    await zone.waitFor();
    await tab.locator('.log').dispatchEvent('drop', { dataTransfer: picture });
    await zone.waitFor({ state: 'detached' });
    const image = sb('message').locator('img');
    await image.waitFor();
    expect(await image.getAttribute('alt')).toBe('cat.png');
    await expect.poll(() => sb('message').getAttribute('data-status')).toBe('sent');
    await expect.poll(() => image.getAttribute('src')).toMatch(new RegExp(`^${hub.url}/api/v1/widget/files/`));

    const tooBig = await dragged([{ name: 'video.mov', type: 'video/quicktime', size: hub.inbox.maxUploadBytes + 1 }]);
    await panel.dispatchEvent('dragover', { dataTransfer: tooBig });
    await panel.dispatchEvent('drop', { dataTransfer: tooBig });
    const refused = sb('message').last();
    await expect.poll(() => refused.getAttribute('data-status')).toBe('failed');
    expect(await refused.locator('.meta').textContent()).toMatch(/^Not sent: .+/);
    expect(hub.stored().flatMap((m) => m.attachments.map((a) => a.name))).toEqual(['cat.png']);
    expect(await focused()).toBe('composer');
  });

  it('shows the agent beside their replies: their photo, or their initials on a colour that comes from their name', async () => {
    // A new conversation: nobody assigned yet, so the session names no agent.
    hub.agent = { name: '' };
    await visit();
    await open();
    expect(await tab.locator('.header .sub').textContent()).toBe('We usually reply here, in this chat');
    await sb('composer').fill('hello');
    await sb('send').click();
    await tab.locator('[data-sb="message"][data-status="sent"]').waitFor();
    // Maria takes it and replies: the widget asks the session who she is.
    hub.agent = { name: 'Maria López' };
    hub.agentReply('Hi, I am on it.');
    const reply = tab.locator('[data-sb="message"][data-author="agent"]');
    await expect.poll(() => reply.innerText()).toBe('Maria López\nHi, I am on it.');
    const initials = reply.locator('.av');
    expect(await initials.getAttribute('data-i')).toBe('ML');
    // Drawn by CSS: not in the message's text, and hidden from screen readers, which read the name beside it.
    expect(await initials.getAttribute('aria-hidden')).toBe('true');
    expect(await initials.evaluate((el) => getComputedStyle(el, '::before').content)).toBe('"ML"');
    const colour = (el: Element) => getComputedStyle(el).backgroundColor;
    const own = await initials.evaluate(colour);
    expect(own).toMatch(/^rgb\(\d+, \d+, \d+\)$/);
    // The header names the same agent in the same colour.
    await expect.poll(() => tab.locator('.header .sub').textContent()).toBe("You're chatting with Maria López");
    expect(await tab.locator('.header .av').evaluate(colour)).toBe(own);

    // Another agent takes over, with a photo: their replies show it; the earlier agent's keep their initials.
    hub.agent = { name: 'Anna', avatarUrl: '/avatars/anna.png' };
    hub.agentReply('Anna here, the parcel left today.');
    await expect.poll(() => reply.count()).toBe(2);
    const photo = reply.last().locator('img.av');
    await expect.poll(() => photo.getAttribute('src')).toBe(`${hub.url}/avatars/anna.png`);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await tab.locator('.header .sub').textContent()).toBe("You're chatting with Anna");
    expect(await photo.getAttribute('alt')).toBe('');
    expect(await reply.first().locator('.av').getAttribute('data-i')).toBe('ML');

    // A photo address that does not load gives way to the initials.
    hub.agent = { name: 'Boris Ivanov', avatarUrl: '/avatars/missing.png' };
    hub.agentReply('Boris here.');
    await expect.poll(() => reply.count()).toBe(3);
    await expect.poll(() => reply.last().locator('.av').getAttribute('data-i')).toBe('BI');
    expect(await reply.last().locator('img').count()).toBe(0);
  });

  it('inserts an emoji where the caret is; Esc closes the grid before the panel; all by keyboard', async () => {
    await visit();
    await open();
    await sb('composer').fill('Hello world');
    await sb('composer').press('Home');
    for (let i = 0; i < 5; i++) await sb('composer').press('ArrowRight');
    await sb('composer').press('Tab');
    expect(await focused()).toBe('emoji');
    await tab.keyboard.press('Enter');
    await sb('emoji-grid').waitFor();
    expect(await sb('emoji-grid').locator('button').count()).toBe(24);
    await expect.poll(focused).toBe('button');

    await tab.keyboard.press('Escape');
    await expect.poll(() => sb('emoji-grid').count()).toBe(0);
    expect(await sb('panel').count()).toBe(1);
    await expect.poll(focused).toBe('composer');

    await sb('emoji').click();
    await sb('emoji-grid').getByRole('button', { name: '👍' }).click();
    expect(await sb('emoji-grid').count()).toBe(0);
    await tab.keyboard.type('!');
    expect(await sb('composer').inputValue()).toBe('Hello👍! world');

    await tab.keyboard.press('Escape');
    await expect.poll(() => sb('panel').count()).toBe(0);
  });

  it('speaks Russian on a page in Russian, and in the language the page sets with setLocale()', async () => {
    await visit(html(hub, { lang: 'ru' }));
    expect(await sb('launcher').getAttribute('aria-label')).toBe('Открыть чат');
    await open();
    expect(await sb('composer').getAttribute('placeholder')).toBe('Напишите сообщение…');
    expect(await tab.locator('.header h2').textContent()).toBe('Напишите нам');
    expect(await sb('send').getAttribute('aria-label')).toBe('Отправить');
    await tab.evaluate(() => window.Switchboard?.setLocale?.('en'));
    await expect.poll(() => sb('composer').getAttribute('placeholder')).toBe('Write a message…');
    await tab.evaluate(() => window.Switchboard?.setLocale?.('ru-RU'));
    await expect.poll(() => tab.locator('.header h2').textContent()).toBe('Напишите нам');
  });

  it('shows "Sent", then "Seen" once an agent read it, and tells the hub what the visitor has read', async () => {
    await visit();
    await open();
    await sb('composer').fill('Is this in stock?');
    await sb('composer').press('Enter');
    const receipt = sb('receipt');
    await expect.poll(() => receipt.textContent()).toBe('Sent');
    const [mine] = hub.stored();
    hub.agentRead(mine!.seq);
    await expect.poll(() => receipt.textContent()).toBe('Seen');
    const reply = hub.agentReply('Yes, 4 left.');
    await expect.poll(() => hub.reads.at(-1)).toBe(reply.seq);
    // The agent's initials stand in for a photo that does not load; the header names them.
    expect(await tab.locator('.header .sub').textContent()).toBe("You're chatting with Anna");
  });

  it('on a phone is a modal dialog that keeps Tab inside, closes on Esc and gives focus back to the launcher', async () => {
    await visit(html(hub), { viewport: { width: 390, height: 740 }, hasTouch: true });
    await sb('launcher').focus();
    await tab.keyboard.press('Enter');
    await sb('panel').waitFor();
    expect(await sb('panel').getAttribute('aria-modal')).toBe('true');
    await expect.poll(focused).toBe('composer');
    const inside = () =>
      tab.evaluate(() => {
        const root = document.getElementById('switchboard-widget')!.shadowRoot!;
        return !!root.activeElement && root.querySelector('[data-sb="panel"]')!.contains(root.activeElement);
      });
    for (let i = 0; i < 8; i++) {
      await tab.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    for (let i = 0; i < 8; i++) {
      await tab.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    await tab.keyboard.press('Escape');
    await expect.poll(() => sb('panel').count()).toBe(0);
    await expect.poll(focused).toBe('launcher');
  });

  it('is not modal beside the page on a desktop; sits on the left and greets as the page says', async () => {
    await visit(html(hub, { attrs: 'data-position="left" data-greeting="Welcome to Acme! How can we help?"' }));
    await open();
    expect(await sb('panel').getAttribute('aria-modal')).toBeNull();
    const box = await sb('launcher').boundingBox();
    expect(box!.x).toBeLessThan(100);
    expect(await tab.locator('.empty').textContent()).toBe('Welcome to Acme! How can we help?');
  });

  it('without a launcher opens from the page’s own button and gives focus back to it on Esc', async () => {
    await visit(html(hub, { attrs: 'data-hide-launcher' }));
    await tab.waitForFunction(() => window.Switchboard?.open);
    await tab.evaluate(() => document.getElementById('help')!.addEventListener('click', () => window.Switchboard?.open?.()));
    await tab.locator('#help').click();
    await sb('panel').waitFor();
    expect(await sb('launcher').count()).toBe(0);
    await expect.poll(focused).toBe('composer');
    await tab.keyboard.press('Escape');
    // The panel closes on the next render; focus moves back after it.
    await expect.poll(() => sb('panel').count()).toBe(0);
    await expect.poll(() => tab.evaluate(() => document.activeElement?.id)).toBe('help');
  });

  it('blinks the tab title for a reply in a hidden tab, in the visitor’s language, and restores it exactly', async () => {
    await visit(html(hub, { lang: 'ru', title: 'Магазин  — корзина' }));
    await open();
    await sb('composer').fill('Есть доставка?');
    await sb('composer').press('Enter');
    await expect.poll(() => sb('message').getAttribute('data-status')).toBe('sent');
    const original = await tab.title();
    const setHidden = (hidden: boolean) =>
      tab.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    const readBefore = hub.reads.at(-1);
    hub.agentReply('Да, по всей стране.');
    const last = hub.agentReply('Бесплатно от 3000 ₽.');
    await expect.poll(() => tab.title()).toBe('(2) Новых сообщения');
    const titles = new Set<string>();
    for (let i = 0; i < 10; i++) {
      titles.add(await tab.title());
      await tab.waitForTimeout(250);
    }
    expect([...titles].sort()).toEqual(['(2) Новых сообщения', original].sort());
    // Nothing counts as read while the tab is hidden.
    expect(hub.reads.at(-1)).toBe(readBefore);
    await setHidden(false);
    expect(await tab.title()).toBe(original);
    await tab.waitForTimeout(1200);
    expect(await tab.title()).toBe(original);
    await expect.poll(() => hub.reads.at(-1)).toBe(last.seq);
  });
});
