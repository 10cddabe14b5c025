/**
 * Coded errors of the bus (same shape as @fastify/error: code, statusCode, a sentence), listed in
 * docs/bus.md. Kept dependency-free so the bus loads without fastify.
 */
export class BusError extends Error {
  override readonly name = 'BusError';
  constructor(
    readonly code: BusErrorCode,
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type BusErrorCode =
  | 'SB_ERR_BUS_CONFIG'
  | 'SB_ERR_BUS_UNREACHABLE'
  | 'SB_ERR_BUS_LOCKED'
  | 'SB_ERR_BUS_CLOSED'
  | 'SB_ERR_BUS_DEAD_LETTER'
  | 'SB_ERR_BUS_INVALID_MESSAGE'
  | 'SB_ERR_BUS_BUSY'
  | 'SB_ERR_BUS_UNAVAILABLE';

export const busErrors = {
  config: (detail: string) => new BusError('SB_ERR_BUS_CONFIG', 500, `Bus configuration is invalid: ${detail}.`),
  unreachable: (url: string, timeoutMs: number, cause: unknown) =>
    new BusError(
      'SB_ERR_BUS_UNREACHABLE',
      503,
      `RabbitMQ at ${redactUrl(url)} could not be reached within ${timeoutMs / 1000} s; ` +
        `check AMQP_URL and that the broker is running (${errorText(cause)}).`,
      { cause },
    ),
  locked: (dir: string, holder: string) =>
    new BusError(
      'SB_ERR_BUS_LOCKED',
      500,
      `The embedded bus journal ${dir} is already open in ${holder}; the embedded bus serves one ` +
        'process only (configure AMQP_URL to run several).',
    ),
  closed: () => new BusError('SB_ERR_BUS_CLOSED', 503, 'The bus is closed.'),
  unavailable: (holdMs: number, cause: unknown) =>
    new BusError(
      'SB_ERR_BUS_UNAVAILABLE',
      503,
      `RabbitMQ did not confirm the publish within ${holdMs / 1000} s (${errorText(cause)}); nothing was acknowledged, retry later.`,
      { cause },
    ),
  busy: (queue: string, depth: number, limit: number) =>
    new BusError('SB_ERR_BUS_BUSY', 503, `Inbound work is backed up (${queue} holds ${depth} messages, the limit is ${limit}); retry later.`),
  invalidMessage: (what: string, issues: string) =>
    new BusError('SB_ERR_BUS_INVALID_MESSAGE', 400, `Refusing to publish an invalid ${what}: ${issues}.`),
  deadLetter: (detail: string) =>
    new BusError('SB_ERR_BUS_DEAD_LETTER', 400, `This dead letter cannot be retried: ${detail}.`),
};

/** amqp://user:secret@host → amqp://user:***@host, so URLs can go into messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** The message of an error and of its causes ("failed to connect in time: connect ECONNREFUSED …"). */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const own = err.message || err.name;
  const cause = err.cause instanceof Error ? errorText(err.cause) : '';
  return cause && !own.includes(cause) ? `${own}: ${cause}` : own;
}
