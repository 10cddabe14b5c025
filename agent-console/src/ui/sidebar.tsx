import { LIST_SORTS, STATUS_FILTERS, type ListSort } from '../conversations.js';
import { t } from '../i18n/core.js';
import type { ConnectionState } from '../realtime.js';
import { Avatar } from './avatar.js';
import { ADMIN_ROUTE, CHANNELS_ROUTE, isAdminRoute, isKbRoute, KB_ROUTE, REPORTS_ROUTE, route, searchOpen, useStore } from './context.js';
import { ConversationList } from './conversation-list.js';
import { LanguageMenu } from './language-menu.js';
import { PresenceMenu } from './presence-menu.js';
import { ViewsNav } from './views-nav.js';
import { IconBook, IconChannels, IconChart, IconLogout, IconSearch, IconShield, Logo } from './icons.js';

export function ConnectionPill() {
  const state: ConnectionState = useStore().connection.value;
  return (
    <span class={`pill pill-${state}`} data-testid="connection" data-state={state} title={t(`conn.hint.${state}`)} role="status">
      <span class="pill-dot" aria-hidden="true" />
      {t(`conn.${state}`)}
    </span>
  );
}

function Filters() {
  const store = useStore();
  const filter = store.filter.value;
  return (
    <div class="filters">
      <div class="tabs" role="tablist" aria-label={t('filters.status')}>
        {STATUS_FILTERS.map((s) => (
          <button
            key={s}
            role="tab"
            class="tab"
            aria-selected={filter.status === s}
            data-testid={`filter-status-${s}`}
            onClick={() => store.setFilter({ status: s })}
          >
            {t(`status.${s}`)}
          </button>
        ))}
      </div>
      <label class="sort">
        <span>{t('filters.sort')}</span>
        <select class="select" data-testid="sort" value={filter.sort ?? 'newest'} onChange={(e) => store.setFilter({ sort: e.currentTarget.value as ListSort })}>
          {LIST_SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`sort.${s}`)}
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
        <span class="account-role">{t(`role.${agent.role}`)}</span>
      </div>
      <LanguageMenu />
      {/* One unit: when the row is too narrow for the name (an admin has five links) it moves to a row of its own. */}
      <nav class="account-links" aria-label={t('nav.label')}>
        <NavLink href={KB_ROUTE} active={isKbRoute(route.value)} label={t('nav.kb')} testId="kb-link" icon={IconBook} />
        {agent.role === 'admin' && <NavLink href={CHANNELS_ROUTE} active={route.value === CHANNELS_ROUTE} label={t('nav.channels')} testId="channels-link" icon={IconChannels} />}
        {agent.role === 'admin' && <NavLink href={ADMIN_ROUTE} active={isAdminRoute(route.value)} label={t('nav.admin')} testId="admin-link" icon={IconShield} />}
        {agent.role !== 'agent' && <NavLink href={REPORTS_ROUTE} active={route.value === REPORTS_ROUTE} label={t('nav.reports')} testId="reports-link" icon={IconChart} />}
        <button class="icon-btn" title={t('nav.signOut')} aria-label={t('nav.signOut')} onClick={() => store.signOut()}>
          <IconLogout size={18} />
        </button>
      </nav>
    </footer>
  );
}

/** An icon link of the account row; `active` marks the screen shown. */
function NavLink(p: { href: string; active: boolean; label: string; testId: string; icon: typeof IconBook }) {
  const Icon = p.icon;
  return (
    <a class={`icon-btn${p.active ? ' icon-btn-active' : ''}`} href={p.href} title={p.label} aria-label={p.label} data-testid={p.testId} aria-current={p.active ? 'page' : undefined}>
      <Icon size={18} />
    </a>
  );
}

export function Sidebar() {
  return (
    <aside class="sidebar" aria-label={t('nav.conversations')}>
      <header class="sidebar-head">
        <div class="brand">
          <Logo size={26} />
          <span>Switchboard</span>
        </div>
        <ConnectionPill />
        <button class="icon-btn" type="button" title={t('nav.searchTitle')} aria-label={t('nav.search')} aria-keyshortcuts="/" data-testid="search-button" onClick={() => (searchOpen.value = true)}>
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
