import { useEffect } from 'preact/hooks';
import type { KbArticleStatus } from '@switchboard/contracts';
import { categoryName, countText, localeBadges, statusText, votesText, whenText } from '../../kb/article-list.js';
import { t } from '../../i18n/kb.js';
import type { KbStore } from '../../kb/kb-store.js';
import { localeName } from '../../kb/locales.js';
import { kbHref } from '../../kb/routes.js';

/** The articles, filtered by locale, status and category: one row per translation. */
export function ArticleListView({ kb }: { kb: KbStore }) {
  const filter = kb.filter.value;
  const list = kb.articles.value;
  const categories = kb.categories.value ?? [];
  const locales = kb.locales.value;
  const shownLocale = filter.locale || kb.defaultLocale.value;

  useEffect(() => {
    void kb.loadArticles();
  }, [kb]);

  return (
    <div class="kb-body">
      <div class="kb-toolbar">
        <select class="select" aria-label={t('list.language')} data-testid="kb-filter-locale" value={filter.locale} onChange={(e) => kb.setFilter({ locale: e.currentTarget.value })}>
          <option value="">{t('list.allLanguages')}</option>
          {locales.map((l) => (
            <option key={l} value={l}>
              {localeName(l)}
            </option>
          ))}
        </select>
        <select
          class="select"
          aria-label={t('list.status')}
          data-testid="kb-filter-status"
          value={filter.status}
          onChange={(e) => kb.setFilter({ status: e.currentTarget.value as '' | KbArticleStatus })}
        >
          <option value="">{t('list.anyStatus')}</option>
          <option value="draft">{t('status.draft')}</option>
          <option value="published">{t('status.published')}</option>
        </select>
        <select class="select" aria-label={t('list.category')} data-testid="kb-filter-category" value={filter.categoryId} onChange={(e) => kb.setFilter({ categoryId: e.currentTarget.value })}>
          <option value="">{t('list.allCategories')}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {categoryName(c, shownLocale, kb.defaultLocale.value)}
            </option>
          ))}
        </select>
        <a class="btn btn-primary kb-new" href={kbHref.newArticle(shownLocale)} data-testid="kb-new-article">
          {t('list.new')}
        </a>
      </div>
      {kb.listError.value && (
        <div class="inline-error" role="alert">
          <span>{t('list.failed', { reason: kb.listError.value })}</span>
          <button class="btn btn-small" onClick={() => void kb.loadArticles()}>
            {t('retry')}
          </button>
        </div>
      )}
      {list === null ? (
        !kb.listError.value && <p class="muted">{t('loading')}</p>
      ) : list.length === 0 ? (
        <div class="empty-list">
          <p class="empty-title">{filter.locale || filter.status || filter.categoryId ? t('list.noneMatch') : t('list.none')}</p>
          <p class="empty-hint">{t('list.hint')}</p>
        </div>
      ) : (
        <>
          <ul class="kb-list" aria-label={t('list.label')} aria-busy={kb.listLoading.value}>
            {list.map((a) => {
              const category = categories.find((c) => c.id === a.categoryId);
              const votes = votesText(a.votes);
              return (
                <li key={`${a.id}:${a.locale}`}>
                  <a class="kb-row" href={kbHref.article(a.id, a.locale)} data-testid="kb-article-row" data-id={a.id} data-status={a.status}>
                    <span class="kb-row-title">{a.title}</span>
                    <span class="kb-row-meta">
                      <span class={`kb-status kb-status-${a.status}`}>{statusText(a.status)}</span>
                      {a.hasUnpublishedChanges && a.status === 'published' && (
                        <span class="kb-pending" data-testid="kb-unpublished-marker">
                          {t('list.unpublished')}
                        </span>
                      )}
                      {localeBadges(a, locales).map((b) => (
                        <span key={b.locale} class={`kb-locale${b.present ? '' : ' kb-locale-missing'}`} title={b.present ? localeName(b.locale) : t('list.notTranslated', { name: localeName(b.locale) })}>
                          {b.locale}
                        </span>
                      ))}
                      {category && <span class="tag-muted">{categoryName(category, a.locale, kb.defaultLocale.value)}</span>}
                      {votes && <span class="kb-votes">{votes}</span>}
                      <time class="kb-time" dateTime={a.updatedAt}>
                        {whenText(a.updatedAt)}
                      </time>
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
          <div class="kb-count muted">
            {countText(list.length, kb.total.value)}
            {list.length < kb.total.value && (
              <button class="btn btn-ghost btn-small" disabled={kb.listLoading.value} onClick={() => void kb.loadArticles(true)}>
                {kb.listLoading.value ? t('loading') : t('list.more')}
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
