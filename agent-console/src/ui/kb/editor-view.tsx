import { useEffect } from 'preact/hooks';
import type { KbRevisionView } from '@switchboard/contracts';
import { categoryName, statusText, whenText } from '../../kb/article-list.js';
import { conflictText, translationOf } from '../../kb/draft.js';
import { t as tk } from '../../i18n/kb.js';
import type { KbStore } from '../../kb/kb-store.js';
import { addableLocales, localeName } from '../../kb/locales.js';
import { kbHref, type KbRoute } from '../../kb/routes.js';
import { route } from '../context.js';

type EditorPlace = Extract<KbRoute, { view: 'new' | 'article' }>;

const actionText = (action: KbRevisionView['action']): string => tk(`action.${action}`);
const leaveText = (): string => tk('editor.leave');

/**
 * One article in one locale: title, slug, description, category, the Markdown body beside the
 * page as the help center will show it (rendered by the server), draft saving (Ctrl/⌘+S),
 * publishing, other locales and the revision history.
 */
export function EditorView({ kb, place }: { kb: KbStore; place: EditorPlace }) {
  const id = place.view === 'article' ? place.id : null;
  const locale = place.locale ?? kb.defaultLocale.value;
  const e = kb.editor.value;
  const dirty = kb.dirty.value;

  useEffect(() => {
    if (id) void kb.openArticle(id, locale);
    else kb.newArticle(locale);
  }, [kb, id, locale]);

  // After the first save of a new article, the URL names it (reload and back find it).
  const run = async (action: () => Promise<boolean>) => {
    const wasNew = !kb.editor.value?.article;
    await action();
    const now = kb.editor.value;
    if (wasNew && now?.article) {
      history.replaceState(null, '', kbHref.article(now.article.id, now.locale));
      route.value = location.hash;
    }
  };

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === 's') {
        ev.preventDefault();
        void run(() => kb.save());
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [kb]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (ev: BeforeUnloadEvent) => ev.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Until the effect above ran, the store may still hold the previous article: not shown.
  const shown = e && e.locale === locale && (id ? e.article?.id === id || e.phase === 'loading' : !e.article || e.busy !== null);
  if (!e || !shown || (e.phase === 'loading' && !e.article)) return <p class="muted kb-body">{tk('loading')}</p>;
  if (e.phase === 'error') {
    return (
      <div class="kb-body">
        <div class="inline-error" role="alert" data-testid="kb-error">
          <span>{tk('editor.openFailed', { reason: e.error ?? '' })}</span>
          <a class="btn btn-small" href={kbHref.articles}>
            {tk('editor.backToList')}
          </a>
        </div>
      </div>
    );
  }

  const t = kb.translation.value;
  const busy = e.busy !== null || e.phase !== 'ready';
  const preview = kb.preview.value;
  const categoryId = e.article ? e.article.categoryId : e.categoryId;
  const leave = (ev: Event) => {
    if (kb.dirty.value && !confirm(leaveText())) ev.preventDefault();
  };
  const locales = [...new Set([...kb.locales.value, ...(e.article?.translations.map((x) => x.locale) ?? []), locale])];

  return (
    <div class="kb-body kb-editor" data-testid="kb-editor">
      <div class="kb-toolbar">
        <a class="btn btn-ghost btn-small" href={kbHref.articles} onClick={leave} data-testid="kb-back">
          ← {tk('tab.articles')}
        </a>
        {e.article ? (
          <nav class="kb-locales" aria-label={tk('editor.translations')}>
            {locales.map((l) => {
              const has = !!translationOf(e.article, l);
              return (
                <a
                  key={l}
                  class={`kb-locale${has ? '' : ' kb-locale-missing'}`}
                  href={kbHref.article(e.article!.id, l)}
                  aria-current={l === locale ? 'page' : undefined}
                  title={has ? localeName(l) : tk('editor.addTranslationOf', { name: localeName(l) })}
                  data-testid="kb-locale"
                  data-locale={l}
                  onClick={leave}
                >
                  {has || l === locale ? l : `+ ${l}`}
                </a>
              );
            })}
            <select
              class="select"
              aria-label={tk('editor.addTranslation')}
              data-testid="kb-add-locale"
              value=""
              onChange={(ev) => {
                const l = ev.currentTarget.value;
                ev.currentTarget.value = '';
                if (l && (!kb.dirty.value || confirm(leaveText()))) location.hash = kbHref.article(e.article!.id, l);
              }}
            >
              <option value="">{tk('editor.translationOption')}</option>
              {addableLocales(locales, kb.locales.value).map((l) => (
                <option key={l} value={l}>
                  {localeName(l)}
                </option>
              ))}
            </select>
          </nav>
        ) : (
          <span class="kb-locale" aria-current="page" title={localeName(locale)}>
            {locale}
          </span>
        )}
        <span class={`kb-status kb-status-${t?.status ?? 'new'}`} data-testid="kb-status" data-status={t?.status ?? 'new'}>
          {t ? statusText(t.status) : tk('editor.notSaved')}
        </span>
        {t?.status === 'published' && t.hasUnpublishedChanges && (
          <span class="kb-pending" data-testid="kb-unpublished-marker">
            {tk('list.unpublished')}
          </span>
        )}
        <span class="muted kb-saved" role="status" data-testid="kb-dirty" data-dirty={dirty}>
          {e.busy === 'save' ? tk('editor.saving') : dirty ? tk('editor.unsaved') : t ? tk('editor.allSaved') : ''}
        </span>
        <span class="kb-actions">
          {t?.url && (
            <a class="btn btn-ghost btn-small" href={t.url} target="_blank" rel="noopener noreferrer" data-testid="kb-public-link">
              {tk('editor.publicPage')}
            </a>
          )}
          {t?.status === 'published' && (
            <button class="btn btn-small" data-testid="kb-unpublish" disabled={busy} onClick={() => void kb.unpublish()}>
              {e.busy === 'unpublish' ? tk('editor.unpublishing') : tk('editor.unpublish')}
            </button>
          )}
          <button class="btn btn-small" data-testid="kb-save" disabled={busy || (!dirty && !!t)} title={tk('editor.saveTitle')} onClick={() => void run(() => kb.save())}>
            {tk('editor.save')}
          </button>
          <button
            class="btn btn-primary btn-small"
            data-testid="kb-publish"
            disabled={busy || (t?.status === 'published' && !t.hasUnpublishedChanges && !dirty)}
            onClick={() => void run(() => kb.publish())}
          >
            {e.busy === 'publish' ? tk('editor.publishing') : t?.status === 'published' ? tk('editor.publishChanges') : tk('editor.publish')}
          </button>
        </span>
      </div>

      {e.conflict && (
        <div class="inline-error" role="alert" data-testid="kb-conflict">
          <span>{conflictText()}</span>
          <button class="btn btn-small" data-testid="kb-reload" disabled={busy} onClick={() => void kb.reload()}>
            {tk('editor.reload')}
          </button>
        </div>
      )}
      {e.error && (
        <div class="inline-error" role="alert" data-testid="kb-error">
          {e.error}
        </div>
      )}
      {e.copiedFrom && (
        <p class="kb-note" data-testid="kb-copied">
          {tk('editor.copied', { name: localeName(locale), from: localeName(e.copiedFrom) })}
        </p>
      )}

      <div class="kb-fields">
        <label class="kb-field kb-field-wide">
          <span>{tk('editor.title')}</span>
          <input
            class="input"
            data-testid="kb-title"
            maxLength={200}
            value={e.fields.title}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ title: ev.currentTarget.value })}
          />
        </label>
        <label class="kb-field">
          <span>{tk('editor.slug')}</span>
          <input
            class="input"
            data-testid="kb-slug"
            maxLength={120}
            placeholder={tk('editor.slugPlaceholder')}
            value={e.fields.slug}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ slug: ev.currentTarget.value })}
          />
        </label>
        <label class="kb-field">
          <span>{tk('list.category')}</span>
          <select class="select" data-testid="kb-article-category" value={categoryId ?? ''} disabled={busy} onChange={(ev) => void kb.setCategory(ev.currentTarget.value || null)}>
            <option value="">{tk('editor.noCategory')}</option>
            {(kb.categories.value ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c, locale, kb.defaultLocale.value)}
              </option>
            ))}
          </select>
        </label>
        <label class="kb-field kb-field-wide">
          <span>{tk('editor.description')}</span>
          <input
            class="input"
            data-testid="kb-description"
            maxLength={300}
            placeholder={tk('editor.descriptionPlaceholder')}
            value={e.fields.description}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ description: ev.currentTarget.value })}
          />
        </label>
      </div>

      <div class="kb-split">
        <label class="kb-field kb-source">
          <span>{tk('editor.body')}</span>
          <textarea
            data-testid="kb-body"
            spellcheck
            value={e.fields.body}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ body: ev.currentTarget.value })}
          />
        </label>
        <section class="kb-preview-pane" aria-label={tk('editor.preview')} aria-busy={preview.loading}>
          <span class="kb-preview-label">
            {tk('editor.preview')}
            {preview.loading ? ' …' : ''}
          </span>
          {preview.error && (
            <div class="inline-error" role="alert">
              {tk('editor.previewFailed', { reason: preview.error })}
            </div>
          )}
          {/* The server's rendering of the Markdown, sanitized as on the public page. */}
          <div class="kb-preview" data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: preview.html }} />
        </section>
      </div>

      {t && <History kb={kb} />}
    </div>
  );
}

function History({ kb }: { kb: KbStore }) {
  const list = kb.revisions.value;
  const busy = kb.editor.value?.busy !== null;
  const restore = (r: KbRevisionView) => {
    const question = kb.dirty.value ? tk('editor.replaceQ', { n: r.revision }) : tk('editor.restoreQ', { n: r.revision });
    if (confirm(question)) void kb.restore(r.revision);
  };
  return (
    <details class="kb-card kb-history" data-testid="kb-history">
      <summary>
        {tk('editor.history')}
        {list ? ` (${list.length})` : ''}
      </summary>
      {list === null ? (
        <p class="muted">{tk('loading')}</p>
      ) : (
        <ol class="kb-revisions">
          {list.map((r, i) => (
            <li key={r.revision} data-testid="kb-revision" data-revision={r.revision}>
              <span class="kb-rev-no">#{r.revision}</span>
              <span>{actionText(r.action)}</span>
              <time class="muted" dateTime={r.at}>
                {whenText(r.at)}
              </time>
              <span class="kb-rev-title">{r.title}</span>
              {i > 0 && (
                <button class="btn btn-small" data-testid="kb-restore" disabled={busy} onClick={() => restore(r)}>
                  {tk('editor.restore')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
