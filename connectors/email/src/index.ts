/**
 * @switchboard/connector-email — email as a channel: an SMTP server (MX) and IMAP polling with
 * IDLE in, threading by Message-ID / References / subject token, replies over SMTP with DKIM.
 * docs/channels/email.md.
 */
export { emailChannel, type EmailChannelOptions } from './plugin.js';
export { emailConnector, mailSignature, SIGNATURE_HEADER, type EmailConnectorOptions } from './connector.js';
export { parseMail } from './parse.js';
