import type { FastifyReply } from 'fastify';
import type { TokenService } from '@switchboard/auth';
import type { SecretBox } from '@switchboard/crypto';
import type { SbError } from '@switchboard/http';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';
import type { Repositories } from '../repositories/index.js';
import type { AccessAuthenticator } from './authenticator.js';
import type { AuditLog } from './audit.js';
import type { LoginGuard } from './login-guard.js';
import type { Mailer } from './mailer.js';
import type { Sessions } from './sessions.js';

export { AccessAuthenticator } from './authenticator.js';
export { AuditLog, origin } from './audit.js';
export { LoginGuard } from './login-guard.js';
export { createMailer, type Mailer } from './mailer.js';
export { Sessions } from './sessions.js';
export { accessErrors } from './errors.js';
export { restrictTo } from './inbox-scope.js';

/** Everything the account and access routes work with. */
export interface AccessServices {
  repos: Repositories;
  tokens: TokenService;
  authenticator: AccessAuthenticator;
  sessions: Sessions;
  audit: AuditLog;
  guard: LoginGuard;
  mailer: Mailer;
  kv: KeyValue;
  secrets: SecretBox;
  publicUrl: string;
  logger: Logger;
}

/** Sends a coded error with extra headers (Retry-After), which a thrown error cannot carry. */
export function sendError(reply: FastifyReply, err: SbError, headers: Record<string, string> = {}) {
  return reply
    .status(err.statusCode)
    .headers(headers)
    .send({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
}
