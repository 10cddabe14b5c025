import type { PreChatField, WidgetVisitor } from '@switchboard/contracts';

/** Fields that fill the contact, with their autocomplete names; any other key is a custom attribute. */
export const CONTACT: Record<string, string> = { name: 'name', email: 'email', phone: 'tel' };
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the visitor already answered for a pre-chat field ('' for nothing). */
export const answer = (visitor: WidgetVisitor | null, key: string): string =>
  (CONTACT[key] ? visitor?.[key as 'name'] : visitor?.attributes[key]) ?? '';

/**
 * The pre-chat form comes first while a required field is unanswered, or, when all are optional,
 * none is. Decided here, in the chat's core; the form itself (prechat.tsx) is loaded only then.
 */
export function needsForm(fields: readonly PreChatField[], visitor: WidgetVisitor | null): boolean {
  const open = (f: PreChatField) => !answer(visitor, f.key);
  return fields.some((f) => f.required && open(f)) || (fields.length > 0 && fields.every((f) => !f.required && open(f)));
}
