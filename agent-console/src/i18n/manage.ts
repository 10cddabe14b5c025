import { messages } from './index.js';

/**
 * English text of the administration's tools loaded on demand beyond the tabs: a webhook's
 * editor and test (ui/admin/webhook-tools.tsx) and the audit log (ui/admin/audit-log.tsx).
 */
export const en = {
  'hook.edit': 'Edit',
  'hook.enabled': 'On: events are sent',
  'hook.test': 'Send test event',
  'hook.testing': 'Sending…',
  'hook.testOk': 'Test event delivered: HTTP {status} in {ms} ms.',
  'hook.testFailed': 'Test event not delivered: {error}.',
  'hook.url': 'Address',
  'hook.description': 'Description',
  'hook.events': 'Events',
  'hook.all': 'All events, including ones added later',
  'hook.save': 'Save',
  'hook.cancel': 'Cancel',
  'hook.once': 'It is shown only now: copy it and keep it somewhere safe.',
  'hook.rotate': 'New signing secret',
  'hook.rotateQ': 'Replace the signing secret? The current one stops working at once.',
  'hook.secret': 'The new signing secret:',
  'audit.when': 'When',
  'audit.who': 'Who',
  'audit.what': 'What',
  'audit.target': 'Changed',
  'audit.none': 'Nothing recorded yet.',
  'audit.more': 'Older entries',
  'audit.retry': 'Try again',
  'audit.system': 'System',
  'audit.key': 'API key',
};

export const t = messages('manage', en);
