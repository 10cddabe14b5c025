import { createHash } from 'node:crypto';
import type { DeadLetter } from '@switchboard/bus';
import { DuplicateKeyError, type DocumentStore, type Filter } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';

export const DEAD_LETTER_COLLECTION = 'dead_letters';

/** Bodies above this are kept cut (with `truncated`); a cut letter cannot be retried from here. */
export const MAX_KEPT_BODY_BYTES = 64 * 1024;

export type DeadLetterStatus = 'dead' | 'retried' | 'discarded';

/**
 * A dead letter as kept for admins. `tenantId` is the one the body names (a valid JSON payload
 * carrying one) or null: letters without a tenant are never shown to any team (docs/bus.md).
 */
export interface DeadLetterRecord {
  _id: string;
  tenantId: string | null;
  /** The bus message id (the payload's `id`). */
  messageId: string;
  /** The queue it was given up in, e.g. "sb.inbound.work.3" or "sb.outbound.telegram". */
  source: string;
  routingKey: string;
  reason: string;
  deadAt: Date;
  /** How many times a handler had it before it was given up; null when the bus did not say. */
  deliveryCount: number | null;
  traceId: string | null;
  /** The original body (UTF-8), cut at MAX_KEPT_BODY_BYTES. */
  body: string;
  truncated: boolean;
  /** The bus headers it carried (trace id …), put back on a retry. */
  headers: Record<string, string>;
  status: DeadLetterStatus;
  /** Who retried or discarded it, and when. */
  handledBy: string | null;
  handledAt: Date | null;
  keptAt: Date;
}

type TenantLetter = DeadLetterRecord & TenantDoc;

/** Where a letter's body names its tenant; null for anything else (not JSON, no tenantId). */
export function tenantOf(raw: string): string | null {
  try {
    const body: unknown = JSON.parse(raw);
    const id = body !== null && typeof body === 'object' ? (body as { tenantId?: unknown }).tenantId : undefined;
    return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : null;
  } catch {
    return null;
  }
}

/** Cuts a UTF-8 text to at most `max` bytes without splitting a character. */
export function cutUtf8(text: string, max: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return { text, truncated: false };
  let end = max;
  // Back up over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

/** The record kept for a letter the bus hands over. Its id is stable, so a letter redelivered is kept once. */
export function recordOf(letter: DeadLetter, keptAt = new Date()): DeadLetterRecord {
  const { text, truncated } = cutUtf8(letter.raw, MAX_KEPT_BODY_BYTES);
  const attempts = Number(letter.headers['x-sb-attempts']);
  const { 'x-sb-attempts': _attempts, ...headers } = letter.headers;
  return {
    _id: letterId(letter),
    tenantId: tenantOf(letter.raw),
    messageId: letter.messageId,
    source: letter.source,
    routingKey: letter.routingKey,
    reason: letter.reason,
    deadAt: letter.deadAt,
    deliveryCount: Number.isInteger(attempts) && attempts > 0 ? attempts : null,
    traceId: letter.headers['x-sb-trace-id'] ?? null,
    body: text,
    truncated,
    headers,
    status: 'dead',
    handledBy: null,
    handledAt: null,
    keptAt,
  };
}

function letterId(letter: DeadLetter): string {
  const h = createHash('sha256').update(`${letter.source}\u0000${letter.messageId}\u0000${letter.deadAt.toISOString()}`).digest('hex');
  // UUID-shaped, time-ordered by its first part, so the id is also the list's cursor.
  const t = letter.deadAt.getTime().toString(16).padStart(12, '0').slice(-12);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 20)}`;
}

/** The bus letter a record stands for, to put back with `bus.retryDeadLetter`. */
export function letterOf(r: DeadLetterRecord): DeadLetter {
  return { messageId: r.messageId, source: r.source, routingKey: r.routingKey, reason: r.reason, raw: r.body, headers: r.headers, deadAt: r.deadAt };
}

/**
 * Kept dead letters. Teams see theirs through `forTenant` only; `keep` is the consumer's, which
 * learns the tenant from the letter itself.
 */
export class DeadLetterRepository {
  constructor(private readonly store: DocumentStore) {}

  private get all() {
    return this.store.collection<DeadLetterRecord>(DEAD_LETTER_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.all.createIndex({ keys: { tenantId: 1, _id: -1 } });
    await this.all.createIndex({ keys: { tenantId: 1, status: 1, _id: -1 } });
  }

  /** Stores a letter once; false when it was kept already (the bus handed it over again). */
  async keep(record: DeadLetterRecord): Promise<boolean> {
    try {
      await this.all.insertOne(record);
      return true;
    } catch (err) {
      if (err instanceof DuplicateKeyError) return false;
      throw err;
    }
  }

  /** One team's letters. A letter without a tenant is in no team's. */
  forTenant(tenantId: string) {
    const letters = new TenantCollection<TenantLetter>(this.store.collection<TenantLetter>(DEAD_LETTER_COLLECTION), tenantId);
    return {
      /** Newest first; `before` is the last id of the previous page. */
      list(q: { status?: DeadLetterStatus; source?: string; before?: string; limit: number }): Promise<DeadLetterRecord[]> {
        const and: Filter[] = [];
        if (q.status) and.push({ status: q.status });
        if (q.source) and.push({ source: q.source });
        if (q.before) and.push({ _id: { $lt: q.before } });
        return letters.find(and.length ? { $and: and } : {}, { sort: { _id: -1 }, limit: q.limit });
      },
      get: (id: string): Promise<DeadLetterRecord | null> => letters.findById(id),
      /** Moves a letter out of `dead` once; null when it is not dead (any more) or not this team's. */
      settle: (id: string, status: Exclude<DeadLetterStatus, 'dead'>, by: string | null): Promise<DeadLetterRecord | null> =>
        letters.findOneAndUpdate({ _id: id, status: 'dead' }, { $set: { status, handledBy: by, handledAt: new Date() } }, { returnDocument: 'after' }),
      /** Puts a letter back to `dead` when handing it back to the bus failed. */
      revive: async (id: string): Promise<void> => {
        await letters.updateOne({ _id: id }, { $set: { status: 'dead', handledBy: null, handledAt: null } });
      },
    };
  }
}
