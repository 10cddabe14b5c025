/**
 * HubSpot CRM v3 with a private-app token. Contacts: firstname/lastname, `email` plus
 * `hs_additional_emails` (";"-separated), `phone` and `mobilephone`, `company`, and the handles in
 * a custom text property (default `switchboard_handles`, "telegram:123;whatsapp:+7916…") that the
 * portal must have (docs/crm.md). Notes are engagements associated with the contact (type 202).
 */
import { checkFailure, parseRetryAfter } from './errors.js';
import { RestClient, obj, str, type RestResponse } from './http.js';
import {
  added,
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

export interface HubSpotCrmOptions {
  /** Private-app access token ("pat-…") with crm.objects.contacts.read/write. */
  token: string;
  /** API base; default https://api.hubapi.com. */
  baseUrl?: string;
  /** Custom contact property (single-line text) holding the handles; default "switchboard_handles". */
  handlesProperty?: string;
  /** HubSpot contact properties that `attributes` read and write, by internal name; default ["jobtitle"]. */
  attributeProperties?: string[];
  /** The portal (hub) id; with it contacts carry a `url` into HubSpot. Default none. */
  portalId?: string;
  /** HubSpot's web app, for `url`; default https://app.hubspot.com (EU portals: https://app-eu1.hubspot.com). */
  appUrl?: string;
  /** Country of phone numbers stored without "+"; default none. */
  defaultCountry?: CountryCode;
  /** Milliseconds before a request fails as retryable; default 10000. */
  timeoutMs?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

const CONTACTS = '/crm/v3/objects/contacts';
/** HubSpot-defined association type "note to contact". */
const NOTE_TO_CONTACT = 202;
/** Enough candidates to find the one that really matches after HubSpot's looser token search. */
const SEARCH_LIMIT = 10;

type Properties = Record<string, string | null | undefined>;

export class HubSpotCrm implements CrmProvider {
  readonly kind = 'hubspot' as const;
  private readonly http: RestClient;
  private readonly handlesProperty: string;
  private readonly attributeProperties: string[];
  private readonly properties: string[];

  constructor(private readonly opts: HubSpotCrmOptions) {
    this.handlesProperty = opts.handlesProperty ?? 'switchboard_handles';
    this.attributeProperties = opts.attributeProperties ?? ['jobtitle'];
    this.properties = [
      ...new Set(['firstname', 'lastname', 'email', 'hs_additional_emails', 'phone', 'mobilephone', 'company', this.handlesProperty, ...this.attributeProperties]),
    ];
    this.http = new RestClient({
      provider: 'HubSpot',
      baseUrl: opts.baseUrl ?? 'https://api.hubapi.com',
      token: opts.token,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      describeError: describeHubSpotError,
    });
  }

  /**
   * One search request: a filter group per identifier (groups are ORed), then the candidates are
   * checked here — handle first, then email, then phone — so a loose token match never links
   * the wrong person. HubSpot's search index lags writes by a few seconds.
   */
  async find(lookup: ContactLookup): Promise<CrmContact | null> {
    const key = lookup.handle ? handleKey(lookup.handle) : undefined;
    const email = lookup.email ? normalizeEmail(lookup.email) : null;
    const phone = lookup.phone ? normalizePhone(lookup.phone, this.opts.defaultCountry) : null;
    const groups: { filters: { propertyName: string; operator: string; value: string }[] }[] = [];
    if (key) groups.push({ filters: [{ propertyName: this.handlesProperty, operator: 'CONTAINS_TOKEN', value: key }] });
    // `email` EQ also matches the secondary addresses in hs_additional_emails.
    if (email) groups.push({ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] });
    if (phone) {
      groups.push({ filters: [{ propertyName: 'phone', operator: 'EQ', value: phone }] });
      groups.push({ filters: [{ propertyName: 'mobilephone', operator: 'EQ', value: phone }] });
    }
    if (groups.length === 0) return null;
    const res = await this.http.request('POST', `${CONTACTS}/search`, {
      body: { filterGroups: groups, properties: this.properties, limit: SEARCH_LIMIT },
    });
    const results = obj(res.body).results;
    const candidates = (Array.isArray(results) ? results : []).map((r) => this.toContact(r));
    return (
      (key && candidates.find((c) => c.handles.some((h) => handleKey(h) === key))) ||
      (email && candidates.find((c) => c.emails.includes(email))) ||
      (phone && candidates.find((c) => c.phones.includes(phone))) ||
      null
    );
  }

  async get(id: string): Promise<CrmContact | null> {
    const res = await this.read(id);
    return res ? this.toContact(res) : null;
  }

  async create(input: ContactInput): Promise<CrmContact> {
    const properties = this.writeProperties({}, input);
    const res = await this.http.request('POST', CONTACTS, { body: { properties } });
    return this.toContact(res.body);
  }

  /** Reads the contact, then writes the merged lists back: HubSpot properties are replaced whole. */
  async update(id: string, patch: ContactInput): Promise<CrmContact> {
    const current = await this.read(id);
    if (!current) throw new CrmError(`HubSpot has no contact ${id}.`, false, 404);
    const before = obj(obj(current).properties) as Properties;
    const properties = this.writeProperties(before, patch);
    if (Object.keys(properties).length === 0) return this.toContact(current);
    await this.http.request('PATCH', `${CONTACTS}/${encodeURIComponent(id)}`, { body: { properties } });
    return this.toContact({ ...obj(current), properties: { ...before, ...properties } });
  }

  async addNote(contactId: string, note: CrmNote): Promise<void> {
    const body = note.url ? `${escapeHtml(note.text)}<br><a href="${escapeHtml(note.url)}">${escapeHtml(note.url)}</a>` : escapeHtml(note.text);
    await this.http.request('POST', '/crm/v3/objects/notes', {
      body: {
        properties: { hs_note_body: body, hs_timestamp: new Date().toISOString() },
        associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_CONTACT }] }],
      },
    });
  }

  async check(): Promise<{ ok: boolean; reason?: string }> {
    try {
      await this.http.request('GET', CONTACTS, { query: { limit: 1 } });
      return { ok: true };
    } catch (err) {
      return checkFailure('HubSpot', err);
    }
  }

  private async read(id: string): Promise<unknown> {
    const res = await this.http.request('GET', `${CONTACTS}/${encodeURIComponent(id)}`, {
      query: { properties: this.properties.join(',') },
      allow: [404],
    });
    return res.status === 404 ? null : res.body;
  }

  /**
   * Properties to send for `input` over what the contact has (`before`; {} on create). Emails
   * fill `email`, then join `hs_additional_emails`; phones fill `phone`, then `mobilephone` —
   * HubSpot keeps two numbers, further ones are not written (docs/crm.md).
   */
  private writeProperties(before: Properties, input: ContactInput): Record<string, string> {
    const out: Record<string, string> = {};
    if (input.name !== undefined) {
      const [first, ...rest] = input.name.trim().split(/\s+/);
      out.firstname = first ?? '';
      out.lastname = rest.join(' ');
    }
    const known = this.contactOf(before);
    const emails = added(known.emails, (input.emails ?? []).map((e) => normalizeEmail(e) ?? e.trim().toLowerCase()));
    if (emails.length && !before.email) out.email = emails.shift()!;
    if (emails.length) out.hs_additional_emails = [...splitList(before.hs_additional_emails), ...emails].join(';');
    const phones = added(known.phones, (input.phones ?? []).map((p) => normalizePhone(p, this.opts.defaultCountry) ?? p.trim()));
    if (phones.length && !before.phone) out.phone = phones.shift()!;
    if (phones.length && !before.mobilephone) out.mobilephone = phones.shift()!;
    const handles = added(known.handles, (input.handles ?? []).map(normalizeHandle), handleKey);
    if (handles.length) out[this.handlesProperty] = formatHandles(union(known.handles, handles, handleKey));
    if (input.company !== undefined) out.company = input.company;
    for (const [key, value] of Object.entries(input.attributes ?? {})) {
      if (!this.attributeProperties.includes(key)) {
        throw new CrmError(`No HubSpot property is mapped for the attribute "${key}"; add it to attributeProperties.`, false);
      }
      out[key] = value;
    }
    return out;
  }

  private contactOf(p: Properties): Omit<CrmContact, 'id'> {
    const emails = [p.email, ...splitList(p.hs_additional_emails)].flatMap((e) => (e ? [normalizeEmail(e) ?? e.trim().toLowerCase()] : []));
    const phones = [p.phone, p.mobilephone].flatMap((n) => (n?.trim() ? [normalizePhone(n, this.opts.defaultCountry) ?? n.trim()] : []));
    const attributes: Record<string, string> = {};
    for (const key of this.attributeProperties) {
      const v = p[key];
      if (typeof v === 'string' && v !== '') attributes[key] = v;
    }
    const name = [p.firstname, p.lastname].filter((s): s is string => !!s?.trim()).join(' ');
    return {
      ...(name ? { name } : {}),
      emails: added([], emails),
      phones: added([], phones),
      handles: added([] as ChannelHandle[], parseHandles(p[this.handlesProperty]), handleKey),
      ...(p.company ? { company: p.company } : {}),
      attributes,
    };
  }

  private toContact(raw: unknown): CrmContact {
    const o = obj(raw);
    const id = str(o.id);
    if (!id) throw new CrmError('HubSpot answered without a contact id.', true);
    const url = this.opts.portalId ? `${(this.opts.appUrl ?? 'https://app.hubspot.com').replace(/\/+$/, '')}/contacts/${this.opts.portalId}/record/0-1/${id}` : undefined;
    return { id, ...this.contactOf(obj(o.properties) as Properties), ...(url ? { url } : {}) };
  }
}

function splitList(value: string | null | undefined): string[] {
  return (value ?? '').split(';').map((s) => s.trim()).filter(Boolean);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * HubSpot's error body: { status: "error", message, correlationId, category | errorType … }.
 * A 429 says which limit in `policyName`; without Retry-After a SECONDLY limit is worth a retry
 * after a second, the rolling burst window after its interval, a DAILY one after an hour (it
 * resets at midnight in the portal's time zone, which the answer does not give).
 */
export function describeHubSpotError(res: RestResponse): { detail?: string; retryAfterMs?: number } {
  const body = obj(res.body);
  const errors = Array.isArray(body.errors) ? body.errors.map((e) => str(obj(e).message)).filter(Boolean) : [];
  const message = str(body.message) ?? (typeof res.body === 'string' ? res.body.slice(0, 200) : undefined);
  const detail = [message, ...errors.filter((e) => e !== message)].filter(Boolean).join(' ') || undefined;
  let retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  if (retryAfterMs === undefined && res.status === 429) {
    const policy = str(body.policyName);
    const interval = Number(res.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
    if (policy === 'DAILY') retryAfterMs = 3_600_000;
    else if (policy !== 'SECONDLY' && interval > 0 && res.headers.get('x-hubspot-ratelimit-remaining') === '0') retryAfterMs = interval;
    else retryAfterMs = 1000;
  }
  return { ...(detail ? { detail } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
