import { ImapFlow, type ImapFlowError, type ImapFlowOptions, type Logger as ImapFlowLogger, type SearchObject } from 'imapflow';
import type { Logger } from '@switchboard/logging';
import type { ImapSettings, MailboxCursor, MailboxState } from './types.js';

export interface ImapPollerOptions {
  settings: ImapSettings;
  cursor: MailboxCursor;
  /** Resolves once the mail is safely published (broker confirmed); throws → the same UID is tried again later. */
  deliver(raw: Buffer, info: { uid: number; internalDate?: Date }): Promise<void>;
  logger: Logger;
  /** Marks the account broken with a sentence (wrong password, mailbox missing). */
  reportError(reason: string): Promise<void>;
  /** On the very first start (no saved state) or after UIDVALIDITY changed: read mail received since this date (default: 3 days ago). */
  initialSince?: Date;
  /** Fallback poll when IDLE is not available or silently stalls (default 60 s). */
  pollIntervalMs?: number;
}

/** UIDs looked at per round, so a huge mailbox is read a slice at a time. */
const ROUND_UIDS = 50;
/** Raw bytes held in memory at once; one mail larger than this is still fetched alone. */
const FETCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_POLL_MS = 60_000;
const DEFAULT_SINCE_MS = 3 * 24 * 60 * 60 * 1000;
const LOGOUT_TIMEOUT_MS = 5_000;

type Round = 'caught-up' | 'more' | 'deliver-failed';

/**
 * Reads one mailbox over IMAP and hands every new mail to `deliver`, oldest UID first. The cursor
 * moves past a UID only after its mail was delivered, so a crash or a broker outage re-reads it
 * (downstream is idempotent) and nothing is ever skipped. The mailbox is opened read-only
 * (EXAMINE) and bodies are fetched with BODY.PEEK: the poller never changes flags or messages.
 * New mail is noticed through IDLE; a poll every `pollIntervalMs` covers servers whose IDLE
 * stalls.
 */
export function startImapPoller(opts: ImapPollerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const loop = new MailboxPoller(opts, abort.signal).run().catch((err: unknown) => {
    opts.logger.error({ err }, 'IMAP poller stopped unexpectedly');
  });
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

class MailboxPoller {
  private readonly mailbox: string;
  private readonly pollMs: number;
  private readonly log: Logger;
  /** UIDVALIDITY whose first read (SINCE initialSince) has not finished yet; survives reconnects. */
  private sinceScanFor: string | undefined;
  private lastReported: string | undefined;

  constructor(
    private readonly opts: ImapPollerOptions,
    private readonly signal: AbortSignal,
  ) {
    this.mailbox = opts.settings.mailbox ?? 'INBOX';
    this.pollMs = opts.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.log = opts.logger.child({ imapUser: opts.settings.user, imapHost: opts.settings.host, mailbox: this.mailbox });
  }

  async run(): Promise<void> {
    let failures = 0;
    while (!this.signal.aborted) {
      const client = createClient(this.opts.settings, {
        logger: imapflowLogger(this.log),
        // IDLE is started by hand once a round is done: auto-IDLE would wait 15 s of quiet first.
        disableAutoIdle: true,
        // A connection that silently died is noticed by the next poll timing out.
        socketTimeout: Math.max(120_000, 2 * this.pollMs),
      });
      const progress = { opened: false };
      let failure: unknown;
      try {
        await this.session(client, progress);
      } catch (err) {
        failure = err;
      }
      await closeClient(client);
      if (this.signal.aborted) break;
      failures = progress.opened ? 1 : failures + 1;
      if (failure === undefined) {
        this.log.info('IMAP connection closed by the server; reconnecting');
        await sleep(backoff(failures, 60_000), this.signal);
        continue;
      }
      const reason = describeImapError(failure, this.opts.settings);
      const broken = isAccountProblem(failure);
      this.log.warn({ reason, failures }, 'IMAP connection failed; retrying');
      if (broken && reason !== this.lastReported) {
        this.lastReported = reason;
        await this.opts.reportError(reason).catch((err: unknown) => this.log.error({ err }, 'could not report the IMAP error'));
      }
      // A wrong password or a missing mailbox will not fix itself in a second: retry slowly.
      await sleep(broken ? Math.min(15 * 60_000, 60_000 * 2 ** Math.min(failures - 1, 4)) : backoff(failures, 60_000), this.signal);
    }
  }

  /** One connection: open the mailbox, catch up, then wait for IDLE news or the poll timer. */
  private async session(client: ImapFlow, progress: { opened: boolean }): Promise<void> {
    let wake = false;
    let notify: (() => void) | undefined;
    const wakeUp = () => {
      wake = true;
      notify?.();
    };
    client.on('error', (err: Error) => this.log.debug({ err }, 'IMAP connection error'));
    client.on('exists', wakeUp);
    client.on('close', wakeUp);
    const onAbort = () => notify?.();
    this.signal.addEventListener('abort', onAbort);
    try {
      await client.connect();
      const opened = await client.mailboxOpen(this.mailbox, { readOnly: true });
      progress.opened = true;
      this.lastReported = undefined;
      // Kept from SELECT time: imapflow raises mailbox.uidNext as it sees newer UIDs.
      const atOpen = { uidValidity: String(opened.uidValidity), uidNext: opened.uidNext };
      this.log.info({ uidValidity: String(opened.uidValidity), exists: opened.exists }, 'IMAP mailbox opened');
      let state = await this.opts.cursor.load();
      let deliverFailures = 0;
      while (!this.signal.aborted) {
        if (!client.usable) return;
        wake = false;
        const { round, next } = await this.round(client, state, atOpen);
        state = next;
        if (this.signal.aborted) break;
        if (round === 'more') continue;
        let waitMs = this.pollMs;
        if (round === 'deliver-failed') {
          deliverFailures++;
          waitMs = backoff(deliverFailures, 5 * 60_000);
        } else {
          deliverFailures = 0;
        }
        if (!client.usable) return;
        if (!client.idling) {
          client.idle().catch((err: unknown) => this.log.debug({ err }, 'IMAP IDLE ended with an error'));
        }
        // New mail during a delivery backoff waits for the backoff: the broker is the problem.
        const wakeable = round !== 'deliver-failed';
        if (wakeable && wake) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          notify = () => {
            if (wakeable || this.signal.aborted || !client.usable) {
              clearTimeout(timer);
              resolve();
            }
          };
          if (this.signal.aborted) notify();
        });
        notify = undefined;
      }
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Reads up to ROUND_UIDS new mails and delivers them in UID order, saving the cursor after each.
   * Returns the state as saved.
   */
  private async round(
    client: ImapFlow,
    saved: MailboxState | null,
    atOpen: { uidValidity: string; uidNext: number },
  ): Promise<{ round: Round; next: MailboxState | null }> {
    const box = client.mailbox;
    if (!box) throw new Error(`the mailbox "${this.mailbox}" is no longer selected`);
    const uidValidity = String(box.uidValidity);
    // Recreated under an open session: start over with a fresh SELECT rather than mix two mailboxes.
    if (uidValidity !== atOpen.uidValidity) throw new Error(`the mailbox "${this.mailbox}" was recreated while it was open`);
    let state = saved;
    if (state && state.uidValidity !== uidValidity) {
      // The mailbox was recreated: the saved UID means nothing any more.
      this.log.warn({ saved: state.uidValidity, uidValidity }, 'IMAP UIDVALIDITY changed; reading recent mail again');
      state = null;
    }
    if (!state) this.sinceScanFor = uidValidity;
    const scanning = this.sinceScanFor === uidValidity;

    const from = (state?.lastUid ?? 0) + 1;
    const query: SearchObject = { uid: `${from}:*` };
    if (scanning) query.since = this.opts.initialSince ?? new Date(Date.now() - DEFAULT_SINCE_MS);
    const found = await client.search(query, { uid: true });
    if (!Array.isArray(found)) throw new Error(`the IMAP server refused to search the mailbox "${this.mailbox}"`);
    // "N:*" always matches the highest UID, even when it is below N.
    const uids = found.filter((uid) => uid >= from).sort((a, b) => a - b);

    if (uids.length === 0) {
      if (scanning) {
        this.sinceScanFor = undefined;
        // Everything below UIDNEXT (as of SELECT) that the scan did not return is older than
        // initialSince; remember that, or the next start would scan again.
        const lastUid = Math.max(state?.lastUid ?? 0, Number.isFinite(atOpen.uidNext) ? atOpen.uidNext - 1 : 0);
        if (!state || state.lastUid !== lastUid) {
          state = { uidValidity, lastUid };
          await this.opts.cursor.save(state);
        }
      }
      return { round: 'caught-up', next: state };
    }

    const slice = uids.slice(0, ROUND_UIDS);
    const sizes = await client.fetchAll(slice.join(','), { uid: true, size: true }, { uid: true });
    const sizeOf = new Map(sizes.map((m) => [m.uid, m.size ?? 0]));
    for (const group of groupBySize(slice.filter((uid) => sizeOf.has(uid)), sizeOf)) {
      // Collected in full before delivering: no other command may run inside a fetch() loop.
      const messages = await client.fetchAll(group.join(','), { uid: true, source: true, internalDate: true }, { uid: true });
      messages.sort((a, b) => a.uid - b.uid);
      for (const message of messages) {
        if (this.signal.aborted) return { round: 'caught-up', next: state };
        const internalDate = message.internalDate instanceof Date ? message.internalDate : message.internalDate ? new Date(message.internalDate) : undefined;
        try {
          if (message.source) {
            await this.opts.deliver(message.source, { uid: message.uid, ...(internalDate ? { internalDate } : {}) });
          } else {
            // Asking again would get the same answer and stall every mail behind this one.
            this.log.error({ uid: message.uid }, 'the IMAP server returned no content for a mail; skipping it');
          }
          const next = { uidValidity, lastUid: message.uid };
          await this.opts.cursor.save(next);
          state = next;
        } catch (err) {
          this.log.warn({ err, uid: message.uid }, 'delivering a mail failed; it will be read again');
          return { round: 'deliver-failed', next: state };
        }
        this.log.debug({ uid: message.uid, bytes: message.source?.length }, 'mail delivered');
      }
    }
    return { round: uids.length > slice.length ? 'more' : scanning ? 'more' : 'caught-up', next: state };
  }
}

/**
 * Logs in, opens the mailbox read-only and logs out. Never throws: a failure comes back as a
 * sentence naming the problem (unknown host, refused port, wrong password, missing mailbox).
 */
export async function checkImap(settings: ImapSettings, timeoutMs = 15_000): Promise<{ ok: boolean; reason?: string }> {
  const mailbox = settings.mailbox ?? 'INBOX';
  const client = createClient(settings, { logger: false, disableAutoIdle: true, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), timeoutMs);
  });
  const attempt = (async () => {
    await client.connect();
    await client.mailboxOpen(mailbox, { readOnly: true });
  })();
  attempt.catch(() => undefined);
  try {
    await Promise.race([attempt, timedOut]);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: describeImapError(err, settings, timeoutMs) };
  } finally {
    clearTimeout(timer);
    await closeClient(client);
  }
}

function createClient(settings: ImapSettings, extra: ImapFlowOptions): ImapFlow {
  return new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    tls: { rejectUnauthorized: !settings.allowSelfSigned },
    clientInfo: { name: 'Switchboard' },
    connectionTimeout: 30_000,
    ...extra,
  });
}

async function closeClient(client: ImapFlow): Promise<void> {
  if (client.isClosed) return;
  if (!client.usable) {
    client.close();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.logout().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LOGOUT_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!client.isClosed) client.close();
}

/** imapflow's own chatter goes to our logger at debug level; the poller logs what matters itself. */
function imapflowLogger(logger: Logger): ImapFlowLogger {
  const child = logger.child({ component: 'imapflow' });
  const debug = (entry: unknown) => child.debug(entry as object);
  return { trace: (entry: unknown) => child.trace(entry as object), debug, info: debug, warn: debug, error: debug, fatal: debug };
}

function groupBySize(uids: number[], sizeOf: Map<number, number>): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizeOf.get(uid) ?? 0;
    if (current.length > 0 && bytes + size > FETCH_BYTES) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(uid);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function isAccountProblem(err: unknown): boolean {
  const e = err as ImapFlowError;
  return e.authenticationFailed === true || e.mailboxMissing === true;
}

const TIMEOUT_CODES = new Set(['ETIMEOUT', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/** A sentence for people: what failed, for which account, and what the server said. */
export function describeImapError(err: unknown, settings: ImapSettings, timeoutMs?: number): string {
  const e = (err ?? {}) as ImapFlowError;
  const where = `${settings.host}:${settings.port}`;
  const mailbox = settings.mailbox ?? 'INBOX';
  const said = serverText(e);
  if (e.authenticationFailed) return `IMAP login failed for ${settings.user}: ${said ?? 'the server rejected the user name or password'}.`;
  if (e.mailboxMissing) return `The mailbox "${mailbox}" does not exist for ${settings.user} on ${settings.host}.`;
  if (e.command === 'SELECT' || e.command === 'EXAMINE') return `The mailbox "${mailbox}" could not be opened for ${settings.user} on ${settings.host}: ${said ?? e.message}.`;
  const code = e.code ?? '';
  if (TIMEOUT_CODES.has(code)) return `The IMAP server ${where} did not answer${timeoutMs ? ` within ${Math.round(timeoutMs / 1000)} s` : ' in time'}.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The IMAP server ${settings.host} could not be found (DNS lookup failed).`;
  if (code === 'ECONNREFUSED') return `The IMAP server ${where} refused the connection: nothing accepts connections on that port.`;
  if (e.tlsFailed || /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY)/.test(code)) {
    return `The TLS connection to ${where} failed: ${e.message}. Check the port and the "secure" setting${settings.allowSelfSigned ? '' : ', or allow self-signed certificates for an internal server'}.`;
  }
  return `The IMAP connection to ${where} failed: ${said ?? e.message ?? String(err)}.`;
}

/** The server's own words from a NO/BAD answer, without the [CODE] prefix and final period. */
function serverText(e: ImapFlowError): string | undefined {
  const text = e.responseText ?? (typeof e.response === 'string' ? e.response : undefined);
  const clean = text?.replace(/^\s*\[[^\]]*\]\s*/, '').replace(/\.\s*$/, '').trim();
  return clean || undefined;
}

function backoff(failures: number, capMs: number): number {
  return Math.min(capMs, 500 * 2 ** Math.min(failures, 10));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
