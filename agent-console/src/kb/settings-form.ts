import type { KbSettingsInput, KbSettingsView } from '@switchboard/contracts';
import { t } from '../i18n/kb.js';

/**
 * The help center settings form (#/kb/settings): its fields, the checks made before anything is
 * sent (the server checks again), edits of the language list, and the change a save sends — only
 * the fields that differ from the saved settings.
 */

/** The fields as the form holds them; '' is "none" for the logo and the custom domain. */
export interface SettingsFields {
  name: string;
  portal: string;
  logoUrl: string;
  color: string;
  defaultLocale: string;
  locales: string[];
  customDomain: string;
}
export type SettingsField = keyof SettingsFields;
/** Why a field cannot be saved, in words, by field. */
export type SettingsProblems = Partial<Record<SettingsField, string>>;

/** The contract's limit on a help center's languages. */
export const MAX_LOCALES = 30;

const FIELDS: SettingsField[] = ['name', 'portal', 'logoUrl', 'color', 'defaultLocale', 'locales', 'customDomain'];
// The contract's patterns (platform/contracts/src/kb.ts), so the form refuses what the server would.
const SLUG = /^[\p{Ll}\p{Lo}\p{Nd}]+(-[\p{Ll}\p{Lo}\p{Nd}]+)*$/u;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const isHexColor = (s: string): boolean => /^#[0-9a-f]{6}$/i.test(s);
export const isHostName = (s: string): boolean => HOST.test(s);

/** The public pages show a logo only from an https address. */
export function isHttpsUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A domain as people paste it ("https://Help.Example.com/") as the host name the server takes. */
export function hostOf(typed: string): string {
  return typed.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** "pt-br" → "pt-BR" (the browser's canonical form); null for what is not a language tag. */
export function localeTag(typed: string): string | null {
  try {
    const [tag] = Intl.getCanonicalLocales(typed.trim());
    return tag && LOCALE.test(tag) ? tag : null;
  } catch {
    return null;
  }
}

export function settingsFields(v: KbSettingsView): SettingsFields {
  return {
    name: v.name,
    portal: v.portal,
    logoUrl: v.logoUrl ?? '',
    color: v.color,
    defaultLocale: v.defaultLocale,
    locales: [...v.locales],
    customDomain: v.customDomain ?? '',
  };
}

/** The fields as they would be sent: trimmed, the colour in lowercase, the domain a bare host name. */
function cleaned(f: SettingsFields): SettingsFields {
  return { ...f, name: f.name.trim(), portal: f.portal.trim(), logoUrl: f.logoUrl.trim(), color: f.color.trim().toLowerCase(), customDomain: hostOf(f.customDomain) };
}

/** What keeps the form from being saved; empty when it can be. */
export function settingsProblems(f: SettingsFields): SettingsProblems {
  const c = cleaned(f);
  const problems: SettingsProblems = {};
  if (!c.name || c.name.length > 120) problems.name = t('set.badName');
  if (!SLUG.test(c.portal) || c.portal.length > 120) problems.portal = t('set.badPortal');
  if (c.logoUrl && (!isHttpsUrl(c.logoUrl) || c.logoUrl.length > 2000)) problems.logoUrl = t('set.badLogo');
  if (!isHexColor(c.color)) problems.color = t('set.badColour');
  if (!c.locales.includes(c.defaultLocale)) problems.defaultLocale = t('set.badDefault');
  if (c.customDomain && !isHostName(c.customDomain)) problems.customDomain = t('set.badDomain');
  return problems;
}

/** The PUT body: the fields that differ from `saved`, cleaned; a cleared logo or domain is null. */
export function settingsChange(saved: KbSettingsView, f: SettingsFields): KbSettingsInput {
  const now = cleaned(f);
  const was = cleaned(settingsFields(saved));
  const change: Record<string, unknown> = {};
  for (const k of FIELDS) {
    if (String(now[k]) === String(was[k])) continue;
    change[k] = (k === 'logoUrl' || k === 'customDomain') && !now[k] ? null : now[k];
  }
  return change as KbSettingsInput;
}

/** The result of a language-list edit: the new fields, or the unchanged ones and why. */
export interface LocaleEdit {
  fields: SettingsFields;
  problem: string | null;
}

export function addLocale(f: SettingsFields, typed: string): LocaleEdit {
  const tag = localeTag(typed);
  const refuse = (problem: string) => ({ fields: f, problem });
  if (!tag) return refuse(t('set.badTag', { tag: typed.trim() }));
  if (f.locales.includes(tag)) return refuse(t('set.dupTag', { tag }));
  if (f.locales.length >= MAX_LOCALES) return refuse(t('set.manyTags', { max: MAX_LOCALES }));
  return { fields: { ...f, locales: [...f.locales, tag] }, problem: null };
}

export function removeLocale(f: SettingsFields, tag: string): LocaleEdit {
  if (tag === f.defaultLocale) return { fields: f, problem: t('set.removeDefault') };
  return { fields: { ...f, locales: f.locales.filter((l) => l !== tag) }, problem: null };
}

/** The field a refused save is about (from the error's code or details.path), to mark it; null when none. */
export function fieldOfError(err: unknown): SettingsField | null {
  const e = (err ?? {}) as { code?: unknown; details?: unknown };
  if (e.code === 'SB_ERR_KB_PORTAL_TAKEN') return 'portal';
  if (e.code === 'SB_ERR_KB_DOMAIN_TAKEN') return 'customDomain';
  const detail = (Array.isArray(e.details) ? e.details[0] : e.details) as { path?: unknown } | undefined;
  const key = typeof detail?.path === 'string' ? detail.path.split('/')[1] : undefined;
  return FIELDS.find((f) => f === key) ?? null;
}

/**
 * The help center's address under the hub with `portal`: <PUBLIC_URL>/help/<portal>/. The saved
 * address tells the hub's; while a custom domain hides it, `hubUrl` stands in.
 */
export function portalUrl(saved: KbSettingsView, portal: string, hubUrl: string): string {
  const own = `help/${encodeURIComponent(saved.portal)}/`;
  const hub = !saved.customDomain && saved.publicUrl.endsWith(own) ? saved.publicUrl.slice(0, -own.length) : hubUrl.replace(/\/*$/, '/');
  return `${hub}help/${encodeURIComponent(portal.trim())}/`;
}
