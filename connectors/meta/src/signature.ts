import { hmacSha256Hex, safeEqual } from '@switchboard/crypto';

/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
 * body, keyed with the app secret>`. The raw bytes matter: re-serialized JSON would not match
 * (Meta escapes non-ASCII and slashes in its own way).
 */
export function verifyHubSignature(rawBody: Buffer | string, header: string | undefined, appSecret: string): boolean {
  if (!header || !appSecret) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  return safeEqual(hmacSha256Hex(appSecret, rawBody), match[1].toLowerCase());
}

/** The header value Meta would send for this body (used by the stand-in and the tests). */
export function hubSignature(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${hmacSha256Hex(appSecret, rawBody)}`;
}

/**
 * The subscription handshake: Meta calls GET with hub.mode=subscribe, hub.verify_token (the
 * token typed into the app dashboard) and hub.challenge, and expects the challenge echoed as
 * the body. Returns the challenge, or null when the request is not a matching subscription.
 */
export function answerChallenge(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !verifyToken) return null;
  return safeEqual(token, verifyToken) ? challenge : null;
}
