import { Secret, TOTP } from 'otpauth';
import type { KeyValue } from '@switchboard/kv';

const ISSUER = 'Switchboard';

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/** A fresh 160-bit secret (RFC 4226's recommended size) and the otpauth:// URL authenticator apps scan. */
export function newTotpSecret(label: string): { secret: string; url: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, url: totp(secret, label).toString() };
}

/** The code an authenticator app shows now; tests use it as a person would read it off their phone. */
export function totpCode(secretBase32: string, timestamp = Date.now()): string {
  return totp(secretBase32, 'x').generate({ timestamp });
}

/**
 * Checks a code, allowing one step of clock drift either way. A code is accepted once: the step
 * it belongs to is remembered in KV until it can no longer be valid, so a code seen over a
 * shoulder or in a log cannot be replayed.
 */
export async function verifyTotp(kv: KeyValue, agentId: string, secretBase32: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const delta = totp(secretBase32, 'x').validate({ token: code, window: 1 });
  if (delta === null) return false;
  const step = TOTP.counter({ period: 30 }) + delta;
  return kv.set(`auth:totp:used:${agentId}:${step}`, '1', { nx: true, ttlMs: 120_000 });
}
