import type { ComponentChildren } from 'preact';
import { effect, useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { AgentPresenceView, PresenceStatus } from '@switchboard/contracts';
import type { ExtraApi } from '../api.js';
import type { ConsoleStore } from '../console-store.js';
import { IdleTracker, type PresenceChange } from '../idle.js';
import { t } from '../i18n/core.js';
import { asPresence, presenceBoard, teamPresence, withPresence } from '../presence.js';
import { useApi, useStore } from './context.js';

const CHOICES: readonly { status: PresenceStatus; label: () => string }[] = [
  { status: 'online', label: () => t('presence.online') },
  { status: 'away', label: () => t('presence.away') },
  { status: 'offline', label: () => t('presence.appearOffline') },
];

/** How often idleness is checked; the 10 minutes themselves are idle.ts's. */
const IDLE_CHECK_MS = 15_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * The agent's own presence in the sidebar footer: a coloured dot on the avatar, and a menu on it
 * — Online, Away, Appear offline. It also keeps the team's presence board current (the list on
 * every (re)connect, then `presence` events) and sets the agent away after 10 idle minutes.
 */
export function PresenceMenu({ children }: { children: ComponentChildren }) {
  const store = useStore();
  const api = useApi();
  const open = useSignal(false);
  const error = useSignal<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const idle = usePresenceSync(store, api);
  const me = store.agent.value;
  const mine = me ? teamPresence.value[me.id] : undefined;
  const status: PresenceStatus = store.connection.value === 'live' ? (mine?.status ?? 'online') : 'offline';

  useEffect(() => {
    if (!open.value) return;
    root.current?.querySelector<HTMLElement>('[role="menuitemradio"][aria-checked="true"]')?.focus();
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) open.value = false;
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open.value]);

  const close = () => {
    open.value = false;
    root.current?.querySelector<HTMLElement>('.presence-btn')?.focus();
  };

  const choose = (next: PresenceStatus) => {
    close();
    error.value = null;
    idle.current?.chosen(next, Date.now());
    store.request('presence:set', { status: next }).then(
      (data) => applyOwn(asPresence(data)),
      (err: unknown) => (error.value = t('presence.failed', { reason: err instanceof Error ? err.message : t('presence.noConnection') })),
    );
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Tab') open.value = false;
  };

  return (
    <div class="presence" ref={root}>
      <button
        type="button"
        class="presence-btn"
        data-testid="presence-button"
        data-status={status}
        aria-haspopup="menu"
        aria-expanded={open.value}
        aria-label={t('presence.button', { status: t(`presence.${status}`) })}
        title={mine?.auto && status === 'away' ? t('presence.idle', { status: t('presence.away') }) : t(`presence.${status}`)}
        onClick={() => (open.value = !open.value)}
      >
        {children}
        <span class={`presence-dot presence-${status}`} aria-hidden="true" />
      </button>
      {open.value && (
        <ul class="presence-menu" role="menu" aria-label={t('presence.menu')} onKeyDown={onMenuKey}>
          {CHOICES.map((c) => (
            <li role="none" key={c.status}>
              <button type="button" role="menuitemradio" aria-checked={mine?.status === c.status} data-testid={`presence-${c.status}`} onClick={() => choose(c.status)}>
                <span class={`presence-dot presence-${c.status}`} aria-hidden="true" />
                {c.label()}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error.value && (
        <p class="presence-error" role="alert">
          {error.value}
        </p>
      )}
    </div>
  );
}

function applyOwn(p: AgentPresenceView | null): void {
  if (p) teamPresence.value = withPresence(teamPresence.value, p);
}

/** The team's board from the server, and idleness → away. Returns the idle tracker for manual choices. */
function usePresenceSync(store: ConsoleStore, api: ExtraApi) {
  const idle = useRef<IdleTracker | null>(null);
  useEffect(() => {
    const tracker = new IdleTracker(Date.now());
    idle.current = tracker;
    const myId = () => store.agent.value?.id;
    const learn = (p: AgentPresenceView | undefined) => {
      if (p && p.agentId === myId()) tracker.known(p.status, p.auto);
    };
    const send = (change: PresenceChange | null) => {
      if (!change) return;
      store.request('presence:set', change).then(
        (data) => {
          const p = asPresence(data);
          applyOwn(p);
          learn(p ?? undefined);
        },
        () => {}, // offline: the server shows the agent offline anyway
      );
    };
    const offEvent = store.onServerEvent('presence', (payload) => {
      const p = asPresence(payload);
      if (!p) return;
      teamPresence.value = withPresence(teamPresence.value, p);
      learn(p);
    });
    // The whole board on every (re)connect: changes while offline were not heard.
    const offLive = effect(() => {
      if (store.connection.value !== 'live') return;
      api.call<{ items: AgentPresenceView[] }>('GET', '/api/v1/agents/presence').then(
        ({ items }) => {
          teamPresence.value = presenceBoard(items);
          learn(items.find((p) => p.agentId === myId()));
        },
        () => {},
      );
    });
    const onActivity = () => send(tracker.activity(Date.now()));
    const onVisible = () => document.visibilityState === 'visible' && onActivity();
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true });
    document.addEventListener('visibilitychange', onVisible);
    const timer = setInterval(() => send(tracker.tick(Date.now())), IDLE_CHECK_MS);
    return () => {
      offEvent();
      offLive();
      clearInterval(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity);
      document.removeEventListener('visibilitychange', onVisible);
      idle.current = null;
    };
  }, [store, api]);
  return idle;
}
