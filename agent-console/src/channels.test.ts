import { describe, expect, it } from 'vitest';
import type { ChannelAccount, WhatsappSession } from './api.js';
import { addAccount, applySession, asSession, channelName, sessionStateText } from './channels.js';

const session = (over: Partial<WhatsappSession> = {}): WhatsappSession => ({
  accountId: 'a1',
  state: 'qr',
  qr: 'data:image/png;base64,AAAA',
  paired: false,
  health: { status: 'pairing', reason: 'Scan the QR code' },
  lastError: null,
  lastReceivedAt: null,
  lastSentAt: null,
  stateSince: '2025-03-12T12:00:00.000Z',
  ...over,
});

const account = (id: string, createdAt: string): ChannelAccount => ({
  accountId: id,
  channel: 'whatsapp-web',
  inboxId: `inbox-${id}`,
  name: id,
  externalAccountId: null,
  status: 'active',
  lastError: null,
  lastInboundAt: null,
  lastOutboundAt: null,
  createdAt,
});

describe('channel settings helpers', () => {
  it('names channels and session states for people', () => {
    expect(channelName('whatsapp-web')).toBe('WhatsApp Web');
    expect(channelName('carrier-pigeon')).toBe('carrier-pigeon');
    expect(sessionStateText('ready')).toBe('Connected');
    expect(sessionStateText('weird')).toBe('weird');
  });

  it('accepts only session-shaped socket payloads', () => {
    expect(asSession(session())).toEqual(session());
    expect(asSession(null)).toBeNull();
    expect(asSession({ accountId: 1 })).toBeNull();
  });

  it('applies snapshots per account and drops a QR code outside the qr state', () => {
    let s = applySession({}, session());
    s = applySession(s, session({ accountId: 'a2', state: 'ready', qr: 'data:stale' }));
    expect(s.a1?.qr).toBe('data:image/png;base64,AAAA');
    expect(s.a2?.qr).toBeNull();
    s = applySession(s, session({ state: 'authenticated' }));
    expect(s.a1).toMatchObject({ state: 'authenticated', qr: null });
  });

  it('a fetched snapshot answered after a live state change does not undo it', () => {
    let s = applySession({}, session({ state: 'initializing', qr: null, stateSince: '2026-01-01T10:00:00.000Z' }), true);
    s = applySession(s, session({ state: 'qr', stateSince: '2026-01-01T10:00:00.500Z' }));
    // The fetch was answered before the QR code came, but arrives after its event.
    s = applySession(s, session({ state: 'initializing', qr: null, stateSince: '2026-01-01T10:00:00.000Z' }), true);
    expect(s.a1).toMatchObject({ state: 'qr', qr: 'data:image/png;base64,AAAA' });
    // A later change still applies, fetched or live.
    s = applySession(s, session({ state: 'ready', qr: null, stateSince: '2026-01-01T10:00:05.000Z' }), true);
    expect(s.a1).toMatchObject({ state: 'ready', qr: null });
  });

  it('keeps accounts oldest first without duplicates', () => {
    const list = [account('b', '2025-02-01T00:00:00Z'), account('a', '2025-01-01T00:00:00Z')];
    expect(addAccount(list, account('c', '2025-03-01T00:00:00Z')).map((a) => a.accountId)).toEqual(['a', 'b', 'c']);
    expect(addAccount(list, account('b', '2025-02-01T00:00:00Z'))).toHaveLength(2);
  });
});
