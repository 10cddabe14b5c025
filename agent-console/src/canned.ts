import type { CannedResponseView } from '@switchboard/contracts';

/**
 * Canned responses in the composer (the "/" picker's logic; only its lazy chunk imports this).
 * A canned text may hold {{contact.name}}, {{contact.email}} and {{agent.name}}, filled when it
 * is inserted.
 */

export interface TemplateValues {
  contact: { name?: string | undefined; email?: string | undefined };
  agent: { name?: string | undefined };
}

const PLACEHOLDER = /\{\{\s*([a-z]+)\.([a-z]+)\s*\}\}/gi;

/** Fills the known placeholders; a known one without a value becomes empty, an unknown one stays as typed. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (typed, scope: string, field: string) => {
    const key = `${scope.toLowerCase()}.${field.toLowerCase()}`;
    switch (key) {
      case 'contact.name':
        return values.contact.name?.trim() ?? '';
      case 'contact.email':
        return values.contact.email?.trim() ?? '';
      case 'agent.name':
        return values.agent.name?.trim() ?? '';
      default:
        return typed;
    }
  });
}

/**
 * The canned responses matching what follows the "/": shortcuts starting with it first, then
 * shortcuts or titles containing it (case-insensitive), each group in shortcut order.
 */
export function matchCanned(items: readonly CannedResponseView[], query: string, limit = 8): CannedResponseView[] {
  const q = query.trim().toLowerCase();
  const sorted = [...items].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  if (!q) return sorted.slice(0, limit);
  const starts = sorted.filter((c) => c.shortcut.startsWith(q));
  const contains = sorted.filter((c) => !c.shortcut.startsWith(q) && (c.shortcut.includes(q) || c.title.toLowerCase().includes(q)));
  return [...starts, ...contains].slice(0, limit);
}

/** The first line of a canned text, shortened, for the picker's preview. */
export function previewLine(text: string, max = 80): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
