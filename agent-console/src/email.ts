import type { EmailMeta, MessageView } from '@switchboard/contracts';
import { t } from './i18n/core.js';

/**
 * How the thread shows email messages: the subject when it changes, the addresses, badges for
 * mail nobody should answer, the quoted history folded, and the original HTML made safe to show
 * in a sandboxed frame. Pure, so it is tested without a browser.
 */

/** Reply and forward prefixes mail clients add, in the languages customers write in. */
const PREFIX = /^\s*(?:re|fwd?|aw|wg|sv|vs|tr|rif|enc|ответ|отв|пересл)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;
/** A ticket token such as "[#123]" or "[Ticket #123]" that help desks put in subjects. */
const TICKET = /\[[^\]\n]*#\s*\d+\s*\]/g;

/** A subject as it compares: no Re:/Fwd:/AW:/Ответ: prefixes, no "[#123]" token, spaces and case folded. */
export function subjectKey(subject: string | undefined): string {
  let s = (subject ?? '').replace(TICKET, ' ');
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(PREFIX, '');
  }
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The subject to show above each email message, by message id: shown when it differs from the
 * previous email message's (a new topic), never repeated for "Re: same thing".
 */
export function subjectsToShow(messages: readonly MessageView[]): Map<string, string> {
  const shown = new Map<string, string>();
  let previous: string | null = null;
  for (const m of messages) {
    if (!m.email) continue;
    const subject = m.email.subject?.trim() ?? '';
    const key = subjectKey(subject);
    if (subject && key !== previous) shown.set(m.id, subject);
    previous = key;
  }
  return shown;
}

/** The text split where the quoted history starts, or null when there is nothing to fold. */
export function foldQuote(text: string, quoteStart: number | undefined): { shown: string; quoted: string } | null {
  if (quoteStart === undefined || quoteStart <= 0 || quoteStart >= text.length) return null;
  const shown = text.slice(0, quoteStart).trimEnd();
  const quoted = text.slice(quoteStart);
  // A mail that is all quote (or all new text) is shown whole: folding would hide everything or nothing.
  if (!shown || !quoted.trim()) return null;
  return { shown, quoted };
}

/** "From: …", "To: …", "Cc: …" for the small line under the subject; empty parts left out. */
export function addressLines(email: EmailMeta): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  if (email.from) lines.push({ label: t('mail.from'), value: email.from });
  if (email.to?.length) lines.push({ label: t('mail.to'), value: email.to.join(', ') });
  if (email.cc?.length) lines.push({ label: t('mail.cc'), value: email.cc.join(', ') });
  return lines;
}

const noiseLabel = (noise: NonNullable<EmailMeta['noise']>): string => t(`mail.noise.${noise}`);

/** Badges of a mail: noise nobody should answer, and a mail that could not be read in full. */
export function emailBadges(email: EmailMeta): { kind: 'noise' | 'parse-error'; label: string; title: string }[] {
  const badges: { kind: 'noise' | 'parse-error'; label: string; title: string }[] = [];
  if (email.noise) badges.push({ kind: 'noise', label: noiseLabel(email.noise), title: email.noiseReason ?? noiseLabel(email.noise) });
  if (email.parseError) badges.push({ kind: 'parse-error', label: t('mail.partial'), title: email.parseError });
  return badges;
}

/** Stored inline images: `src="/api/v1/blobs/<ref>"`, the ref possibly URL-encoded. */
const BLOB_SRC = /(<img\b[^>]*?\ssrc=)(["'])\/api\/v1\/blobs\/([^"'?#]+)\2/gi;

function decodeRef(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The blob refs of the inline images an email's HTML shows, each once. */
export function inlineImageRefs(html: string): string[] {
  return [...new Set([...html.matchAll(BLOB_SRC)].map((m) => decodeRef(m[3]!)))];
}

/**
 * The frame document for a mail's original formatting. The HTML was sanitized by the server;
 * here inline images point at `data:` URLs fetched with the agent's token (a missing one becomes
 * empty), and the document's own policy allows nothing but those images and inline styles, so
 * even markup that slipped through can neither run nor load anything.
 */
export function emailFrameDocument(html: string, images: ReadonlyMap<string, string>): string {
  const body = html.replace(BLOB_SRC, (_m, head: string, q: string, raw: string) => `${head}${q}${(images.get(decodeRef(raw)) ?? '').replace(/["']/g, '')}${q}`);
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">` +
    '<base target="_blank"><style>' +
    'html{color-scheme:light}body{margin:0;padding:12px;background:#fff;color:#1f2328;font:14px/1.5 system-ui,sans-serif;overflow-wrap:anywhere}' +
    'body>:first-child{margin-top:0}body>:last-child{margin-bottom:0}img{max-width:100%;height:auto}table{max-width:100%}blockquote{margin:0 0 0 8px;padding-left:10px;border-left:3px solid #d0d7de;color:#57606a}' +
    '</style></head><body>' +
    body +
    '</body></html>'
  );
}
