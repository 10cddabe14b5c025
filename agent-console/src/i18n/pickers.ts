import { messages } from './index.js';

/** English text of the header's and composer's pop-ups: snooze times, canned responses, article links. */
export const en = {
  'snooze.hour': 'In 1 hour',
  'snooze.tonight': 'Tonight 18:00',
  'snooze.tomorrow': 'Tomorrow 09:00',
  'snooze.monday': 'Next Monday 09:00',
  'snooze.pickDateTime': 'Pick a date and a time.',
  'snooze.passed': 'That time has passed; pick one in the future.',
  'snooze.tooLong': 'A conversation can be snoozed for at most a year.',
  'snooze.failed': 'The conversation was not snoozed. {reason}',
  'snooze.tryAgain': 'Please try again.',
  'snooze.until': 'Snooze until',
  'snooze.pick': 'Pick a date and time…',
  'snooze.snoozing': 'Snoozing…',
  'snooze.snooze': 'Snooze',
  'canned.failed': 'Canned responses could not be loaded. {reason}',
  'canned.label': 'Canned responses',
  'canned.loading': 'Loading canned responses…',
  'canned.none': 'Your team has no canned responses yet; admins add them in Administration.',
  'canned.noMatch': 'No canned response matches “/{query}”.',
  'canned.keys': '{up} {down} to choose · {enter} or {tab} to insert · {esc} to close',
  'articles.label': 'Insert an article link',
  'articles.placeholder': 'Search help center articles',
  'articles.list': 'Articles',
  'articles.hint': 'Type to find a published article; Enter puts its link in the reply.',
  'articles.noMatch': 'No published article matches “{query}”.',
  'articles.searching': 'Searching…',
};

export const t = messages('pickers', en);
