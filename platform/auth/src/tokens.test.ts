import { describe, expect, it } from 'vitest';
import { TokenService, TokenError, newOpaqueToken, hashOpaqueToken } from './tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';

const secret = 'x'.repeat(40);

describe('TokenService', () => {
  it('round-trips agent claims', async () => {
    const t = new TokenService(secret, 60);
    const token = await t.signAccess({ agentId: 'a1', tenantId: 't1', role: 'admin', name: 'Ann' });
    expect(await t.verifyAccess(token)).toEqual({ agentId: 'a1', tenantId: 't1', role: 'admin', name: 'Ann' });
  });

  it('refuses a token signed with another secret, and a visitor token used as an agent token', async () => {
    const a = new TokenService(secret, 60);
    const b = new TokenService('y'.repeat(40), 60);
    const token = await b.signAccess({ agentId: 'a1', tenantId: 't1', role: 'admin', name: 'Ann' });
    await expect(a.verifyAccess(token)).rejects.toThrow(TokenError);
    const visitor = await a.signVisitor({ tenantId: 't1', inboxId: 'i1', visitorId: 'v1' });
    await expect(a.verifyAccess(visitor)).rejects.toThrow(TokenError);
    expect(await a.verifyVisitor(visitor)).toEqual({ tenantId: 't1', inboxId: 'i1', visitorId: 'v1' });
  });

  it('says "expired" for an expired access token', async () => {
    const t = new TokenService(secret, 1);
    const token = await t.signAccess({ agentId: 'a1', tenantId: 't1', role: 'agent', name: '' });
    await new Promise((r) => setTimeout(r, 2100));
    await expect(t.verifyAccess(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('stores only the hash of opaque tokens', () => {
    const { token, hash } = newOpaqueToken();
    expect(hash).not.toContain(token);
    expect(hashOpaqueToken(token)).toBe(hash);
  });
});

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
  });
});
