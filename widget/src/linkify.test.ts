import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.js';

describe('links in messages', () => {
  it('turns web addresses into links and leaves the sentence around them', () => {
    expect(linkify('See https://example.com/help. Thanks!')).toEqual([
      'See ',
      { href: 'https://example.com/help', label: 'https://example.com/help' },
      '. Thanks!',
    ]);
  });

  it('links www. addresses over https and keeps a bracket that belongs to the address', () => {
    expect(linkify('(www.example.com) and https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual([
      '(',
      { href: 'https://www.example.com', label: 'www.example.com' },
      ') and ',
      { href: 'https://en.wikipedia.org/wiki/Foo_(bar)', label: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
    ]);
  });

  it('never links other schemes', () => {
    expect(linkify('javascript:alert(1) data:text/html,x')).toEqual(['javascript:alert(1) data:text/html,x']);
  });
});
