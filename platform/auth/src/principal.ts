import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './tokens.js';

/** Scopes an API key can hold; a route names the one it needs in `config.access.scope`. */
export const API_SCOPES = [
  'conversations:read',
  'conversations:write',
  'channels:read',
  'channels:write',
  'webhooks:read',
  'webhooks:write',
  'contacts:read',
  'contacts:write',
  'tickets:read',
  'tickets:write',
  'kb:read',
  'kb:write',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];

/** Who is making a request: a signed-in agent or an integration holding an API key. */
export interface Principal {
  kind: 'agent' | 'apiKey';
  tenantId: string;
  agentId?: string;
  role?: Role;
  name?: string;
  /** The API key's id (kind 'apiKey'). */
  keyId?: string;
  scopes?: string[];
  /** Inboxes an agent may see; null = every inbox of the tenant. */
  inboxIds?: string[] | null;
  /** The agent's session (refresh family), when the access token carries it. */
  sessionId?: string;
}

/** What a route or socket event requires beyond a principal. */
export interface Access {
  /** Agent roles allowed; absent = every role. */
  roles?: Role[];
  /** The scope an API key needs; absent = API keys cannot use it at all. */
  scope?: string;
}

export type AccessDecision = { ok: true } | { ok: false; reason: string };

/** The one policy every REST route and socket event goes through. */
export function authorize(principal: Principal, access: Access | undefined): AccessDecision {
  if (principal.kind === 'agent') {
    if (access?.roles && (!principal.role || !access.roles.includes(principal.role))) {
      return { ok: false, reason: `This needs the role ${access.roles.join(' or ')}.` };
    }
    return { ok: true };
  }
  if (!access?.scope) return { ok: false, reason: 'API keys cannot use this; sign in as an agent.' };
  if (!principal.scopes?.includes(access.scope)) return { ok: false, reason: `This API key lacks the scope ${access.scope}.` };
  return { ok: true };
}

export const API_KEY_PREFIX = 'sbk_';

/**
 * A new API key: `sbk_<keyId>_<secret>`. The id finds the record; only sha256 of the whole key is
 * stored (the secret has 256 bits of entropy, so a slow hash adds nothing).
 */
export function newApiKey(keyId: string): { key: string; hash: string; hint: string } {
  const key = `${API_KEY_PREFIX}${keyId.replace(/-/g, '')}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), hint: key.slice(-4) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The key id inside a presented key, or null when it is not shaped like one. */
export function apiKeyId(key: string): string | null {
  const m = /^sbk_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/.exec(key);
  if (!m?.[1]) return null;
  const h = m[1];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
