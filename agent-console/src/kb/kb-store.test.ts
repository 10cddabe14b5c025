import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  KbArticleCreate,
  KbArticleSummary,
  KbArticleView,
  KbCategoryInput,
  KbCategoryView,
  KbDraftInput,
  KbRevisionView,
  KbSettingsInput,
  KbSettingsView,
  KbTranslationView,
  KbVersionView,
} from '@switchboard/contracts';
import { ApiError } from '../api.js';
import { conflictText } from './draft.js';
import type { ArticleQuery, KbApi } from './kb-api.js';
import { KbStore, NEW_CATEGORY, PREVIEW_DELAY_MS } from './kb-store.js';

interface Translation {
  draft: KbVersionView;
  published: (KbVersionView & { publishedAt: string }) | null;
  revision: number;
  history: KbRevisionView[];
}

/** The knowledge base REST API in memory, as the contract describes it, recording what was asked. */
class FakeKbApi implements KbApi {
  calls: string[] = [];
  categories = new Map<string, KbCategoryView>();
  articles = new Map<string, { categoryId: string | null; translations: Map<string, Translation> }>();
  /** Calls wait for these, by call name, when set. */
  gates = new Map<string, Promise<void>>();
  /** The next save fails with this. */
  failSave: ApiError | null = null;
  private seq = 0;
  private clock = Date.parse('2025-03-12T10:00:00.000Z');

  private tick(): string {
    return new Date((this.clock += 1000)).toISOString();
  }

  private view(id: string): KbArticleView {
    const a = this.articles.get(id);
    if (!a) throw new ApiError(404, 'SB_ERR_KB_ARTICLE_NOT_FOUND', 'There is no such article.');
    const translations: KbTranslationView[] = [...a.translations].map(([locale, t]) => ({
      locale,
      status: t.published ? 'published' : 'draft',
      draft: t.draft,
      published: t.published,
      hasUnpublishedChanges: !t.published || t.published.body !== t.draft.body || t.published.title !== t.draft.title,
      url: t.published ? `https://help.example.com/${locale}/articles/${t.published.slug}` : null,
      votes: { helpful: 0, notHelpful: 0 },
    }));
    return { id, categoryId: a.categoryId, position: 0, authorId: 'agent-1', createdAt: this.tick(), updatedAt: this.tick(), translations, votes: { helpful: 0, notHelpful: 0 } };
  }

  private write(t: Translation | undefined, input: Omit<KbDraftInput, 'baseRevision'>, action: KbRevisionView['action']): Translation {
    const revision = (t?.revision ?? 0) + 1;
    const content = { title: input.title, slug: input.slug || input.title.toLowerCase().replace(/\W+/g, '-'), description: input.description ?? '', body: input.body };
    const next: Translation = {
      draft: { ...content, revision, updatedAt: this.tick(), updatedBy: 'agent-1' },
      published: t?.published ?? null,
      revision,
      history: [{ revision, action, ...content, authorId: 'agent-1', at: this.tick() }, ...(t?.history ?? [])],
    };
    return next;
  }

  private savedSettings: KbSettingsView = { portal: 'acme', name: 'Acme Help', logoUrl: null, color: '#4f46e5', defaultLocale: 'en', locales: ['en', 'ru'], customDomain: null, publicUrl: 'https://help.example.com' };
  async settings(): Promise<KbSettingsView> {
    this.calls.push('GET settings');
    return this.savedSettings;
  }
  async saveSettings(change: KbSettingsInput): Promise<KbSettingsView> {
    this.calls.push(`PUT settings ${JSON.stringify(change)}`);
    return (this.savedSettings = { ...this.savedSettings, ...change });
  }
  async listCategories() {
    this.calls.push('GET categories');
    return { items: [...this.categories.values()] };
  }
  async createCategory(input: KbCategoryInput) {
    this.calls.push(`POST categories ${JSON.stringify(input)}`);
    const c: KbCategoryView = { id: `c${++this.seq}`, slug: input.slug, position: input.position ?? this.categories.size, translations: input.translations, articleCount: 0, updatedAt: this.tick() };
    this.categories.set(c.id, c);
    return c;
  }
  async updateCategory(id: string, change: Partial<KbCategoryInput>) {
    this.calls.push(`PATCH categories/${id} ${JSON.stringify(change)}`);
    const c = { ...this.categories.get(id)!, ...change, updatedAt: this.tick() };
    this.categories.set(id, c);
    return c;
  }
  async deleteCategory(id: string) {
    this.calls.push(`DELETE categories/${id}`);
    const count = [...this.articles.values()].filter((a) => a.categoryId === id).length;
    if (count) throw new ApiError(409, 'SB_ERR_KB_CATEGORY_NOT_EMPTY', `The category still holds ${count} article(s); move or delete them first.`);
    this.categories.delete(id);
  }
  async listArticles(q: ArticleQuery) {
    this.calls.push(`GET articles ${JSON.stringify(q)}`);
    await this.gates.get('list');
    const items: KbArticleSummary[] = [];
    for (const id of this.articles.keys()) {
      const v = this.view(id);
      const t = v.translations.find((x) => x.locale === (q.locale ?? 'en')) ?? v.translations[0]!;
      if (q.status && t.status !== q.status) continue;
      items.push({ id, locale: t.locale, title: t.draft.title, slug: t.draft.slug, status: t.status, hasUnpublishedChanges: t.hasUnpublishedChanges, categoryId: v.categoryId, locales: v.translations.map((x) => x.locale), updatedAt: v.updatedAt, url: t.url, votes: t.votes });
    }
    return { items, total: items.length };
  }
  async createArticle(input: KbArticleCreate) {
    this.calls.push(`POST articles ${JSON.stringify(input)}`);
    await this.gates.get('save');
    const id = `a${++this.seq}`;
    this.articles.set(id, { categoryId: input.categoryId ?? null, translations: new Map([[input.locale, this.write(undefined, input, 'save')]]) });
    return this.view(id);
  }
  async getArticle(id: string) {
    this.calls.push(`GET articles/${id}`);
    await this.gates.get(`get ${id}`);
    return this.view(id);
  }
  async moveArticle(id: string, change: { categoryId?: string | null }) {
    this.calls.push(`PATCH articles/${id} ${JSON.stringify(change)}`);
    this.articles.get(id)!.categoryId = change.categoryId ?? null;
    return this.view(id);
  }
  async saveDraft(id: string, locale: string, input: KbDraftInput) {
    this.calls.push(`PUT articles/${id}/${locale} ${JSON.stringify(input)}`);
    await this.gates.get('save');
    const fail = this.failSave;
    this.failSave = null;
    if (fail) throw fail;
    const a = this.articles.get(id)!;
    const t = a.translations.get(locale);
    if (t && input.baseRevision !== t.draft.revision) throw new ApiError(409, 'SB_ERR_KB_EDIT_CONFLICT', 'This article was saved by someone else since you opened it.');
    a.translations.set(locale, this.write(t, input, 'save'));
    return this.view(id);
  }
  /** Another agent saves the translation meanwhile. */
  saveByOther(id: string, locale: string, body: string) {
    const t = this.articles.get(id)!.translations.get(locale)!;
    this.articles.get(id)!.translations.set(locale, this.write(t, { ...t.draft, body }, 'save'));
  }
  async publish(id: string, locale: string) {
    this.calls.push(`POST articles/${id}/${locale}/publish`);
    const t = this.articles.get(id)!.translations.get(locale)!;
    t.published = { ...t.draft, publishedAt: this.tick() };
    t.history.unshift({ revision: ++t.revision, action: 'publish', title: t.draft.title, slug: t.draft.slug, description: t.draft.description, body: t.draft.body, authorId: 'agent-1', at: this.tick() });
    return this.view(id);
  }
  async unpublish(id: string, locale: string) {
    this.calls.push(`POST articles/${id}/${locale}/unpublish`);
    this.articles.get(id)!.translations.get(locale)!.published = null;
    return this.view(id);
  }
  async revisions(id: string, locale: string) {
    this.calls.push(`GET articles/${id}/${locale}/revisions`);
    return { items: this.articles.get(id)!.translations.get(locale)?.history ?? [] };
  }
  async restore(id: string, locale: string, revision: number) {
    this.calls.push(`POST articles/${id}/${locale}/restore ${revision}`);
    const a = this.articles.get(id)!;
    const t = a.translations.get(locale)!;
    const r = t.history.find((h) => h.revision === revision)!;
    a.translations.set(locale, this.write(t, r, 'restore'));
    return this.view(id);
  }
  async preview(markdown: string) {
    this.calls.push(`POST preview ${JSON.stringify(markdown)}`);
    await this.gates.get('preview');
    return { html: markdown.replace(/^# (.*)$/m, '<h1>$1</h1>') };
  }
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
};

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

async function setup() {
  const api = new FakeKbApi();
  const kb = new KbStore(api);
  await kb.start();
  return { api, kb };
}

/** An English article saved through the store, open in the editor. */
async function withArticle(body = '# Refunds\n\nMoney back within 14 days.') {
  const s = await setup();
  s.kb.newArticle('en');
  s.kb.edit({ title: 'Refunds', body });
  await s.kb.save();
  await settle();
  return { ...s, id: s.kb.editor.value!.article!.id };
}

describe('knowledge base store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  describe('settings, list and filters', () => {
    it('knows the help center’s locales once started', async () => {
      const { kb } = await setup();
      expect(kb.locales.value).toEqual(['en', 'ru']);
      expect(kb.defaultLocale.value).toBe('en');
    });

    it('asks the server for the filtered list; a late answer for old filters never replaces the new one', async () => {
      const { api, kb } = await withArticle();
      const slow = gate();
      api.gates.set('list', slow.p);
      kb.setFilter({ status: 'draft' });
      api.gates.delete('list');
      kb.setFilter({ status: 'published' });
      await settle();
      expect(kb.articles.value).toEqual([]);
      slow.open();
      await settle();
      expect(kb.articles.value).toEqual([]);
      expect(api.calls.filter((c) => c.startsWith('GET articles '))).toEqual(['GET articles {"status":"draft","limit":50}', 'GET articles {"status":"published","limit":50}']);
      kb.setFilter({ status: '' });
      await settle();
      expect(kb.articles.value?.map((a) => a.title)).toEqual(['Refunds']);
      expect(kb.total.value).toBe(1);
    });
  });

  describe('writing an article', () => {
    it('a new article is dirty once typed in and saved by creating it (no slug: the server makes it)', async () => {
      const { api, kb } = await setup();
      kb.newArticle('en');
      expect(kb.dirty.value).toBe(false);
      kb.edit({ title: 'Refunds', body: '# Refunds' });
      expect(kb.dirty.value).toBe(true);
      expect(await kb.save()).toBe(true);
      expect(api.calls).toContain('POST articles {"locale":"en","title":"Refunds","description":"","body":"# Refunds","categoryId":null}');
      const e = kb.editor.value!;
      expect(e.article?.id).toBeTruthy();
      expect(e.fields.slug).toBe('refunds');
      expect(e.baseRevision).toBe(1);
      expect(kb.dirty.value).toBe(false);
      expect(kb.translation.value?.status).toBe('draft');
    });

    it('refuses to save without a title, saying why, and sends nothing', async () => {
      const { api, kb } = await setup();
      kb.newArticle('en');
      kb.edit({ body: 'text' });
      expect(await kb.save()).toBe(false);
      expect(kb.editor.value?.error).toBe('Give the article a title.');
      expect(api.calls.some((c) => c.startsWith('POST articles'))).toBe(false);
    });

    it('a later save sends the revision it started from', async () => {
      const { api, kb, id } = await withArticle();
      kb.edit({ body: '# Refunds\n\nWithin 30 days.' });
      await kb.save();
      expect(api.calls).toContain(`PUT articles/${id}/en {"title":"Refunds","slug":"refunds","description":"","body":"# Refunds\\n\\nWithin 30 days.","baseRevision":1}`);
      expect(kb.editor.value?.baseRevision).toBe(2);
    });

    it('text typed while a save is on its way stays, and stays unsaved', async () => {
      const { api, kb } = await withArticle();
      const slow = gate();
      api.gates.set('save', slow.p);
      kb.edit({ body: 'one' });
      const saving = kb.save();
      kb.edit({ body: 'one two' });
      slow.open();
      await saving;
      expect(kb.editor.value?.fields.body).toBe('one two');
      expect(kb.editor.value?.saved.body).toBe('one');
      expect(kb.dirty.value).toBe(true);
    });

    it('an error from the API shows its human message and keeps the edits', async () => {
      const { api, kb } = await withArticle();
      api.failSave = new ApiError(400, 'SB_ERR_VALIDATION', 'The slug may hold only lowercase letters, digits and dashes.');
      kb.edit({ slug: 'Bad Slug' });
      expect(await kb.save()).toBe(false);
      expect(kb.editor.value?.error).toBe('The slug may hold only lowercase letters, digits and dashes.');
      expect(kb.editor.value?.fields.slug).toBe('Bad Slug');
      expect(kb.dirty.value).toBe(true);
    });
  });

  describe('conflicts', () => {
    it('a save after someone else saved is refused with the conflict sentence; Reload shows their text', async () => {
      const { api, kb, id } = await withArticle();
      api.saveByOther(id, 'en', '# Refunds\n\nTheir text.');
      kb.edit({ body: '# Refunds\n\nMy text.' });
      expect(await kb.save()).toBe(false);
      expect(kb.editor.value?.conflict).toBe(true);
      expect(kb.editor.value?.error).toBeNull();
      expect(conflictText()).toBe('Someone else saved this article; reload to see their changes.');
      expect(kb.editor.value?.fields.body).toBe('# Refunds\n\nMy text.');

      expect(await kb.reload()).toBe(true);
      expect(kb.editor.value?.conflict).toBe(false);
      expect(kb.editor.value?.fields.body).toBe('# Refunds\n\nTheir text.');
      expect(kb.editor.value?.baseRevision).toBe(2);
      expect(kb.dirty.value).toBe(false);
      // Now saving works again, from their revision.
      kb.edit({ body: '# Refunds\n\nTheir text, and mine.' });
      expect(await kb.save()).toBe(true);
    });
  });

  describe('live preview', () => {
    it('renders the body 300 ms after the last keystroke, once', async () => {
      const { api, kb } = await withArticle();
      await settle();
      api.calls = [];
      kb.edit({ body: '# H' });
      await vi.advanceTimersByTimeAsync(100);
      kb.edit({ body: '# He' });
      await vi.advanceTimersByTimeAsync(100);
      kb.edit({ body: '# Heading' });
      expect(kb.preview.value.loading).toBe(true);
      await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS - 1);
      expect(api.calls.filter((c) => c.startsWith('POST preview'))).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await settle();
      expect(api.calls.filter((c) => c.startsWith('POST preview'))).toEqual(['POST preview "# Heading"']);
      expect(kb.preview.value).toEqual({ html: '<h1>Heading</h1>', loading: false, error: null });
    });

    it('a slow preview of older text never replaces the newer one', async () => {
      const { api, kb } = await withArticle();
      await settle();
      const slow = gate();
      api.gates.set('preview', slow.p);
      kb.edit({ body: '# Old' });
      await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS);
      api.gates.delete('preview');
      kb.edit({ body: '# New' });
      await vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS);
      await settle();
      slow.open();
      await settle();
      expect(kb.preview.value.html).toBe('<h1>New</h1>');
    });

    it('an opened article is previewed at once', async () => {
      const { api, kb, id } = await withArticle('# Opened');
      const other = new KbStore(api);
      await other.start();
      await other.openArticle(id, 'en');
      await settle();
      expect(other.preview.value.html).toBe('<h1>Opened</h1>');
    });
  });

  describe('publishing', () => {
    it('Publish saves unsaved edits first, then the translation is live with its public URL', async () => {
      const { api, kb, id } = await withArticle();
      kb.edit({ body: '# Refunds\n\nUpdated.' });
      expect(await kb.publish()).toBe(true);
      const calls = api.calls.filter((c) => c.startsWith('PUT') || c.includes('/publish'));
      expect(calls.map((c) => c.split(' ')[0] + ' ' + c.split(' ')[1])).toEqual([`PUT articles/${id}/en`, `POST articles/${id}/en/publish`]);
      expect(kb.translation.value?.status).toBe('published');
      expect(kb.translation.value?.hasUnpublishedChanges).toBe(false);
      expect(kb.translation.value?.url).toBe('https://help.example.com/en/articles/refunds');
      expect(kb.dirty.value).toBe(false);
    });

    it('a new article can be published straight away (created, then published)', async () => {
      const { kb } = await setup();
      kb.newArticle('en');
      kb.edit({ title: 'Shipping', body: 'We ship worldwide.' });
      expect(await kb.publish()).toBe(true);
      expect(kb.translation.value?.status).toBe('published');
    });

    it('a saved change to a live article shows as unpublished changes; Unpublish takes it off the help center', async () => {
      const { kb } = await withArticle();
      await kb.publish();
      kb.edit({ body: 'Changed' });
      await kb.save();
      expect(kb.translation.value?.hasUnpublishedChanges).toBe(true);
      expect(await kb.unpublish()).toBe(true);
      expect(kb.translation.value?.status).toBe('draft');
      expect(kb.translation.value?.url).toBeNull();
    });
  });

  describe('translations', () => {
    it('a locale without a translation starts as a copy of the default locale; saving creates it (no revision sent)', async () => {
      const { api, kb, id } = await withArticle();
      await kb.publish();
      await kb.openArticle(id, 'ru');
      await settle();
      const e = kb.editor.value!;
      expect(e.locale).toBe('ru');
      expect(e.copiedFrom).toBe('en');
      expect(e.fields).toEqual({ title: 'Refunds', slug: '', description: '', body: '# Refunds\n\nMoney back within 14 days.' });
      expect(kb.translation.value).toBeUndefined();
      expect(kb.dirty.value).toBe(true);
      kb.edit({ title: 'Возврат денег', body: '# Возврат\n\nВ течение 14 дней.' });
      expect(await kb.publish()).toBe(true);
      expect(api.calls).toContain(`PUT articles/${id}/ru {"title":"Возврат денег","description":"","body":"# Возврат\\n\\nВ течение 14 дней."}`);
      expect(kb.translation.value?.status).toBe('published');
      expect(kb.editor.value?.copiedFrom).toBeNull();
      expect(kb.editor.value?.article?.translations.map((t) => t.locale)).toEqual(['en', 'ru']);
    });

    it('opening what is already open fetches nothing; an answer for an article left meanwhile is dropped', async () => {
      const { api, kb, id } = await withArticle();
      const before = api.calls.length;
      await kb.openArticle(id, 'en');
      expect(api.calls.length).toBe(before);

      kb.newArticle('en');
      kb.edit({ title: 'Second', body: 'x' });
      await kb.save();
      const second = kb.editor.value!.article!.id;
      const slow = gate();
      api.gates.set(`get ${id}`, slow.p);
      const first = kb.openArticle(id, 'en');
      await kb.openArticle(second, 'ru');
      slow.open();
      await first;
      expect(kb.editor.value?.article?.id).toBe(second);
      expect(kb.editor.value?.locale).toBe('ru');
    });

    it('an article that cannot be opened says why', async () => {
      const { kb } = await setup();
      await kb.openArticle('nope', 'en');
      expect(kb.editor.value?.phase).toBe('error');
      expect(kb.editor.value?.error).toBe('There is no such article.');
    });
  });

  describe('revisions', () => {
    it('are listed newest first; Restore makes an older one the draft and shows it', async () => {
      const { kb } = await withArticle('first');
      kb.edit({ body: 'second' });
      await kb.save();
      await settle();
      expect(kb.revisions.value?.map((r) => [r.revision, r.action, r.body])).toEqual([
        [2, 'save', 'second'],
        [1, 'save', 'first'],
      ]);
      kb.edit({ body: 'unsaved' });
      expect(await kb.restore(1)).toBe(true);
      await settle();
      expect(kb.editor.value?.fields.body).toBe('first');
      expect(kb.dirty.value).toBe(false);
      expect(kb.revisions.value?.[0]).toMatchObject({ revision: 3, action: 'restore', body: 'first' });
    });
  });

  describe('categories', () => {
    it('are created, renamed per locale (other names kept) and filed under', async () => {
      const { api, kb, id } = await withArticle();
      expect(await kb.createCategory({ name: ' Billing ', slug: 'billing', locale: 'en' })).toBe(true);
      const c = kb.categories.value![0]!;
      expect(c.translations).toEqual({ en: { name: 'Billing' } });
      await kb.renameCategory(c.id, 'ru', 'Оплата');
      expect(kb.categories.value![0]!.translations).toEqual({ en: { name: 'Billing' }, ru: { name: 'Оплата' } });
      expect(await kb.setCategory(c.id)).toBe(true);
      expect(api.calls).toContain(`PATCH articles/${id} {"categoryId":"${c.id}"}`);
      expect(kb.editor.value?.article?.categoryId).toBe(c.id);
    });

    it('deleting one that still holds articles is refused with the server’s sentence, and it stays', async () => {
      const { kb } = await withArticle();
      await kb.createCategory({ name: 'Billing', slug: 'billing', locale: 'en' });
      const c = kb.categories.value![0]!;
      await kb.setCategory(c.id);
      expect(await kb.deleteCategory(c.id)).toBe(false);
      expect(kb.categoryErrors.value[c.id]).toBe('The category still holds 1 article(s); move or delete them first.');
      expect(kb.categories.value?.map((x) => x.id)).toEqual([c.id]);
      await kb.setCategory(null);
      expect(await kb.deleteCategory(c.id)).toBe(true);
      expect(kb.categoryErrors.value[c.id]).toBeUndefined();
      expect(kb.categories.value).toEqual([]);
    });

    it('a new article goes into the category the list is filtered by', async () => {
      const { api, kb } = await setup();
      await kb.createCategory({ name: 'Billing', slug: 'billing', locale: 'en' });
      const c = kb.categories.value![0]!;
      kb.setFilter({ categoryId: c.id });
      kb.newArticle('en');
      kb.edit({ title: 'Invoices', body: '' });
      await kb.save();
      expect(api.calls).toContain(`POST articles {"locale":"en","title":"Invoices","description":"","body":"","categoryId":"${c.id}"}`);
      expect(kb.categoryErrors.value[NEW_CATEGORY]).toBeUndefined();
    });
  });
});
