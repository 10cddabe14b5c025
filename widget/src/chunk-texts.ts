import { currentLocale } from './i18n.js';

/** The languages the widget speaks; a lazy chunk's texts give every one of them. */
export type Texts<K extends string> = Record<'en' | 'ru', Record<K, string>>;

const FORM: Record<string, number> = { one: 0, few: 1, many: 2 };

/**
 * The translate function of a lazy chunk whose texts travel with it rather than in the core (the
 * pre-chat and offline forms, the article suggestions, the tab title's alert): only visitors who
 * meet that part download them. `{name}` marks a value, as in i18n.ts; a text with `|` holds the
 * plural forms one|few|many (English: one|other), picked with Intl.PluralRules by the `n` value.
 * Unknown languages read English.
 */
export const chunkTexts =
  <K extends string>(texts: Texts<K>) =>
  (key: K, params: Record<string, string | number | undefined> = {}): string => {
    const locale = currentLocale();
    let text = ((texts as Record<string, Record<K, string>>)[locale.split('-')[0]!.toLowerCase()] ?? texts.en)[key];
    if (typeof params.n == 'number') {
      const forms = text.split('|');
      text = forms[Math.min(FORM[new Intl.PluralRules(locale).select(params.n)] ?? 9, forms.length - 1)]!;
    }
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
  };
