import { useEffect, useMemo } from 'preact/hooks';
import type { ExtraApi } from '../../api.js';
import { kbApi } from '../../kb/kb-api.js';
import { KbStore } from '../../kb/kb-store.js';
import { kbHref, parseKbRoute } from '../../kb/routes.js';
import { route, useApi, useStore } from '../context.js';
import { IconBack } from '../icons.js';
import { t } from '../../i18n/kb.js';
import { ArticleListView } from './article-list-view.js';
import { CategoriesView } from './categories-view.js';
import { EditorView } from './editor-view.js';
import { SettingsView } from './settings-view.js';

/**
 * The knowledge base authoring screens (#/kb…): articles, categories, the editor and the help
 * center settings. This module
 * is the entry of a chunk of its own, fetched the first time an agent opens the knowledge base.
 */

const stores = new WeakMap<ExtraApi, { agentId: string | null; kb: KbStore }>();
/**
 * One store per API client and signed-in agent: the list, its filters and the editor survive
 * moving between screens, and nothing of one agent's session is shown to the next.
 */
function storeFor(api: ExtraApi, agentId: string | null): KbStore {
  const held = stores.get(api);
  if (held?.agentId === agentId) return held.kb;
  const kb = new KbStore(kbApi(api));
  stores.set(api, { agentId, kb });
  return kb;
}

export function KbView() {
  const api = useApi();
  const agentId = useStore().agent.value?.id ?? null;
  const kb = useMemo(() => storeFor(api, agentId), [api, agentId]);
  const place = parseKbRoute(route.value) ?? { view: 'articles' as const };

  useEffect(() => {
    void kb.start();
  }, [kb]);

  const tab = (href: string, id: 'articles' | 'categories' | 'settings', current: boolean) => (
    <a class="tab" href={href} aria-current={current ? 'page' : undefined} data-testid={`kb-tab-${id}`}>
      {t(`tab.${id}`)}
    </a>
  );

  return (
    <section class="kb" aria-label={t('title')} data-testid="kb">
      <header class="thread-head kb-head">
        <a class="icon-btn back" href="#" aria-label={t('back')}>
          <IconBack size={20} />
        </a>
        <h1>{t('title')}</h1>
        <nav class="tabs kb-tabs" aria-label={t('title')}>
          {tab(kbHref.articles, 'articles', place.view !== 'categories' && place.view !== 'settings')}
          {tab(kbHref.categories, 'categories', place.view === 'categories')}
          {tab(kbHref.settings, 'settings', place.view === 'settings')}
        </nav>
        {kb.settings.value && (
          <a class="btn btn-ghost btn-small" href={kb.settings.value.publicUrl} target="_blank" rel="noopener noreferrer">
            {t('helpCenter')}
          </a>
        )}
      </header>
      {kb.settingsError.value && (
        <div class="inline-error" role="alert">
          {t('settingsFailed', { reason: kb.settingsError.value })}
        </div>
      )}
      {place.view === 'settings' ? (
        <SettingsView kb={kb} />
      ) : place.view === 'categories' ? (
        <CategoriesView kb={kb} />
      ) : place.view === 'articles' ? (
        <ArticleListView kb={kb} />
      ) : (
        <EditorView kb={kb} place={place} />
      )}
    </section>
  );
}
