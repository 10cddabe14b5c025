import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@switchboard/config';
import { newId } from '@switchboard/contracts';
import { createLogger } from '@switchboard/logging';
import { Repositories } from '@switchboard/inbox-service';
import { eventually, tempDir } from '@switchboard/testkit';
import { FakeWhatsApp } from '@switchboard/connector-whatsapp-web/testing';
import { buildHub, type Hub } from '../src/app.js';
import { inboundMessage, seedTenant } from '../../inbox-service/test/harness.js';

/** Deleting a tenant or erasing a contact reaches every service's data, files included. */
describe('data removal across services', () => {
  const data = tempDir('sb-hub-removal');
  let hub: Hub;

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: data.dir, LOG_LEVEL: 'silent', DEMO_SEED: 'false', SMTP_INBOUND_PORT: '0', JWT_SECRET: 'removal-test-secret-removal-test-secret' });
    hub = await buildHub(config, { logger: createLogger({ level: 'silent', format: 'json' }), whatsappWebFactory: new FakeWhatsApp().factory });
    await hub.app.ready();
  });
  afterAll(async () => {
    await hub.app.close();
    data.remove();
  });

  const call = async (token: string, method: 'DELETE' | 'GET', url: string, body?: unknown) =>
    hub.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  it("deleting a tenant removes its files and connector records, not another tenant's", async () => {
    const repos = new Repositories(hub.platform.store);
    const a = await seedTenant(repos, 'files-a');
    const b = await seedTenant(repos, 'files-b');
    const blobs = hub.app.channels.blobs;
    const fileA = await blobs.put(Buffer.from('photo of tenant A'), { tenantId: a.tenantId, mime: 'image/jpeg', name: 'a.jpg' });
    const fileB = await blobs.put(Buffer.from('photo of tenant B'), { tenantId: b.tenantId, mime: 'image/jpeg', name: 'b.jpg' });
    for (const t of [a, b]) {
      await hub.platform.store.collection<{ _id: string; tenantId: string; idempotencyKey: string }>('connector_deliveries').insertOne({ _id: newId(), tenantId: t.tenantId, idempotencyKey: 'k' });
      await hub.platform.store.collection<{ _id: string; tenantId: string; providerMessageId: string }>('meta_sent').insertOne({ _id: newId(), tenantId: t.tenantId, providerMessageId: 'wamid.1' });
    }
    const token = await hub.platform.tokens.signAccess({ agentId: a.agentId, tenantId: a.tenantId, role: 'admin', name: 'A' });
    const res = await call(token, 'DELETE', '/tenant', { confirm: 'Tenant files-a' });
    expect(res.statusCode).toBe(202);

    await eventually(async () => (await blobs.stat(a.tenantId, fileA.ref)) === null, 10_000, "tenant A's file removed");
    await eventually(async () => (await hub.platform.store.collection('meta_sent').countDocuments({ tenantId: a.tenantId })) === 0, 10_000);
    expect(await hub.platform.store.collection('connector_deliveries').countDocuments({ tenantId: a.tenantId })).toBe(0);
    expect(await blobs.stat(b.tenantId, fileB.ref)).not.toBeNull();
    expect(await hub.platform.store.collection('meta_sent').countDocuments({ tenantId: b.tenantId })).toBe(1);
  });

  it("erasing a contact removes the files they sent", async () => {
    const repos = new Repositories(hub.platform.store);
    const t = await seedTenant(repos, 'erase');
    const file = await hub.app.channels.blobs.put(Buffer.from('passport scan'), { tenantId: t.tenantId, mime: 'image/png', name: 'passport.png' });
    await hub.platform.bus.publishInbound({
      ...inboundMessage(t, { externalId: 'tg-with-file', text: 'here is my passport' }),
      attachments: [{ kind: 'image', name: 'passport.png', mime: 'image/png', ref: file.ref }],
    });
    const r = repos.forTenant(t.tenantId);
    const msg = await eventually(() => r.messages.findOne({ externalId: 'tg-with-file' }), 10_000, 'message stored');
    const conv = await r.conversations.findById(msg.conversationId);
    const token = await hub.platform.tokens.signAccess({ agentId: t.agentId, tenantId: t.tenantId, role: 'admin', name: 'Admin' });
    const erased = await call(token, 'DELETE', `/contacts/${conv!.contact.id}`);
    expect(erased.statusCode).toBe(200);
    await eventually(async () => (await hub.app.channels.blobs.stat(t.tenantId, file.ref)) === null, 10_000, 'file removed');
  });
});
