import { t } from './i18n/identity.js';

/**
 * Identity verification of a website inbox, as the console explains it: a site that signs its
 * user ids passes Switchboard.identify({ id, hash }) with hash = hex HMAC-SHA256(identitySecret, id)
 * (platform/contracts/src/web-inboxes.ts). Only the lazily loaded identity chunk imports this.
 */

/** The question before a new identity secret: the website's server must sign with the new one. */
export const rotateSecretQuestion = (name: string): string =>
  t('id.rotateQ', { name });

/** How a site's server computes the hash identify() carries, as a Node one-liner (secret and user id as arguments). */
export const HASH_EXAMPLE = `node -e "console.log(require('crypto').createHmac('sha256',process.argv[1]).update(process.argv[2]).digest('hex'))" SECRET USER_ID`;

/** What stands for the secret until it is revealed: a dot a character, at most 32. */
export const masked = (secret: string): string => '•'.repeat(Math.min(secret.length, 32));
