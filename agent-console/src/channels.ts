import type { ChannelAccount, WhatsappSession } from './api.js';
import { t } from './i18n/channels.js';

/** Pure helpers of the admin's channel settings. */

export const WHATSAPP_WEB = 'whatsapp-web';

/** Admins' socket event for WhatsApp Web session changes (connectors/whatsapp-web SESSION_EVENT). */
export const SESSION_EVENT = 'channel:session';

const CHANNEL_NAMES: Record<string, string> = {
  'whatsapp-web': 'WhatsApp Web',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  instagram: 'Instagram',
  messenger: 'Messenger',
  slack: 'Slack',
};

export const channelName = (channel: string): string =>
  channel === 'email' || channel === 'webchat' ? t(`name.${channel}`) : (CHANNEL_NAMES[channel] ?? channel);

const STATES = new Set(['initializing', 'qr', 'authenticated', 'ready', 'disconnected', 'reconnecting', 'failed', 'stopped'] as const);
type State = typeof STATES extends Set<infer S> ? S : never;

export const sessionStateText = (state: string): string => (STATES.has(state as State) ? t(`state.${state as State}`) : state);

/** A 'channel:session' payload, if the value has that shape. */
export function asSession(value: unknown): WhatsappSession | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<WhatsappSession>;
  return typeof v.accountId === 'string' && typeof v.state === 'string' ? (value as WhatsappSession) : null;
}

/**
 * Sessions by account, with one snapshot applied; a QR code only counts while state is "qr". A
 * fetched snapshot (`fetched`) never replaces one from a state change at the same time or later:
 * its answer can arrive after the live event of the next change (the QR code after "starting").
 */
export function applySession(sessions: Record<string, WhatsappSession>, s: WhatsappSession, fetched = false): Record<string, WhatsappSession> {
  const current = sessions[s.accountId];
  if (fetched && current && Date.parse(s.stateSince) <= Date.parse(current.stateSince)) return sessions;
  return { ...sessions, [s.accountId]: { ...s, qr: s.state === 'qr' ? s.qr : null } };
}

/** Accounts in a stable order: oldest first, the new one appended. */
export function addAccount(list: ChannelAccount[], a: ChannelAccount): ChannelAccount[] {
  return [...list.filter((x) => x.accountId !== a.accountId), a].sort((x, y) => x.createdAt.localeCompare(y.createdAt));
}
