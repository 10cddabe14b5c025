import type { KeyValue } from '@switchboard/kv';

/** How often a connected console says it is still there, and how long silence means gone. */
export const PRESENCE_HEARTBEAT_MS = 30_000;
export const PRESENCE_TTL_MS = 90_000;

export interface AgentPresence {
  online: boolean;
  /** Last sign of life (heartbeat or connect), ms since epoch; null if never seen. */
  lastSeen: number | null;
  /** When the agent's last console went away; null while online or never seen. */
  offlineSince: number | null;
}

/**
 * Which agents have a console open, kept in the KeyValue seam (Redis across instances): each
 * connected console refreshes its agent's timestamp, and silence longer than the TTL counts as
 * offline even if a process died without saying goodbye. Losing Redis loses presence only
 * (assignment then sees nobody online and leaves tickets to the team), never messages.
 */
export class Presence {
  constructor(
    private readonly kv: KeyValue,
    private readonly ttlMs = PRESENCE_TTL_MS,
  ) {}

  private key(tenantId: string): string {
    return `sb:presence:${tenantId}`;
  }

  async seen(tenantId: string, agentId: string, now = Date.now()): Promise<void> {
    await this.kv.hset(this.key(tenantId), { [agentId]: String(now) });
    await this.kv.hdel(this.key(tenantId), `off:${agentId}`);
  }

  /** The agent's last console closed. */
  async left(tenantId: string, agentId: string, now = Date.now()): Promise<void> {
    await this.kv.hset(this.key(tenantId), { [`off:${agentId}`]: String(now) });
    await this.kv.hdel(this.key(tenantId), agentId);
  }

  async all(tenantId: string, now = Date.now()): Promise<Map<string, AgentPresence>> {
    const raw = await this.kv.hgetall(this.key(tenantId));
    const out = new Map<string, AgentPresence>();
    for (const [field, value] of Object.entries(raw)) {
      const at = Number(value);
      if (field.startsWith('off:')) {
        const agentId = field.slice(4);
        if (!out.has(agentId)) out.set(agentId, { online: false, lastSeen: null, offlineSince: at });
        continue;
      }
      const online = now - at < this.ttlMs;
      const previous = out.get(field);
      out.set(field, { online, lastSeen: at, offlineSince: online ? null : (previous?.offlineSince ?? at + this.ttlMs) });
    }
    return out;
  }
}
