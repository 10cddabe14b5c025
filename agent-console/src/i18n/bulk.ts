import { messages } from './index.js';

/** English text of the bulk action bar and its toasts, a chunk of its own. */
export const en = {
  label: 'Bulk actions',
  updating: 'Updating {n}…',
  selected: '{n} selected',
  selectAll: 'Select all {n} loaded',
  clear: 'Clear the selection (Esc)',
  assignMe: 'Assign to me',
  assignOther: 'Assign to another agent',
  assignTo: 'Assign to…',
  unassign: 'Unassign',
  resolve: 'Resolve',
  reopen: 'Reopen',
  pending: 'Mark pending',
  read: 'Mark read',
  you: 'you',
  anotherAgent: 'another agent',
  wentWrong: 'Something went wrong. Please try again.',
  'did.unassigned': 'unassigned',
  'did.assigned': 'assigned to {to}',
  'did.resolved': 'resolved',
  'did.reopened': 'reopened',
  'did.pending': 'marked pending',
  'did.read': 'marked read',
  conversations: { one: '{count} conversation', other: '{count} conversations' },
  done: '{n} {did}.',
  noneDone: 'No conversation was {did}.',
  notChanged: '{head} Not changed: {reasons}',
  more: '{names} and {n} more',
};

export const t = messages('bulk', en);
