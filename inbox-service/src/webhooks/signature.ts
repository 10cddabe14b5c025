import { randomBytes } from 'node:crypto';
import { hmacSha256Hex, safeEqual } from '@switchboard/crypto';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'switchboard-signature';
export const EVENT_HEADER = 'switchboard-event';
export const DELIVERY_HEADER = 'switchboard-delivery';
/** Receivers should refuse signatures older than this (docs/webhooks.md). */
export const REPLAY_WINDOW_SECONDS = 300;

export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signPayload(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacSha256Hex(secret, `${unixSeconds}.${body}`)}`;
}

/** What a receiver does; kept here so the scheme has one executable definition for our tests. */
export function verifySignature(secret: string, body: string, header: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  if (Math.abs(nowSeconds - t) > REPLAY_WINDOW_SECONDS) return false;
  return safeEqual(parts.v1, hmacSha256Hex(secret, `${t}.${body}`));
}
