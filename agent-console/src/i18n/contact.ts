import { messages } from './index.js';

/** English text of the contact card beside a conversation, a chunk of its own. */
export const en = {
  'channel.web': 'Website',
  'channel.email': 'Email',
  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.resolved': 'Resolved',
  'status.snoozed': 'Snoozed',
  'provider.builtin': 'the contact directory',
  unnamed: 'Unnamed contact',
  mergedElsewhere: 'Contacts in {provider} are merged in {provider} itself.',
  mergeWho: 'An admin or a supervisor can merge this contact with another.',
  openIn: 'Open in {provider}',
  openInDirectory: 'Open in the directory',
  wentWrong: 'Something went wrong.',
  gone: 'This person is not in the CRM any more.',
  loadFailed: 'Couldn’t load the contact. {reason}',
  title: 'Contact',
  loading: 'Loading the contact…',
  others: 'Other conversations',
  othersFailed: 'Couldn’t load their conversations. {reason}',
  none: 'None on other channels.',
  noMessages: 'No messages yet',
  merged: '{name} was merged into this contact.',
  mergeFailed: 'The contacts were not merged. {reason}',
  mergeWith: 'Merge with…',
  mergeGroup: 'Merge with another contact',
  mergeFind: 'Find the contact to merge into this one',
  mergePlaceholder: 'Name, email, phone or company',
  noMatch: 'No other contact matches.',
  confirm: 'Merge {from} into {into}? Their emails, phones, handles and conversations join this contact.',
  merging: 'Merging…',
  merge: 'Merge',
  cancel: 'Cancel',
};

export const t = messages('contact', en);
