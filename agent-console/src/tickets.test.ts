import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { AgentView, TicketChange, TicketNoteView, TicketView } from '@switchboard/contracts';
import { ApiError, type Team, type TeamAgent, type TicketApi } from './api.js';
import { ticket } from './test-fixtures.js';
import {
  assigneeChoices,
  changeError,
  crmName,
  mergeNotes,
  newerTicket,
  NOTE_EVENT,
  parseTags,
  pickTicket,
  safeUrl,
  TICKET_EVENT,
  TicketStore,
  type TicketHost,
} from './tickets.js';

const ada: AgentView = { id: 'agent-1', tenantId: 't1', email: 'ada@example.com', name: 'Ada Lovelace', role: 'agent' };
const closedSentence = "Ticket #1042 is closed; the customer's next message opens a follow-up ticket.";

/** The ticketing REST API in memory, recording what the panel asked for. */
class FakeTicketApi implements TicketApi {
  tickets = new Map<string, TicketView>();
  notes = new Map<string, TicketNoteView[]>();
  agents: TeamAgent[] = [
    { id: 'agent-1', name: 'Ada Lovelace', role: 'agent', active: true },
    { id: 'agent-2', name: 'Grace Hopper', role: 'agent', active: true },
    { id: 'agent-3', name: 'Alan Turing', role: 'agent', active: true },
  ];
  teams: Team[] = [{ id: 'team-b', name: 'Billing', strategy: 'manual', members: [{ agentId: 'agent-2', capacity: null }] }];
  calls: string[] = [];
  /** The next PATCH fails with this. */
  failPatch: ApiError | null = null;
  /** Calls wait for these, by call name, when set. */
  gates = new Map<string, Promise<void>>();
  private clock = Date.parse('2025-03-12T11:00:00.000Z');

  add(t: TicketView) {
    this.tickets.set(t.id, t);
  }
  /** The server changes a ticket (another agent, the SLA scheduler …) and returns the new version. */
  touch(id: string, over: Partial<TicketView>): TicketView {
    const t = { ...this.tickets.get(id)!, ...over, updatedAt: this.tick() };
    this.tickets.set(id, t);
    return t;
  }
  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  async ticketsOfConversation(conversationId: string) {
    this.calls.push(`GET /tickets?conversationId=${conversationId}`);
    const items = [...this.tickets.values()].filter((t) => t.conversationIds.includes(conversationId));
    await this.gates.get('list');
    return { items };
  }
  async getTicket(id: string) {
    this.calls.push(`GET /tickets/${id}`);
    return this.tickets.get(id)!;
  }
  async updateTicket(id: string, change: TicketChange) {
    this.calls.push(`PATCH /tickets/${id} ${JSON.stringify(change)}`);
    await this.gates.get('patch');
    const fail = this.failPatch;
    this.failPatch = null;
    if (fail) throw fail;
    return this.touch(id, change as Partial<TicketView>);
  }
  async createTicket(conversationId: string) {
    this.calls.push(`POST /tickets ${conversationId}`);
    const t = ticket('t-new', { number: 1050, conversationIds: [conversationId], createdAt: this.tick(), updatedAt: this.tick() });
    this.add(t);
    return t;
  }
  async listTicketNotes(id: string) {
    this.calls.push(`GET /tickets/${id}/notes`);
    return { items: this.notes.get(id) ?? [] };
  }
  async addTicketNote(id: string, text: string, mentions: string[] = []) {
    this.calls.push(`POST /tickets/${id}/notes ${text}${mentions.length ? ` mentions=${mentions.join(',')}` : ''}`);
    await this.gates.get('note');
    const n: TicketNoteView = { id: `n${(this.notes.get(id)?.length ?? 0) + 1}`, ticketId: id, author: { id: ada.id, name: ada.name }, text, createdAt: this.tick() };
    this.notes.set(id, [...(this.notes.get(id) ?? []), n]);
    return n;
  }
  async listAgents() {
    this.calls.push('GET /agents');
    return { items: this.agents };
  }
  async listTeams() {
    this.calls.push('GET /teams');
    return { items: this.teams };
  }
}

/** The console store as the ticket store sees it: selection, signed-in agent, socket events, room joins. */
function fakeHost() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const ready = new Set<(id: string) => void>();
  const host = {
    selectedId: signal<string | null>(null),
    agent: signal<AgentView | null>(ada),
    agentNames: signal<Record<string, string>>({}),
    onServerEvent(event: string, fn: (p: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
      return () => listeners.get(event)!.delete(fn);
    },
    onConversationReady(fn: (id: string) => void) {
      ready.add(fn);
      return () => ready.delete(fn);
    },
    emit(event: string, payload: unknown) {
      for (const fn of listeners.get(event) ?? []) fn(payload);
    },
    /** The console joined the conversation's room (on open, after a reconnect). */
    joined(id: string) {
      for (const fn of ready) fn(id);
    },
  } satisfies TicketHost & Record<string, unknown>;
  return host;
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

async function setup(tickets: TicketView[] = [ticket('t1')]) {
  const api = new FakeTicketApi();
  for (const t of tickets) api.add(t);
  const host = fakeHost();
  const store = new TicketStore(api, host);
  const open = async (id: string) => {
    host.selectedId.value = id;
    host.joined(id);
    await settle();
  };
  return { api, host, store, open };
}

describe('which ticket a conversation shows', () => {
  it('is the newest one not closed, else the newest', () => {
    const old = ticket('a', { number: 1001, createdAt: '2025-03-01T00:00:00.000Z' });
    const followUp = ticket('b', { number: 1002, createdAt: '2025-03-05T00:00:00.000Z', status: 'closed' });
    expect(pickTicket([followUp, old])?.number).toBe(1001);
    expect(pickTicket([{ ...old, status: 'closed' }, followUp])?.number).toBe(1002);
    expect(pickTicket([])).toBeNull();
  });

  it('keeps the later version of a ticket, so a late answer never undoes an event', () => {
    const v1 = ticket('a', { status: 'open', updatedAt: '2025-03-12T10:00:00.000Z' });
    const v2 = ticket('a', { status: 'pending', updatedAt: '2025-03-12T10:00:05.000Z' });
    expect(newerTicket(v2, v1).status).toBe('pending');
    expect(newerTicket(v1, v2).status).toBe('pending');
  });
});

describe('opening a conversation', () => {
  it('loads its ticket after the room is joined, with its notes, the team’s agents and teams', async () => {
    const { api, host, store, open } = await setup([
      ticket('t-old', { number: 1001, status: 'closed', createdAt: '2025-03-01T00:00:00.000Z' }),
      ticket('t1', { number: 1042, subject: 'Order 42 arrived broken', tags: ['refund'] }),
    ]);
    api.notes.set('t1', [{ id: 'n1', ticketId: 't1', author: { name: 'Grace Hopper' }, text: 'Called the courier.', createdAt: '2025-03-12T10:30:00.000Z' }]);
    host.selectedId.value = 'c1';
    expect(store.panel.value).toMatchObject({ conversationId: 'c1', phase: 'loading' });
    expect(api.calls).toEqual([]); // nothing before the room is joined
    host.joined('c1');
    await settle();
    expect(store.shown.value).toMatchObject({ number: 1042, subject: 'Order 42 arrived broken', tags: ['refund'] });
    expect(store.notes.value?.items.map((n) => n.text)).toEqual(['Called the courier.']);
    expect(api.calls).toEqual(expect.arrayContaining(['GET /tickets?conversationId=c1', 'GET /agents', 'GET /teams', 'GET /tickets/t1/notes']));
    // The console learns other agents' names from the list ("Assigned to Grace Hopper").
    expect(host.agentNames.value['agent-2']).toBe('Grace Hopper');
  });

  it('offers "Create ticket" when the conversation has none (manual mode) and shows the new ticket', async () => {
    const { api, store, open } = await setup([]);
    await open('c1');
    expect(store.panel.value).toMatchObject({ phase: 'ready', ticket: null });
    await store.create();
    expect(api.calls).toContain('POST /tickets c1');
    expect(store.shown.value?.number).toBe(1050);
    expect(store.creating.value).toBe(false);
  });

  it('says why a ticket could not be created', async () => {
    const { api, store, open } = await setup([]);
    await open('c1');
    api.createTicket = async () => {
      throw new ApiError(403, 'SB_ERR_FORBIDDEN', 'Your API key lacks tickets:write.');
    };
    await store.create();
    expect(store.error.value).toBe('The ticket was not created. Your API key lacks tickets:write.');
    expect(store.shown.value).toBeNull();
  });

  it('says why the ticket could not be loaded, and loads it on Retry', async () => {
    const { api, store, open } = await setup();
    const list = api.ticketsOfConversation.bind(api);
    api.ticketsOfConversation = async () => {
      throw new ApiError(0, 'SB_ERR_NETWORK', 'Cannot reach Switchboard. Check your connection; the console keeps trying.');
    };
    await open('c1');
    expect(store.panel.value).toMatchObject({ phase: 'error', error: 'Cannot reach Switchboard. Check your connection; the console keeps trying.' });
    api.ticketsOfConversation = list;
    store.reload();
    await settle();
    expect(store.shown.value?.number).toBe(1042);
  });

  it('ignores a late answer for the conversation the agent already left', async () => {
    const { api, host, store, open } = await setup([ticket('t1'), ticket('t2', { number: 2001, conversationIds: ['c2'] })]);
    const slow = gate();
    api.gates.set('list', slow.p);
    host.selectedId.value = 'c1';
    host.joined('c1');
    api.gates.delete('list');
    await open('c2');
    slow.open();
    await settle();
    expect(store.panel.value?.conversationId).toBe('c2');
    expect(store.shown.value?.number).toBe(2001);
  });

  it('shows nothing when no conversation is open', async () => {
    const { host, store, open } = await setup();
    await open('c1');
    host.selectedId.value = null;
    expect(store.panel.value).toBeNull();
    expect(store.shown.value).toBeNull();
  });
});

describe('changing the ticket', () => {
  it('shows the change at once and keeps it when the server agrees', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    const wait = gate();
    api.gates.set('patch', wait.p);
    const done = store.change({ status: 'pending' });
    expect(store.shown.value?.status).toBe('pending');
    wait.open();
    await done;
    expect(api.calls).toContain('PATCH /tickets/t1 {"status":"pending"}');
    expect(store.shown.value?.status).toBe('pending');
    expect(store.panel.value?.ticket?.status).toBe('pending');
    expect(store.error.value).toBeNull();
  });

  it('rolls back a refused change and shows the server’s sentence, then what the ticket is now', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    api.touch('t1', { status: 'closed' }); // closed meanwhile; the panel still says open
    api.failPatch = new ApiError(409, 'SB_ERR_CONFLICT', closedSentence);
    const done = store.change({ status: 'solved' });
    expect(store.shown.value?.status).toBe('solved');
    await done;
    expect(store.error.value).toBe(`The status was not changed. ${closedSentence}`);
    await settle();
    expect(api.calls).toContain('GET /tickets/t1');
    expect(store.shown.value?.status).toBe('closed');
  });

  it('rolls back the priority when the server cannot be reached', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    api.failPatch = new ApiError(0, 'SB_ERR_NETWORK', 'Cannot reach Switchboard. Check your connection; the console keeps trying.');
    const done = store.change({ priority: 'urgent' });
    expect(store.shown.value?.priority).toBe('urgent');
    await done;
    expect(store.shown.value?.priority).toBe('normal');
    expect(store.error.value).toBe('The priority was not changed. Cannot reach Switchboard. Check your connection; the console keeps trying.');
  });

  it('names the field in words', () => {
    const err = new ApiError(400, 'SB_ERR_VALIDATION', 'assigneeId does not name an active agent of this team.');
    expect(changeError({ assigneeId: 'x' }, err)).toBe('The assignee was not changed. assigneeId does not name an active agent of this team.');
    expect(changeError({ teamId: null }, new Error('Boom.'))).toBe('The team was not changed. Boom.');
    expect(changeError({ tags: [] }, new Error('Boom.'))).toBe('The tags were not changed. Boom.');
  });

  it('assigns, unassigns and moves to a team', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    await store.change({ assigneeId: 'agent-2' });
    expect(store.shown.value?.assigneeId).toBe('agent-2');
    await store.change({ assigneeId: null });
    await store.change({ teamId: 'team-b' });
    expect(api.calls.filter((c) => c.startsWith('PATCH'))).toEqual([
      'PATCH /tickets/t1 {"assigneeId":"agent-2"}',
      'PATCH /tickets/t1 {"assigneeId":null}',
      'PATCH /tickets/t1 {"teamId":"team-b"}',
    ]);
    expect(store.shown.value).toMatchObject({ assigneeId: null, teamId: 'team-b' });
  });
});

describe('tags', () => {
  it('adds typed tags to the ones the ticket has, without duplicates', async () => {
    const { api, store, open } = await setup([ticket('t1', { tags: ['refund'] })]);
    await open('c1');
    expect(store.addTags('vip, #billing Refund')).toBeNull();
    expect(store.shown.value?.tags).toEqual(['refund', 'vip', 'billing']);
    await settle();
    expect(api.calls).toContain('PATCH /tickets/t1 {"tags":["refund","vip","billing"]}');
  });

  it('removes one', async () => {
    const { api, store, open } = await setup([ticket('t1', { tags: ['refund', 'vip'] })]);
    await open('c1');
    store.removeTag('refund');
    expect(store.shown.value?.tags).toEqual(['vip']);
    await settle();
    expect(api.calls).toContain('PATCH /tickets/t1 {"tags":["vip"]}');
  });

  it('refuses what the server would, in words, before sending', async () => {
    expect(parseTags('x'.repeat(51), [])).toEqual({ add: [], error: 'A tag can be at most 50 characters long.' });
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    expect(parseTags('one-more', fifty)).toEqual({ add: [], error: 'A ticket can have at most 50 tags.' });
    expect(parseTags('  , ', [])).toEqual({ add: [], error: null });
    const { api, store, open } = await setup();
    await open('c1');
    expect(store.addTags('x'.repeat(51))).toBe('A tag can be at most 50 characters long.');
    expect(api.calls.some((c) => c.startsWith('PATCH'))).toBe(false);
  });
});

describe('who the ticket can be assigned to', () => {
  const agents: TeamAgent[] = [
    { id: 'agent-1', name: 'Ada Lovelace', role: 'agent', active: true },
    { id: 'agent-2', name: 'Grace Hopper', role: 'agent', active: true },
    { id: 'agent-3', name: 'Alan Turing', role: 'admin', active: true },
    { id: 'agent-4', name: 'Gone Person', role: 'agent', active: false },
  ];
  const teams: Team[] = [{ id: 'team-b', name: 'Billing', strategy: 'round_robin', members: [{ agentId: 'agent-1', capacity: 5 }, { agentId: 'agent-2', capacity: null }] }];

  it('is the active members of the ticket’s team by name, me marked', () => {
    expect(assigneeChoices({ teamId: 'team-b', assigneeId: null }, agents, teams, 'agent-1').map((a) => a.name)).toEqual(['Ada Lovelace (you)', 'Grace Hopper']);
  });

  it('is every active agent when the ticket has no team', () => {
    expect(assigneeChoices({ teamId: null, assigneeId: null }, agents, teams, null).map((a) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
  });

  it('always includes the current assignee, even from outside the team', () => {
    expect(assigneeChoices({ teamId: 'team-b', assigneeId: 'agent-3' }, agents, teams, null).map((a) => a.id)).toContain('agent-3');
    expect(assigneeChoices({ teamId: null, assigneeId: 'agent-9' }, agents, teams, null)[0]).toEqual({ id: 'agent-9', name: 'Another agent' });
  });

  it('follows the team chosen in the panel', async () => {
    const { store, open } = await setup();
    await open('c1');
    expect(store.assignees.value.map((a) => a.id)).toEqual(['agent-1', 'agent-3', 'agent-2']);
    void store.change({ teamId: 'team-b' });
    expect(store.assignees.value.map((a) => a.name)).toEqual(['Grace Hopper']);
  });
});

describe('live updates', () => {
  it('shows a change another agent or the SLA scheduler made to the shown ticket', async () => {
    const { api, host, store, open } = await setup();
    await open('c1');
    host.emit(TICKET_EVENT, api.touch('t1', { priority: 'high', assigneeId: 'agent-2' }));
    expect(store.shown.value).toMatchObject({ priority: 'high', assigneeId: 'agent-2' });
  });

  it('ignores an older version and other conversations’ tickets', async () => {
    const { api, host, store, open } = await setup();
    await open('c1');
    const stale = api.tickets.get('t1')!;
    host.emit(TICKET_EVENT, api.touch('t1', { status: 'pending' }));
    host.emit(TICKET_EVENT, stale);
    host.emit(TICKET_EVENT, ticket('t9', { number: 9999, conversationIds: ['c9'], createdAt: api.tick() }));
    expect(store.shown.value).toMatchObject({ number: 1042, status: 'pending' });
  });

  it('switches to the follow-up ticket the customer’s message opened after the old one closed', async () => {
    const { api, host, store, open } = await setup();
    await open('c1');
    host.emit(TICKET_EVENT, api.touch('t1', { status: 'closed' }));
    host.emit(TICKET_EVENT, ticket('t2', { number: 1043, createdAt: api.tick(), updatedAt: api.tick() }));
    expect(store.shown.value?.number).toBe(1043);
    await settle();
    expect(api.calls).toContain('GET /tickets/t2/notes');
  });

  it('shows the ticket an auto-mode conversation gets on its first message', async () => {
    const { host, store, open } = await setup([]);
    await open('c1');
    host.emit(TICKET_EVENT, ticket('t5', { number: 1077 }));
    expect(store.shown.value?.number).toBe(1077);
  });

  it('keeps an event that arrives while the first fetch is under way', async () => {
    const { api, host, store } = await setup();
    const slow = gate();
    api.gates.set('list', slow.p);
    host.selectedId.value = 'c1';
    host.joined('c1');
    await settle(); // the server has read the ticket (open); its answer is on the way
    host.emit(TICKET_EVENT, api.touch('t1', { status: 'solved' }));
    slow.open();
    await settle();
    expect(store.shown.value?.status).toBe('solved');
  });

  it('fetches the ticket again after a reconnect (events may have been missed)', async () => {
    const { api, host, store, open } = await setup();
    await open('c1');
    api.touch('t1', { status: 'on_hold' }); // while offline: no event
    host.joined('c1'); // the console rejoined the room after reconnecting
    await settle();
    expect(api.calls.filter((c) => c === 'GET /tickets?conversationId=c1')).toHaveLength(2);
    expect(store.shown.value?.status).toBe('on_hold');
    expect(api.calls.filter((c) => c === 'GET /agents')).toHaveLength(1); // the team is loaded once
  });

  it('loads the team again for another agent signing in', async () => {
    const { api, host, open } = await setup();
    await open('c1');
    host.selectedId.value = null;
    host.agent.value = { ...ada, id: 'agent-2', name: 'Grace Hopper' };
    await open('c1');
    expect(api.calls.filter((c) => c === 'GET /agents')).toHaveLength(2);
  });

  it('stops listening when disposed', async () => {
    const { api, host, store, open } = await setup();
    await open('c1');
    store.dispose();
    host.emit(TICKET_EVENT, api.touch('t1', { status: 'solved' }));
    expect(store.shown.value?.status).toBe('open');
  });
});

describe('internal notes', () => {
  it('adds a note to the shown ticket and lists it once', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    expect(await store.addNote('  Customer prefers email.  ')).toBe(true);
    expect(api.calls).toContain('POST /tickets/t1/notes Customer prefers email.');
    expect(store.notes.value?.items.map((n) => `${n.author.name}: ${n.text}`)).toEqual(['Ada Lovelace: Customer prefers email.']);
    expect(store.noteSending.value).toBe(false);
  });

  it('keeps the text when the note is refused, and says why', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    api.addTicketNote = async () => {
      throw new ApiError(404, 'SB_ERR_NOT_FOUND', 'The ticket was not found.');
    };
    expect(await store.addNote('Call back at 5')).toBe(false);
    expect(store.noteError.value).toBe('The note was not saved. The ticket was not found.');
  });

  it('sends nothing for an empty note', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    expect(await store.addNote('   ')).toBe(false);
    expect(api.calls.some((c) => c.startsWith('POST'))).toBe(false);
  });

  it('sends the @mentioned agents with the note', async () => {
    const { api, store, open } = await setup();
    await open('c1');
    expect(await store.addNote('@Bob Stone please call her', ['a-bob'])).toBe(true);
    expect(api.calls).toContain('POST /tickets/t1/notes @Bob Stone please call her mentions=a-bob');
  });

  it('a note another agent adds to the shown ticket appears live, once; one of another ticket does not', async () => {
    const { host, store, open } = await setup();
    await open('c1');
    const note: TicketNoteView = { id: 'n-live', ticketId: 't1', author: { id: 'a-bob', name: 'Bob Stone' }, text: 'Refund approved', createdAt: '2025-03-12T10:05:00.000Z' };
    host.emit(NOTE_EVENT, note);
    host.emit(NOTE_EVENT, note);
    host.emit(NOTE_EVENT, { ...note, id: 'n-other', ticketId: 't9' });
    expect(store.notes.value?.items.map((n) => n.id)).toEqual(['n-live']);
  });

  it('merges notes by id, oldest first', () => {
    const n = (id: string, at: string): TicketNoteView => ({ id, ticketId: 't1', author: {}, text: id, createdAt: at });
    expect(mergeNotes([n('b', '2025-03-12T10:02:00Z')], [n('a', '2025-03-12T10:01:00Z'), n('b', '2025-03-12T10:02:00Z')]).map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('CRM link', () => {
  it('names the provider and links only to web addresses', () => {
    expect(crmName('hubspot')).toBe('HubSpot');
    expect(crmName('builtin')).toBe('Contact directory');
    expect(crmName(undefined)).toBe('CRM');
    expect(safeUrl('https://app.hubspot.com/contacts/1/contact/2')).toBe('https://app.hubspot.com/contacts/1/contact/2');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(undefined)).toBeNull();
  });
});
