import type { TicketFinder } from '@switchboard/inbox-service';
import type { TicketStore } from './repository.js';
import type { TicketSearch } from './search.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));

/**
 * Tickets for GET /api/v1/search (the inbox service's route): the ticket index finds them, and
 * the caller's repositories keep only those of inboxes the caller may see — the same two steps
 * as GET /tickets?q=. A number ("#42" or "42") finds that ticket first.
 */
export function ticketFinder(search: TicketSearch, store: TicketStore): TicketFinder {
  return async (principal, text, limit) => {
    const byNumber = /^#?(\d{1,12})$/.exec(text.trim());
    const found: { id: string; snippet: string | null }[] = byNumber ? (await search.find(principal.tenantId, text, 1)).map((id) => ({ id, snippet: null })) : [];
    const seen = new Set(found.map((h) => h.id));
    for (const h of await search.hits(principal.tenantId, text, limit)) if (!seen.has(h.id)) found.push(h);
    const ids = found.map((h) => h.id);
    if (ids.length === 0) return [];
    const visible = new Map((await store.forPrincipal(principal).tickets.find({ _id: { $in: ids } }, { limit: ids.length })).map((t) => [t._id, t]));
    return found.flatMap(({ id, snippet }) => {
      const t = visible.get(id);
      return t ? [{ id: t._id, number: t.number, subject: t.subject, status: t.status, snippet: snippet ?? escapeHtml(t.subject), conversationId: t.conversationIds[0] ?? null }] : [];
    }).slice(0, limit);
  };
}
