import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ADMIN_ROUTE, CHANNELS_ROUTE, route, useStore } from '../context.js';
import { IconBack } from '../icons.js';
import { addAdminStyles } from './admin-styles.js';
import { en, t as tr } from '../../i18n/admin.js';

/**
 * Administration (#/admin, #/admin/<tab>): a chunk of its own, and each tab another, fetched when
 * first opened. Inboxes and the widget stay on the Channels screen, linked from here. Non-admins
 * who open it are told so; the server refuses their changes anyway.
 */

/** Ids with a name: each `tab.<id>` message of i18n/admin.ts (a tab without one is a type error). */
type TabId = { [K in keyof typeof en]: K extends `tab.${infer I}` ? I : never }[keyof typeof en];

export interface AdminTab {
  /** In the URL: #/admin/<id>. */
  id: TabId;
  /** The tab's module (its screen is the default export), imported on first use so each tab is a chunk of its own. */
  load: () => Promise<{ default: ComponentType }>;
}

/** The tabs in order. Add one with an entry here, a file beside this one and its `tab.<id>` message. */
export const TABS: AdminTab[] = [
  { id: 'agents', load: () => import('./agents-tab.js') },
  { id: 'teams', load: () => import('./teams-tab.js') },
  { id: 'hours', load: () => import('./hours-tab.js') },
  { id: 'fields', load: () => import('./fields-tab.js') },
  { id: 'crm', load: () => import('./crm-tab.js') },
  { id: 'webhooks', load: () => import('./webhooks-tab.js') },
  { id: 'api-keys', load: () => import('./api-keys-tab.js') },
  { id: 'canned', load: () => import('./canned-admin.js') },
  { id: 'rules', load: () => import('../automation/rules-tab.js') },
  { id: 'macros', load: () => import('../automation/macros-tab.js') },
  { id: 'dead-letters', load: () => import('./dead-letters-tab.js') },
  { id: 'audit', load: () => import('./audit-log.js') },
];

/** A tab's name in the console's language. */
const tabLabel = (tab: AdminTab): string => tr(`tab.${tab.id}`);

export function AdminView() {
  addAdminStyles();
  const store = useStore();
  const id = /^#\/admin\/([\w-]+)/.exec(route.value)?.[1];
  const tab = TABS.find((t) => t.id === id) ?? TABS[0]!;
  return (
    <section class="channels admin" aria-labelledby="admin-title">
      <header class="thread-head channels-head">
        <a class="icon-btn back" href="#" aria-label={tr('back')}>
          <IconBack size={20} />
        </a>
        <h1 id="admin-title">{tr('title')}</h1>
      </header>
      {store.agent.value?.role !== 'admin' ? (
        <p class="channels-body" data-testid="admin-denied">
          {tr('denied')}
        </p>
      ) : (
        <>
          <nav class="admin-tabs" aria-label={tr('title')}>
            {TABS.map((t) => (
              <a key={t.id} href={`${ADMIN_ROUTE}/${t.id}`} aria-current={t === tab ? 'page' : undefined} data-testid={`admin-tab-${t.id}`}>
                {tabLabel(t)}
              </a>
            ))}
            <a href={CHANNELS_ROUTE}>{tr('inboxesLink')}</a>
          </nav>
          <div class="channels-body admin-body">
            <TabBody key={tab.id} tab={tab} />
          </div>
        </>
      )}
    </section>
  );
}

const loaded = new Map<string, ComponentType>();

function TabBody({ tab }: { tab: AdminTab }) {
  const [View, setView] = useState<ComponentType | null>(() => loaded.get(tab.id) ?? null);
  const [error, setError] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (View) return;
    setError(false);
    tab.load().then(
      ({ default: v }) => {
        loaded.set(tab.id, v);
        setView(() => v);
      },
      () => setError(true),
    );
  }, [attempt]);
  if (View) return <View />;
  return error ? (
    <div class="inline-error" role="alert">
      <span>{tr('loadFailed')}</span>
      <button class="btn btn-small" onClick={() => setAttempt(attempt + 1)}>
        {tr('retry')}
      </button>
    </div>
  ) : (
    <p class="muted">{tr('loading')}</p>
  );
}
