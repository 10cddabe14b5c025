import type { ConversationView } from '@switchboard/contracts';
import {
  ASSIGNEE_FILTERS,
  STATUS_FILTERS,
  channelLabel,
  contactName,
  preview,
  type AssigneeFilter,
  type StatusFilter,
} from '../conversations.js';
import { fullTime, relativeTime } from '../relative-time.js';
import type { ConnectionState } from '../realtime.js';
import { Avatar } from './avatar.js';
import { CHANNELS_ROUTE, isKbRoute, KB_ROUTE, now, route, useStore } from './context.js';
import { IconBook, IconChannels, IconInbox, IconLogout, IconReply, Logo } from './icons.js';

const STATUS_LABEL: Record<StatusFilter, string> = { open: 'Open', pending: 'Pending', resolved: 'Resolved', all: 'All' };
const ASSIGNEE_LABEL: Record<AssigneeFilter, string> = { me: 'Mine', unassigned: 'Unassigned', all: 'Everyone' };
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
      <div class="chips" role="radiogroup" aria-label="Assignee">
        {ASSIGNEE_FILTERS.map((a) => (
          <button
            key={a}
            role="radio"
            class="chip"
            aria-checked={filter.assignee === a}
            data-testid={`filter-assignee-${a}`}
            onClick={() => store.setFilter({ assignee: a })}
          >
            {ASSIGNEE_LABEL[a]}
          </button>
        ))}
      </div>
    </div>
  );
}

function ConversationItem({ conv, selected, showStatus }: { conv: ConversationView; selected: boolean; showStatus: boolean }) {
  const store = useStore();
  const name = contactName(conv.contact);
  const last = preview(conv);
  const at = conv.lastMessage?.at ?? conv.updatedAt;
  const unread = conv.unreadCount;
  return (
    <li>
      <a
        href={`#/c/${encodeURIComponent(conv.id)}`}
        class={`conv${unread > 0 ? ' conv-unread' : ''}`}
        aria-current={selected ? 'true' : undefined}
        data-testid="conversation-item"
        data-id={conv.id}
        data-unread={unread}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          void store.open(conv.id);
        }}
      >
        <Avatar id={conv.contact.id} name={name} url={conv.contact.avatarUrl} channel={conv.channel} />
        <div class="conv-body">
          <div class="conv-line">
            <span class="conv-name">{name}</span>
            <time class="conv-time" dateTime={at} title={fullTime(at)}>
              {relativeTime(at, now.value)}
            </time>
          </div>
          <div class="conv-line">
            <span class="conv-preview">
              {last.outbound && <IconReply size={13} class="conv-reply" />}
              {last.text}
            </span>
            {unread > 0 && (
              <span class="badge" data-testid="unread" aria-label={`${unread} unread`}>
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </div>
          <div class="conv-tags">
            <span class={`channel channel-${conv.channel}`}>{channelLabel(conv.channel)}</span>
            {showStatus && <span class={`status-tag status-${conv.status}`}>{conv.status}</span>}
            {conv.assigneeId === null && <span class="tag-muted">Unassigned</span>}
          </div>
        </div>
      </a>
    </li>
  );
}

function EmptyList() {
  const { status, assignee } = useStore().filter.value;
  const what = status === 'all' ? 'conversations' : `${status} conversations`;
  const whose = assignee === 'me' ? ' assigned to you' : assignee === 'unassigned' ? ' waiting for an owner' : '';
  return (
    <div class="empty-list">
      <IconInbox size={28} />
      <p class="empty-title">No {what}{whose}</p>
      <p class="empty-hint">{status === 'open' || status === 'all' ? 'New conversations appear here the moment they arrive.' : 'Try another tab.'}</p>
    </div>
  );
}

function ConversationList() {
  const store = useStore();
  const list = store.conversations.value;
  const selectedId = store.selectedId.value;
  const showStatus = store.filter.value.status === 'all';

  if (!store.listLoaded.value) {
    if (store.listError.value) return <ListError />;
    return (
      <ul class="conv-list" aria-busy="true" aria-label="Loading conversations">
        {[0, 1, 2, 3, 4].map((i) => (
          <li key={i} class="conv-skeleton">
            <span class="sk sk-avatar" />
            <span class="sk-lines">
              <span class="sk sk-line" />
              <span class="sk sk-line short" />
            </span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div class="conv-scroll">
      {store.listError.value && <ListError />}
      {list.length === 0 ? (
        <EmptyList />
      ) : (
        <ul class="conv-list" aria-label="Conversations">
          {list.map((c) => (
            <ConversationItem key={c.id} conv={c} selected={c.id === selectedId} showStatus={showStatus} />
          ))}
        </ul>
      )}
      {store.nextCursor.value && (
        <button class="btn btn-ghost btn-block load-more" disabled={store.listLoading.value} onClick={() => void store.loadList(true)}>
          {store.listLoading.value ? 'Loading…' : 'Load more conversations'}
        </button>
      )}
    </div>
  );
}

function ListError() {
  const store = useStore();
  return (
    <div class="inline-error" role="alert">
      <span>Couldn’t load conversations. {store.listError.value}</span>
      <button class="btn btn-small" onClick={() => void store.loadList()}>
        Retry
      </button>
    </div>
  );
}

function Account() {
  const store = useStore();
  const agent = store.agent.value;
  if (!agent) return null;
  return (
    <footer class="account">
      <Avatar id={agent.id} name={agent.name} small />
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
      </header>
      <Filters />
      <ConversationList />
      <Account />
    </aside>
  );
}
