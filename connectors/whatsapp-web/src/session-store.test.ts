import { describe, expect, it } from 'vitest';
import { ackToStatus } from './acks.js';
import { sessionHealth } from './session-store.js';
import { WwebjsClient } from './wwebjs-client.js';

const now = new Date('2026-03-01T12:00:00Z');
const base = { state: 'ready' as const, pending: {}, stateSince: new Date('2026-03-01T08:00:00Z'), lastError: null, paired: true };

describe('WhatsApp Web session health (by traffic, not by "connected")', () => {
  it('is healthy when ready and every send was acknowledged by WhatsApp', () => {
    expect(sessionHealth(base, now).status).toBe('healthy');
  });

  it('is degraded when a send has waited more than two minutes for the server ack, although "ready"', () => {
    const h = sessionHealth({ ...base, pending: { a: new Date('2026-03-01T11:55:00Z') } }, now);
    expect(h.status).toBe('degraded');
    expect(h.reason).toMatch(/2026-03-01T11:55:00.000Z have not reached WhatsApp's servers/);
    expect(sessionHealth({ ...base, pending: { a: new Date('2026-03-01T11:59:30Z') } }, now).status).toBe('healthy');
  });

  it('asks for pairing, calls a short reconnect degraded and a long one down', () => {
    expect(sessionHealth({ ...base, state: 'qr', paired: false }, now).status).toBe('pairing');
    expect(sessionHealth({ ...base, state: 'reconnecting', stateSince: new Date('2026-03-01T11:59:00Z') }, now).status).toBe('degraded');
    expect(sessionHealth({ ...base, state: 'disconnected', stateSince: new Date('2026-03-01T11:00:00Z') }, now).status).toBe('down');
  });
});

describe('acks', () => {
  it('maps whatsapp-web.js MessageAck to delivery statuses', () => {
    expect([-1, 0, 1, 2, 3, 4].map(ackToStatus)).toEqual(['failed', null, 'sent', 'delivered', 'read', 'read']);
  });
});

describe('real whatsapp-web.js adapter', () => {
  // Pairing needs a phone; here we only prove it builds against the library with Debian's Chromium.
  it('constructs a LocalAuth client under the data folder without launching a browser', () => {
    const client = new WwebjsClient('acct-1', { dataDir: '/tmp/sb-wwebjs-construct', chromiumPath: '/usr/bin/chromium' });
    expect(typeof client.initialize).toBe('function');
    const inner = (client as unknown as { client: { options: { puppeteer: { executablePath: string }; authStrategy: { clientId: string; dataPath: string } } } }).client;
    expect(inner.options.puppeteer.executablePath).toBe('/usr/bin/chromium');
    expect(inner.options.authStrategy.clientId).toBe('acct-1');
    expect(inner.options.authStrategy.dataPath).toMatch(/sb-wwebjs-construct\/whatsapp-web$/);
  });
});
