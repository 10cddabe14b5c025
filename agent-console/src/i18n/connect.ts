import { messages } from './index.js';

/** English text of connecting a channel account and its Test / Disable / Remove, a chunk of its own. */
export const en = {
  'connect.noName': 'Give the account a name.',
  'connect.fill': 'Fill in “{label}”.',
  'connect.wrong': '“{label}” doesn’t look right.',
  'connect.works': 'The connection works.',
  'connect.worksAs': 'The connection works ({label}).',
  'connect.failed': 'The test failed: {reason}.',
  'connect.noReason': 'no reason given',
  'connect.removeQ': 'Remove “{name}”? Its messages stop arriving; its inbox and conversations stay.',
  'connect.title': 'Connect a channel',
  'connect.connected': '{name} is connected.',
  'connect.webhook': 'Webhook URL for the provider’s dashboard:',
  'connect.channel': 'Channel',
  'connect.choose': 'Choose…',
  'connect.namePlaceholder': 'e.g. Support bot',
  'connect.checking': 'Checking…',
  'connect.submit': 'Connect {title}',
  'connect.test': 'Test',
  'connect.enable': 'Enable',
  'connect.disable': 'Disable',
  'connect.name': 'Name',
  'connect.remove': 'Remove',
};

export const t = messages('connect', en);
