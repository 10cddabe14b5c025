import { LIST_SORTS, SORT_LABELS, STATUS_FILTERS, type ListSort, type StatusFilter } from '../conversations.js';
import type { ConnectionState } from '../realtime.js';
import { Avatar } from './avatar.js';
import { ADMIN_ROUTE, CHANNELS_ROUTE, isAdminRoute, isKbRoute, KB_ROUTE, route, searchOpen, useStore } from './context.js';
import { ConversationList } from './conversation-list.js';
import { PresenceMenu } from './presence-menu.js';
import { ViewsNav } from './views-nav.js';
import { IconBook, IconChannels, IconLogout, IconSearch, IconShield, Logo } from './icons.js';

const STATUS_LABEL: Record<StatusFilter, string> = { open: 'Open', pending: 'Pending', snoozed: 'Snoozed', resolved: 'Resolved', all: 'All' };
const CONNECTION_LABEL: Record<ConnectionState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};
const CONNECTION_HINT: Record<ConnectionState, string> = {
  live: 'Connected: new messages appear as they arrive.',
  connecting: 'Connecting to Switchboard…',
  reconnecting: 'Connection lost. Reconnecting; anything missed will be fetched.',
  offline: 'Not connected. The console keeps trying; anything missed will be fetched.',
};

export function ConnectionPill() {
  const state = useStore().connection.value;
  return (
    <span class={`pill pill-${state}`} data-testid="connection" data-state={state} title={CONNECTION_HINT[state]} role="status">
      <span class="pill-dot" aria-hidden="true" />
      {CONNECTION_LABEL[state]}
    </span>
  );
}

function Filters() {
  const store = useStore();
  const filter = store.filter.value;
  return (
    <div class="filters">
      <div class="tabs" role="tablist" aria-label="Conversation status">
        {STATUS_FILTERS.map((s) => (
          <button
            key={s}
            role="tab"
            class="tab"
            aria-selected={filter.status === s}
            data-testid={`filter-status-${s}`}
            onClick={() => store.setFilter({ status: s })}
          >
            {STATUS_LABEL[s]}
          </button>
        ))}
      </div>
      <label class="sort">
        <span>Sort</span>
        <select class="select" data-testid="sort" value={filter.sort ?? 'newest'} onChange={(e) => store.setFilter({ sort: e.currentTarget.value as ListSort })}>
          {LIST_SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Account() {
  const store = useStore();
  const agent = store.agent.value;
  if (!agent) return null;
  return (
    <footer class="account">
      <PresenceMenu>
        <Avatar id={agent.id} name={agent.name} small />
      </PresenceMenu>
      <div class="account-who">
        <span class="account-name">{agent.name}</span>
        <span class="account-role">{agent.role}</span>
      </div>
      <a
        class={`icon-btn${isKbRoute(route.value) ? ' icon-btn-active' : ''}`}
        href={KB_ROUTE}
        title="Knowledge base"
        aria-label="Knowledge base"
        data-testid="kb-link"
        aria-current={isKbRoute(route.value) ? 'page' : undefined}
      >
        <IconBook size={18} />
      </a>
      {agent.role === 'admin' && (
        <a
          class={`icon-btn${route.value === CHANNELS_ROUTE ? ' icon-btn-active' : ''}`}
          href={CHANNELS_ROUTE}
          title="Channels"
          aria-label="Channels"
          data-testid="channels-link"
          aria-current={route.value === CHANNELS_ROUTE ? 'page' : undefined}
        >
          <IconChannels size={18} />
        </a>
      )}
      {agent.role === 'admin' && (
        <a
          class={`icon-btn${isAdminRoute(route.value) ? ' icon-btn-active' : ''}`}
          href={ADMIN_ROUTE}
          title="Administration"
          aria-label="Administration"
          data-testid="admin-link"
          aria-current={isAdminRoute(route.value) ? 'page' : undefined}
        >
          <IconShield size={18} />
        </a>
      )}
      <button class="icon-btn" title="Sign out" aria-label="Sign out" onClick={() => store.signOut()}>
        <IconLogout size={18} />
      </button>
    </footer>
  );
}

export function Sidebar() {
  return (
    <aside class="sidebar" aria-label="Conversations">
      <header class="sidebar-head">
        <div class="brand">
          <Logo size={26} />
          <span>Switchboard</span>
        </div>
        <ConnectionPill />
        <button class="icon-btn" type="button" title="Search (/)" aria-label="Search" aria-keyshortcuts="/" data-testid="search-button" onClick={() => (searchOpen.value = true)}>
          <IconSearch size={18} />
        </button>
      </header>
      <ViewsNav />
      <Filters />
      <ConversationList />
      <Account />
    </aside>
  );
}
