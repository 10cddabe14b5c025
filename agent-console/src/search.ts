import type { Channel } from '@switchboard/contracts';

/**
 * Search across messages, contacts and tickets (GET /api/v1/search): the pure logic
 * ui/search-view.tsx (a chunk loaded when the dialog first opens) runs on. Whether the dialog is
 * open is `searchOpen` in ui/context.ts, so the page's own files stay as they are.
 */

export interface MessageHit {
  conversationId: string;
  messageId: string;
  seq: number;
  /** Matched words in <mark>, everything else HTML-escaped by the server. */
  snippet: string;
  channel: Channel;
  contactName: string | null;
  createdAt: string;
}

export interface ContactHit {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  channel: Channel;
  conversationId: string | null;
}

export interface TicketHit {
  id: string;
  number: number;
  subject: string;
  status: string;
  snippet: string;
  conversationId: string | null;
}

export interface SearchResults {
  messages: MessageHit[];
  contacts: ContactHit[];
  tickets: TicketHit[];
}

/** One line of the overlay, in the order ↑ / ↓ move through them. */
export type SearchRow =
  | { kind: 'message'; key: string; conversationId: string; hit: MessageHit }
  | { kind: 'contact'; key: string; conversationId: string | null; hit: ContactHit }
  | { kind: 'ticket'; key: string; conversationId: string | null; hit: TicketHit };

/** Hits per group. */
export const SEARCH_LIMIT = 8;

/** A query worth sending: it has a letter or a digit (the server refuses punctuation alone). */
export function searchable(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(q);
}

export function searchPath(q: string, limit = SEARCH_LIMIT): string {
  return `/api/v1/search?${new URLSearchParams({ q: q.trim(), limit: String(limit) }).toString()}`;
}

/** The groups as the overlay shows them: conversations (messages), then contacts, then tickets. */
export function searchRows(r: SearchResults): SearchRow[] {
  return [
    ...r.messages.map((hit): SearchRow => ({ kind: 'message', key: `m:${hit.messageId}`, conversationId: hit.conversationId, hit })),
    ...r.contacts.map((hit): SearchRow => ({ kind: 'contact', key: `c:${hit.id}`, conversationId: hit.conversationId, hit })),
    ...r.tickets.map((hit): SearchRow => ({ kind: 'ticket', key: `t:${hit.id}`, conversationId: hit.conversationId, hit })),
  ];
}

/** The row ↑ (-1) or ↓ (1) moves to from `at`, wrapping at both ends. */
export function moveActive(at: number, step: 1 | -1, count: number): number {
  if (count === 0) return 0;
  return (at + step + count) % count;
}
