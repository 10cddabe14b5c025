import type { ConversationView, CrmContactCard, CrmContactView, Role } from '@switchboard/contracts';
import { locale } from './i18n/index.js';
import { t } from './i18n/contact.js';

/**
 * The contact card beside a conversation, without a browser: the person's name as the card
 * titles it, their other conversations across channels, who may merge contacts and what the
 * card says where merging happens elsewhere. Only the lazily loaded ui/contact-card.tsx imports it.
 */

const CHANNELS: Record<string, string> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  'whatsapp-web': 'WhatsApp',
  instagram: 'Instagram',
  slack: 'Slack',
};
export const channelLabel = (channel: string): string => (channel === 'web' || channel === 'email' ? t(`channel.${channel}`) : (CHANNELS[channel] ?? channel));

const STATUSES = new Set(['open', 'pending', 'resolved', 'snoozed'] as const);
type Status = typeof STATUSES extends Set<infer S> ? S : never;
export const statusLabel = (status: string): string => (STATUSES.has(status as Status) ? t(`status.${status as Status}`) : status);

/** "12 Mar" (this card's own, so the chunk imports none of the page's modules). */
export const dayLabel = (iso: string): string => new Date(iso).toLocaleDateString(locale.value === 'ru' ? 'ru' : 'en-GB', { day: 'numeric', month: 'short' });

const PROVIDERS: Record<CrmContactCard['provider'], string> = { builtin: '', hubspot: 'HubSpot', kommo: 'Kommo' };
const providerName = (p: CrmContactCard['provider']): string => (p === 'builtin' ? t('provider.builtin') : PROVIDERS[p]);

/** A contact as the directory's search lists it (GET /api/v1/directory/contacts). */
export type DirectoryContact = Pick<CrmContactView, 'id' | 'name' | 'emails' | 'phones' | 'company'>;

export function contactTitle(c: Pick<CrmContactView, 'name' | 'emails' | 'phones'>): string {
  return c.name?.trim() || c.emails[0] || c.phones[0] || t('unnamed');
}

/** One line that tells two people of the same name apart: email, phone, company. */
export function contactHint(c: DirectoryContact): string {
  return [c.emails[0], c.phones[0], c.company].filter(Boolean).join(' · ');
}

/**
 * The person's conversations other than the open one, each once, newest activity first. `lists`
 * are the answers for each id the person had (a merged contact's conversations move to the
 * survivor shortly after the merge, so both are asked meanwhile).
 */
export function otherConversations(lists: readonly (readonly ConversationView[])[], openId: string): ConversationView[] {
  const byId = new Map<string, ConversationView>();
  for (const list of lists) for (const c of list) if (c.id !== openId) byId.set(c.id, c);
  const at = (c: ConversationView) => c.lastMessage?.at ?? c.updatedAt;
  return [...byId.values()].sort((a, b) => at(b).localeCompare(at(a)));
}

/** Search results the contact can be merged with: not the contact itself. */
export function mergeCandidates(results: readonly DirectoryContact[], selfIds: readonly string[]): DirectoryContact[] {
  return results.filter((c) => !selfIds.includes(c.id));
}

export type MergeAbility = { can: true } | { can: false; why: string };

/** Merging is for the built-in directory, by admins and supervisors (the directory's rule). */
export function mergeAbility(card: Pick<CrmContactCard, 'provider' | 'mergeable'>, role: Role | undefined): MergeAbility {
  if (!card.mergeable) return { can: false, why: t('mergedElsewhere', { provider: providerName(card.provider) }) };
  if (role !== 'admin' && role !== 'supervisor') return { can: false, why: t('mergeWho') };
  return { can: true };
}

/** "Open in HubSpot" — only for a web address (never javascript: or data:). */
export function crmLink(card: Pick<CrmContactCard, 'provider' | 'contact'>): { href: string; text: string } | null {
  const url = card.contact.url;
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return { href: url, text: card.provider === 'builtin' ? t('openInDirectory') : t('openIn', { provider: PROVIDERS[card.provider] }) };
}
