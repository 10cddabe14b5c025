import type { DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';

export type SessionState = 'initializing' | 'qr' | 'authenticated' | 'ready' | 'disconnected' | 'reconnecting' | 'failed' | 'stopped';

/** One account's WhatsApp Web session as last seen by the process running it (`_id` = accountId). */
export interface SessionRecord extends TenantDoc {
  state: SessionState;
  /** The latest QR code as a PNG data URL, only while state is "qr". */
  qr: string | null;
  /** A phone linked this device and the session was saved: a restart restores it without a QR code. */
  paired: boolean;
  lastError: string | null;
  /** Health is judged by traffic, not by "connected": when did something last go out and come in. */
  lastReceivedAt: Date | null;
  lastSentAt: Date | null;
  /** Unix seconds of the newest customer message published: back-fill starts after it. */
  lastSeenTimestamp: number | null;
  /** Our messages WhatsApp's server has not acknowledged yet (id → sent at). */
  pending: Record<string, Date>;
  stateSince: Date;
  updatedAt: Date;
}

/** One provider message we sent, so acks find our message. `_id` = msg.id._serialized. */
export interface SentRecord extends TenantDoc {
  accountId: string;
  messageId: string;
  idempotencyKey: string;
  threadKey: string;
  part: number;
  sentAt: Date;
}

export class SessionStore {
  constructor(private readonly store: DocumentStore) {}

  async ensureIndexes(): Promise<void> {
    await this.store.collection('whatsapp_web_sent').createIndex({ keys: { tenantId: 1, idempotencyKey: 1 } });
  }

  forTenant(tenantId: string) {
    return {
      sessions: new TenantCollection(this.store.collection<SessionRecord>('whatsapp_web_sessions'), tenantId),
      sent: new TenantCollection(this.store.collection<SentRecord>('whatsapp_web_sent'), tenantId),
    };
  }
}

export interface SessionHealth {
  status: 'healthy' | 'degraded' | 'down' | 'pairing';
  reason: string;
}

/** Messages not acknowledged by WhatsApp's server within this time mean the session is not really working. */
export const ACK_OVERDUE_MS = 2 * 60 * 1000;
/** A session that has not been ready for this long is down, not just reconnecting. */
export const DOWN_AFTER_MS = 5 * 60 * 1000;

/**
 * Health from what was last sent and received. WhatsApp Web sessions drop silently while still
 * reporting "connected"; what gives it away is sends that WhatsApp's server never acknowledges.
 */
export function sessionHealth(s: Pick<SessionRecord, 'state' | 'pending' | 'stateSince' | 'lastError' | 'paired'>, now: Date = new Date()): SessionHealth {
  if (s.state === 'qr' || (!s.paired && s.state === 'initializing')) return { status: 'pairing', reason: 'Scan the QR code with WhatsApp on the phone (Linked devices → Link a device).' };
  if (s.state !== 'ready') {
    const since = now.getTime() - new Date(s.stateSince).getTime();
    if (s.state === 'failed' || s.state === 'stopped' || since > DOWN_AFTER_MS) {
      return { status: 'down', reason: s.lastError ?? `The session has been ${s.state} since ${new Date(s.stateSince).toISOString()}.` };
    }
    return { status: 'degraded', reason: `The session is ${s.state}; messages wait until it is ready again.` };
  }
  const oldest = Object.values(s.pending).map((d) => new Date(d).getTime()).sort((a, b) => a - b)[0];
  if (oldest !== undefined && now.getTime() - oldest > ACK_OVERDUE_MS) {
    return {
      status: 'degraded',
      reason: `Messages sent since ${new Date(oldest).toISOString()} have not reached WhatsApp's servers: the session may have dropped silently. Restart it or pair again.`,
    };
  }
  return { status: 'healthy', reason: 'Sending and receiving.' };
}
