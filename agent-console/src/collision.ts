import type { MessageView } from '@switchboard/contracts';
import { t } from './i18n/core.js';
import type { TypingEvent } from './realtime.js';
import { browserClock, type Clock } from './typing.js';

/**
 * "Ana is replying — you might answer twice": other agents typing a reply in a conversation.
 * Fed the /agent socket's `typing` and `message:new` events; an agent is listed from their
 * first "typing" until their "stopped", their reply arriving, or `ttlMs` without a signal (they
 * send one every 2 s while typing). The signed-in agent's own other tabs are never listed.
 */

/** A reply signal not renewed for this long is taken as stopped. */
export const REPLYING_TTL_MS = 6000;

interface Replying {
  agentId: string;
  name: string;
  timer: unknown;
}

export class ReplyCollisions {
  /** conversationId → agents replying there, in the order they started. */
  private readonly byConversation = new Map<string, Replying[]>();
  private readonly listeners = new Set<() => void>();

  constructor(
    /** The signed-in agent's id (read on each event: it changes on sign-in). */
    private readonly me: () => string | null,
    private readonly clock: Clock = browserClock,
    private readonly ttlMs = REPLYING_TTL_MS,
  ) {}

  /** Called after every change. Returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  typing(ev: TypingEvent): void {
    if (ev.who !== 'agent' || !ev.agentId || ev.agentId === this.me()) return;
    if (!ev.typing) return this.remove(ev.conversationId, ev.agentId);
    const list = this.byConversation.get(ev.conversationId) ?? [];
    const existing = list.find((r) => r.agentId === ev.agentId);
    const timer = this.clock.setTimeout(() => this.remove(ev.conversationId, ev.agentId!), this.ttlMs);
    if (existing) {
      this.clock.clearTimeout(existing.timer);
      existing.timer = timer;
      if (ev.name && ev.name !== existing.name) {
        existing.name = ev.name;
        this.changed();
      }
      return;
    }
    this.byConversation.set(ev.conversationId, [...list, { agentId: ev.agentId, name: ev.name?.trim() || t('store.anotherAgent'), timer }]);
    this.changed();
  }

  /** A new message: an agent whose reply just arrived is no longer replying. */
  message(msg: MessageView): void {
    if (msg.direction === 'out' && msg.author.id) this.remove(msg.conversationId, msg.author.id);
  }

  /** Names of the other agents replying in a conversation. */
  replying(conversationId: string): string[] {
    return (this.byConversation.get(conversationId) ?? []).map((r) => r.name);
  }

  /** Forget everyone (sign-out). */
  clear(): void {
    for (const list of this.byConversation.values()) for (const r of list) this.clock.clearTimeout(r.timer);
    this.byConversation.clear();
    this.changed();
  }

  private remove(conversationId: string, agentId: string): void {
    const list = this.byConversation.get(conversationId);
    const gone = list?.find((r) => r.agentId === agentId);
    if (!list || !gone) return;
    this.clock.clearTimeout(gone.timer);
    const rest = list.filter((r) => r !== gone);
    if (rest.length) this.byConversation.set(conversationId, rest);
    else this.byConversation.delete(conversationId);
    this.changed();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

/** The notice for the names `replying` gives; '' when nobody else is replying. */
export function collisionNotice(names: readonly string[]): string {
  if (names.length === 0) return '';
  const [a = '', b = ''] = names;
  if (names.length === 1) return t('collision.one', { a });
  if (names.length === 2) return t('collision.two', { a, b });
  return t('collision.many', { a, count: names.length - 1 });
}
