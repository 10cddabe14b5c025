import { Type } from 'typebox';
import type { Bus, Subscription } from '@switchboard/bus';
import { ErrorBody, newId, type DomainEvent } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { DocumentStore } from '@switchboard/store';
import { callerOf } from './caller.js';
import type { TenantRecord } from './repositories/index.js';

/** Every collection holding tenant documents (a `tenantId` field); tenant deletion empties them all. */
export const TENANT_COLLECTIONS = [
  'messages',
  'conversations',
  'contacts',
  'inboxes',
  'webhook_deliveries',
  'webhooks',
  'api_keys',
  'password_resets',
  'invitations',
  'refresh_tokens',
  'audit_log',
  'mentions',
  'canned_responses',
  'csat',
  'dead_letters',
  'agents',
];

interface DeletableTenant extends TenantRecord {
  /** Set when an admin asked to delete the tenant; sign-in is refused from then on. */
  deletingAt?: Date;
}

export interface TenantDeletionOptions {
  /** Documents removed per round trip; default 500. */
  batchSize?: number;
  /** Drops the cached access state of a deactivated agent. */
  forgetAgent?: (agentId: string) => Promise<void>;
  /** Further collections with tenant documents (connectors, tickets …). */
  extraCollections?: string[];
  /** Wait before a last sweep for writes of requests that were in flight; default 60000. */
  settleMs?: number;
}

/**
 * Deleting a tenant: the request only marks it and publishes `tenant.deleted`; a durable bus
 * group removes its documents collection by collection in batches. Every step can run again, so
 * a crash or a redelivered event simply finishes the job; the tenant record goes last.
 */
export class TenantDeletion {
  private subscription: Subscription | undefined;
  private readonly collections: string[];
  private readonly batchSize: number;
  private readonly settleMs: number;
  private readonly settling = new Set<NodeJS.Timeout>();
  constructor(
    private readonly store: DocumentStore,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly opts: TenantDeletionOptions = {},
  ) {
    this.collections = [...TENANT_COLLECTIONS, ...(opts.extraCollections ?? [])];
    this.batchSize = opts.batchSize ?? 500;
    this.settleMs = opts.settleMs ?? 60_000;
  }

  private get tenants() {
    return this.store.collection<DeletableTenant>('tenants');
  }

  async start(): Promise<void> {
    this.subscription = await this.bus.subscribeEvents('tenant-deletion', ['tenant.deleted'], this.onEvent);
    // A deletion whose event was lost with a crashed publisher is picked up again here.
    for (const t of await this.tenants.find({ deletingAt: { $exists: true } })) {
      void this.purge(t._id).catch((err: unknown) => this.logger.error({ err, tenantId: t._id }, 'tenant deletion resume failed'));
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.settling) clearTimeout(timer);
    this.settling.clear();
    await this.subscription?.close();
  }

  /** Mark the tenant deleting and hand the work to the background consumer. */
  async request(tenantId: string, confirm: string, by: string | null): Promise<void> {
    const tenant = await this.tenants.findOne({ _id: tenantId });
    if (!tenant) throw errors.notFound('The tenant');
    if (confirm !== tenant.name) throw errors.validation('confirm must be exactly the team name.', { path: '/confirm' });
    await this.tenants.updateOne({ _id: tenantId, deletingAt: { $exists: false } }, { $set: { deletingAt: new Date() } });
    // Sign-in and every credential stop now, not when the purge reaches them.
    const now = new Date();
    const agents = await this.store.collection('agents').find({ tenantId }, { projection: { _id: 1 } });
    await this.store.collection('agents').updateMany({ tenantId }, { $set: { active: false } });
    // Access checks cache an agent's state for a minute; drop it so outstanding tokens stop now.
    for (const a of agents) await this.opts.forgetAgent?.(a._id);
    await this.store.collection('api_keys').updateMany({ tenantId, revokedAt: null }, { $set: { revokedAt: now } });
    await this.store.collection('refresh_tokens').updateMany({ tenantId, revokedAt: null }, { $set: { revokedAt: now } });
    await this.bus.publishEvent({
      id: newId(),
      v: 1,
      type: 'tenant.deleted',
      tenantId,
      at: new Date().toISOString(),
      data: { by },
    });
    this.logger.warn({ tenantId, by }, 'tenant deletion requested');
  }

  readonly onEvent = async (event: DomainEvent): Promise<void> => {
    await this.purge(event.tenantId);
    const timer = setTimeout(() => {
      this.settling.delete(timer);
      void this.sweep(event.tenantId).catch((err: unknown) => this.logger.error({ err, tenantId: event.tenantId }, 'last tenant sweep failed'));
    }, this.settleMs);
    timer.unref();
    this.settling.add(timer);
  };

  /** Remove every document of the tenant, in batches. Idempotent. */
  async purge(tenantId: string): Promise<{ removed: number }> {
    const log = this.logger.child({ tenantId });
    const tenant = await this.tenants.findOne({ _id: tenantId });
    if (tenant && tenant.deletingAt === undefined) {
      log.error('tenant.deleted received for a tenant not marked deleting; ignored');
      return { removed: 0 };
    }
    let removed = await this.sweep(tenantId);
    await this.tenants.deleteOne({ _id: tenantId });
    // Writes that raced the first sweep (an audit line of a refused sign-in, a message being
    // ingested) went in while the tenant still existed; with the tenant gone, none can follow.
    removed += await this.sweep(tenantId);
    log.warn({ removed }, 'tenant data removed');
    return { removed };
  }

  private async sweep(tenantId: string): Promise<number> {
    let removed = 0;
    for (const name of this.collections) {
      const collection = this.store.collection(name);
      for (;;) {
        const batch = await collection.find({ tenantId }, { limit: this.batchSize, projection: { _id: 1 } });
        if (!batch.length) break;
        removed += await collection.deleteMany({ tenantId, _id: { $in: batch.map((d) => d._id) } });
      }
    }
    return removed;
  }
}

/** DELETE /tenant (admins): the confirmation must repeat the team name. */
export async function tenantDeletionRoutes(app: HttpServer, deps: { deletion: TenantDeletion }): Promise<void> {
  app.delete(
    '/tenant',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['tenant'],
        summary: 'Delete the whole team and all of its data (runs in the background; cannot be undone)',
        body: Type.Object({ confirm: Type.String({ minLength: 1, maxLength: 300, description: 'The team name, exactly.' }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ status: Type.Literal('deleting') }), 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      await deps.deletion.request(caller.tenantId, req.body.confirm, caller.agentId ?? null);
      return reply.status(202).send({ status: 'deleting' as const });
    },
  );
}
