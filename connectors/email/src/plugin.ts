import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { connectorPlugin, type ChannelAccountRecord, type ConnectorRuntime } from '@switchboard/connectors-sdk';
import type { Platform } from '@switchboard/runtime';
import { emailConnector } from './connector.js';
import { mailToEvent } from './inbound.js';
import { normalizeAddress } from './settings.js';
import { startInboundSmtp, type InboundSmtp } from './smtp-inbound.js';

export interface EmailChannelOptions {
  platform: Platform;
  /**
   * The built-in SMTP server (MX). Default from SMTP_INBOUND_*: on port 2525 unless
   * SMTP_INBOUND_PORT=0. `false` = none in this process; `{ port: 0 }` = any free port (tests).
   */
  smtp?: false | { port: number; host?: string; maxBytes?: number };
  /** Told the SMTP server's port once it listens (useful with port 0). */
  onSmtpListening?(port: number): void;
  /** Consume sb.outbound.email and send in this process (default true). */
  deliver?: boolean;
  /** SMTP/IMAP timeouts, ms (default 30 s). */
  timeoutMs?: number;
}

/** A Return-Path the sender wrote itself is not trusted: the receiving server sets it. */
export function stripReturnPath(raw: Buffer): Buffer {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const blank = /\r?\n\r?\n/.exec(head);
  // Every header line with its own line end; latin1 keeps the bytes as they are.
  const headers = blank ? head.slice(0, blank.index + (blank[0].startsWith('\r') ? 2 : 1)) : head;
  if (!/^return-path:/im.test(headers)) return raw;
  let dropping = false;
  const kept = headers
    .split(/(?<=\n)/)
    .filter((line) => {
      if (/^[ \t]/.test(line)) return !dropping;
      dropping = /^return-path:/i.test(line);
      return !dropping;
    })
    .join('');
  return Buffer.concat([Buffer.from(kept, 'latin1'), raw.subarray(headers.length)]);
}

/** How long a recipient → mailbox answer is reused; a new or changed account is seen within it. */
const ROUTE_CACHE_MS = 10_000;

/**
 * The email channel: the SDK connector (accounts under /api/v1/channels/email, IMAP polling,
 * the raw-mail webhook, replies over SMTP) plus the MX-style SMTP server every tenant's support
 * addresses share. Needs connectorsBase registered first. Mounted by the hub or main.ts.
 */
export async function emailChannel(app: FastifyInstance, opts: EmailChannelOptions): Promise<void> {
  const { platform } = opts;
  const logger = platform.logger.child({ component: 'connector', channel: 'email' });
  if (!app.hasDecorator('channels')) throw new Error('register connectorsBase before the email channel');
  const { accounts } = app.channels;
  const allAccounts = platform.store.collection<ChannelAccountRecord>('channel_accounts');

  const routes = new Map<string, { accountId: string | null; at: number }>();
  async function addressOwner(address: string): Promise<ChannelAccountRecord | null> {
    // Few mailboxes per tenant: a scan of the email accounts beats keeping a second index in step.
    const list = await allAccounts.find({ channel: 'email' });
    return list.find((r) => r.settings.address && normalizeAddress(r.settings.address) === address) ?? null;
  }
  async function route(recipient: string): Promise<string | null> {
    const address = normalizeAddress(recipient);
    const cached = routes.get(address);
    if (cached && Date.now() - cached.at < ROUTE_CACHE_MS) return cached.accountId;
    const owner = await addressOwner(address);
    const accountId = owner && owner.status !== 'disabled' ? owner._id : null;
    routes.set(address, { accountId, at: Date.now() });
    return accountId;
  }

  const timeoutMs = opts.timeoutMs;
  let runtime: ConnectorRuntime | undefined;
  await app.register(connectorPlugin, {
    expose: (rt) => (runtime = rt),
    platform,
    connector: emailConnector({
      imapPollIntervalMs: platform.config.email.imapPollIntervalMs,
      ...(timeoutMs ? { timeoutMs } : {}),
      addressOwner: async (address) => {
        const owner = await addressOwner(address);
        return owner ? { accountId: owner._id } : null;
      },
    }),
    ...(opts.deliver !== undefined ? { deliver: opts.deliver } : {}),
  });

  async function accept(raw: Buffer, mailboxes: string[]): Promise<void> {
    for (const accountId of mailboxes) {
      const record = await accounts.findForWebhook('email', accountId);
      if (!record || record.status === 'disabled' || !runtime) continue;
      const account = accounts.open(record);
      await runtime.publish(account, [await mailToEvent(raw, account, runtime.contextFor(account))]);
    }
  }

  const cfg = platform.config.email.smtpInbound;
  const listen = opts.smtp === undefined ? (cfg.port === 0 ? false : { port: cfg.port }) : opts.smtp;
  if (!listen) return;
  const tls = cfg.tlsKeyFile && cfg.tlsCertFile ? { key: readFileSync(cfg.tlsKeyFile), cert: readFileSync(cfg.tlsCertFile) } : undefined;
  let server: InboundSmtp | undefined;
  app.addHook('onReady', async () => {
    server = await startInboundSmtp({
      host: listen.host ?? cfg.host,
      port: listen.port,
      maxBytes: listen.maxBytes ?? cfg.maxBytes,
      hostname: cfg.hostname ?? hostname(),
      ...(tls ? { tls } : {}),
      route,
      // As a final delivery MTA does (RFC 5321 4.4): the envelope sender becomes Return-Path, so a
      // bounce (MAIL FROM:<>) reads as one. Deterministic, so a retried mail keeps its hash.
      accept: (raw, mailboxes, envelope) => accept(Buffer.concat([Buffer.from(`Return-Path: <${envelope.from ?? ''}>\r\n`), stripReturnPath(raw)]), mailboxes),
      logger,
    });
    opts.onSmtpListening?.(server.port);
  });
  app.addHook('preClose', async () => {
    await server?.close();
  });
}
