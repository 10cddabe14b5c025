/**
 * @mentions in the note box, without a browser: which "@…" the caret is in, which agents match
 * it, what the text becomes when one is picked, and which picked agents are still named when the
 * note is sent (a mention whose "@Name" was deleted is dropped).
 */

/** The server takes at most this many mentions per note. */
export const MAX_MENTIONS = 20;
/** Suggestions shown at once. */
export const MAX_SUGGESTIONS = 6;
/** Longest "@query" still looked up (names with a space included). */
const MAX_QUERY = 40;

export interface MentionAgent {
  id: string;
  name: string;
}

/** The "@query" being typed: `start` is the index of the "@", `end` the caret. */
export interface MentionQuery {
  start: number;
  end: number;
  query: string;
}

/**
 * The "@…" the caret ends: an "@" at the start of the text or after a space or an opening
 * bracket, followed by up to 40 characters without another "@" or a line break ("@an", "@Ana L").
 * Null when the caret is not in one (e.g. an email address "ana@shop.example").
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/[\s([{"'“]/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (query.length > MAX_QUERY || /[@\n]/.test(query) || /^\s/.test(query)) return null;
  return { start: at, end: caret, query };
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * Agents whose name, or a word of it, starts with the query (any case, accents ignored): whole-name
 * matches first, then by name. An empty query lists everyone (up to `limit`).
 */
export function matchAgents(agents: readonly MentionAgent[], query: string, limit = MAX_SUGGESTIONS): MentionAgent[] {
  const q = fold(query.trim());
  const scored: { agent: MentionAgent; rank: number }[] = [];
  for (const agent of agents) {
    const name = fold(agent.name);
    const rank = name.startsWith(q) ? 0 : name.split(/\s+/).some((w) => w.startsWith(q)) ? 1 : -1;
    if (rank >= 0) scored.push({ agent, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || a.agent.name.localeCompare(b.agent.name));
  return scored.slice(0, limit).map((s) => s.agent);
}

/** The text with the "@query" replaced by "@Name " and the caret after it. */
export function insertMention(text: string, at: MentionQuery, agent: MentionAgent): { text: string; caret: number } {
  const token = `@${agent.name} `;
  const rest = text.slice(at.end).replace(/^ /, '');
  return { text: text.slice(0, at.start) + token + rest, caret: at.start + token.length };
}

/** Adds a picked agent to the tracked ones (each once). */
export function track(tracked: readonly MentionAgent[], agent: MentionAgent): MentionAgent[] {
  return tracked.some((t) => t.id === agent.id) ? [...tracked] : [...tracked, agent];
}

/** The ids of tracked agents whose "@Name" is still in the text, each once, at most MAX_MENTIONS. */
export function keptMentions(text: string, tracked: readonly MentionAgent[]): string[] {
  const ids: string[] = [];
  for (const t of tracked) {
    if (ids.length >= MAX_MENTIONS) break;
    if (!ids.includes(t.id) && namedIn(text, t.name)) ids.push(t.id);
  }
  return ids;
}

/** "@Name" appears as a whole: not followed by more letters or digits ("@Ana" is not in "@Anabel"). */
function namedIn(text: string, name: string): boolean {
  const token = `@${name}`;
  for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) {
    const next = text[i + token.length];
    if (next === undefined || !/[\p{L}\p{N}]/u.test(next)) return true;
  }
  return false;
}
