import { newId } from '@switchboard/contracts';
import { hashPassword } from '@switchboard/auth';
import type { Repositories } from './repositories/index.js';

export const DEMO = {
  tenantName: 'Demo Company',
  email: 'admin@demo.switchboard.local',
  password: 'switchboard-demo',
  widgetToken: 'demo-website',
} as const;

/**
 * A demo tenant, admin agent and website inbox, created once when the store has no tenant yet.
 * Returns what was created (or found) so the start-up banner can print the login.
 */
export async function seedDemo(repos: Repositories): Promise<{ created: boolean; widgetToken: string; email: string; password: string }> {
  const out = { widgetToken: DEMO.widgetToken, email: DEMO.email, password: DEMO.password };
  if ((await repos.countTenants()) > 0) {
    const existing = await repos.findInboxByWidgetToken(DEMO.widgetToken);
    return { created: false, ...out, widgetToken: existing?.widgetToken ?? DEMO.widgetToken };
  }
  const now = new Date();
  const tenant = await repos.createTenant({ _id: newId(), name: DEMO.tenantName, createdAt: now });
  const r = repos.forTenant(tenant._id);
  await r.agents.insertOne({
    _id: newId(),
    email: DEMO.email,
    name: 'Demo Admin',
    role: 'admin',
    passwordHash: await hashPassword(DEMO.password),
    createdAt: now,
  });
  const inboxId = newId();
  await r.inboxes.insertOne({ _id: inboxId, name: 'Website', channel: 'web', channelAccountId: inboxId, widgetToken: DEMO.widgetToken, createdAt: now });
  return { created: true, ...out };
}
