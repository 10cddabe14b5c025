import { describe, expect, it } from 'vitest';
import { articleLinkText, insertAtCaret } from './insert-link.js';

const link = 'Refunds: https://help.example.com/en/articles/refunds';

describe('article link text', () => {
  it('is "Title: url", the title trimmed', () => {
    expect(articleLinkText({ title: '  Refunds ', url: 'https://help.example.com/en/articles/refunds' })).toBe(link);
  });
});

describe('inserting at the caret', () => {
  it('into an empty reply: the link and a space to type on after', () => {
    expect(insertAtCaret('', 0, 0, link)).toEqual({ text: `${link} `, caret: link.length + 1 });
  });

  it('after a word: a space between them', () => {
    const r = insertAtCaret('See', 3, 3, link);
    expect(r.text).toBe(`See ${link} `);
    expect(r.caret).toBe(r.text.length);
  });

  it('in the middle of a sentence: kept a word apart on both sides, the caret right after the link', () => {
    const text = 'Please read and tell me';
    const at = 'Please read'.length;
    const r = insertAtCaret(text, at, at, link);
    expect(r.text).toBe(`Please read ${link} and tell me`);
    expect(r.text.slice(0, r.caret)).toBe(`Please read ${link}`);
  });

  it('before text that starts with a space or a new line: no extra space', () => {
    expect(insertAtCaret('Hi\nThanks', 2, 2, link).text).toBe(`Hi ${link}\nThanks`);
    expect(insertAtCaret('Hi thanks', 3, 3, link).text).toBe(`Hi ${link} thanks`);
  });

  it('replaces the selected text', () => {
    const text = 'Our policy: LINK HERE. Thanks';
    const from = text.indexOf('LINK HERE');
    const r = insertAtCaret(text, from, from + 'LINK HERE'.length, link);
    expect(r.text).toBe(`Our policy: ${link} . Thanks`);
  });

  it('a caret beyond the text (a stale position) appends', () => {
    expect(insertAtCaret('Hi', 99, 120, link).text).toBe(`Hi ${link} `);
    expect(insertAtCaret('Hi', 2, 0, link).text).toBe(`Hi ${link} `);
  });
});
