import type { TicketChange, TicketView } from '@switchboard/contracts';

/**
 * The ticket panel's custom fields (lazy chunk only): a stored value as its input shows it, what
 * the agent typed as the value to store, and the PATCH body. The server validates every value and
 * explains a refusal in a sentence, so the console does not repeat its rules: text it cannot read
 * as a number is sent as typed and the server's sentence says why it was refused.
 */

/** A custom field as GET /api/v1/ticket-fields lists it (ticketing admin-routes FieldView). */
export interface TicketFieldDef {
  id: string;
  /** Name in the API and in the ticket's `fields`, e.g. "order_number". */
  key: string;
  label: string;
  type: 'text' | 'number' | 'select' | 'date';
  /** Select fields only. */
  options?: string[];
}

export type FieldValue = TicketView['fields'][string];

export const FIELDS_PATH = '/api/v1/ticket-fields';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A plain decimal, with a dot or a comma: "12", "-3.5", "0,25", ".5". */
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

/** What the field's input shows for a stored value (empty: no value). */
export function toInput(def: TicketFieldDef, value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  // A date input only takes YYYY-MM-DD; anything else shows as no date rather than a broken one.
  if (def.type === 'date') return typeof value === 'string' && DATE.test(value) ? value : '';
  return String(value);
}

/** The value to store for what the agent entered: empty clears the field, numbers become numbers. */
export function fromInput(def: TicketFieldDef, input: string): FieldValue {
  const text = def.type === 'text' ? input : input.trim();
  if (!text.trim()) return null;
  if (def.type === 'number' && DECIMAL.test(text)) return Number(text.replace(',', '.'));
  return text;
}

/** Whether saving `next` would change nothing (a missing value is no value). */
export function sameValue(held: FieldValue | undefined, next: FieldValue): boolean {
  return (held ?? null) === next;
}

/** A select's choices: the field's options, and a stored value no longer among them so it still shows. */
export function selectOptions(def: TicketFieldDef, value: FieldValue | undefined): string[] {
  const options = def.options ?? [];
  return typeof value === 'string' && value && !options.includes(value) ? [value, ...options] : options;
}

/** The PATCH /api/v1/tickets/:id body that sets one field (null clears it). */
export function fieldChange(key: string, value: FieldValue): TicketChange {
  return { fields: { [key]: value } };
}

/** The later of two versions of one ticket: what the panel holds or what a save answered. */
export function newerVersion(held: TicketView, saved: TicketView | null): TicketView {
  return saved && saved.id === held.id && Date.parse(saved.updatedAt) > Date.parse(held.updatedAt) ? saved : held;
}
