import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KbSuggestion } from '@switchboard/contracts';
import { createSuggester, primaryLocale, readSuggestions, snippetParts, suggestionQuery, suggestionsUrl, type SuggestionsResponse } from './suggestions.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const article = (title: string): KbSuggestion => ({
  articleId: `a-${title}`,
  locale: 'en',
  title,
  url: `https://help.example.com/en/articles/${title.toLowerCase().replace(/\W+/g, '-')}`,
  snippet: `How to <mark>${title}</mark>`,
});

interface Call {
  q: string | null;
  url: URL;
  aborted(): boolean;
  answer(status: number, body: unknown): void;
  fail(): void;
}

/**
 * A hub whose every request waits until the test answers it. Aborting only flags the request: its
 * answer may still come, as one already received when the abort came would.
 */
function pendingHub() {
  const calls: Call[] = [];
  const fetch = (url: string, init: { signal: AbortSignal }) =>
    new Promise<SuggestionsResponse>((resolve, reject) => {
      const parsed = new URL(url);
      calls.push({
        q: parsed.searchParams.get('q'),
        url: parsed,
        aborted: () => init.signal.aborted,
        answer: (status, body) => resolve({ ok: status >= 200 && status < 300, status, json: async () => body }),
        fail: () => reject(new TypeError('Failed to fetch')),
      });
    });
  return { calls, fetch };
}

function setup(extra: { locale?: string } = {}) {
  const hub = pendingHub();
  const suggester = createSuggester({ hubOrigin: 'https://hub.example.com', inboxToken: 'tok', fetch: hub.fetch, ...extra });
  const titles = () => suggester.items.get().map((s) => s.title);
  return { hub, suggester, titles };
}

/** Lets awaited answers settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

/** Types `text` one character per 100 ms, as a person would. */
function type(suggester: { input(text: string): void }, text: string, from = '') {
  for (let i = from.length + 1; i <= text.length; i++) {
    suggester.input(text.slice(0, i));
    vi.advanceTimersByTime(100);
  }
}

describe('suggested articles while the visitor types', () => {
  it('asks once, 350 ms after the last keystroke, and shows what the hub found', async () => {
    const { hub, suggester, titles } = setup({ locale: 'de' });
    type(suggester, 'refund');
    vi.advanceTimersByTime(249); // 349 ms since the last keystroke
    expect(hub.calls).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(hub.calls).toHaveLength(1);
    const url = hub.calls[0]!.url;
    expect(url.origin + url.pathname).toBe('https://hub.example.com/api/v1/widget/kb/suggestions');
    expect(Object.fromEntries(url.searchParams)).toEqual({ token: 'tok', q: 'refund', locale: 'de' });
    hub.calls[0]!.answer(200, { items: [article('Refunds'), article('Returns')] });
    await settle();
    expect(titles()).toEqual(['Refunds', 'Returns']);
  });

  it('asks nothing for fewer than 3 characters and hides what was shown', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'hi ');
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(0);
    type(suggester, 'hi there', 'hi ');
    vi.advanceTimersByTime(350);
    hub.calls[0]!.answer(200, { items: [article('Greetings')] });
    await settle();
    expect(titles()).toEqual(['Greetings']);
    suggester.input('hi');
    expect(titles()).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(1);
  });

  it('drops the earlier request when the visitor goes on typing, and never shows a stale answer', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    type(suggester, 'refund policy', 'refund');
    vi.advanceTimersByTime(350);
    expect(hub.calls.map((c) => c.q)).toEqual(['refund', 'refund policy']);
    expect(hub.calls[0]!.aborted()).toBe(true);
    hub.calls[1]!.answer(200, { items: [article('Refund policy')] });
    hub.calls[0]!.answer(200, { items: [article('Refunds')] });
    await settle();
    expect(titles()).toEqual(['Refund policy']);
  });

  it('does not ask again for the text whose answer is on its way, nor for one that just failed', async () => {
    const { hub, suggester } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    type(suggester, 'refund ', 'refund');
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(1);
    hub.calls[0]!.fail();
    await settle();
    type(suggester, 'refund  ', 'refund ');
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(1);
  });

  it('keeps showing the current answer until the next one arrives', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    hub.calls[0]!.answer(200, { items: [article('Refunds')] });
    await settle();
    type(suggester, 'refund card', 'refund');
    vi.advanceTimersByTime(350);
    expect(titles()).toEqual(['Refunds']);
    hub.calls[1]!.answer(200, { items: [article('Card refunds')] });
    await settle();
    expect(titles()).toEqual(['Card refunds']);
  });

  it('does not ask again for the same text: spacing aside, or back to an earlier draft', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    hub.calls[0]!.answer(200, { items: [article('Refunds')] });
    await settle();
    type(suggester, 'refund   ', 'refund');
    suggester.input('  refund \n');
    vi.advanceTimersByTime(1000);
    type(suggester, 'refunds', 'refund');
    suggester.input('refund'); // back within the pause: nothing new to ask
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(1);
    expect(titles()).toEqual(['Refunds']);

    suggester.input('');
    expect(titles()).toEqual([]);
    suggester.input('refund'); // pasted again later: remembered, shown at once
    expect(titles()).toEqual(['Refunds']);
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(1);
  });

  it('hides on send and forgets the request under way and the one about to start', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    type(suggester, 'refund now', 'refund');
    suggester.clear();
    expect(hub.calls[0]!.aborted()).toBe(true);
    hub.calls[0]!.answer(200, { items: [article('Refunds')] });
    await settle();
    vi.advanceTimersByTime(1000);
    expect(hub.calls).toHaveLength(1);
    expect(titles()).toEqual([]);
  });

  it('hides silently on a server error, a network failure or a malformed answer, and tries again on the next draft', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    hub.calls[0]!.answer(200, { items: [article('Refunds')] });
    await settle();
    expect(titles()).toEqual(['Refunds']);

    const next = async (text: string, respond: (c: Call) => void) => {
      suggester.input(text);
      vi.advanceTimersByTime(350);
      respond(hub.calls.at(-1)!);
      await settle();
      return titles();
    };
    expect(await next('refund a', (c) => c.answer(500, { error: { code: 'SB_ERR_INTERNAL', message: 'x' } }))).toEqual([]);
    expect(await next('refund b', (c) => c.answer(200, { items: [article('Refunds')] }))).toEqual(['Refunds']);
    expect(await next('refund c', (c) => c.fail())).toEqual([]);
    expect(await next('refund d', (c) => c.answer(200, '<html>proxy error</html>'))).toEqual([]);
    expect(await next('refund e', (c) => c.answer(200, { items: [article('Refunds')] }))).toEqual(['Refunds']);
    expect(hub.calls).toHaveLength(6);
  });

  it('stops asking for this page view when the hub knows no knowledge base for the token (404)', async () => {
    const { hub, suggester, titles } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    hub.calls[0]!.answer(404, { error: { code: 'SB_ERR_UNKNOWN_INBOX', message: 'unknown inbox' } });
    await settle();
    type(suggester, 'refund policy', 'refund');
    vi.advanceTimersByTime(5000);
    expect(hub.calls).toHaveLength(1);
    expect(titles()).toEqual([]);
  });

  it('pauses for 30 s after the hub says "too many requests" (429)', async () => {
    const { hub, suggester } = setup();
    type(suggester, 'refund');
    vi.advanceTimersByTime(350);
    hub.calls[0]!.answer(429, { error: { code: 'SB_ERR_RATE_LIMITED', message: 'slow down' } });
    await settle();
    type(suggester, 'refund policy', 'refund');
    vi.advanceTimersByTime(20_000);
    expect(hub.calls).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    suggester.input('refund policy?');
    vi.advanceTimersByTime(350);
    expect(hub.calls.map((c) => c.q)).toEqual(['refund', 'refund policy?']);
  });
});

describe('reading the hub’s answer', () => {
  it('keeps at most 3 well-formed articles with a web link', () => {
    const bad = [
      { ...article('Script'), url: 'javascript:alert(1)' },
      { ...article('Untitled'), title: '' },
      { title: 'No url' },
      null,
    ];
    expect(readSuggestions({ items: [...bad, article('A'), article('B'), article('C'), article('D')] }).map((s) => s.title)).toEqual(['A', 'B', 'C']);
    expect(readSuggestions({ items: 'nope' })).toEqual([]);
    expect(readSuggestions(null)).toEqual([]);
  });

  it('turns the snippet HTML into text and highlighted words, never into markup', () => {
    expect(snippetParts('Get a <mark>refund</mark> &amp; return &lt;b&gt;items&lt;/b&gt; &quot;fast&quot; &#39;now&#x27;')).toEqual([
      { text: 'Get a ', mark: false },
      { text: 'refund', mark: true },
      { text: ' & return <b>items</b> "fast" \'now\'', mark: false },
    ]);
    expect(snippetParts('<img src=x onerror=alert(1)><MARK>Refunds</MARK> in 5 days<script>x()</script>')).toEqual([
      { text: 'Refunds', mark: true },
      { text: ' in 5 daysx()', mark: false },
    ]);
    expect(snippetParts('&bogus; &#1114112; ok')).toEqual([{ text: '&bogus; &#1114112; ok', mark: false }]);
  });
});

describe('building the request', () => {
  it('normalizes the draft into a query of at least 3 characters', () => {
    expect(suggestionQuery('  how   do\nI ')).toBe('how do I');
    expect(suggestionQuery(' ab ')).toBe('');
    expect(suggestionQuery('👍👍')).toBe('');
    expect(suggestionQuery('día')).toBe('día');
    expect(suggestionQuery('x'.repeat(500))).toHaveLength(200);
  });

  it('encodes token, text and locale into the hub’s suggestions URL', () => {
    const url = new URL(suggestionsUrl('https://hub.example.com', 'to k&en', 'c’est à dire?', 'fr'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ token: 'to k&en', q: 'c’est à dire?', locale: 'fr' });
    expect(new URL(suggestionsUrl('https://hub.example.com', 't', 'abc')).searchParams.has('locale')).toBe(false);
  });

  it('sends the primary language of the browser', () => {
    expect(primaryLocale('de-AT')).toBe('de');
    expect(primaryLocale('EN')).toBe('en');
    expect(primaryLocale('')).toBeUndefined();
    expect(primaryLocale(undefined)).toBeUndefined();
    expect(primaryLocale('x-klingon')).toBeUndefined();
  });
});
