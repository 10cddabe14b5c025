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
  { key: 'accessToken', in: 'credentials', label: 'Access token', type: 'password', required: true, help: `${app} access token with ${scope}.` },
  { key: 'appSecret', in: 'credentials', label: 'App secret', type: 'password', required: true, help: 'Verifies the signature of every webhook.' },
  {
    key: 'verifyToken',
    in: 'credentials',
    label: 'Verify token',
    type: 'text',
    required: true,
    help: 'Any string you choose; type the same into the app dashboard’s webhook “Verify token”.',
  },
];
const DIGITS = '^\\d{5,30}$';
const HOST = '^[A-Za-z0-9.:\\[\\]-]+$';
const PORT = '^[1-9]\\d{0,4}$';

export const CHANNEL_FORMS: ChannelForm[] = [
  {
    channel: 'telegram',
    title: 'Telegram',
    fields: [
      {
        key: 'botToken',
        in: 'credentials',
        label: 'Bot token',
        type: 'password',
        required: true,
        pattern: '^\\d+:[A-Za-z0-9_-]{20,}$',
        help: 'What @BotFather answers to /newbot, e.g. 123456789:AAH…',
      },
    ],
  },
  {
    channel: 'slack',
    title: 'Slack',
    pasteWebhook: true,
    fields: [
      { key: 'botToken', in: 'credentials', label: 'Bot token', type: 'password', required: true, pattern: '^xoxb-[A-Za-z0-9-]+$', help: 'Bot User OAuth Token (xoxb-…), under OAuth & Permissions.' },
      { key: 'signingSecret', in: 'credentials', label: 'Signing secret', type: 'password', required: true, pattern: '^[a-f0-9]{16,128}$', help: 'Basic Information → App Credentials.' },
      {
        key: 'mode',
        in: 'settings',
        label: 'Events arrive by',
        type: 'select',
        options: [
          ['', 'Events API (webhooks to this server)'],
          ['socket', 'Socket Mode (no public URL needed)'],
        ],
      },
      { key: 'appToken', in: 'credentials', label: 'App-level token', type: 'password', pattern: '^xapp-[A-Za-z0-9-]+$', help: 'Socket Mode only: xapp-… with connections:write.' },
      { key: 'channels', in: 'settings', label: 'Only these channels', type: 'text', pattern: '^[A-Z0-9]+(,[A-Z0-9]+)*$', help: 'Channel ids, comma-separated (C0123ABCD,C0456EFGH); empty = every channel the app is in.' },
    ],
  },
  {
    channel: 'whatsapp',
    title: 'WhatsApp Cloud API',
    pasteWebhook: true,
    fields: [
      { key: 'phoneNumberId', in: 'settings', label: 'Phone number ID', type: 'text', required: true, pattern: DIGITS, help: 'WhatsApp Manager → API setup.' },
      ...Meta('System-user', 'whatsapp_business_messaging'),
    ],
  },
  {
    channel: 'instagram',
    title: 'Instagram',
    pasteWebhook: true,
    fields: [
      ...Meta('Instagram user', 'instagram_business_manage_messages'),
      { key: 'igUserId', in: 'settings', label: 'Instagram account id', type: 'text', pattern: DIGITS, help: 'Found from the token when left empty.' },
    ],
  },
  {
    channel: 'email',
    title: 'Email',
    fields: [
      { key: 'address', in: 'settings', label: 'Support address', type: 'email', required: true, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', help: 'Customers write to it; replies come from it.' },
      { key: 'fromName', in: 'settings', label: 'Sender name', type: 'text', help: 'After the agent’s name in From. Default: the account name.' },
      { key: 'smtpHost', in: 'settings', label: 'SMTP server', type: 'text', required: true, pattern: HOST, help: 'Outgoing server, e.g. smtp.gmail.com.' },
      { key: 'smtpPort', in: 'settings', label: 'SMTP port', type: 'number', pattern: PORT, help: 'Default 587, or 465 with TLS.' },
      {
        key: 'smtpSecure',
        in: 'settings',
        label: 'SMTP security',
        type: 'select',
        options: [
          ['', 'STARTTLS when offered'],
          ['true', 'TLS from the start (465)'],
        ],
      },
      { key: 'smtpUser', in: 'settings', label: 'SMTP login', type: 'text', help: 'Default: the address.' },
      { key: 'smtpPassword', in: 'credentials', label: 'SMTP password', type: 'password', help: 'Or app password.' },
      { key: 'imapHost', in: 'settings', label: 'IMAP server', type: 'text', pattern: HOST, help: 'To read the mailbox, e.g. imap.gmail.com; empty = mail arrives by SMTP (MX) or the webhook.' },
      { key: 'imapPort', in: 'settings', label: 'IMAP port', type: 'number', pattern: PORT, help: 'Default 993, or 143 without TLS.' },
      {
        key: 'imapSecure',
        in: 'settings',
        label: 'IMAP security',
        type: 'select',
        options: [
          ['', 'TLS'],
          ['false', 'STARTTLS when offered'],
        ],
      },
      { key: 'imapUser', in: 'settings', label: 'IMAP login', type: 'text', help: 'Default: the address.' },
      { key: 'imapPassword', in: 'credentials', label: 'IMAP password', type: 'password' },
      {
        key: 'allowSelfSigned',
        in: 'settings',
        label: 'Certificates',
        type: 'select',
        options: [
          ['', 'Trusted only'],
          ['true', 'Also self-signed (internal servers)'],
        ],
      },
    ],
  },
];

export const formOf = (channel: string): ChannelForm | undefined => CHANNEL_FORMS.find((f) => f.channel === channel);

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
