import { StandInServer, type Answer, type Misbehaviour, type StandInRequest } from './stand-in-server.js';

interface FieldDef {
  id: number;
  name: string;
  code: string | null;
  type: 'multitext' | 'text';
  /** enum_code → enum_id, for multitext fields. */
  enums?: Record<string, number>;
}

interface Value {
  value: string;
  enum_id?: number;
  enum_code?: string;
}

interface StoredContact {
  id: number;
  name: string;
  fields: Map<number, Value[]>;
  created_at: number;
  updated_at: number;
}

export interface StoredNote {
  id: number;
  entity_id: number;
  note_type: string;
  params: Record<string, unknown>;
}

const ACCOUNT_ID = 31_337_001;
/** The text custom field the contract suite configures for handles. */
export const HANDLES_FIELD_ID = 2_004_001;

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: { title, type: `https://httpstatus.es/${status}`, status, detail, ...extra },
});

const validation = (errors: { request_id: string; errors: { code: string; path: string; detail: string }[] }[]): Answer =>
  problem(400, 'Bad Request', 'Request validation failed', { 'validation-errors': errors });

/**
 * Kommo (amoCRM) API v4 on 127.0.0.1 in its documented wire format: contacts (list with `query`
 * answering 204 No Content when nothing matches, get by id — 204 when there is none — add as an
 * array, PATCH one), notes on a contact, the account, a long-lived bearer token, and Kommo's
 * problem+json errors (validation-errors for a 400). The account has the system fields PHONE,
 * EMAIL and POSITION and, unless `withHandlesField` is false, a text field for handles.
 */
export class KommoStandIn extends StandInServer {
  readonly contacts = new Map<number, StoredContact>();
  readonly notes: StoredNote[] = [];
  private readonly fields: FieldDef[];
  private nextId = 7_700_001;
  private nextNote = 90_001;

  constructor(token = 'kommo-long-lived-token-0123456789abcdef', withHandlesField = true) {
    super(token);
    this.fields = [
      { id: 1_001_001, name: 'Position', code: 'POSITION', type: 'text' },
      { id: 1_001_003, name: 'Phone', code: 'PHONE', type: 'multitext', enums: { WORK: 501, WORKDD: 503, MOB: 505, FAX: 507, HOME: 509, OTHER: 511 } },
      { id: 1_001_005, name: 'Email', code: 'EMAIL', type: 'multitext', enums: { WORK: 601, PRIV: 603, OTHER: 605 } },
      ...(withHandlesField ? [{ id: HANDLES_FIELD_ID, name: 'Switchboard handles', code: null, type: 'text' as const }] : []),
    ];
  }

  get base(): string {
    return this.url;
  }

  notesOf(contactId: string): string[] {
    return this.notes.filter((n) => String(n.entity_id) === contactId).map((n) => String(n.params.text ?? ''));
  }

  protected unauthorized(): Answer {
    return problem(401, 'Unauthorized', 'The resource owner or authorization server denied the request.', { hint: 'Token has been revoked' });
  }

  protected badJson(): Answer {
    return problem(400, 'Bad Request', 'Invalid JSON in request body');
  }

  protected failure(m: Misbehaviour): Answer {
    const titles: Record<number, string> = { 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
    const a = problem(m.status, titles[m.status] ?? 'Error', m.status === 429 ? 'Too many requests per second' : 'Try again later');
    if (m.retryAfter !== undefined) a.headers = { ...a.headers, 'retry-after': String(m.retryAfter) };
    return a;
  }

  protected handle(req: StandInRequest): Answer {
    const { method, path } = req;
    if (path === '/api/v4/account' && method === 'GET') return this.account();
    if (path === '/api/v4/contacts' && method === 'GET') return this.list(req.query);
    if (path === '/api/v4/contacts' && method === 'POST') return this.add(req.body);
    const one = /^\/api\/v4\/contacts\/(\d+)$/.exec(path);
    if (one && method === 'GET') return this.read(Number(one[1]));
    if (one && method === 'PATCH') return this.patch(Number(one[1]), req.body);
    const notes = /^\/api\/v4\/contacts\/(\d+)\/notes$/.exec(path);
    if (notes && method === 'POST') return this.addNotes(Number(notes[1]), req.body);
    if (notes && method === 'GET') return this.listNotes(Number(notes[1]), req.query);
    return problem(404, 'Not Found', 'Not found');
  }

  private account(): Answer {
    return {
      status: 200,
      headers: { 'content-type': 'application/hal+json' },
      body: {
        id: ACCOUNT_ID,
        name: 'Acme Outdoor',
        subdomain: 'acmeoutdoor',
        created_at: 1_600_000_000,
        created_by: 0,
        updated_at: 1_700_000_000,
        updated_by: 0,
        current_user_id: 8_375_357,
        country: 'RU',
        currency: 'RUB',
        currency_symbol: '₽',
        customers_mode: 'disabled',
        is_unsorted_on: true,
        mobile_feature_version: 0,
        is_loss_reason_enabled: false,
        is_helpbot_enabled: false,
        is_technical_account: false,
        contact_name_display_order: 1,
        _links: { self: { href: `${this.base}/api/v4/account` } },
      },
    };
  }

  private view(c: StoredContact): Record<string, unknown> {
    const custom = [...c.fields.entries()]
      .filter(([, values]) => values.length > 0)
      .map(([id, values]) => {
        const def = this.fields.find((f) => f.id === id)!;
        return { field_id: def.id, field_name: def.name, field_code: def.code, field_type: def.type, values };
      });
    return {
      id: c.id,
      name: c.name,
      first_name: c.name.split(' ')[0] ?? '',
      last_name: c.name.split(' ').slice(1).join(' '),
      responsible_user_id: 8_375_357,
      group_id: 0,
      created_by: 8_375_357,
      updated_by: 8_375_357,
      created_at: c.created_at,
      updated_at: c.updated_at,
      closest_task_at: null,
      is_deleted: false,
      is_unsorted: false,
      custom_fields_values: custom.length ? custom : null,
      account_id: ACCOUNT_ID,
      _links: { self: { href: `${this.base}/api/v4/contacts/${c.id}` } },
      _embedded: { tags: [], companies: [] },
    };
  }

  /** `query` searches the name and every filled field, any part of the text, any case. */
  private list(query: URLSearchParams): Answer {
    const q = (query.get('query') ?? '').toLowerCase();
    const limit = Math.min(Number(query.get('limit') ?? 50) || 50, 250);
    const found = [...this.contacts.values()].filter(
      (c) => !q || c.name.toLowerCase().includes(q) || [...c.fields.values()].some((vs) => vs.some((v) => v.value.toLowerCase().includes(q))),
    );
    if (found.length === 0) return { status: 204 };
    return {
      status: 200,
      headers: { 'content-type': 'application/hal+json' },
      body: { _page: 1, _links: { self: { href: `${this.base}/api/v4/contacts?page=1&limit=${limit}` } }, _embedded: { contacts: found.slice(0, limit).map((c) => this.view(c)) } },
    };
  }

  private read(id: number): Answer {
    const c = this.contacts.get(id);
    return c ? { status: 200, headers: { 'content-type': 'application/hal+json' }, body: this.view(c) } : { status: 204 };
  }

  /** Values for custom_fields_values, or the validation errors Kommo would answer. */
  private parseFields(raw: unknown, requestId: string, into: Map<number, Value[]>): { code: string; path: string; detail: string }[] {
    const errors: { code: string; path: string; detail: string }[] = [];
    if (raw === undefined) return errors;
    if (!Array.isArray(raw)) return [{ code: 'InvalidType', path: 'custom_fields_values', detail: 'This value should be of type array.' }];
    raw.forEach((f: { field_id?: unknown; field_code?: unknown; values?: unknown }, i) => {
      const def = this.fields.find((d) => (f.field_id !== undefined ? d.id === f.field_id : d.code !== null && d.code === f.field_code));
      if (!def) {
        errors.push({ code: 'NotSupportedChoice', path: `custom_fields_values.${i}.${f.field_id !== undefined ? 'field_id' : 'field_code'}`, detail: 'The value you selected is not a valid choice.' });
        return;
      }
      const values: Value[] = [];
      (Array.isArray(f.values) ? (f.values as { value?: unknown; enum_code?: unknown; enum_id?: unknown }[]) : []).forEach((v, j) => {
        if (typeof v.value !== 'string' && typeof v.value !== 'number') {
          errors.push({ code: 'InvalidType', path: `custom_fields_values.${i}.values.${j}.value`, detail: 'This value should be of type string.' });
          return;
        }
        if (def.type === 'multitext') {
          const code = v.enum_code ?? Object.entries(def.enums ?? {}).find(([, id]) => id === v.enum_id)?.[0] ?? 'WORK';
          const enumId = def.enums?.[String(code)];
          if (enumId === undefined) {
            errors.push({ code: 'NotSupportedChoice', path: `custom_fields_values.${i}.values.${j}.enum_code`, detail: 'The value you selected is not a valid choice.' });
            return;
          }
          values.push({ value: String(v.value), enum_id: enumId, enum_code: String(code) });
        } else {
          values.push({ value: String(v.value) });
        }
      });
      into.set(def.id, def.type === 'multitext' ? values : values.slice(0, 1));
    });
    void requestId;
    return errors;
  }

  private add(body: unknown): Answer {
    if (!Array.isArray(body) || body.length === 0) return validation([{ request_id: '0', errors: [{ code: 'NotEmpty', path: '', detail: 'This collection should contain 1 element or more.' }] }]);
    const created: StoredContact[] = [];
    const problems: { request_id: string; errors: { code: string; path: string; detail: string }[] }[] = [];
    body.forEach((item: { name?: unknown; custom_fields_values?: unknown; request_id?: unknown }, i) => {
      const requestId = typeof item.request_id === 'string' ? item.request_id : String(i);
      const fields = new Map<number, Value[]>();
      const errors = this.parseFields(item.custom_fields_values, requestId, fields);
      if (item.name !== undefined && typeof item.name !== 'string') errors.push({ code: 'InvalidType', path: 'name', detail: 'This value should be of type string.' });
      if (errors.length) return void problems.push({ request_id: requestId, errors });
      const now = Math.floor(Date.now() / 1000);
      created.push({ id: this.nextId++, name: typeof item.name === 'string' ? item.name : '', fields, created_at: now, updated_at: now });
    });
    if (problems.length) return validation(problems);
    for (const c of created) this.contacts.set(c.id, c);
    return {
      status: 200,
      headers: { 'content-type': 'application/hal+json' },
      body: {
        _links: { self: { href: `${this.base}/api/v4/contacts` } },
        _embedded: {
          contacts: created.map((c, i) => ({ id: c.id, is_deleted: false, is_unsorted: false, request_id: String(i), _links: { self: { href: `${this.base}/api/v4/contacts/${c.id}` } } })),
        },
      },
    };
  }

  /** The fields named in custom_fields_values get exactly the values sent; others stay. */
  private patch(id: number, body: unknown): Answer {
    const c = this.contacts.get(id);
    if (!c) return problem(404, 'Not Found', 'Contact not found');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return problem(400, 'Bad Request', 'Request body must be an object');
    const b = body as { name?: unknown; custom_fields_values?: unknown };
    const fields = new Map<number, Value[]>();
    const errors = this.parseFields(b.custom_fields_values, '0', fields);
    if (errors.length) return validation([{ request_id: '0', errors }]);
    for (const [fieldId, values] of fields) c.fields.set(fieldId, values);
    if (typeof b.name === 'string') c.name = b.name;
    c.updated_at = Math.floor(Date.now() / 1000);
    return { status: 200, headers: { 'content-type': 'application/hal+json' }, body: { id: c.id, name: c.name, updated_at: c.updated_at, _links: { self: { href: `${this.base}/api/v4/contacts/${c.id}` } } } };
  }

  /** Notes of one contact, oldest first; `filter[note_type]` narrows them; 204 when there are none. */
  private listNotes(contactId: number, query: URLSearchParams): Answer {
    if (!this.contacts.has(contactId)) return { status: 204 };
    const type = query.get('filter[note_type]');
    const found = this.notes.filter((n) => n.entity_id === contactId && (!type || n.note_type === type));
    if (found.length === 0) return { status: 204 };
    return {
      status: 200,
      headers: { 'content-type': 'application/hal+json' },
      body: {
        _page: 1,
        _links: { self: { href: `${this.base}/api/v4/contacts/${contactId}/notes` } },
        _embedded: {
          notes: found.map((n) => ({
            id: n.id,
            entity_id: n.entity_id,
            created_by: 8_375_357,
            updated_by: 8_375_357,
            created_at: 1_700_000_000,
            updated_at: 1_700_000_000,
            responsible_user_id: 8_375_357,
            group_id: 0,
            note_type: n.note_type,
            params: n.params,
            account_id: ACCOUNT_ID,
            _links: { self: { href: `${this.base}/api/v4/contacts/${contactId}/notes/${n.id}` } },
          })),
        },
      },
    };
  }

  private addNotes(contactId: number, body: unknown): Answer {
    if (!this.contacts.has(contactId)) return validation([{ request_id: '0', errors: [{ code: 'NotFound', path: 'entity_id', detail: 'Entity not found' }] }]);
    if (!Array.isArray(body) || body.length === 0) return validation([{ request_id: '0', errors: [{ code: 'NotEmpty', path: '', detail: 'This collection should contain 1 element or more.' }] }]);
    const added: StoredNote[] = [];
    for (const [i, n] of (body as { note_type?: unknown; params?: { text?: unknown } }[]).entries()) {
      if (n.note_type !== 'common' || typeof n.params?.text !== 'string' || n.params.text === '') {
        return validation([{ request_id: String(i), errors: [{ code: 'NotSupportedChoice', path: 'note_type', detail: 'A common note needs params.text.' }] }]);
      }
      added.push({ id: this.nextNote++, entity_id: contactId, note_type: 'common', params: { text: n.params.text } });
    }
    this.notes.push(...added);
    return {
      status: 200,
      headers: { 'content-type': 'application/hal+json' },
      body: {
        _links: { self: { href: `${this.base}/api/v4/contacts/notes` } },
        _embedded: { notes: added.map((n, i) => ({ id: n.id, entity_id: n.entity_id, request_id: String(i), _links: { self: { href: `${this.base}/api/v4/contacts/${contactId}/notes/${n.id}` } } })) },
      },
    };
  }
}
