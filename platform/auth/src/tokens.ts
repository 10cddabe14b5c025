import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { createHash, createHmac, randomBytes } from 'node:crypto';

export type Role = 'admin' | 'supervisor' | 'agent';

export interface AgentClaims {
  agentId: string;
  tenantId: string;
  role: Role;
  name: string;
  /** The agent's token version when signed; a sign-out-everywhere raises it, so older tokens stop working. */
  tokenVersion?: number;
  /** The refresh family (session) this access token belongs to; sign-out ends it. */
  sessionId?: string;
}

export interface VisitorClaims {
  tenantId: string;
  inboxId: string;
  visitorId: string;
}

export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'token expired' : 'token invalid');
  }
}

const ISSUER = 'switchboard';

/** Signs and verifies the hub's JWTs (HS256). Agent access tokens are short-lived; visitor tokens long. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly accessTtlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  signAccess(claims: AgentClaims): Promise<string> {
    return new SignJWT({
      tid: claims.tenantId,
      role: claims.role,
      name: claims.name,
      ...(claims.tokenVersion !== undefined ? { tv: claims.tokenVersion } : {}),
      ...(claims.sessionId !== undefined ? { sid: claims.sessionId } : {}),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.agentId)
      .setIssuer(ISSUER)
      .setAudience('agent')
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSeconds}s`)
      .sign(this.key);
  }

  async verifyAccess(token: string): Promise<AgentClaims> {
    const payload = await this.verify(token, 'agent');
    const { sub, tid, role, name, tv, sid } = payload as { sub?: string; tid?: string; role?: Role; name?: string; tv?: number; sid?: string };
    if (!sub || !tid || !role) throw new TokenError('invalid');
    const claims: AgentClaims = { agentId: sub, tenantId: tid, role, name: name ?? '' };
    if (typeof tv === 'number') claims.tokenVersion = tv;
    if (typeof sid === 'string') claims.sessionId = sid;
    return claims;
  }

  signVisitor(claims: VisitorClaims): Promise<string> {
    return new SignJWT({ tid: claims.tenantId, inb: claims.inboxId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.visitorId)
      .setIssuer(ISSUER)
      .setAudience('visitor')
      .setIssuedAt()
      .sign(this.key);
  }

  async verifyVisitor(token: string): Promise<VisitorClaims> {
    const payload = await this.verify(token, 'visitor');
    const { sub, tid, inb } = payload as { sub?: string; tid?: string; inb?: string };
    if (!sub || !tid || !inb) throw new TokenError('invalid');
    return { visitorId: sub, tenantId: tid, inboxId: inb };
  }

  /**
   * A signature for things the hub hands out and must recognise later without storing them
   * (signed file links, upload refs): HMAC-SHA256, base64url, under a key derived from the token
   * secret for `purpose`, so a signature made for one purpose is worthless for another.
   */
  signature(purpose: string, data: string): string {
    const key = createHmac('sha256', this.key).update(`switchboard-signature:${purpose}`).digest();
    return createHmac('sha256', key).update(data).digest('base64url');
  }

  private async verify(token: string, audience: string) {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience, algorithms: ['HS256'] });
      return payload;
    } catch (err) {
      throw new TokenError(err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid');
    }
  }
}

/** An opaque refresh token and the hash under which it is stored (the token itself never is). */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
