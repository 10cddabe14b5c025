/**
 * The CrmProvider seam: where a tenant's people live. Spoken to over REST, always: the built-in
 * contact directory (ticketing/src/directory), HubSpot (CRM v3) and Kommo/amoCRM (API v4). One
 * contract suite (crm.contract.ts) runs against all three.
 */

export type CrmKind = 'builtin' | 'hubspot' | 'kommo';

/** A messenger identity: the channel and the sender's id there (Telegram user id, WhatsApp number …). */
export interface ChannelHandle {
  channel: string;
  id: string;
}

/** A person as the CRM knows them. Phones are E.164 ("+79161234567"), emails lower case. */
export interface CrmContact {
  /** The CRM's own id (HubSpot's numeric id, Kommo's, the directory's uuid). */
  id: string;
  name?: string;
  emails: string[];
  phones: string[];
  handles: ChannelHandle[];
  company?: string;
  attributes: Record<string, string>;
  /** Where a person opens this contact in the CRM's own UI, when it has one. */
  url?: string;
}

export interface ContactInput {
  name?: string;
  emails?: string[];
  phones?: string[];
  handles?: ChannelHandle[];
  company?: string;
  attributes?: Record<string, string>;
}

/** What we know of a sender when we look them up: any one match is enough. */
export interface ContactLookup {
  email?: string;
  phone?: string;
  handle?: ChannelHandle;
}

export interface CrmNote {
  /** Plain text, e.g. "Ticket #1042 opened: Order 5521 arrived broken". */
  text: string;
  /** Link back to the ticket in Switchboard. */
  url?: string;
}

/**
 * One tenant's CRM. Every method may throw CrmError: `retryable` ones (network, timeouts, 429,
 * 5xx) are tried again later by the link outbox; the others mean the request itself is wrong.
 */
export interface CrmProvider {
  readonly kind: CrmKind;
  /** First contact matching the handle, then the email, then the phone; null when none. */
  find(lookup: ContactLookup): Promise<CrmContact | null>;
  get(id: string): Promise<CrmContact | null>;
  create(input: ContactInput): Promise<CrmContact>;
  /** Adds emails/phones/handles (never removes), sets the given name/company/attributes. */
  update(id: string, patch: ContactInput): Promise<CrmContact>;
  addNote(contactId: string, note: CrmNote): Promise<void>;
  /** Are the credentials accepted? (a cheap authenticated call) */
  check(): Promise<{ ok: boolean; reason?: string }>;
}

export class CrmError extends Error {
  override readonly name = 'CrmError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** From Retry-After or the provider's rate-limit headers, when given. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
