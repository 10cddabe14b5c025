import { describe, expect, it } from 'vitest';
import type { ExtraApi, HttpMethod } from '../api.js';
import { agentNames, auditPage, auditTarget, auditWho, type AuditEntry } from './audit.js';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({ id: 'e1', type: 'agent.updated', agentId: 'a1', ip: '127.0.0.1', at: '2026-01-01T10:00:00.000Z', ...over });
const names = new Map([
  ['a1', 'Ada Admin'],
  ['a2', 'Mira Holm'],
]);

describe('the audit log', () => {
  it('names who acted: the agent, else the email kept, an API key, or the system', () => {
    expect(auditWho(entry(), names)).toBe('Ada Admin');
    expect(auditWho(entry({ agentId: 'gone', email: 'old@example.test' }), names)).toBe('old@example.test');
    expect(auditWho(entry({ agentId: null, details: { apiKey: 'k1' } }), names)).toBe('API key');
    expect(auditWho(entry({ agentId: null }), names)).toBe('System');
    expect(auditWho(entry({ agentId: 'gone' }), names)).toBe('gone');
  });

  it('names what changed: an agent by name, a webhook by address, an account by name, a shortcut; then the fields', () => {
    expect(auditTarget(entry({ details: { target: 'a2', fields: ['name'] } }), names)).toBe('Mira Holm · name');
    expect(auditTarget(entry({ type: 'webhook.updated', details: { target: 'w1', url: 'https://x.test/h', fields: ['url', 'events'] } }), names)).toBe('https://x.test/h · url, events');
    expect(auditTarget(entry({ type: 'channel.updated', details: { target: 'c1', name: 'Support bot', fields: ['credentials'] } }), names)).toBe('Support bot · credentials');
    expect(auditTarget(entry({ type: 'canned.created', details: { target: 'r1', shortcut: 'hello' } }), names)).toBe('/hello');
    expect(auditTarget(entry({ type: 'apikey.revoked', details: { keyId: 'k9' } }), names)).toBe('k9');
    expect(auditTarget(entry({ type: 'login.success' }), names)).toBe('');
  });

  it('pages newest first with the cursor the server gave, and reads agents with deactivated ones', async () => {
    const asked: string[] = [];
    const http: Pick<ExtraApi, 'call'> = {
      call: async <T>(_m: HttpMethod, p: string) => (asked.push(p), (p.startsWith('/api/v1/agents') ? { items: [{ id: 'a1', name: 'Ada' }] } : { items: [], nextCursor: null }) as T),
    };
    await auditPage(http, null);
    await auditPage(http, '0190-abc');
    expect(await agentNames(http)).toEqual(new Map([['a1', 'Ada']]));
    expect(asked).toEqual(['/api/v1/audit?limit=50', '/api/v1/audit?limit=50&cursor=0190-abc', '/api/v1/agents?includeInactive=true']);
  });
});
