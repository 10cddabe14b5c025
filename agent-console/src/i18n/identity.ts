import { messages } from './index.js';

/** English text of a website inbox's identity verification, a chunk of its own. */
export const en = {
  'id.rotateQ': 'Make a new identity secret for “{name}”? Hashes your website signs with the current one stop verifying until its server uses the new secret.',
  'id.copyFailed': 'Couldn’t copy: select the secret and press Ctrl+C (⌘C).',
  'id.title': 'Identity verification',
  'id.switch': 'Verify signed-in visitors',
  'id.how': 'When on, the page names a visitor with {call}, where {hash} is the HMAC-SHA256 of the user id with this secret, in hex, made on your server (never put the secret in the page). Agents see such visitors as verified. In Node:',
  'id.hide': 'Hide',
  'id.reveal': 'Reveal',
  'id.rotate': 'New secret',
  'id.copied': 'Copied',
  'id.copy': 'Copy',
};

export const t = messages('identity', en);
