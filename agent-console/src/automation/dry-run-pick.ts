import type { ConversationView } from '@switchboard/contracts';

/**
 * The dry run's conversation picker. Lazy chunks keep away from the page's modules (they would
 * split its shared chunk), hence a contact label of its own.
 */

/** The contact's name, else handle, email or phone, else the conversation's id. */
export function contactLabel(c: ConversationView): string {
  const k = c.contact;
  return k.name?.trim() || k.handle?.trim() || k.email?.trim() || k.phone?.trim() || `Conversation ${c.id}`;
}

/**
 * The conversations a search means: the conversation's id as pasted, or the typed words in the
 * contact's name, handle, email or phone (ignoring case). Empty search: none.
 */
export function conversationMatches(list: readonly ConversationView[], query: string): ConversationView[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const byId = list.filter((c) => c.id.toLowerCase() === q);
  if (byId.length) return byId;
  return list.filter((c) => [c.contact.name, c.contact.handle, c.contact.email, c.contact.phone].some((v) => typeof v === 'string' && v.toLowerCase().includes(q)));
}
