import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

const script = (src: string, attrs: Record<string, string>) => ({ src, getAttribute: (n: string) => attrs[n] ?? null });

describe('script tag configuration', () => {
  it('connects to the origin the script was loaded from', () => {
    expect(readConfig(script('https://hub.example.com/widget.js', { 'data-inbox-token': 'tok' }), 'https://shop.example.org/p')).toEqual({
      inboxToken: 'tok',
      hubOrigin: 'https://hub.example.com',
      title: 'Chat with us',
      suggestions: true,
    });
  });

  it('takes the inbox name, colour and an explicit hub address', () => {
    const cfg = readConfig(
      script('https://cdn.example.net/widget.js', { 'data-inbox-token': 'tok', 'data-inbox-name': 'Acme support', 'data-color': '#0a7', 'data-hub-url': 'https://hub.acme.io/' }),
      'https://acme.io/',
    );
    expect(cfg).toMatchObject({ hubOrigin: 'https://hub.acme.io', title: 'Acme support', color: '#0a7' });
  });

  it('suggests articles unless data-suggestions switches them off', () => {
    const suggestionsWhen = (value: string) => readConfig(script('https://hub.example.com/widget.js', { 'data-inbox-token': 'tok', 'data-suggestions': value }), 'https://x.org/');
    expect(['off', 'false', 'FALSE', ' no ', '0'].map((v) => suggestionsWhen(v)?.suggestions)).toEqual([false, false, false, false, false]);
    expect(['on', 'true', ''].map((v) => suggestionsWhen(v)?.suggestions)).toEqual([true, true, true]);
  });

  it('stays away without an inbox token', () => {
    expect(readConfig(script('https://hub.example.com/widget.js', {}), 'https://x.org/')).toBeNull();
  });
});
