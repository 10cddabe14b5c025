/**
 * Kommo (amoCRM) API v4 with a long-lived token. Phones and emails are the system multitext
 * fields PHONE and EMAIL; attributes map to contact fields by id or code; handles live in a text
 * custom field when one is configured (`handlesFieldId`), else in a note — Kommo has no handle
 * field of its own, and then a look-up by handle finds nothing (docs/crm.md).
 */
import { checkFailure, parseRetryAfter } from './errors.js';
import { RestClient, obj, str, type RestResponse } from './http.js';
import {
  added,
  comparablePhone,
  formatHandles,
  handleKey,
  normalizeEmail,
  normalizeHandle,
  normalizePhone,
  parseHandles,
  union,
  type CountryCode,
} from './normalize.js';
import { CrmError, type ChannelHandle, type ContactInput, type ContactLookup, type CrmContact, type CrmNote, type CrmProvider } from './types.js';

export interface KommoCrmOptions {
  /** Long-lived token of a private integration (Settings → Integrations). */
  token: string;
  /** The account's address: https://<subdomain>.kommo.com or https://<subdomain>.amocrm.ru. */
  baseUrl: string;
  /** Id of a text custom field of contacts holding the handles ("telegram:123;…"); default none: handles go into a note. */
  handlesFieldId?: number;
  /** Attribute name → contact field id (number) or field code (string); default { jobtitle: "POSITION" }. */
  attributeFields?: Record<string, number | string>;
  /** Country of phone numbers stored without "+"; default none. */
  defaultCountry?: CountryCode;
  /** Milliseconds before a request fails as retryable; default 10000. */
  timeoutMs?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

const CONTACTS = '/api/v4/contacts';
/** Candidates per search: Kommo's `query` matches parts of any field, so answers are checked here. */
const SEARCH_LIMIT = 10;
/** How a note holding handles starts (when there is no handles field). */
const HANDLES_NOTE = 'Switchboard handles: ';

interface FieldValue {
  value?: unknown;
  enum_id?: number;
  enum_code?: string;
}

interface Field {
  field_id?: number;
  field_code?: string | null;
  values?: FieldValue[];
}

/** Where a value goes in custom_fields_values: a system field code or a field id. */
type FieldRef = { field_code: string } | { field_id: number };

export class KommoCrm implements CrmProvider {
  readonly kind = 'kommo' as const;
  private readonly http: RestClient;
  private readonly base: string;
  private readonly attributeFields: Record<string, number | string>;

  constructor(private readonly opts: KommoCrmOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.attributeFields = opts.attributeFields ?? { jobtitle: 'POSITION' };
    this.http = new RestClient({
      provider: 'Kommo',
      baseUrl: this.base,
      token: opts.token,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      describeError: describeKommoError,
    });
  }

  /** Kommo's `query` for each identifier in turn (handle, email, phone); 204 means nothing found. */
  async find(lookup: ContactLookup): Promise<CrmContact | null> {
    if (lookup.handle && this.opts.handlesFieldId !== undefined) {
      const key = handleKey(lookup.handle);
      const found = (await this.search(key)).find((c) => c.handles.some((h) => handleKey(h) === key));
      if (found) return found;
    }
    const email = lookup.email ? normalizeEmail(lookup.email) : null;
    if (email) {
      const found = (await this.search(email)).find((c) => c.emails.includes(email));
      if (found) return found;
    }
    const phone = lookup.phone ? normalizePhone(lookup.phone, this.opts.defaultCountry) : null;
    if (phone) {
      // Digits only: Kommo keeps phones as typed, and its search matches any part of them.
      const found = (await this.search(phone.slice(1))).find((c) => c.phones.includes(phone));
      if (found) return found;
    }
    return null;
  }

  async get(id: string): Promise<CrmContact | null> {
    const raw = await this.read(id);
    return raw ? this.toContact(raw) : null;
  }

  async create(input: ContactInput): Promise<CrmContact> {
    const fields = this.writeFields([], input);
    const res = await this.http.request('POST', CONTACTS, {
      body: [{ ...(input.name !== undefined ? { name: input.name } : {}), ...(fields.length ? { custom_fields_values: fields } : {}) }],
    });
    const created = obj(obj(res.body)._embedded).contacts;
    const id = str(obj(Array.isArray(created) ? created[0] : undefined).id);
    if (!id) throw new CrmError('Kommo answered without the new contact’s id.', true);
    await this.handlesNote(id, [], input.handles ?? []);
    return this.toContact({ id: Number(id), name: input.name ?? '', custom_fields_values: fields });
  }

  /** Reads the contact, then writes whole lists back: PATCH replaces a field's values. */
  async update(id: string, patch: ContactInput): Promise<CrmContact> {
    const current = await this.read(id);
    if (!current) throw new CrmError(`Kommo has no contact ${id}.`, false, 404);
    const before = fieldsOf(current);
    const fields = this.writeFields(before, patch);
    const body = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(fields.length ? { custom_fields_values: fields } : {}) };
    if (Object.keys(body).length) await this.http.request('PATCH', `${CONTACTS}/${encodeURIComponent(id)}`, { body });
    if (this.opts.handlesFieldId === undefined && patch.handles?.length) await this.handlesNote(id, await this.notedHandles(id), patch.handles);
    const replaced = (f: Field) => fields.some((n) => sameField(n, f));
    return this.toContact({ ...current, ...(patch.name !== undefined ? { name: patch.name } : {}), custom_fields_values: [...before.filter((f) => !replaced(f)), ...fields] });
  }

  async addNote(contactId: string, note: CrmNote): Promise<void> {
    const text = note.url ? `${note.text}\n${note.url}` : note.text;
    await this.http.request('POST', `${CONTACTS}/${encodeURIComponent(contactId)}/notes`, { body: [{ note_type: 'common', params: { text } }] });
  }

  async check(): Promise<{ ok: boolean; reason?: string }> {
    try {
      await this.http.request('GET', '/api/v4/account');
      return { ok: true };
    } catch (err) {
      return checkFailure('Kommo', err);
    }
  }

  private async search(query: string): Promise<CrmContact[]> {
    const res = await this.http.request('GET', CONTACTS, { query: { query, limit: SEARCH_LIMIT } });
    if (res.status === 204) return [];
    const contacts = obj(obj(res.body)._embedded).contacts;
    return (Array.isArray(contacts) ? contacts : []).map((c) => this.toContact(c));
  }

  /** The contact, or null: Kommo answers 204 (and sometimes 404) for an id it does not have. */
  private async read(id: string): Promise<Record<string, unknown> | null> {
    if (!/^\d+$/.test(id)) return null;
    const res = await this.http.request('GET', `${CONTACTS}/${id}`, { allow: [204, 404] });
    return res.status === 200 ? obj(res.body) : null;
  }

  /** Handles earlier notes of this adapter recorded (only read when there is no handles field). */
  private async notedHandles(id: string): Promise<ChannelHandle[]> {
    const res = await this.http.request('GET', `${CONTACTS}/${encodeURIComponent(id)}/notes`, { query: { 'filter[note_type]': 'common', limit: 250 } });
    if (res.status === 204) return [];
    const notes = obj(obj(res.body)._embedded).notes;
    return (Array.isArray(notes) ? notes : []).flatMap((n) => {
      const text = str(obj(obj(n).params).text) ?? '';
      return text.startsWith(HANDLES_NOTE) ? text.slice(HANDLES_NOTE.length).split(',').flatMap((k) => parseHandles(k.trim())) : [];
    });
  }

  /** Without a handles field, new handles are written where people see them: a note. */
  private async handlesNote(id: string, known: ChannelHandle[], given: ChannelHandle[]): Promise<void> {
    if (this.opts.handlesFieldId !== undefined) return;
    const fresh = added(known, given.map(normalizeHandle), handleKey);
    if (fresh.length) await this.addNote(id, { text: `${HANDLES_NOTE}${fresh.map(handleKey).join(', ')}` });
  }

  /** custom_fields_values to send: full lists for every field that changes. */
  private writeFields(before: Field[], input: ContactInput): Field[] {
    const out: Field[] = [];
    const current = this.toContact({ id: 0, custom_fields_values: before });
    const emails = added(current.emails, (input.emails ?? []).map((e) => normalizeEmail(e) ?? e.trim().toLowerCase()));
    if (emails.length) out.push({ field_code: 'EMAIL', values: [...valuesOf(before, { field_code: 'EMAIL' }), ...emails.map((value) => ({ value, enum_code: 'WORK' }))] });
    const phones = added(current.phones, (input.phones ?? []).map((p) => normalizePhone(p, this.opts.defaultCountry) ?? p.trim()));
    if (phones.length) out.push({ field_code: 'PHONE', values: [...valuesOf(before, { field_code: 'PHONE' }), ...phones.map((value) => ({ value, enum_code: 'WORK' }))] });
    if (this.opts.handlesFieldId !== undefined) {
      const handles = added(current.handles, (input.handles ?? []).map(normalizeHandle), handleKey);
      if (handles.length) out.push({ field_id: this.opts.handlesFieldId, values: [{ value: formatHandles(union(current.handles, handles, handleKey)) }] });
    }
    for (const [key, value] of Object.entries(input.attributes ?? {})) {
      const ref = this.attributeFields[key];
      if (ref === undefined) throw new CrmError(`No Kommo field is mapped for the attribute "${key}"; add it to attributeFields.`, false);
      out.push({ ...toRef(ref), values: [{ value }] });
    }
    return out;
  }

  private toContact(raw: unknown): CrmContact {
    const c = obj(raw);
    const id = str(c.id);
    if (id === undefined) throw new CrmError('Kommo answered without a contact id.', true);
    const fields = fieldsOf(c);
    const texts = (ref: FieldRef) => valuesOf(fields, ref).flatMap((v) => (typeof v.value === 'string' && v.value.trim() ? [v.value] : []));
    const emails = texts({ field_code: 'EMAIL' }).map((e) => normalizeEmail(e) ?? e.trim().toLowerCase());
    const phones = texts({ field_code: 'PHONE' }).map((p) => comparablePhone(p, this.opts.defaultCountry));
    const handles = this.opts.handlesFieldId !== undefined ? texts({ field_id: this.opts.handlesFieldId }).flatMap(parseHandles) : [];
    const attributes: Record<string, string> = {};
    for (const [key, ref] of Object.entries(this.attributeFields)) {
      const value = texts(toRef(ref))[0];
      if (value !== undefined) attributes[key] = value;
    }
    const name = str(c.name)?.trim();
    return {
      id,
      ...(name ? { name } : {}),
      emails: added([], emails),
      phones: added([], phones),
      handles: added([], handles, handleKey),
      attributes,
      url: `${this.base}/contacts/detail/${id}`,
    };
  }
}

const toRef = (ref: number | string): FieldRef => (typeof ref === 'number' ? { field_id: ref } : { field_code: ref });

function fieldsOf(contact: Record<string, unknown>): Field[] {
  const raw = contact.custom_fields_values;
  return Array.isArray(raw) ? (raw.filter((f) => typeof f === 'object' && f !== null) as Field[]) : [];
}

function sameField(a: Field, b: Field | FieldRef): boolean {
  if ('field_code' in b && b.field_code && a.field_code === b.field_code) return true;
  return 'field_id' in b && b.field_id !== undefined && a.field_id === b.field_id;
}

/** The values of a field as stored, kept whole (enum ids and codes) when written back. */
function valuesOf(fields: Field[], ref: FieldRef): FieldValue[] {
  return fields
    .filter((f) => sameField(f, ref))
    .flatMap((f) => f.values ?? [])
    .map((v) => ({ value: v.value, ...(v.enum_code ? { enum_code: v.enum_code } : v.enum_id !== undefined ? { enum_id: v.enum_id } : {}) }));
}

/**
 * Kommo's problem+json: { title, type, status, detail } plus `validation-errors` for a 400
 * ([{ request_id, errors: [{ code, path, detail }] }]). No Retry-After on its 429 (limit: 7
 * requests a second), so a second it is.
 */
export function describeKommoError(res: RestResponse): { detail?: string; retryAfterMs?: number } {
  const body = obj(res.body);
  const issues = Array.isArray(body['validation-errors'])
    ? body['validation-errors'].flatMap((group) => {
        const errs = obj(group).errors;
        return Array.isArray(errs) ? errs.map((e) => `${str(obj(e).path) ?? '?'}: ${str(obj(e).detail) ?? str(obj(e).code) ?? 'invalid'}`) : [];
      })
    : [];
  const base = str(body.detail) ?? str(body.title) ?? (typeof res.body === 'string' ? res.body.slice(0, 200) : undefined);
  const hint = str(body.hint);
  const detail = [base, hint ? `(${hint})` : undefined, issues.length ? `— ${issues.join('; ')}` : undefined].filter(Boolean).join(' ') || undefined;
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after')) ?? (res.status === 429 ? 1000 : undefined);
  return { ...(detail ? { detail } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
