import type { ChannelAccount } from './api.js';
import { t } from './i18n/connect.js';

/**
 * Connecting a channel account from channel settings (lazy chunk only): each channel's form as a
 * small field table, the form's checks and the body of POST /api/v1/channels/<channel>. The
 * fields mirror each connector's credentialsSchema / settingsSchema (connectors/<name>/src) and
 * their meaning docs/channels/*.md; the unit tests check the bodies against those schemas.
 */

export interface ChannelField {
  key: string;
  /** Where the API takes it: a secret (`credentials`, stored sealed, never returned) or a setting. */
  in: 'credentials' | 'settings';
  label: string;
  /** `select` offers `options`; the first is preselected, and an empty value means the default. */
  type: 'text' | 'password' | 'number' | 'email' | 'select';
  required?: boolean;
  help?: string;
  /** The schema's pattern, checked before sending so a typo is told in words, not as a regex. */
  pattern?: string;
  options?: [value: string, label: string][];
}

export interface ChannelForm {
  channel: string;
  title: string;
  fields: ChannelField[];
  /** The provider must be given the account's webhookUrl (Slack's Events API, Meta's dashboards). */
  pasteWebhook?: boolean;
}

const Meta = (app: string, scope: string): ChannelField[] => [
  { key: 'accessToken', in: 'credentials', label: t('f.accessToken'), type: 'password', required: true, help: t('h.accessToken', { app, scope }) },
  { key: 'appSecret', in: 'credentials', label: t('f.appSecret'), type: 'password', required: true, help: t('h.appSecret') },
  { key: 'verifyToken', in: 'credentials', label: t('f.verifyToken'), type: 'text', required: true, help: t('h.verifyToken') },
];
const DIGITS = '^\\d{5,30}$';
const HOST = '^[A-Za-z0-9.:\\[\\]-]+$';
const PORT = '^[1-9]\\d{0,4}$';

/** Every channel's form, in the console's language (built on each call, so a language switch shows at once). */
export const channelForms = (): ChannelForm[] => [
  {
    channel: 'telegram',
    title: 'Telegram',
    fields: [{ key: 'botToken', in: 'credentials', label: t('f.botToken'), type: 'password', required: true, pattern: '^\\d+:[A-Za-z0-9_-]{20,}$', help: t('h.tgBotToken') }],
  },
  {
    channel: 'slack',
    title: 'Slack',
    pasteWebhook: true,
    fields: [
      { key: 'botToken', in: 'credentials', label: t('f.botToken'), type: 'password', required: true, pattern: '^xoxb-[A-Za-z0-9-]+$', help: t('h.slackBotToken') },
      { key: 'signingSecret', in: 'credentials', label: t('f.signingSecret'), type: 'password', required: true, pattern: '^[a-f0-9]{16,128}$', help: t('h.signingSecret') },
      {
        key: 'mode',
        in: 'settings',
        label: t('f.mode'),
        type: 'select',
        options: [
          ['', t('o.events')],
          ['socket', t('o.socket')],
        ],
      },
      { key: 'appToken', in: 'credentials', label: t('f.appToken'), type: 'password', pattern: '^xapp-[A-Za-z0-9-]+$', help: t('h.appToken') },
      { key: 'channels', in: 'settings', label: t('f.channels'), type: 'text', pattern: '^[A-Z0-9]+(,[A-Z0-9]+)*$', help: t('h.channels') },
    ],
  },
  {
    channel: 'whatsapp',
    title: 'WhatsApp Cloud API',
    pasteWebhook: true,
    fields: [{ key: 'phoneNumberId', in: 'settings', label: t('f.phoneNumberId'), type: 'text', required: true, pattern: DIGITS, help: t('h.phoneNumberId') }, ...Meta(t('app.system'), 'whatsapp_business_messaging')],
  },
  {
    channel: 'instagram',
    title: 'Instagram',
    pasteWebhook: true,
    fields: [...Meta(t('app.instagram'), 'instagram_business_manage_messages'), { key: 'igUserId', in: 'settings', label: t('f.igUserId'), type: 'text', pattern: DIGITS, help: t('h.igUserId') }],
  },
  {
    channel: 'email',
    title: t('title.email'),
    fields: [
      { key: 'address', in: 'settings', label: t('f.address'), type: 'email', required: true, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', help: t('h.address') },
      { key: 'fromName', in: 'settings', label: t('f.fromName'), type: 'text', help: t('h.fromName') },
      { key: 'smtpHost', in: 'settings', label: t('f.smtpHost'), type: 'text', required: true, pattern: HOST, help: t('h.smtpHost') },
      { key: 'smtpPort', in: 'settings', label: t('f.smtpPort'), type: 'number', pattern: PORT, help: t('h.smtpPort') },
      {
        key: 'smtpSecure',
        in: 'settings',
        label: t('f.smtpSecure'),
        type: 'select',
        options: [
          ['', t('o.starttls')],
          ['true', t('o.tls465')],
        ],
      },
      { key: 'smtpUser', in: 'settings', label: t('f.smtpUser'), type: 'text', help: t('h.login') },
      { key: 'smtpPassword', in: 'credentials', label: t('f.smtpPassword'), type: 'password', help: t('h.smtpPassword') },
      { key: 'imapHost', in: 'settings', label: t('f.imapHost'), type: 'text', pattern: HOST, help: t('h.imapHost') },
      { key: 'imapPort', in: 'settings', label: t('f.imapPort'), type: 'number', pattern: PORT, help: t('h.imapPort') },
      {
        key: 'imapSecure',
        in: 'settings',
        label: t('f.imapSecure'),
        type: 'select',
        options: [
          ['', 'TLS'],
          ['false', t('o.starttls')],
        ],
      },
      { key: 'imapUser', in: 'settings', label: t('f.imapUser'), type: 'text', help: t('h.login') },
      { key: 'imapPassword', in: 'credentials', label: t('f.imapPassword'), type: 'password' },
      {
        key: 'allowSelfSigned',
        in: 'settings',
        label: t('f.allowSelfSigned'),
        type: 'select',
        options: [
          ['', t('o.trusted')],
          ['true', t('o.selfSigned')],
        ],
      },
    ],
  },
];

export const formOf = (channel: string): ChannelForm | undefined => channelForms().find((f) => f.channel === channel);

export type FormValues = Record<string, string>;

/** What keeps the form from being sent, in words, or null when it can go. */
export function formProblem(form: ChannelForm, name: string, values: FormValues): string | null {
  if (!name.trim()) return t('connect.noName');
  for (const f of form.fields) {
    const v = (values[f.key] ?? '').trim();
    if (!v) {
      if (f.required) return t('connect.fill', { label: f.label });
      continue;
    }
    if (f.pattern && !new RegExp(f.pattern).test(v)) return `${t('connect.wrong', { label: f.label })}${f.help ? ` ${f.help}` : ''}`;
  }
  return null;
}

export interface ConnectBody {
  name: string;
  credentials: Record<string, string>;
  settings?: Record<string, string>;
}

/** POST /api/v1/channels/<channel>'s body: trimmed values, empty ones left to the server's defaults. */
export function connectBody(form: ChannelForm, name: string, values: FormValues): ConnectBody {
  const body: ConnectBody = { name: name.trim(), credentials: {} };
  const settings: Record<string, string> = {};
  for (const f of form.fields) {
    const v = (values[f.key] ?? '').trim();
    if (v) (f.in === 'credentials' ? body.credentials : settings)[f.key] = v;
  }
  if (Object.keys(settings).length > 0) body.settings = settings;
  return body;
}

export interface EditBody {
  name?: string;
  credentials?: Record<string, string>;
}

/**
 * PATCH /api/v1/channels/<channel>/<id>'s body from the edit form: the name when it changed and
 * each secret typed anew (an empty one keeps what is stored; the server never sends them back).
 */
export function editBody(form: ChannelForm | undefined, was: string, name: string, values: FormValues): { ok: true; body: EditBody } | { ok: false; error: string } {
  const body: EditBody = {};
  const n = name.trim();
  if (!n) return { ok: false, error: t('connect.noName') };
  if (n !== was) body.name = n;
  for (const f of form?.fields ?? []) {
    const v = (values[f.key] ?? '').trim();
    if (f.in !== 'credentials' || !v) continue;
    if (f.pattern && !new RegExp(f.pattern).test(v)) return { ok: false, error: t('connect.wrong', { label: f.label }) };
    (body.credentials ??= {})[f.key] = v;
  }
  return Object.keys(body).length ? { ok: true, body } : { ok: false, error: t('connect.unchanged') };
}

export const accountPath = (a: Pick<ChannelAccount, 'channel' | 'accountId'>): string =>
  `/api/v1/channels/${encodeURIComponent(a.channel)}/${encodeURIComponent(a.accountId)}`;

/** POST …/test's answer. */
export interface TestResult {
  ok: boolean;
  reason: string | null;
  label: string | null;
}

export const testText = (r: TestResult): string =>
  r.ok ? (r.label ? t('connect.worksAs', { label: r.label }) : t('connect.works')) : t('connect.failed', { reason: (r.reason ?? t('connect.noReason')).replace(/\.$/, '') });

export const removeQuestion = (a: Pick<ChannelAccount, 'name'>): string =>
  t('connect.removeQ', { name: a.name });

/** The list with one account replaced where it was (or appended), or taken out. */
export function putAccount(list: ChannelAccount[] | null, a: ChannelAccount): ChannelAccount[] {
  const all = list ?? [];
  return all.some((x) => x.accountId === a.accountId) ? all.map((x) => (x.accountId === a.accountId ? a : x)) : [...all, a];
}

export const dropAccount = (list: ChannelAccount[] | null, accountId: string): ChannelAccount[] => (list ?? []).filter((x) => x.accountId !== accountId);
