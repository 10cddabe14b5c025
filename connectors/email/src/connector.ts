import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '@switchboard/crypto';
import { malformed, type Connector } from '@switchboard/connectors-sdk';
import { checkImap, startImapPoller } from './imap.js';
import { mailToEvent } from './inbound.js';
import { checkSmtp, sendMail } from './outbound.js';
import { EmailCredentials, EmailSettings, imapIn, normalizeAddress } from './settings.js';
import { EMAIL_COLLECTIONS, type MailboxRecord } from './threads.js';

export const SIGNATURE_HEADER = 'x-switchboard-signature';

/** `sha256=<hex HMAC-SHA256 of the raw mail with the account's webhookSecret>`. */
export function mailSignature(secret: string, raw: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export interface EmailConnectorOptions {
  /** SMTP and IMAP connect/command timeout, ms (default 30 s). */
  timeoutMs?: number;
  /** IMAP safety-net poll besides IDLE, ms (default 60 s). */
  imapPollIntervalMs?: number;
  /**
   * Who already owns a support address (any tenant): one address routes to one inbox. Given by
   * the email channel plugin, which sees every tenant's accounts.
   */
  addressOwner?(address: string): Promise<{ accountId: string } | null>;
}

/**
 * Email on the connectors SDK. Mail arrives three ways — our SMTP server (MX, see plugin.ts), IMAP
 * polling with IDLE (start), or raw RFC 822 POSTed to the account's webhook by a mail server's
 * pipe (verify/parse) — and all three go through mailToEvent. Replies leave over the mailbox's
 * SMTP server (send).
 */
export function emailConnector(opts: EmailConnectorOptions = {}): Connector {
  const timeouts = { timeoutMs: opts.timeoutMs ?? 30_000 };
  return {
    channel: 'email',
    credentialsSchema: EmailCredentials,
    settingsSchema: EmailSettings,
    collections: EMAIL_COLLECTIONS,
    generateSecrets: () => ({ webhookSecret: randomBytes(32).toString('base64url') }),

    verify(req, account) {
      const given = req.headers[SIGNATURE_HEADER];
      const secret = account.credentials.webhookSecret;
      return req.method === 'POST' && Boolean(given && secret) && safeEqual(given as string, mailSignature(secret as string, req.rawBody));
    },

    async parse(req, account, ctx) {
      if (req.rawBody.length === 0) throw malformed('empty body: POST the raw message (RFC 822) as the body');
      return { events: [await mailToEvent(req.rawBody, account, ctx)] };
    },

    send: (command, account, ctx) => sendMail(command, account, ctx, timeouts),

    async checkCredentials(account) {
      const address = account.settings.address;
      if (!address) return { ok: false, reason: 'The support address is missing.' };
      const owner = await opts.addressOwner?.(normalizeAddress(address));
      if (owner && owner.accountId !== account.accountId) {
        return { ok: false, reason: `${address} is already connected to another inbox; one address routes to one inbox.` };
      }
      const smtp = await checkSmtp(account, timeouts);
      if (!smtp.ok) return smtp;
      const imap = imapIn(account);
      if (imap) {
        const checked = await checkImap(imap, timeouts.timeoutMs);
        if (!checked.ok) return { ok: false, reason: `IMAP ${imap.host}:${imap.port}: ${checked.reason ?? 'failed'}` };
      }
      return { ok: true, externalAccountId: normalizeAddress(address), label: address };
    },

    async start(account, ctx) {
      const imap = imapIn(account);
      if (!imap) return undefined;
      const mailboxes = ctx.collection<MailboxRecord>('email_mailboxes');
      const days = Number(account.settings.imapInitialSyncDays ?? 3);
      const poller = startImapPoller({
        settings: imap,
        logger: ctx.logger.child({ imap: `${imap.user}@${imap.host}` }),
        reportError: ctx.reportError,
        initialSince: new Date(Date.now() - days * 86_400_000),
        ...(opts.imapPollIntervalMs ? { pollIntervalMs: opts.imapPollIntervalMs } : {}),
        cursor: {
          async load() {
            const state = await mailboxes.findById(account.accountId);
            return state ? { uidValidity: state.uidValidity, lastUid: state.lastUid } : null;
          },
          async save(state) {
            await mailboxes.updateOne(
              { _id: account.accountId },
              { $set: { accountId: account.accountId, uidValidity: state.uidValidity, lastUid: state.lastUid, updatedAt: new Date() } },
              { upsert: true },
            );
          },
        },
        // The cursor moves past a mail only after this resolved: the broker has it.
        deliver: async (raw) => ctx.publish([await mailToEvent(raw, account, ctx)]),
      });
      return () => poller.stop();
    },
  };
}
