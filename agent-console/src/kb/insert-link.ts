import type { KbSearchHit } from '@switchboard/contracts';

/**
 * What goes into a reply for an article: "Title: url". Replies are plain text on every channel
 * (the console does not send Markdown), and the thread and most messengers turn the URL into a link.
 */
export function articleLinkText(hit: Pick<KbSearchHit, 'title' | 'url'>): string {
  return `${hit.title.trim()}: ${hit.url}`;
}

/**
 * `text` with `insertion` in place of the selection [start, end), kept a word apart from the text
 * around it, and where the caret goes: after the insertion (and after the space put behind it
 * where the text did not go on with one), so the agent types on without gluing words to the URL.
 */
export function insertAtCaret(text: string, start: number, end: number, insertion: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const before = text.slice(0, from);
  const after = text.slice(to);
  const lead = before && !/\s$/.test(before) ? ' ' : '';
  const trail = /^\s/.test(after) ? '' : ' ';
  const head = before + lead + insertion + trail;
  return { text: head + after, caret: head.length };
}
