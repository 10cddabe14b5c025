import type { KbSuggestion } from '@switchboard/contracts';
import { createStore, type Store } from './store.js';

/**
 * Suggested help articles while the visitor writes (deflection): after a pause in typing, ask the
 * hub's knowledge base for articles matching the draft and show up to three above the composer.
 * They are a nicety, so every failure just hides them; nothing here can break the chat.
 */

/** The part of a fetch Response the suggester reads. */
export interface SuggestionsResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export interface SuggesterOptions {
  /** Origin of the hub, e.g. `https://hub.example.com`. */
  hubOrigin: string;
  /** The widget's inbox token; the hub finds the tenant's knowledge base by it. */
  inboxToken: string;
  /** The visitor's language, e.g. "de"; omitted = the hub's default. */
  locale?: string | undefined;
  /** Default: the browser's fetch. */
  fetch?: (url: string, init: { signal: AbortSignal }) => Promise<SuggestionsResponse>;
  /** Quiet time after the last keystroke before asking. Default 350 ms. */
  debounceMs?: number;
  /** How long to stop asking after the hub answered 429. Default 30 000 ms. */
  rateLimitPauseMs?: number;
}

export interface Suggester {
  /** Articles to show; empty = show none. */
  readonly items: Store<readonly KbSuggestion[]>;
  /** The composer's text changed. */
  input(text: string): void;
  /** The message was sent or the panel closed: hide them and drop any pending request. */
  clear(): void;
}

/** Shorter drafts get no suggestions (the hub answers none below this either). */
export const MIN_QUERY_CHARS = 3;
const MAX_QUERY_CHARS = 200;
const MAX_ITEMS = 3;
/** Answers kept per page view, so going back to an earlier draft asks nothing. */
const MAX_REMEMBERED = 20;
/** One shared empty list: the store (and Preact) see "no change" and skip a render. */
const NONE: readonly KbSuggestion[] = [];

/** What to ask for a draft: trimmed, spaces collapsed, capped; '' when too short to ask. */
export function suggestionQuery(text: string): string {
  const q = text.trim().replace(/\s+/g, ' ').slice(0, MAX_QUERY_CHARS);
  // Counted in characters, as the hub counts them ("😀" is one).
  return [...q].length >= MIN_QUERY_CHARS ? q : '';
}

export function suggestionsUrl(hubOrigin: string, inboxToken: string, q: string, locale?: string): string {
  const params = new URLSearchParams({ token: inboxToken, q });
  if (locale) params.set('locale', locale);
  return `${hubOrigin}/api/v1/widget/kb/suggestions?${params}`;
}

/** "de-AT" → "de"; undefined for anything that is not a language tag. */
export function primaryLocale(tag: string | undefined): string | undefined {
  const primary = tag?.split('-')[0]!.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/** The usable articles of an answer: well-formed, with an http(s) link, at most three. */
export function readSuggestions(body: unknown): KbSuggestion[] {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  return items.filter(isSuggestion).slice(0, MAX_ITEMS);
}

function isSuggestion(x: unknown): x is KbSuggestion {
  const s = x as Partial<Record<keyof KbSuggestion, unknown>> | null;
  return (
    typeof s?.title === 'string' &&
    s.title !== '' &&
    typeof s.url === 'string' &&
    /^https?:\/\//i.test(s.url) &&
    typeof s.articleId === 'string' &&
    typeof s.snippet === 'string'
  );
}

export interface SnippetPart {
  text: string;
  /** A matched word, shown highlighted. */
  mark: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * The hub's snippet HTML (matches in <mark>, the rest escaped) as plain text pieces, so the widget
 * renders it as text and <mark> elements and never parses HTML from the network. Any other tag is
 * dropped.
 */
export function snippetParts(html: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  // The capture makes every odd piece the slash (or not) of a <mark> / </mark> tag.
  html.split(/<(\/?)mark\s*>/i).forEach((piece, i) => {
    if (i % 2) return void (mark = !piece);
    const text = decodeEntities(piece.replace(/<[^>]*>?/g, ''));
    if (text) parts.push({ text, mark });
  });
  return parts;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? all;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

export function createSuggester(opts: SuggesterOptions): Suggester {
  // Wrapped: the browser's fetch throws "Illegal invocation" when called as another object's method.
  const get = opts.fetch ?? ((url, init) => fetch(url, init));
  const debounceMs = opts.debounceMs ?? 350;
  const items = createStore(NONE);
  const remembered = new Map<string, readonly KbSuggestion[]>();
  /** The query whose answer is shown or on its way ('' = none): the same text is not asked again. */
  let current = '';
  let request: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pausedUntil = 0;
  /** The hub has no knowledge base for this token (404): asking again would not change that. */
  let off = false;

  const show = (q: string, list: readonly KbSuggestion[]) => {
    current = q;
    request?.abort();
    request = undefined;
    items.set(list.length ? list : NONE);
  };

  async function ask(q: string): Promise<void> {
    current = q;
    request?.abort();
    const mine = (request = new AbortController());
    let list: readonly KbSuggestion[] = NONE;
    try {
      const res = await get(suggestionsUrl(opts.hubOrigin, opts.inboxToken, q, opts.locale), { signal: mine.signal });
      if (res.status === 404) off = true;
      if (res.status === 429) pausedUntil = Date.now() + (opts.rateLimitPauseMs ?? 30_000);
      if (res.ok) {
        list = readSuggestions(await res.json());
        if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
        remembered.set(q, list);
      }
    } catch {
      // Offline, aborted, CORS, bad JSON: show nothing.
    }
    // A newer draft (or a clear) took over while this one was on its way: its answer is stale.
    if (request !== mine) return;
    request = undefined;
    items.set(list.length ? list : NONE);
  }

  return {
    items,
    input(text) {
      const q = suggestionQuery(text);
      clearTimeout(timer);
      if (q === current) return;
      const known = remembered.get(q);
      if (!q || off || Date.now() < pausedUntil) show('', NONE);
      else if (known) show(q, known);
      else timer = setTimeout(() => void ask(q), debounceMs);
    },
    clear() {
      clearTimeout(timer);
      show('', NONE);
    },
  };
}
