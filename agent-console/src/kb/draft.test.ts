import { describe, expect, it } from 'vitest';
import type { KbArticleView, KbTranslationView } from '@switchboard/contracts';
import { ApiError } from '../api.js';
import { afterSave, createInput, draftInput, draftProblem, EMPTY_FIELDS, fieldsOf, isEditConflict, prefillFrom, sameFields, translationOf, type DraftFields } from './draft.js';

const fields = (over: Partial<DraftFields> = {}): DraftFields => ({ title: 'Refunds', slug: 'refunds', description: '', body: '# Refunds', ...over });

function translation(locale: string, over: Partial<DraftFields> = {}): KbTranslationView {
  const v = { ...fields(over), revision: 3, updatedAt: '2025-03-12T10:00:00.000Z', updatedBy: null };
  return { locale, status: 'draft', draft: v, published: null, hasUnpublishedChanges: true, url: null, votes: { helpful: 0, notHelpful: 0 } };
}

const article = (translations: KbTranslationView[]): Pick<KbArticleView, 'translations'> => ({ translations });

describe('draft fields', () => {
  it('come from a version and compare field by field', () => {
    const t = translation('en');
    expect(fieldsOf(t.draft)).toEqual(fields());
    expect(sameFields(fields(), fields())).toBe(true);
    expect(sameFields(fields(), fields({ body: '# Refunds!' }))).toBe(false);
    expect(sameFields(EMPTY_FIELDS, fields())).toBe(false);
  });

  it('need a title before they can be saved', () => {
    expect(draftProblem(fields({ title: '   ' }))).toBe('Give the article a title.');
    expect(draftProblem(fields({ body: '' }))).toBeNull();
  });
});

describe('what a save sends', () => {
  it('the draft with the revision it started from; title, slug and description trimmed, the body as typed', () => {
    expect(draftInput(fields({ title: ' Refunds ', slug: ' refunds ', description: ' How ', body: '  indented\n' }), 7)).toEqual({
      title: 'Refunds',
      slug: 'refunds',
      description: 'How',
      body: '  indented\n',
      baseRevision: 7,
    });
  });

  it('no slug when the field is empty (the server makes it from the title), no revision for a translation never saved', () => {
    const input = draftInput(fields({ slug: ' ' }), undefined);
    expect(input).not.toHaveProperty('slug');
    expect(input).not.toHaveProperty('baseRevision');
    expect(draftInput(fields(), 0).baseRevision).toBe(0);
  });

  it('a new article: its locale, the content and the category, never a revision', () => {
    expect(createInput(fields({ slug: '' }), 'en', 'c1')).toEqual({ locale: 'en', title: 'Refunds', description: '', body: '# Refunds', categoryId: 'c1' });
    expect(createInput(fields(), 'ru', null)).toEqual({ locale: 'ru', title: 'Refunds', slug: 'refunds', description: '', body: '# Refunds', categoryId: null });
  });
});

describe('a new translation', () => {
  it('starts as a copy of the default locale’s draft, its slug left to the new title', () => {
    const a = article([translation('de', { title: 'Erstattung' }), translation('en')]);
    expect(prefillFrom(a, 'en')).toEqual({ locale: 'en', fields: { ...fields(), slug: '' } });
  });

  it('copies the first translation when the default locale has none, and nothing when there is none', () => {
    expect(prefillFrom(article([translation('de', { title: 'Erstattung' })]), 'en')?.fields.title).toBe('Erstattung');
    expect(prefillFrom(article([]), 'en')).toBeNull();
  });

  it('is found by locale', () => {
    const a = article([translation('en'), translation('ru')]);
    expect(translationOf(a, 'ru')?.locale).toBe('ru');
    expect(translationOf(a, 'fr')).toBeUndefined();
    expect(translationOf(null, 'en')).toBeUndefined();
  });
});

describe('after the server saved', () => {
  it('the fields show what the server holds (e.g. the slug it made)', () => {
    const sent = fields({ slug: '' });
    const server = fields({ slug: 'refunds' });
    expect(afterSave(sent, sent, server)).toEqual({ fields: server, saved: server });
  });

  it('edits typed while the save was on its way stay, and stay unsaved', () => {
    const sent = fields();
    const typed = fields({ body: '# Refunds\n\nMore' });
    const r = afterSave(typed, sent, sent);
    expect(r.fields).toBe(typed);
    expect(sameFields(r.fields, r.saved)).toBe(false);
  });
});

describe('edit conflicts', () => {
  it('are the API’s SB_ERR_KB_EDIT_CONFLICT, nothing else', () => {
    expect(isEditConflict(new ApiError(409, 'SB_ERR_KB_EDIT_CONFLICT', 'Someone saved first.'))).toBe(true);
    expect(isEditConflict(new ApiError(409, 'SB_ERR_KB_SLUG_TAKEN', 'Slug taken.'))).toBe(false);
    expect(isEditConflict(new Error('boom'))).toBe(false);
    expect(isEditConflict(null)).toBe(false);
  });
});
