import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMail } from './parse.js';
import { findQuoteStart } from './quote.js';

/** What the sender newly wrote according to findQuoteStart (the whole text when nothing folds). */
function fresh(text: string): string {
  const at = findQuoteStart(text);
  return at === undefined ? text : text.slice(0, at).trimEnd();
}

const lines = (...l: string[]): string => l.join('\n');

describe('findQuoteStart', () => {
  it('finds Gmail\'s "On … wrote:" on one line and wrapped over two', () => {
    const oneLine = lines('Thanks, that works.', '', 'On Tue, Mar 4, 2025 at 10:15 AM Shop Support <support@shop.example> wrote:', '> Hello', '> again');
    expect(fresh(oneLine)).toBe('Thanks, that works.');
    const wrapped = lines(
      'Thanks, that works.',
      '',
      'On Tue, Mar 4, 2025 at 10:15 AM Shop Support <',
      'support@shop.example> wrote:',
      '',
      '> Hello',
    );
    expect(fresh(wrapped)).toBe('Thanks, that works.');
    const apple = lines('Great!', '', 'On 4 Mar 2025, at 10:15, Shop Support <support@shop.example> wrote:', '', '> Hello');
    expect(fresh(apple)).toBe('Great!');
  });

  it('finds Outlook\'s "-----Original Message-----" and From/Sent/To/Subject blocks, English and Russian', () => {
    const original = lines('See below.', '', '-----Original Message-----', 'From: Shop Support <support@shop.example>', 'Sent: Monday, March 3, 2025 4:02 PM', 'Subject: Invoice', '', 'Hello');
    expect(fresh(original)).toBe('See below.');
    const block = lines(
      'Yes, please cancel it.',
      '',
      '________________________________',
      'From: Shop Support <support@shop.example>',
      'Sent: Monday, March 3, 2025 4:02 PM',
      'To: John Smith <john.smith@contoso.com>',
      'Subject: RE: Order',
      '',
      'Hello John,',
    );
    expect(fresh(block)).toBe('Yes, please cancel it.');
    const russian = lines(
      'Да, отменяйте.',
      '',
      'От: Shop Support <support@shop.example>',
      'Отправлено: 3 марта 2025 г. 16:02',
      'Кому: Пётр Сидоров <p.sidorov@example.ru>',
      'Тема: RE: Заказ',
      '',
      'Здравствуйте!',
    );
    expect(fresh(russian)).toBe('Да, отменяйте.');
    const bold = lines('Done.', '', '*From:* Shop Support <support@shop.example>', '*Sent:* Monday, March 3, 2025 4:02 PM', '*To:* John', '*Subject:* RE: Order');
    expect(fresh(bold)).toBe('Done.');
  });

  it('finds Russian attributions: Thunderbird/Yandex "пишет:", Apple "написал(а):", Gmail, Mail.ru, The Bat!', () => {
    const cases = [
      '05.03.2025 10:15, Shop Support пишет:',
      '5 марта 2025 г., в 10:15, Shop Support <support@shop.example> написал(а):',
      'ср, 5 мар. 2025 г. в 10:15, Shop Support <support@shop.example>:',
      'Среда, 5 марта 2025, 10:15 +03:00 от Shop Support <support@shop.example>:',
      '05.03.2025, 10:15, "Shop Support" <support@shop.example>:',
      'Вы писали 5 марта 2025 г., 10:15:',
    ];
    for (const header of cases) {
      expect(fresh(lines('Спасибо, получила.', '', header, '> Здравствуйте!', '> Ваш заказ отправлен.')), header).toBe('Спасибо, получила.');
    }
    const wrapped = lines('Спасибо.', '', '5 марта 2025 г., в 10:15, Служба поддержки магазина', '<support@shop.example> написал(а):', '', '> Здравствуйте!');
    expect(fresh(wrapped)).toBe('Спасибо.');
  });

  it('uses email-reply-parser\'s other languages', () => {
    expect(fresh(lines('Merci !', '', 'Le mer. 5 mars 2025 à 10:15, Shop Support <support@shop.example> a écrit :', '> Bonjour'))).toBe('Merci !');
    expect(fresh(lines('Danke!', '', 'Am 05.03.2025 um 10:15 schrieb Shop Support <support@shop.example>:', '> Hallo'))).toBe('Danke!');
    expect(fresh(lines('Gracias', '', 'El mié, 5 mar 2025 a las 10:15, Shop Support (<support@shop.example>) escribió:', '> Hola'))).toBe('Gracias');
  });

  it('folds at the "-- " signature delimiter, even without a quote', () => {
    expect(fresh(lines('Please call me back.', '', '-- ', 'Max Müller', '+49 30 1234567'))).toBe('Please call me back.');
  });

  it('folds a sign-off just above the history, but not a sign-off alone', () => {
    const withQuote = lines('It works now.', '', 'Best regards,', 'John Smith', 'Contoso Ltd.', '', 'On Mon, Mar 3, 2025 at 4:02 PM Shop Support <support@shop.example> wrote:', '> Hello');
    expect(fresh(withQuote)).toBe('It works now.');
    const iphone = lines('Ok', '', 'Sent from my iPhone', '', '> On 3 Mar 2025, at 16:02, Shop Support <support@shop.example> wrote:', '> Hello');
    expect(fresh(iphone)).toBe('Ok');
    const russian = lines('Всё пришло.', '', 'С уважением,', 'Наталья', '', '05.03.2025 10:15, Shop Support пишет:', '> Здравствуйте');
    expect(fresh(russian)).toBe('Всё пришло.');
    expect(findQuoteStart(lines('It works now.', '', 'Best regards,', 'John Smith'))).toBeUndefined();
  });

  it('folds a block of ">" lines that ends the text, without any header', () => {
    expect(fresh(lines('Yes, that is the one.', '', '> Is it the blue mug?', '>', '> Shop Support', ''))).toBe('Yes, that is the one.');
  });

  it('leaves inline answers between quotes alone', () => {
    const interleaved = lines('On Tue, Mar 4, 2025 at 10:15 AM Shop Support <support@shop.example> wrote:', '> Did it arrive?', '', 'Yes.', '', '> Can we close the ticket?', '', 'Please do.');
    expect(findQuoteStart(interleaved)).toBeUndefined();
    const answeredThenQuoted = lines('> Did it arrive?', 'Yes.', '', '> Can we close it?', '> Thanks');
    expect(fresh(answeredThenQuoted)).toBe('> Did it arrive?\nYes.');
  });

  it('returns undefined when nothing is quoted, or when the quote starts the text', () => {
    expect(findQuoteStart('Hello,\n\nmy order has not arrived.\n\nAnna')).toBeUndefined();
    expect(findQuoteStart('')).toBeUndefined();
    expect(findQuoteStart('Yesterday I wrote:\nplease send it by courier.')).toBeUndefined();
    const forwarded = lines('---------- Forwarded message ---------', 'From: Paul <paul@customer.example>', 'Date: Wed, Mar 5, 2025 at 7:45 PM', 'Subject: Complaint', 'To: <berlin@shop.example>', '', 'The box was soaked.');
    expect(findQuoteStart(forwarded)).toBeUndefined();
    expect(findQuoteStart(`\n\n${forwarded}`)).toBeUndefined();
    expect(fresh(`Please handle this one.\n\n${forwarded}`)).toBe('Please handle this one.');
    expect(fresh(lines('FYI', '', 'Begin forwarded message:', '', 'From: Paul <paul@customer.example>'))).toBe('FYI');
  });

  it('gives an offset into the text as given, CRLF line ends included', () => {
    const text = 'Thanks!\r\n\r\nOn Tue, Mar 4, 2025 at 10:15 AM Shop Support <support@shop.example> wrote:\r\n> Hello\r\n';
    const at = findQuoteStart(text);
    expect(at).toBe(text.indexOf('On Tue'));
    expect(text.slice(0, at).trimEnd()).toBe('Thanks!');
  });

  it('stays fast on a huge single line', () => {
    const start = performance.now();
    expect(findQuoteStart(`Op ${'schreef a '.repeat(20_000)}`)).toBeUndefined();
    expect(findQuoteStart(`On ${'x'.repeat(100_000)}\nwrote:`)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('folds the replies of the corpus where a person would', async () => {
    const expected: Record<string, string | undefined> = {
      'gmail-reply.eml': 'On Mon, Mar 3, 2025',
      'outlook-reply.eml': 'Best regards,',
      'thunderbird-reply.eml': '-- \n',
      'russian-cp1251.eml': '-----Original Message-----',
      'yandex-reply.eml': '05.03.2025, 10:15,',
      'references-folded.eml': undefined,
      'russian-koi8r.eml': undefined,
      'forwarded-rfc822.eml': undefined,
      'exchange-auto-reply.eml': undefined,
    };
    for (const [name, foldsAt] of Object.entries(expected)) {
      const mail = await parseMail(readFileSync(new URL(`../test/fixtures/eml/${name}`, import.meta.url)));
      const at = findQuoteStart(mail.text);
      if (foldsAt === undefined) expect(at, name).toBeUndefined();
      else expect(mail.text.slice(at).startsWith(foldsAt), name).toBe(true);
    }
  });
});
