/**
 * How every CRM adapter and the built-in directory spell the identifiers people are looked up by,
 * so "+7 (916) 123-45-67" written in one place finds "+79161234567" stored in another.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ChannelHandle } from './types.js';

export type { CountryCode };

/** Lower case, no surrounding spaces, and shaped like an address (one "@", a dot after it); else null. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return null;
  return email;
}

/**
 * E.164 ("+79161234567") when the text is a possible phone number: international ("+7 916 …",
 * "00 7 916 …") or national in `defaultCountry` ("8 916 …" with RU). Null when it is not one.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): string | null {
  const text = raw.trim().replace(/^00[\s-]*(?=\d)/, '+');
  if (!/\d/.test(text) || text.length > 50) return null;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  return parsed?.isPossible() ? parsed.number : null;
}

/**
 * A phone as stored by a CRM that keeps what people typed: E.164 when possible, otherwise the
 * digits (with the leading "+" if there was one), so two spellings of one number still compare.
 */
export function comparablePhone(raw: string, defaultCountry?: CountryCode): string {
  return normalizePhone(raw, defaultCountry) ?? `${raw.trim().startsWith('+') ? '+' : ''}${raw.replace(/\D/g, '')}`;
}

/** Channel lower case, both parts trimmed. */
export function normalizeHandle(handle: ChannelHandle): ChannelHandle {
  return { channel: handle.channel.trim().toLowerCase(), id: handle.id.trim() };
}

/** "telegram:12345": one string per handle, for indexes and text fields. */
export function handleKey(handle: ChannelHandle): string {
  const h = normalizeHandle(handle);
  return `${h.channel}:${h.id}`;
}

/**
 * Handles kept in one text field of a CRM ("telegram:123;whatsapp:+7916…"). `;` and `%` inside an
 * id are percent-encoded so any id survives the round trip.
 */
export function formatHandles(handles: ChannelHandle[]): string {
  return handles.map((h) => handleKey({ channel: h.channel, id: h.id.replace(/%/g, '%25').replace(/;/g, '%3B') })).join(';');
}

export function parseHandles(text: string | null | undefined): ChannelHandle[] {
  if (!text) return [];
  const out: ChannelHandle[] = [];
  for (const part of text.split(';')) {
    const at = part.indexOf(':');
    if (at <= 0 || at === part.length - 1) continue;
    out.push(normalizeHandle({ channel: part.slice(0, at), id: part.slice(at + 1).replace(/%3B/gi, ';').replace(/%25/g, '%') }));
  }
  return out;
}

/** Values of `add` not already in `into`, in order, without repeats. */
export function added<T>(into: readonly T[], add: readonly T[], key: (v: T) => string = String): T[] {
  const seen = new Set(into.map(key));
  const out: T[] = [];
  for (const v of add) {
    const k = key(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

/** `a` then the new values of `b`. */
export function union<T>(a: readonly T[], b: readonly T[], key: (v: T) => string = String): T[] {
  return [...added([], a, key), ...added(a, b, key)];
}
