import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { decodeWords, extractIds, parseMail } from './parse.js';
import type { ParsedMail } from './types.js';

const corpus = new URL('../test/fixtures/eml/', import.meta.url);
const raw = (name: string): Buffer => readFileSync(new URL(name, corpus));
const load = (name: string): Promise<ParsedMail> => parseMail(raw(name));
const names = readdirSync(fileURLToPath(corpus)).filter((n) => n.endsWith('.eml')).sort();
/** What the sender newly wrote: the text before the fold. */
const newPart = (m: ParsedMail): string => (m.quoteStart === undefined ? m.text : m.text.slice(0, m.quoteStart).trimEnd());

// Lets one test make mailparser fail, to see that the mail is still not lost.
const mailparserFails = vi.hoisted(() => ({ next: false }));
vi.mock('mailparser', async (importOriginal) => {
  const real = await importOriginal<typeof import('mailparser')>();
  const simpleParser = ((input: Parameters<typeof real.simpleParser>[0], options?: Parameters<typeof real.simpleParser>[1]) => {
    if (mailparserFails.next) {
      mailparserFails.next = false;
      return Promise.reject(new Error('Unexpected end of input'));
    }
    return real.simpleParser(input, options);
  }) as typeof real.simpleParser;
  return { ...real, simpleParser, default: { ...real, simpleParser } };
});

describe('parseMail on the corpus', () => {
  it('has a corpus of real-world mails, and none of them throws', async () => {
    expect(names.length).toBeGreaterThanOrEqual(18);
    for (const name of names) {
      const mail = await load(name);
      expect(mail, name).toMatchObject({ inReplyTo: expect.any(Array), references: expect.any(Array), subject: expect.any(String), text: expect.any(String) });
      expect(mail.headers, name).toBeInstanceOf(Map);
      for (const [key] of mail.headers) expect(key, name).toBe(key.toLowerCase());
      for (const f of mail.files) expect(f.size, `${name} ${f.filename}`).toBe(f.content.length);
      if (mail.quoteStart !== undefined) expect(mail.quoteStart).toBeLessThanOrEqual(mail.text.length);
    }
  });

  it('never throws on cut-off or corrupted copies of the corpus either', async () => {
    for (const name of names) {
      const bytes = raw(name);
      for (let k = 1; k <= 6; k++) {
        const cut = bytes.subarray(0, Math.floor((bytes.length * k) / 7));
        await expect(parseMail(cut), `${name} cut at ${cut.length}`).resolves.toBeDefined();
        const flipped = Buffer.from(bytes);
        for (let i = k; i < flipped.length; i += 37 * k) flipped[i] = (flipped[i] ?? 0) ^ 0xa5;
        await expect(parseMail(flipped), `${name} corrupted ${k}`).resolves.toBeDefined();
      }
    }
    await expect(parseMail(Buffer.alloc(0))).resolves.toMatchObject({ parseError: expect.any(String), text: '' });
  });

  it('Gmail reply: threading headers, decoded subject, text and html, fold at "On … wrote:"', async () => {
    const m = await load('gmail-reply.eml');
    expect(m.messageId).toBe('CAJx7Yq3vV2m9f0Lk=Rq8+fZp3d1oHh6-UtE3nXw@mail.gmail.com');
    expect(m.inReplyTo).toEqual(['sb-1f3a9c@shop.example']);
    expect(m.references).toEqual(['sb-1f3a9c@shop.example']);
    expect(m.subject).toBe('Re: Order #10432 — missing item');
    expect(m.from).toEqual({ name: 'Anna Petrova', address: 'anna.petrova@gmail.com' });
    expect(m.to).toEqual([{ name: 'Shop Support', address: 'support@shop.example' }]);
    expect(m.date?.toISOString()).toBe('2025-03-04T09:15:22.000Z');
    expect(m.html).toContain('<blockquote class="gmail_quote"');
    expect(m.files).toEqual([]);
    expect(m.noise).toBeUndefined();
    expect(m.parseError).toBeUndefined();
    expect(newPart(m)).toBe(
      'Hi,\n\nthe parcel arrived today but the blue mug is still missing. Could you\nsend it separately?\n\nThanks,\nAnna',
    );
    expect(m.text.slice(m.quoteStart)).toMatch(/^On Mon, Mar 3, 2025 at 4:02\u202fPM Shop Support <support@shop.example>\nwrote:/);
    expect(m.headers.get('dkim-signature')?.[0]).toMatch(/^v=1; a=rsa-sha256;.*h=to:subject/);
  });

  it('Outlook reply: base64 text; the sign-off, signature and -----Original Message----- fold', async () => {
    const m = await load('outlook-reply.eml');
    expect(m.messageId).toBe('DM6PR11MB4321A1B2C3D4E5F6@DM6PR11MB4321.namprd11.prod.outlook.com');
    expect(m.from?.address).toBe('john.smith@contoso.com');
    expect(m.headers.get('thread-topic')).toEqual(['Invoice INV-2025-0113']);
    expect(newPart(m)).toBe('Hello,\n\nThank you for the quick answer. The corrected invoice is fine, we will pay it this week.');
    expect(m.text.slice(m.quoteStart)).toMatch(/^Best regards,\nJohn Smith\n[\s\S]*-----Original Message-----\nFrom: Shop Support/);
    expect(m.html).toContain('class="MsoNormal"');
  });

  it('Thunderbird reply: format=flowed joined, fold at the "-- " signature', async () => {
    const m = await load('thunderbird-reply.eml');
    expect(m.from).toEqual({ name: 'Max Müller', address: 'max.mueller@posteo.example' });
    expect(m.html).toBeUndefined();
    expect(m.text).toContain('can I change the e-mail address on my account myself');
    expect(newPart(m)).toBe(
      'Hi Support,\n\nyes, the new password works, thank you. One more question: can I change the e-mail address on my account myself, or do you have to do that?\n\nGreetings from Berlin',
    );
    expect(m.text.slice(m.quoteStart)).toMatch(/^-- \nMax Müller\n/);
  });

  it('Apple Mail: inline cid image and an RFC 2231 named PDF', async () => {
    const m = await load('apple-mail-inline-image.eml');
    expect(m.cc).toEqual([{ name: 'Tom Fischer', address: 'tom@fischer.example' }]);
    expect(m.text).toContain('the lid of the teapot was broken');
    expect(m.html).toContain('src="cid:F1C6A5E2-1B7D-4C2B-9E51-3B2C1D0A9F11"');
    expect(m.files.map(({ content: _c, ...f }) => f)).toEqual([
      { filename: 'lid.png', mime: 'image/png', size: 79, contentId: 'F1C6A5E2-1B7D-4C2B-9E51-3B2C1D0A9F11', inline: true },
      { filename: 'Rechnung März.pdf', mime: 'application/pdf', size: 594, inline: false },
    ]);
    expect(m.files[0]?.content.subarray(1, 4).toString()).toBe('PNG');
    expect(m.files[1]?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(m.quoteStart).toBeUndefined();
  });

  it('koi8-r: quoted-printable body and B-encoded subject and name read right', async () => {
    const m = await load('russian-koi8r.eml');
    expect(m.subject).toBe('Не пришёл заказ 10500');
    expect(m.from).toEqual({ name: 'Наталья Иванова', address: 'natalya.ivanova@mail.example.ru' });
    expect(m.replyTo).toEqual({ name: 'Natalya Ivanova', address: 'natalya.ivanova@mail.example.ru' });
    expect(m.text).toContain('Я оплатила заказ 10500 три дня назад, но он до сих пор не отправлен.');
    expect(m.text).toContain('заменить цвет чайника на зелёный');
    expect(m.quoteStart).toBeUndefined();
  });

  it('windows-1251: base64 body, Q-encoded subject, fold at the Russian Outlook block', async () => {
    const m = await load('russian-cp1251.eml');
    expect(m.subject).toBe('RE: Возврат товара');
    expect(m.from).toEqual({ name: 'Пётр Сидоров', address: 'p.sidorov@example.ru' });
    expect(newPart(m)).toBe(
      'Добрый день!\n\nПрошу оформить возврат по заказу №10487: размер не подошёл.\nТовар упакован, готов передать курьеру в любой день.\n\nПётр Сидоров',
    );
    expect(m.text.slice(m.quoteStart)).toMatch(/^-----Original Message-----\nОт: Shop Support/);
  });

  it('Yandex reply: "… пишет:" wrapped over two lines folds from its first line', async () => {
    const m = await load('yandex-reply.eml');
    expect(m.subject).toBe('Re: Заказ 10500 отправлен');
    expect(m.to).toEqual([{ name: 'Служба поддержки', address: 'support@shop.example' }]);
    expect(newPart(m)).toBe('Добрый день!\n\nПосылку получила, спасибо. Но в коробке не оказалось инструкции —\nможно прислать её в PDF?');
    expect(m.text.slice(m.quoteStart)).toMatch(/^05\.03\.2025, 10:15, "Служба поддержки магазина"\n<support@shop\.example> пишет:/);
  });

  it('GB2312 and ISO-8859-15 mails decode', async () => {
    const zh = await load('chinese-gb2312.eml');
    expect(zh.subject).toBe('订单查询');
    expect(zh.from?.name).toBe('王伟');
    expect(zh.text).toContain('我的订单 10777 什么时候发货？');
    expect(zh.html).toContain('<div>谢谢！<br>王伟</div>');
    const de = await load('german-iso-8859-15.eml');
    expect(de.subject).toBe('Rückerstattung 49,90 €');
    expect(de.from).toEqual({ name: 'Jürgen Straßer', address: 'juergen.strasser@web.example' });
    expect(de.text).toContain('Rückerstattung von 49,90 € für die Bestellung 10801');
  });

  it('HTML-only newsletter: text derived from the HTML, nameless cid logo, list noise', async () => {
    const m = await load('newsletter-html-only.eml');
    expect(m.subject).toBe('☕ This week: new beans from Ethiopia');
    expect(m.html).toContain('open.php?u=abc');
    expect(m.text).toMatch(/new beans from Ethiopia/i);
    expect(m.text).toContain('Our roasters picked a Yirgacheffe with notes of jasmine and lemon.');
    expect(m.text).not.toContain('<p>');
    expect(m.files.map(({ content: _c, ...f }) => f)).toEqual([
      { filename: 'image-1.png', mime: 'image/png', size: 72, contentId: 'logo.coffee-weekly', inline: true },
    ]);
    expect(m.noise).toEqual({ kind: 'list', reason: 'List-Id: abc123def456mc list <abc123def456.123.list-id.mcsv.example>' });
    expect(m.headers.get('list-unsubscribe')?.[0]).toBe(
      '<https://coffee-weekly.us21.list-manage.com/unsubscribe?u=abc&id=def&e=123>, <mailto:unsubscribe-mc.us21_abc.def-123@unsub.mcsv.example?subject=unsubscribe>',
    );
  });

  it('Postfix DSN: a bounce, with the delivery status and the returned message as files', async () => {
    const m = await load('postfix-bounce.eml');
    expect(m.from).toEqual({ name: 'Mail Delivery System', address: 'mailer-daemon@mx.shop.example' });
    expect(m.noise).toEqual({ kind: 'bounce', reason: 'Content-Type: multipart/report; report-type=delivery-status' });
    expect(m.text).toContain('Recipient address rejected: User unknown');
    expect(m.files.map((f) => [f.filename, f.mime, f.inline])).toEqual([
      ['delivery-status-1.txt', 'message/delivery-status', false],
      ['Re_ Your return request.eml', 'message/rfc822', false],
    ]);
    expect(m.files[0]?.content.toString()).toContain('Status: 5.1.1');
    expect(m.files[1]?.content.toString()).toContain('Message-ID: <sb-7f25b6@shop.example>');
  });

  it('Exchange NDR: a bounce by its multipart/report, original headers as a file', async () => {
    const m = await load('exchange-ndr.eml');
    expect(m.subject).toBe('Undeliverable: Your replacement order');
    expect(m.inReplyTo).toEqual(['sb-8a36c7@shop.example']);
    expect(m.noise?.kind).toBe('bounce');
    expect(m.text).toContain("Your message to j.doe@contoso.com couldn't be delivered.");
    expect(m.files.map((f) => [f.filename, f.mime])).toEqual([
      ['delivery-status-1.txt', 'message/delivery-status'],
      ['headers-1.txt', 'text/rfc822-headers'],
    ]);
    expect(m.parseError).toBeUndefined();
  });

  it('Exchange "Automatic reply:" and a vacation(1) answer are auto-replies', async () => {
    const ooo = await load('exchange-auto-reply.eml');
    expect(ooo.noise).toEqual({ kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' });
    expect(ooo.text).toContain('I am out of the office until March 10');
    const vacation = await load('vacation-precedence-bulk.eml');
    expect(vacation.noise).toEqual({ kind: 'auto-reply', reason: 'Precedence: bulk with subject "I am on vacation"' });
    // Message-ID without angle brackets, padded with spaces.
    expect(vacation.messageId).toBe('202503050931.525AV0xY012345@mail.uni-example.de');
    expect(vacation.from).toEqual({ name: 'Hans Berger', address: 'hans.berger@uni-example.de' });
  });

  it('a mail without Message-ID and Date: both absent; a nameless PDF gets a name', async () => {
    const m = await load('no-message-id-no-date.eml');
    expect(m.messageId).toBeUndefined();
    expect(m.date).toBeUndefined();
    expect(m.parseError).toBeUndefined();
    expect(m.files.map(({ content: _c, ...f }) => f)).toEqual([{ filename: 'attachment-1.pdf', mime: 'application/pdf', size: 590, inline: false }]);
  });

  it('a broken Date is left out and undecodable encoded words stay as written', async () => {
    const m = await load('broken-date-bad-subject.eml');
    expect(m.date).toBeUndefined();
    expect(m.subject).toBe('=?x-unknown-8bit?Q?Invoice_=A3120?= for =?utf-8?B?!!not-base64!!?= =?utf-8?Q?Caf=C3?=');
    expect(m.subject).not.toContain('\uFFFD');
    expect(m.text).toBe('Your invoice is ready.\n');
    expect(m.parseError).toBeUndefined();
  });

  it('a truncated multipart is marked, and what arrived is kept', async () => {
    const m = await load('truncated-multipart.eml');
    expect(m.parseError).toMatch(/truncated/);
    expect(m.subject).toBe('Signed contract');
    expect(m.text).toContain('please find the signed contract attached.');
    expect(m.files).toHaveLength(1);
    expect(m.files[0]).toMatchObject({ filename: 'contract-2025-17.pdf', mime: 'application/pdf' });
    expect(m.files[0]?.content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('raw 8-bit UTF-8 headers decode; junk lines in the header block are marked', async () => {
    const m = await load('raw-utf8-headers.eml');
    expect(m.subject).toBe('Проблема с оплатой — ошибка 502');
    expect(m.from).toEqual({ name: 'Zoë Çelik', address: 'zoe.celik@example.com' });
    expect(m.headers.get('x-form-field')).toEqual(['Имя: Зоя']);
    expect(m.text).toContain('при оплате картой появляется ошибка 502');
    expect(m.parseError).toMatch(/header block has 2 malformed lines/);
  });

  it('binary junk that is no mail at all: marked, nothing thrown, nothing invented', async () => {
    const m = await load('not-a-mail.eml');
    expect(m.parseError).toMatch(/^Not a mail/);
    expect(m.subject).toBe('');
    expect(m.from).toBeUndefined();
    expect(m.files).toEqual([]);
    expect(m.text).toBe('');
  });

  it('a message forwarded as message/rfc822 is a file named after its subject', async () => {
    const m = await load('forwarded-rfc822.eml');
    expect(m.text).toBe('Hi team, a customer complained in the shop, see the mail below.');
    expect(m.files.map(({ content: _c, ...f }) => f)).toEqual([
      { filename: 'Complaint about delivery.eml', mime: 'message/rfc822', size: 364, inline: false },
    ]);
    expect(m.files[0]?.content.toString()).toContain('Subject: Complaint about delivery');
  });

  it('References folded over lines with commas, comments and a bare id; In-Reply-To with a comment', async () => {
    const m = await load('references-folded.eml');
    expect(m.messageId).toBe('20250305130000.GA4242@mutt.example');
    expect(m.references).toEqual([
      'sb-1f3a9c@shop.example',
      'CAJx7Yq3vV2m9f0Lk=Rq8+fZp3d1oHh6-UtE3nXw@mail.gmail.com',
      'sb-77aa01@shop.example',
      'sb-88bb02@shop.example',
      '20250305.abc@mutt.example',
    ]);
    expect(m.inReplyTo).toEqual(['20250305.abc@mutt.example']);
    // Answers between the quotes: nothing to fold.
    expect(m.quoteStart).toBeUndefined();
  });

  it('when mailparser itself fails, the headers and a best-effort text still come through', async () => {
    mailparserFails.next = true;
    const m = await load('russian-koi8r.eml');
    expect(m.parseError).toMatch(/MIME structure could not be read \(Unexpected end of input\)/);
    expect(m.subject).toBe('Не пришёл заказ 10500');
    expect(m.from?.address).toBe('natalya.ivanova@mail.example.ru');
    expect(m.messageId).toBe('1289341735.20250305091244@mail.example.ru');
    expect(m.text).toContain('Я оплатила заказ 10500 три дня назад');
  });
});

describe('decodeWords', () => {
  it('joins adjacent words (a character split between them) and drops the space between', () => {
    const bytes = Buffer.from('Привет', 'utf8');
    const a = bytes.subarray(0, 3).toString('base64');
    const b = bytes.subarray(3).toString('base64');
    expect(decodeWords(`=?UTF-8?B?${a}?= \r\n =?UTF-8?B?${b}?= мир`)).toBe('Привет мир');
    expect(decodeWords('=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?b?=')).toBe('ab');
    expect(decodeWords('plain =?utf-8?q?caf=C3=A9?= text')).toBe('plain café text');
  });

  it('keeps what it cannot decode, decodes ASCII in an unknown charset', () => {
    expect(decodeWords('=?x-unknown?Q?Hello_world?=')).toBe('Hello world');
    expect(decodeWords('=?utf-7?B?K0JCUS0=?= ok')).toBe('=?utf-7?B?K0JCUS0=?= ok');
    expect(decodeWords('=?utf-8?Q?ok?= =?utf-8?B?@@@?=')).toBe('ok =?utf-8?B?@@@?=');
  });
});

describe('extractIds', () => {
  it('reads ids in brackets or bare, skipping comments, commas and junk', () => {
    expect(extractIds(' <a@x> ,<b@y>(c@comment)  d@z  junk <e@w>')).toEqual(['a@x', 'b@y', 'd@z', 'e@w']);
    expect(extractIds('<a@x> <a@x>')).toEqual(['a@x']);
    expect(extractIds('no ids here')).toEqual([]);
  });
});
