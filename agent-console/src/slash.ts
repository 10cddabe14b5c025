/**
 * The composer's "/" shortcut: a "/" at the start of the reply or after whitespace, followed by
 * what the agent types up to the caret, opens the canned-response picker.
 */

export interface SlashQuery {
  /** Where the "/" is. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

/** Longest query the picker follows; past it (or after a space) the "/" is taken as text. */
const MAX_QUERY = 40;

/** The "/query" the caret is in, or null when the caret is not right after one. */
export function slashQueryAt(text: string, caret: number): SlashQuery | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!m) return null;
  const query = m[2]!;
  if (query.length > MAX_QUERY) return null;
  return { start: caret - query.length - 1, query };
}

/** The text with "/query" replaced by `insert`, and where the caret goes after it. */
export function replaceSlash(text: string, slash: SlashQuery, insert: string): { text: string; caret: number } {
  const end = slash.start + 1 + slash.query.length;
  return { text: text.slice(0, slash.start) + insert + text.slice(end), caret: slash.start + insert.length };
}
