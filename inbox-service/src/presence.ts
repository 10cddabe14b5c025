import type { AgentPresenceView, PresenceStatus } from '@switchboard/contracts';
import type { KeyValue } from '@switchboard/kv';

/** How often a connected console says it is still there, and how long silence means gone. */
export const PRESENCE_HEARTBEAT_MS = 30_000;
export const PRESENCE_TTL_MS = 90_000;

export interface AgentPresence {
  /** Has a live console connection now (whatever the agent chose to show). */
  online: boolean;
  /** What the team sees: online, away, or offline (no console, or appearing offline). */
  status: PresenceStatus;
  /** Since when `status` holds, ms since epoch; null if never seen. */
  since: number | null;
  /** The status was set by the console for idleness, not chosen by the agent. */
  auto: boolean;
  /** Last sign of life (heartbeat or connect), ms since epoch; null if never seen. */
  lastSeen: number | null;
  /** When the agent's last console went away; null while online or never seen. */
  offlineSince: number | null;
}

/** What the agent chose to show while connected; absent = online. */
interface Choice {
  status: 'away' | 'offline';
  auto: boolean;
  at: number;
}

/** An agent with no console connected since presence was kept. */
export const NEVER_SEEN: AgentPresence = { online: false, status: 'offline', since: null, auto: false, lastSeen: null, offlineSince: null };

/**
 * Which agents have a console open and what they show, kept in the KeyValue seam (Redis across
 * instances). One hash per tenant: `<agentId>` = last heartbeat, `on:<agentId>` = when the
 * connection began, `off:<agentId>` = when the last console closed, `set:<agentId>` = the
 * agent's away / appear-offline choice. Silence longer than the TTL counts as offline even if a
 * process died without saying goodbye. Losing Redis loses presence only (assignment then sees
 * nobody online and leaves tickets to the team), never messages.
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
    const last = Number((await this.kv.hget(this.key(tenantId), agentId)) ?? Number.NaN);
    const fresh = Number.isFinite(last) && now - last < this.ttlMs;
    await this.kv.hset(this.key(tenantId), { [agentId]: String(now), ...(fresh ? {} : { [`on:${agentId}`]: String(now) }) });
    await this.kv.hdel(this.key(tenantId), `off:${agentId}`);
  }

  /** The agent's last console closed. */
  async left(tenantId: string, agentId: string, now = Date.now()): Promise<void> {
    await this.kv.hset(this.key(tenantId), { [`off:${agentId}`]: String(now) });
    await this.kv.hdel(this.key(tenantId), agentId, `on:${agentId}`);
  }

  /**
   * The agent shows `status` from now on ('online' forgets an away or appear-offline choice). An
   * automatic change (`auto`, the console's idleness) never replaces a choice the agent made;
   * answers whether anything changed.
   */
  async choose(tenantId: string, agentId: string, status: PresenceStatus, auto: boolean, now = Date.now()): Promise<boolean> {
    const current = parseChoice(await this.kv.hget(this.key(tenantId), `set:${agentId}`));
    if (auto && current && !current.auto) return false;
    if (status === 'online') {
      if (!current) return false;
      await this.kv.hdel(this.key(tenantId), `set:${agentId}`);
      return true;
    }
    if (current?.status === status && current.auto === auto) return false;
    const choice: Choice = { status, auto, at: now };
    await this.kv.hset(this.key(tenantId), { [`set:${agentId}`]: JSON.stringify(choice) });
    return true;
  }

  async of(tenantId: string, agentId: string, now = Date.now()): Promise<AgentPresence> {
    return (await this.all(tenantId, now)).get(agentId) ?? NEVER_SEEN;
  }

  async all(tenantId: string, now = Date.now()): Promise<Map<string, AgentPresence>> {
    const raw = await this.kv.hgetall(this.key(tenantId));
    const agents = new Set<string>();
    for (const field of Object.keys(raw)) {
      const colon = field.indexOf(':');
      agents.add(colon === -1 ? field : field.slice(colon + 1));
    }
    const out = new Map<string, AgentPresence>();
    for (const agentId of agents) {
      const beat = num(raw[agentId]);
      const off = num(raw[`off:${agentId}`]);
      const choice = parseChoice(raw[`set:${agentId}`]);
      // Only the agent's choice is on record: never connected since, so offline since never.
      if (beat === null && off === null) {
        out.set(agentId, NEVER_SEEN);
        continue;
      }
      const online = beat !== null && now - beat < this.ttlMs;
      if (!online) {
        const offlineSince = off ?? beat! + this.ttlMs;
        out.set(agentId, { online: false, status: 'offline', since: offlineSince, auto: false, lastSeen: beat, offlineSince });
        continue;
      }
      const onSince = num(raw[`on:${agentId}`]) ?? beat;
      out.set(agentId, {
        online: true,
        status: choice?.status ?? 'online',
        since: choice ? Math.max(choice.at, onSince) : onSince,
        auto: choice?.auto ?? false,
        lastSeen: beat,
        offlineSince: null,
      });
    }
    return out;
  }
}

/** The presence as clients see it. */
export function presenceView(agentId: string, p: AgentPresence): AgentPresenceView {
  return { agentId, status: p.status, since: p.since === null ? null : new Date(p.since).toISOString(), auto: p.auto };
}

function num(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function parseChoice(value: string | null | undefined): Choice | null {
  if (!value) return null;
  try {
    const c = JSON.parse(value) as Partial<Choice>;
    return (c.status === 'away' || c.status === 'offline') && typeof c.at === 'number' ? { status: c.status, auto: c.auto === true, at: c.at } : null;
  } catch {
    return null;
  }
}
