import { messages } from './index.js';

/** English text of the keyboard shortcuts overlay (`?`), a chunk of its own. */
export const en = {
  title: 'Keyboard shortcuts',
  close: 'Close',
  note: 'Single keys act when the focus is not in a text field.',
  next: 'Next conversation',
  previous: 'Previous conversation',
  reply: 'Reply (go to the reply box)',
  noteWrite: 'Write an internal note',
  resolve: 'Resolve the conversation',
  assignee: 'Change the assignee',
  snooze: 'Snooze the conversation (choose until when)',
  search: 'Search messages, contacts and tickets',
  help: 'Show these shortcuts',
  send: 'Send the reply (in the reply box)',
  newLine: 'New line in the reply',
  article: 'Insert a help center article (in the reply box)',
  addNote: 'Add the note (in the note box)',
  closeList: 'Close this list',
};

export const t = messages('shortcuts', en);
