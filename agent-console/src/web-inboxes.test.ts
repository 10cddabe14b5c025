import { describe, expect, it } from 'vitest';
import type { WebInboxView } from '@switchboard/contracts';
import type { HttpMethod } from './api.js';
import { webInboxApi } from './web-inbox-api.js';
import { parseOrigin, putInbox, rotateQuestion, withOrigin, withoutOrigin } from './web-inboxes.js';

/** The contract's WebOrigin pattern (platform/contracts/src/web-inboxes.ts): what the server accepts. */
const CONTRACT = /^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/;

const inbox = (id: string, createdAt: string, over: Partial<WebInboxView> = {}): WebInboxView => ({
  id,
  name: id,
  widgetToken: `tok-${id}`,
  allowedOrigins: [],
  preChatForm: [],
  businessHours: null,
  offlineMessage: '',
  identityVerification: false,
  identitySecret: `secret-${id}`,
  snippet: `<script src="/widget.js" data-inbox-token="tok-${id}" async></script>`,
  createdAt,
  ...over,
});

describe('allowed origins', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['  HTTPS://Shop.Example/ ', 'https://shop.example'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000'],
    ['https://my-shop.co.uk', 'https://my-shop.co.uk'],
    // Browsers send no default port in the Origin header.
    ['https://shop.example:443', 'https://shop.example'],
    ['http://shop.example:80', 'http://shop.example'],
    ['https://shop.example:80', 'https://shop.example:80'],
  ])('accepts %j as %s, which the server takes too', (input, origin) => {
    expect(parseOrigin(input)).toEqual({ ok: true, origin });
    expect(origin).toMatch(CONTRACT);
  });

  it.each([
    ['', /Enter an origin/],
    ['   ', /Enter an origin/],
    ['shop.example', /starts with https:\/\/ or http:\/\//],
    ['ftp://shop.example', /starts with https:\/\//],
    ['javascript://x', /starts with https:\/\//],
    ['https://shop.example/cart', /no path/],
    ['https://shop.example/cart/', /no path/],
    ['https://shop.example?x=1', /no path/],
    ['https://shop.example#top', /no path/],
    ['https://*.shop.example', /Not a website origin/],
    ['https://user@shop.example', /Not a website origin/],
    ['https://shop..example', /Not a website origin/],
    ['https://.shop.example', /Not a website origin/],
    ['https://shop.example:', /Not a website origin/],
    ['https://shop.example:123456', /Not a website origin/],
    ['https://shop.example:0', /1 to 65535/],
    ['https://shop.example:70000', /1 to 65535/],
    [`https://${'a'.repeat(300)}.example`, /Not a website origin/],
  ])('refuses %j in words', (input, error) => {
    const r = parseOrigin(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('adds an origin once and removes it', () => {
    const list = ['https://a.example'];
    expect(withOrigin(list, 'https://b.example')).toEqual(['https://a.example', 'https://b.example']);
    expect(withOrigin(list, 'https://a.example')).toEqual(['https://a.example']);
    expect(withoutOrigin(['https://a.example', 'https://b.example'], 'https://a.example')).toEqual(['https://b.example']);
    expect(list).toEqual(['https://a.example']);
  });
});

describe('website inboxes', () => {
  it('keeps them oldest first, an answer replacing the inbox it is about', () => {
    const list = [inbox('b', '2025-02-01T00:00:00Z'), inbox('a', '2025-01-01T00:00:00Z')];
    expect(putInbox(list, inbox('c', '2025-03-01T00:00:00Z')).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    const renamed = putInbox(list, inbox('b', '2025-02-01T00:00:00Z', { name: 'Shop' }));
    expect(renamed.map((x) => [x.id, x.name])).toEqual([
      ['a', 'a'],
      ['b', 'Shop'],
    ]);
  });

  it('warns before a new token that the old snippet stops working', () => {
    expect(rotateQuestion('Shop')).toMatch(/“Shop”.*stops working/);
  });

  it('speaks the routes of the contract, ids escaped', async () => {
    const calls: string[] = [];
    const api = webInboxApi({
      call: async <T>(method: HttpMethod, path: string, body?: unknown): Promise<T> => {
        calls.push(`${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
        return {} as T;
      },
    });
    await api.list();
    await api.create({ name: 'Shop' });
    await api.update('w/1', { allowedOrigins: ['https://shop.example'] });
    await api.update('w1', { name: 'Store' });
    await api.rotate('w 1');
    await api.rotateSecret('w/1');
    expect(calls).toEqual([
      'GET /api/v1/web-inboxes',
      'POST /api/v1/web-inboxes {"name":"Shop"}',
      'PATCH /api/v1/web-inboxes/w%2F1 {"allowedOrigins":["https://shop.example"]}',
      'PATCH /api/v1/web-inboxes/w1 {"name":"Store"}',
      'POST /api/v1/web-inboxes/w%201/rotate-token',
      'POST /api/v1/web-inboxes/w%2F1/rotate-secret',
    ]);
  });
});
