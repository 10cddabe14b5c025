import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError, type CrmProvider } from '../../src/crm/types.js';

/** One CRM service, real or stand-in, with the levers the contract suite pulls. */
export interface CrmUnderTest {
  /** A provider with working credentials. */
  provider: CrmProvider;
  /** The same service asked with a token it refuses. */
  withBadToken(): CrmProvider;
  /** The same service with this timeout (ms) per request. */
  withTimeout(ms: number): CrmProvider;
  /** A provider pointed at an address where nothing listens. */
  unreachable(): CrmProvider;
  /** The next `n` requests fail with this status (and Retry-After in seconds, when given). */
  failNext(n: number, failure: { status: 429 | 500 | 503; retryAfter?: number }): void;
  /** Every answer comes this many milliseconds late; 0 = on time. */
  delay(ms: number): void;
  /** The note texts the service holds for a contact (to see that addNote arrived). */
  notesOf(contactId: string): Promise<string[]>;
  /** What this provider can do (the suite checks the rest as "not supported"). */
  features: {
    /** find({ handle }) finds a contact created with that handle. */
    handleLookup: boolean;
    /** `company` is written and read back. */
    company: boolean;
  };
  close(): Promise<void>;
}

/** A Russian mobile number nobody else in this run has: E.164 and a person's spelling of it. */
function phone(): { e164: string; spelled: string } {
  const d = String(1_000_000 + (randomBytes(3).readUIntBE(0, 3) % 9_000_000));
  return { e164: `+7916${d}`, spelled: `+7 (916) ${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}` };
}

const unique = () => randomBytes(5).toString('hex');

async function expectCrmError(p: Promise<unknown>, expected: { retryable: boolean; status?: number }): Promise<CrmError> {
  const err = await p.then(
    () => {
      throw new Error('expected a CrmError, the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  const crm = err as CrmError;
  expect(crm.retryable).toBe(expected.retryable);
  if (expected.status !== undefined) expect(crm.status).toBe(expected.status);
  expect(crm.message.length).toBeGreaterThan(10);
  return crm;
}

/**
 * The one contract every CrmProvider keeps, run against each adapter (crm.contract.test.ts):
 * look-ups by email, phone in another spelling and handle; create, get, update that only adds;
 * notes; check(); and the failures the link outbox relies on — which are retryable and when.
 */
export function crmContract(name: string, make: () => Promise<CrmUnderTest>): void {
  describe(`CrmProvider contract: ${name}`, () => {
    let t: CrmUnderTest;
    let crm: CrmProvider;
    beforeAll(async () => {
      t = await make();
      crm = t.provider;
    });
    afterAll(async () => {
      await t?.close();
    });

    it('creates a contact and finds it by email, in any case', async () => {
      const email = `olga.${unique()}@example.com`;
      const created = await crm.create({ name: 'Olga Petrova', emails: [email], attributes: { jobtitle: 'Buyer' } });
      expect(created.id).toEqual(expect.any(String));
      expect(created.emails).toEqual([email]);
      expect(created.name).toBe('Olga Petrova');
      const found = await crm.find({ email: `  ${email.toUpperCase()} ` });
      expect(found?.id).toBe(created.id);
      expect(found).toMatchObject({ name: 'Olga Petrova', emails: [email], attributes: { jobtitle: 'Buyer' } });
    });

    it('finds by phone written another way: "+7 (916) 123-45-67" finds "+79161234567"', async () => {
      const p = phone();
      const created = await crm.create({ name: 'Ivan Phone', phones: [p.e164] });
      expect(created.phones).toEqual([p.e164]);
      expect((await crm.find({ phone: p.spelled }))?.id).toBe(created.id);
      expect((await crm.find({ phone: p.e164 }))?.id).toBe(created.id);
    });

    it('finds by handle where the provider supports it, handle before email', async () => {
      const handle = { channel: 'telegram', id: `tg${unique()}` };
      const byHandle = await crm.create({ name: 'Handle Holder', handles: [handle] });
      const email = `other.${unique()}@example.com`;
      const byEmail = await crm.create({ name: 'Email Holder', emails: [email] });
      const found = await crm.find({ handle: { channel: 'Telegram', id: handle.id } });
      if (t.features.handleLookup) {
        expect(found?.id).toBe(byHandle.id);
        expect(found?.handles).toEqual([handle]);
        expect((await crm.find({ handle, email }))?.id).toBe(byHandle.id);
      } else {
        expect(found).toBeNull();
        expect((await crm.find({ handle, email }))?.id).toBe(byEmail.id);
      }
    });

    it('gets a contact by id; an id it does not have is null', async () => {
      const email = `get.${unique()}@example.com`;
      const p = phone();
      const created = await crm.create({ name: 'Get Me', emails: [email], phones: [p.e164], ...(t.features.company ? { company: 'Acme' } : {}) });
      const got = await crm.get(created.id);
      expect(got).toMatchObject({ id: created.id, name: 'Get Me', emails: [email], phones: [p.e164] });
      if (t.features.company) expect(got?.company).toBe('Acme');
      expect(await crm.get('987654321')).toBeNull();
    });

    it('update adds a second email and keeps the first, adds a phone, sets attributes', async () => {
      const first = `first.${unique()}@example.com`;
      const second = `second.${unique()}@example.com`;
      const p = phone();
      const created = await crm.create({ name: 'Up Date', emails: [first] });
      const updated = await crm.update(created.id, { emails: [second.toUpperCase(), first], phones: [p.spelled], attributes: { jobtitle: 'Owner' } });
      expect(updated.id).toBe(created.id);
      expect(updated.emails).toEqual([first, second]);
      expect(updated.phones).toEqual([p.e164]);
      expect(updated.attributes.jobtitle).toBe('Owner');
      const got = await crm.get(created.id);
      expect(got).toMatchObject({ name: 'Up Date', emails: [first, second], phones: [p.e164], attributes: { jobtitle: 'Owner' } });
      expect((await crm.find({ email: second }))?.id).toBe(created.id);
      // Nothing new: nothing changes.
      expect((await crm.update(created.id, { emails: [first] })).emails).toEqual([first, second]);
    });

    it('adds a note to a contact', async () => {
      const created = await crm.create({ name: 'Noted', emails: [`noted.${unique()}@example.com`] });
      await crm.addNote(created.id, { text: 'Ticket #1042 opened: Order 5521 arrived broken', url: 'https://support.example/tickets/1042' });
      const notes = await t.notesOf(created.id);
      expect(notes.some((n) => n.includes('Ticket #1042 opened: Order 5521 arrived broken') && n.includes('https://support.example/tickets/1042'))).toBe(true);
    });

    it('answers null for a stranger', async () => {
      expect(await crm.find({ email: `nobody.${unique()}@example.com` })).toBeNull();
      expect(await crm.find({ phone: phone().spelled })).toBeNull();
      expect(await crm.find({ handle: { channel: 'telegram', id: `nobody${unique()}` } })).toBeNull();
      expect(await crm.find({})).toBeNull();
    });

    it('check() is ok with good credentials; a refused token is ok: false with a sentence', async () => {
      expect(await crm.check()).toEqual({ ok: true });
      const bad = await t.withBadToken().check();
      expect(bad.ok).toBe(false);
      expect(bad.reason).toMatch(/\S+ \S+ \S+/);
      const down = await t.unreachable().check();
      expect(down.ok).toBe(false);
      expect(down.reason).toMatch(/could not be reached/);
    });

    it('a refused token (401) is a CrmError that is not retryable', async () => {
      await expectCrmError(t.withBadToken().find({ email: `x.${unique()}@example.com` }), { retryable: false, status: 401 });
    });

    it('429 is retryable and carries retryAfterMs', async () => {
      t.failNext(1, { status: 429, retryAfter: 2 });
      const err = await expectCrmError(crm.find({ email: `rl.${unique()}@example.com` }), { retryable: true, status: 429 });
      expect(err.retryAfterMs).toBe(2000);
      t.failNext(1, { status: 429 });
      const noHeader = await expectCrmError(crm.get('123'), { retryable: true, status: 429 });
      expect(noHeader.retryAfterMs).toEqual(expect.any(Number));
      // The next request goes through again.
      expect(await crm.check()).toEqual({ ok: true });
    });

    it('500 and 503 are retryable', async () => {
      t.failNext(1, { status: 500 });
      await expectCrmError(crm.create({ name: 'Never', emails: [`never.${unique()}@example.com`] }), { retryable: true, status: 500 });
      t.failNext(1, { status: 503 });
      await expectCrmError(crm.addNote('123', { text: 'never' }), { retryable: true, status: 503 });
    });

    it('a timeout and an unreachable service are retryable', async () => {
      t.delay(600);
      try {
        const err = await expectCrmError(t.withTimeout(150).find({ email: `slow.${unique()}@example.com` }), { retryable: true });
        expect(err.message).toMatch(/did not answer within 150 ms/);
      } finally {
        t.delay(0);
      }
      await expectCrmError(t.unreachable().get('123'), { retryable: true });
    });
  });
}
