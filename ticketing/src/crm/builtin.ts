/**
 * The built-in contact directory spoken to over its REST API with an API key, exactly as an
 * outside integration would: the same seam, the same failures (timeouts, 429 from the hub's rate
 * limiter, 5xx) as the external CRMs.
 */
import { checkFailure, parseRetryAfter } from './errors.js';
import { RestClient, obj, str, type RestResponse } from './http.js';
import { normalizeEmail } from './normalize.js';
import { CrmError, type ChannelHandle, type ContactInput, type ContactLookup, type CrmContact, type CrmNote, type CrmProvider } from './types.js';

export interface DirectoryCrmOptions {
  /** The hub's base URL, e.g. http://localhost:3000 (the directory answers under /api/v1/directory). */
  baseUrl: string;
  /** An API key of the tenant (sbk_…) with the scopes contacts:read and contacts:write. */
  apiKey: string;
  /** Milliseconds before a request fails as retryable; default 10000. */
  timeoutMs?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

const CONTACTS = '/api/v1/directory/contacts';

export class DirectoryCrm implements CrmProvider {
  readonly kind = 'builtin' as const;
  private readonly http: RestClient;

  constructor(opts: DirectoryCrmOptions) {
    this.http = new RestClient({
      provider: 'The contact directory',
      baseUrl: opts.baseUrl,
      token: opts.apiKey,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      describeError: (res: RestResponse) => {
        const error = obj(obj(res.body).error);
        const detail = str(error.message) ?? (typeof res.body === 'string' ? res.body.slice(0, 200) : undefined);
        // The hub's rate limiter says when in Retry-After and in details; a 429 without either waits a second.
        const seconds = Number(obj(error.details).retryAfterSeconds);
        const retryAfterMs =
          parseRetryAfter(res.headers.get('retry-after')) ?? (seconds > 0 ? seconds * 1000 : res.status === 429 ? 1000 : undefined);
        return { ...(detail !== undefined ? { detail } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      },
    });
  }

  async find(lookup: ContactLookup): Promise<CrmContact | null> {
    if (lookup.handle) {
      const found = await this.first({ channel: lookup.handle.channel, handle: lookup.handle.id });
      if (found) return found;
    }
    if (lookup.email) {
      const email = normalizeEmail(lookup.email);
      const found = email ? await this.first({ email }) : null;
      if (found) return found;
    }
    if (lookup.phone?.trim()) {
      // The directory normalizes the phone with its own default country; text it cannot read is no match.
      const found = await this.first({ phone: lookup.phone.trim() }, true);
      if (found) return found;
    }
    return null;
  }

  async get(id: string): Promise<CrmContact | null> {
    const res = await this.http.request('GET', `${CONTACTS}/${encodeURIComponent(id)}`, { allow: [404] });
    return res.status === 404 ? null : toContact(res.body);
  }

  async create(input: ContactInput): Promise<CrmContact> {
    const res = await this.http.request('POST', CONTACTS, { body: body(input) });
    return toContact(res.body);
  }

  async update(id: string, patch: ContactInput): Promise<CrmContact> {
    const res = await this.http.request('PATCH', `${CONTACTS}/${encodeURIComponent(id)}`, { body: body(patch) });
    return toContact(res.body);
  }

  async addNote(contactId: string, note: CrmNote): Promise<void> {
    await this.http.request('POST', `${CONTACTS}/${encodeURIComponent(contactId)}/notes`, {
      body: { text: note.text, ...(note.url !== undefined ? { url: note.url } : {}) },
    });
  }

  async check(): Promise<{ ok: boolean; reason?: string }> {
    try {
      await this.http.request('GET', CONTACTS, { query: { limit: 1 } });
      return { ok: true };
    } catch (err) {
      return checkFailure('The contact directory', err);
    }
  }

  private async first(query: Record<string, string>, badInputIsNoMatch = false): Promise<CrmContact | null> {
    try {
      const res = await this.http.request('GET', CONTACTS, { query: { ...query, limit: 1 } });
      const items = obj(res.body).items;
      const item = Array.isArray(items) ? (items[0] as unknown) : undefined;
      return item === undefined ? null : toContact(item);
    } catch (err) {
      if (badInputIsNoMatch && err instanceof CrmError && err.status === 400) return null;
      throw err;
    }
  }
}

/** Only what was given: the directory's PATCH adds identifiers and sets the named fields. */
function body(input: ContactInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.emails?.length) out.emails = input.emails;
  if (input.phones?.length) out.phones = input.phones;
  if (input.handles?.length) out.handles = input.handles;
  if (input.company !== undefined) out.company = input.company;
  if (input.attributes && Object.keys(input.attributes).length) out.attributes = input.attributes;
  return out;
}

function toContact(raw: unknown): CrmContact {
  const c = obj(raw);
  const id = str(c.id);
  if (!id) throw new CrmError('The contact directory answered without a contact id.', true);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const handles: ChannelHandle[] = Array.isArray(c.handles)
    ? c.handles.map(obj).flatMap((h) => (typeof h.channel === 'string' && typeof h.id === 'string' ? [{ channel: h.channel, id: h.id }] : []))
    : [];
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(c.attributes))) if (typeof v === 'string') attributes[k] = v;
  const name = str(c.name);
  const company = str(c.company);
  return {
    id,
    ...(name !== undefined ? { name } : {}),
    emails: strings(c.emails),
    phones: strings(c.phones),
    handles,
    ...(company !== undefined ? { company } : {}),
    attributes,
  };
}
