import { useEffect } from 'preact/hooks';
import type { KbRevisionView } from '@switchboard/contracts';
import { categoryName, STATUS_TEXT, whenText } from '../../kb/article-list.js';
import { CONFLICT_TEXT, translationOf } from '../../kb/draft.js';
import type { KbStore } from '../../kb/kb-store.js';
import { addableLocales, localeName } from '../../kb/locales.js';
import { kbHref, type KbRoute } from '../../kb/routes.js';
import { route } from '../context.js';

type EditorPlace = Extract<KbRoute, { view: 'new' | 'article' }>;

const ACTION_TEXT: Record<KbRevisionView['action'], string> = { save: 'Saved', publish: 'Published', unpublish: 'Unpublished', restore: 'Restored' };
const LEAVE_TEXT = 'Leave without saving your changes?';

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
  if (!e || !shown || (e.phase === 'loading' && !e.article)) return <p class="muted kb-body">Loading…</p>;
  if (e.phase === 'error') {
    return (
      <div class="kb-body">
        <div class="inline-error" role="alert" data-testid="kb-error">
          <span>Couldn’t open the article. {e.error}</span>
          <a class="btn btn-small" href={kbHref.articles}>
            Back to articles
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
    if (kb.dirty.value && !confirm(LEAVE_TEXT)) ev.preventDefault();
  };
  const locales = [...new Set([...kb.locales.value, ...(e.article?.translations.map((x) => x.locale) ?? []), locale])];

  return (
    <div class="kb-body kb-editor" data-testid="kb-editor">
      <div class="kb-toolbar">
        <a class="btn btn-ghost btn-small" href={kbHref.articles} onClick={leave} data-testid="kb-back">
          ← Articles
        </a>
        {e.article ? (
          <nav class="kb-locales" aria-label="Translations">
            {locales.map((l) => {
              const has = !!translationOf(e.article, l);
              return (
                <a
                  key={l}
                  class={`kb-locale${has ? '' : ' kb-locale-missing'}`}
                  href={kbHref.article(e.article!.id, l)}
                  aria-current={l === locale ? 'page' : undefined}
                  title={has ? localeName(l) : `Add the ${localeName(l)} translation`}
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
              aria-label="Add a translation"
              data-testid="kb-add-locale"
              value=""
              onChange={(ev) => {
                const l = ev.currentTarget.value;
                ev.currentTarget.value = '';
                if (l && (!kb.dirty.value || confirm(LEAVE_TEXT))) location.hash = kbHref.article(e.article!.id, l);
              }}
            >
              <option value="">+ Translation…</option>
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
          {t ? STATUS_TEXT[t.status] : 'Not saved yet'}
        </span>
        {t?.status === 'published' && t.hasUnpublishedChanges && (
          <span class="kb-pending" data-testid="kb-unpublished-marker">
            Unpublished changes
          </span>
        )}
        <span class="muted kb-saved" role="status" data-testid="kb-dirty" data-dirty={dirty}>
          {e.busy === 'save' ? 'Saving…' : dirty ? 'Unsaved changes' : t ? 'All changes saved' : ''}
        </span>
        <span class="kb-actions">
          {t?.url && (
            <a class="btn btn-ghost btn-small" href={t.url} target="_blank" rel="noopener noreferrer" data-testid="kb-public-link">
              View public page ↗
            </a>
          )}
          {t?.status === 'published' && (
            <button class="btn btn-small" data-testid="kb-unpublish" disabled={busy} onClick={() => void kb.unpublish()}>
              {e.busy === 'unpublish' ? 'Unpublishing…' : 'Unpublish'}
            </button>
          )}
          <button class="btn btn-small" data-testid="kb-save" disabled={busy || (!dirty && !!t)} title="Save draft (Ctrl+S)" onClick={() => void run(() => kb.save())}>
            Save draft
          </button>
          <button
            class="btn btn-primary btn-small"
            data-testid="kb-publish"
            disabled={busy || (t?.status === 'published' && !t.hasUnpublishedChanges && !dirty)}
            onClick={() => void run(() => kb.publish())}
          >
            {e.busy === 'publish' ? 'Publishing…' : t?.status === 'published' ? 'Publish changes' : 'Publish'}
          </button>
        </span>
      </div>

      {e.conflict && (
        <div class="inline-error" role="alert" data-testid="kb-conflict">
          <span>{CONFLICT_TEXT}</span>
          <button class="btn btn-small" data-testid="kb-reload" disabled={busy} onClick={() => void kb.reload()}>
            Reload
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
          There is no {localeName(locale)} translation yet. This is a copy of the {localeName(e.copiedFrom)} text as a starting point: translate it and
          save.
        </p>
      )}

      <div class="kb-fields">
        <label class="kb-field kb-field-wide">
          <span>Title</span>
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
          <span>Slug</span>
          <input
            class="input"
            data-testid="kb-slug"
            maxLength={120}
            placeholder="made from the title"
            value={e.fields.slug}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ slug: ev.currentTarget.value })}
          />
        </label>
        <label class="kb-field">
          <span>Category</span>
          <select class="select" data-testid="kb-article-category" value={categoryId ?? ''} disabled={busy} onChange={(ev) => void kb.setCategory(ev.currentTarget.value || null)}>
            <option value="">No category</option>
            {(kb.categories.value ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c, locale, kb.defaultLocale.value)}
              </option>
            ))}
          </select>
        </label>
        <label class="kb-field kb-field-wide">
          <span>Description</span>
          <input
            class="input"
            data-testid="kb-description"
            maxLength={300}
            placeholder="Shown under the title in lists and search results; made from the text when empty"
            value={e.fields.description}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ description: ev.currentTarget.value })}
          />
        </label>
      </div>

      <div class="kb-split">
        <label class="kb-field kb-source">
          <span>Text (Markdown)</span>
          <textarea
            data-testid="kb-body"
            spellcheck
            value={e.fields.body}
            disabled={e.phase !== 'ready'}
            onInput={(ev) => kb.edit({ body: ev.currentTarget.value })}
          />
        </label>
        <section class="kb-preview-pane" aria-label="Preview" aria-busy={preview.loading}>
          <span class="kb-preview-label">Preview{preview.loading ? ' …' : ''}</span>
          {preview.error && (
            <div class="inline-error" role="alert">
              Couldn’t render the preview. {preview.error}
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
    const question = kb.dirty.value ? `Replace your unsaved changes with revision ${r.revision}?` : `Make revision ${r.revision} the draft?`;
    if (confirm(question)) void kb.restore(r.revision);
  };
  return (
    <details class="kb-card kb-history" data-testid="kb-history">
      <summary>History{list ? ` (${list.length})` : ''}</summary>
      {list === null ? (
        <p class="muted">Loading…</p>
      ) : (
        <ol class="kb-revisions">
          {list.map((r, i) => (
            <li key={r.revision} data-testid="kb-revision" data-revision={r.revision}>
              <span class="kb-rev-no">#{r.revision}</span>
              <span>{ACTION_TEXT[r.action]}</span>
              <time class="muted" dateTime={r.at}>
                {whenText(r.at)}
              </time>
              <span class="kb-rev-title">{r.title}</span>
              {i > 0 && (
                <button class="btn btn-small" data-testid="kb-restore" disabled={busy} onClick={() => restore(r)}>
                  Restore
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
