import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { createLogger } from '@switchboard/logging';
import { eventually, uniqueName } from '@switchboard/testkit';
import { checkImap, startImapPoller, type ImapPollerOptions } from '../src/imap.js';
import type { ImapSettings, MailboxState } from '../src/types.js';
import { startDovecot, type Dovecot } from './dovecot.js';

const logger = createLogger({ level: 'silent', format: 'json' });
const DAY = 24 * 60 * 60 * 1000;

function eml(subject: string): string {
  return [
    `From: Anna Customer <anna@example.com>`,
    `To: support@example.com`,
    `Subject: ${subject}`,
    `Message-ID: <${uniqueName('m')}@example.com>`,
    `Date: ${new Date().toUTCString()}`,
    `Content-Type: text/plain; charset=utf-8`,
    ``,
    `Hello about ${subject}.`,
    ``,
  ].join('\r\n');
}

const subjectOf = (raw: Buffer) => /^Subject: (.*)$/m.exec(raw.toString('utf8'))?.[1]?.trim() ?? '?';

/** A cursor kept in memory, as a restarted connector would find it in its store. */
function memoryCursor(initial: MailboxState | null = null) {
  const cursor = {
    state: initial,
    saves: [] as MailboxState[],
    async load() {
      return cursor.state;
    },
    async save(state: MailboxState) {
      cursor.state = { ...state };
      cursor.saves.push({ ...state });
    },
  };
  return cursor;
}

describe('IMAP poller against a real Dovecot', () => {
  let dovecot: Dovecot;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await dovecot?.close();
  });

  /** A fresh mailbox owner and a second client that plays the outside world (appending mail). */
  async function mailbox(mailboxName?: string) {
    const user = `${uniqueName('support')}@example.com`;
    dovecot.addUser(user, 'right-password');
    const settings: ImapSettings = { host: dovecot.host, port: dovecot.port, secure: false, user, password: 'right-password', ...(mailboxName ? { mailbox: mailboxName } : {}) };
    const sender = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: 'right-password' }, logger: false });
    await sender.connect();
    cleanups.push(() => sender.logout().catch(() => undefined));
    if (mailboxName) await sender.mailboxCreate(mailboxName);
    const append = async (subject: string, date?: Date) => {
      const res = await sender.append(mailboxName ?? 'INBOX', eml(subject), [], date);
      if (!res || res.uid === undefined) throw new Error('append failed');
      return res.uid;
    };
    /** Flags of every mail in the mailbox, read by the test client, not by the poller. */
    const flags = async () => {
      const lock = await sender.getMailboxLock(mailboxName ?? 'INBOX', { readOnly: true });
      try {
        return (await sender.fetchAll('1:*', { uid: true, flags: true })).map((m) => [...(m.flags ?? [])]);
      } finally {
        lock.release();
      }
    };
    return { user, settings, sender, append, flags };
  }

  /** Starts a poller that records every delivered mail by subject. */
  function poll(settings: ImapSettings, cursor: ReturnType<typeof memoryCursor>, extra: Partial<ImapPollerOptions> = {}) {
    const delivered: Array<{ subject: string; uid: number; internalDate?: Date }> = [];
    const errors: string[] = [];
    const poller = startImapPoller({
      settings,
      cursor,
      logger,
      initialSince: new Date(Date.now() - DAY),
      async deliver(raw, info) {
        delivered.push({ subject: subjectOf(raw), ...info });
      },
      async reportError(reason) {
        errors.push(reason);
      },
      ...extra,
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await poller.stop();
    };
    cleanups.push(stop);
    return { delivered, errors, stop, subjects: () => delivered.map((d) => d.subject) };
  }

  it('reads the recent mail on first start, in UID order, skips mail older than initialSince and never marks mail as read', async () => {
    const box = await mailbox();
    await box.append('from 2001', new Date('2001-02-03T04:05:06Z'));
    const uids = [await box.append('first'), await box.append('second'), await box.append('third')];
    const cursor = memoryCursor();
    const run = poll(box.settings, cursor);

    await eventually(() => run.delivered.length >= 3, 10_000, 'three mails delivered');
    expect(run.subjects()).toEqual(['first', 'second', 'third']);
    expect(run.delivered.map((d) => d.uid)).toEqual(uids);
    expect(run.delivered.every((d) => d.internalDate instanceof Date && Date.now() - d.internalDate.getTime() < DAY)).toBe(true);
    await eventually(() => cursor.state?.lastUid === uids[2], 5000, 'cursor at the last mail');
    // The cursor moved one mail at a time, never ahead of a delivery.
    expect(cursor.saves.map((s) => s.lastUid)).toEqual(uids);
    await run.stop();
    expect(run.subjects()).toEqual(['first', 'second', 'third']);
    expect((await box.flags()).flat()).not.toContain('\\Seen');
  });

  it('reads a backlog larger than one round completely, in order, each mail once', async () => {
    const box = await mailbox();
    const subjects = Array.from({ length: 120 }, (_, i) => `backlog ${i + 1}`);
    for (const subject of subjects) await box.append(subject);
    const cursor = memoryCursor();
    const run = poll(box.settings, cursor);
    await eventually(() => cursor.state?.lastUid === 120, 20_000, 'whole backlog read');
    await run.stop();
    expect(run.subjects()).toEqual(subjects);
  });

  it('continues after a restart with exactly the mail that arrived while it was stopped', async () => {
    const box = await mailbox();
    await box.append('before 1');
    await box.append('before 2');
    const cursor = memoryCursor();
    const first = poll(box.settings, cursor);
    await eventually(() => first.delivered.length >= 2, 10_000, 'first two mails');
    await first.stop();

    await box.append('while stopped 1');
    await box.append('while stopped 2');
    expect(first.subjects()).toEqual(['before 1', 'before 2']);

    const second = poll(box.settings, cursor);
    await eventually(() => second.delivered.length >= 2, 10_000, 'mail from the stop');
    await box.append('after restart');
    await eventually(() => second.delivered.length >= 3, 10_000, 'mail after the restart');
    await second.stop();
    expect(second.subjects()).toEqual(['while stopped 1', 'while stopped 2', 'after restart']);
    expect(cursor.state?.lastUid).toBe(5);
    expect((await box.flags()).flat()).not.toContain('\\Seen');
  });

  it('retries a mail whose delivery failed and delivers nothing after it before it succeeds', async () => {
    const box = await mailbox();
    await box.append('one');
    const twoUid = await box.append('two');
    await box.append('three');
    const cursor = memoryCursor();
    const attempts: string[] = [];
    const savedWhileFailing: Array<number | undefined> = [];
    let failuresLeft = 2;
    const delivered: string[] = [];
    const run = poll(box.settings, cursor, {
      async deliver(raw) {
        const subject = subjectOf(raw);
        if (subject === 'two' && failuresLeft > 0) {
          failuresLeft--;
          attempts.push('two (broker down)');
          savedWhileFailing.push(cursor.state?.lastUid);
          throw new Error('broker unavailable');
        }
        attempts.push(subject);
        delivered.push(subject);
      },
    });
    await eventually(() => delivered.length >= 3, 15_000, 'all three mails delivered');
    await run.stop();
    expect(attempts).toEqual(['one', 'two (broker down)', 'two (broker down)', 'two', 'three']);
    // While "two" was failing, the saved cursor stayed on "one": a restart then would retry "two".
    expect(savedWhileFailing).toEqual([twoUid - 1, twoUid - 1]);
    expect(cursor.state?.lastUid).toBe(twoUid + 1);
  });

  it('picks up new mail within seconds through IDLE, long before the 60 s poll', async () => {
    const box = await mailbox();
    const cursor = memoryCursor();
    const run = poll(box.settings, cursor, { pollIntervalMs: 60_000 });
    // The first read of the (empty) mailbox is done once it saved where it stands.
    await eventually(() => cursor.state !== null, 10_000, 'first read done');

    for (const subject of ['while idling 1', 'while idling 2']) {
      const t0 = Date.now();
      await box.append(subject);
      await eventually(() => run.subjects().includes(subject), 10_000, `"${subject}" delivered`);
      expect(Date.now() - t0).toBeLessThan(10_000);
    }
    expect(run.subjects()).toEqual(['while idling 1', 'while idling 2']);
  });

  it('reads recent mail again when the mailbox was recreated (UIDVALIDITY changed)', async () => {
    const box = await mailbox('Support');
    await box.append('old box 1');
    await box.append('old box 2');
    const cursor = memoryCursor();
    const first = poll(box.settings, cursor);
    await eventually(() => first.delivered.length >= 2, 10_000, 'mail of the old mailbox');
    await first.stop();
    const before = cursor.state;
    expect(before?.lastUid).toBe(2);

    await box.sender.mailboxDelete('Support');
    await box.sender.mailboxCreate('Support');
    await box.append('new box, from 2001', new Date('2001-02-03T04:05:06Z'));
    // UIDs 2 and 3: not above the saved lastUid 2, so only a fresh read finds them.
    await box.append('new box 1');
    await box.append('new box 2');

    const second = poll(box.settings, cursor);
    await eventually(() => second.delivered.length >= 2, 10_000, 'mail of the new mailbox');
    await second.stop();
    expect(second.subjects()).toEqual(['new box 1', 'new box 2']);
    expect(cursor.state?.uidValidity).not.toBe(before?.uidValidity);
    expect(cursor.state?.lastUid).toBe(3);
  });

  it('reconnects after the server dropped the session and reads the mail that came meanwhile', async () => {
    const box = await mailbox();
    const cursor = memoryCursor();
    const run = poll(box.settings, cursor, { pollIntervalMs: 60_000 });
    await box.append('before the drop');
    await eventually(() => run.delivered.length >= 1, 10_000, 'first mail');

    // Drops the poller's session (and the test's own sender) as a server restart would.
    await dovecot.kick(box.user);
    const sender = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: box.user, pass: 'right-password' }, logger: false });
    await sender.connect();
    cleanups.push(() => sender.logout().catch(() => undefined));
    await sender.append('INBOX', eml('after the drop'));

    await eventually(() => run.delivered.length >= 2, 10_000, 'mail after the reconnect');
    expect(run.subjects()).toEqual(['before the drop', 'after the drop']);
  });

  it('stop() waits for the delivery in flight and delivers nothing after it', async () => {
    const box = await mailbox();
    await box.append('slow');
    await box.append('never');
    let release = () => {};
    const started: string[] = [];
    const cursor = memoryCursor();
    const run = poll(box.settings, cursor, {
      async deliver(raw) {
        started.push(subjectOf(raw));
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    cleanups.push(async () => release());
    await eventually(() => started.length === 1, 10_000, 'first delivery started');
    let stopped = false;
    const stopping = run.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(started).toEqual(['slow']);
    // The delivery that finished is remembered; "never" is read by the next start.
    expect(cursor.state?.lastUid).toBe(1);
  });

  it('reports a wrong password as a sentence and keeps retrying until stopped', async () => {
    const box = await mailbox();
    const run = poll({ ...box.settings, password: 'wrong' }, memoryCursor());
    await eventually(() => run.errors.length > 0, 10_000, 'error reported');
    expect(run.errors[0]).toMatch(new RegExp(`IMAP login failed for ${box.user}`));
    const t0 = Date.now();
    await run.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(run.delivered).toEqual([]);
  });

  it('checkImap names the problem: wrong password, missing mailbox, closed port', async () => {
    const box = await mailbox();
    expect(await checkImap(box.settings)).toEqual({ ok: true });

    const badPassword = await checkImap({ ...box.settings, password: 'wrong' });
    expect(badPassword.ok).toBe(false);
    expect(badPassword.reason).toMatch(new RegExp(`^IMAP login failed for ${box.user}: .+`));

    const missing = await checkImap({ ...box.settings, mailbox: 'Nope' });
    expect(missing).toEqual({ ok: false, reason: `The mailbox "Nope" does not exist for ${box.user} on 127.0.0.1.` });

    const closed = await checkImap({ ...box.settings, port: 1 }, 3000);
    expect(closed.ok).toBe(false);
    expect(closed.reason).toMatch(/127\.0\.0\.1:1 refused the connection/);
  });
});
