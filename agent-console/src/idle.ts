import type { PresenceStatus } from '@switchboard/contracts';

/**
 * Idleness: after a while without keyboard, mouse or the tab coming back into view, the console
 * sets the agent away (automatically), and the next activity brings them back online. A status
 * the agent chose — away or appear offline — is never changed by it. Pure logic: the UI feeds
 * it the clock, activity and what the server says; it answers the change to send, if any.
 */

export const IDLE_AFTER_MS = 10 * 60_000;

export interface PresenceChange {
  status: PresenceStatus;
  auto: true;
}

export class IdleTracker {
  private status: PresenceStatus = 'online';
  private auto = false;
  private lastActivity: number;

  constructor(
    now: number,
    private readonly idleAfterMs = IDLE_AFTER_MS,
  ) {
    this.lastActivity = now;
  }

  /** The agent's presence as the server reports it (an answer, a `presence` event, the list). */
  known(status: PresenceStatus, auto: boolean): void {
    this.status = status;
    this.auto = auto;
  }

  /** The agent picked a status in the menu. */
  chosen(status: PresenceStatus, now: number): void {
    this.known(status, false);
    this.lastActivity = now;
  }

  /** A key, a click, a mouse move, the tab shown again. */
  activity(now: number): PresenceChange | null {
    this.lastActivity = now;
    if (this.status === 'away' && this.auto) return this.become('online');
    return null;
  }

  /** Time passed; answers the switch to away once the agent has been idle long enough. */
  tick(now: number): PresenceChange | null {
    if (this.status === 'online' && now - this.lastActivity >= this.idleAfterMs) return this.become('away');
    return null;
  }

  private become(status: PresenceStatus): PresenceChange {
    this.status = status;
    this.auto = status !== 'online';
    return { status, auto: true };
  }
}
