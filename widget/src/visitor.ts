import type { WidgetIdentify, WidgetVisitorUpdate } from '@switchboard/contracts';
import type { Chat, ChatResult } from './chat.js';

/**
 * identify() and setAttributes(): the page's values checked and turned into requests, and each
 * request's wait for the session and retries. A chunk the chat loads on the first such call.
 */

/** Tries while the connection keeps dropping before giving up. */
const CALL_ATTEMPTS = 3;

export interface AskContext {
  /** Resolves when the session is up (or the chat closed). */
  online(): Promise<void>;
  closed(): boolean;
  /** Changes on reset(): an answer about the forgotten visitor changes nothing. */
  identity(): number;
  /** Sends the request, resolves with the server's answer (rejects when none came in time). */
  emit(): Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>;
  onOk(data: unknown): void;
  /** The answer when the server cannot be reached (the chat's own, which it also gives when this chunk cannot be had). */
  unreachable: ChatResult;
}

export async function ask(ctx: AskContext): Promise<ChatResult> {
  for (let attempt = 1; ; attempt++) {
    await ctx.online();
    if (ctx.closed()) return ctx.unreachable;
    const asked = ctx.identity();
    let res;
    try {
      res = await ctx.emit();
    } catch {
      if (attempt >= CALL_ATTEMPTS) return ctx.unreachable;
      continue;
    }
    if (!res.ok) return { ok: false, code: res.error.code, message: res.error.message };
    // reset() came in between: the answer was about a visitor that is gone.
    if (asked !== ctx.identity()) return { ok: false, code: 'SB_ERR_CONFLICT', message: 'The visitor changed before the server answered.' };
    ctx.onOk(res.data);
    return { ok: true };
  }
}

type Refusal = Extract<ChatResult, { ok: false }>;
const invalid = (message: string): Refusal => ({ ok: false, code: 'SB_ERR_VALIDATION', message });

/** The page's identify(): the chat's call with the id trimmed, or a refusal when there is no id. */
export function identify(chat: Pick<Chat, 'identify'>, values: WidgetIdentify): ChatResult | Promise<ChatResult> {
  return typeof values?.id === 'string' && values.id.trim()
    ? chat.identify({ ...values, id: values.id.trim() })
    : invalid('identify() needs the user’s id, a non-empty string.');
}

/** The page's setAttributes(): the chat's call with the values as a visitor:update, or a refusal when they are not an object. */
export function setAttributes(chat: Pick<Chat, 'update'>, values: unknown): ChatResult | Promise<ChatResult> {
  const req = toVisitorUpdate(values);
  return req ? chat.update(req) : invalid('setAttributes() takes an object of names and values.');
}

const CONTACT_FIELDS = new Set(['name', 'email', 'phone']);

/**
 * The page's setAttributes() values as a visitor:update: name, email and phone are contact
 * details, any other key a custom attribute; values become text, null and undefined are skipped.
 * null when `values` is not a plain object.
 */
export function toVisitorUpdate(values: unknown): WidgetVisitorUpdate | null {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return null;
  const update: { name?: string; email?: string; phone?: string; attributes?: Record<string, string> } = {};
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if (CONTACT_FIELDS.has(key)) update[key as 'name' | 'email' | 'phone'] = String(value);
    else attributes[key] = String(value);
  }
  if (Object.keys(attributes).length) update.attributes = attributes;
  return update;
}

