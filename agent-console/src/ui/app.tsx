import type { ExtraApi } from '../api.js';
import type { ConsoleStore } from '../console-store.js';
import type { TicketStore } from '../tickets.js';
import { ApiContext, CHANNELS_ROUTE, inviteToken, isAdminRoute, isKbRoute, REPORTS_ROUTE, route, searchOpen, StoreContext, TicketContext, useStore } from './context.js';
import { t } from '../i18n/core.js';
import { lazyView } from './lazy.js';
import { Login } from './login.js';
import { Sidebar } from './sidebar.js';
import { ThreadView } from './thread-view.js';

const ChannelsView = lazyView(() => import('./channels-view.js').then((m) => m.ChannelsView));
const KbView = lazyView(() => import('./kb/kb-view.js').then((m) => m.KbView));
const SearchView = lazyView(() => import('./search-view.js').then((m) => m.SearchView));
const AdminView = lazyView(() => import('./admin/admin-view.js').then((m) => m.AdminView));
const ReportsView = lazyView(() => import('./reports/reports-view.js').then((m) => m.ReportsView));
const InviteView = lazyView(() => import('./invite-view.js').then((m) => m.InviteView));

function Toast() {
  const store = useStore();
  const notice = store.notice.value;
  if (!notice) return null;
  return (
    <div class={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button class="icon-btn" aria-label={t('app.dismiss')} onClick={() => store.dismissNotice()}>
        ×
      </button>
    </div>
  );
}

function Shell() {
  const store = useStore();
  const channels = route.value === CHANNELS_ROUTE && store.agent.value?.role === 'admin';
  const kb = isKbRoute(route.value);
  const admin = isAdminRoute(route.value);
  const reports = route.value === REPORTS_ROUTE;
  return (
    <div class="app" data-view={store.selectedId.value || channels || kb || admin || reports ? 'thread' : 'list'}>
      <Sidebar />
      <main class="pane">{channels ? <ChannelsView /> : kb ? <KbView /> : admin ? <AdminView /> : reports ? <ReportsView /> : <ThreadView />}</main>
      <Toast />
      {searchOpen.value && (
        <div class="search-layer">
          <SearchView />
        </div>
      )}
    </div>
  );
}

export function App({ store, api, tickets }: { store: ConsoleStore; api: ExtraApi; tickets: TicketStore }) {
  return (
    <StoreContext.Provider value={store}>
      <ApiContext.Provider value={api}>
        <TicketContext.Provider value={tickets}>{inviteToken(route.value) ? <InviteView /> : store.session.value ? <Shell /> : <Login />}</TicketContext.Provider>
      </ApiContext.Provider>
    </StoreContext.Provider>
  );
}
