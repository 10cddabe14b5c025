import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@switchboard/testkit';
import { Repositories } from '../src/repositories/index.js';
import { agentToken, inboundMessage, injectApi, seedTenant, startInstance, type Instance, type SeededTenant } from './harness.js';

/** A customer's message that answers an earlier one names it by our message id (the console quotes it). */
describe('replies to earlier messages', () => {
  let hub: Instance;
  let t: SeededTenant;
  let token = '';

  beforeAll(async () => {
    hub = await startInstance();
    t = await seedTenant(new Repositories(hub.platform.store), 'replyto');
    token = await agentToken(hub, t);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('replyTo is the stored message’s id when the channel’s id is known, else the channel’s id as sent', async () => {
    await hub.platform.bus.publishInbound({ ...inboundMessage(t, { externalId: 'tg-100', threadKey: 'chat-r', text: 'My order is late' }) });
    await hub.platform.bus.publishInbound({ ...inboundMessage(t, { externalId: 'tg-101', threadKey: 'chat-r', text: 'About this one' }), replyTo: 'tg-100' });
    await hub.platform.bus.publishInbound({ ...inboundMessage(t, { externalId: 'tg-102', threadKey: 'chat-r', text: 'And an old one' }), replyTo: 'tg-1' });
    const repos = new Repositories(hub.platform.store).forTenant(t.tenantId);
    const conv = await eventually(async () => {
      const c = await repos.conversations.findOne({ threadKey: 'chat-r' });
      return c && c.lastSeq >= 3 ? c : null;
    }, 10_000, 'three messages stored');
    const { body } = await injectApi(hub.app, 'GET', `/conversations/${conv._id}/messages`, undefined, token);
    const [original, reply, old] = body.items as { id: string; replyTo?: string }[];
    expect(original!.replyTo).toBeUndefined();
    expect(reply!.replyTo).toBe(original!.id);
    expect(old!.replyTo).toBe('tg-1');
  });
});
