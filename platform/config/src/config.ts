import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { Compile } from 'typebox/compile';
import path from 'node:path';

/**
 * Every environment variable Switchboard reads, in one schema. Only this package reads
 * process.env; everything else receives a typed Config.
 */
const Url = (protocols: string[], description: string) =>
  Type.Optional(Type.String({ pattern: `^(${protocols.join('|')})://\\S+$`, description }));

export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000, description: 'HTTP port of the hub or service.' }),
  HOST: Type.String({ default: '0.0.0.0', description: 'Interface to listen on.' }),
  PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://\\S+$', description: 'Public base URL (links, widget snippet). Default http://localhost:PORT.' }),
  ),
  DATA_DIR: Type.String({ default: './data', description: 'Folder of the embedded store, bus journal and secrets.' }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')],
    { default: 'info', description: 'pino log level.' },
  ),
  LOG_FORMAT: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('pretty')], { description: 'json for machines, pretty for people. Default: pretty on a terminal, json otherwise.' }),
  ),
  AMQP_URL: Url(['amqp', 'amqps'], 'RabbitMQ; unset = embedded bus under DATA_DIR/bus.'),
  BUS_PARTITIONS: Type.Integer({ minimum: 1, maximum: 256, default: 8, description: 'Inbound work partitions; equal on every process.' }),
  BUS_DELIVERY_LIMIT: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Deliveries before a failing message is dead-lettered.' }),
  BUS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'sb', description: 'Name prefix of the RabbitMQ exchanges and queues (sb.inbound …); equal on every process.' }),
  REDIS_URL: Url(['redis', 'rediss'], 'Redis for presence, rate limits and socket.io fan-out; unset = in-memory.'),
  MONGODB_URL: Url(['mongodb', 'mongodb\\+srv'], 'MongoDB; unset = embedded store under DATA_DIR/store.'),
  MONGODB_DATABASE: Type.String({ default: 'switchboard', description: 'MongoDB database name.' }),
  ELASTICSEARCH_URL: Url(['http', 'https'], 'Elasticsearch 8 or 9 for full-text search (tickets, knowledge base); unset = embedded search under DATA_DIR/search.'),
  JWT_SECRET: Type.Optional(
    Type.String({ minLength: 32, description: 'Secret for agent and visitor tokens (≥ 32 chars). Unset = generated once and kept in DATA_DIR.' }),
  ),
  SECRETS_KEY: Type.Optional(
    Type.String({ minLength: 32, description: 'Key that encrypts stored secrets (channel tokens, passwords), ≥ 32 chars. Unset = generated once and kept in DATA_DIR.' }),
  ),
  ACCESS_TOKEN_TTL: Type.Integer({ minimum: 60, default: 900, description: 'Agent access token lifetime, seconds.' }),
  REFRESH_TOKEN_TTL: Type.Integer({ minimum: 3600, default: 2_592_000, description: 'Agent refresh token lifetime, seconds.' }),
  DEMO_SEED: Type.Boolean({ default: true, description: 'Create the demo tenant, agent and website inbox when the store is empty.' }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, default: 1_048_576, description: 'Largest accepted request body, bytes.' }),
  UPLOAD_MAX_BYTES: Type.Integer({ minimum: 1, default: 26_214_400, description: 'Largest file an agent can upload (POST /api/v1/blobs), bytes.' }),
  WIDGET_MAX_UPLOAD_BYTES: Type.Integer({ minimum: 1, default: 10_485_760, description: 'Largest file a website visitor can send from the chat widget (POST /api/v1/widget/uploads), bytes.' }),
  SMTP_URL: Url(['smtp', 'smtps'], 'SMTP server for outgoing mail (password resets), e.g. smtp://user:pass@mail.example:587. Unset = the mail text is logged at warn level.'),
  MAIL_FROM: Type.String({ default: 'Switchboard <no-reply@switchboard.local>', maxLength: 320, description: 'Sender of outgoing mail.' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 8_000, description: 'Longest a graceful shutdown (SIGTERM) may take before the process exits anyway, ms; keep it under the orchestrator\'s kill delay (docker: 10 s).' }),
  PRESENCE_TTL_MS: Type.Integer({ minimum: 1000, maximum: 600_000, default: 60_000, description: 'An agent whose console has not been heard from for this long counts as offline (a process that died without saying goodbye), ms; consoles send a heartbeat every third of it.' }),
  RATE_LIMIT_AGENT_PER_MIN: Type.Integer({ minimum: 0, default: 600, description: 'REST requests per minute per signed-in agent; 0 = no limit.' }),
  RATE_LIMIT_API_KEY_PER_MIN: Type.Integer({ minimum: 0, default: 600, description: 'REST requests per minute per API key; 0 = no limit.' }),
  RATE_LIMIT_VISITOR_PER_MIN: Type.Integer({ minimum: 0, default: 30, description: 'Messages per minute per widget visitor; 0 = no limit.' }),
  WIDGET_ALLOWED_ORIGINS: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s,]+(,\\s*https?://[^\\s,]+)*$', description: 'Comma-separated website origins allowed to call the REST API from a browser (CORS). Unset = same origin only.' }),
  ),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'Time a webhook receiver has to answer one delivery, ms.' }),
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 8, description: 'Attempts per webhook delivery before it is given up.' }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ minimum: 10, default: 30_000, description: 'Wait before the first webhook retry, ms; doubled per attempt (capped at 6 h).' }),
  WEBHOOK_DISABLE_AFTER: Type.Integer({ minimum: 1, default: 5, description: 'Consecutive failed deliveries after which a webhook subscription is disabled.' }),
  META_GRAPH_URL: Type.String({ pattern: '^https?://\\S+$', default: 'https://graph.facebook.com', description: 'Graph API base URL for WhatsApp Cloud API (a stand-in or proxy in tests).' }),
  META_GRAPH_VERSION: Type.String({ pattern: '^v\\d+\\.\\d+$', default: 'v21.0', description: 'Graph API version used by the WhatsApp and Instagram connectors.' }),
  INSTAGRAM_GRAPH_URL: Type.String({ pattern: '^https?://\\S+$', default: 'https://graph.instagram.com', description: 'Graph API base URL for Instagram Messaging (Instagram API with Instagram Login).' }),
  WHATSAPP_WEB_CHROMIUM: Type.String({ default: '/usr/bin/chromium', description: 'Chromium binary whatsapp-web.js drives (Debian\'s; puppeteer downloads none).' }),
  TELEGRAM_API_ROOT: Type.String({ pattern: '^https?://\\S+$', default: 'https://api.telegram.org', description: 'Telegram Bot API server (a self-hosted Bot API server, or a stand-in in tests).' }),
  SMTP_INBOUND_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 2525, description: 'Port of the built-in SMTP server (MX) that receives mail for the email inboxes; 0 = off. Forward port 25 to it.' }),
  SMTP_INBOUND_HOST: Type.String({ default: '0.0.0.0', description: 'Interface the built-in SMTP server listens on.' }),
  SMTP_INBOUND_MAX_BYTES: Type.Integer({ minimum: 1024, default: 26_214_400, description: 'Largest mail the SMTP server accepts, bytes (advertised with SIZE).' }),
  SMTP_INBOUND_HOSTNAME: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]{1,253}$', description: 'Name the SMTP server greets with (your MX host name). Default: the machine\'s host name.' })),
  SMTP_INBOUND_TLS_KEY: Type.Optional(Type.String({ minLength: 1, description: 'PEM key file for STARTTLS on the SMTP server (with SMTP_INBOUND_TLS_CERT). Unset = no STARTTLS.' })),
  SMTP_INBOUND_TLS_CERT: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate (chain) file for STARTTLS on the SMTP server.' })),
  IMAP_POLL_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 60_000, description: 'How often an IMAP mailbox is checked besides IDLE push, ms.' }),
  SLACK_API_URL: Type.String({ pattern: '^https?://\\S+/api/$', default: 'https://slack.com/api/', description: 'Slack Web API base, ending in /api/ (e.g. https://slack-gov.com/api/ for GovSlack).' }),
});
export type Env = Static<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  log: { level: Env['LOG_LEVEL']; format: 'json' | 'pretty' };
  bus: { amqpUrl: string | undefined; partitions: number; deliveryLimit: number; prefix: string };
  redisUrl: string | undefined;
  mongo: { url: string | undefined; database: string };
  elasticsearchUrl: string | undefined;
  auth: { jwtSecret: string | undefined; accessTokenTtl: number; refreshTokenTtl: number };
  secretsKey: string | undefined;
  demoSeed: boolean;
  bodyLimit: number;
  /** Largest file an agent can upload, bytes (UPLOAD_MAX_BYTES). */
  uploadMaxBytes: number;
  /** Largest file a website visitor can upload from the widget, bytes (WIDGET_MAX_UPLOAD_BYTES). */
  widgetMaxUploadBytes: number;
  mail: { smtpUrl: string | undefined; from: string };
  rateLimits: { agentPerMin: number; apiKeyPerMin: number; visitorPerMin: number };
  /** Longest a graceful shutdown may take, ms (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** Silence after which an agent counts as offline, ms (PRESENCE_TTL_MS). */
  presenceTtlMs: number;
  /** Browser origins allowed to call the REST API (CORS); empty = same origin only. */
  widgetAllowedOrigins: string[];
  webhooks: { timeoutMs: number; maxAttempts: number; retryBaseMs: number; disableAfter: number };
  meta: { graphUrl: string; graphVersion: string; instagramGraphUrl: string };
  whatsappWeb: { chromiumPath: string };
  telegram: { apiRoot: string };
  slack: { apiUrl: string };
  email: {
    smtpInbound: { port: number; host: string; maxBytes: number; hostname: string | undefined; tlsKeyFile: string | undefined; tlsCertFile: string | undefined };
    imapPollIntervalMs: number;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'SB_ERR_CONFIG';
}

const compiled = Compile(EnvSchema);
const numeric = new Set(['PORT', 'BUS_PARTITIONS', 'BUS_DELIVERY_LIMIT', 'ACCESS_TOKEN_TTL', 'REFRESH_TOKEN_TTL', 'BODY_LIMIT', 'UPLOAD_MAX_BYTES', 'WIDGET_MAX_UPLOAD_BYTES',
  'RATE_LIMIT_AGENT_PER_MIN', 'RATE_LIMIT_API_KEY_PER_MIN', 'RATE_LIMIT_VISITOR_PER_MIN',
  'WEBHOOK_TIMEOUT_MS', 'WEBHOOK_MAX_ATTEMPTS', 'WEBHOOK_RETRY_BASE_MS', 'WEBHOOK_DISABLE_AFTER',
  'SMTP_INBOUND_PORT', 'SMTP_INBOUND_MAX_BYTES', 'IMAP_POLL_INTERVAL_MS', 'PRESENCE_TTL_MS', 'SHUTDOWN_TIMEOUT_MS']);

function describe(key: string): string {
  const prop = (EnvSchema.properties as Record<string, { description?: string }>)[key];
  return prop?.description ?? '';
}

/** Reads and validates the environment. A bad value throws a ConfigError naming the variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  terminal: boolean = Boolean(process.stdout.isTTY),
): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    if (numeric.has(key)) {
      if (!/^-?\d+$/.test(value.trim())) {
        throw new ConfigError(`${key} must be a whole number, got "${value}". ${describe(key)}`);
      }
      raw[key] = Number(value);
    } else if (key === 'DEMO_SEED') {
      if (!/^(true|false|1|0)$/i.test(value)) throw new ConfigError(`${key} must be true or false, got "${value}".`);
      raw[key] = /^(true|1)$/i.test(value);
    } else {
      raw[key] = value.trim();
    }
  }
  const withDefaults = Value.Default(EnvSchema, raw);
  if (!compiled.Check(withDefaults)) {
    const first = [...compiled.Errors(withDefaults)][0];
    const key = first?.instancePath.replace(/^\//, '') ?? '';
    const shown = key ? String(env[key]) : '';
    throw new ConfigError(
      key
        ? `${key} is not valid ("${shown}"): ${first?.message}. ${describe(key)}`
        : `The environment is not valid: ${first?.message}.`,
    );
  }
  const e = withDefaults as Env;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(e.DATA_DIR),
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (terminal ? 'pretty' : 'json') },
    bus: { amqpUrl: e.AMQP_URL, partitions: e.BUS_PARTITIONS, deliveryLimit: e.BUS_DELIVERY_LIMIT, prefix: e.BUS_PREFIX },
    redisUrl: e.REDIS_URL,
    mongo: { url: e.MONGODB_URL, database: e.MONGODB_DATABASE },
    elasticsearchUrl: e.ELASTICSEARCH_URL,
    auth: { jwtSecret: e.JWT_SECRET, accessTokenTtl: e.ACCESS_TOKEN_TTL, refreshTokenTtl: e.REFRESH_TOKEN_TTL },
    secretsKey: e.SECRETS_KEY,
    demoSeed: e.DEMO_SEED,
    bodyLimit: e.BODY_LIMIT,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    widgetMaxUploadBytes: e.WIDGET_MAX_UPLOAD_BYTES,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    rateLimits: { agentPerMin: e.RATE_LIMIT_AGENT_PER_MIN, apiKeyPerMin: e.RATE_LIMIT_API_KEY_PER_MIN, visitorPerMin: e.RATE_LIMIT_VISITOR_PER_MIN },
    presenceTtlMs: e.PRESENCE_TTL_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    widgetAllowedOrigins: (e.WIDGET_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean),
    webhooks: { timeoutMs: e.WEBHOOK_TIMEOUT_MS, maxAttempts: e.WEBHOOK_MAX_ATTEMPTS, retryBaseMs: e.WEBHOOK_RETRY_BASE_MS, disableAfter: e.WEBHOOK_DISABLE_AFTER },
    meta: { graphUrl: e.META_GRAPH_URL.replace(/\/$/, ''), graphVersion: e.META_GRAPH_VERSION, instagramGraphUrl: e.INSTAGRAM_GRAPH_URL.replace(/\/$/, '') },
    whatsappWeb: { chromiumPath: e.WHATSAPP_WEB_CHROMIUM },
    telegram: { apiRoot: e.TELEGRAM_API_ROOT.replace(/\/$/, '') },
    slack: { apiUrl: e.SLACK_API_URL },
    email: {
      smtpInbound: {
        port: e.SMTP_INBOUND_PORT,
        host: e.SMTP_INBOUND_HOST,
        maxBytes: e.SMTP_INBOUND_MAX_BYTES,
        hostname: e.SMTP_INBOUND_HOSTNAME,
        tlsKeyFile: e.SMTP_INBOUND_TLS_KEY,
        tlsCertFile: e.SMTP_INBOUND_TLS_CERT,
      },
      imapPollIntervalMs: e.IMAP_POLL_INTERVAL_MS,
    },
  };
}

/** The configuration table for docs: variable, default, description. */
export function configTable(): { name: string; default: string; description: string }[] {
  return Object.entries(EnvSchema.properties as Record<string, { default?: unknown; description?: string }>).map(
    ([name, s]) => ({ name, default: s.default === undefined ? '' : String(s.default), description: s.description ?? '' }),
  );
}
