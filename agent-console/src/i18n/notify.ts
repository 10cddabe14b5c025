import { messages } from './index.js';

/** English text of desktop notifications and their offer, a chunk of its own. */
export const en = {
  visitor: 'Visitor {id}',
  sentFile: { one: 'Sent a file', other: 'Sent {count} files' },
  newMessage: 'New message',
  mentioned: '{name} mentioned you in a note',
  openToRead: 'Open the conversation to read it.',
  offerLabel: 'Desktop notifications',
  offer: 'Get a desktop notification and a sound when a customer writes in one of your conversations.',
  enable: 'Enable notifications',
  later: 'Not now',
};

export const t = messages('notify', en);
