import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { DestinationStream, Logger } from 'pino';

export interface LoggingOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Service name put on every line. */
  service?: string;
  /** Where JSON lines go (default stdout); tests pass an in-memory stream. Ignored with format "pretty". */
  destination?: DestinationStream;
}

/** Structured logs with pino. Context (tenantId, conversationId, traceId) goes in child loggers. */
export function createLogger(opts: LoggingOptions): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    base: { service: opts.service ?? 'switchboard' },
    redact: {
      paths: ['req.headers.authorization', 'password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken', 'secret', '*.secret',
        'req.headers.cookie', 'req.headers["x-api-key"]', 'apiKey', '*.apiKey', 'signingSecret', '*.signingSecret',
        'secretSealed', '*.secretSealed', 'credentials', '*.credentials', 'accessToken', '*.accessToken'],
      censor: '[redacted]',
    },
  };
  if (opts.format === 'pretty') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
