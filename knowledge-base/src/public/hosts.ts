import type { IncomingMessage } from 'node:http';
import type { Logger } from '@switchboard/logging';
import type { KbStore } from '../articles/repository.js';

export interface KbHostsOptions {
  /** How often the host → portal map is reloaded from the store; default 30000. */
  refreshEveryMs?: number;
}

/**
 * Which help center a custom domain serves. Fastify rewrites URLs synchronously before routing,
 * so the map lives in memory: loaded at start, reloaded every 30 s (other instances see a
 * settings change within that), and at once through `refresh()` after a change here.
 */
export class KbHosts {
  private portalByHost = new Map<string, string>();
  private readonly servedHost = new WeakMap<IncomingMessage, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: KbStore,
    private readonly logger: Logger,
    private readonly opts: KbHostsOptions = {},
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer ??= setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'custom domains could not be reloaded; keeping the last known'));
    }, this.opts.refreshEveryMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    const next = new Map<string, string>();
    for (const s of await this.store.customDomains()) if (s.customDomain) next.set(s.customDomain.toLowerCase(), s.portal);
    this.portalByHost = next;
  }

  /**
   * The URL a request to a custom domain is routed as (`/en/x` → `/help/<portal>/en/x`), or
   * undefined for every other host. Only the Host header counts, not X-Forwarded-Host: a
   * client-chosen header must not make the main host answer as a help center (cache poisoning);
   * the reverse proxy passes Host through.
   */
  rewrite = (req: IncomingMessage): string | undefined => {
    const host = hostName(req.headers.host);
    const portal = host ? this.portalByHost.get(host) : undefined;
    if (!host || !portal) return undefined;
    this.servedHost.set(req, host);
    const url = req.url ?? '/';
    return `/help/${encodeURIComponent(portal)}${url.startsWith('/') ? url : `/${url}`}`;
  };

  /** The custom domain a (rewritten) request came in on; undefined on the main host. */
  customHostOf(req: IncomingMessage): string | undefined {
    return this.servedHost.get(req);
  }
}

/** `Help.Acme.com:443` → `help.acme.com`. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const host = header.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return host || undefined;
}
