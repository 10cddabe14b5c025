import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { AgentServerToClient, AgentView, TicketChange, TicketNoteView, TicketPriority, TicketStatus, TicketView } from '@switchboard/contracts';
import { ApiError, type Team, type TeamAgent, type TicketApi } from './api.js';
import { describe } from './console-store.js';
import { t } from './i18n/core.js';

/**
 * The ticket of the open conversation, for the panel beside the thread: which ticket it is,
 * changes made at once and rolled back when the server refuses them, internal notes, and the
 * team's agents and teams for the selects. The REST API and the console store come in as
 * dependencies, so all of it is tested without a browser.
 */

/** The socket event that brings a changed ticket to agents with one of its conversations open. */
export const TICKET_EVENT = 'ticket:updated' satisfies keyof AgentServerToClient;
/** The socket event that brings a note added by someone else to agents with the conversation open. */
export const NOTE_EVENT = 'ticket:note' satisfies keyof AgentServerToClient;

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

const CRM_NAMES: Record<string, string> = { hubspot: 'HubSpot', kommo: 'Kommo' };
export const crmName = (provider: string | undefined): string => (provider === 'builtin' ? t('crm.builtin') : provider ? (CRM_NAMES[provider] ?? provider) : 'CRM');

/** A CRM's link to the contact, only when it is a web address (never a javascript: or data: URL). */
export const safeUrl = (url: string | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

const FIELDS = new Set(['status', 'priority', 'assigneeId', 'teamId', 'tags'] as const);
type Field = typeof FIELDS extends Set<infer F> ? F : never;

/** The server allows at most this many tags, each 1–50 characters without spaces or commas. */
export const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 50;

/** The ticket that matters for a conversation: the newest one not closed, else the newest. */
export function pickTicket(tickets: readonly TicketView[]): TicketView | null {
  const newest = [...tickets].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.number - a.number);
  return newest.find((t) => t.status !== 'closed') ?? newest[0] ?? null;
}

/** The later of two versions of one ticket; a late answer never undoes a newer event. */
export function newerTicket(held: TicketView, incoming: TicketView): TicketView {
  return Date.parse(incoming.updatedAt) >= Date.parse(held.updatedAt) ? incoming : held;
}

/** The ticket as the agent sees it: the server's version with the changes still on their way laid over it (the panel changes no custom fields). */
export function withChanges(ticket: TicketView, changes: readonly TicketChange[]): TicketView {
  return changes.reduce<TicketView>((t, c) => ({ ...t, ...(c as Omit<TicketChange, 'fields'>) }), ticket);
}

/** A refused change in words: what did not change and the server's sentence. */
export function changeError(change: TicketChange, err: unknown): string {
  const field = Object.keys(change)[0] ?? '';
  const reason = describe(err);
  return FIELDS.has(field as Field) ? t(`ticket.notChanged.${field as Field}`, { reason }) : t('ticket.notChanged', { field, reason });
}

/**
 * Tags typed by the agent ("vip, refund #billing"), made what the server accepts: split on spaces
 * and commas, a leading # dropped, duplicates (any case) and tags already on the ticket left out.
 */
export function parseTags(input: string, existing: readonly string[]): { add: string[]; error: string | null } {
  const held = new Set(existing.map((t) => t.toLowerCase()));
  const add: string[] = [];
  for (const raw of input.split(/[\s,]+/)) {
    const tag = raw.replace(/^#+/, '');
    if (!tag || held.has(tag.toLowerCase())) continue;
    if (tag.length > MAX_TAG_LENGTH) return { add: [], error: t('ticket.tagTooLong', { max: MAX_TAG_LENGTH }) };
    held.add(tag.toLowerCase());
    add.push(tag);
  }
  if (existing.length + add.length > MAX_TAGS) return { add: [], error: t('ticket.tooManyTags', { max: MAX_TAGS }) };
  return { add, error: null };
}

export interface AgentChoice {
  id: string;
  name: string;
}

/**
 * Who the ticket can be given to: the active agents of its team (everyone's when it has none or
 * the team is not known), by name, the signed-in agent marked; the current assignee always among them.
 */
export function assigneeChoices(ticket: Pick<TicketView, 'assigneeId' | 'teamId'>, agents: readonly TeamAgent[], teams: readonly Team[], meId: string | null): AgentChoice[] {
  const team = ticket.teamId ? teams.find((t) => t.id === ticket.teamId) : undefined;
  const members = team ? new Set(team.members.map((m) => m.agentId)) : null;
  const choices = agents
    .filter((a) => (a.active !== false && (!members || members.has(a.id))) || a.id === ticket.assigneeId)
    .map((a) => ({ id: a.id, name: a.id === meId ? t('ticket.you', { name: a.name }) : a.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (ticket.assigneeId && !choices.some((c) => c.id === ticket.assigneeId)) choices.unshift({ id: ticket.assigneeId, name: t('store.anotherAgent') });
  return choices;
}

/** Notes oldest first, each once. */
export function mergeNotes(held: readonly TicketNoteView[], incoming: readonly TicketNoteView[]): TicketNoteView[] {
  const byId = new Map(held.map((n) => [n.id, n]));
  for (const n of incoming) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Whether a socket payload looks like a TicketView (the console trusts the server, not blindly its shape). */
function asTicket(payload: unknown): TicketView | null {
  const t = payload as Partial<TicketView> | null;
  return t && typeof t.id === 'string' && typeof t.number === 'number' && Array.isArray(t.conversationIds) ? (t as TicketView) : null;
}

/** What the ticket store needs from the console store (ConsoleStore provides it; tests fake it). */
export interface TicketHost {
  readonly selectedId: ReadonlySignal<string | null>;
  readonly agent: ReadonlySignal<AgentView | null>;
  /** Other agents' names, learned by the console; the agents list adds to it. */
  readonly agentNames: { value: Record<string, string> };
  onServerEvent(event: string, fn: (payload: unknown) => void): () => void;
  onConversationReady(fn: (conversationId: string) => void): () => void;
}

export interface TicketPanelState {
  conversationId: string;
  /** loading: the first fetch for this conversation; ready: `ticket` is what the server says (null: none yet). */
  phase: 'loading' | 'ready' | 'error';
  ticket: TicketView | null;
  /** Why the ticket could not be loaded. */
  error: string | null;
}

export interface NotesState {
  ticketId: string;
  items: TicketNoteView[];
  loading: boolean;
  error: string | null;
}

interface PendingChange {
  seq: number;
  ticketId: string;
  change: TicketChange;
}

export class TicketStore {
  readonly panel = signal<TicketPanelState | null>(null);
  readonly notes = signal<NotesState | null>(null);
  /** The last change or creation the server refused, in words; cleared by the next one. */
  readonly error = signal<string | null>(null);
  readonly creating = signal(false);
  readonly noteSending = signal(false);
  readonly noteError = signal<string | null>(null);
  readonly agents = signal<TeamAgent[]>([]);
  readonly teams = signal<Team[]>([]);
  private readonly pending = signal<PendingChange[]>([]);

  /** The open conversation's ticket with the agent's changes in flight applied. */
  readonly shown = computed<TicketView | null>(() => {
    const t = this.panel.value?.ticket;
    if (!t) return null;
    return withChanges(
      t,
      this.pending.value.filter((p) => p.ticketId === t.id).map((p) => p.change),
    );
  });

  readonly assignees = computed(() => {
    const t = this.shown.value;
    return t ? assigneeChoices(t, this.agents.value, this.teams.value, this.host.agent.value?.id ?? null) : [];
  });

  private gen = 0;
  private seq = 0;
  private directory: 'none' | 'loading' | 'loaded' = 'none';
  private directoryOf: string | null = null;
  private readonly off: Array<() => void>;

  constructor(
    private readonly api: TicketApi,
    private readonly host: TicketHost,
  ) {
    this.off = [
      host.onServerEvent(TICKET_EVENT, (payload) => {
        const t = asTicket(payload);
        if (t) this.apply(t);
      }),
      host.onServerEvent(NOTE_EVENT, (payload) => {
        const note = payload as TicketNoteView | null;
        const n = this.notes.value;
        if (note && typeof note.id === 'string' && n?.ticketId === note.ticketId) this.notes.value = { ...n, items: mergeNotes(n.items, [note]) };
      }),
      host.onConversationReady((id) => this.refresh(id)),
      // A new conversation (or none) shows its own ticket; another agent signing in starts afresh.
      effect(() => this.follow(host.selectedId.value, host.agent.value?.id ?? null)),
    ];
  }

  dispose(): void {
    for (const off of this.off) off();
  }

  /** Fetch the open conversation's ticket (and notes) again; the console calls it after its room is joined. */
  refresh(conversationId: string): void {
    if (this.panel.value?.conversationId !== conversationId) return;
    const gen = this.gen;
    void this.loadDirectory();
    this.api.ticketsOfConversation(conversationId).then(
      ({ items }) => {
        if (gen !== this.gen) return;
        // What an event brought meanwhile may be newer than this answer: newer wins, per ticket.
        const held = this.panel.value?.ticket;
        const candidates = items.map((t) => (held && t.id === held.id ? newerTicket(held, t) : t));
        if (held && !items.some((t) => t.id === held.id)) candidates.push(held);
        this.panel.value = { conversationId, phase: 'ready', ticket: pickTicket(candidates), error: null };
        this.loadNotes();
      },
      (err: unknown) => {
        if (gen !== this.gen || isSessionEnd(err)) return;
        const p = this.panel.value!;
        // A ticket already shown stays; the next reconnect or event brings it up to date.
        if (p.phase !== 'ready') this.panel.value = { ...p, phase: 'error', error: describe(err) };
      },
    );
  }

  /** Retry after the first load failed. */
  reload(): void {
    const p = this.panel.value;
    if (!p) return;
    this.panel.value = { ...p, phase: 'loading', error: null };
    this.refresh(p.conversationId);
  }

  /** Change the shown ticket now and on the server; refused changes are rolled back and explained. */
  async change(change: TicketChange): Promise<void> {
    const t = this.shown.value;
    if (!t) return;
    const entry: PendingChange = { seq: ++this.seq, ticketId: t.id, change };
    batch(() => {
      this.pending.value = [...this.pending.value, entry];
      this.error.value = null;
    });
    const drop = () => (this.pending.value = this.pending.value.filter((p) => p.seq !== entry.seq));
    try {
      const saved = await this.api.updateTicket(t.id, change);
      batch(() => {
        drop();
        this.apply(saved);
      });
    } catch (err) {
      batch(() => {
        drop();
        if (!isSessionEnd(err)) this.error.value = changeError(change, err);
      });
      // Refused as conflicting (closed, merged, changed meanwhile): show what the ticket is now.
      if (err instanceof ApiError && err.status === 409) void this.reloadTicket(t.id);
    }
  }

  addTags(input: string): string | null {
    const t = this.shown.value;
    if (!t) return null;
    const { add, error } = parseTags(input, t.tags);
    if (error) return error;
    if (add.length) void this.change({ tags: [...t.tags, ...add] });
    return null;
  }

  removeTag(tag: string): void {
    const t = this.shown.value;
    if (t) void this.change({ tags: t.tags.filter((x) => x !== tag) });
  }

  /** Make the conversation's ticket (teams in manual mode). */
  async create(): Promise<void> {
    const p = this.panel.value;
    if (!p || this.creating.value) return;
    const gen = this.gen;
    batch(() => {
      this.creating.value = true;
      this.error.value = null;
    });
    try {
      const t = await this.api.createTicket(p.conversationId);
      if (gen === this.gen) this.apply(t);
    } catch (err) {
      if (gen === this.gen && !isSessionEnd(err)) this.error.value = t('ticket.createFailed', { reason: describe(err) });
    } finally {
      if (gen === this.gen) this.creating.value = false;
    }
  }

  /** Add an internal note to the shown ticket, notifying the @mentioned agents; true when it was saved (the form then empties). */
  async addNote(text: string, mentions: string[] = []): Promise<boolean> {
    const ticket = this.shown.value;
    const body = text.trim();
    if (!ticket || !body || this.noteSending.value) return false;
    const gen = this.gen;
    batch(() => {
      this.noteSending.value = true;
      this.noteError.value = null;
    });
    try {
      const note = await this.api.addTicketNote(ticket.id, body, mentions);
      const n = this.notes.value;
      if (gen === this.gen && n?.ticketId === ticket.id) this.notes.value = { ...n, items: mergeNotes(n.items, [note]) };
      return true;
    } catch (err) {
      if (gen === this.gen && !isSessionEnd(err)) this.noteError.value = t('ticket.noteFailed', { reason: describe(err) });
      return false;
    } finally {
      if (gen === this.gen) this.noteSending.value = false;
    }
  }

  dismissError(): void {
    this.error.value = null;
  }

  /** A ticket from the server (event, answer): the shown one updated, or a better one for this conversation. */
  private apply(incoming: TicketView): void {
    const p = this.panel.value;
    if (!p) return;
    const held = p.ticket;
    let next: TicketView | null;
    if (held && held.id === incoming.id) next = newerTicket(held, incoming);
    else if (!incoming.conversationIds.includes(p.conversationId)) return;
    else next = pickTicket(held ? [held, incoming] : [incoming]);
    if (next === held && p.phase === 'ready') return;
    this.panel.value = { ...p, phase: 'ready', ticket: next, error: null };
    if (next && next.id !== held?.id) this.loadNotes();
  }

  private async reloadTicket(id: string): Promise<void> {
    const gen = this.gen;
    try {
      const t = await this.api.getTicket(id);
      if (gen === this.gen) this.apply(t);
    } catch {
      // The error is already shown; the next event or reconnect brings the ticket up to date.
    }
  }

  private loadNotes(): void {
    const t = this.panel.value?.ticket;
    if (!t) return void (this.notes.value = null);
    const gen = this.gen;
    const held = this.notes.value?.ticketId === t.id ? this.notes.value : null;
    this.notes.value = { ticketId: t.id, items: held?.items ?? [], loading: true, error: null };
    this.api.listTicketNotes(t.id).then(
      ({ items }) => {
        const n = this.notes.value;
        if (gen === this.gen && n?.ticketId === t.id) this.notes.value = { ...n, items: mergeNotes(n.items, items), loading: false };
      },
      (err: unknown) => {
        const n = this.notes.value;
        if (gen === this.gen && n?.ticketId === t.id) this.notes.value = { ...n, loading: false, error: describe(err) };
      },
    );
  }

  /** Agents and teams, once per signed-in agent (again after a failure). */
  private async loadDirectory(): Promise<void> {
    if (this.directory !== 'none') return;
    this.directory = 'loading';
    const of = this.directoryOf;
    const [agents, teams] = await Promise.allSettled([this.api.listAgents(), this.api.listTeams()]);
    if (of !== this.directoryOf) return;
    batch(() => {
      if (agents.status === 'fulfilled') {
        this.agents.value = agents.value.items;
        const names = { ...this.host.agentNames.value };
        for (const a of agents.value.items) names[a.id] = a.name;
        this.host.agentNames.value = names;
      }
      if (teams.status === 'fulfilled') this.teams.value = teams.value.items;
    });
    this.directory = agents.status === 'fulfilled' && teams.status === 'fulfilled' ? 'loaded' : 'none';
  }

  private follow(conversationId: string | null, agentId: string | null): void {
    if (agentId !== this.directoryOf) {
      this.directoryOf = agentId;
      this.directory = 'none';
      batch(() => {
        this.agents.value = [];
        this.teams.value = [];
      });
    }
    if (conversationId === (this.panel.peek()?.conversationId ?? null)) return;
    this.gen++;
    batch(() => {
      this.panel.value = conversationId ? { conversationId, phase: 'loading', ticket: null, error: null } : null;
      this.notes.value = null;
      this.pending.value = [];
      this.error.value = null;
      this.creating.value = false;
      this.noteSending.value = false;
      this.noteError.value = null;
    });
  }
}

function isSessionEnd(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'SB_ERR_SESSION_ENDED';
}
