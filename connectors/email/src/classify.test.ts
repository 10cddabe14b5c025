import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyNoise, type NoiseInput } from './classify.js';
import { parseMail } from './parse.js';

/** A mail as classifyNoise sees it, from header lines ("Name: value"). */
function mail(headerLines: string[], extra: Partial<NoiseInput> = {}): NoiseInput {
  const headers = new Map<string, string[]>();
  for (const line of headerLines) {
    const at = line.indexOf(':');
    const name = line.slice(0, at).toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(at + 1).trim()]);
  }
  const subject = headers.get('subject')?.[0] ?? '';
  return { headers, subject, ...extra };
}

describe('classifyNoise', () => {
  it('marks the corpus as a person would', async () => {
    const expected: Record<string, [string, string] | undefined> = {
      'postfix-bounce.eml': ['bounce', 'Content-Type: multipart/report; report-type=delivery-status'],
      'exchange-ndr.eml': ['bounce', 'Content-Type: multipart/report; report-type=delivery-status'],
      'exchange-auto-reply.eml': ['auto-reply', 'Auto-Submitted: auto-replied'],
      'vacation-precedence-bulk.eml': ['auto-reply', 'Precedence: bulk with subject "I am on vacation"'],
      'newsletter-html-only.eml': ['list', 'List-Id: abc123def456mc list <abc123def456.123.list-id.mcsv.example>'],
      'gmail-reply.eml': undefined,
      'outlook-reply.eml': undefined,
      'thunderbird-reply.eml': undefined,
      'apple-mail-inline-image.eml': undefined,
      'russian-koi8r.eml': undefined,
      'yandex-reply.eml': undefined,
      'forwarded-rfc822.eml': undefined,
      'no-message-id-no-date.eml': undefined,
    };
    for (const [name, noise] of Object.entries(expected)) {
      const parsed = await parseMail(readFileSync(new URL(`../test/fixtures/eml/${name}`, import.meta.url)));
      expect(parsed.noise, name).toEqual(noise ? { kind: noise[0], reason: noise[1] } : undefined);
    }
  });

  describe('bounces', () => {
    it('by a message/delivery-status part, even in a mail that is not multipart/report', () => {
      expect(classifyNoise(mail(['Subject: Hello'], { files: [{ mime: 'message/delivery-status' }] }))).toEqual({
        kind: 'bounce',
        reason: 'message/delivery-status part',
      });
    });

    it('by From mailer-daemon@ or postmaster@', () => {
      expect(classifyNoise(mail(['Subject: Warning: could not send message for past 4 hours'], { from: { address: 'mailer-daemon@mx.example' } }))).toEqual({
        kind: 'bounce',
        reason: 'From: mailer-daemon@mx.example',
      });
      expect(classifyNoise(mail(['Subject: x'], { from: { address: 'postmaster@example.org' } }))?.kind).toBe('bounce');
    });

    it('by Return-Path <> together with a DSN subject, in any language', () => {
      for (const subject of [
        'Undelivered Mail Returned to Sender',
        'Delivery Status Notification (Failure)',
        'Mail delivery failed: returning message to sender',
        'Недоставленное сообщение',
        'Returned mail: see transcript for details',
      ]) {
        expect(classifyNoise(mail(['Return-Path: <>', `Subject: ${subject}`])), subject).toEqual({
          kind: 'bounce',
          reason: `Return-Path: <> with subject ${JSON.stringify(subject)}`,
        });
      }
      // Either alone is not enough.
      expect(classifyNoise(mail(['Return-Path: <>', 'Subject: Your invoice']))).toBeUndefined();
      expect(classifyNoise(mail(['Return-Path: <anna@example.com>', 'Subject: Undelivered Mail Returned to Sender']))).toBeUndefined();
    });

    it('by Exchange and Exim markers', () => {
      expect(classifyNoise(mail(['X-MS-Exchange-Message-Is-Ndr:', 'Subject: Undeliverable: x']))?.kind).toBe('bounce');
      expect(classifyNoise(mail(['X-Failed-Recipients: a@example.com']))).toEqual({ kind: 'bounce', reason: 'X-Failed-Recipients: a@example.com' });
    });

    it('Auto-Submitted: auto-generated on a DSN is a bounce, not an auto-reply', () => {
      expect(classifyNoise(mail(['Auto-Submitted: auto-generated', 'Subject: Delivery Status Notification (Failure)']))?.kind).toBe('bounce');
    });
  });

  describe('auto-replies', () => {
    it('Auto-Submitted with any value but "no" (RFC 3834)', () => {
      expect(classifyNoise(mail(['Auto-Submitted: auto-replied; owner-email="a@example.com"']))).toEqual({
        kind: 'auto-reply',
        reason: 'Auto-Submitted: auto-replied; owner-email="a@example.com"',
      });
      expect(classifyNoise(mail(['Auto-Submitted: auto-generated', 'Subject: Your ticket #42 was updated']))?.kind).toBe('auto-reply');
      expect(classifyNoise(mail(['Auto-Submitted: No']))).toBeUndefined();
    });

    it('autoresponder headers and Precedence: auto_reply', () => {
      expect(classifyNoise(mail(['X-Autoreply: yes', 'Subject: Re: order']))).toEqual({ kind: 'auto-reply', reason: 'X-Autoreply: yes' });
      expect(classifyNoise(mail(['X-Autorespond: Re: order']))?.kind).toBe('auto-reply');
      expect(classifyNoise(mail(['Precedence: auto_reply']))).toEqual({ kind: 'auto-reply', reason: 'Precedence: auto_reply' });
    });

    it('X-Auto-Response-Suppress only together with an auto-reply subject', () => {
      expect(classifyNoise(mail(['X-Auto-Response-Suppress: All', 'Subject: Meeting notes']))).toBeUndefined();
      expect(classifyNoise(mail(['X-Auto-Response-Suppress: All', 'Subject: Automatic reply: Meeting notes']))).toEqual({
        kind: 'auto-reply',
        reason: 'Subject: "Automatic reply: Meeting notes" (X-Auto-Response-Suppress: All)',
      });
    });

    it('Exchange inbox-rule loops and out-of-office subjects, English and Russian', () => {
      expect(classifyNoise(mail(['X-MS-Exchange-Inbox-Rules-Loop: john@contoso.com']))).toEqual({
        kind: 'auto-reply',
        reason: 'X-MS-Exchange-Inbox-Rules-Loop: john@contoso.com',
      });
      for (const subject of ['Automatic reply: Order 1', 'Out of Office: Order 1', 'Out of Office AutoReply: Order 1', 'Автоответ: Заказ 1', 'Автоматический ответ: Заказ 1', 'AUTO: Anna is out of the office']) {
        expect(classifyNoise(mail([`Subject: ${subject}`]))?.kind, subject).toBe('auto-reply');
      }
      expect(classifyNoise(mail(['Subject: Re: your out of office hours question']))).toBeUndefined();
    });
  });

  describe('list mail', () => {
    it('List-Id, List-Unsubscribe, List-Post, Precedence list/bulk/junk, campaign headers', () => {
      expect(classifyNoise(mail(['List-Unsubscribe: <https://x.example/u>']))).toEqual({ kind: 'list', reason: 'List-Unsubscribe' });
      expect(classifyNoise(mail(['List-Post: <mailto:dev@lists.example>']))).toEqual({ kind: 'list', reason: 'List-Post' });
      for (const p of ['list', 'bulk', 'junk']) {
        expect(classifyNoise(mail([`Precedence: ${p}`, 'Subject: Weekly digest'])), p).toEqual({ kind: 'list', reason: `Precedence: ${p}` });
      }
      expect(classifyNoise(mail(['X-Campaign: mc.123']))?.kind).toBe('list');
    });
  });

  it('bounce beats auto-reply beats list', () => {
    const all = ['Content-Type: multipart/report; report-type=delivery-status; boundary="b"', 'Auto-Submitted: auto-replied', 'List-Id: <l.example>'];
    expect(classifyNoise(mail(all))?.kind).toBe('bounce');
    expect(classifyNoise(mail(all.slice(1)))?.kind).toBe('auto-reply');
    expect(classifyNoise(mail(all.slice(2)))?.kind).toBe('list');
  });

  it('a read receipt (MDN) is an auto-reply; a plain mail is no noise', () => {
    expect(classifyNoise(mail(['Content-Type: multipart/report; report-type=disposition-notification; boundary="x"']))?.kind).toBe('auto-reply');
    expect(classifyNoise(mail(['From: Anna <anna@example.com>', 'Subject: Where is my order?']))).toBeUndefined();
  });

  it('keeps the reason short enough for EmailMeta.noiseReason', () => {
    const noise = classifyNoise(mail([`List-Id: ${'x'.repeat(1000)}`]));
    expect(noise?.reason.length).toBeLessThanOrEqual(300);
  });
});
