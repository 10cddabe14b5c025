import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

const script = (src: string, attrs: Record<string, string>) => ({ src, getAttribute: (n: string) => attrs[n] ?? null });

describe('script tag configuration', () => {
  it('connects to the origin the script was loaded from', () => {
    expect(readConfig(script('https://hub.example.com/widget.js', { 'data-inbox-token': 'tok' }), 'https://shop.example.org/p')).toEqual({
      inboxToken: 'tok',
      hubOrigin: 'https://hub.example.com',
      position: 'right',
      hideLauncher: false,
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

  it('takes position, greeting, locale and hideLauncher from data-* and from window.SwitchboardSettings, the settings winning', () => {
    const tag = script('https://hub.example.com/widget.js', {
      'data-inbox-token': 'tok',
      'data-position': 'left',
      'data-greeting': 'Hello from the tag',
      'data-locale': 'de',
      'data-hide-launcher': '',
      'data-inbox-name': 'Tag title',
    });
    expect(readConfig(tag, 'https://x.org/')).toMatchObject({ position: 'left', greeting: 'Hello from the tag', locale: 'de', hideLauncher: true, title: 'Tag title' });
    const settings = { position: 'right', color: 'teal', greeting: 'Hi there', locale: 'fr', hideLauncher: false, title: 'Aide' };
    expect(readConfig(tag, 'https://x.org/', settings)).toMatchObject({ ...settings, inboxToken: 'tok' });
  });

  it('ignores settings of the wrong type, keeping what the tag says', () => {
    const tag = script('https://hub.example.com/widget.js', { 'data-inbox-token': 'tok', 'data-position': 'left', 'data-hide-launcher': 'false' });
    const cfg = readConfig(tag, 'https://x.org/', { position: 'top', hideLauncher: 'yes', color: 42, title: '  ' });
    expect(cfg).toEqual({ inboxToken: 'tok', hubOrigin: 'https://hub.example.com', position: 'left', hideLauncher: false, suggestions: true });
    expect(readConfig(tag, 'https://x.org/', 'not an object')).toMatchObject({ position: 'left' });
  });
});
