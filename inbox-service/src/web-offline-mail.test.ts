import { describe, expect, it } from 'vitest';
import { mailText, pageLink } from './web-offline-mail.js';

describe('the link back to the website in a mailed reply', () => {
  const inbox = { allowedOrigins: ['https://shop.example', 'https://help.shop.example'] };

  it('is the page the site set on the visitor when it is on an allowed origin', () => {
    expect(pageLink(inbox, { pageUrl: 'https://help.shop.example/orders/5521?tab=chat' })).toBe('https://help.shop.example/orders/5521?tab=chat');
  });

  it('never a page elsewhere (the visitor chose where the mail goes): the site instead', () => {
    expect(pageLink(inbox, { pageUrl: 'https://evil.example/login' })).toBe('https://shop.example/');
    expect(pageLink(inbox, { pageUrl: 'javascript:alert(1)' })).toBe('https://shop.example/');
    expect(pageLink(inbox, { pageUrl: 'not a url' })).toBe('https://shop.example/');
  });

  it('is left out when the inbox names no website', () => {
    expect(pageLink({ allowedOrigins: [] }, { pageUrl: 'https://shop.example/x' })).toBeUndefined();
    expect(mailText('Hello', [], undefined)).toBe('Hello\n\n-- \nYou left the chat before we answered. Answer this email, or continue the chat on our website.');
  });

  it('a reply of files only says what is attached', () => {
    expect(mailText(undefined, [{ kind: 'file', ref: 'blob:1', name: 'invoice.pdf' }], 'https://shop.example/')).toMatch(/^Attached: invoice\.pdf\n\n-- \n/);
  });
});
