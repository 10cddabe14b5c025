/** A piece of message text: plain text, or a web address to render as a link. */
export type TextPart = string | { href: string; label: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;
// Punctuation that ends a sentence is rarely part of the address ("see https://x.io/a.").
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Split text into plain parts and http(s) links. Only http(s) addresses become links. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const start = match.index ?? 0;
    let label = match[0];
    const trail = TRAILING.exec(label)?.[0] ?? '';
    // Keep a closing bracket that closes one opened inside the address (wikipedia links).
    const keep = trail.startsWith(')') && label.includes('(') ? 1 : 0;
    label = label.slice(0, label.length - trail.length + keep);
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href: /^https?:/i.test(label) ? label : `https://${label}`, label });
    last = start + label.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
