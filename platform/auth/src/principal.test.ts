import { describe, expect, it } from 'vitest';
import { apiKeyId, authorize, hashApiKey, newApiKey, type Principal } from './principal.js';

const agent = (role: Principal['role']): Principal => ({ kind: 'agent', tenantId: 't', agentId: 'a', role, inboxIds: null });
const key = (scopes: string[]): Principal => ({ kind: 'apiKey', tenantId: 't', keyId: 'k', scopes, inboxIds: null });

describe('authorize', () => {
  it('lets every role through a route without roles, and only the named roles otherwise', () => {
    expect(authorize(agent('agent'), undefined)).toEqual({ ok: true });
    expect(authorize(agent('agent'), { roles: ['admin'] }).ok).toBe(false);
    expect(authorize(agent('supervisor'), { roles: ['admin', 'supervisor'] }).ok).toBe(true);
  });

  it('lets an API key through only with the route’s scope; a route without scope is closed to keys', () => {
    expect(authorize(key(['conversations:read']), { scope: 'conversations:read' })).toEqual({ ok: true });
    expect(authorize(key(['conversations:read']), { scope: 'conversations:write' })).toMatchObject({ ok: false, reason: expect.stringContaining('conversations:write') });
    expect(authorize(key(['conversations:read']), undefined).ok).toBe(false);
    expect(authorize(key(['conversations:read']), { roles: ['admin'] }).ok).toBe(false);
  });
});

describe('API keys', () => {
  it('carry their id, and only the hash is needed to check them', () => {
    const id = '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';
    const { key: k, hash, hint } = newApiKey(id);
    expect(k.startsWith('sbk_')).toBe(true);
    expect(apiKeyId(k)).toBe(id);
    expect(hashApiKey(k)).toBe(hash);
    expect(hash).not.toContain(k.slice(4));
    expect(k.endsWith(hint)).toBe(true);
    expect(apiKeyId('sbk_nope')).toBeNull();
    expect(apiKeyId(`${k}x`)).toBeNull();
  });
});
