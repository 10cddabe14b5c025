import { Type, type Static } from 'typebox';
import type { Principal } from '@switchboard/auth';
import { Channel, ErrorBody } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Repositories } from '../repositories/index.js';
import type { InboxSearch } from './inbox-search.js';

const MessageHitView = Type.Object({
  conversationId: Type.String(),
  messageId: Type.String(),
  seq: Type.Integer(),
  snippet: Type.String({ description: 'The matched words in <mark>…</mark>, everything else HTML-escaped: insert it as HTML as it is.' }),
  channel: Channel,
  contactName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const ContactHitView = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  channel: Channel,
  conversationId: Type.Union([Type.String(), Type.Null()], { description: "The contact's most recently updated conversation." }),
});

export const TicketHitView = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  snippet: Type.String({ description: 'Like a message snippet: marked and HTML-escaped.' }),
  conversationId: Type.Union([Type.String(), Type.Null()], { description: "The ticket's first conversation (the console opens it)." }),
});
export type TicketHit = Static<typeof TicketHitView>;

/**
 * Finds the tickets a caller may see. Ticketing provides it when it runs in this process (it
 * imports the inbox service, never the other way round); without it the search has no tickets.
 */
export type TicketFinder = (principal: Principal, text: string, limit: number) => Promise<TicketHit[]>;

const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'The words to find; every one must match (the last one also as a prefix).' }),
    type: Type.Union([Type.Literal('all'), Type.Literal('messages'), Type.Literal('contacts'), Type.Literal('tickets')], { default: 'all' }),
    limit: Type.Integer({ minimum: 1, maximum: 50, default: 10, description: 'Hits per group.' }),
  },
  { additionalProperties: false },
);

const SearchResult = Type.Object({
  messages: Type.Array(MessageHitView),
  contacts: Type.Array(ContactHitView),
  tickets: Type.Array(TicketHitView),
});

/** Letters or digits: a query of punctuation alone has no word to look for. */
const HAS_WORD = /[\p{L}\p{N}]/u;

export interface SearchRouteDeps {
  repos: Repositories;
  search: InboxSearch;
  tickets: () => TicketFinder | null;
}

/** GET /search across messages, contacts and tickets; POST /search/reindex (admins). */
export async function searchRoutes(app: HttpServer, deps: SearchRouteDeps): Promise<void> {
  const { repos, search } = deps;
  const may = (p: Principal, scope: string) => p.kind === 'agent' || (p.scopes?.includes(scope) ?? false);

  app.get(
    '/search',
    {
      config: { access: { scope: 'conversations:read' } },
      schema: {
        tags: ['search'],
        summary: 'Find messages, contacts and tickets by their words (only those of inboxes the caller may see)',
        querystring: SearchQuery,
        response: { 200: SearchResult, 400: ErrorBody },
      },
    },
    async (req) => {
      const { q, type, limit } = req.query;
      if (!HAS_WORD.test(q)) throw errors.validation('Type at least one letter or digit to search for.', { path: '/q' });
      const p = req.principal;
      const want = (t: 'messages' | 'contacts' | 'tickets') => type === 'all' || type === t;
      const finder = deps.tickets();
      const [messages, contacts, tickets] = await Promise.all([
        want('messages') ? search.messages(p, repos.forPrincipal(p), q, limit) : [],
        want('contacts') && may(p, 'contacts:read') ? search.contacts(p, q, limit) : [],
        want('tickets') && finder && may(p, 'tickets:read') ? finder(p, q, limit) : [],
      ]);
      req.log.debug({ tenantId: p.tenantId, type, messages: messages.length, contacts: contacts.length, tickets: tickets.length }, 'search');
      return { messages, contacts, tickets };
    },
  );

  app.post(
    '/search/reindex',
    {
      config: { access: { roles: ['admin'], scope: 'conversations:write' } },
      schema: {
        tags: ['search'],
        summary: "Rebuild the search index of this team's messages and contacts from what is stored",
        response: { 200: Type.Object({ messages: Type.Integer(), contacts: Type.Integer() }) },
      },
    },
    async (req) => search.reindex(req.principal.tenantId),
  );
}
