import type { AdminField, FieldType } from './admin-api.js';

/** The Ticket fields tab: a new custom field from a label, a type and (for a select) options. */

export const FIELD_TYPE_NAMES: Record<FieldType, string> = { text: 'Text', number: 'Number', select: 'Select (options)', date: 'Date' };

/** "Order number" → "order_number": the field's name in the API. */
export function keyFromLabel(label: string): string {
  const k = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[_0-9]+|_+$/g, '')
    .slice(0, 50)
    .replace(/_+$/, '');
  return k;
}

export interface FieldForm {
  label: string;
  /** Empty = made from the label. */
  key: string;
  type: FieldType;
  /** One option a line. */
  options: string;
}

export function fieldBody(f: FieldForm, existing: Pick<AdminField, 'key'>[] = []): { ok: true; body: Omit<AdminField, 'id'> } | { ok: false; error: string } {
  const label = f.label.trim();
  if (!label) return { ok: false, error: 'Give the field a label.' };
  if (label.length > 100) return { ok: false, error: 'A label has at most 100 characters.' };
  const key = f.key.trim() || keyFromLabel(label);
  if (!/^[a-z][a-z0-9_]{0,49}$/.test(key)) return { ok: false, error: 'The API name starts with a letter and has only a–z, 0–9 and _ (at most 50).' };
  if (existing.some((e) => e.key === key)) return { ok: false, error: `A field with the API name "${key}" exists.` };
  if (f.type !== 'select') return { ok: true, body: { key, label, type: f.type } };
  const options = [...new Set(f.options.split('\n').map((o) => o.trim()).filter(Boolean))];
  if (options.length === 0) return { ok: false, error: 'A select field needs options, one a line.' };
  if (options.length > 200) return { ok: false, error: 'A select field has at most 200 options.' };
  if (options.some((o) => o.length > 100)) return { ok: false, error: 'An option has at most 100 characters.' };
  return { ok: true, body: { key, label, type: 'select', options } };
}
