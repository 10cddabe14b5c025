import type { Logger } from '@switchboard/logging';

/** What `serve` needs of a fastify instance. */
export interface Servable {
  listen(opts: { port: number; host: string }): Promise<string>;
  /**
   * Fastify's close: the plugins' preClose hooks (stop consuming — a subscription's close waits
   * for its handlers in flight — and close sockets), then no new connections and the requests in
   * flight answered, then the onClose hooks (the platform's connections).
   */
  close(): Promise<void>;
  /** The HTTP server: keep-alive connections that go idle during the shutdown are closed as they do. */
  server?: { closeIdleConnections(): void };
}

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Longest a shutdown may take before the process exits with 1 anyway (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
}

export type ExitCode = 0 | 1;

/**
 * Runs a service process: listens, then on SIGTERM or SIGINT shuts down gracefully and exits 0.
 * Exits 1 when the shutdown fails, outlasts `shutdownTimeoutMs`, or a second signal comes (an
 * operator pressing Ctrl-C twice means "now"). Every main.ts ends here.
 */
export async function serve(app: Servable, opts: ServeOptions): Promise<void> {
  await app.listen({ port: opts.port, host: opts.host });
  const { logger } = opts;
  let shutting: Promise<ExitCode> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutting) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the shutdown');
      exit(1);
      return;
    }
    logger.info({ signal, timeoutMs: opts.shutdownTimeoutMs }, 'shutting down: finishing work in flight');
    shutting = shutDown(app, logger, opts.shutdownTimeoutMs);
    void shutting.then(exit);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Closes `app` within `timeoutMs`; resolves to the exit code. */
export async function shutDown(app: Servable, logger: Logger, timeoutMs: number): Promise<ExitCode> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ExitCode>((resolve) => {
    timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long: exiting with work still in flight');
      resolve(1);
    }, timeoutMs);
  });
  // Node closes the idle keep-alive connections when close() starts; one whose request was in
  // flight then would otherwise keep the server open until its keep-alive timeout.
  const sweep = setInterval(() => app.server?.closeIdleConnections(), 100);
  const closed = app.close().then(
    (): ExitCode => {
      logger.info({ ms: Date.now() - started }, 'shut down');
      return 0;
    },
    (err: unknown): ExitCode => {
      logger.error({ err }, 'shutdown failed');
      return 1;
    },
  );
  try {
    return await Promise.race([closed, timedOut]);
  } finally {
    clearTimeout(timer);
    clearInterval(sweep);
  }
}

function exit(code: ExitCode): void {
  // pino writes synchronously to stdout by default, so the last lines are out before this.
  process.exit(code);
}
