import type { KbArticleCreate, KbArticleView, KbDraftInput, KbTranslationView, KbVersionView } from '@switchboard/contracts';
import { t } from '../i18n/kb.js';

/** The editable part of a translation, as the editor's fields hold it. */
export interface DraftFields {
  title: string;
  /** '' = let the server make it from the title. */
  slug: string;
  description: string;
  /** Markdown. */
  body: string;
}

export const EMPTY_FIELDS: DraftFields = { title: '', slug: '', description: '', body: '' };

export const EDIT_CONFLICT = 'SB_ERR_KB_EDIT_CONFLICT';
export const conflictText = (): string => t('editor.conflict');

export function fieldsOf(v: Pick<KbVersionView, 'title' | 'slug' | 'description' | 'body'>): DraftFields {
  return { title: v.title, slug: v.slug, description: v.description, body: v.body };
}

export function sameFields(a: DraftFields, b: DraftFields): boolean {
  return a.title === b.title && a.slug === b.slug && a.description === b.description && a.body === b.body;
}

export function translationOf(article: Pick<KbArticleView, 'translations'> | null, locale: string): KbTranslationView | undefined {
  return article?.translations.find((t) => t.locale === locale);
}

/**
 * Where a new translation starts: a copy of the default locale's draft (else the first
 * translation's) for the agent to translate; the slug is left to be made from the new title.
 */
export function prefillFrom(article: Pick<KbArticleView, 'translations'>, defaultLocale: string): { locale: string; fields: DraftFields } | null {
  const source = translationOf(article, defaultLocale) ?? article.translations[0];
  if (!source) return null;
  return { locale: source.locale, fields: { ...fieldsOf(source.draft), slug: '' } };
}

/** Why the draft cannot be saved yet, in words; null when it can. */
export function draftProblem(fields: DraftFields): string | null {
  if (!fields.title.trim()) return t('editor.noTitle');
  return null;
}

/** PUT …/translations/:locale body; `baseRevision` is left out for a translation never saved. */
export function draftInput(fields: DraftFields, baseRevision: number | undefined): KbDraftInput {
  const slug = fields.slug.trim();
  return {
    title: fields.title.trim(),
    ...(slug ? { slug } : {}),
    description: fields.description.trim(),
    body: fields.body,
    ...(baseRevision !== undefined ? { baseRevision } : {}),
  };
}

/** POST /kb/articles body for a new article's first translation. */
export function createInput(fields: DraftFields, locale: string, categoryId: string | null): KbArticleCreate {
  const { baseRevision: _none, ...draft } = draftInput(fields, undefined);
  return { locale, ...draft, categoryId };
}

/**
 * The editor after the server accepted a save of `sent`: what the server holds becomes the saved
 * state, and the fields show it — unless the agent typed on while the save was on its way, in
 * which case those newer edits stay (and stay unsaved).
 */
export function afterSave(current: DraftFields, sent: DraftFields, server: DraftFields): { fields: DraftFields; saved: DraftFields } {
  return { fields: sameFields(current, sent) ? server : current, saved: server };
}

/** The API's coded error (ApiError) for a save that started from an old revision. */
export function isEditConflict(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === EDIT_CONFLICT;
}
