import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ADMIN_ROUTE, CHANNELS_ROUTE, route, useStore } from '../context.js';
import { IconBack } from '../icons.js';
import { addAdminStyles } from './admin-styles.js';

/**
 * Administration (#/admin, #/admin/<tab>): a chunk of its own, and each tab another, fetched when
 * first opened. Inboxes and the widget stay on the Channels screen, linked from here. Non-admins
 * who open it are told so; the server refuses their changes anyway.
 */

export interface AdminTab {
  /** In the URL: #/admin/<id>. */
  id: string;
  label: string;
  /** The tab's screen, imported on first use so each tab is a chunk of its own. */
  load: () => Promise<ComponentType>;
}

/** The tabs in order. Add one with an entry here and a file beside this one. */
export const TABS: AdminTab[] = [
  { id: 'agents', label: 'Agents', load: () => import('./agents-tab.js').then((m) => m.AgentsTab) },
  { id: 'teams', label: 'Teams', load: () => import('./teams-tab.js').then((m) => m.TeamsTab) },
  { id: 'hours', label: 'Business hours & SLA', load: () => import('./hours-tab.js').then((m) => m.HoursTab) },
  { id: 'fields', label: 'Ticket fields', load: () => import('./fields-tab.js').then((m) => m.FieldsTab) },
  { id: 'crm', label: 'CRM', load: () => import('./crm-tab.js').then((m) => m.CrmTab) },
  { id: 'webhooks', label: 'Webhooks', load: () => import('./webhooks-tab.js').then((m) => m.WebhooksTab) },
  { id: 'api-keys', label: 'API keys', load: () => import('./api-keys-tab.js').then((m) => m.ApiKeysTab) },
  { id: 'canned', label: 'Canned responses', load: () => import('./canned-admin.js').then((m) => m.CannedAdmin) },
];

export function AdminView() {
  addAdminStyles();
  const store = useStore();
  const id = /^#\/admin\/([\w-]+)/.exec(route.value)?.[1];
  const tab = TABS.find((t) => t.id === id) ?? TABS[0]!;
  return (
    <section class="channels admin" aria-labelledby="admin-title">
      <header class="thread-head channels-head">
        <a class="icon-btn back" href="#" aria-label="Back to conversations">
          <IconBack size={20} />
        </a>
        <h1 id="admin-title">Administration</h1>
      </header>
      {store.agent.value?.role !== 'admin' ? (
        <p class="channels-body" data-testid="admin-denied">
          Only admins can change these settings.
        </p>
      ) : (
        <>
          <nav class="admin-tabs" aria-label="Administration">
            {TABS.map((t) => (
              <a key={t.id} href={`${ADMIN_ROUTE}/${t.id}`} aria-current={t === tab ? 'page' : undefined} data-testid={`admin-tab-${t.id}`}>
                {t.label}
              </a>
            ))}
            <a href={CHANNELS_ROUTE}>Inboxes & widget ↗</a>
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
      (v) => {
        loaded.set(tab.id, v);
        setView(() => v);
      },
      () => setError(true),
    );
  }, [attempt]);
  if (View) return <View />;
  return error ? (
    <div class="inline-error" role="alert">
      <span>This part of the console could not be loaded. Check your connection.</span>
      <button class="btn btn-small" onClick={() => setAttempt(attempt + 1)}>
        Retry
      </button>
    </div>
  ) : (
    <p class="muted">Loading…</p>
  );
}
