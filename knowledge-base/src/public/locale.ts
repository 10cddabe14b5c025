/**
 * The best of `locales` for an Accept-Language header: exact tags first by the visitor's
 * preference (q), then a tag's language alone (`en-GB` → `en`), then a locale of the same
 * language (`pt` → `pt-BR`); undefined when nothing fits.
 */
export function negotiateLocale(header: string | undefined, locales: string[]): string | undefined {
  if (!header) return undefined;
  const wanted = header
    .split(',')
    .slice(0, 30)
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0 && Number.isFinite(w.q))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  const byLower = new Map(locales.map((l) => [l.toLowerCase(), l]));
  for (const { tag } of wanted) {
    const exact = byLower.get(tag);
    if (exact) return exact;
    const language = tag.split('-')[0] ?? '';
    const base = byLower.get(language);
    if (base) return base;
    const sibling = locales.find((l) => l.toLowerCase().split('-')[0] === language);
    if (sibling) return sibling;
  }
  return undefined;
}

/** Intl formatters are costly to make (a date format ~0.2 ms) and the same few locales repeat: one per locale. */
function memo<T>(make: (locale: string) => T): (locale: string) => T {
  const made = new Map<string, T>();
  return (locale) => {
    let value = made.get(locale);
    if (value === undefined) {
      value = make(locale);
      if (made.size < 200) made.set(locale, value);
    }
    return value;
  };
}

const languageNames = memo((locale): string => {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale);
    return name ? name.charAt(0).toLocaleUpperCase(locale) + name.slice(1) : locale;
  } catch {
    return locale;
  }
});
const dateFormats = memo((locale): Intl.DateTimeFormat | null => {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  } catch {
    return null;
  }
});

/** A language's name in that language ("Deutsch", "русский"), for links to other translations. */
export function languageName(locale: string): string {
  return languageNames(locale);
}

/** A date as people of `locale` write it ("12 March 2025", "12 марта 2025 г."). */
export function formatDate(date: Date, locale: string): string {
  return dateFormats(locale)?.format(date) ?? date.toISOString().slice(0, 10);
}

const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'khw', 'ks', 'ps', 'sd', 'ur', 'yi']);

export function textDirection(locale: string): 'rtl' | 'ltr' {
  return RTL.has(locale.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

/** OpenGraph wants `en_US`-style locales. */
export function ogLocale(locale: string): string {
  return locale.replace('-', '_');
}
