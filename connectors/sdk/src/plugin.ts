import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TObject } from 'typebox';
import type { Subscription } from '@switchboard/bus';
import { newId } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
import { AuditLog, Repositories } from '@switchboard/inbox-service';
import type { Platform } from '@switchboard/runtime';
import type { Logger } from '@switchboard/logging';
import { accountView, type ChannelAccountRecord } from './accounts.js';
import { adminOnly, adminRead, callerTenant, ensureCaller, publicRoute } from './access.js';
import { connectorContext, stamp } from './context.js';
import { connectorErrors, MalformedPayload } from './errors.js';
import { Deliverer } from './outbound.js';
import type { ChannelAccount, Connector, ConnectorContext, InboundDraft, PullContext, WebhookRequest } from './types.js';

export interface ConnectorPluginOptions {
  platform: Platform;
  connector: Connector;
  /** Consume sb.outbound.<channel> and deliver in this process (default true). */
  deliver?: boolean;
  /** Start pull-mode receivers (long polling, sockets) of active accounts on ready (default true). */
  startAccounts?: boolean;
  /**
   * Hands the channel's runtime to code that receives outside webhooks and `start` (email's
   * shared SMTP server): a connector context for an account, and publishing the way webhooks do.
   */
  expose?(runtime: ConnectorRuntime): void;
}

export interface ConnectorRuntime {
  contextFor(account: ChannelAccount): ConnectorContext;
  /** Stamps and publishes (resolves once the broker confirmed), and notes the account's lastInboundAt. */
  publish(account: ChannelAccount, drafts: InboundDraft[]): Promise<void>;
}

/** How often an account's lastInboundAt is written while its messages keep coming. */
const LAST_INBOUND_EVERY_MS = 30_000;

/**
 * Mounts one channel: its webhooks (/webhooks/<channel>/<accountId>), its admin API
 * (/api/v1/channels/<channel>), its outbound consumer and its pull-mode receivers. Not wrapped
 * in fastify-plugin on purpose: each channel's raw-body parser and auth hook stay in its scope.
 */
export async function connectorPlugin(app: FastifyInstance, opts: ConnectorPluginOptions): Promise<void> {
  const { platform, connector } = opts;
  const channel = connector.channel;
  const logger = platform.logger.child({ component: 'connector', channel });
  if (!app.hasDecorator('channels')) throw new Error('register connectorsBase before any connector');
  const { accounts, blobs, webhooks: gate } = app.channels;
  const repos = new Repositories(platform.store);
  const audit = new AuditLog(repos, logger);
  const publicUrl = platform.config.publicUrl;
  const collections = new Set((connector.collections ?? []).map((c) => c.name));
  for (const c of connector.collections ?? []) {
    app.channels.retention.collections.add(c.name);
    for (const index of c.indexes ?? []) await platform.store.collection(c.name).createIndex(index);
  }
  // One child logger per account, not per webhook: making a child runs the logger's redaction
  // over its bindings (≈1 % of a busy hub's CPU in bench/ingest.ts when done per request).
  const accountLoggers = new Map<string, Logger>();
  const accountLogger = (account: ChannelAccount): Logger => {
    const key = `${account.tenantId}\u0000${account.accountId}`;
    let child = accountLoggers.get(key);
    if (!child) {
      if (accountLoggers.size >= 10_000) accountLoggers.clear();
      child = logger.child({ tenantId: account.tenantId, accountId: account.accountId });
      accountLoggers.set(key, child);
    }
    return child;
  };
  const contextFor = (account: ChannelAccount) =>
    connectorContext(account, { blobs, store: platform.store, collections, logger: accountLogger(account), publicUrl });

  /**
   * A customer's message answering one of our replies names it by the provider's id; the inbox
   * knows that reply as "out:<idempotencyKey>", and the delivery record links the two.
   */
  async function withOurReplyId(account: ChannelAccount, draft: InboundDraft): Promise<InboundDraft> {
    if (draft.kind !== 'message' || !draft.replyTo) return draft;
    try {
      const sent = await accounts.forTenant(account.tenantId).deliveries.findOne({ channel, accountId: account.accountId, externalId: draft.replyTo });
      return sent ? { ...draft, replyTo: `out:${sent.idempotencyKey}` } : draft;
    } catch (err) {
      // Only the quote of the original is lost; never the message.
      logger.warn({ err, tenantId: account.tenantId }, 'replied-to message not looked up');
      return draft;
    }
  }

  const lastInboundWritten = new Map<string, number>();

  /** Publishes one webhook's (or one pull's) events under one traceId, timing each confirm (stage "publish"). */
  async function publishAll(account: ChannelAccount, drafts: InboundDraft[], traceId: string = newId()): Promise<void> {
    for (const draft of drafts) {
      const event = stamp(account, await withOurReplyId(account, draft), traceId);
      const started = performance.now();
      await platform.bus.publishInbound(event, { traceId: event.traceId ?? traceId });
      platform.metrics.stageSeconds.observe({ stage: 'publish', channel }, (performance.now() - started) / 1000);
      logger.info({ traceId: event.traceId ?? traceId, tenantId: account.tenantId, accountId: account.accountId, eventId: event.id, kind: event.kind }, 'inbound event published');
    }
    // lastInboundAt is for people (channel health): once per LAST_INBOUND_EVERY_MS per account
    // and process is enough, and spares the store a write per webhook on a busy channel.
    const now = Date.now();
    if (drafts.length > 0 && now - (lastInboundWritten.get(account.accountId) ?? 0) >= LAST_INBOUND_EVERY_MS) {
      lastInboundWritten.set(account.accountId, now);
      await accounts
        .forTenant(account.tenantId)
        .accounts.updateOne({ _id: account.accountId }, { $set: { lastInboundAt: new Date() } })
        .catch((err: unknown) => logger.warn({ err, tenantId: account.tenantId }, 'lastInboundAt not updated'));
    }
  }

  opts.expose?.({ contextFor, publish: (account, drafts) => publishAll(account, drafts) });

  // ---- webhooks ------------------------------------------------------------------------------
  await app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const handler = async (req: FastifyRequest<{ Params: { accountId: string } }>, reply: FastifyReply) => {
      if (gate.max > 0 && gate.inFlight >= gate.max) {
        // Load shedding (docs/bus.md): at its limit the process answers at once, the provider retries.
        platform.metrics.webhooksShed.inc({ channel, reason: 'in_flight' });
        reply.header('retry-after', '1');
        throw connectorErrors.overloaded();
      }
      gate.inFlight++;
      platform.metrics.webhooksInFlight.inc();
      try {
        return await handleWebhook(req, reply);
      } finally {
        gate.inFlight--;
        platform.metrics.webhooksInFlight.dec();
      }
    };
    const handleWebhook = async (req: FastifyRequest<{ Params: { accountId: string } }>, reply: FastifyReply) => {
      const received = performance.now();
      // One id follows the webhook's events through the bus, the inbox and the logs of each stage.
      const traceId = newId();
      const record = await accounts.findForWebhook(channel, req.params.accountId);
      if (!record || record.status === 'disabled') throw connectorErrors.unknownAccount(channel, req.params.accountId);
      const account = accounts.open(record);
      const request: WebhookRequest = {
        method: req.method === 'GET' ? 'GET' : 'POST',
        headers: req.headers as Record<string, string | undefined>,
        query: req.query as Record<string, string | undefined>,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      };
      if (!(await connector.verify(request, account))) {
        logger.warn({ tenantId: account.tenantId, accountId: account.accountId }, 'webhook signature rejected');
        throw connectorErrors.badSignature(channel);
      }
      let parsed;
      try {
        parsed = await connector.parse(request, account, contextFor(account));
      } catch (err) {
        if (err instanceof MalformedPayload) {
          // Verified but unreadable: kept as a dead letter with its raw body, never dropped.
          await platform.bus
            .publishInboundRaw(request.rawBody, { channel })
            .catch((e: unknown) => logger.error({ err: e }, 'malformed webhook body not kept'));
          throw connectorErrors.malformed(channel, err.message);
        }
        throw err;
      }
      logger.debug({ traceId, reqId: req.id, tenantId: account.tenantId, accountId: account.accountId, events: parsed.events.length }, 'webhook received');
      platform.metrics.stageSeconds.observe({ stage: 'webhook', channel }, (performance.now() - received) / 1000);
      try {
        await publishAll(account, parsed.events, traceId);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'SB_ERR_BUS_BUSY') {
          // Load shedding (docs/bus.md): the provider retries later instead of the backlog growing unseen.
          logger.warn({ traceId, tenantId: account.tenantId, accountId: account.accountId }, 'inbound work backed up; asking the provider to retry');
          platform.metrics.webhooksShed.inc({ channel, reason: 'backlog' });
          reply.header('retry-after', '1');
          throw connectorErrors.busy();
        }
        logger.error({ err, traceId, tenantId: account.tenantId, accountId: account.accountId }, 'publish failed; asking the provider to retry');
        throw connectorErrors.unavailable();
      }
      const out = parsed.reply ?? {};
      reply.status(out.status ?? 200);
      if (out.contentType) reply.type(out.contentType);
      if (out.body === undefined) return reply.type('text/plain').send('ok');
      return reply.send(out.body);
    };
    const route = {
      config: publicRoute,
      bodyLimit: platform.config.bodyLimit,
      schema: { hide: true, params: Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 200 }) }) },
    };
    hooks.post(`/webhooks/${channel}/:accountId`, route, handler);
    hooks.get(`/webhooks/${channel}/:accountId`, route, handler);
  });

  // ---- pull-mode receivers -------------------------------------------------------------------
  const running = new Map<string, () => Promise<void>>();
  async function startAccount(record: ChannelAccountRecord): Promise<void> {
    await stopAccount(record._id);
    if (!connector.start || record.status === 'disabled') return;
    const account = accounts.open(record);
    const scoped = accounts.forTenant(record.tenantId).accounts;
    const ctx: PullContext = {
      ...contextFor(account),
      publish: (drafts) => publishAll(account, drafts),
      reportError: async (reason) => {
        logger.warn({ tenantId: record.tenantId, accountId: record._id, reason }, 'channel account reported an error');
        await scoped.updateOne({ _id: record._id }, { $set: { status: 'error', lastError: reason, updatedAt: new Date() } });
      },
    };
    try {
      const stop = await connector.start(account, ctx);
      if (stop) running.set(record._id, stop);
    } catch (err) {
      await ctx.reportError(`could not start: ${(err as Error).message}`);
    }
  }
  async function stopAccount(accountId: string): Promise<void> {
    const stop = running.get(accountId);
    running.delete(accountId);
    await stop?.().catch((err: unknown) => logger.warn({ err, accountId }, 'stopping account failed'));
  }

  // ---- admin API -----------------------------------------------------------------------------
  const CreateBody = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      credentials: connector.credentialsSchema,
      settings: Type.Optional(connector.settingsSchema),
    },
    { additionalProperties: false },
  );
  const PatchBody = Type.Object(
    {
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      credentials: Type.Optional(partialStrict(connector.credentialsSchema)),
      settings: Type.Optional(partialStrict(connector.settingsSchema)),
      status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    },
    { additionalProperties: false },
  );
  const Params = Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 200 }) });
  const tags = ['channels'];

  await app.register(
    async (api) => {
      ensureCaller(api, platform.tokens);
      const find = async (tenantId: string, accountId: string) => {
        const record = await accounts.forTenant(tenantId).accounts.findOne({ _id: accountId, channel });
        if (!record) throw errors.notFound(`The ${channel} account`);
        return record;
      };

      api.get('', { config: adminRead, schema: { tags, summary: `List ${channel} accounts` } }, async (req) => {
        const tenantId = callerTenant(req);
        const list = await accounts.forTenant(tenantId).accounts.find({ channel }, { sort: { createdAt: 1 } });
        return { items: list.map((r) => accountView(r, publicUrl)) };
      });

      api.get('/:accountId', { config: adminRead, schema: { tags, summary: `One ${channel} account`, params: Params } }, async (req) => {
        const tenantId = callerTenant(req);
        return accountView(await find(tenantId, (req.params as { accountId: string }).accountId), publicUrl);
      });

      api.post('', { config: adminOnly, schema: { tags, summary: `Connect a ${channel} account`, body: CreateBody } }, async (req, reply) => {
        const tenantId = callerTenant(req);
        const body = req.body as { name: string; credentials: Record<string, string>; settings?: Record<string, string> };
        const accountId = newId();
        const credentials = { ...(connector.generateSecrets?.() ?? {}), ...body.credentials };
        const draft: ChannelAccount = { tenantId, channel, accountId, inboxId: '', name: body.name, credentials, settings: body.settings ?? {} };
        const check = await connector.checkCredentials(draft, contextFor(draft));
        if (!check.ok) throw connectorErrors.credentialsRejected(channel, check.reason ?? 'no reason given');
        const r = repos.forTenant(tenantId);
        const inboxId = newId();
        const now = new Date();
        await r.inboxes.insertOne({ _id: inboxId, name: body.name, channel, channelAccountId: accountId, createdAt: now });
        const record = await accounts.forTenant(tenantId).accounts.insertOne({
          _id: accountId,
          channel,
          accountId,
          inboxId,
          name: body.name,
          ...(check.externalAccountId ? { externalAccountId: check.externalAccountId } : {}),
          credentials: accounts.seal(credentials),
          settings: body.settings ?? {},
          status: 'active',
          lastError: null,
          lastInboundAt: null,
          lastOutboundAt: null,
          createdAt: now,
          updatedAt: now,
        });
        logger.info({ tenantId, accountId, inboxId }, 'channel account connected');
        await startAccount(record);
        const fresh = (await accounts.forTenant(tenantId).accounts.findById(accountId)) ?? record;
        return reply.status(201).send(accountView(fresh, publicUrl));
      });

      api.patch('/:accountId', { config: adminOnly, schema: { tags, summary: `Change a ${channel} account (credentials are checked first)`, params: Params, body: PatchBody } }, async (req) => {
        const tenantId = callerTenant(req);
        const current = await find(tenantId, (req.params as { accountId: string }).accountId);
        const body = req.body as { name?: string; credentials?: Record<string, string>; settings?: Record<string, string>; status?: 'active' | 'disabled' };
        const set: Partial<ChannelAccountRecord> = { updatedAt: new Date() };
        if (body.name) set.name = body.name;
        if (body.settings) set.settings = { ...current.settings, ...body.settings };
        if (body.status) set.status = body.status;
        if (body.credentials) {
          const merged = { ...accounts.open(current).credentials, ...body.credentials };
          const draft = { ...accounts.open(current), credentials: merged, settings: set.settings ?? current.settings };
          const check = await connector.checkCredentials(draft, contextFor(draft));
          if (!check.ok) throw connectorErrors.credentialsRejected(channel, check.reason ?? 'no reason given');
          set.credentials = accounts.seal(merged);
          if (check.externalAccountId) set.externalAccountId = check.externalAccountId;
          set.lastError = null;
        }
        const updated = await accounts.forTenant(tenantId).accounts.findOneAndUpdate({ _id: current._id }, { $set: set }, { returnDocument: 'after' });
        if (!updated) throw errors.notFound(`The ${channel} account`);
        // The account's inbox carries its name in the console's lists and views.
        if (body.name && body.name !== current.name) await repos.forTenant(tenantId).inboxes.updateOne({ _id: current.inboxId }, { $set: { name: body.name } });
        // Which credentials changed, never their values.
        await audit.record(tenantId, req, {
          type: 'channel.updated',
          agentId: (req as { principal?: { agentId?: string } }).principal?.agentId ?? null,
          details: {
            target: current._id,
            channel,
            name: updated.name,
            fields: Object.keys(body),
            ...(body.credentials ? { credentials: Object.keys(body.credentials).sort() } : {}),
          },
        });
        if (updated.status === 'disabled') await stopAccount(updated._id);
        else await startAccount(updated);
        return accountView(updated, publicUrl);
      });

      api.delete('/:accountId', { config: adminOnly, schema: { tags, summary: `Disconnect a ${channel} account (its inbox and history stay)`, params: Params } }, async (req, reply) => {
        const tenantId = callerTenant(req);
        const current = await find(tenantId, (req.params as { accountId: string }).accountId);
        await stopAccount(current._id);
        // The inbox and its conversations stay: they are the history agents still read.
        await accounts.forTenant(tenantId).accounts.deleteOne({ _id: current._id });
        logger.info({ tenantId, accountId: current._id }, 'channel account removed');
        return reply.status(204).send();
      });

      api.post('/:accountId/test', { config: adminOnly, schema: { tags, summary: `Test a ${channel} account's connection`, params: Params } }, async (req) => {
        const tenantId = callerTenant(req);
        const current = await find(tenantId, (req.params as { accountId: string }).accountId);
        const account = accounts.open(current);
        let check;
        try {
          check = await connector.checkCredentials(account, contextFor(account));
        } catch (err) {
          check = { ok: false, reason: (err as Error).message };
        }
        if (current.status !== 'disabled') {
          await accounts.forTenant(tenantId).accounts.updateOne(
            { _id: current._id },
            { $set: { status: check.ok ? 'active' : 'error', lastError: check.ok ? null : (check.reason ?? 'failed'), updatedAt: new Date() } },
          );
        }
        return { ok: check.ok, reason: check.reason ?? null, label: check.label ?? null };
      });
    },
    { prefix: `/api/v1/channels/${channel}` },
  );

  // ---- outbound and lifecycle ----------------------------------------------------------------
  const deliverer = new Deliverer({
    connector,
    accounts,
    bus: platform.bus,
    kv: platform.kv,
    logger,
    metrics: platform.metrics,
    deliveryLimit: platform.config.bus.deliveryLimit,
    context: contextFor,
  });
  let subscription: Subscription | undefined;
  app.addHook('onReady', async () => {
    if (opts.deliver !== false) subscription = await platform.bus.consumeOutbound(channel, deliverer.handle);
    if (opts.startAccounts !== false && connector.start) {
      for (const record of await accounts.listActive(channel)) await startAccount(record);
    }
    logger.info({ deliver: opts.deliver !== false }, `${channel} connector ready`);
  });
  app.addHook('preClose', async () => {
    await subscription?.close();
    for (const id of [...running.keys()]) await stopAccount(id);
  });
}


/** Every field optional, unknown fields still refused (Type.Partial alone drops additionalProperties). */
function partialStrict(schema: TObject): TObject {
  return Type.Object(Type.Partial(schema).properties, { additionalProperties: false });
}
