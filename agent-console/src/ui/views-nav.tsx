import type { ConsoleStore } from '../console-store.js';
import { viewOf, type ViewKey } from '../conversations.js';
import { browserClock } from '../typing.js';
import { followStore, navItems, ViewCounts, type ConversationCounts, type NavItem } from '../view-counts.js';
import { t } from '../i18n/core.js';
import { useApi, useStore } from './context.js';

/**
 * The sidebar's views: Mine, Unassigned, All, Mentions, each inbox, each team, with unread
 * badges. From 760 px down it collapses into one select above the list.
 */

const countsByStore = new WeakMap<ConsoleStore, ViewCounts>();

function useViewCounts(): ViewCounts {
  const store = useStore();
  const api = useApi();
  let counts = countsByStore.get(store);
  if (!counts) {
    counts = new ViewCounts({
      fetchCounts: () => api.call<ConversationCounts>('GET', '/api/v1/conversations/counts'),
      fetchTeams: async () => (await api.call<{ items: { id: string; name: string }[] }>('GET', '/api/v1/teams')).items,
      clock: browserClock,
    });
    countsByStore.set(store, counts);
    // Lives as long as the page: the store and its socket do too.
    followStore(counts, store);
  }
  return counts;
}

const GROUPS: { group: NavItem['group']; heading: (() => string) | null }[] = [
  { group: 'views', heading: null },
  { group: 'inboxes', heading: () => t('views.inboxes') },
  { group: 'teams', heading: () => t('views.teams') },
];

function countText(item: NavItem): string {
  const c = item.count;
  if (!c) return item.label;
  return t(c.unread ? 'views.countUnread' : 'views.count', { label: item.label, open: c.open, unread: c.unread });
}

function ViewButton({ item, current, choose }: { item: NavItem; current: boolean; choose: (key: ViewKey) => void }) {
  const c = item.count;
  return (
    <li>
      <button
        class="view"
        aria-current={current ? 'true' : undefined}
        aria-label={countText(item)}
        data-testid="view"
        data-view={item.key}
        onClick={() => choose(item.key)}
      >
        <span class="view-label">{item.label}</span>
        {c && (
          <span
            class={`view-count${c.unread ? ' view-count-unread' : ''}`}
            data-testid="view-count"
            data-open={c.open}
            data-unread={c.unread}
            aria-hidden="true"
          >
            {c.unread ? (c.unread > 99 ? '99+' : c.unread) : c.open || ''}
          </span>
        )}
      </button>
    </li>
  );
}

export function ViewsNav() {
  const store = useStore();
  const counts = useViewCounts();
  const items = navItems(counts.counts.value, counts.teams.value ?? []);
  const current = viewOf(store.filter.value);
  const choose = (view: ViewKey) => store.setFilter({ view });
  return (
    <>
      <nav class="views" aria-label={t('views.label')} data-testid="views-nav">
        {GROUPS.map(({ group, heading }) => {
          const mine = items.filter((i) => i.group === group);
          if (!mine.length) return null;
          return (
            <div key={group} class="views-group">
              {heading && <h2 class="views-heading">{heading()}</h2>}
              <ul class="views-list">
                {mine.map((item) => (
                  <ViewButton key={item.key} item={item} current={item.key === current} choose={choose} />
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <label class="views-select">
        <span class="sr-only">{t('views.select')}</span>
        <select class="select" data-testid="views-select" value={current} onChange={(e) => choose(e.currentTarget.value as ViewKey)}>
          {GROUPS.map(({ group, heading }) => {
            const options = items.filter((i) => i.group === group).map((item) => (
              <option key={item.key} value={item.key}>
                {item.count?.unread ? t('views.optionUnread', { label: item.label, unread: item.count.unread }) : item.label}
              </option>
            ));
            if (!options.length) return null;
            return heading ? (
              <optgroup key={group} label={heading()}>
                {options}
              </optgroup>
            ) : (
              options
            );
          })}
        </select>
      </label>
    </>
  );
}
