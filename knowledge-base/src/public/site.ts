import type { KbSettingsRecord } from '../articles/records.js';
import { helpCenterBase } from '../urls.js';
import { messagesFor, type Messages } from './messages.js';
import { themeOf, type Theme } from './theme.js';

/** What every page of one help center, in one locale, on one host, needs to know. */
export interface Site {
  settings: KbSettingsRecord;
  locale: string;
  t: Messages;
  theme: Theme;
  /** Path prefix of links in pages: '' on the custom domain, `/help/<portal>` on the main host. */
  base: string;
  /** Absolute base of canonical URLs, the sitemap and OpenGraph (the custom domain when set). */
  origin: string;
  href(path: string): string;
  abs(path: string): string;
}

export function siteFor(settings: KbSettingsRecord, locale: string, publicUrl: string, onCustomDomain: boolean): Site {
  const origin = helpCenterBase(settings, publicUrl);
  const base = onCustomDomain ? '' : new URL(helpCenterBase({ portal: settings.portal }, publicUrl)).pathname;
  return {
    settings,
    locale,
    t: messagesFor(locale),
    theme: themeOf(settings),
    base,
    origin,
    href: (path) => base + path,
    abs: (path) => origin + path,
  };
}
