import type { AgentPresenceView, PresenceStatus } from '@switchboard/contracts';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';

/** How long silence means gone, by default (PRESENCE_TTL_MS); consoles beat every third of it. */
export const PRESENCE_TTL_MS = 60_000;

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
 * instances). One hash per tenant: `<agentId>` = last heartbeat, `exp:<agentId>` = when that
 * heartbeat runs out (written by the instance holding the console, so every reader agrees on the
 * TTL), `on:<agentId>` = when the connection began, `off:<agentId>` = when the last console went
 * away, `set:<agentId>` = the agent's away / appear-offline choice; the set `sb:presence:tenants`
 * names the tenants with a hash. Silence longer than the TTL counts as offline even if a process
 * died without saying goodbye, and the PresenceSweeper tells the team and reports when that
 * happens. Losing Redis loses presence only (assignment then sees nobody online and leaves
 * tickets to the team), never messages.
 */
export class Presence {
  constructor(
    private readonly kv: KeyValue,
    readonly ttlMs = PRESENCE_TTL_MS,
  ) {}

  /** How often a connected console's instance says it is still there: three beats per TTL. */
  get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.ttlMs / 3));
  }

  private key(tenantId: string): string {
    return `sb:presence:${tenantId}`;
  }

  async seen(tenantId: string, agentId: string, now = Date.now()): Promise<void> {
    const raw = await this.kv.hgetall(this.key(tenantId));
    const fresh = raw[`off:${agentId}`] === undefined && expiry(raw, agentId, this.ttlMs) > now;
    await this.kv.hset(this.key(tenantId), { [agentId]: String(now), [`exp:${agentId}`]: String(now + this.ttlMs), ...(fresh ? {} : { [`on:${agentId}`]: String(now) }) });
    await this.kv.hdel(this.key(tenantId), `off:${agentId}`);
    await this.kv.sadd(TENANTS_KEY, tenantId);
  }

  /** The agent's last console closed. */
  async left(tenantId: string, agentId: string, now = Date.now()): Promise<void> {
    await this.kv.hset(this.key(tenantId), { [`off:${agentId}`]: String(now) });
    await this.kv.hdel(this.key(tenantId), agentId, `on:${agentId}`, `exp:${agentId}`);
  }

  /**
   * Agents of the tenant whose heartbeat ran out without a goodbye (their instance died, or lost
   * its network): recorded as gone since their last heartbeat, each answered by exactly one caller
   * however many instances sweep at once.
   */
  async expire(tenantId: string, now = Date.now()): Promise<string[]> {
    const key = this.key(tenantId);
    const raw = await this.kv.hgetall(key);
    const gone: string[] = [];
    for (const [field, value] of Object.entries(raw)) {
      if (field.includes(':') || raw[`off:${field}`] !== undefined) continue;
      if (expiry(raw, field, this.ttlMs) > now) continue;
      // One sweeper per heartbeat: the claim outlives the hash fields it is about.
      const claimed = await this.kv.set(`sb:presence:gone:${tenantId}:${field}:${value}`, '1', { nx: true, ttlMs: Math.max(60_000, 2 * this.ttlMs) });
      if (!claimed) continue;
      // A console that came back meanwhile wrote a newer heartbeat: it stays.
      if ((await this.kv.hget(key, field)) !== value) continue;
      await this.kv.hset(key, { [`off:${field}`]: value });
      await this.kv.hdel(key, field, `on:${field}`, `exp:${field}`);
      gone.push(field);
    }
    return gone;
  }

  /** Tenants with presence on record (those left with nothing are forgotten). */
  async tenants(): Promise<string[]> {
    const out: string[] = [];
    for (const tenantId of await this.kv.smembers(TENANTS_KEY)) {
      if (Object.keys(await this.kv.hgetall(this.key(tenantId))).length > 0) out.push(tenantId);
      else await this.kv.srem(TENANTS_KEY, tenantId);
    }
    return out;
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
      const online = beat !== null && off === null && expiry(raw, agentId, this.ttlMs) > now;
      if (!online) {
        // Gone without a goodbye: since the last sign of life.
        const offlineSince = off ?? beat!;
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

const TENANTS_KEY = 'sb:presence:tenants';

/** When the agent's last heartbeat runs out: as its instance wrote it, else by this reader's TTL. */
function expiry(raw: Record<string, string>, agentId: string, ttlMs: number): number {
  const beat = num(raw[agentId]);
  if (beat === null) return Number.NEGATIVE_INFINITY;
  return num(raw[`exp:${agentId}`]) ?? beat + ttlMs;
}

/**
 * Finds agents whose console went silent past the TTL and announces them offline once (to the
 * team's consoles and as `agent.presence` for reports), so an agent whose instance was killed
 * turns offline within the TTL plus one sweep. Every inbox instance runs one; the claim in
 * Presence.expire keeps the announcement single.
 */
export class PresenceSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  readonly everyMs: number;

  constructor(
    private readonly deps: { presence: Presence; logger: Logger; onGone(tenantId: string, view: AgentPresenceView): void; everyMs?: number },
  ) {
    this.everyMs = deps.everyMs ?? Math.min(10_000, Math.max(50, Math.floor(deps.presence.ttlMs / 4)));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(
          () => undefined,
          (err: unknown) => this.deps.logger.warn({ err }, 'presence sweep failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: every tenant with presence on record. */
  async sweep(now = Date.now()): Promise<number> {
    const { presence } = this.deps;
    let n = 0;
    for (const tenantId of await presence.tenants()) {
      for (const agentId of await presence.expire(tenantId, now)) {
        n++;
        this.deps.logger.info({ tenantId, agentId }, 'agent console silent past the presence TTL; now offline');
        this.deps.onGone(tenantId, presenceView(agentId, await presence.of(tenantId, agentId)));
      }
    }
    return n;
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
