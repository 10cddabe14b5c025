import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggingOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Service name put on every line. */
  service?: string;
}

/** Structured logs with pino. Context (tenantId, conversationId, traceId) goes in child loggers. */
export function createLogger(opts: LoggingOptions): Logger {
  return pino({
    level: opts.level,
    base: { service: opts.service ?? 'switchboard' },
    redact: {
      paths: ['req.headers.authorization', 'password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken', 'secret', '*.secret',
        'req.headers.cookie', 'req.headers["x-api-key"]', 'apiKey', '*.apiKey', 'signingSecret', '*.signingSecret',
        'secretSealed', '*.secretSealed', 'credentials', '*.credentials', 'accessToken', '*.accessToken'],
      censor: '[redacted]',
    },
    ...(opts.format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}
