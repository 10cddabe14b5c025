import type { AdminField, FieldType } from './admin-api.js';
import { t } from '../i18n/admin.js';

/** The Ticket fields tab: a new custom field from a label, a type and (for a select) options. */

export const FIELD_TYPES: FieldType[] = ['text', 'number', 'select', 'date'];
export const fieldTypeName = (type: FieldType): string => t(`fieldType.${type}`);

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
  if (!label) return { ok: false, error: t('fields.noLabel') };
  if (label.length > 100) return { ok: false, error: t('fields.longLabel') };
  const key = f.key.trim() || keyFromLabel(label);
  if (!/^[a-z][a-z0-9_]{0,49}$/.test(key)) return { ok: false, error: t('fields.badKey') };
  if (existing.some((e) => e.key === key)) return { ok: false, error: t('fields.keyTaken', { key }) };
  if (f.type !== 'select') return { ok: true, body: { key, label, type: f.type } };
  const options = [...new Set(f.options.split('\n').map((o) => o.trim()).filter(Boolean))];
  if (options.length === 0) return { ok: false, error: t('fields.noOptions') };
  if (options.length > 200) return { ok: false, error: t('fields.manyOptions') };
  if (options.some((o) => o.length > 100)) return { ok: false, error: t('fields.longOption') };
  return { ok: true, body: { key, label, type: 'select', options } };
}
