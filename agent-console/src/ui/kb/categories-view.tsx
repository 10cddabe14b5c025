import { useSignal } from '@preact/signals';
import type { KbCategoryView } from '@switchboard/contracts';
import { suggestSlug } from '../../kb/article-list.js';
import { NEW_CATEGORY, type KbStore } from '../../kb/kb-store.js';
import { localeName } from '../../kb/locales.js';
import { t } from '../../i18n/kb.js';

/** Categories: create one, name it in each locale, delete an empty one. */
export function CategoriesView({ kb }: { kb: KbStore }) {
  const list = kb.categories.value;
  const locales = kb.locales.value.length ? kb.locales.value : [kb.defaultLocale.value];
  return (
    <div class="kb-body">
      <CreateCategory kb={kb} />
      {kb.categoriesError.value && (
        <div class="inline-error" role="alert">
          <span>{t('cat.failed', { reason: kb.categoriesError.value })}</span>
          <button class="btn btn-small" onClick={() => void kb.loadCategories()}>
            {t('retry')}
          </button>
        </div>
      )}
      {list === null ? (
        !kb.categoriesError.value && <p class="muted">{t('loading')}</p>
      ) : list.length === 0 ? (
        <p class="muted">{t('cat.none')}</p>
      ) : (
        <ul class="kb-categories" aria-label={t('tab.categories')}>
          {list.map((c) => (
            <CategoryItem key={c.id} kb={kb} category={c} locales={locales} />
          ))}
        </ul>
      )}
    </div>
  );
}

function CreateCategory({ kb }: { kb: KbStore }) {
  const name = useSignal('');
  const slug = useSignal('');
  const slugTouched = useSignal(false);
  const busy = useSignal(false);
  const locale = kb.defaultLocale.value;
  const error = kb.categoryErrors.value[NEW_CATEGORY];
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy.value || !name.value.trim() || !slug.value.trim()) return;
    busy.value = true;
    if (await kb.createCategory({ name: name.value, slug: slug.value, locale })) {
      name.value = '';
      slug.value = '';
      slugTouched.value = false;
    }
    busy.value = false;
  };
  return (
    <form class="kb-card kb-category-new" onSubmit={submit}>
      <h2>{t('cat.new')}</h2>
      <div class="kb-inline">
        <input
          class="input"
          aria-label={t('cat.name', { name: localeName(locale) })}
          placeholder={t('cat.name', { name: localeName(locale) })}
          data-testid="kb-category-name"
          maxLength={120}
          value={name.value}
          onInput={(e) => {
            name.value = e.currentTarget.value;
            if (!slugTouched.value) slug.value = suggestSlug(name.value);
          }}
        />
        <input
          class="input"
          aria-label={t('cat.slug')}
          placeholder="slug-in-the-url"
          data-testid="kb-category-slug"
          maxLength={120}
          value={slug.value}
          onInput={(e) => {
            slug.value = e.currentTarget.value;
            slugTouched.value = true;
          }}
        />
        <button class="btn" type="submit" data-testid="kb-category-create" disabled={busy.value || !name.value.trim() || !slug.value.trim()}>
          {busy.value ? t('cat.creating') : t('cat.create')}
        </button>
      </div>
      {error && (
        <div class="inline-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}

function CategoryItem({ kb, category, locales }: { kb: KbStore; category: KbCategoryView; locales: readonly string[] }) {
  const busy = useSignal(false);
  const error = kb.categoryErrors.value[category.id];
  const remove = async () => {
    if (busy.value || !confirm(t('cat.deleteQ', { slug: category.slug }))) return;
    busy.value = true;
    await kb.deleteCategory(category.id);
    busy.value = false;
  };
  return (
    <li class="kb-card" data-testid="kb-category" data-id={category.id}>
      <div class="kb-inline">
        <code class="kb-slug">{category.slug}</code>
        <span class="muted">
          {t('articles', { count: category.articleCount })}
        </span>
        <button class="btn btn-small kb-danger" data-testid="kb-category-delete" disabled={busy.value} onClick={() => void remove()}>
          {t('cat.delete')}
        </button>
      </div>
      {locales.map((l) => (
        <CategoryName key={l} kb={kb} category={category} locale={l} />
      ))}
      {error && (
        <div class="inline-error" role="alert" data-testid="kb-category-error">
          {error}
        </div>
      )}
    </li>
  );
}

/** The category's name in one locale, renamed on Enter or Save. */
function CategoryName({ kb, category, locale }: { kb: KbStore; category: KbCategoryView; locale: string }) {
  const held = category.translations[locale]?.name ?? '';
  const value = useSignal(held);
  const busy = useSignal(false);
  const changed = value.value.trim() !== held && value.value.trim() !== '';
  const save = async (e: Event) => {
    e.preventDefault();
    if (!changed || busy.value) return;
    busy.value = true;
    await kb.renameCategory(category.id, locale, value.value);
    busy.value = false;
  };
  return (
    <form class="kb-inline kb-category-name" onSubmit={save}>
      <label class="kb-locale" title={localeName(locale)} for={`cat-${category.id}-${locale}`}>
        {locale}
      </label>
      <input
        id={`cat-${category.id}-${locale}`}
        class="input"
        data-testid="kb-category-rename"
        data-locale={locale}
        placeholder={held ? undefined : t('cat.nameIn', { name: localeName(locale) })}
        maxLength={120}
        value={value.value}
        onInput={(e) => (value.value = e.currentTarget.value)}
      />
      <button class="btn btn-small" type="submit" disabled={!changed || busy.value}>
        {busy.value ? t('editor.saving') : t('cat.save')}
      </button>
    </form>
  );
}
