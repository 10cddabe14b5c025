import { randomUUID } from 'node:crypto';
import { StandInServer, type Answer, type Misbehaviour, type StandInRequest } from './stand-in-server.js';

/** Contact properties every HubSpot portal has (the subset the adapter touches, and a few more). */
const STANDARD_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'hs_additional_emails',
  'phone',
  'mobilephone',
  'company',
  'jobtitle',
  'city',
  'country',
  'lifecyclestage',
  'hs_object_id',
  'createdate',
  'lastmodifieddate',
];
/** What a search or a read without `properties` returns. */
const DEFAULT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];
const READ_ONLY = new Set(['hs_object_id', 'createdate', 'lastmodifieddate']);

interface StoredObject {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface StoredNote extends StoredObject {
  associations: { toId: string; category: string; typeId: number }[];
}

interface Filter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
}

const err = (status: number, message: string, category: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { status: 'error', message, correlationId: randomUUID(), category, ...extra },
});

/**
 * HubSpot CRM v3 on 127.0.0.1 in its documented wire format: contacts (create, read, update,
 * search with filterGroups ORed and filters ANDed, EQ / NEQ / CONTAINS_TOKEN / HAS_PROPERTY),
 * notes with associations, private-app bearer tokens, and HubSpot's error bodies
 * ({ status: "error", message, correlationId, category }; 429 with errorType RATE_LIMIT and the
 * X-HubSpot-RateLimit-* headers). Unknown properties are refused as HubSpot does, so a portal
 * without the handles property can be played by leaving it out of `customProperties`.
 */
export class HubSpotStandIn extends StandInServer {
  readonly contacts = new Map<string, StoredObject>();
  readonly notes: StoredNote[] = [];
  private readonly known: Set<string>;
  private nextId = 5101;

  constructor(token = 'pat-na1-11111111-2222-3333-4444-555555555555', customProperties: string[] = ['switchboard_handles']) {
    super(token);
    this.known = new Set([...STANDARD_PROPERTIES, ...customProperties]);
  }

  /** Note bodies associated with a contact, oldest first. */
  notesOf(contactId: string): string[] {
    return this.notes.filter((n) => n.associations.some((a) => a.toId === contactId)).map((n) => n.properties.hs_note_body ?? '');
  }

  protected unauthorized(): Answer {
    return err(
      401,
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      'INVALID_AUTHENTICATION',
    );
  }

  protected badJson(): Answer {
    return err(400, 'Invalid input JSON on line 1', 'VALIDATION_ERROR');
  }

  protected failure(m: Misbehaviour): Answer {
    if (m.status === 429) {
      return {
        status: 429,
        headers: {
          'x-hubspot-ratelimit-daily': '250000',
          'x-hubspot-ratelimit-daily-remaining': '249000',
          'x-hubspot-ratelimit-secondly': '10',
          'x-hubspot-ratelimit-secondly-remaining': '0',
          ...(m.retryAfter !== undefined ? { 'retry-after': String(m.retryAfter) } : {}),
        },
        body: {
          status: 'error',
          message: 'You have reached your secondly limit.',
          errorType: 'RATE_LIMIT',
          correlationId: randomUUID(),
          policyName: 'SECONDLY',
          requestId: randomUUID(),
        },
      };
    }
    const message = m.status === 503 ? 'Service Unavailable' : m.status === 502 ? 'Bad Gateway' : 'internal error';
    return { ...err(m.status, message, 'INTERNAL_ERROR'), ...(m.retryAfter !== undefined ? { headers: { 'retry-after': String(m.retryAfter) } } : {}) };
  }

  protected handle(req: StandInRequest): Answer {
    const { method, path } = req;
    if (path === '/crm/v3/objects/contacts/search' && method === 'POST') return this.search(req.body);
    if (path === '/crm/v3/objects/contacts' && method === 'GET') return this.list(req.query);
    if (path === '/crm/v3/objects/contacts' && method === 'POST') return this.create(req.body);
    const one = /^\/crm\/v3\/objects\/contacts\/([^/]+)$/.exec(path);
    if (one && method === 'GET') return this.read(decodeURIComponent(one[1]!), req.query);
    if (one && method === 'PATCH') return this.update(decodeURIComponent(one[1]!), req.body);
    if (path === '/crm/v3/objects/notes' && method === 'POST') return this.createNote(req.body);
    return { status: 404, body: undefined };
  }

  private view(o: StoredObject, properties: string[] | undefined): Record<string, unknown> {
    const names = properties ?? DEFAULT_PROPERTIES;
    const props: Record<string, string | null> = {};
    for (const name of new Set([...names, 'hs_object_id', 'createdate', 'lastmodifieddate'])) {
      if (this.known.has(name)) props[name] = o.properties[name] ?? null;
    }
    return { id: o.id, properties: props, createdAt: o.createdAt, updatedAt: o.updatedAt, archived: false };
  }

  /** HubSpot refuses properties the portal does not define, all of them named in one message. */
  private checkProperties(properties: unknown): Answer | Record<string, string> {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return err(400, 'Invalid input JSON: properties must be an object', 'VALIDATION_ERROR');
    const out: Record<string, string> = {};
    const bad: { isValid: false; message: string; error: string; name: string }[] = [];
    for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
      if (!this.known.has(name)) bad.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      else if (READ_ONLY.has(name)) bad.push({ isValid: false, message: `Property "${name}" is read-only`, error: 'READ_ONLY_VALUE', name });
      else out[name] = value === null ? '' : String(value);
    }
    if (bad.length) {
      return err(400, `Property values were not valid: ${JSON.stringify(bad)}`, 'VALIDATION_ERROR', {
        errors: bad.map((b) => ({ message: b.message, code: b.error, context: { propertyName: [b.name] } })),
      });
    }
    return out;
  }

  private emailOwner(email: string, except?: string): StoredObject | undefined {
    const e = email.toLowerCase();
    return [...this.contacts.values()].find(
      (c) => c.id !== except && [c.properties.email, ...(c.properties.hs_additional_emails ?? '').split(';')].some((x) => x?.trim().toLowerCase() === e),
    );
  }

  private create(body: unknown): Answer {
    const props = this.checkProperties((body as { properties?: unknown } | undefined)?.properties);
    if ('status' in props && typeof props.status === 'number') return props as Answer;
    const properties = props as Record<string, string>;
    if (properties.email) {
      const owner = this.emailOwner(properties.email);
      if (owner) return err(409, `Contact already exists. Existing ID: ${owner.id}`, 'CONFLICT');
    }
    const now = new Date().toISOString();
    const id = String(this.nextId++);
    const o: StoredObject = { id, properties: { ...properties, hs_object_id: id, createdate: now, lastmodifieddate: now }, createdAt: now, updatedAt: now };
    this.contacts.set(id, o);
    return { status: 201, body: this.view(o, Object.keys(properties)) };
  }

  private read(id: string, query: URLSearchParams): Answer {
    const o = this.contacts.get(id);
    if (!o) return err(404, 'resource not found', 'OBJECT_NOT_FOUND');
    const props = query.get('properties');
    return { status: 200, body: this.view(o, props ? props.split(',') : undefined) };
  }

  private update(id: string, body: unknown): Answer {
    const o = this.contacts.get(id);
    if (!o) return err(404, 'resource not found', 'OBJECT_NOT_FOUND');
    const props = this.checkProperties((body as { properties?: unknown } | undefined)?.properties);
    if ('status' in props && typeof props.status === 'number') return props as Answer;
    const properties = props as Record<string, string>;
    if (properties.email && this.emailOwner(properties.email, id)) return err(409, `Contact already exists. Existing ID: ${this.emailOwner(properties.email, id)!.id}`, 'CONFLICT');
    const now = new Date().toISOString();
    Object.assign(o.properties, properties, { lastmodifieddate: now });
    o.updatedAt = now;
    return { status: 200, body: this.view(o, Object.keys(properties)) };
  }

  private list(query: URLSearchParams): Answer {
    const limit = Math.min(Number(query.get('limit') ?? 10) || 10, 100);
    const all = [...this.contacts.values()];
    const page = all.slice(0, limit);
    return {
      status: 200,
      body: {
        results: page.map((o) => this.view(o, undefined)),
        ...(all.length > limit ? { paging: { next: { after: page[page.length - 1]!.id, link: `?after=${page[page.length - 1]!.id}` } } } : {}),
      },
    };
  }

  /** filterGroups are ORed (at most 5), filters inside a group ANDed (at most 6). */
  private search(body: unknown): Answer {
    const b = (body ?? {}) as { filterGroups?: unknown; properties?: unknown; limit?: unknown };
    const groups = Array.isArray(b.filterGroups) ? (b.filterGroups as { filters?: Filter[] }[]) : [];
    if (groups.length > 5) return err(400, 'There was a problem with the request.', 'VALIDATION_ERROR', { errors: [{ message: 'Too many filter groups (maximum 5).' }] });
    for (const g of groups) {
      for (const f of g.filters ?? []) {
        if (typeof f.propertyName !== 'string' || !this.known.has(f.propertyName)) {
          return err(400, `There was a problem with the request.`, 'VALIDATION_ERROR', { errors: [{ message: `Property "${String(f.propertyName)}" does not exist`, code: 'PROPERTY_DOESNT_EXIST' }] });
        }
      }
    }
    const limit = Math.min(typeof b.limit === 'number' ? b.limit : 10, 200);
    const matches = [...this.contacts.values()].filter((o) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => this.matches(o, f))));
    const properties = Array.isArray(b.properties) ? (b.properties as string[]) : undefined;
    return { status: 200, body: { total: matches.length, results: matches.slice(0, limit).map((o) => this.view(o, properties)) } };
  }

  private matches(o: StoredObject, f: Filter): boolean {
    const name = f.propertyName as string;
    const wanted = String(f.value ?? '').toLowerCase();
    const value = (o.properties[name] ?? '').toLowerCase();
    switch (f.operator) {
      case 'EQ':
        // HubSpot's `email` EQ also matches secondary addresses (hs_additional_emails).
        if (name === 'email') return [value, ...(o.properties.hs_additional_emails ?? '').toLowerCase().split(';')].some((e) => e.trim() === wanted);
        return value === wanted;
      case 'NEQ':
        return value !== wanted;
      case 'HAS_PROPERTY':
        return value !== '';
      case 'CONTAINS_TOKEN': {
        const tokens = value.split(/[;\s,]+/).filter(Boolean);
        const pattern = new RegExp(`^${wanted.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
        return tokens.some((t) => pattern.test(t));
      }
      default:
        return false;
    }
  }

  private createNote(body: unknown): Answer {
    const b = (body ?? {}) as { properties?: Record<string, unknown>; associations?: unknown };
    const properties = b.properties ?? {};
    if (properties.hs_timestamp === undefined) {
      return err(400, 'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","error":"REQUIRED_PROPERTY","name":"hs_timestamp"}]', 'VALIDATION_ERROR');
    }
    const associations: StoredNote['associations'] = [];
    for (const a of Array.isArray(b.associations) ? (b.associations as { to?: { id?: unknown }; types?: { associationCategory?: unknown; associationTypeId?: unknown }[] }[]) : []) {
      const toId = String(a.to?.id ?? '');
      if (!this.contacts.has(toId)) return err(404, `No contact with id ${toId} exists`, 'OBJECT_NOT_FOUND');
      for (const t of a.types ?? []) {
        if (t.associationCategory !== 'HUBSPOT_DEFINED' || t.associationTypeId !== 202) {
          return err(400, `${String(t.associationCategory)} ${String(t.associationTypeId)} is not a valid association type between notes and contacts.`, 'VALIDATION_ERROR');
        }
        associations.push({ toId, category: t.associationCategory, typeId: t.associationTypeId });
      }
    }
    const now = new Date().toISOString();
    const note: StoredNote = {
      id: String(this.nextId++),
      properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])),
      createdAt: now,
      updatedAt: now,
      associations,
    };
    this.notes.push(note);
    return { status: 201, body: { id: note.id, properties: { ...note.properties, hs_createdate: now, hs_lastmodifieddate: now, hs_object_id: note.id }, createdAt: now, updatedAt: now, archived: false } };
  }
}
