import { messages } from './index.js';

/** English text of the search overlay ("/"), a chunk of its own. */
export const en = {
  label: 'Search',
  placeholder: 'Search messages, contacts and tickets',
  close: 'Close search',
  failed: 'The search failed. Please try again.',
  conversations: 'Conversations',
  contacts: 'Contacts',
  tickets: 'Tickets',
  unknownContact: 'Unknown contact',
  unnamedContact: 'Unnamed contact',
  noConversation: 'No conversation yet',
  hint: 'Type a word from a message, a contact’s name, email or phone, or a ticket’s subject or number.',
  searching: 'Searching…',
  nothing: 'Nothing matches “{text}”.',
  results: { one: '{count} result. Use the arrow keys and Enter to open one.', other: '{count} results. Use the arrow keys and Enter to open one.' },
  resultsLabel: 'Results',
  'status.new': 'new',
  'status.open': 'open',
  'status.pending': 'pending',
  'status.on_hold': 'on hold',
  'status.solved': 'solved',
  'status.closed': 'closed',
};

export const t = messages('search', en);
