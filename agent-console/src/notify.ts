import type { ContactView, ConversationView, MentionView, MessageView } from '@switchboard/contracts';
import { t } from './i18n/notify.js';

/**
 * When a customer writes in one of the agent's conversations and the agent is not looking at it,
 * the console shows a desktop notification and beeps. This is the deciding part, without a
 * browser: what counts as "not looking", what the notification says, how often it may beep.
 * Only the lazily loaded notify-view imports it (so it may import nothing of the page's modules).
 */

/** The longest notification body, ellipsis included. */
export const BODY_MAX = 120;
/** Least time between two beeps: a burst of messages beeps once. */
export const BEEP_GAP_MS = 2000;

export interface Moment {
  /** The signed-in agent's id. */
  meId: string | null;
  /** The conversation open in the thread, if any. */
  openId: string | null;
  /** The console's tab is hidden (another tab, minimised window). */
  hidden: boolean;
}

/**
 * Whether a new message should notify: a customer's message, in a conversation assigned to the
 * agent, which the agent is not looking at (the tab is hidden or another conversation is open).
 */
export function shouldNotify(msg: MessageView, conv: ConversationView, at: Moment): boolean {
  if (msg.direction !== 'in' || msg.author.kind !== 'contact' || msg.deletedAt) return false;
  if (msg.conversationId !== conv.id || at.meId === null || conv.assigneeId !== at.meId) return false;
  return at.hidden || at.openId !== conv.id;
}

export interface NotificationText {
  title: string;
  body: string;
  /** The conversation's id: a newer notification of the same conversation replaces the older. */
  tag: string;
}

/** The contact's name as the list shows it (conversations.ts's contactName, which this chunk must not import). */
export function contactLabel(contact: ContactView): string {
  const name = contact.name?.trim() || contact.handle?.trim() || contact.email?.trim() || contact.phone?.trim();
  return name || t('visitor', { id: contact.id.slice(-4).toUpperCase() });
}

/** Text on one line, cut to `max` characters with an ellipsis when longer. */
export function truncate(text: string, max = BODY_MAX): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

export function notificationText(msg: MessageView, conv: ConversationView): NotificationText {
  const files = msg.attachments.length;
  const text = msg.text?.trim() ? msg.text : files ? t('sentFile', { count: files }) : t('newMessage');
  return { title: contactLabel(conv.contact), body: truncate(text), tag: conv.id };
}

/**
 * Whether an @mention of the agent in a note should notify: whoever the conversation is assigned
 * to, unless the agent is looking at that conversation right now.
 */
export function shouldNotifyMention(m: Pick<MentionView, 'agentId' | 'conversationId'>, at: Moment): boolean {
  if (at.meId === null || m.agentId !== at.meId) return false;
  return at.hidden || at.openId !== m.conversationId;
}

export function mentionText(m: Pick<MentionView, 'byName' | 'excerpt' | 'conversationId'>): NotificationText {
  return { title: t('mentioned', { name: m.byName }), body: truncate(m.excerpt) || t('openToRead'), tag: m.conversationId };
}

export interface NotifierDeps {
  moment(): Moment;
  show(n: NotificationText): void;
  beep(): void;
  now(): number;
  /** A mention arrived in the conversation the agent is looking at: it counts as read. */
  mentionSeen?(conversationId: string): void;
}

/**
 * Pairs each `message:new` with the `conversation:updated` the server sends right after it (the
 * conversation as it is now, with its assignee and contact, even when the list does not hold it)
 * and notifies when `shouldNotify` says so; notifies @mentions (`mention`) likewise; beeps at most
 * once per BEEP_GAP_MS.
 */
export class Notifier {
  private readonly waiting = new Map<string, MessageView>();
  private lastBeep = -Infinity;

  constructor(private readonly deps: NotifierDeps) {}

  messageNew(msg: MessageView): void {
    if (msg.direction === 'in') this.waiting.set(msg.conversationId, msg);
  }

  conversationUpdated(conv: ConversationView): void {
    const msg = this.waiting.get(conv.id);
    if (!msg) return;
    this.waiting.delete(conv.id);
    if (!shouldNotify(msg, conv, this.deps.moment())) return;
    this.deps.show(notificationText(msg, conv));
    this.chime();
  }

  /** The `mention` socket event: someone @mentioned the agent in a note. */
  mention(m: MentionView): void {
    if (shouldNotifyMention(m, this.deps.moment())) {
      this.deps.show(mentionText(m));
      this.chime();
    } else if (m.agentId === this.deps.moment().meId) this.deps.mentionSeen?.(m.conversationId);
  }

  private chime(): void {
    const t = this.deps.now();
    if (t - this.lastBeep < BEEP_GAP_MS) return;
    this.lastBeep = t;
    this.deps.beep();
  }
}
