import { batch, computed, signal } from '@preact/signals';
import type { KbArticleSummary, KbArticleView, KbCategoryView, KbRevisionView, KbSettingsInput, KbSettingsView } from '@switchboard/contracts';
import { ANY_ARTICLE, articleQuery, sortCategories, type ArticleFilter } from './article-list.js';
import { LatestDebounced, type Timers } from './debounce.js';
import {
  afterSave,
  createInput,
  draftInput,
  draftProblem,
  EMPTY_FIELDS,
  fieldsOf,
  isEditConflict,
  prefillFrom,
  sameFields,
  translationOf,
  type DraftFields,
} from './draft.js';
import { errorText, type KbApi } from './kb-api.js';

/**
 * State and actions of the knowledge base authoring screens: the article list and its filters,
 * categories, and the editor of one article in one locale (draft, unsaved changes, live preview,
 * conflicts, publishing, revisions). The REST API and the clock are injected, so all of it is
 * tested without a browser.
 */

export type EditorAction = 'save' | 'publish' | 'unpublish' | 'restore' | 'reload' | 'move';

export interface EditorState {
  /** null until a new article is first saved. */
  article: KbArticleView | null;
  locale: string;
  fields: DraftFields;
  /** What the server's draft holds, to tell unsaved edits. */
  saved: DraftFields;
  /** The draft revision these edits started from; undefined for a translation never saved. */
  baseRevision: number | undefined;
  /** A new article's category (an existing one's is `article.categoryId`). */
  categoryId: string | null;
  /** A new translation starts as a copy of this locale's draft. */
  copiedFrom: string | null;
  phase: 'loading' | 'ready' | 'error';
  busy: EditorAction | null;
  /** The last save was refused because someone else saved first. */
  conflict: boolean;
  error: string | null;
}

export interface PreviewState {
  html: string;
  loading: boolean;
  error: string | null;
}

/** Quiet time after a keystroke in the body before the preview is rendered. */
export const PREVIEW_DELAY_MS = 300;
/** Key of the create form in `categoryErrors`. */
export const NEW_CATEGORY = '';

export class KbStore {
  readonly settings = signal<KbSettingsView | null>(null);
  readonly settingsError = signal<string | null>(null);
  readonly categories = signal<KbCategoryView[] | null>(null);
  readonly categoriesError = signal<string | null>(null);
  /** Why a category change was refused, by category id (NEW_CATEGORY: the create form). */
  readonly categoryErrors = signal<Record<string, string>>({});
  readonly filter = signal<ArticleFilter>(ANY_ARTICLE);
  readonly articles = signal<KbArticleSummary[] | null>(null);
  readonly total = signal(0);
  readonly listLoading = signal(false);
  readonly listError = signal<string | null>(null);
  readonly editor = signal<EditorState | null>(null);
  readonly preview = signal<PreviewState>({ html: '', loading: false, error: null });
  /** The open translation's revisions, newest first. */
  readonly revisions = signal<KbRevisionView[] | null>(null);

  readonly locales = computed(() => this.settings.value?.locales ?? []);
  readonly defaultLocale = computed(() => this.settings.value?.defaultLocale ?? this.locales.value[0] ?? 'en');
  /** The editor holds edits the server has not saved. */
  readonly dirty = computed(() => {
    const e = this.editor.value;
    return e !== null && e.phase === 'ready' && !sameFields(e.fields, e.saved);
  });
  /** The open translation as the server last sent it (undefined: not saved yet). */
  readonly translation = computed(() => {
    const e = this.editor.value;
    return e ? translationOf(e.article, e.locale) : undefined;
  });

  private readonly previewer: LatestDebounced<string, string>;
  private listGen = 0;
  /** Bumped whenever the editor shows another article or locale; late answers for the old one are dropped. */
  private editorGen = 0;

  constructor(
    private readonly api: KbApi,
    timers: Timers = globalThis,
  ) {
    this.previewer = new LatestDebounced<string, string>(
      (markdown) => (markdown.trim() ? api.preview(markdown).then((r) => r.html) : Promise.resolve('')),
      (html) => (this.preview.value = { html, loading: false, error: null }),
      (err) => (this.preview.value = { ...this.preview.value, loading: false, error: errorText(err) }),
      PREVIEW_DELAY_MS,
      timers,
    );
  }

  /** Settings and categories, needed by every KB screen. */
  async start(): Promise<void> {
    await Promise.all([this.loadSettings(), this.loadCategories()]);
  }

  /** Saves the changed settings; every KB screen sees the new ones. */
  async saveSettings(change: KbSettingsInput): Promise<KbSettingsView> {
    const next = await this.api.saveSettings(change);
    this.settings.value = next;
    return next;
  }

  async loadSettings(): Promise<void> {
    try {
      this.settings.value = await this.api.settings();
      this.settingsError.value = null;
    } catch (err) {
      this.settingsError.value = errorText(err);
    }
  }

  async loadCategories(): Promise<void> {
    try {
      const { items } = await this.api.listCategories();
      batch(() => {
        this.categories.value = sortCategories(items);
        this.categoriesError.value = null;
      });
    } catch (err) {
      this.categoriesError.value = errorText(err);
    }
  }

  setFilter(change: Partial<ArticleFilter>): void {
    this.filter.value = { ...this.filter.value, ...change };
    void this.loadArticles();
  }

  /** The first page for the current filters, or with `more` the next one. */
  async loadArticles(more = false): Promise<void> {
    const held = more ? (this.articles.value ?? []) : [];
    const gen = ++this.listGen;
    batch(() => {
      this.listLoading.value = true;
      this.listError.value = null;
    });
    try {
      const page = await this.api.listArticles(articleQuery(this.filter.value, held.length));
      if (gen !== this.listGen) return;
      batch(() => {
        this.articles.value = [...held, ...page.items];
        this.total.value = page.total;
      });
    } catch (err) {
      if (gen === this.listGen) this.listError.value = errorText(err);
    } finally {
      if (gen === this.listGen) this.listLoading.value = false;
    }
  }

  async createCategory(input: { name: string; slug: string; locale: string }): Promise<boolean> {
    return this.changeCategory(NEW_CATEGORY, async () => {
      const created = await this.api.createCategory({ slug: input.slug.trim(), translations: { [input.locale]: { name: input.name.trim() } } });
      this.categories.value = sortCategories([...(this.categories.value ?? []), created]);
    });
  }

  /** Names the category in `locale` (other locales keep theirs). */
  async renameCategory(id: string, locale: string, name: string): Promise<boolean> {
    return this.changeCategory(id, async () => {
      const held = this.categories.value?.find((c) => c.id === id);
      const translations = { ...held?.translations, [locale]: { ...held?.translations[locale], name: name.trim() } };
      const updated = await this.api.updateCategory(id, { translations });
      this.categories.value = sortCategories((this.categories.value ?? []).map((c) => (c.id === id ? updated : c)));
    });
  }

  /** Refused (409, with the server's sentence) while articles are in it. */
  async deleteCategory(id: string): Promise<boolean> {
    return this.changeCategory(id, async () => {
      await this.api.deleteCategory(id);
      this.categories.value = (this.categories.value ?? []).filter((c) => c.id !== id);
    });
  }

  /** An empty editor for a new article in `locale`, in the category the list is filtered by. */
  newArticle(locale: string): void {
    this.editorGen++;
    this.previewer.cancel();
    batch(() => {
      this.editor.value = {
        article: null,
        locale,
        fields: EMPTY_FIELDS,
        saved: EMPTY_FIELDS,
        baseRevision: undefined,
        categoryId: this.filter.value.categoryId || null,
        copiedFrom: null,
        phase: 'ready',
        busy: null,
        conflict: false,
        error: null,
      };
      this.preview.value = { html: '', loading: false, error: null };
      this.revisions.value = [];
    });
  }

  /**
   * The editor on an article in `locale`. A locale the article has no translation in yet starts
   * as a copy of the default locale's draft. Opening what is already open changes nothing.
   */
  async openArticle(id: string, locale: string): Promise<void> {
    const e = this.editor.value;
    if (e?.article?.id === id && e.locale === locale && e.phase !== 'error') return;
    const gen = ++this.editorGen;
    this.previewer.cancel();
    batch(() => {
      this.editor.value = {
        ...(e?.article?.id === id ? e : { article: null, fields: EMPTY_FIELDS, saved: EMPTY_FIELDS, baseRevision: undefined, categoryId: null, copiedFrom: null }),
        locale,
        phase: 'loading',
        busy: null,
        conflict: false,
        error: null,
      };
      this.revisions.value = null;
    });
    try {
      const article = await this.api.getArticle(id);
      if (gen === this.editorGen) this.show(article, locale);
    } catch (err) {
      if (gen === this.editorGen) this.patchEditor({ phase: 'error', error: errorText(err) });
    }
  }

  /** The agent changed fields; the body's preview follows after a short pause. */
  edit(change: Partial<DraftFields>): void {
    const e = this.editor.value;
    if (!e || e.phase !== 'ready') return;
    this.patchEditor({ fields: { ...e.fields, ...change } });
    if (change.body !== undefined && change.body !== e.fields.body) {
      this.preview.value = { ...this.preview.value, loading: true };
      this.previewer.schedule(change.body);
    }
  }

  /** Saves the draft (creating the article the first time). */
  async save(): Promise<boolean> {
    const e = this.editor.value;
    if (!e || e.phase !== 'ready' || e.busy) return false;
    const problem = draftProblem(e.fields);
    if (problem) {
      this.patchEditor({ error: problem });
      return false;
    }
    const sent = e.fields;
    return this.act('save', async () => {
      const article = e.article
        ? await this.api.saveDraft(e.article.id, e.locale, draftInput(sent, e.baseRevision))
        : await this.api.createArticle(createInput(sent, e.locale, e.categoryId));
      return { article, sent };
    });
  }

  /** Publishes the draft, saving unsaved edits first. */
  async publish(): Promise<boolean> {
    if ((this.dirty.value || !this.translation.value) && !(await this.save())) return false;
    const e = this.editor.value!;
    return this.act('publish', async () => ({ article: await this.api.publish(e.article!.id, e.locale), sent: e.fields }));
  }

  async unpublish(): Promise<boolean> {
    const e = this.editor.value;
    if (!e?.article) return false;
    return this.act('unpublish', async () => ({ article: await this.api.unpublish(e.article!.id, e.locale), sent: e.fields }));
  }

  /** The revision becomes the draft; the fields show it (edits not saved are replaced). */
  async restore(revision: number): Promise<boolean> {
    const e = this.editor.value;
    if (!e?.article) return false;
    return this.act('restore', async () => ({ article: await this.api.restore(e.article!.id, e.locale, revision), sent: null }));
  }

  /** After a conflict: the article as the server has it now, replacing the edits. */
  async reload(): Promise<boolean> {
    const e = this.editor.value;
    if (!e?.article) return false;
    return this.act('reload', async () => ({ article: await this.api.getArticle(e.article!.id), sent: null }));
  }

  /** Files the article under a category (null: none). */
  async setCategory(categoryId: string | null): Promise<boolean> {
    const e = this.editor.value;
    if (!e) return false;
    if (!e.article) {
      this.patchEditor({ categoryId });
      return true;
    }
    return this.act('move', async () => ({ article: await this.api.moveArticle(e.article!.id, { categoryId }), sent: e.fields }));
  }

  async loadRevisions(): Promise<void> {
    const e = this.editor.value;
    if (!e?.article || !translationOf(e.article, e.locale)) {
      this.revisions.value = [];
      return;
    }
    const gen = this.editorGen;
    try {
      const { items } = await this.api.revisions(e.article.id, e.locale);
      if (gen === this.editorGen) this.revisions.value = items;
    } catch {
      // the history stays as it was; the editor itself is unaffected
    }
  }

  /**
   * Runs an editor action. Its answer (the article) updates the editor: with `sent`, the edits
   * made meanwhile are kept (afterSave); with null, the server's draft replaces the fields.
   */
  private async act(action: EditorAction, run: () => Promise<{ article: KbArticleView; sent: DraftFields | null }>): Promise<boolean> {
    const gen = this.editorGen;
    this.patchEditor({ busy: action, error: null });
    try {
      const { article, sent } = await run();
      if (gen !== this.editorGen) return true;
      const e = this.editor.value!;
      if (sent === null) this.show(article, e.locale);
      else this.applySaved(article, sent);
      return true;
    } catch (err) {
      if (gen !== this.editorGen) return false;
      if (isEditConflict(err)) this.patchEditor({ busy: null, conflict: true });
      else this.patchEditor({ busy: null, error: errorText(err) });
      return false;
    }
  }

  private show(article: KbArticleView, locale: string): void {
    const t = translationOf(article, locale);
    const copy = t ? null : prefillFrom(article, this.defaultLocale.value);
    const fields = t ? fieldsOf(t.draft) : (copy?.fields ?? EMPTY_FIELDS);
    batch(() => {
      this.editor.value = {
        article,
        locale,
        fields,
        saved: t ? fields : EMPTY_FIELDS,
        baseRevision: t?.draft.revision,
        categoryId: article.categoryId,
        copiedFrom: copy?.locale ?? null,
        phase: 'ready',
        busy: null,
        conflict: false,
        error: null,
      };
      this.preview.value = { ...this.preview.value, loading: true, error: null };
    });
    this.previewer.now(fields.body);
    void this.loadRevisions();
  }

  private applySaved(article: KbArticleView, sent: DraftFields): void {
    const e = this.editor.value!;
    const t = translationOf(article, e.locale);
    if (!t) return this.show(article, e.locale);
    const { fields, saved } = afterSave(e.fields, sent, fieldsOf(t.draft));
    this.editor.value = { ...e, article, fields, saved, baseRevision: t.draft.revision, categoryId: article.categoryId, copiedFrom: null, busy: null, conflict: false, error: null };
    void this.loadRevisions();
  }

  private patchEditor(patch: Partial<EditorState>): void {
    const e = this.editor.value;
    if (e) this.editor.value = { ...e, ...patch };
  }

  private async changeCategory(key: string, run: () => Promise<void>): Promise<boolean> {
    const { [key]: _old, ...rest } = this.categoryErrors.value;
    this.categoryErrors.value = rest;
    try {
      await run();
      return true;
    } catch (err) {
      this.categoryErrors.value = { ...this.categoryErrors.value, [key]: errorText(err) };
      return false;
    }
  }
}
