import { Type } from 'typebox';
import { AgentPresenceView } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import { NEVER_SEEN, presenceView, type Presence } from '../presence.js';
import type { Repositories } from '../repositories/index.js';

export interface PresenceRouteDeps {
  repos: Repositories;
  presence: Presence;
}

export async function presenceRoutes(app: HttpServer, deps: PresenceRouteDeps): Promise<void> {
  app.get(
    '/agents/presence',
    {
      // Agents only: an integration has no use for who is at their desk.
      config: { access: {} },
      schema: {
        tags: ['agents'],
        summary: 'Who of your team is online, away or offline, and since when',
        response: { 200: Type.Object({ items: Type.Array(AgentPresenceView) }) },
      },
    },
    async (req) => {
      const agents = await deps.repos.forPrincipal(req.principal).agents.find({ active: { $ne: false } }, { sort: { name: 1 } });
      const all = await deps.presence.all(req.principal.tenantId).catch(() => {
        throw errors.unavailable('Presence cannot be read right now (the key-value store is unreachable); try again.');
      });
      return { items: agents.map((a) => presenceView(a._id, all.get(a._id) ?? NEVER_SEEN)) };
    },
  );
}
