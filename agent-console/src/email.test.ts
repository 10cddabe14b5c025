import { describe, expect, it } from 'vitest';
import { addressLines, emailBadges, emailFrameDocument, foldQuote, inlineImageRefs, subjectKey, subjectsToShow } from './email.js';
import { message } from './test-fixtures.js';

describe('subjectKey', () => {
  it('strips reply and forward prefixes in several languages, repeated or numbered', () => {
    expect(subjectKey('Re: Order 42')).toBe('order 42');
    expect(subjectKey('RE: Fwd: re:  Order   42 ')).toBe('order 42');
    expect(subjectKey('AW: WG: Order 42')).toBe('order 42');
    expect(subjectKey('Ответ: Заказ 42')).toBe('заказ 42');
    expect(subjectKey('Re[2]: Order 42')).toBe('order 42');
    expect(subjectKey('Fw : Order 42')).toBe('order 42');
  });

  it('drops a help desk ticket token wherever it is', () => {
    expect(subjectKey('Re: [#123] Order 42')).toBe('order 42');
    expect(subjectKey('Order 42 [Ticket #123]')).toBe('order 42');
    expect(subjectKey('[#123] Re: Order 42')).toBe('order 42');
  });

  it('keeps words that only look like prefixes', () => {
    expect(subjectKey('Return of order 42')).toBe('return of order 42');
    expect(subjectKey('Regarding: invoice')).toBe('regarding: invoice');
    expect(subjectKey(undefined)).toBe('');
  });
});

describe('subjectsToShow', () => {
  const mail = (seq: number, subject: string | undefined, over = {}) => message('c', seq, { email: subject === undefined ? {} : { subject }, ...over });

  it('shows the first subject and each change, never "Re: the same"', () => {
    const shown = subjectsToShow([
      mail(1, 'Order 42'),
      mail(2, 'Re: Order 42'),
      message('c', 3, { direction: 'out', text: 'agent reply, not a mail record' }),
      mail(4, 'RE: [#9] order 42'),
      mail(5, 'Invoice for March'),
      mail(6, 'Re: Order 42'),
    ]);
    expect([...shown]).toEqual([
      ['c-m1', 'Order 42'],
      ['c-m5', 'Invoice for March'],
      ['c-m6', 'Re: Order 42'],
    ]);
  });

  it('shows nothing for a mail without a subject, and compares the next one with it', () => {
    const shown = subjectsToShow([mail(1, 'Order 42'), mail(2, undefined), mail(3, 'Re: Order 42')]);
    expect([...shown.keys()]).toEqual(['c-m1', 'c-m3']);
  });
});

describe('foldQuote', () => {
  const text = 'Thanks, that worked!\n\nOn Tue, Maria wrote:\n> Try again';
  const start = text.indexOf('On Tue');

  it('shows the new text and keeps the quoted history for the toggle', () => {
    expect(foldQuote(text, start)).toEqual({ shown: 'Thanks, that worked!', quoted: 'On Tue, Maria wrote:\n> Try again' });
  });

  it('does not fold without a quote, or when folding would hide everything or nothing', () => {
    expect(foldQuote(text, undefined)).toBeNull();
    expect(foldQuote(text, 0)).toBeNull();
    expect(foldQuote(text, text.length)).toBeNull();
    expect(foldQuote('   \n> only a quote', 4)).toBeNull();
    expect(foldQuote('Hello\n\n   ', 6)).toBeNull();
  });
});

describe('addressLines and emailBadges', () => {
  it('lists From, To and Cc that are present', () => {
    expect(addressLines({ from: 'Maria <maria@example.com>', to: ['support@shop.example', 'sales@shop.example'], cc: [] })).toEqual([
      { label: 'From', value: 'Maria <maria@example.com>' },
      { label: 'To', value: 'support@shop.example, sales@shop.example' },
    ]);
  });

  it('marks noise with its reason as the title, and a mail that could not be read', () => {
    expect(emailBadges({ noise: 'auto-reply', noiseReason: 'Auto-Submitted: auto-replied' })).toEqual([{ kind: 'noise', label: 'Auto-reply', title: 'Auto-Submitted: auto-replied' }]);
    expect(emailBadges({ noise: 'list' })).toEqual([{ kind: 'noise', label: 'Mailing list', title: 'Mailing list' }]);
    expect(emailBadges({ noise: 'bounce', parseError: 'bad MIME boundary' }).map((b) => b.label)).toEqual(['Bounce', 'Could not be read in full — original attached']);
    expect(emailBadges({})).toEqual([]);
  });
});

describe('the original formatting frame', () => {
  const ref = 'blob:0190a3c4-0000-7000-8000-000000000001';
  const html = `<p>See <b>this</b>:</p><img src="/api/v1/blobs/${encodeURIComponent(ref)}" alt="chart" /><img src="/api/v1/blobs/${ref}"><img src="/api/v1/blobs/blob%3Aunknown">`;

  it('finds the stored inline images, each once', () => {
    expect(inlineImageRefs(html)).toEqual([ref, 'blob:unknown']);
  });

  it('points them at data: URLs, leaves unknown ones empty, and locks the document down', () => {
    const doc = emailFrameDocument(html, new Map([[ref, 'data:image/png;base64,AAAA']]));
    expect(doc).toContain('<img src="data:image/png;base64,AAAA" alt="chart" /><img src="data:image/png;base64,AAAA"><img src="">');
    expect(doc).not.toContain('/api/v1/blobs/');
    expect(doc).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
    expect(doc).toContain('<base target="_blank">');
    expect(doc).not.toMatch(/<script/i);
  });
});
