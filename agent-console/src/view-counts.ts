import { effect, signal } from '@preact/signals';
import type { Channel } from '@switchboard/contracts';
import { viewOf, type ListFilter, type ViewKey } from './conversations.js';
import type { ConnectionState } from './realtime.js';
import type { Clock } from './typing.js';
import { t } from './i18n/core.js';

/**
 * The views of the sidebar (Mine, Unassigned, All, Mentions, each inbox, each team) with their
 * counts from GET /api/v1/conversations/counts, refreshed at most once a second while socket
 * events arrive, and again after every reconnect.
 */

export interface ViewCount {
  open: number;
  unread: number;
}

/** GET /api/v1/conversations/counts. */
export interface ConversationCounts {
  mine: ViewCount;
  unassigned: ViewCount;
  all: ViewCount;
  mentions: ViewCount;
  inboxes: ({ inboxId: string; name: string; channel: Channel } & ViewCount)[];
  teams: ({ teamId: string } & ViewCount)[];
}

export interface NavItem {
  key: ViewKey;
  label: string;
  group: 'views' | 'inboxes' | 'teams';
  /** null until the counts answered (or for a team with nothing open: zero). */
  count: ViewCount | null;
}

/** A burst of socket events refreshes the counts once, this long after the first of them. */
export const COUNTS_DEBOUNCE_MS = 1000;

const FIXED = ['mine', 'unassigned', 'all', 'mentions'] as const;

/** The nav's entries in order: the fixed views, the caller's inboxes (as the counts list them), the teams by name. */
export function navItems(counts: ConversationCounts | null, teams: readonly { id: string; name: string }[]): NavItem[] {
  const zero = counts ? { open: 0, unread: 0 } : null;
  const pick = (c: ViewCount | undefined): ViewCount | null => (c ? { open: c.open, unread: c.unread } : zero);
  return [
    ...FIXED.map((key) => ({ key, label: t(`views.${key}`), group: 'views' as const, count: counts ? pick(counts[key as 'mine']) : null })),
    ...(counts?.inboxes ?? []).map((i) => ({ key: `inbox:${i.inboxId}` as ViewKey, label: i.name, group: 'inboxes' as const, count: pick(i) })),
    ...teams.map((t) => ({ key: `team:${t.id}` as ViewKey, label: t.name, group: 'teams' as const, count: pick(counts?.teams.find((c) => c.teamId === t.id)) })),
  ];
}

/** A view that no longer exists for the agent (an inbox taken away, a team deleted), once the nav knows: the list goes back to All. */
export function viewGone(view: ViewKey, counts: ConversationCounts | null, teams: readonly { id: string }[] | null): boolean {
  if (view.startsWith('inbox:')) return !!counts && !counts.inboxes.some((i) => `inbox:${i.inboxId}` === view);
  if (view.startsWith('team:')) return !!teams && !teams.some((t) => `team:${t.id}` === view);
  return false;
}

export interface ViewCountsDeps {
  fetchCounts(): Promise<ConversationCounts>;
  /** The team's teams; refused (an agent without ticketing) = no team views. */
  fetchTeams(): Promise<{ id: string; name: string }[]>;
  clock: Clock;
}

export class ViewCounts {
  readonly counts = signal<ConversationCounts | null>(null);
  /** null until fetched. */
  readonly teams = signal<{ id: string; name: string }[] | null>(null);
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;
  private gen = 0;

  constructor(private readonly deps: ViewCountsDeps) {}

  /** Fetch the counts now; a call while one runs fetches once more after it (never two at once). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const gen = this.gen;
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const counts = await this.deps.fetchCounts();
          if (gen === this.gen) this.counts.value = counts;
        } catch {
          // The badges keep their last numbers; the next event or reconnect tries again.
        }
      } while (this.again && gen === this.gen);
      if (gen === this.gen) this.running = null;
    })();
    return this.running;
  }

  /** A conversation or message event: refresh once, a second after the first of a burst. */
  nudge(): void {
    if (this.timer !== null) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, COUNTS_DEBOUNCE_MS);
  }

  async loadTeams(): Promise<void> {
    const gen = this.gen;
    const teams = await this.deps.fetchTeams().catch(() => []);
    if (gen === this.gen) this.teams.value = [...teams].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Signed out (or another agent signed in): forget everything. */
  reset(): void {
    this.gen++;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.running = null;
    this.counts.value = null;
    this.teams.value = null;
  }
}

/** What the counts follow in the console store. */
export interface CountsSource {
  readonly connection: { readonly value: ConnectionState };
  readonly agent: { readonly value: { id: string } | null };
  readonly filter: { readonly value: ListFilter };
  onServerEvent(event: string, fn: (payload: unknown) => void): () => void;
  setFilter(change: Partial<ListFilter>): void;
  loadList(): Promise<void>;
}

/**
 * Wires the counts to the store: fetched when an agent signs in and after every (re)connect,
 * nudged by conversation and message events, and a new @mention reloads the Mentions view (the
 * only view the console cannot match by itself). Returns the disposer.
 */
export function followStore(counts: ViewCounts, store: CountsSource): () => void {
  const nudge = () => counts.nudge();
  const offs = [
    store.onServerEvent('conversation:updated', nudge),
    store.onServerEvent('message:new', nudge),
    store.onServerEvent('mention', () => {
      nudge();
      if (viewOf(store.filter.value) === 'mentions') void store.loadList();
    }),
  ];
  let agentId: string | null = null;
  offs.push(
    effect(() => {
      const id = store.agent.value?.id ?? null;
      if (id === agentId) return;
      agentId = id;
      counts.reset();
      if (id) void counts.loadTeams();
    }),
    effect(() => {
      if (store.connection.value === 'live' && store.agent.value) void counts.refresh();
    }),
    effect(() => {
      const view = viewOf(store.filter.value);
      if (viewGone(view, counts.counts.value, counts.teams.value)) store.setFilter({ view: 'all' });
    }),
  );
  return () => offs.forEach((off) => off());
}
