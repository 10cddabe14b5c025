import { describe, expect, it } from 'vitest';
import type { KbSettingsView } from '@switchboard/contracts';
import { ApiError } from '../api.js';
import {
  addLocale,
  fieldOfError,
  hostOf,
  isHexColor,
  isHttpsUrl,
  localeTag,
  MAX_LOCALES,
  portalUrl,
  removeLocale,
  settingsChange,
  settingsFields,
  settingsProblems,
  type SettingsFields,
} from './settings-form.js';

const saved: KbSettingsView = {
  portal: 'acme',
  name: 'Acme Help',
  logoUrl: null,
  color: '#4F46E5',
  defaultLocale: 'en',
  locales: ['en', 'ru'],
  customDomain: null,
  publicUrl: 'https://hub.example.com/help/acme/',
};
const form = (change: Partial<SettingsFields> = {}): SettingsFields => ({ ...settingsFields(saved), ...change });

describe('help center settings form: what a save sends', () => {
  it('sends nothing while the fields hold the saved settings (a colour differing only in case is the same)', () => {
    expect(settingsChange(saved, form())).toEqual({});
    expect(settingsChange(saved, form({ color: '#4f46e5', name: ' Acme Help ' }))).toEqual({});
  });

  it('sends only the changed fields, cleaned', () => {
    expect(settingsChange(saved, form({ name: '  Acme Support ', color: '#FF0000' }))).toEqual({ name: 'Acme Support', color: '#ff0000' });
    expect(settingsChange(saved, form({ customDomain: 'https://Help.Acme.com/', logoUrl: 'https://cdn.acme.com/logo.svg' }))).toEqual({
      customDomain: 'help.acme.com',
      logoUrl: 'https://cdn.acme.com/logo.svg',
    });
    expect(settingsChange(saved, form({ locales: ['en', 'ru', 'de'], defaultLocale: 'de' }))).toEqual({ locales: ['en', 'ru', 'de'], defaultLocale: 'de' });
  });

  it('a cleared logo or domain is sent as null', () => {
    const withBoth = { ...saved, logoUrl: 'https://cdn.acme.com/logo.png', customDomain: 'help.acme.com', publicUrl: 'https://help.acme.com/' };
    expect(settingsChange(withBoth, { ...settingsFields(withBoth), logoUrl: ' ', customDomain: '' })).toEqual({ logoUrl: null, customDomain: null });
  });
});

describe('help center settings form: checks before sending', () => {
  it('finds nothing wrong with the saved settings', () => {
    expect(settingsProblems(form())).toEqual({});
  });

  it('names each field that the server would refuse', () => {
    const problems = settingsProblems(
      form({ name: '  ', portal: 'Acme Help', logoUrl: 'http://cdn.acme.com/logo.png', color: '#12345', customDomain: 'help_acme', defaultLocale: 'de' }),
    );
    expect(Object.keys(problems).sort()).toEqual(['color', 'customDomain', 'defaultLocale', 'logoUrl', 'name', 'portal']);
    expect(problems.logoUrl).toMatch(/https/);
  });

  it('accepts portals in any script and domains pasted as addresses', () => {
    expect(settingsProblems(form({ portal: 'помощь-24', customDomain: 'HTTPS://help.acme.co.uk/' }))).toEqual({});
  });

  it('tells colours, https addresses and host names', () => {
    expect([isHexColor('#a1B2c3'), isHexColor('a1b2c3'), isHexColor('#abc')]).toEqual([true, false, false]);
    expect([isHttpsUrl('https://x.io/l.png'), isHttpsUrl('http://x.io/l.png'), isHttpsUrl('javascript:alert(1)'), isHttpsUrl('logo.png')]).toEqual([true, false, false, false]);
    expect(hostOf(' http://Help.Example.com// ')).toBe('help.example.com');
  });
});

describe('help center settings form: the language list', () => {
  it('adds a language in its canonical form, once', () => {
    const added = addLocale(form(), ' pt-br ');
    expect(added).toEqual({ fields: form({ locales: ['en', 'ru', 'pt-BR'] }), problem: null });
    expect(addLocale(added.fields, 'PT-BR').problem).toMatch(/already/);
    expect(localeTag('zh-hant')).toBe('zh-Hant');
  });

  it('refuses what is no language tag, and more than the limit', () => {
    const refused = addLocale(form(), 'english!');
    expect(refused.fields).toEqual(form());
    expect(refused.problem).toContain('“english!” is not a language tag');
    const full = form({ locales: Array.from({ length: MAX_LOCALES }, (_, i) => `en-r${i}`) });
    expect(addLocale(full, 'de').problem).toMatch(/at most 30/);
  });

  it('removes a language, but never the default one', () => {
    expect(removeLocale(form(), 'ru')).toEqual({ fields: form({ locales: ['en'] }), problem: null });
    const refused = removeLocale(form(), 'en');
    expect(refused.fields.locales).toEqual(['en', 'ru']);
    expect(refused.problem).toMatch(/default language cannot be removed/);
  });
});

describe('help center settings form: refusals and addresses', () => {
  it('marks the field a refusal is about', () => {
    expect(fieldOfError(new ApiError(409, 'SB_ERR_KB_PORTAL_TAKEN', 'taken', { portal: 'acme' }))).toBe('portal');
    expect(fieldOfError(new ApiError(409, 'SB_ERR_KB_DOMAIN_TAKEN', 'taken', { domain: 'help.acme.com' }))).toBe('customDomain');
    expect(fieldOfError(new ApiError(400, 'SB_ERR_VALIDATION', 'bad', { path: '/defaultLocale' }))).toBe('defaultLocale');
    expect(fieldOfError(new ApiError(400, 'SB_ERR_VALIDATION', 'bad', [{ path: '/locales/2', message: 'pattern' }]))).toBe('locales');
    expect(fieldOfError(new ApiError(400, 'SB_ERR_VALIDATION', 'bad', [{ path: '/', message: 'extra' }]))).toBeNull();
    expect(fieldOfError(new Error('offline'))).toBeNull();
  });

  it('shows the public address a portal gives, under the hub’s address', () => {
    expect(portalUrl(saved, 'acme-support', 'https://ignored.example')).toBe('https://hub.example.com/help/acme-support/');
    expect(portalUrl({ ...saved, publicUrl: 'http://127.0.0.1:3000/help/acme/' }, 'помощь', '')).toBe(`http://127.0.0.1:3000/help/${encodeURIComponent('помощь')}/`);
    // With a custom domain the saved address no longer tells the hub's: the console's origin stands in.
    const onDomain = { ...saved, customDomain: 'help.acme.com', publicUrl: 'https://help.acme.com/' };
    expect(portalUrl(onDomain, 'acme', 'https://hub.example.com')).toBe('https://hub.example.com/help/acme/');
  });
});
